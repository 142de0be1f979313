import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/career/dates.js';
import {
  areasForPeople,
  isPastExpectedWindow,
  optionalStepWords,
  type PauseSpan,
  type PromotionWindow,
  pausedDaysBetween,
  progressBar,
  promotionWindow,
  stepStanding,
  titleForPeople,
  titlesForPeople,
  type WindowTimeframe,
} from '../../src/career/window.js';

const sixToTwelve: WindowTimeframe = { min: 6, max: 12 };
const twoYearsPlus: WindowTimeframe = { min: 24 };

function dated(w: PromotionWindow) {
  if (w.phase === 'none') throw new Error('expected a window with dates');
  return w;
}

describe('promotionWindow', () => {
  it('since 2026-01-15 at 6–12 months: window 2026-07-15 to 2027-01-15', () => {
    expect(promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses: [], today: '2026-04-15' })).toEqual({
      phase: 'before',
      opensOn: '2026-07-15',
      closesOn: '2027-01-15',
      pausedDays: 0,
      progress: 90 / 365,
      daysUntilOpen: 91,
      daysUntilClose: 275,
    });
  });

  it.each([
    ['2026-01-15', 'before', 0, 181, 365],
    ['2026-07-14', 'before', 180 / 365, 1, 185],
    ['2026-07-15', 'open', 181 / 365, 0, 184],
    ['2027-01-15', 'open', 1, -184, 0],
    ['2027-01-16', 'past', 1, -185, -1],
    ['2025-12-01', 'before', 0, 226, 410],
  ] as const)('on %s the phase is %s', (today, phase, progress, daysUntilOpen, daysUntilClose) => {
    expect(promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses: [], today })).toMatchObject({
      phase,
      progress,
      daysUntilOpen,
      daysUntilClose,
    });
  });

  it('an open-ended "2+ years" window opens and never closes', () => {
    const before = dated(
      promotionWindow({ since: '2026-01-15', timeframe: twoYearsPlus, pauses: [], today: '2027-01-15' }),
    );
    expect(before).toMatchObject({ phase: 'before', opensOn: '2028-01-15', closesOn: null, daysUntilClose: null });
    // 365 of 730 × 1.5 days.
    expect(before.progress).toBeCloseTo(365 / 1095, 10);

    const opening = dated(
      promotionWindow({ since: '2026-01-15', timeframe: twoYearsPlus, pauses: [], today: '2028-01-15' }),
    );
    expect(opening.phase).toBe('open');
    expect(opening.progress).toBeCloseTo(2 / 3, 10);

    const muchLater = promotionWindow({
      since: '2026-01-15',
      timeframe: twoYearsPlus,
      pauses: [],
      today: '2040-01-01',
    });
    expect(muchLater).toMatchObject({ phase: 'open', progress: 1, closesOn: null });
  });

  it('a 30-day pause shifts both dates by 30 days', () => {
    const pauses: PauseSpan[] = [{ start: '2026-03-01', end: '2026-03-31' }];
    expect(promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses, today: '2026-06-01' })).toMatchObject(
      {
        opensOn: '2026-08-14',
        closesOn: '2027-02-14',
        pausedDays: 30,
      },
    );
  });

  it('a pause still running counts up to today', () => {
    const pauses: PauseSpan[] = [{ start: '2026-03-01', end: null }];
    const w = dated(promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses, today: '2026-03-11' }));
    expect(w).toMatchObject({ pausedDays: 10, opensOn: '2026-07-25', closesOn: '2027-01-25' });
    // While away, progress stands still.
    const nextWeek = dated(
      promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses, today: '2026-03-18' }),
    );
    expect(nextWeek.progress).toBe(w.progress);
    expect(nextWeek.pausedDays).toBe(17);
  });

  it('ignores time away before reaching the level and planned days after today', () => {
    const pauses: PauseSpan[] = [
      { start: '2025-12-01', end: '2026-01-20' },
      { start: '2026-05-25', end: '2026-07-01' },
    ];
    // 5 days after since from the first pause, 7 days (2026-05-25 to today) from the second.
    expect(promotionWindow({ since: '2026-01-15', timeframe: sixToTwelve, pauses, today: '2026-06-01' })).toMatchObject(
      {
        pausedDays: 12,
        opensOn: '2026-07-27',
      },
    );
  });

  it('counts overlapping pauses once', () => {
    const pauses: PauseSpan[] = [
      { start: '2026-03-01', end: '2026-03-21' },
      { start: '2026-03-11', end: '2026-03-31' },
      { start: '2026-03-15', end: '2026-03-16' },
    ];
    expect(pausedDaysBetween('2026-01-15', '2026-06-01', pauses)).toBe(30);
  });

  it('has no window for a level without a timeframe, but still counts time away', () => {
    expect(
      promotionWindow({
        since: '2026-01-15',
        timeframe: null,
        pauses: [{ start: '2026-02-01', end: '2026-02-08' }],
        today: '2026-06-01',
      }),
    ).toEqual({ phase: 'none', pausedDays: 7 });
  });

  it('opens at once for a minimum of zero months', () => {
    expect(
      promotionWindow({ since: '2026-01-15', timeframe: { min: 0, max: 3 }, pauses: [], today: '2026-01-15' }),
    ).toMatchObject({ phase: 'open', opensOn: '2026-01-15', closesOn: '2026-04-15', daysUntilOpen: 0, progress: 0 });
  });

  it('accepts a framework timeframe as is', () => {
    const timeframe = { min: 3, max: 6, optional: false, assumed: false, note: 'a guide' };
    expect(dated(promotionWindow({ since: '2026-01-31', timeframe, pauses: [], today: '2026-02-01' })).opensOn).toBe(
      '2026-04-30',
    );
  });
});

