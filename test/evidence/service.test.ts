import { describe, expect, it } from 'vitest';
import { expectationChoices } from '../../src/evidence/service.js';
import { loadFrameworks } from '../../src/frameworks/load.js';

/** The expectations the picker offers, from the default frameworks. */
const frameworks = new Map(loadFrameworks('frameworks').map((f) => [f.id, f]));
const framework = (id: string) => {
  const f = frameworks.get(id);
  if (!f) throw new Error(`no framework ${id}`);
  return f;
};

describe('expectationChoices', () => {
  it('the next level’s expectations first, then the current level’s, each named by its level', () => {
    const choices = expectationChoices(framework('marketing'), { levelId: 'level-2' });
    expect(choices.map((c) => c.levelId)).toEqual([...Array(7).fill('level-3'), ...Array(6).fill('level-2')]);
    expect(choices[0]).toEqual({
      levelId: 'level-3',
      expectationId: 'drive-results-without-supervision',
      text: 'Drive results with little or no supervision.',
      level: 'Level 3',
    });
  });

  it('where the path forks, every next level in the framework’s order, then the current one', () => {
    const choices = expectationChoices(framework('engineering'), { levelId: 'software-engineer-ii' });
    const levels = [...new Set(choices.map((c) => c.levelId))];
    expect(levels).toEqual(['software-engineer-iii', 'senior-engineer', 'software-engineer-ii']);
    expect(choices).toHaveLength(4 + 5 + 4);
  });

  it('the top of a framework offers its own level only; an unknown level offers nothing', () => {
    const top = framework('marketing').levels.find((l) => l.next.length === 0);
    const choices = expectationChoices(framework('marketing'), { levelId: top?.id ?? '' });
    expect(new Set(choices.map((c) => c.levelId))).toEqual(new Set([top?.id]));
    expect(expectationChoices(framework('marketing'), { levelId: 'no-such-level' })).toEqual([]);
  });
});
