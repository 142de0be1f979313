import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/commands/grammar.js';
import { type LookupResult, type Problem, resolveTeamAndLevel, runLookup } from '../../src/commands/lookup.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { type Framework, frameworkSchema } from '../../src/frameworks/schema.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

function fw(id: string): Framework {
  const found = catalog.get(id);
  if (!found) throw new Error(`no framework "${id}"`);
  return found;
}

/** Two small frameworks that share the title "Lead". */
function literalFramework(id: string, name: string, titles: string[]): Framework {
  return frameworkSchema.parse({
    id,
    name,
    levels: titles.map((title, i) => ({
      number: i + 1,
      id: `${id}-${i + 1}`,
      titles: [title],
      scope: { scale: i + 1, text: 'scope' },
      ownership: { scale: i + 1, text: 'ownership' },
      focus: 'Focus',
      expectations: [{ id: `${id}-${i + 1}-does`, text: 'Does things' }],
      next: i + 1 < titles.length ? [`${id}-${i + 2}`] : [],
    })),
  });
}
const shared = new Catalog([
  literalFramework('design', 'Design', ['Designer', 'Lead']),
  literalFramework('data', 'Data', ['Analyst', 'Lead']),
]);

const TEAM_OPTIONS = [
  'engineering (Engineering, 8 levels)',
  'happiness (Happiness, 7 levels)',
  'marketing (Marketing, 5 levels)',
];
const ENGINEERING_LEVELS = [
  '1 · Software Engineer',
  '2 · Software Engineer II',
  '3 · Software Engineer III',
  '4 · Senior Engineer',
  '5 · Senior Engineer II',
  '6 · Staff Engineer',
  '7 · Principal Engineer',
  '8 · Engineer of Distinction',
];

/** `engineering 6` for a level, the kind otherwise: short enough for table cases. */
function summary(result: LookupResult | ReturnType<typeof resolveTeamAndLevel>): string {
  if ('level' in result) return `${result.framework.id} ${result.level.number}`;
  switch (result.kind) {
    case 'titles':
      return `titles ${result.frameworks.map((f) => f.id).join(',')}`;
    case 'compare':
      return `compare ${result.comparison.framework.id} ${result.comparison.lower.number}-${result.comparison.higher.number}`;
    case 'title-matches':
      return `title-matches ${result.matches.map(({ framework, level }) => `${framework.id} ${level.number}`).join(',')}`;
    case 'problem':
      return `problem: ${result.message}`;
    default:
      return result.kind;
  }
}

function problem(result: LookupResult | ReturnType<typeof resolveTeamAndLevel>): Problem {
  if (!('kind' in result) || result.kind !== 'problem') throw new Error(`expected a problem, got ${summary(result)}`);
  return result;
}

