import { describe, expect, it } from 'vitest';
import type { PromotionWindow } from '../../src/career/window.js';
import type { Framework } from '../../src/frameworks/schema.js';
import {
  aggregate,
  channelPostDue,
  digestCheck,
  digestDue,
  earliestDeliveryAnywhere,
  growthPrompt,
  MAX_TEAM_EXAMPLES,
  MIN_AGGREGATE,
  monthOf,
  shown,
  slotsBetween,
  weekKey,
  weekStart,
} from '../../src/growth/weekly.js';
import { DEFAULT_DELIVERY } from '../../src/reminders/schedule.js';

describe('weeks', () => {
  it.each([
    ['2026-06-15T00:30:00Z', 'UTC', '2026-W25', '2026-06-15'],
    // Still Sunday 14 June in New York: the week before.
    ['2026-06-15T00:30:00Z', 'America/New_York', '2026-W24', '2026-06-08'],
    // Already Monday in Tokyo when it is Sunday in UTC.
    ['2026-06-14T20:00:00Z', 'Asia/Tokyo', '2026-W25', '2026-06-15'],
    // ISO weeks across a new year: 1 January 2027 is a Friday, in 2026's week 53.
    ['2027-01-01T12:00:00Z', 'UTC', '2026-W53', '2026-12-28'],
    ['2027-01-04T12:00:00Z', null, '2027-W01', '2027-01-04'],
  ])('%s in %s is %s, starting %s', (instant, tz, week, monday) => {
    expect(weekKey(new Date(instant), tz)).toBe(week);
    expect(weekStart(new Date(instant), tz)).toBe(monday);
  });
});

describe('the weekly channel post', () => {
  const slot = { weekday: 5, time: '10:00', tz: 'Europe/Paris' };

  it.each([
    ['2026-06-19T07:59:00Z', false], // Friday 09:59 in Paris (CEST)
    ['2026-06-19T08:00:00Z', true], // Friday 10:00
    ['2026-06-19T08:59:00Z', true], // Friday 10:59: still on time
    ['2026-06-19T14:00:00Z', true], // Friday 16:00: a catch-up inside delivery hours
    ['2026-06-19T21:00:00Z', false], // Friday 23:00: missed, and it is night: not now
    ['2026-06-21T21:00:00Z', false], // Sunday 23:00: not a delivery day, and night
    ['2026-06-22T08:00:00Z', false], // Monday: a new week, its Friday not yet come
  ])('at %s is due: %s', (now, due) => {
    expect(channelPostDue(new Date(now), slot).due).toBe(due);
  });

  it('follows the local clock across a DST change (10:00 in Paris is 09:00 UTC in winter)', () => {
    expect(channelPostDue(new Date('2026-11-06T09:00:00Z'), slot)).toMatchObject({
      week: '2026-W45',
      at: new Date('2026-11-06T09:00:00Z'),
      due: true,
    });
  });

  it('lists the slots in the next 7 days', () => {
    expect(slotsBetween(new Date('2026-06-17T00:00:00Z'), 7, slot)).toEqual([new Date('2026-06-19T08:00:00Z')]);
    expect(slotsBetween(new Date('2026-06-19T08:00:01Z'), 7, slot)).toEqual([new Date('2026-06-26T08:00:00Z')]);
    expect(slotsBetween(new Date('2026-06-19T08:00:01Z'), 6, slot)).toEqual([]);
  });
});

describe('the manager digest', () => {
  it.each([
    // Monday 10:00 in the manager's zone, with REMINDER_HOURS 10-17 and mon-fri.
    ['2026-06-15T00:59:00Z', 'Asia/Tokyo', false],
    ['2026-06-15T01:00:00Z', 'Asia/Tokyo', true],
    ['2026-06-15T13:59:00Z', 'America/New_York', false],
    ['2026-06-15T14:00:00Z', 'America/New_York', true],
    ['2026-06-17T14:00:00Z', 'America/New_York', true],
    // Later in the week after downtime: due, but only inside working hours.
    ['2026-06-17T03:00:00Z', 'America/New_York', false],
    ['2026-06-20T14:00:00Z', 'America/New_York', false], // Saturday
  ])('at %s in %s is due: %s', (now, tz, due) => {
    expect(digestDue(new Date(now), tz, DEFAULT_DELIVERY).due).toBe(due);
  });

  it('waits for the first delivery day of the week', () => {
    const wednesdays = { hours: { start: 9, end: 12 }, days: [3] as const };
    expect(digestDue(new Date('2026-06-16T10:00:00Z'), 'UTC', { ...wednesdays, days: [3] }).due).toBe(false);
    expect(digestDue(new Date('2026-06-17T09:00:00Z'), 'UTC', { ...wednesdays, days: [3] })).toMatchObject({
      week: '2026-W25',
      due: true,
    });
  });
});

function framework(id: string, levels: [focus: string, expectations: string[]][]): Framework {
  return {
    id,
    name: id,
    levels: levels.map(([focus, expectations], i) => ({
      number: i + 1,
      id: `${id}-${i + 1}`,
      titles: [`${id} ${i + 1}`],
      focus,
      expectations: expectations.map((text, j) => ({ id: `e${j}`, text })),
    })),
  } as unknown as Framework;
}

