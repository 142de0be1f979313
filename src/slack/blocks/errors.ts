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
