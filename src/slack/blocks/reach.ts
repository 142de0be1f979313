import { escapeMrkdwn } from '../mrkdwn.js';
import { type Message, section } from './kit.js';

/** What Ripple says when it cannot reach someone: a person of another workspace, or a DM Slack did not take. */

/**
 * The one line a person of another workspace (Slack Connect, a sibling workspace of the same
 * Enterprise Grid org) gets: ephemeral, where they acted, and nothing else happens.
 */
export function otherWorkspaceMessage(teamName: string | undefined): Message {
  const text = teamName
    ? `Ripple serves the ${teamName} workspace only.`
    : 'Ripple serves the workspace it is installed in only.';
  const shown = teamName ? `Ripple serves the *${escapeMrkdwn(teamName)}* workspace only.` : text;
  return { text, blocks: [section(shown)] };
}

/**
 * Said instead of "your check-in is in our DM" when the DM could not be sent (Slack refused it, or
 * Ripple was uninstalled from the workspace and has not been heard from since).
 */
export function checkinDmFailedMessage(): Message {
  const text =
    "I couldn't send your check-in to our DM: Slack did not take the message. Your check-in is saved and I'll keep trying; you can also run `/career checkin` again in a minute to pick it up, or ask your Slack admin whether Ripple is still installed.";
  return { text, blocks: [section(`:warning: ${text}`)] };
}
