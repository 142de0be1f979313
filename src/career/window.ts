import { addDays, addMonths, daysBetween, type IsoDate, maxDate, minDate } from './dates.js';

/**
 * The expected window for the next step, with real dates. A framework's timeframe is a guide in
 * months from reaching a level to the next step ("6–12 months", "2+ years"); this turns it into
 * "window 2026-07-15 to 2027-01-15" for one person, minus the time they were away.
 */

/** The part of a framework timeframe the window needs; a `Timeframe` from the schema fits. */
export interface WindowTimeframe {
  min: number;
  /** Absent for an open-ended window such as "2+ years". */
  max?: number | undefined;
}

/**
 * Time away. `start` is the first day away, `end` the first day back (exclusive), or null while the
 * pause is still running. A store `Pause` fits.
 */
export interface PauseSpan {
  start: IsoDate;
  end: IsoDate | null;
}

export interface WindowInput {
  /** The day the person reached their current level. */
  since: IsoDate;
  timeframe: WindowTimeframe | null;
  pauses: readonly PauseSpan[];
  /** Today in the person's time zone (see `todayIn`). */
  today: IsoDate;
}

export type WindowPhase = 'before' | 'open' | 'past';

/**
 * Either no window (the level has no timeframe: the top of a track, or a step nobody is expected to
 * take), or a window with dates. A union rather than nullable fields, so a caller cannot show dates
 * for a level that has none.
 */
export type PromotionWindow =
  | {
      phase: 'none';
      /** Days away between `since` and today, still worth showing ("paused 30 days"). */
      pausedDays: number;
    }
  | {
      /** 'before' until `opensOn`, 'open' from `opensOn` to `closesOn` inclusive, 'past' after. */
      phase: WindowPhase;
      opensOn: IsoDate;
      /** Null when open-ended ("2+ years"): such a window never becomes 'past'. */
      closesOn: IsoDate | null;
      pausedDays: number;
      /**
       * 0..1: days present since `since` (paused days excluded) over the length of the window
       * without pauses, i.e. since→closesOn. For an open-ended window the bar is full at 1.5 × the
       * minimum (so it shows two thirds on the day the window opens and keeps moving for a while
       * after, instead of stopping dead).
       */
      progress: number;
      /** Days from today to `opensOn`: positive before, 0 on the day, negative once open. */
      daysUntilOpen: number;
      /** Days from today to `closesOn` (negative once past); null when open-ended. */
      daysUntilClose: number | null;
    };

/** How long an open-ended window's progress bar is, as a multiple of its minimum. */
export const OPEN_ENDED_BAR_FACTOR = 1.5;

/**
 * Days away that count against the window: the union of all pauses (overlaps counted once), each
 * running to today when still open, clipped to [since, today). Pauses from before `since` (time
 * away at the previous level) and planned days after today do not count.
 */
