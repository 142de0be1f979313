import { describe, expect, it } from 'vitest';
import { type ChangedRecord, digestPlanChanges } from '../../src/growth/digest-plan.js';

const T = 'T0TEAM';
const AT = '2026-01-15T09:00:00.000Z';
const LATER = '2026-02-01T10:00:00.000Z';

const record = (over: Partial<ChangedRecord> = {}): ChangedRecord => ({
  seq: 2,
  teamId: T,
  userId: 'U0LENA',
  managerId: null,
  status: 'active',
  tz: null,
  tzFetchedAt: null,
  nudges: 'dm',
  plan: null,
  ...over,
});
const plan = (over: Partial<NonNullable<ChangedRecord['plan']>> = {}): NonNullable<ChangedRecord['plan']> => ({
  tz: null,
  tzFetchedAt: null,
  nudges: 'dm',
  ...over,
});

describe('which managers a slice of changed records plans', () => {
  it.each<[string, Partial<ChangedRecord>[], string[]]>([
    ['a report makes their manager one', [{ managerId: 'U0MIKE' }], ['U0MIKE']],
    ['a report who left does not', [{ managerId: 'U0MIKE', status: 'left' }], []],
    ['a paused report does', [{ managerId: 'U0MIKE', status: 'paused' }], ['U0MIKE']],
    ['no manager, nobody', [{}], []],
    [
      'each manager once, however many reports changed',
      [
        { userId: 'U0A', managerId: 'U0MIKE' },
        { userId: 'U0B', managerId: 'U0MIKE' },
        { userId: 'U0C', managerId: 'U0NORA' },
      ],
      ['U0MIKE', 'U0NORA'],
    ],
  ])('%s', (_, records, managers) => {
    expect(digestPlanChanges(records.map(record)).managers).toEqual(
      managers.map((managerId) => ({ teamId: T, managerId })),
    );
  });
});

describe("which planned managers' own changes re-plan them", () => {
  it.each<[string, Partial<ChangedRecord>, { tz: string | null; tzFetchedAt: string | null } | null]>([
    ['not a planned manager: nothing', { tz: 'Asia/Tokyo', tzFetchedAt: AT }, null],
    [
      'a zone the plan does not know yet is taken',
      { tz: 'Asia/Tokyo', tzFetchedAt: AT, plan: plan() },
      { tz: 'Asia/Tokyo', tzFetchedAt: AT },
    ],
    [
      'a record that says Slack names no zone is taken too',
      { tz: null, tzFetchedAt: AT, plan: plan() },
      { tz: null, tzFetchedAt: AT },
    ],
    [
      'the same zone, fetched again: nothing',
      { tz: 'Asia/Tokyo', tzFetchedAt: LATER, plan: plan({ tz: 'Asia/Tokyo', tzFetchedAt: AT }) },
      null,
    ],
    [
      'a new zone is taken',
      { tz: 'Europe/Paris', tzFetchedAt: LATER, plan: plan({ tz: 'Asia/Tokyo', tzFetchedAt: AT }) },
      { tz: 'Europe/Paris', tzFetchedAt: LATER },
    ],
    [
      'a zone Slack gave the plan after the record got its own is kept',
      { tz: 'Europe/Paris', tzFetchedAt: AT, plan: plan({ tz: 'Asia/Tokyo', tzFetchedAt: LATER }) },
      null,
    ],
    [
      'a record without a zone leaves the one Slack gave the plan',
      { plan: plan({ tz: 'Asia/Tokyo', tzFetchedAt: LATER }) },
      null,
    ],
    [
      'nudges turned off re-plan, keeping the plan`s zone',
      { nudges: 'off', plan: plan({ tz: 'Asia/Tokyo', tzFetchedAt: LATER }) },
      { tz: 'Asia/Tokyo', tzFetchedAt: LATER },
    ],
    [
      'nudges turned on again re-plan',
      { nudges: 'dm', plan: plan({ nudges: 'off' }) },
      { tz: null, tzFetchedAt: null },
    ],
    [
      'a plan row that never saw the record re-plans once',
      { plan: plan({ nudges: null }) },
      { tz: null, tzFetchedAt: null },
    ],
  ])('%s', (_, over, followed) => {
    const r = record(over);
    expect(digestPlanChanges([r]).follow).toEqual(
      followed === null ? [] : [{ teamId: T, managerId: r.userId, nudges: r.nudges, ...followed }],
    );
  });
});
