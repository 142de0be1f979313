import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  formatDuration,
  isValidTimeZone,
  parseIsoDate,
  todayIn,
  utcDateOf,
} from '../../src/career/dates.js';

describe('parseIsoDate', () => {
  it.each(['2026-01-15', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31'])('accepts %s', (s) => {
    expect(parseIsoDate(s)).toEqual({ ok: true, date: s });
  });

  it.each([
    ['', 'expected a date as YYYY-MM-DD (such as 2026-01-15), got ""'],
    ['2026-2-3', 'expected a date as YYYY-MM-DD (such as 2026-01-15), got "2026-2-3"'],
    [' 2026-01-15', 'expected a date as YYYY-MM-DD (such as 2026-01-15), got " 2026-01-15"'],
    ['2026-01-15T00:00:00Z', 'expected a date as YYYY-MM-DD (such as 2026-01-15), got "2026-01-15T00:00:00Z"'],
    ['26-01-15', 'expected a date as YYYY-MM-DD (such as 2026-01-15), got "26-01-15"'],
    ['2026-02-30', '2026-02-30 is not a date: February 2026 has 28 days'],
    ['2026-02-29', '2026-02-29 is not a date: February 2026 has 28 days'],
    ['1900-02-29', '1900-02-29 is not a date: February 1900 has 28 days'],
    ['2026-04-31', '2026-04-31 is not a date: April 2026 has 30 days'],
    ['2026-01-00', '2026-01-00 is not a date: January 2026 has 31 days'],
    ['2026-13-01', '2026-13-01 is not a date: the month must be 01 to 12'],
    ['2026-00-10', '2026-00-10 is not a date: the month must be 01 to 12'],
    ['0000-01-01', '0000-01-01 is not a date: the year must be 0001 or later'],
  ])('refuses %j', (s, error) => {
    expect(parseIsoDate(s)).toEqual({ ok: false, error });
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-15', 6, '2026-07-15'],
    ['2026-01-15', 12, '2027-01-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -13, '2024-12-15'],
  ])('%s + %i months = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it('refuses an invalid date or a fraction of a month', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('2026-01-15', 1.5)).toThrow(/whole number/);
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2026-01-15', 30, '2026-02-14'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['1969-12-31', 1, '1970-01-01'],
    ['0050-01-01', 365, '0051-01-01'],
  ])('%s + %i days = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(n);
  });

  it.each([
    ['2026-01-15', '2026-07-15', 181],
    ['2026-01-15', '2027-01-15', 365],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-07-15', '2026-01-15', -181],
    ['2026-01-15', '2026-01-15', 0],
  ])('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('todayIn', () => {
  const instant = new Date('2026-01-15T23:30:00Z');
  it.each([
    ['UTC', '2026-01-15'],
    ['Europe/London', '2026-01-15'],
    ['Europe/Paris', '2026-01-16'],
    ['Asia/Tokyo', '2026-01-16'],
    ['America/Los_Angeles', '2026-01-15'],
    ['Pacific/Kiritimati', '2026-01-16'],
  ])('in %s it is %s', (tz, expected) => {
    expect(todayIn(tz, instant)).toBe(expected);
  });

  it('uses UTC without a time zone', () => {
    expect(todayIn(null, new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
    expect(utcDateOf('2026-12-31T23:59:59-05:00')).toBe('2027-01-01');
  });

  it('reads a stored timestamp’s UTC date as the calendar would, in any time zone of the machine', () => {
    for (const stored of [
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z',
      '2028-02-29T12:00:00Z',
      '1999-07-04T05:06:07.1Z',
    ])
      expect(utcDateOf(stored)).toBe(todayIn('UTC', new Date(stored)));
    // Not as toISOString writes it: read through the calendar.
    expect(utcDateOf('2026-12-31T23:59:59+01:00')).toBe('2026-12-31');
    expect(utcDateOf('2026-12-31T23:30:00-00:45')).toBe('2027-01-01');
  });

  it('turns the day at local midnight to the second, asked again and again (its answer is kept a minute)', () => {
    // Midnight in Kolkata (UTC+5:30) and Kathmandu (UTC+5:45) falls on half and quarter hours of UTC.
    for (const [tz, midnight] of [
      ['Asia/Kolkata', '2026-01-15T18:30:00Z'],
      ['Asia/Kathmandu', '2026-01-15T18:15:00Z'],
      ['Pacific/Kiritimati', '2026-01-15T10:00:00Z'],
    ] as const) {
      const at = Date.parse(midnight);
      for (let round = 0; round < 2; round++) {
        expect(todayIn(tz, new Date(at - 60_001)), tz).toBe('2026-01-15');
        expect(todayIn(tz, new Date(at - 1)), tz).toBe('2026-01-15');
        expect(todayIn(tz, new Date(at)), tz).toBe('2026-01-16');
        expect(todayIn(tz, new Date(at + 59_999)), tz).toBe('2026-01-16');
        // Back in time: the kept answer is not reused for another minute.
        expect(todayIn(tz, new Date(at - 1)), tz).toBe('2026-01-15');
      }
    }
  });

  it('tells valid zones from invalid ones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(() => todayIn('Mars/Olympus', instant)).toThrow(RangeError);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 days'],
    [1, '1 day'],
    [29, '29 days'],
    [30, '1 month'],
    [45, '1 month'],
    [61, '2 months'],
    [181, '6 months'],
    [334, '11 months'],
    [365, '1 year'],
    [366, '1 year'],
    [426, '1 year 2 months'],
    [730, '2 years'],
    [790, '2 years 2 months'],
    [1095, '3 years'],
  ])('%i days reads "%s"', (days, text) => {
    expect(formatDuration(days)).toBe(text);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});
