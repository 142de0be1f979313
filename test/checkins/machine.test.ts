import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  type CheckinEvent,
  type CheckinState,
  initialState,
  isExpired,
  transition,
} from '../../src/checkins/machine.js';
import type { CheckinRecord } from '../../src/checkins/model.js';

const T0 = '2026-11-29T15:00:00.000Z';
const T1 = '2026-11-29T15:05:00.000Z';
const open = (over: Partial<CheckinState> = {}): CheckinState => ({
  status: 'open',
  version: 3,
  cursor: 2,
  total: 4,
  lastActivityAt: T0,
  ...over,
});

describe('initialState', () => {
  it('opens at the first question, version 1', () => {
    expect(initialState(13, T0)).toEqual({ status: 'open', version: 1, cursor: 0, total: 13, lastActivityAt: T0 });
  });
  it('a check-in with no questions is finished at once', () => {
    expect(initialState(0, T0).status).toBe('finished');
  });
});

describe('transition', () => {
  const cases: [string, CheckinState, CheckinEvent, ReturnType<typeof transition>][] = [
    [
      'an answer with the current version records the current question and moves on',
      open(),
      { kind: 'answer', version: 3, rating: 'sometimes', at: T1 },
      {
        ok: true,
        state: open({ version: 4, cursor: 3, lastActivityAt: T1 }),
        effect: { kind: 'answered', position: 2, rating: 'sometimes', finished: false },
      },
    ],
    [
      'the last answer finishes the check-in',
      open({ cursor: 3 }),
      { kind: 'answer', version: 3, rating: 'skip', at: T1 },
      {
        ok: true,
        state: open({ status: 'finished', version: 4, cursor: 4, lastActivityAt: T1 }),
        effect: { kind: 'answered', position: 3, rating: 'skip', finished: true },
      },
    ],
    [
      'a double click (the same version again) changes nothing',
      open({ version: 4, cursor: 3 }),
      { kind: 'answer', version: 3, rating: 'consistently', at: T1 },
      { ok: false, reason: 'moved-on' },
    ],
    [
      'a click on an old question changes nothing',
      open(),
      { kind: 'answer', version: 1, rating: 'not-yet', at: T1 },
      { ok: false, reason: 'moved-on' },
    ],
    [
      'a finished check-in takes no answer',
      open({ status: 'finished', cursor: 4 }),
      { kind: 'answer', version: 3, rating: 'not-yet', at: T1 },
      { ok: false, reason: 'closed' },
    ],
    [
      'an expired check-in takes no evidence',
      open({ status: 'expired' }),
      { kind: 'evidence', position: 1, at: T1 },
      { ok: false, reason: 'closed' },
    ],
    [
      'evidence for the current question keeps the version (its buttons still work)',
      open(),
      { kind: 'evidence', position: 2, at: T1 },
      { ok: true, state: open({ lastActivityAt: T1 }), effect: { kind: 'evidence', position: 2 } },
    ],
    [
      'evidence for a question already answered is kept',
      open(),
      { kind: 'evidence', position: 0, at: T1 },
      { ok: true, state: open({ lastActivityAt: T1 }), effect: { kind: 'evidence', position: 0 } },
    ],
    [
      'evidence for a question not asked yet is refused',
      open(),
      { kind: 'evidence', position: 3, at: T1 },
      { ok: false, reason: 'no-such-question' },
    ],
    [
      'finish later makes the shown buttons old',
      open(),
      { kind: 'finish-later', version: 3, at: T1 },
      { ok: true, state: open({ version: 4, lastActivityAt: T1 }), effect: { kind: 'paused' } },
    ],
    [
      'finish later from an old message changes nothing',
      open(),
      { kind: 'finish-later', version: 2, at: T1 },
      { ok: false, reason: 'moved-on' },
    ],
    [
      'continue asks the same question again under a new version',
      open(),
      { kind: 'continue', at: T1 },
      { ok: true, state: open({ version: 4, lastActivityAt: T1 }), effect: { kind: 'continued' } },
    ],
    [
      'continue from a button drawn at this version asks again',
      open(),
      { kind: 'continue', version: 3, at: T1 },
      { ok: true, state: open({ version: 4, lastActivityAt: T1 }), effect: { kind: 'continued' } },
    ],
    [
      'a second press of the same continue changes nothing (the question is asked once)',
      open(),
      { kind: 'continue', version: 2, at: T1 },
      { ok: false, reason: 'moved-on' },
    ],
    [
      'start over abandons the open check-in',
      open(),
      { kind: 'start-over', at: T1 },
      { ok: true, state: open({ status: 'abandoned', version: 4 }), effect: { kind: 'abandoned' } },
    ],
    [
      'expire after 14 days without activity',
      open(),
      { kind: 'expire', now: '2026-12-13T15:00:00.000Z', expiryDays: 14 },
      { ok: true, state: open({ status: 'expired', version: 4 }), effect: { kind: 'expired' } },
    ],
    [
      'expire a minute early changes nothing',
      open(),
      { kind: 'expire', now: '2026-12-13T14:59:00.000Z', expiryDays: 14 },
      { ok: false, reason: 'not-due' },
    ],
    [
      'a finished check-in never expires',
      open({ status: 'finished' }),
      { kind: 'expire', now: '2027-12-13T15:00:00.000Z', expiryDays: 14 },
      { ok: false, reason: 'closed' },
    ],
  ];
  it.each(cases)('%s', (_title, state, event, expected) => {
    expect(transition(state, event)).toEqual(expected);
  });

  it('answers every question exactly once, in order', () => {
    let state = initialState(13, T0);
    const positions: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = transition(state, { kind: 'answer', version: state.version, rating: 'sometimes', at: T1 });
      if (!t.ok) break;
      if (t.effect.kind === 'answered') positions.push(t.effect.position);
      state = t.state;
    }
    expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(state.status).toBe('finished');
  });
});

