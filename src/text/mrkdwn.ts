/**
 * Slack's markup as plain text. It belongs to no layer: the command grammar reads what a user typed
 * with it, and the Slack adapter echoes it (src/slack/mrkdwn.ts re-exports it).
 */

/**
 * Turns Slack's markup in command text back into what the user saw, for echoing it:
 * `<@U1|ana>` → `@ana`, `<!channel>` → `@channel`, `<#C1|general>` → `#general`, `<https://x|x>` → `x`.
 * The result is plain text; escape it before putting it in mrkdwn.
 */
export function plainFromSlack(text: string): string {
  // Slack never puts a raw "<" inside its markup (a typed one arrives as &lt;), so no pattern looks
  // past the next "<": each try stops there, which keeps a run of "<<<…" linear instead of quadratic.
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g, (_, id: string, name?: string) => `@${name || id}`)
    .replace(
      /<!(?:subteam\^[A-Z0-9]+\|)?([^<>|]+)(?:\|[^<>]*)?>/g,
      // A user group arrives as <!subteam^S1|@team>: its label already starts with "@".
      (_, name: string) => `@${name.replace(/^subteam\^/, '').replace(/^@/, '')}`,
    )
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^<>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/<([^<>|]+)\|([^<>]+)>/g, '$2')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