describe('progressBar', () => {
  it.each([
    [0, '░░░░░░░░░░'],
    [0.05, '░░░░░░░░░░'],
    [0.1, '▓░░░░░░░░░'],
    [0.3, '▓▓▓░░░░░░░'],
    [0.4, '▓▓▓▓░░░░░░'],
    [0.7, '▓▓▓▓▓▓▓░░░'],
    [0.99, '▓▓▓▓▓▓▓▓▓░'],
    [1, '▓▓▓▓▓▓▓▓▓▓'],
    [1.7, '▓▓▓▓▓▓▓▓▓▓'],
    [-1, '░░░░░░░░░░'],
    [Number.NaN, '░░░░░░░░░░'],
  ])('%d → %s', (progress, bar) => {
    expect(progressBar(progress)).toBe(bar);
  });

  it('takes a width', () => {
    expect(progressBar(0.5, 4)).toBe('▓▓░░');
    expect(() => progressBar(0.5, 0)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const dayInRange = (from: string, days: number) => fc.integer({ min: 0, max: days }).map((n) => addDays(from, n));
  const date = dayInRange('2015-01-01', 365 * 20);
  const timeframe = fc
    .record({ min: fc.integer({ min: 0, max: 48 }), extra: fc.option(fc.integer({ min: 0, max: 48 })) })
    .map(({ min, extra }): WindowTimeframe => (extra === null ? { min } : { min, max: Math.max(1, min + extra) }));
  const pause = fc
    .record({ start: date, length: fc.integer({ min: 0, max: 400 }), open: fc.boolean() })
    .map(({ start, length, open }): PauseSpan => ({ start, end: open ? null : addDays(start, length) }));

  it('opensOn ≤ closesOn, progress stays in 0..1, and pauses never move dates earlier', () => {
    fc.assert(
      fc.property(date, timeframe, fc.array(pause, { maxLength: 5 }), date, (since, tf, pauses, today) => {
        const without = dated(promotionWindow({ since, timeframe: tf, pauses: [], today }));
        const withPauses = dated(promotionWindow({ since, timeframe: tf, pauses, today }));
        expect(withPauses.opensOn >= without.opensOn).toBe(true);
        if (withPauses.closesOn !== null && without.closesOn !== null) {
          expect(withPauses.opensOn <= withPauses.closesOn).toBe(true);
          expect(withPauses.closesOn >= without.closesOn).toBe(true);
        }
        expect(withPauses.progress).toBeGreaterThanOrEqual(0);
        expect(withPauses.progress).toBeLessThanOrEqual(1);
        expect(withPauses.progress).toBeLessThanOrEqual(without.progress);
        expect(withPauses.pausedDays).toBeGreaterThanOrEqual(0);
        expect(withPauses.pausedDays).toBeLessThanOrEqual(Math.max(0, daysBetween(since, today)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('how a next step reads to people', () => {
  // Marketing 4 → 5: 12–24 months, optional ("nobody is expected to reach Level 5").
  const at = (today: string) =>
    promotionWindow({ since: '2024-01-01', timeframe: { min: 12, max: 24 }, pauses: [], today });

  it.each([
    ['before the window', '2024-06-01', false, 'before'],
    ['in the window', '2025-06-01', false, 'open'],
    ["after an expected step's window", '2026-06-01', false, 'past'],
    ["before an optional step's window", '2024-06-01', true, 'before'],
    ["in an optional step's window", '2025-06-01', true, 'open'],
    ["after an optional step's window: a choice, never past", '2026-06-01', true, 'choice'],
  ] as const)('%s', (_, today, optional, standing) => {
    expect(stepStanding(at(today), optional)).toBe(standing);
    expect(isPastExpectedWindow(at(today), optional)).toBe(standing === 'past');
  });

  it('a level with no timeframe has no window, optional or not', () => {
    const none = promotionWindow({ since: '2024-01-01', timeframe: null, pauses: [], today: '2030-01-01' });
    expect(stepStanding(none, true)).toBe('none');
    expect(stepStanding(none, false)).toBe('none');
  });

  it('words an optional step the same for the person and their manager', () => {
    expect(optionalStepWords('your')).toBe('a step you may or may not want');
    expect(optionalStepWords('their')).toBe('a step they may or may not want');
    expect(optionalStepWords('an')).toBe('a step people may or may not want');
  });

  it.each([
    ['Head of …', 'your', 'Head of your area'],
    ['Head of …', 'their', 'Head of their area'],
    ['Head of...', 'their', 'Head of their area'],
    ['Head of …', 'an', 'Head of an area'],
    ['Head of Content', 'your', 'Head of Content'],
    ['Senior', 'their', 'Senior'],
  ] as const)('names "%s" for %s reader as "%s"', (title, whose, shown) => {
    expect(titleForPeople(title, whose)).toBe(shown);
  });

  it('names every title of a fork the same way', () => {
    expect(titlesForPeople(['Senior', 'Head of …'], 'their')).toBe('Senior / Head of their area');
  });

  it('names an open area inside a longer name, for a channel where nobody is "your"', () => {
    expect(areasForPeople('Level 5 · Head of …', 'an')).toBe('Level 5 · Head of an area');
    expect(areasForPeople('Level 5 (Head of …), Level 4', 'your')).toBe('Level 5 (Head of your area), Level 4');
  });
});
