import { describe, expect, it } from 'vitest';
import type { PauseSpan, WindowTimeframe } from '../../src/career/window.js';
import {
  DEFAULT_DELIVERY,
  DEFAULT_POLICY,
  type DeliverySchedule,
  isDeliveryTime,
  localDate,
  nextDeliveryInstant,
  nextPromptOn,
  nextReminder,
  parseDays,
  parseHours,
  upcomingReminders,
} from '../../src/reminders/schedule.js';

const sixToTwelve: WindowTimeframe = { min: 6, max: 12 };

interface Case {
  title: string;
  since: string;
  timeframe: WindowTimeframe | null;
  pauses?: PauseSpan[];
  today: string;
  sent?: string[];
  lastPromptOn?: string;
  lastCheckinOn?: string;
  expected: { kind: string; on: string } | null;
}

describe('nextReminder', () => {
  const cases: Case[] = [
    // since 2026-01-15 at 6–12 months: window 2026-07-15 to 2027-01-15, heads-up 28 days before.
    {
      title: 'months ahead: the heads-up, 4 weeks before the window',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-04-15',
      expected: { kind: 'heads-up', on: '2026-06-17' },
    },
    {
      title: 'the heads-up is due on its day',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-06-17',
      expected: { kind: 'heads-up', on: '2026-06-17' },
    },
    {
      title: 'after the heads-up: the opening',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-06-20',
      sent: ['heads-up'],
      expected: { kind: 'open', on: '2026-07-15' },
    },
    {
      title: 'first seen inside the window: "open", not the missed heads-up',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-07-20',
      expected: { kind: 'open', on: '2026-07-15' },
    },
    {
      title: 'first seen weeks into the window: the opening, late, once',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-09-10',
      expected: { kind: 'open', on: '2026-07-15' },
    },
    {
      title: 'after the opening: a check-in prompt 6 weeks later',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-07-15',
      sent: ['heads-up', 'open'],
      expected: { kind: 'checkin-1', on: '2026-08-26' },
    },
    {
      title: 'two prompts missed while down: one, late, not one per missed cycle',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-10-20',
      sent: ['open'],
      expected: { kind: 'checkin-1', on: '2026-08-26' },
    },
    {
      title: 'no check-in after the window closes: the last is checkin-4',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-12-31',
      sent: ['open', 'checkin-4'],
      expected: { kind: 'past', on: '2027-01-16' },
    },
    {
      title: 'past the window, nothing sent: "past" only',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2027-01-16',
      expected: { kind: 'past', on: '2027-01-16' },
    },
    {
      title: 'past the window and told: nothing more',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2027-03-01',
      sent: ['open', 'past'],
      expected: null,
    },
    {
      title: 'no timeframe (top of a track): nothing',
      since: '2026-01-15',
      timeframe: null,
      today: '2026-07-20',
      expected: null,
    },
    // Month ends and leap years come from addMonths, which clamps to the end of a shorter month.
    {
      title: 'Jan 31 + 1 month opens Feb 28; within the lead of since, so no heads-up',
      since: '2026-01-31',
      timeframe: { min: 1, max: 2 },
      today: '2026-01-31',
      expected: { kind: 'open', on: '2026-02-28' },
    },
    {
      title: 'Jan 31 2024 + 1 month opens on leap day',
      since: '2024-01-31',
      timeframe: { min: 1, max: 3 },
      today: '2024-02-29',
      expected: { kind: 'open', on: '2024-02-29' },
    },
    {
      title: 'from leap day, 12 months opens Feb 28; heads-up Jan 31',
      since: '2024-02-29',
      timeframe: { min: 12, max: 24 },
      today: '2024-06-01',
      expected: { kind: 'heads-up', on: '2025-01-31' },
    },
    {
      title: 'a window of 0 months opens the day the level is reached',
      since: '2026-01-15',
      timeframe: { min: 0, max: 6 },
      today: '2026-01-15',
      expected: { kind: 'open', on: '2026-01-15' },
    },
    // Pauses push the window later by the days away.
    {
      title: 'a 30-day pause moves the heads-up 30 days',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      pauses: [{ start: '2026-03-01', end: '2026-03-31' }],
      today: '2026-05-01',
      expected: { kind: 'heads-up', on: '2026-07-17' },
    },
    {
      title: 'a pause that started before since does not count',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      pauses: [{ start: '2025-12-01', end: '2026-01-10' }],
      today: '2026-05-01',
      expected: { kind: 'heads-up', on: '2026-06-17' },
    },
    // A finished check-in counts as the prompt: the next one comes six weeks after it.
    {
      title: 'a check-in 4 days after the opening: no prompt until six weeks after the check-in',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-07-20',
      sent: ['heads-up', 'open'],
      lastPromptOn: '2026-07-15',
      lastCheckinOn: '2026-07-19',
      expected: { kind: 'checkin-1', on: '2026-08-30' },
    },
    {
      title: 'a check-in a week before the window opens: the opening waits six weeks after it',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-07-09',
      sent: ['heads-up'],
      lastCheckinOn: '2026-07-08',
      expected: { kind: 'open', on: '2026-08-19' },
    },
    {
      title: 'a check-in long before the window: the opening on its day',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-06-20',
      sent: ['heads-up'],
      lastCheckinOn: '2026-03-01',
      expected: { kind: 'open', on: '2026-07-15' },
    },
    {
      title: 'a check-in in the last weeks: no prompt before the window closes, then "past" on its day',
      since: '2026-01-15',
      timeframe: sixToTwelve,
      today: '2026-12-20',
      sent: ['open', 'checkin-3'],
      lastPromptOn: '2026-11-18',
      lastCheckinOn: '2026-12-10',
      expected: { kind: 'past', on: '2027-01-16' },
    },
    // Open-ended ("2+ years"): check-ins keep coming, never "past".
    {
      title: 'open-ended: opens after the minimum',
      since: '2026-01-15',
      timeframe: { min: 24 },
      today: '2027-01-01',
      expected: { kind: 'heads-up', on: '2027-12-18' },
    },
    {
      title: 'open-ended, years in: the next prompt, never past',
      since: '2026-01-15',
      timeframe: { min: 24 },
      today: '2030-01-01',
      sent: ['open'],
      lastPromptOn: '2029-12-20',
      expected: { kind: 'checkin-17', on: '2030-01-31' },
    },
    {
      title: 'open-ended, that check-in sent: the next one',
      since: '2026-01-15',
      timeframe: { min: 24 },
      today: '2030-01-01',
      sent: ['open', 'checkin-17'],
      expected: { kind: 'checkin-18', on: '2030-02-09' },
    },
  ];
  it.each(cases)('$title', ({ since, timeframe, pauses, today, sent, lastPromptOn, lastCheckinOn, expected }) => {
    const next = nextReminder({
      since,
      timeframe,
      pauses: pauses ?? [],
      today,
      sent: new Set(sent ?? []),
      lastPromptOn: lastPromptOn ?? null,
      lastCheckinOn: lastCheckinOn ?? null,
    });
    expect(next === null ? null : { kind: next.kind, on: next.on }).toEqual(expected);
  });

  it('someone first seen inside their window hears "open" once, then a prompt six weeks after it', () => {
    const base = { since: '2026-01-15' as const, timeframe: sixToTwelve, pauses: [] };
    const first = nextReminder({ ...base, today: '2026-10-10', sent: new Set() });
    expect(first).toMatchObject({ kind: 'open', stage: 'open', on: '2026-07-15' });
    // Sent on 10 October: the next day brings nothing stale, the next prompt is six weeks after it.
    const next = nextReminder({ ...base, today: '2026-10-11', sent: new Set(['open']), lastPromptOn: '2026-10-10' });
    expect(next).toMatchObject({ kind: 'checkin-3', stage: 'checkin', on: '2026-11-21' });
  });

  it('a key is never reused: a pause that moves the window does not bring back a cycle already sent', () => {
    const next = nextReminder({
      since: '2026-01-15',
      timeframe: sixToTwelve,
      pauses: [{ start: '2026-09-01', end: '2026-09-21' }], // opens 20 days later: 2026-08-04
      today: '2026-10-20',
      sent: new Set(['open', 'checkin-1']),
      lastPromptOn: '2026-08-26',
    });
    expect(next).toMatchObject({ kind: 'checkin-2', on: '2026-10-07' });
  });

  it('carries the window dates for the message', () => {
    const next = nextReminder({
      since: '2026-01-15',
      timeframe: sixToTwelve,
      pauses: [],
      today: '2026-04-15',
      sent: new Set(),
    });
    expect(next).toMatchObject({ stage: 'heads-up', opensOn: '2026-07-15', closesOn: '2027-01-15' });
  });
});

