/**
 * Calendar dates as 'YYYY-MM-DD' strings, in UTC, with no time of day. Career records are about days
 * ("reached level 2 on 2026-01-15"), so a plain string is stored, compared (lexical order is date
 * order) and shown as is; these helpers do the arithmetic. Pure: the clock is always a parameter.
 */

/** A calendar date as 'YYYY-MM-DD'. A plain string alias: validate at the boundary with {@link parseIsoDate}. */
export type IsoDate = string;

export type DateResult = { ok: true; date: IsoDate } | { ok: false; error: string };

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** '2026-07-15' → '15 July 2026': a date as people write it in English. */
export function formatLongDate(date: IsoDate): string {
  return `${Number(date.slice(8, 10))} ${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

const MS_PER_DAY = 86_400_000;

/** Average Gregorian month (365.2425 / 12 days), used only to describe a number of days in months. */
const DAYS_PER_MONTH = 30.436875;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Strictly parses 'YYYY-MM-DD': four-digit year, two-digit month and day, and a day that exists
 * ('2026-02-30' and '2026-2-3' are refused). No trimming: callers trim user input first.
 */
export function parseIsoDate(text: string): DateResult {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return { ok: false, error: `expected a date as YYYY-MM-DD (such as 2026-01-15), got "${text}"` };
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1) return { ok: false, error: `${text} is not a date: the year must be 0001 or later` };
  if (month < 1 || month > 12) return { ok: false, error: `${text} is not a date: the month must be 01 to 12` };
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    return {
      ok: false,
      error: `${text} is not a date: ${MONTH_NAMES[month - 1]} ${year} has ${last} days`,
    };
  }
  return { ok: true, date: text };
}

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text).ok;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** For dates this module produced or a caller already validated: a bad one is a programming error. */
function toYmd(date: IsoDate): Ymd {
  const parsed = parseIsoDate(date);
  if (!parsed.ok) throw new RangeError(parsed.error);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function fromYmd({ year, month, day }: Ymd): IsoDate {
  if (year < 1 || year > 9999) throw new RangeError(`year ${year} is outside 0001..9999`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (negative before). */
function toDayNumber(date: IsoDate): number {
  const { year, month, day } = toYmd(date);
  // NOTE: setUTCFullYear, not Date.UTC, which maps years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / MS_PER_DAY);
}

function fromDayNumber(n: number): IsoDate {
  const d = new Date(n * MS_PER_DAY);
  return fromYmd({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
}

/**
 * Adds calendar months, clamping to the end of a shorter month: 2026-01-31 + 1 month = 2026-02-28,
 * 2024-01-31 + 1 month = 2024-02-29. `months` may be negative.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  assertInteger(months, 'months');
  const { year, month, day } = toYmd(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  return fromYmd({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

export function addDays(date: IsoDate, days: number): IsoDate {
  assertInteger(days, 'days');
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 on the same day. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** The earlier / later of two dates (lexical order is date order for 'YYYY-MM-DD'). */
export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/**
 * One formatter per time zone, built once: constructing `Intl.DateTimeFormat` costs far more than
 * formatting with it, and "today" is computed on every card. Unknown zones are remembered as null.
 * NOTE: the cache is bounded by the number of IANA zones (about 600), so it needs no eviction.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat | null>();

function dayFormatter(tz: string): Intl.DateTimeFormat | null {
  let formatter = dayFormatters.get(tz);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      formatter = null;
    }
    // Only real zone names are kept, so junk input cannot grow the map without bound.
    if (formatter !== null) dayFormatters.set(tz, formatter);
  }
  return formatter;
}

/** Whether `tz` is an IANA time zone this runtime knows ('Europe/Paris', 'UTC'). */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  return dayFormatter(tz) !== null;
}

/** The zone to compute in: `tz` when this runtime knows it, else UTC (a missing or stale Slack zone). */
export function zoneOrUtc(tz: string | null | undefined): string {
  return tz && isValidTimeZone(tz) ? tz : 'UTC';
}

/**
 * The calendar date at instant `now` in IANA time zone `tz` (UTC when null): a person in Tokyo is
 * already on the next day while London is not. Throws RangeError for an unknown zone; check cached
 * values with {@link isValidTimeZone}.
 */
export function todayIn(tz: string | null, now: Date): IsoDate {
  const zone = tz ?? 'UTC';
  // Every zone's offset since 1972 is whole minutes, so a date can only change on a UTC minute boundary: the last answer
  // for a zone holds for the rest of its minute (a burst of requests formats each zone once a minute).
  const minute = Math.floor(now.getTime() / 60_000);
  const known = lastDayIn.get(zone);
  if (known?.minute === minute) return known.date;
  const formatter = dayFormatter(zone);
  if (formatter === null) throw new RangeError(`Unknown time zone: ${tz}`);
  const parts = formatter.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const date = fromYmd({ year: part('year'), month: part('month'), day: part('day') });
  if (lastDayIn.size >= 1_000 && !lastDayIn.has(zone)) lastDayIn.clear();
  lastDayIn.set(zone, { minute, date });
  return date;
}

/** The date `todayIn` last gave for each zone, and the UTC minute it holds for. */
const lastDayIn = new Map<string, { minute: number; date: IsoDate }>();

/** The UTC calendar date of an instant or ISO timestamp ('2026-01-15T23:30:00Z' → '2026-01-15'). */
/** An instant as `Date.prototype.toISOString()` writes it, which every stored timestamp is. */
const CANONICAL_UTC =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?Z$/;

export function utcDateOf(instant: Date | string): IsoDate {
  // A stored timestamp (`toISOString()`: UTC, `Z`) names its UTC date first: no calendar to consult.
  if (typeof instant === 'string' && CANONICAL_UTC.test(instant)) return instant.slice(0, 10);
  return todayIn('UTC', typeof instant === 'string' ? new Date(instant) : instant);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * A number of days as a person would say it: "12 days", "1 month", "1 year 2 months", "2 years".
 * Under 30 days it counts days; from there it rounds to the nearest average month, so 181 days
 * (2026-01-15 to 2026-07-15) reads "6 months" and 365 days "1 year".
 */
export function formatDuration(days: number): string {
  assertInteger(days, 'days');
  if (days < 0) throw new RangeError(`a duration cannot be negative, got ${days} days`);
  if (days < 30) return plural(days, 'day');
  const totalMonths = Math.round(days / DAYS_PER_MONTH);
  const years = Math.floor(totalMonths / 12);
  const months = totalMonths % 12;
  if (years === 0) return plural(months, 'month');
  return months === 0 ? plural(years, 'year') : `${plural(years, 'year')} ${plural(months, 'month')}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/[.,]$/, '');
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex(
    (m) =>
      w.startsWith(m) &&
      'january february march april may june july august september october november december'.includes(w),
  );
  return i === -1 ? undefined : i + 1;
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The forms {@link parseFriendlyDate} reads, for error messages. */
export const FRIENDLY_DATE_FORMS =
  '2026-01-15, 2026/01/15, 15 Jan 2026, Jan 15 2026, Jan 2026 (the 1st), today or yesterday';

