import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import type { AnsweredQuestion } from '../../src/checkins/summary.js';
import type { PromotionCase } from '../../src/ports/promotions.js';
import {
  caseSteps,
  draftExpiryCutOff,
  managerReadiness,
  mayWithdraw,
  offersProposal,
} from '../../src/promotions/rules.js';

const q = (position: number, levelId: string, rating: Rating = 'not-yet'): AnsweredQuestion => ({
  position,
  levelId,
  levelNumber: levelId === 'l3' ? 3 : 2,
  levelTitle: 'x',
  expectationId: `e${position}`,
  text: 'E',
  rating,
});

describe('managerReadiness', () => {
  it.each<[string, (Rating | undefined)[], number | null]>([
    ["the manager's ratings, not the person's", ['consistently', 'consistently', 'sometimes', 'not-yet'], 50],
    ['every next-level expectation Consistently', ['skip', 'consistently', 'consistently', 'consistently'], 100],
    ['half Sometimes rounds up', ['not-yet', 'sometimes', 'consistently', 'consistently'], 83],
    ['Skip is not an answer', ['consistently', 'skip', 'skip', 'consistently'], 100],
    ['nothing rated on the next level', ['consistently', undefined, undefined, undefined], null],
  ])('%s', (_title, managerRatings, expected) => {
    // The person answered every question Consistently; position 0 is the current level's.
    const questions = [
      q(0, 'l2', 'consistently'),
      q(1, 'l3', 'consistently'),
      q(2, 'l3', 'consistently'),
      q(3, 'l3', 'consistently'),
    ];
    expect(managerReadiness({ targetLevelId: 'l3', questions, managerRatings })).toBe(expected);
  });

  it('is null when the check-in measured against no next level', () => {
    expect(managerReadiness({ targetLevelId: null, questions: [q(0, 'l2')], managerRatings: ['consistently'] })).toBe(
      null,
    );
  });
});

describe('offersProposal', () => {
  it.each<[number | null, number | null, boolean]>([
    [80, null, true],
    [79, null, false],
    [50, 50, true],
    [49, 50, false],
    [100, 100, true],
    [null, 1, false],
  ])('readiness %s, threshold %s → %s', (readiness, threshold, offered) => {
    expect(offersProposal(readiness, threshold)).toBe(offered);
  });
});

describe('caseSteps', () => {
  const base: PromotionCase = {
    id: 1,
    teamId: 'T',
    userId: 'U0BEN',
    proposedBy: 'U0MAYA',
    frameworkId: 'marketing',
    fromLevelId: 'level-2',
    toLevelId: 'level-3',
    checkinId: null,
    managerNote: null,
    personNote: null,
    status: 'draft',
    sentToChannel: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    personNoteAt: null,
    sentAt: null,
    decidedBy: null,
    decidedAt: null,
    since: null,
    decisionNote: null,
  };

  it('a draft has one step; a decided case every step, in order, by whom', () => {
    expect(caseSteps(base).map((s) => s.kind)).toEqual(['proposed']);
    const approved = {
      ...base,
      status: 'approved' as const,
      personNoteAt: '2026-11-02T10:00:00.000Z',
      sentAt: '2026-11-03T10:00:00.000Z',
      decidedBy: 'U0ADMIN',
      decidedAt: '2026-11-04T10:00:00.000Z',
    };
    expect(caseSteps(approved)).toEqual([
      { kind: 'proposed', at: '2026-11-01T10:00:00.000Z', by: 'U0MAYA' },
      { kind: 'person-note', at: '2026-11-02T10:00:00.000Z', by: 'U0BEN' },
      { kind: 'sent', at: '2026-11-03T10:00:00.000Z', by: 'U0BEN' },
      { kind: 'approved', at: '2026-11-04T10:00:00.000Z', by: 'U0ADMIN' },
    ]);
  });
});

describe('ending a case before a decision', () => {
  const c = { userId: 'U0BEN', proposedBy: 'U0MAYA' };
  it.each([
    ['the proposer', 'U0MAYA', false, true],
    ['an admin', 'U0ADMIN', true, true],
    ['the person, even an admin', 'U0BEN', true, false],
    ['anyone else', 'U0CHEN', false, false],
  ] as const)('%s (%s, admin: %s) may withdraw: %s', (_who, caller, admin, allowed) => {
    expect(mayWithdraw(c, caller, admin)).toBe(allowed);
  });

  it('a draft expires 14 days after it was proposed', () => {
    expect(draftExpiryCutOff(new Date('2026-12-15T10:00:00.000Z'))).toBe('2026-12-01T10:00:00.000Z');
  });
});
