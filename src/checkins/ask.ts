import { RATINGS, type Rating } from './machine.js';

/**
 * Words of a check-in that are not Slack's: an expectation asked as a question, and a rating typed
 * in the DM read back as one of the four answers. Pure.
 */

/**
 * An expectation, as the framework states it (an imperative: "Ship regularly.", "Are self-directed in
 * your learning process.", "Be the go-to person…"), asked of the person: "Do you ship regularly?",
 * "Are you self-directed in your learning process?". Only the first sentence becomes the question; what
 * follows it is kept as written.
 */
export function asQuestion(expectation: string): string {
  let asked = ASKED.get(expectation);
  if (asked === undefined) {
    asked = phrase(expectation);
    // The frameworks' expectations are a few hundred texts; a full cache starts again rather than grow.
    if (ASKED.size >= ASKED_KEPT) ASKED.clear();
    ASKED.set(expectation, asked);
  }
  return asked;
}

/** Each expectation worded once: every check-in asks the same few, and a click words two (the one answered, the next). */
const ASKED = new Map<string, string>();
const ASKED_KEPT = 2_000;

function phrase(expectation: string): string {
  const text = expectation.trim().replace(/\s+/g, ' ');
  const end = /[.!?](\s|$)/.exec(text);
  const first = (end ? text.slice(0, end.index) : text).trim();
  const rest = end ? text.slice(end.index + 1).trim() : '';
  const [verb = '', ...words] = first.split(' ');
  const tail = words.join(' ');
  let question: string;
  if (/^(are|be)$/i.test(verb)) question = `Are you ${tail}`;
  else if (/^(can|could|will|would|should|do)$/i.test(verb)) question = `${verb} you ${tail}`;
  else question = `Do you ${verb.charAt(0).toLowerCase()}${verb.slice(1)}${tail ? ` ${tail}` : ''}`;
  return rest ? `${question}? ${rest}` : `${question}?`;
}

/** What a line typed in the DM during a check-in means for the question being asked. */
export type TypedAnswer =
  | { kind: 'rating'; rating: Rating }
  /** Close to more than one answer: ask which was meant. */
  | { kind: 'ambiguous'; candidates: Rating[] }
  /** Not an answer: evidence. */
  | { kind: 'evidence' };

/** The words and numbers each answer is known by; numbers follow the buttons' order. */
const NAMES: Record<Rating, readonly string[]> = {
  'not-yet': ['not yet', 'notyet', 'not-yet', '1'],
  sometimes: ['sometimes', 'some times', '2'],
  consistently: ['consistently', '3'],
  skip: ['skip', 'skipped', 'pass', '4'],
};

/** Edit distance, capped: only short words are compared. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * A line typed during a check-in, read as an answer when it is one: an answer's name or number
 * ("consistently", "3", "Skip."), or a close misspelling of one ("consistantly", "somtimes"). A line
 * close to two answers is ambiguous; anything else (a sentence, a link) is evidence.
 */
export function readTypedAnswer(line: string): TypedAnswer {
  const words = line
    .toLowerCase()
    .replace(/[*_~`"“”'’.,!?:;()]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  if (words.length === 0 || words.length > 40 || words.split(' ').length > 2) return { kind: 'evidence' };
  for (const rating of RATINGS) if (NAMES[rating].includes(words)) return { kind: 'rating', rating };
  if (/\d/.test(words) || words.length < 4) return { kind: 'evidence' };
  // One slip per four letters: "consistantly" and "somtimes" are answers; "stuff" is not.
  const allowed = Math.min(3, Math.floor(words.length / 4));
  const close = RATINGS.filter((r) => NAMES[r].some((name) => !/\d/.test(name) && distance(words, name) <= allowed));
  if (close.length === 1) return { kind: 'rating', rating: close[0] as Rating };
  if (close.length > 1) return { kind: 'ambiguous', candidates: close };
  // Both at once ("sometimes consistently"): ask which.
  const named = RATINGS.filter((r) => NAMES[r].some((name) => !/\d/.test(name) && words.split(' ').includes(name)));
  return named.length > 1 ? { kind: 'ambiguous', candidates: named } : { kind: 'evidence' };
}
