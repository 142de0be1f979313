import type { Level, Timeframe } from './schema.js';

/** The shared model, the same for every framework (see README: "Framework files"). */
export const INFLUENCE_SCALE: Record<number, string> = {
  1: 'Themselves and their tasks',
  2: 'Their projects and pace',
  3: 'Their area and strategy',
  4: 'Whole organization',
  5: 'Industry',
};

export const OWNERSHIP_SCALE: Record<number, string> = {
  1: 'None yet: learning and developed by others',
  2: 'Fully owns an area; accountable for its deliverables',
  3: 'Consistent record of very strong ownership; accountable for results',
  4: 'Ownership across the team; accountable for executing the area’s strategy',
  5: 'Fully responsible for all aspects of the area (rare)',
};

/** `●●●○○` for 3 of 5. */
export function scaleDots(point: number, of = 5): string {
  return '●'.repeat(point) + '○'.repeat(Math.max(0, of - point));
}

/** Months as people say them: `3–6 months`, `1–2 years`, `2+ years`, `6–12 months`. */
export function formatMonths(min: number, max?: number): string {
  const inYears = min % 12 === 0 && (max === undefined || max % 12 === 0) && min > 0;
  const unit = (n: number) => (inYears ? n / 12 : n);
  const noun = (n: number) => (inYears ? (n === 1 ? 'year' : 'years') : n === 1 ? 'month' : 'months');
  if (max === undefined) return `${unit(min)}+ ${noun(2)}`;
  if (max === min) return `${unit(min)} ${noun(unit(min))}`;
  return `${unit(min)}–${unit(max)} ${noun(unit(max))}`;
}

/**
 * `Level 2 · Strategist`; with a person's own title (`Social Media Marketer`), that title alone. The
 * level's number is shown as is: for a name people read, use {@link levelName}, which knows when a
 * number means a rung.
 */
export function levelLabel(level: Level, title?: string | null): string {
  return `Level ${level.number} · ${title ?? level.titles.join(' / ')}`;
}

/**
 * The title a person may hold at `level` when they type `typed`: one of its titles (any case), or
 * for a title that names an area ("Head of …"), that title with the area ("Head of Content").
 */
export function titleAt(level: Level, typed: string): string | undefined {
  const t = typed.trim().replace(/\s+/g, ' ');
  const exact = level.titles.find((title) => title.toLowerCase() === t.toLowerCase());
  if (exact) return exact;
  for (const title of level.titles) {
    const stem = /^(.*?)\s*(…|\.\.\.)$/.exec(title)?.[1];
    if (stem && t.toLowerCase().startsWith(`${stem.toLowerCase()} `) && t.length > stem.length + 1)
      return `${stem}${t.slice(stem.length)}`;
  }
  return undefined;
}

/**
 * Whether a level's number counts rungs, so people may be told "Level 3": only on the main track, and
 * only up to the first fork on it. Past a fork the number counts the file: Engineering's Senior
 * Engineer is its fourth level but a third step for someone who goes from Software Engineer II
 * straight to it, and the two paths after Senior (Senior Engineer II, Staff Engineer) are 5 and 6
 * though neither is above the other. A side track's numbers count the file too.
 */
export function isNumbered(levels: readonly Level[], level: Level): boolean {
  let known = NUMBERED.get(levels);
  if (!known) {
    known = new Map();
    NUMBERED.set(levels, known);
  }
  let numbered = known.get(level.id);
  if (numbered === undefined) {
    numbered = countsRungs(levels, level);
    known.set(level.id, numbered);
  }
  return numbered;
}

/** {@link isNumbered} by framework (its levels, loaded once and never changed) and level: named on every render. */
const NUMBERED = new WeakMap<readonly Level[], Map<string, boolean>>();

function countsRungs(levels: readonly Level[], level: Level): boolean {
  const main = levels[0]?.track;
  if (level.track !== main) return false;
  const onMain = levels.filter((l) => l.track === main);
  for (const [i, l] of onMain.entries()) {
    if (l.number !== i + 1) return false; // another track sits between: the number is not the rung
    if (l.id === level.id) return true;
    if (levels.filter((n) => l.next.includes(n.id) && n.track === main).length > 1) return false; // a fork
  }
  return false;
}

/**
 * How a level is named to people, everywhere (cards, lookups, check-ins, team lists, digests): the
 * one naming rule. `Level 3 · Coordinator` where the number counts rungs ({@link isNumbered}); past a
 * fork on the main track the title alone (`Staff Engineer`); on a side track the title and its track
 * (`Happiness Lead (Happiness Lead track)`). A person's own title (`Head of Content`) replaces the
 * level's titles.
 */
export function levelName(levels: readonly Level[], level: Level, title?: string | null): string {
  const titles = title ?? level.titles.join(' / ');
  if (isNumbered(levels, level)) return `Level ${level.number} · ${titles}`;
  const main = levels[0]?.track;
  return level.track !== main && level.track ? `${titles} (${level.track} track)` : titles;
}

/**
 * A person's place with their team's name: `Marketing · Level 1 · Social Media Marketer`. Every
 * surface that names someone's level (card, `/career team`, the digest) says it this way.
 */
export function placeName(
  framework: { name: string; levels: readonly Level[] },
  level: Level,
  title?: string | null,
): string {
  return `${framework.name} · ${levelName(framework.levels, level, title)}`;
}