describe('resolveTeamAndLevel', () => {
  it.each<[string[], string]>([
    [['3', 'marketing'], 'marketing 3'],
    [['marketing', '3'], 'marketing 3'],
    [['Marketing', 'level', '3'], 'marketing 3'],
    [['three', 'mkt'], 'marketing 3'],
    [['III', 'marketing'], 'marketing 3'],
    [['L3', 'Marketing'], 'marketing 3'],
    [['coordinator', 'marketing'], 'marketing 3'],
    [['marketing', 'head', 'of'], 'marketing 5'],
    [['engineering', 'staff', 'engineer'], 'engineering 6'],
    [['staff', 'engineer', 'engineering'], 'engineering 6'],
    [['engineering', 'senior', 'engineer'], 'engineering 4'],
    [['senior', 'engineer', 'ii', 'eng'], 'engineering 5'],
    [['happiness', 'tech', 'hero'], 'happiness 7'],
    [['customer', 'support', '2'], 'happiness 2'],
    [['Staff Engineer', 'engineering'], 'engineering 6'],
    // Titles alone, including those that hold a team word ("engineer").
    [['coordinator'], 'marketing 3'],
    [['senior', 'engineer'], 'engineering 4'],
    [['software', 'engineer'], 'engineering 1'],
    [['engineer', 'of', 'distinction'], 'engineering 8'],
  ])('finds %j', (words, expected) => {
    expect(summary(resolveTeamAndLevel(catalog, words))).toBe(expected);
  });

  it.each<[string[], string, string]>([
    [['3'], 'marketing', 'marketing 3'],
    [['coordinator'], 'marketing', 'marketing 3'],
    [['3', 'engineering'], 'marketing', 'engineering 3'],
    [['staff', 'engineer'], 'marketing', 'engineering 6'],
    [['9'], 'marketing', 'problem: Marketing has levels 1 to 5; there is no level 9.'],
    [['senior'], 'engineering', 'problem: "senior" matches more than one Engineering level.'],
  ])('reads %j with %s as the default framework', (words, defaultId, expected) => {
    expect(summary(resolveTeamAndLevel(catalog, words, fw(defaultId)))).toBe(expected);
  });

  it.each<[string[], Problem]>([
    [['3'], { kind: 'problem', message: 'Level 3 of which team?', options: TEAM_OPTIONS, usage: USAGE.level }],
    [
      ['3', 'marketting'],
      {
        kind: 'problem',
        message: 'I don\'t know a team called "marketting".',
        didYouMean: 'marketing',
        options: TEAM_OPTIONS,
        usage: USAGE.level,
      },
    ],
    [
      ['foo', 'bar'],
      {
        kind: 'problem',
        message: 'I don\'t know a team called "foo".',
        didYouMean: undefined,
        options: TEAM_OPTIONS,
        usage: USAGE.level,
      },
    ],
    [
      ['9', 'marketing'],
      { kind: 'problem', message: 'Marketing has levels 1 to 5; there is no level 9.', usage: USAGE.level },
    ],
    [
      ['marketing', 'level', '12'],
      { kind: 'problem', message: 'Marketing has levels 1 to 5; there is no level 12.', usage: USAGE.level },
    ],
    [
      ['engineering', 'senior'],
      {
        kind: 'problem',
        message: '"senior" matches more than one Engineering level.',
        options: ['4 · Senior Engineer', '5 · Senior Engineer II'],
        usage: USAGE.level,
      },
    ],
    [
      ['marketing', 'wizard'],
      {
        kind: 'problem',
        message: 'Marketing has no level "wizard".',
        didYouMean: undefined,
        options: [
          '1 · Content Crafter / Press Crafter / Social Media Marketer',
          '2 · Strategist',
          '3 · Coordinator',
          '4 · Senior',
          '5 · Head of …',
        ],
        usage: USAGE.level,
      },
    ],
    [
      ['engineering'],
      { kind: 'problem', message: 'Which Engineering level?', options: ENGINEERING_LEVELS, usage: USAGE.level },
    ],
    [
      ['eng'],
      { kind: 'problem', message: 'Which Engineering level?', options: ENGINEERING_LEVELS, usage: USAGE.level },
    ],
  ])('explains %j', (words, expected) => {
    expect(resolveTeamAndLevel(catalog, words)).toEqual(expected);
  });

  it('suggests the closest title of a known team', () => {
    expect(problem(resolveTeamAndLevel(catalog, ['marketing', 'coordinater'])).didYouMean).toBe('Coordinator');
  });

  it('uses the usage line it is given', () => {
    expect(problem(resolveTeamAndLevel(catalog, ['9', 'marketing'], undefined, USAGE.set)).usage).toBe(USAGE.set);
  });
});

