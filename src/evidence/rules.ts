import { normalize } from '../frameworks/match.js';
import type { Framework } from '../frameworks/schema.js';
import type { EvidenceEntry } from './model.js';

/**
 * The evidence log's rules, pure: which expectation a message most likely shows, and a person's log read against
 * the expectations of their level and the next (grouped, with the gaps).
 */

/** An expectation a person may file evidence under, as the picker and the grouped log show it. */
export interface ExpectationChoice {
  levelId: string;
  expectationId: string;
  text: string;
}

/** An expectation as the picker and the log show it: with its level's name ("Level 3"). */
export interface EvidenceChoice extends ExpectationChoice {
  level: string;
}

/**
 * The expectations a person may file evidence under: the next level's first (every next level where the path forks),
 * then the current level's. One rule for the evidence picker, `/career ask` and the ask button. An expectation id is unique within a framework, so it names its choice alone.
 */
export function expectationChoices(framework: Framework, record: { levelId: string }): EvidenceChoice[] {
  const level = framework.levels.find((l) => l.id === record.levelId);
  if (!level) return [];
  const next = level.next
    .map((id) => framework.levels.find((l) => l.id === id))
    .filter((l): l is NonNullable<typeof l> => l !== undefined);
  return [...next, level].flatMap((l) =>
    l.expectations.map((e) => ({ levelId: l.id, expectationId: e.id, text: e.text, level: `Level ${l.number}` })),
  );
}

/** Words too common to say anything about which expectation a message shows. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it ' +
    'its just me more most my no not of on or our out over own she so such than that the their them then there ' +
    'these they this those through to too up us very was we were what when where which while who whom why will ' +
    'with would you your yours team teams others other work works working'
  ).split(' '),
);

/**
 * A word's stem, roughly: "launched", "launches", "launching" and "launch" share "launch"; "shipped" and "shipping"
 * share "ship" (a doubled last consonant is undoubled, except the ones English keeps: "stall", "press").
 */
function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      const last = base.at(-1) ?? '';
      const doubled = suffix !== 's' && suffix !== 'es' && base.at(-2) === last && !'lsfzaeiou'.includes(last);
      return doubled ? base.slice(0, -1) : base;
    }
  }
  return word;
}

/** The distinct, meaningful stems of a text (Slack markup and punctuation dropped). */
export function significantWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const word of normalize(text).split(' ')) {
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    words.add(stem(word));
  }
  return words;
}

/**
 * The expectation a text most likely shows: the choice sharing the most meaningful words with it, the earlier
 * choice on a tie (callers list the next level's expectations first); null when none shares a word ("no particular
 * one").
 */
export function suggestExpectation<C extends ExpectationChoice>(text: string, choices: readonly C[]): C | null {
  const words = significantWords(text);
  if (words.size === 0) return null;
  let best: C | null = null;
  let bestScore = 0;
  for (const choice of choices) {
    let score = 0;
    for (const word of significantWords(choice.text)) if (words.has(word)) score++;
    if (score > bestScore) {
      best = choice;
      bestScore = score;
    }
  }
  return best;
}

export interface EvidenceGroup<C extends ExpectationChoice> {
  choice: C;
  entries: EvidenceEntry[];
}

/** A log read against a set of expectations: each with what was kept for it, the gaps, and the rest. */
export interface GroupedEvidence<C extends ExpectationChoice> {
  /** The expectations with at least one entry, in the order given. */
  groups: EvidenceGroup<C>[];
  /** The expectations with nothing yet, in the order given. */
  gaps: C[];
  /** Entries for "no particular one", or for an expectation not among the choices (an earlier level's). */
  other: EvidenceEntry[];
}

/** Groups `entries` (in the order given, usually newest first) under `choices`. */
export function groupByExpectation<C extends ExpectationChoice>(
  entries: readonly EvidenceEntry[],
  choices: readonly C[],
): GroupedEvidence<C> {
  const byId = new Map<string, EvidenceEntry[]>(choices.map((c) => [c.expectationId, []]));
  const other: EvidenceEntry[] = [];
  for (const entry of entries) {
    const list = entry.target ? byId.get(entry.target.expectationId) : undefined;
    if (list) list.push(entry);
    else other.push(entry);
  }
  const groups: EvidenceGroup<C>[] = [];
  const gaps: C[] = [];
  for (const choice of choices) {
    const list = byId.get(choice.expectationId) ?? [];
    if (list.length > 0) groups.push({ choice, entries: list });
    else gaps.push(choice);
  }
  return { groups, gaps, other };
}
