import type { Timestamp } from '../teammates/model.js';
import type { EvidenceTarget } from './model.js';
import { type ExpectationChoice, significantWords } from './rules.js';

/**
 * "Ask for an example" (issue 17): a person asks a colleague for one sentence showing one expectation. Plain data and
 * the pure rules about it; the store (src/store/evidence-asks.ts) loads and saves it, the service
 * (src/evidence/asks.ts) decides.
 */

export const ASK_STATUSES = ['asked', 'declined', 'answered', 'kept', 'discarded', 'expired'] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];

/** Days an ask waits for the colleague, and then for the person to keep the answer, before it closes by itself. */
export const ASK_OPEN_DAYS = 14;
/** Days a closed ask is kept (for the person's list) before maintenance deletes it. */
export const ASK_CLOSED_KEPT_DAYS = 30;
/** The most the optional line of context, and the colleague's answer, may hold. */
export const ASK_CONTEXT_MAX = 300;
export const ASK_ANSWER_MAX = 1000;

export interface EvidenceAsk {
  id: number;
  teamId: string;
  /** Who asked: the ask, and the answer once it comes back, are theirs. */
  userId: string;
  colleagueId: string;
  frameworkId: string;
  target: EvidenceTarget;
  context: string | null;
  status: AskStatus;
  /** The colleague's sentence, only while it waits for the person (status 'answered'). */
  answer: string | null;
  createdAt: Timestamp;
  answeredAt: Timestamp | null;
  /** When an open ask closes by itself. */
  dueAt: Timestamp;
  closedAt: Timestamp | null;
}

export interface NewAsk {
  teamId: string;
  userId: string;
  colleagueId: string;
  frameworkId: string;
  target: EvidenceTarget;
  context?: string | null | undefined;
  at: Timestamp;
  dueAt: Timestamp;
}

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
