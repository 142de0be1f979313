// plainFromSlack is text handling (command parsing reads it too), not rendering: it lives in src/text.
export { plainFromSlack } from '../text/mrkdwn.js';

/**
 * Text safety for Slack's mrkdwn. Anything not written by us (what a user typed, and framework
 * files, which teams edit) goes through {@link escapeMrkdwn} before it is placed in mrkdwn, so
 * `<!channel>` or `<@U123>` can never become a real mention or link.
 */
export function escapeMrkdwn(text: string): string {
  // Most text has none of the three: returned as it is, without three passes over it.
  if (!MRKDWN_SPECIAL.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MRKDWN_SPECIAL = /[&<>]/;

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

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
