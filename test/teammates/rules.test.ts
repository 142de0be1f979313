import { describe, expect, it } from 'vitest';
import {
  type CoreFields,
  historyDiff,
  nextCoreFields,
  titleAfter,
  whyNotEndPause,
  whyNotPause,
  whyNotResume,
} from '../../src/teammates/rules.js';

/** The teammate rules the store applies between loading and saving: no database here. */

const ALICE = 'U0ALICE';
const record: CoreFields = {
  frameworkId: 'marketing',
  levelId: 'strategist',
  since: '2026-01-15',
  managerId: 'U0MANAGER',
  title: 'Head of Content',
};

describe('the history diff of a change', () => {
  it('from nothing, every field that is set, in the order the rows are written', () => {
    const next = nextCoreFields(null, { frameworkId: 'marketing', levelId: 'strategist', since: '2026-01-15' });
    expect(historyDiff(null, next)).toEqual([
      { field: 'framework', from: null, to: 'marketing' },
      { field: 'level', from: null, to: 'strategist' },
      { field: 'since', from: null, to: '2026-01-15' },
    ]);
  });

  it('only the fields that differ, from → to, framework before level before since before manager before title', () => {
    const next = nextCoreFields(record, {
      frameworkId: 'engineering',
      levelId: 'software-engineer-ii',
      since: '2026-03-01',
      managerId: 'U0OTHER',
    });
    expect(historyDiff(record, next)).toEqual([
      { field: 'framework', from: 'marketing', to: 'engineering' },
      { field: 'level', from: 'strategist', to: 'software-engineer-ii' },
      { field: 'since', from: '2026-01-15', to: '2026-03-01' },
      { field: 'manager', from: 'U0MANAGER', to: 'U0OTHER' },
      { field: 'title', from: 'Head of Content', to: null },
    ]);
  });

  it('nothing when nothing changed: the same fields, no manager given', () => {
    const next = nextCoreFields(record, { frameworkId: 'marketing', levelId: 'strategist', since: '2026-01-15' });
    expect(next).toEqual(record);
    expect(historyDiff(record, next)).toEqual([]);
  });

  it.each([
    ['kept when no manager is given', undefined, 'U0MANAGER', []],
    ['removed when null is given', null, null, [{ field: 'manager', from: 'U0MANAGER', to: null }]],
    ['replaced when one is given', 'U0NEW', 'U0NEW', [{ field: 'manager', from: 'U0MANAGER', to: 'U0NEW' }]],
  ] as const)('the manager is %s', (_, managerId, after, diff) => {
    const next = nextCoreFields(record, { ...record, title: undefined, managerId });
    expect(next.managerId).toBe(after);
    expect(historyDiff(record, next)).toEqual(diff);
  });
});

describe('a title belongs to its level', () => {
  it.each([
    [
      'the title asked for, on any level',
      { levelId: 'coordinator', title: 'Social Media Marketer' },
      'Social Media Marketer',
    ],
    ['none when asked for none', { levelId: 'strategist', title: null }, null],
    ['the own title while the level stays the same', { levelId: 'strategist' }, 'Head of Content'],
    ['none on another level', { levelId: 'coordinator' }, null],
    ['none on the same level id in another framework', { frameworkId: 'sales', levelId: 'strategist' }, null],
  ] as const)('%s', (_, change, title) => {
    expect(titleAfter(record, { frameworkId: 'marketing', since: '2026-01-15', ...change })).toBe(title);
  });

  it('none for a new record that asks for none', () => {
    expect(titleAfter(null, { frameworkId: 'marketing', levelId: 'strategist', since: '2026-01-15' })).toBeNull();
  });
});

describe('the pause rules', () => {
  const active = { userId: ALICE, status: 'active' as const, lastPauseEnd: null, start: '2026-03-01' };

  it('an active person with no earlier pause may pause', () => {
    expect(whyNotPause(active)).toBeNull();
  });

  it.each([
    ['pausing twice', { status: 'paused' }, 'already-paused', `${ALICE} is already paused; resume first`],
    ['pausing someone who left', { status: 'left' }, 'has-left', `${ALICE} has left; nothing to pause`],
    [
      'overlapping an earlier pause',
      { lastPauseEnd: '2026-03-05' },
      'overlapping-pause',
      'a pause starting 2026-03-01 would overlap the previous one, which ended 2026-03-05',
    ],
  ] as const)('refuses %s', (_, state, conflict, message) => {
    expect(whyNotPause({ ...active, ...state })).toEqual({ conflict, message });
  });

  it('a pause may start on the day the previous one ended', () => {
    expect(whyNotPause({ ...active, lastPauseEnd: '2026-03-01' })).toBeNull();
  });

  it.each([
    ['active', { conflict: 'not-paused', message: `${ALICE} is not paused` }],
    ['left', { conflict: 'not-paused', message: `${ALICE} is not paused` }],
    ['paused', null],
  ] as const)('resuming when %s', (status, refusal) => {
    expect(whyNotResume({ userId: ALICE, status })).toEqual(refusal);
  });

  it.each([
    ['2026-02-28', 'the first day back (2026-02-28) cannot be before the first day away (2026-03-01)'],
    ['2026-03-01', null],
    ['2026-03-08', null],
  ])('ending a pause that began 2026-03-01 with %s as the first day back', (on, message) => {
    expect(whyNotEndPause('2026-03-01', on)).toEqual(
      message === null ? null : { conflict: 'resume-before-pause', message },
    );
  });
});
