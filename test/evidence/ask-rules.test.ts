import { describe, expect, it } from 'vitest';
import { ASK_STATUSES } from '../../src/evidence/ask-model.js';
import { askDueAt, askSeenAs, matchExpectation } from '../../src/evidence/ask-rules.js';

const CHOICES = [
  { levelId: 'level-3', expectationId: 'seek-advice-when-needed', text: 'Seek advice and input when needed.' },
  {
    levelId: 'level-3',
    expectationId: 'begin-setting-area-strategy',
    text: 'Begin to set strategy, with coaching and advice.',
  },
  { levelId: 'level-2', expectationId: 'ship-regularly', text: 'Ship regularly, with guidance and oversight.' },
];

describe('matchExpectation', () => {
  it.each([
    ['ship regularly', 'one', ['ship-regularly']],
    ['SHIP-REGULARLY', 'one', ['ship-regularly']],
    ['shipping', 'one', ['ship-regularly']],
    ['strat', 'one', ['begin-setting-area-strategy']],
    ['advice', 'several', ['seek-advice-when-needed', 'begin-setting-area-strategy']],
    ['advice input', 'one', ['seek-advice-when-needed']],
    ['juggling', 'none', []],
    ['the and of', 'none', []],
  ] as const)('"%s" → %s', (words, kind, ids) => {
    const match = matchExpectation(words, CHOICES);
    expect(match.kind).toBe(kind);
    const found = match.kind === 'one' ? [match.choice] : match.kind === 'several' ? match.choices : [];
    expect(found.map((c) => c.expectationId)).toEqual(ids);
  });
});

describe('askSeenAs', () => {
  it.each([
    ['asked', 'waiting'],
    // A decline reads as an ask nobody answered yet: the person is never told who declined.
    ['declined', 'waiting'],
    ['answered', 'answered'],
    ['kept', 'kept'],
    ['discarded', 'not-kept'],
    ['expired', 'no-example'],
  ] as const)('%s reads as %s', (status, seen) => {
    expect(askSeenAs(status)).toBe(seen);
  });

  it('covers every status', () => {
    expect(ASK_STATUSES).toHaveLength(6);
  });

  it('an ask closes 14 days after it was made or answered', () => {
    expect(askDueAt(new Date('2026-12-04T10:00:00.000Z'))).toBe('2026-12-18T10:00:00.000Z');
  });
});
