import { formatLongDate, utcDateOf } from '../../career/dates.js';
import type { BragInput } from '../../evidence/brag.js';
import { type Message, section } from './kit.js';
import { problemMessage } from './lookup.js';

/** `/career brag`'s words (issue 17, item 6): the file's comment in the DM, the reply, and when it cannot be sent. */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => formatLongDate(utcDateOf(iso));

/** Posted with the file in the DM: what it covers, in one line. */
export function bragComment(input: Pick<BragInput, 'from' | 'to' | 'evidence' | 'checkins' | 'levelChanges'>): string {
  return `:trophy: Your year in Ripple, ${day(input.from)} to ${day(input.to)}: ${plural(input.evidence.length, 'piece', 'pieces')} of evidence, ${plural(input.checkins.length, 'check-in', 'check-ins')}, ${plural(input.levelChanges.length, 'level change', 'level changes')}. Only you were sent it.`;
}

/** The reply where `/career brag` was typed, once the file is in the DM. */
export function bragSentMessage(): Message {
  const text = ':outbox_tray: Your brag file is in our direct messages: a Markdown file of your last 12 months.';
  return { text, blocks: [section(text)] };
}

/** The file could not be shared (no DM, no `files:write`): nothing was sent. */
export function bragFailedMessage(): Message {
  return problemMessage({
    kind: 'problem',
    message:
      "I couldn't send your brag file to our direct messages, so nothing was sent. Please try again in a minute.",
  });
}
