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

/** `Level 2 · Strategist`; with a person's own title (`Social Media Marketer`), that title alone. */
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

/** Short name of a step for "to …" phrases: `Level 4 (Senior)`. */
export function stepName(level: Level): string {
  return `Level ${level.number} (${level.titles.join(' / ')})`;
}

/** "Timeframe to Level 4: 1–2 years" and the qualifiers that go with it. */
export function describeTimeframe(
  level: Level,
  nextSteps: readonly Level[],
): { heading: string; value: string; notes: string[] } | undefined {
  const tf: Timeframe | null = level.timeframe;
  if (!tf) return undefined;
  const target = tf.to ? nextSteps.filter((l) => l.id === tf.to) : nextSteps;
  const names = target.map(stepName);
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

/**
 * How a level is named where its framework is known: `Level 3 · Coordinator` on the main track; on
 * a side track its title alone, since its number counts the file, not the track ("Level 4" for the
 * first rung of the Onboarding and Education track would read as a fourth rung above Hero III).
 */
export function levelName(levels: readonly Level[], level: Level, title?: string | null): string {
  return trackPosition(levels, level).main ? levelLabel(level, title) : (title ?? level.titles.join(' / '));
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
export function nextStepSentence(level: Level, nextSteps: readonly Level[]): string {
  if (nextSteps.length === 0) return 'none described in this framework.';
  const tf = level.timeframe;
  // A step onto another track is named by its title and track: its number is not a rung above this one.
  const name = (l: Level, extra = '') =>
    l.track !== level.track && l.track
      ? `${l.titles.join(' / ')} (${l.track} track${extra})`
      : `Level ${l.number} (${l.titles.join(' / ')}${extra})`;
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
