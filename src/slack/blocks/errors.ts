import { type Message, section } from './kit.js';

/** What a user sees when something failed on our side. Never a stack trace; the log has the detail. */
export function internalErrorMessage(reference: string): Message {
  const text = `Something went wrong on Ripple's side, and nothing was changed. Please try again; if it keeps happening, tell your Ripple admin (reference ${reference}).`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** The database stayed locked (a backup, another instance): nothing was written, so trying again is safe. */
export function busyMessage(): Message {
  const text = "Ripple's database is busy right now, so nothing was changed. Please try again in a moment.";
  return { text, blocks: [section(`:hourglass: ${text}`)] };
}

/** Why a write after Slack's ack was not saved: the lock outlasted every retry, or SQLite cannot write. */
export type NotSavedReason = 'busy' | 'cannot-write';

/** What the person does to try again, in the words of where they acted. */
export type TryAgain = 'press' | 'send' | 'submit' | 'run';

const AGAIN: Record<TryAgain, string> = {
  press: 'press it again',
  send: 'send it again',
  submit: 'submit it again',
  run: 'run the command again',
};

/**
 * An action Slack was told we received, whose write could not be saved: said where the person
 * acted, so nothing is lost silently. Nothing was written, so trying again is safe.
 */
export function notSavedMessage(reason: NotSavedReason, again: TryAgain = 'press'): Message {
  const text =
    reason === 'busy'
      ? `Ripple is busy, nothing was saved: ${AGAIN[again]} in a moment.`
      : `Ripple can't save anything right now, so nothing was saved: ${AGAIN[again]} later, and tell your Ripple admin if it keeps happening.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}
