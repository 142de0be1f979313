import { describe, expect, it } from 'vitest';
import type { EvidenceEntry } from '../../src/evidence/model.js';
import { type ExpectationChoice, groupByExpectation, suggestExpectation } from '../../src/evidence/rules.js';
import { loadFrameworks } from '../../src/frameworks/load.js';

const marketing = loadFrameworks('frameworks').find((f) => f.id === 'marketing');
if (!marketing) throw new Error('the marketing framework is missing');
const choicesOf = (levelId: string): ExpectationChoice[] =>
  (marketing.levels.find((l) => l.id === levelId)?.expectations ?? []).map((e) => ({
    levelId,
    expectationId: e.id,
    text: e.text,
  }));
// As the picker lists them for a Level 2 Strategist: the next level's first, then their own.
const choices = [...choicesOf('level-3'), ...choicesOf('level-2')];

const entry = (id: number, expectationId: string | null): EvidenceEntry => ({
  id,
  teamId: 'T0TEAM',
  userId: 'U0ALICE',
  source: 'win',
  text: `win ${id}`,
  note: null,
  frameworkId: 'marketing',
  target: expectationId ? { levelId: 'level-2', expectationId } : null,
  authorId: null,
  message: null,
  checkinId: null,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
});

describe('the expectation a message most likely shows', () => {
  it('is the one sharing the most words with it, whatever their form', () => {
    expect(
      suggestExpectation('We shipped the newsletter redesign, regularly, every week', choices)?.expectationId,
    ).toBe('ship-regularly');
    expect(suggestExpectation('I asked for help early instead of getting stuck', choices)?.expectationId).toBe(
      'ask-for-help-when-stuck',
    );
    // "Translate ideas into projects and see to it that they ship": the next level's, though "shipping" is not "ship".
    expect(suggestExpectation('Shipping the ideas from the offsite', choices)?.expectationId).toBe(
      'ideas-into-shipped-projects',
    );
  });

  it('is "no particular one" when nothing meaningful is shared', () => {
    expect(suggestExpectation('Thanks so much!! :tada:', choices)).toBeNull();
    expect(suggestExpectation('', choices)).toBeNull();
    expect(suggestExpectation('the and of with your', choices)).toBeNull();
  });

  it('prefers the earlier choice on a tie, so the next level comes first', () => {
    const tie: ExpectationChoice[] = [
      { levelId: 'level-3', expectationId: 'next', text: 'Own the launch' },
      { levelId: 'level-2', expectationId: 'now', text: 'Help the launch' },
    ];
    expect(suggestExpectation('the launch went out', tie)?.expectationId).toBe('next');
    expect(suggestExpectation('the launch went out', [...tie].reverse())?.expectationId).toBe('now');
  });
});

describe('a log read against the expectations', () => {
  it('groups entries in the order of the expectations, lists the gaps, and keeps the rest apart', () => {
    const entries = [
      entry(1, 'ship-regularly'),
      entry(2, null),
      entry(3, 'steady-progress'),
      entry(4, 'ship-regularly'),
    ];
    entries.push(entry(5, 'complete-well-defined-tasks'));
    const grouped = groupByExpectation(entries, choicesOf('level-2'));
    expect(grouped.groups.map((g) => [g.choice.expectationId, g.entries.map((e) => e.id)])).toEqual([
      ['steady-progress', [3]],
      ['ship-regularly', [1, 4]],
    ]);
    expect(grouped.gaps.map((c) => c.expectationId)).toEqual([
      'self-defined-tasks',
      'collaborate-with-peers',
      'self-directed-learning',
      'ask-for-help-when-stuck',
    ]);
    expect(grouped.other.map((e) => e.id)).toEqual([2, 5]);
  });

  it('has every expectation as a gap when nothing is kept yet', () => {
    const grouped = groupByExpectation([], choicesOf('level-2'));
    expect(grouped.groups).toEqual([]);
    expect(grouped.gaps).toHaveLength(6);
  });
});
