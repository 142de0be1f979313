import type { Timestamp } from '../teammates/model.js';
import { ASK_OPEN_DAYS, type AskStatus } from './ask-model.js';
import { type ExpectationChoice, significantWords } from './rules.js';

/** The pure rules of "Ask for an example" (issue 17): what the person sees of an ask, when it closes, what words name. */

/**
 * How the person sees one of their asks. A declined ask looks exactly like one nobody answered: waiting until it is
 * due, then "no example came back" (the same words for both), so nobody learns who declined or ignored what.
 */
export type AskSeenAs = 'waiting' | 'answered' | 'kept' | 'not-kept' | 'no-example';

export function askSeenAs(status: AskStatus): AskSeenAs {
  switch (status) {
    case 'asked':
    case 'declined':
      return 'waiting';
    case 'answered':
      return 'answered';
    case 'kept':
      return 'kept';
    case 'discarded':
      return 'not-kept';
    case 'expired':
      return 'no-example';
  }
}

/** When an ask made or answered at `at` closes by itself. */
export function askDueAt(at: Date): Timestamp {
  return new Date(at.getTime() + ASK_OPEN_DAYS * 86_400_000).toISOString();
}

/** An expectation a person may ask about, with the level it belongs to (never shown to the colleague). */
export type AskChoice = ExpectationChoice;

export type ExpectationMatch =
  | { kind: 'one'; choice: AskChoice }
  | { kind: 'none' }
  | { kind: 'several'; choices: AskChoice[] };

/**
 * The expectation `/career ask @chen <words>` names: its id, or the one expectation whose words hold every
 * meaningful word typed (a word typed may be the start of one: "mentor" finds "mentoring"). Several: the caller asks
 * which, listing them.
 */
export function matchExpectation(words: string, choices: readonly AskChoice[]): ExpectationMatch {
  const typed = words.trim().toLowerCase();
  const byId = choices.find((c) => c.expectationId === typed);
  if (byId) return { kind: 'one', choice: byId };
  const wanted = [...significantWords(typed)];
  if (wanted.length === 0) return { kind: 'none' };
  const matches = choices.filter((c) => {
    const have = [...significantWords(c.text)];
    return wanted.every((w) => have.some((h) => h.startsWith(w) || w.startsWith(h)));
  });
  // The same expectation listed twice (a fork's shared step) counts once.
  const distinct = [...new Map(matches.map((c) => [c.expectationId, c])).values()];
  if (distinct.length === 1) return { kind: 'one', choice: distinct[0] as AskChoice };
  return distinct.length === 0 ? { kind: 'none' } : { kind: 'several', choices: distinct };
}
