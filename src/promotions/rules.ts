import type { Rating } from '../checkins/machine.js';
import { type AnsweredQuestion, countLevel, readiness } from '../checkins/summary.js';
import type { PromotionCase } from '../ports/promotions.js';

/**
 * The promotion case's rules, pure: when a rated check-in offers Propose, and the steps a case went through. The
 * service reads and writes; the Slack layer words what these return.
 */

/** The readiness (whole percent, by the manager's ratings) at or above which a rated check-in offers Propose. */
export const DEFAULT_PROMOTION_THRESHOLD = 80;

/** What a rated check-in needs for the offer: its questions, the level it measures against and the manager's ratings. */
export interface RatedCheckin {
  targetLevelId: string | null;
  questions: readonly AnsweredQuestion[];
  managerRatings: readonly (Rating | undefined)[];
}

/**
 * Readiness for the next level by the manager's ratings (the same rule as the check-in's own: Consistently + half of
 * Sometimes over the answered): the manager proposes, so their view is the one measured. Null when the manager rated
 * no expectation of the next level, or the check-in measured against none.
 */
export function managerReadiness(checkin: RatedCheckin): number | null {
  if (checkin.targetLevelId === null) return null;
  const rated = checkin.questions
    .filter((q) => q.levelId === checkin.targetLevelId)
    .map(({ rating: _own, ...q }): AnsweredQuestion => {
      const manager = checkin.managerRatings[q.position];
      return manager ? { ...q, rating: manager } : q;
    });
  return readiness(countLevel(rated));
}

/** Whether a readiness offers Propose: at or above the threshold (the workspace's, else the default). */
export function offersProposal(readinessPercent: number | null, threshold: number | null): boolean {
  return readinessPercent !== null && readinessPercent >= (threshold ?? DEFAULT_PROMOTION_THRESHOLD);
}

/** A draft the person has not sent on in this many days expires (the maintenance job), so it blocks no new case. */
export const DRAFT_EXPIRY_DAYS = 14;

/** Drafts created before this moment have expired at `now`. */
export function draftExpiryCutOff(now: Date): string {
  return new Date(now.getTime() - DRAFT_EXPIRY_DAYS * 24 * 60 * 60 * 1000).toISOString();
}

/** Whether a case is still open: with the person (a draft) or with the admins. */
export const isOpen = (c: Pick<PromotionCase, 'status'>) => c.status === 'draft' || c.status === 'proposed';

/**
 * Who may withdraw an open case: whoever proposed it, or a Ripple admin; never the person it is about (they simply
 * do not send a draft, and an admin does not end a case about themselves).
 */
export function mayWithdraw(c: Pick<PromotionCase, 'userId' | 'proposedBy'>, callerId: string, isAdmin: boolean) {
  return callerId !== c.userId && (callerId === c.proposedBy || isAdmin);
}

export type CaseStepKind = 'proposed' | 'person-note' | 'sent' | 'approved' | 'declined' | 'withdrawn' | 'expired';

export interface CaseStep {
  kind: CaseStepKind;
  at: string;
  /** Who took the step (the proposer, the person, the admin who decided, who withdrew); null: nobody (expired). */
  by: string | null;
}

/** Every step a case went through, in order: what the person's history shows. */
export function caseSteps(c: PromotionCase): CaseStep[] {
  const steps: CaseStep[] = [{ kind: 'proposed', at: c.createdAt, by: c.proposedBy }];
  if (c.personNoteAt) steps.push({ kind: 'person-note', at: c.personNoteAt, by: c.userId });
  if (c.sentAt) steps.push({ kind: 'sent', at: c.sentAt, by: c.userId });
  if (c.decidedAt && c.decidedBy && (c.status === 'approved' || c.status === 'declined' || c.status === 'withdrawn'))
    steps.push({ kind: c.status, at: c.decidedAt, by: c.decidedBy });
  if (c.decidedAt && c.status === 'expired') steps.push({ kind: 'expired', at: c.decidedAt, by: null });
  return steps;
}
