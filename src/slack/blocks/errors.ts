import { type Message, section } from './kit.js';

/** What a user sees when something failed on our side. Never a stack trace; the log has the detail. */
export function internalErrorMessage(reference: string): Message {
  const text = `Something went wrong on Ripple's side, and nothing was changed. Please try again; if it keeps happening, tell your Ripple admin (reference ${reference}).`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}