describe('nextPromptOn: the check-in prompt policy', () => {
  const opensOn = '2026-07-15';
  it.each([
    { title: 'nothing yet: the day the window opens', lastPromptOn: null, lastCheckinOn: null, expected: '2026-07-15' },
    {
      title: 'six weeks after the last prompt',
      lastPromptOn: '2026-07-15',
      lastCheckinOn: null,
      expected: '2026-08-26',
    },
    {
      title: 'six weeks after a later check-in',
      lastPromptOn: '2026-07-15',
      lastCheckinOn: '2026-08-22',
      expected: '2026-10-03',
    },
    {
      title: 'a check-in before the last prompt changes nothing',
      lastPromptOn: '2026-08-26',
      lastCheckinOn: '2026-08-01',
      expected: '2026-10-07',
    },
    {
      title: 'a check-in long before the window: the opening day',
      lastPromptOn: null,
      lastCheckinOn: '2026-01-20',
      expected: '2026-07-15',
    },
    {
      title: 'a check-in just before the window: six weeks after it',
      lastPromptOn: null,
      lastCheckinOn: '2026-07-10',
      expected: '2026-08-21',
    },
  ] as const)('$title', ({ lastPromptOn, lastCheckinOn, expected }) => {
    expect(nextPromptOn({ opensOn, lastPromptOn, lastCheckinOn }, DEFAULT_POLICY.checkinEveryDays)).toBe(expected);
  });
});

