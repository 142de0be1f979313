import type { Question, Rating } from './machine.js';

/**
 * The summary of a finished check-in. Pure: the questions with their answers in, numbers out; the
 * Slack layer words them.
 */

export interface AnsweredQuestion extends Question {
  /** Undefined for a question not answered (an unfinished check-in). */
  rating?: Rating;
}

export interface LevelCounts {
  levelId: string;
  levelNumber: number;
  levelTitle: string;
  levelName?: string;
  consistently: number;
  sometimes: number;
  notYet: number;
  skipped: number;
}

export interface Change {
  /** Expectations answered Consistently now that were not in the previous check-in. */
  toConsistently: number;
  /** The previous check-in's finish time (ISO). */
  since: string;
}

export interface Summary {
  /** In the order the levels were asked. */
  levels: LevelCounts[];
  /** The level readiness is measured against (the next one); null when only one level was asked. */
  targetLevelId: string | null;
  /** Whole percent, or null when no expectation of the target level was answered (all skipped). */
  readiness: number | null;
  /** Up to three expectations answered Consistently, the target level's first. */
  strongest: AnsweredQuestion[];
  /**
   * Up to three expectations to work on: Not yet at the current level first (the ground to stand
   * on), then the next level's Not yet, then its Sometimes, then the current level's Sometimes.
   * Empty when every answer is Consistently or Skip.
   */
  focus: AnsweredQuestion[];
  /** Null without a previous check-in. */
  change: Change | null;
}

export interface PreviousCheckin {
  finishedAt: string;
  questions: readonly AnsweredQuestion[];
}

export function countLevel(
  questions: readonly AnsweredQuestion[],
): Omit<LevelCounts, 'levelId' | 'levelNumber' | 'levelTitle' | 'levelName'> {
  const counts = { consistently: 0, sometimes: 0, notYet: 0, skipped: 0 };
  for (const q of questions) {
    if (q.rating === 'consistently') counts.consistently++;
    else if (q.rating === 'sometimes') counts.sometimes++;
    else if (q.rating === 'not-yet') counts.notYet++;
    else if (q.rating === 'skip') counts.skipped++;
  }
  return counts;
}

/**
 * (Consistently + 0.5 × Sometimes) ÷ answered, as a whole percent (halves round up). Skipped
 * expectations are not answers: they count neither for nor against. Null when nothing was answered.
 */
export function readiness(counts: Pick<LevelCounts, 'consistently' | 'sometimes' | 'notYet'>): number | null {
  const answered = counts.consistently + counts.sometimes + counts.notYet;
  if (answered === 0) return null;
  return Math.round(((counts.consistently + 0.5 * counts.sometimes) / answered) * 100);
}

const MAX_LISTED = 3;

export function summarize(
  questions: readonly AnsweredQuestion[],
  targetLevelId: string | null,
  previous?: PreviousCheckin,
): Summary {
  const levels: LevelCounts[] = [];
  for (const q of questions) {
    if (levels.some((l) => l.levelId === q.levelId)) continue;
    const own = questions.filter((x) => x.levelId === q.levelId);
    const { levelId, levelNumber, levelTitle, levelName } = q;
    levels.push({ levelId, levelNumber, levelTitle, ...(levelName ? { levelName } : {}), ...countLevel(own) });
  }
  const target = targetLevelId === null ? undefined : levels.find((l) => l.levelId === targetLevelId);
  const inTargetFirst = [
    ...questions.filter((q) => q.levelId === targetLevelId),
    ...questions.filter((q) => q.levelId !== targetLevelId),
  ];
  const withRating = (r: Rating) => inTargetFirst.filter((q) => q.rating === r);
  const strongest = withRating('consistently').slice(0, MAX_LISTED);
  const inTarget = (r: Rating) => questions.filter((q) => q.levelId === targetLevelId && q.rating === r);
  const elsewhere = (r: Rating) => questions.filter((q) => q.levelId !== targetLevelId && q.rating === r);
  const focus = [
    ...elsewhere('not-yet'),
    ...inTarget('not-yet'),
    ...inTarget('sometimes'),
    ...elsewhere('sometimes'),
  ].slice(0, MAX_LISTED);
  return {
    levels,
    targetLevelId: target ? target.levelId : null,
    readiness: target ? readiness(target) : null,
    strongest,
    focus,
    change: previous ? changeSince(questions, previous) : null,
  };
}

function changeSince(questions: readonly AnsweredQuestion[], previous: PreviousCheckin): Change {
  const before = new Map(previous.questions.map((q) => [`${q.levelId}/${q.expectationId}`, q.rating]));
  let toConsistently = 0;
  for (const q of questions) {
    const key = `${q.levelId}/${q.expectationId}`;
    if (q.rating === 'consistently' && before.has(key) && before.get(key) !== 'consistently') toConsistently++;
  }
  return { toConsistently, since: previous.finishedAt };
}