describe('the growth prompt', () => {
  const frameworks = [
    framework('marketing', [
      ['Learning', ['m1a', 'm1b']],
      ['Results', ['m2a']],
    ]),
    framework('engineering', [['Craft', ['e1a', 'e1b', 'e1c']]]),
  ];

  it.each([
    // One example per team, in id order; each team's levels in turn, their expectations the next round.
    [
      '2026-06-15',
      [
        ['engineering', 'e1c'],
        ['marketing', 'm2a'],
      ],
    ],
    [
      '2026-06-22',
      [
        ['engineering', 'e1a'],
        ['marketing', 'm1b'],
      ],
    ],
    [
      '2026-06-29',
      [
        ['engineering', 'e1b'],
        ['marketing', 'm2a'],
      ],
    ],
    [
      '2026-07-06',
      [
        ['engineering', 'e1c'],
        ['marketing', 'm1a'],
      ],
    ],
  ])('the week of %s gives every team an example: %j', (monday, expected) => {
    const prompt = growthPrompt(frameworks, monday);
    expect(prompt?.examples.map((e) => [e.framework.id, e.expectation])).toEqual(expected);
  });

  it('with more teams than a post shows, the teams shown rotate, and all are shown within a few weeks', () => {
    const many = Array.from({ length: 8 }, (_, i) => framework(`team-${i}`, [['Focus', [`x${i}`]]]));
    const seen = new Set<string>();
    for (const monday of ['2026-06-15', '2026-06-22', '2026-06-29', '2026-07-06']) {
      const examples = growthPrompt(many, monday)?.examples ?? [];
      expect(examples).toHaveLength(MAX_TEAM_EXAMPLES);
      for (const e of examples) seen.add(e.framework.id);
    }
    expect(seen.size).toBe(8);
  });

  it('is null without any expectations', () => {
    expect(growthPrompt([], '2026-06-15')).toBeNull();
  });
});

describe('aggregates', () => {
  const open = (opensOn: string, closesOn: string | null): PromotionWindow => ({
    phase: 'open',
    opensOn,
    closesOn,
    pausedDays: 0,
    progress: 0.5,
    daysUntilOpen: 0,
    daysUntilClose: null,
  });

  it('counts windows open at some point this month and those opening within four weeks', () => {
    const windows = [
      open('2026-05-01', '2026-06-01'), // closes on the first of the month: counted
      open('2026-06-30', null), // opens on the last day: counted
      open('2026-01-01', '2026-05-31'), // closed before the month: not counted
      open('2026-07-10', '2026-12-31'), // opens in 3 weeks
      { phase: 'none', pausedDays: 0 } as PromotionWindow,
    ];
    expect(aggregate(windows, '2026-06-18')).toEqual({ openThisMonth: 2, openingSoon: 2 });
  });

  it(`shows a count only from ${MIN_AGGREGATE} people`, () => {
    expect([0, 1, 2, 3, 4].map(shown)).toEqual([null, null, null, 3, 4]);
  });

  it.each([
    ['2026-02-10', '2026-02-01', '2026-02-28'],
    ['2028-02-29', '2028-02-01', '2028-02-29'],
    ['2026-12-31', '2026-12-01', '2026-12-31'],
  ])('the month of %s runs %s to %s', (today, first, last) => {
    expect(monthOf(today)).toEqual({ first, last });
  });
});

describe('digestCheck', () => {
  const never = () => false;
  it.each([
    // [now, zone, what the plan does]
    ['2026-08-02T12:00:00Z', 'Europe/London', 'wait 2026-08-03T09:00:00.000Z'], // Sunday: Monday 10:00 local
    ['2026-08-03T09:00:00Z', 'Europe/London', 'send 2026-W32'],
    ['2026-08-03T15:30:00Z', 'Europe/London', 'send 2026-W32'], // a catch-up, still inside hours (16:30)
    ['2026-08-03T21:00:00Z', 'Europe/London', 'wait 2026-08-04T09:00:00.000Z'], // at night: the next morning
    ['2026-08-02T20:00:00Z', 'Pacific/Kiritimati', 'send 2026-W32'],
    ['2026-08-03T01:00:00Z', 'Asia/Tokyo', 'send 2026-W32'],
  ])('at %s in %s: %s', (now, tz, expected) => {
    const check = digestCheck(new Date(now), tz, DEFAULT_DELIVERY, never);
    expect(check.action === 'send' ? `send ${check.week}` : `wait ${check.until.toISOString()}`).toBe(expected);
  });

  it("waits for next week's digest once this week's is taken", () => {
    const check = digestCheck(new Date('2026-08-03T09:00:00Z'), 'Europe/London', DEFAULT_DELIVERY, () => true);
    expect(check).toEqual({ action: 'wait', until: new Date('2026-08-10T09:00:00.000Z') });
  });
});

describe('earliestDeliveryAnywhere', () => {
  it.each([
    ['2026-08-01T12:00:00Z', '2026-08-02T20:00:00.000Z'], // Saturday: Monday 10:00 at UTC+14
    ['2026-08-05T03:00:00Z', '2026-08-05T03:00:00.000Z'], // a Wednesday: somewhere is at work now
  ])('at %s: %s', (now, expected) => {
    expect(earliestDeliveryAnywhere(new Date(now), DEFAULT_DELIVERY).toISOString()).toBe(expected);
  });
});