/**
 * A date as people type it: `2026-01-15`, `2026/01/15`, `15 Jan 2026`, `Jan 15, 2026`, `Jan 2026`
 * (the first of the month), `today`, `yesterday`. Day-month order with slashes (`15/01/2026`) is
 * ambiguous across countries, so it is not guessed. Pure: today is a parameter.
 */
export function parseFriendlyDate(text: string, today: IsoDate): DateResult {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'today') return { ok: true, date: today };
  if (t === 'yesterday') return { ok: true, date: addDays(today, -1) };
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(t) || /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(t)) {
    const [y, m, d] = t.split(/[-/]/).map(Number) as [number, number, number];
    return parseIsoDate(iso(y, m, d));
  }
  const words = t.replace(/,/g, ' ').split(' ').filter(Boolean);
  const day = (w: string) => (/^\d{1,2}(st|nd|rd|th)?$/.test(w) ? Number.parseInt(w, 10) : undefined);
  const year = (w: string) => (/^\d{4}$/.test(w) ? Number(w) : undefined);
  let parts: [number | undefined, number | undefined, number | undefined] | undefined;
  if (words.length === 3) {
    const [a, b, c] = words as [string, string, string];
    if (day(a) !== undefined && monthNumber(b)) parts = [year(c), monthNumber(b), day(a)];
    else if (monthNumber(a) && day(b) !== undefined) parts = [year(c), monthNumber(a), day(b)];
  } else if (words.length === 2) {
    const [a, b] = words as [string, string];
    if (monthNumber(a) && year(b)) parts = [year(b), monthNumber(a), 1];
  }
  if (!parts || parts.some((p) => p === undefined)) return { ok: false, error: `use ${FRIENDLY_DATE_FORMS}` };
  const [y, m, d] = parts as [number, number, number];
  return parseIsoDate(iso(y, m, d));
}

/** True for a word that can be part of a date {@link parseFriendlyDate} reads (for the grammar). */
export function isDateWord(word: string): boolean {
  if (/\s/.test(word.trim())) return word.trim().split(/\s+/).every(isDateWord);
  const w = word.toLowerCase().replace(/,$/, '');
  return (
    w === 'today' ||
    w === 'yesterday' ||
    /^\d{1,4}([-/.]\d{1,2}){0,2}$/.test(w) ||
    /^\d{1,2}(st|nd|rd|th)$/.test(w) ||
    monthNumber(w) !== undefined
  );
}