describe("upcomingReminders: the engine's rule, a step at a time", () => {
  it('lists the prompts six weeks after the last check-in, not counted from the opening', () => {
    const upcoming = upcomingReminders({
      since: '2026-01-15',
      timeframe: sixToTwelve,
      pauses: [],
      today: '2026-07-20',
      sent: new Set(['heads-up', 'open']),
      lastPromptOn: '2026-07-15',
      lastCheckinOn: '2026-07-19',
    });
    expect(upcoming.map((u) => [u.kind, u.on])).toEqual([
      ['checkin-1', '2026-08-30'],
      ['checkin-2', '2026-10-11'],
      ['checkin-3', '2026-11-22'],
      ['checkin-4', '2027-01-03'],
      ['past', '2027-01-16'],
    ]);
  });
});

const weekdays10to17 = DEFAULT_DELIVERY;
const everyDay2to5: DeliverySchedule = { hours: { start: 2, end: 5 }, days: [1, 2, 3, 4, 5, 6, 7] };

describe('nextDeliveryInstant', () => {
  const cases: {
    title: string;
    from: string;
    tz: string | null;
    schedule?: DeliverySchedule;
    notBefore?: string;
    expected: string;
  }[] = [
    {
      title: 'Tokyo, Monday 09:00: at 10:00 the same morning',
      from: '2026-11-30T00:00:00Z',
      tz: 'Asia/Tokyo',
      expected: '2026-11-30T01:00:00.000Z',
    },
    {
      title: 'inside the hours: now',
      from: '2026-12-02T12:30:00Z',
      tz: 'Europe/London',
      expected: '2026-12-02T12:30:00.000Z',
    },
    {
      title: 'end hour is excluded: 17:00 London Wednesday waits for Thursday 10:00',
      from: '2026-12-02T17:00:00Z',
      tz: 'Europe/London',
      expected: '2026-12-03T10:00:00.000Z',
    },
    // The same instant (Sunday 15:00 UTC) is already Monday east of the date line, still Sunday west of it.
    {
      title: 'Kiritimati (UTC+14), already Monday 05:00: Monday 10:00 local',
      from: '2026-11-29T15:00:00Z',
      tz: 'Pacific/Kiritimati',
      expected: '2026-11-29T20:00:00.000Z',
    },
    {
      title: 'Pago Pago (UTC−11), still Sunday 04:00: Monday 10:00 local',
      from: '2026-11-29T15:00:00Z',
      tz: 'Pacific/Pago_Pago',
      expected: '2026-11-30T21:00:00.000Z',
    },
    {
      title: 'New York, Friday 17:00 EST before spring forward: Monday 10:00 EDT',
      from: '2026-03-06T22:00:00Z',
      tz: 'America/New_York',
      expected: '2026-03-09T14:00:00.000Z',
    },
    {
      title: 'New York, Friday 17:00 EDT before fall back: Monday 10:00 EST',
      from: '2026-10-30T21:00:00Z',
      tz: 'America/New_York',
      expected: '2026-11-02T15:00:00.000Z',
    },
    {
      title: 'a start hour skipped by spring forward: the first instant after it',
      from: '2026-03-08T05:00:00Z',
      tz: 'America/New_York',
      schedule: everyDay2to5,
      expected: '2026-03-08T07:00:00.000Z',
    },
    {
      title: 'not before a local day: a Saturday waits for Monday',
      from: '2026-12-01T12:00:00Z',
      tz: 'UTC',
      notBefore: '2026-12-05',
      expected: '2026-12-07T10:00:00.000Z',
    },
    {
      title: 'not before a local day already past: no effect',
      from: '2026-12-01T12:00:00Z',
      tz: 'UTC',
      notBefore: '2026-11-01',
      expected: '2026-12-01T12:00:00.000Z',
    },
    {
      title: 'not before, east of the date line: that local day at 10:00',
      from: '2026-11-30T12:00:00Z',
      tz: 'Pacific/Kiritimati',
      notBefore: '2026-12-02',
      expected: '2026-12-01T20:00:00.000Z',
    },
    { title: 'no time zone: UTC', from: '2026-11-29T15:00:00Z', tz: null, expected: '2026-11-30T10:00:00.000Z' },
    {
      title: 'an unknown zone: UTC',
      from: '2026-11-29T15:00:00Z',
      tz: 'Mars/Olympus',
      expected: '2026-11-30T10:00:00.000Z',
    },
  ];
  it.each(cases)('$title', ({ from, tz, schedule, notBefore, expected }) => {
    expect(nextDeliveryInstant(new Date(from), tz, schedule ?? weekdays10to17, notBefore).toISOString()).toBe(expected);
  });

  it('the instant it gives is always a delivery time, for every hour of a DST week in three zones', () => {
    for (const tz of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Pacific/Chatham']) {
      for (let h = 0; h < 24 * 8; h++) {
        const from = new Date(Date.parse('2026-03-05T00:00:00Z') + h * 3_600_000);
        const at = nextDeliveryInstant(from, tz, weekdays10to17);
        expect(isDeliveryTime(at, tz, weekdays10to17)).toBe(true);
        expect(at.getTime()).toBeGreaterThanOrEqual(from.getTime());
      }
    }
  });
});

