import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { type AnsweredQuestion, readiness, summarize } from '../../src/checkins/summary.js';

function level(levelId: string, levelNumber: number, ratings: (Rating | undefined)[], start = 0): AnsweredQuestion[] {
  return ratings.map((rating, i) => ({
    position: start + i,
    levelId,
    levelNumber,
    levelTitle: `Title ${levelNumber}`,
    expectationId: `${levelId}-e${i + 1}`,
    text: `Expectation ${i + 1} of ${levelId}`,
    ...(rating ? { rating } : {}),
  }));
}

describe('readiness', () => {
  it.each([
    // consistently, sometimes, notYet → percent
    [4, 2, 1, 71], // (4 + 1) / 7 = 71.4
    [7, 0, 0, 100],
    [0, 0, 7, 0],
    [0, 1, 0, 50],
    [1, 1, 2, 38], // 1.5 / 4 = 37.5, halves round up
    [2, 3, 2, 50], // 3.5 / 7
    [5, 1, 2, 69], // 5.5 / 8 = 68.75
    [0, 0, 0, null],
  ] as const)('C %i · S %i · N %i → %s', (consistently, sometimes, notYet, expected) => {
    expect(readiness({ consistently, sometimes, notYet })).toBe(expected);
  });
});

describe('summarize', () => {
  const current = level('level-2', 2, ['consistently', 'consistently', 'sometimes', 'not-yet', 'skip', 'consistently']);
  const next = level(
    'level-3',
    3,
    ['consistently', 'sometimes', 'sometimes', 'not-yet', 'skip', 'consistently', 'not-yet'],
    6,
  );

  it('counts each answer per level, in the order asked', () => {
    const s = summarize([...current, ...next], 'level-3');
    expect(s.levels).toEqual([
      {
        levelId: 'level-2',
        levelNumber: 2,
        levelTitle: 'Title 2',
        consistently: 3,
        sometimes: 1,
        notYet: 1,
        skipped: 1,
      },
      {
        levelId: 'level-3',
        levelNumber: 3,
        levelTitle: 'Title 3',
        consistently: 2,
        sometimes: 2,
        notYet: 2,
        skipped: 1,
      },
    ]);
  });

  it('readiness is over the next level only, skips excluded', () => {
    // (2 + 0.5 × 2) / 6 = 50%
    expect(summarize([...current, ...next], 'level-3').readiness).toBe(50);
  });

  it('strongest: Consistently, the next level first, at most three', () => {
    const s = summarize([...current, ...next], 'level-3');
    expect(s.strongest.map((q) => q.expectationId)).toEqual(['level-3-e1', 'level-3-e6', 'level-2-e1']);
  });

  it('focus: the current level’s Not yet, then the next level’s Not yet, then Sometimes; at most three', () => {
    const s = summarize([...current, ...next], 'level-3');
    expect(s.focus.map((q) => q.expectationId)).toEqual(['level-2-e4', 'level-3-e4', 'level-3-e7']);
  });

  it('no focus when everything is Consistently or skipped', () => {
    const s = summarize(level('level-3', 3, ['consistently', 'skip']), 'level-3');
    expect(s.focus).toEqual([]);
    expect(s.readiness).toBe(100);
  });

  it('only one level asked (the top of a path): no readiness', () => {
    const s = summarize(level('level-5', 5, ['consistently', 'sometimes']), null);
    expect(s.readiness).toBeNull();
    expect(s.targetLevelId).toBeNull();
  });

  it('all skipped: no readiness rather than 0%', () => {
    expect(summarize(level('level-3', 3, ['skip', 'skip']), 'level-3').readiness).toBeNull();
  });

  it('counts what moved to Consistently since the previous check-in', () => {
    const previous = {
      finishedAt: '2026-03-12T10:00:00.000Z',
      questions: level('level-3', 3, [
        'not-yet',
        'sometimes',
        'sometimes',
        'not-yet',
        'skip',
        'consistently',
        'not-yet',
      ]),
    };
    const s = summarize([...current, ...next], 'level-3', previous);
    // e1 moved from Not yet to Consistently; e6 was already Consistently.
    expect(s.change).toEqual({ toConsistently: 1, since: '2026-03-12T10:00:00.000Z' });
    expect(summarize([...current, ...next], 'level-3').change).toBeNull();
  });
});
