import type { Timestamp } from '../teammates/model.js';
import type { EvidenceTarget } from './model.js';

/**
 * "Ask for an example" (issue 17): a person asks a colleague for one sentence showing one expectation. Plain data; the
 * store (src/store/evidence-asks.ts) loads and saves it, the pure rules (src/evidence/ask-rules.ts) read it and the
 * service (src/evidence/asks.ts) decides.
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
