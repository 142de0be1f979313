/**
 * Text safety for Slack's mrkdwn. Anything not written by us (what a user typed, and framework
 * files, which teams edit) goes through {@link escapeMrkdwn} before it is placed in mrkdwn, so
 * `<!channel>` or `<@U123>` can never become a real mention or link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BARE_MENTION = /(<@[UW][A-Z0-9]{2,}>)/;

/**
 * Escapes like {@link escapeMrkdwn} but keeps bare user mentions (`<@U123>`, no label), which Slack
 * shows as the person's name: Ripple's own sentences name people that way instead of by raw id. A
 * mention in a reply reaches nobody (replies are ephemeral or a DM to the person asking), and
 * `<!channel>` and links stay escaped.
 */
export function escapeKeepingMentions(text: string): string {
  return text
    .split(BARE_MENTION)
    .map((part, i) => (i % 2 === 1 ? part : escapeMrkdwn(part)))
    .join('');
}

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

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