describe('isDeliveryTime and localDate', () => {
  it.each([
    ['2026-12-02T16:59:00Z', 'Europe/London', true],
    ['2026-12-02T17:00:00Z', 'Europe/London', false],
    ['2026-12-02T09:59:00Z', 'Europe/London', false],
    ['2026-12-05T12:00:00Z', 'Europe/London', false], // Saturday
    ['2026-11-29T21:00:00Z', 'Pacific/Kiritimati', true], // Monday 11:00 there, Sunday in UTC
  ] as const)('%s in %s: %s', (at, tz, expected) => {
    expect(isDeliveryTime(new Date(at), tz, weekdays10to17)).toBe(expected);
  });

  it.each([
    ['Pacific/Kiritimati', '2026-11-30'],
    ['Pacific/Pago_Pago', '2026-11-29'],
    [null, '2026-11-29'],
  ] as const)('2026-11-29T15:00Z is %s local day %s', (tz, expected) => {
    expect(localDate(new Date('2026-11-29T15:00:00Z'), tz)).toBe(expected);
  });
});

describe('parseHours and parseDays', () => {
  it.each([
    ['10-17', { start: 10, end: 17 }],
    [' 9 - 18 ', { start: 9, end: 18 }],
    ['0-24', { start: 0, end: 24 }],
  ])('hours %j', (text, value) => {
    expect(parseHours(text)).toEqual({ ok: true, value });
  });
  it.each(['17-10', '10-10', '10', '9am-5pm', '0-25', '24-24'])('refuses hours %j', (text) => {
    expect(parseHours(text).ok).toBe(false);
  });
  it.each([
    ['mon-fri', [1, 2, 3, 4, 5]],
    ['mon-sun', [1, 2, 3, 4, 5, 6, 7]],
    ['mon,wed,fri', [1, 3, 5]],
    ['Mon-Wed, Fri', [1, 2, 3, 5]],
    ['fri-mon', [1, 5, 6, 7]],
    ['sunday', [7]],
  ])('days %j', (text, value) => {
    expect(parseDays(text)).toEqual({ ok: true, value });
  });
  it.each(['', 'weekdays', 'mon-', 'mon;tue', 'mo-fr'])('refuses days %j', (text) => {
    expect(parseDays(text).ok).toBe(false);
  });
});
