import type { AskStatus, EvidenceAsk, NewAsk } from '../evidence/ask-model.js';
import type { Timestamp } from '../teammates/model.js';

export type { AskStatus, EvidenceAsk, NewAsk };

/**
 * Asks to colleagues for an example (issue 17). Each write is one conditional statement: it changes the ask only from
 * the state it names, and says whether it did, so a second click (or a forged id) changes nothing.
 */
export interface EvidenceAskStore {
  /**
   * Opens an ask; null when the person already has an open ask to this colleague about this expectation (nothing
   * written). Throws TeammateNotFoundError when the person has no record.
   */
  open(ask: NewAsk): Promise<EvidenceAsk | null>;
  /** The ask, whoever asked; the service decides who may see what of it. */
  get(teamId: string, id: number): Promise<EvidenceAsk | null>;
  /** The person's open ask to this colleague about this expectation, if any. */
  openFor(teamId: string, userId: string, colleagueId: string, expectationId: string): Promise<EvidenceAsk | null>;
  /** The colleague's answer, from 'asked' only, by that colleague; null when the ask is not theirs or not waiting. */
  answer(
    teamId: string,
    id: number,
    colleagueId: string,
    answer: string,
    at: Timestamp,
    dueAt: Timestamp,
  ): Promise<EvidenceAsk | null>;
  /** "Not this time", from 'asked' only, by the colleague asked; false otherwise. The ask stays open until due. */
  decline(teamId: string, id: number, colleagueId: string): Promise<boolean>;
  /**
   * Closes the person's answered ask as 'kept' or 'discarded', dropping the answer; returns the ask as it was (with
   * its answer), or null when it is not theirs or not waiting for them.
   */
  settle(
    teamId: string,
    userId: string,
    id: number,
    to: 'kept' | 'discarded',
    at: Timestamp,
  ): Promise<EvidenceAsk | null>;
  /** The person's asks, newest first, at most `limit`. */
  page(teamId: string, userId: string, limit: number): Promise<EvidenceAsk[]>;
  /**
   * Closes at most `limit` open asks due by `now`, the earliest first: unanswered ones as 'expired' (declined ones
   * too), answered ones as 'discarded' (the answer dropped). How many.
   */
  closeDue(now: Timestamp, limit: number): Promise<number>;
  /** Deletes at most `limit` asks closed before `before`, the oldest first; how many. */
  pruneClosed(before: Timestamp, limit: number): Promise<number>;
  /** Deletes the person's asks (`/career forget`); how many. */
  forgetUser(teamId: string, userId: string): Promise<number>;
}
