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

export function levelLabel(level: Level): string {
  return `Level ${level.number} · ${level.titles.join(' / ')}`;
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