/** A level as a check-in asked it: a snapshot, with its name kept when its number is not to be shown. */
export interface AskedLevel {
  levelNumber: number;
  levelTitle: string;
  /** The level's name ({@link levelName}) when its number does not count rungs; unset otherwise. */
  levelName?: string;
}

/** For a check-in's snapshot: {@link levelName} when the number is not shown, else undefined. */
export function askedName(levels: readonly Level[], level: Level): string | undefined {
  return isNumbered(levels, level) ? undefined : levelName(levels, level);
}

/** An asked level as a label (`Level 3 · Coordinator`, `Staff Engineer`), by {@link levelName}'s rule. */
export function askedLevelName(q: AskedLevel): string {
  return q.levelName ?? `Level ${q.levelNumber} · ${q.levelTitle}`;
}

/** An asked level inside a sentence or a tag ("Readiness for Level 3", "Readiness for Staff Engineer"). */
export function askedStepName(q: AskedLevel): string {
  return q.levelName ?? `Level ${q.levelNumber}`;
}

/** Where the title is said beside it (a compare header, "New at …"): `Level 4` where numbered, else the name. */
export function shortLevelName(levels: readonly Level[], level: Level): string {
  return isNumbered(levels, level) ? `Level ${level.number}` : levelName(levels, level);
}

/**
 * A level named inside a sentence ("Timeframe to …", "Readiness for …"): `Level 4 (Senior)` where the
 * number counts rungs, else as {@link levelName} names it.
 */
export function stepName(levels: readonly Level[], level: Level): string {
  return isNumbered(levels, level) ? `Level ${level.number} (${level.titles.join(' / ')})` : levelName(levels, level);
}

/** "Timeframe to Level 4: 1–2 years" and the qualifiers that go with it. */
export function describeTimeframe(
  levels: readonly Level[],
  level: Level,
  nextSteps: readonly Level[],
): { heading: string; value: string; notes: string[] } | undefined {
  const tf: Timeframe | null = level.timeframe;
  if (!tf) return undefined;
  const target = tf.to ? nextSteps.filter((l) => l.id === tf.to) : nextSteps;
  const names = target.map((l) => stepName(levels, l));
  const heading = `Timeframe to ${names.length ? names.join(' or ') : 'the next step'}`;
  const notes: string[] = [];
  if (tf.optional) notes.push('optional: a choice, not an expectation');
  if (tf.note) notes.push(tf.note);
  if (tf.assumed) notes.push('a default the team has not reviewed yet');
  return { heading, value: formatMonths(tf.min, tf.max), notes };
}

/** Where a level sits: its track, its place on that track, and where a side track is entered from. */
export interface TrackPosition {
  /** The track's name; undefined for a framework without named tracks. */
  name: string | undefined;
  /** The main track is the one the framework's first level is on. */
  main: boolean;
  /** 1-based place on the track, and how many levels the track has. */
  index: number;
  count: number;
  /** For a side track: the levels of other tracks that lead into it. */
  enteredFrom: Level[];
}

export function trackPosition(levels: readonly Level[], level: Level): TrackPosition {
  const onTrack = levels.filter((l) => l.track === level.track);
  const main = levels[0]?.track === level.track;
  const first = onTrack[0];
  const enteredFrom = main || !first ? [] : levels.filter((l) => l.track !== level.track && l.next.includes(first.id));
  return { name: level.track, main, index: onTrack.indexOf(level) + 1, count: onTrack.length, enteredFrom };
}

/** The tracks of a framework in file order, main first, each with its levels. */
export function tracksOf(levels: readonly Level[]): { name: string | undefined; levels: Level[] }[] {
  const tracks: { name: string | undefined; levels: Level[] }[] = [];
  for (const level of levels) {
    const track = tracks.find((t) => t.name === level.track);
    if (track) track.levels.push(level);
    else tracks.push({ name: level.track, levels: [level] });
  }
  return tracks;
}

/**
 * The next step in one sentence, naming each step once: "Level 4 (Senior), typically after 1–2
 * years; optional: if the person chooses to increase influence." Notes for framework authors stay in
 * the file: an assumed timeframe says only that the team has not confirmed it.
 */
export function nextStepSentence(levels: readonly Level[], level: Level, nextSteps: readonly Level[]): string {
  if (nextSteps.length === 0) return 'none described in this framework.';
  const tf = level.timeframe;
  const name = (l: Level, extra = '') => `${stepName(levels, l)}${extra}`;
  const target = tf?.to && nextSteps.length > 1 ? tf.to : undefined;
  const names = nextSteps.map((l) =>
    tf && l.id === target ? name(l, `, typically after ${formatMonths(tf.min, tf.max)}`) : name(l),
  );
  let sentence = names.length > 2 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join(' or ');
  if (tf && !target) sentence += `, typically after ${formatMonths(tf.min, tf.max)}`;
  const qualifiers: string[] = [];
  if (tf?.optional) {
    qualifiers.push(
      `optional${tf.note && !tf.assumed ? `: ${lowerFirst(tf.note)}` : ': a choice, not an expectation'}`,
    );
  } else if (tf?.note && !tf.assumed) qualifiers.push(lowerFirst(tf.note));
  if (tf?.assumed) qualifiers.push('the timeframe is a default the team has not confirmed');
  const text = `${sentence}${qualifiers.length ? `; ${qualifiers.join('; ')}` : ''}`;
  return text.endsWith('.') ? text : `${text}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