describe('runLookup', () => {
  it('lists the frameworks', () => {
    expect(runLookup(catalog, { kind: 'frameworks' })).toEqual({ kind: 'frameworks', frameworks: catalog.frameworks });
  });

  it.each<[string | undefined, string]>([
    [undefined, 'titles engineering,happiness,marketing'],
    ['eng', 'titles engineering'],
    ['customer support', 'titles happiness'],
    ['foo', 'problem: I don\'t know a team called "foo".'],
  ])('lists the titles of %s', (team, expected) => {
    expect(summary(runLookup(catalog, team === undefined ? { kind: 'titles' } : { kind: 'titles', team }))).toBe(
      expected,
    );
  });

  it('names the candidates when a team prefix is ambiguous', () => {
    expect(runLookup(shared, { kind: 'titles', team: 'd' })).toEqual({
      kind: 'problem',
      message: '"d" could be more than one team.',
      options: ['data', 'design'],
      usage: USAGE.titles,
    });
  });

  it.each<[string[], string | undefined, string]>([
    [['3', 'marketing'], undefined, 'marketing 3'],
    [['3'], 'marketing', 'marketing 3'],
    [['3'], undefined, 'problem: Level 3 of which team?'],
  ])('runs level %j (default %s)', (words, defaultId, expected) => {
    const options = defaultId ? { defaultFramework: fw(defaultId) } : {};
    expect(summary(runLookup(catalog, { kind: 'level', words }, options))).toBe(expected);
  });

  it.each<[string[], string]>([
    [['marketing', '3', 'vs', '4'], 'compare marketing 3-4'],
    [['marketing', '4', 'and', '3'], 'compare marketing 3-4'],
    [['marketing', '3', 'to', '4'], 'compare marketing 3-4'],
    [['marketing', '3', 'versus', '4'], 'compare marketing 3-4'],
    [['mkt', 'three', 'IV'], 'compare marketing 3-4'],
    [['marketing', 'senior', 'and', 'coordinator'], 'compare marketing 3-4'],
    [['engineering', 'senior', 'engineer', 'vs', 'staff', 'engineer'], 'compare engineering 4-6'],
    [['engineering', 'Senior Engineer', 'Staff Engineer'], 'compare engineering 4-6'],
    [['happiness', 'Happiness Lead', 'Tech Hero'], 'compare happiness 6-7'],
    [['marketing', '3', '3'], 'problem: Those are the same level: pick two different ones.'],
    [['marketing', '3', 'coordinator'], 'problem: Those are the same level: pick two different ones.'],
    [['marketing', '1', '9'], 'problem: Marketing has levels 1 to 5; there is no level 9.'],
    [['marketing', '9', 'vs', '1'], 'problem: Marketing has levels 1 to 5; there is no level 9.'],
    [['marketing', 'vs', '3'], 'problem: Compare needs two levels after the team.'],
    [['foo', '1', '2'], 'problem: I don\'t know a team called "foo".'],
  ])('compares %j', (words, expected) => {
    expect(summary(runLookup(catalog, { kind: 'compare', words }))).toBe(expected);
  });

  it('compares with the path and the typical time between the levels', () => {
    const result = runLookup(catalog, { kind: 'compare', words: ['marketing', '1', '3'] });
    expect(result.kind === 'compare' && result.comparison.typical).toEqual({ min: 9, max: 18 });
    const tracks = runLookup(catalog, { kind: 'compare', words: ['happiness', 'Happiness Lead', 'Tech Hero'] });
    expect(tracks.kind === 'compare' && tracks.comparison.path).toBeUndefined();
  });

  it('suggests the closest team in a compare', () => {
    expect(runLookup(catalog, { kind: 'compare', words: ['marketting', '1', '2'] })).toMatchObject({
      kind: 'problem',
      didYouMean: 'marketing',
      usage: USAGE.compare,
    });
  });

  it.each<[string[], string]>([
    [['Staff', 'Engineer'], 'engineering 6'],
    [['coordinator'], 'marketing 3'],
    [['coordinato'], 'marketing 3'],
    [['Head', 'of'], 'marketing 5'],
    [['marketing', '3'], 'marketing 3'],
    [['3', 'marketing'], 'marketing 3'],
    // A bare team name lists its titles, even when a title starts with it.
    [['engineering'], 'titles engineering'],
    [['eng'], 'titles engineering'],
    [['engineer'], 'titles engineering'],
    [['hero'], 'titles happiness'],
    [['Customer', 'Support'], 'titles happiness'],
    [['Happiness', 'Hero'], 'title-matches happiness 1,happiness 2,happiness 3'],
    [['sen'], 'title-matches engineering 4,engineering 5,marketing 4'],
    [['xyzzy'], 'problem: I don\'t know "xyzzy": it isn\'t a command, a team or a title.'],
  ])('looks up %j', (words, expected) => {
    expect(summary(runLookup(catalog, { kind: 'lookup', words }))).toBe(expected);
  });

  it('offers every level called the same in several frameworks', () => {
    expect(summary(runLookup(shared, { kind: 'lookup', words: ['Lead'] }))).toBe('title-matches data 2,design 2');
  });

  it.each<[string[], string | undefined]>([
    [['marketting'], 'marketing'],
    [['crafter'], 'Content Crafter'],
    [['xyzzy'], undefined],
  ])('suggests something close to %j: %s', (words, didYouMean) => {
    expect(runLookup(catalog, { kind: 'lookup', words })).toMatchObject({
      kind: 'problem',
      didYouMean,
      usage: USAGE.help,
    });
  });
});

describe('the caller’s own framework as the default', () => {
  it('still finds a title from another team ("coordinator" asked by an engineer)', () => {
    const catalog = new Catalog(loadFrameworks('frameworks'));
    const engineering = catalog.get('engineering');
    const found = resolveTeamAndLevel(catalog, ['coordinator'], engineering);
    expect('level' in found && found.level.titles).toEqual(['Coordinator']);
    const staff = resolveTeamAndLevel(catalog, ['6'], engineering);
    expect('level' in staff && staff.level.titles).toEqual(['Staff Engineer']);
  });
});
