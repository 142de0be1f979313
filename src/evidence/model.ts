import type { Timestamp } from '../teammates/model.js';

/**
 * A person's evidence log (issue 17): what they keep all year to show how they meet their framework's
 * expectations. Plain data; the store loads and saves it (src/store/evidence.ts) and the pure rules
 * (src/evidence/rules.ts) read it.
 */

/**
 * Where an entry came from: a Slack message saved with "Save as evidence", a `/career win` line, a colleague's
 * answer to "Ask for an example" that the person kept, or evidence added while answering a check-in.
 */
export const EVIDENCE_SOURCES = ['message', 'win', 'colleague', 'checkin'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** The expectation an entry shows: one of the framework's expectations, named by its level and id. */
export interface EvidenceTarget {
  levelId: string;
  expectationId: string;
}

export interface EvidenceEntry {
  id: number;
  teamId: string;
  /** Whose evidence it is: only they see it until they share a check-in or a case that carries it. */
  userId: string;
  source: EvidenceSource;
  /** The message quoted, the win, the colleague's sentence or what was added during a check-in. */
  text: string;
  /** The person's own note beside it. */
  note: string | null;
  frameworkId: string;
  /** Null: "no particular one". */
  target: EvidenceTarget | null;
  /** Who wrote the message, or the colleague who gave the example; null for the person's own words. */
  authorId: string | null;
  /** Where the saved message lives (source 'message' only). */
  message: { channelId: string; ts: string; permalink: string | null } | null;
  /** The check-in it was added during, if any. */
  checkinId: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** What `add` takes: an entry without its id, with `at` for both of its timestamps. */
export interface NewEvidence {
  teamId: string;
  userId: string;
  source: EvidenceSource;
  text: string;
  note?: string | null | undefined;
  frameworkId: string;
  target: EvidenceTarget | null;
  authorId?: string | null | undefined;
  message?: { channelId: string; ts: string; permalink: string | null } | null | undefined;
  checkinId?: number | null | undefined;
  at: Timestamp;
}

/** A change the person makes to one of their entries; a field left out stays as it is. */
export interface EvidenceEdit {
  target?: EvidenceTarget | null | undefined;
  note?: string | null | undefined;
  text?: string | undefined;
  at: Timestamp;
}

/** Where a page of the log stops: the last entry shown (the next page starts after it). */
export interface EvidenceCursor {
  createdAt: Timestamp;
  id: number;
}