export function pausedDaysBetween(since: IsoDate, today: IsoDate, pauses: readonly PauseSpan[]): number {
  if (today <= since) return 0;
  const spans = pauses
    .map((p) => ({ start: maxDate(p.start, since), end: minDate(p.end ?? today, today) }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let total = 0;
  let coveredUntil = since;
  for (const span of spans) {
    const start = maxDate(span.start, coveredUntil);
    if (start < span.end) {
      total += daysBetween(start, span.end);
      coveredUntil = span.end;
    }
  }
  return total;
}

/**
 * The window for the next step. With no pauses, since 2026-01-15 and 6–12 months, it opens on
 * 2026-07-15 and closes on 2027-01-15. Paused days push both dates later by the same number of days
 * (after the month arithmetic, so a 30-day pause moves each date exactly 30 days).
 */
export function promotionWindow({ since, timeframe, pauses, today }: WindowInput): PromotionWindow {
  const pausedDays = pausedDaysBetween(since, today, pauses);
  if (timeframe === null) return { phase: 'none', pausedDays };

  const baseOpen = addMonths(since, timeframe.min);
  const baseClose = timeframe.max === undefined ? null : addMonths(since, timeframe.max);
  const opensOn = addDays(baseOpen, pausedDays);
  const closesOn = baseClose === null ? null : addDays(baseClose, pausedDays);

  const phase: WindowPhase = today < opensOn ? 'before' : closesOn !== null && today > closesOn ? 'past' : 'open';

  const presentDays = daysBetween(since, today) - pausedDays;
  const barDays =
    baseClose === null ? daysBetween(since, baseOpen) * OPEN_ENDED_BAR_FACTOR : daysBetween(since, baseClose);
  const progress = barDays <= 0 ? (presentDays >= 0 ? 1 : 0) : clamp01(presentDays / barDays);

  return {
    phase,
    opensOn,
    closesOn,
    pausedDays,
    progress,
    daysUntilOpen: daysBetween(today, opensOn),
    daysUntilClose: closesOn === null ? null : daysBetween(today, closesOn),
  };
}

function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/**
 * A text progress bar for Slack: `progressBar(0.4)` → `▓▓▓▓░░░░░░`. Rounds down, so the bar is
 * full only when the progress is complete. Out-of-range progress is clamped.
 */
export function progressBar(progress: number, width = 10): string {
  if (!Number.isInteger(width) || width < 1)
    throw new RangeError(`width must be a positive whole number, got ${width}`);
  // The epsilon keeps 0.3 * 10 = 2.9999999999999996 from dropping a cell.
  const filled = Math.floor(clamp01(progress) * width + 1e-9);
  return '▓'.repeat(filled) + '░'.repeat(width - filled);
}

// --- How a next step reads to people --------------------------------------------------------------

/**
 * Where a person stands toward their next step, as people should read it. NOTE: an optional step
 * (the framework's `optional: true`, "nobody is expected to reach Level 5") is a choice, so it is
 * never 'past': once its usual window has ended it stays 'choice', with no note to the manager and no
 * place in a digest's "past their window". Every surface that words a window asks this one function.
 */
export type StepStanding = 'none' | 'before' | 'open' | 'past' | 'choice';

export function stepStanding(window: PromotionWindow, optional: boolean): StepStanding {
  if (window.phase === 'none') return 'none';
  if (window.phase === 'past') return optional ? 'choice' : 'past';
  return window.phase;
}

/** Whether a step is expected (so a window that ended is "past", worth a note to the manager). */
export function isPastExpectedWindow(window: PromotionWindow, optional: boolean): boolean {
  return stepStanding(window, optional) === 'past';
}

/**
 * Whose step a sentence is about: the person reading ('your'), a report of theirs ('their'), or nobody in
 * particular ('an': a channel post, read by everyone, where no area is "your").
 */
export type Whose = 'your' | 'their' | 'an';

/** The words for an optional step, the same in the person's reminder and the manager's digest. */
export function optionalStepWords(whose: Whose): string {
  const who = { your: 'you', their: 'they', an: 'people' }[whose];
  return `a step ${who} may or may not want`;
}

/**
 * A framework title as people read it. A title that leaves its area open ("Head of …", which the
 * framework means as "Head of Content", "Head of Social") is never printed with its ellipsis: it is
 * "Head of your area" to the person, "Head of their area" to their manager, "Head of an area" in a channel.
 */
export function titleForPeople(title: string, whose: Whose = 'your'): string {
  return areasForPeople(title, whose);
}

/** Every open-area title inside a longer text ("Level 5 (Head of …)"), as people read it: the one rule. */
export function areasForPeople(text: string, whose: Whose = 'your'): string {
  return text.replace(/(\S)\s*(?:…|\.\.\.)(?=$|[)\s,;/])/g, `$1 ${whose} area`);
}

/** Several titles (a fork, or a level's alternatives), each as people read it, joined by " / ". */
export function titlesForPeople(titles: readonly string[], whose: Whose = 'your'): string {
  return titles.map((t) => titleForPeople(t, whose)).join(' / ');
}