describe('isExpired', () => {
  it.each([
    [13, false],
    [14, true],
    [30, true],
  ])('after %i days: %s', (days, expected) => {
    const now = new Date(Date.parse(T0) + days * 86_400_000).toISOString();
    expect(isExpired(open(), now, 14)).toBe(expected);
  });
});

describe('applyEvent: what an event does to a stored check-in (no database)', () => {
  const T2 = '2026-12-20T09:00:00.000Z';
  const stored = (over: Partial<CheckinRecord> = {}): CheckinRecord => ({
    id: 7,
    teamId: 'T0TEAM',
    userId: 'U0ALICE',
    frameworkId: 'marketing',
    levelId: 'level-2',
    targetLevelId: 'level-3',
    startedAt: T0,
    logSince: null,
    finishedAt: null,
    sharedAt: null,
    sharedWith: null,
    ...open(),
    ...over,
  });
  const cases: [string, CheckinRecord, CheckinEvent, ReturnType<typeof applyEvent<CheckinRecord>>][] = [
    [
      'an answer moves the record on and keeps who and what it is',
      stored(),
      { kind: 'answer', version: 3, rating: 'sometimes', at: T1 },
      {
        transition: {
          ok: true,
          state: open({ version: 4, cursor: 3, lastActivityAt: T1 }),
          effect: { kind: 'answered', position: 2, rating: 'sometimes', finished: false },
        },
        checkin: stored({ version: 4, cursor: 3, lastActivityAt: T1 }),
        at: T1,
      },
    ],
    [
      'the last answer finishes it at the time of the answer',
      stored({ cursor: 3 }),
      { kind: 'answer', version: 3, rating: 'skip', at: T1 },
      {
        transition: {
          ok: true,
          state: open({ status: 'finished', version: 4, cursor: 4, lastActivityAt: T1 }),
          effect: { kind: 'answered', position: 3, rating: 'skip', finished: true },
        },
        checkin: stored({ status: 'finished', version: 4, cursor: 4, lastActivityAt: T1, finishedAt: T1 }),
        at: T1,
      },
    ],
    [
      'a stale click (a version that moved on) is refused and the record is returned as it was',
      stored({ version: 4, cursor: 3 }),
      { kind: 'answer', version: 3, rating: 'consistently', at: T1 },
      { transition: { ok: false, reason: 'moved-on' }, checkin: stored({ version: 4, cursor: 3 }) },
    ],
    [
      'evidence keeps the version, so the buttons on screen stay good',
      stored(),
      { kind: 'evidence', position: 1, at: T1 },
      {
        transition: { ok: true, state: open({ lastActivityAt: T1 }), effect: { kind: 'evidence', position: 1 } },
        checkin: stored({ lastActivityAt: T1 }),
        at: T1,
      },
    ],
    [
      'expiry happens at `now`, and leaves the last activity where it was',
      stored(),
      { kind: 'expire', now: T2, expiryDays: 14 },
      {
        transition: { ok: true, state: open({ status: 'expired', version: 4 }), effect: { kind: 'expired' } },
        checkin: stored({ status: 'expired', version: 4 }),
        at: T2,
      },
    ],
    [
      'a finished check-in takes nothing more',
      stored({ status: 'finished', cursor: 4, finishedAt: T1 }),
      { kind: 'continue', at: T2 },
      {
        transition: { ok: false, reason: 'closed' },
        checkin: stored({ status: 'finished', cursor: 4, finishedAt: T1 }),
      },
    ],
  ];
  it.each(cases)('%s', (_title, before, event, expected) => {
    const snapshot = structuredClone(before);
    expect(applyEvent(before, event)).toEqual(expected);
    // Pure: the record it was given is left as it was.
    expect(before).toEqual(snapshot);
  });
});

describe('change: another answer to a question already answered', () => {
  const change = { kind: 'change', position: 1, rating: 'skip', at: T1 } as const;
  it.each([
    ['an open check-in, a question before the cursor', open({ cursor: 3 }), true],
    ['an open check-in, the question being asked', open({ cursor: 1 }), false],
    ['a finished check-in', open({ status: 'finished', cursor: 13, total: 13 }), true],
    ['an expired check-in', open({ status: 'expired', cursor: 3 }), false],
    ['an abandoned check-in', open({ status: 'abandoned', cursor: 3 }), false],
  ])('%s: changes = %s', (_name, state, changes) => {
    const t = transition(state, change);
    expect(t.ok).toBe(changes);
    if (t.ok) {
      expect(t.effect).toEqual({ kind: 'changed', position: 1, rating: 'skip' });
      // The question being asked keeps its buttons.
      expect(t.state.version).toBe(state.version);
      expect(t.state.cursor).toBe(state.cursor);
    }
  });

  it('keeps a finished check-in’s finish time', () => {
    const finished = { ...open({ status: 'finished', cursor: 13, total: 13 }), finishedAt: T0 };
    const outcome = applyEvent(finished, change);
    expect(outcome.transition.ok).toBe(true);
    expect(outcome.checkin.finishedAt).toBe(T0);
    expect(outcome.checkin.status).toBe('finished');
  });
});
