import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog, findPath, numberRange, sumTimeframes } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { closest, editDistance, normalize, wordCount } from '../../src/frameworks/match.js';
import { type Framework, type FrameworkFile, frameworkSchema, type Level } from '../../src/frameworks/schema.js';

const real = new Catalog(loadFrameworks('frameworks'));

function fw(catalog: Catalog, id: string): Framework {
  const found = catalog.get(id);
  if (!found) throw new Error(`no framework "${id}"`);
  return found;
}

function lvl(framework: Framework, number: number): Level {
  const found = framework.levels.find((l) => l.number === number);
  if (!found) throw new Error(`no level ${number} in ${framework.id}`);
  return found;
}

interface LiteralLevel {
  number: number;
  id: string;
  titles: string[];
  next?: string[];
  timeframe?: FrameworkFile['levels'][number]['timeframe'];
}

/** A small framework built as data and validated like a file, for precise cases. */
function literalFramework(id: string, name: string, levels: LiteralLevel[], aliases: string[] = []): Framework {
  return frameworkSchema.parse({
    id,
    name,
    aliases,
    levels: levels.map((l) => ({
      ...l,
      scope: { scale: Math.min(5, l.number), text: `${l.titles[0]} scope` },
      ownership: { scale: Math.min(5, l.number), text: `${l.titles[0]} ownership` },
      focus: 'Focus',
      expectations: [{ id: `${l.id}-does`, text: `What a ${l.titles[0]} does` }],
    })),
  });
}

const design = literalFramework(
  'design',
  'Design',
  [
    { number: 1, id: 'designer', titles: ['Designer'], next: ['lead'], timeframe: { min: 6, max: 12 } },
    { number: 2, id: 'lead', titles: ['Lead', 'Design Lead'] },
  ],
  ['ux'],
);
const data = literalFramework('data', 'Data', [
  { number: 1, id: 'analyst', titles: ['Analyst'], next: ['lead'], timeframe: { min: 12 } },
  { number: 2, id: 'lead', titles: ['Lead'] },
]);
const literal = new Catalog([design, data]);

describe('normalize', () => {
  it.each([
    ['Senior Engineer', 'senior engineer'],
    ['  SENIOR   engineer  ', 'senior engineer'],
    ['senior-engineer', 'senior engineer'],
    ['Head of …', 'head of'],
    ['Élan Vital', 'elan vital'],
    ['R&D', 'r d'],
    ['L3', 'l3'],
    ['…', ''],
    ['', ''],
  ])('normalizes "%s" to "%s"', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });
});

describe('normalize and wordCount on any text', () => {
  // The reference: Unicode decomposition for every text, as before ASCII skipped it.
  const slowNormalize = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();

  it('normalize skips decomposition for ASCII without changing the result', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => normalize(s) === slowNormalize(s)));
    for (let code = 0; code < 0x80; code++) {
      const s = `A${String.fromCharCode(code)}z`;
      expect(normalize(s)).toBe(slowNormalize(s));
    }
  });

  it('wordCount counts the words normalize leaves', () => {
    const count = (s: string) => (slowNormalize(s) ? slowNormalize(s).split(' ').length : 0);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => wordCount(s) === count(s)));
    for (let code = 0; code < 0x300; code++) {
      const c = String.fromCharCode(code);
      for (const s of [c, `a${c}b`, `${c}x${c}`]) expect(wordCount(s), JSON.stringify(s)).toBe(count(s));
    }
    expect([wordCount('Head of …'), wordCount('-'), wordCount('level-3'), wordCount('Élan Vital')]).toEqual([
      2, 0, 2, 2,
    ]);
  });
});

describe('editDistance', () => {
  it.each<[string, string, number | undefined, number]>([
    ['', '', undefined, 0],
    ['abc', 'abc', undefined, 0],
    ['', 'abc', undefined, 3],
    ['abc', '', undefined, 3],
    ['kitten', 'sitting', undefined, 3],
    ['flaw', 'lawn', undefined, 2],
    ['marketting', 'marketing', undefined, 1],
    ['marketting', 'marketing', 1, 1],
    ['kitten', 'sitting', 3, 3],
    // Over the bound: always max + 1, however far apart the words are.
    ['kitten', 'sitting', 2, 3],
    ['abc', 'abcdefgh', 2, 3],
    ['aaaa', 'bbbb', 3, 4],
    ['ab', 'xycd', 2, 3],
    ['engineering', 'happiness', 1, 2],
  ])('measures "%s" to "%s" (max %s) as %i', (a, b, max, expected) => {
    expect(editDistance(a, b, max)).toBe(expected);
  });
});

describe('closest', () => {
  it.each<[string, string[], string | undefined]>([
    ['marketting', ['marketing', 'engineering'], 'marketing'],
    ['Marketting!', ['marketing', 'engineering'], 'marketing'],
    ['enginering', ['engineer', 'engineering'], 'engineering'],
    ['mk', ['mkt', 'eng'], 'mkt'],
    ['zzz', ['abc', 'def'], undefined],
    ['xy', ['ab'], undefined],
    ['', ['marketing'], undefined],
    ['…', ['marketing'], undefined],
    ['marketing', [], undefined],
  ])('finds the closest to "%s" in %j: %s', (query, candidates, expected) => {
    expect(closest(query, candidates)).toBe(expected);
  });

  it('keeps the first of two equally close candidates', () => {
    expect(closest('cat', ['bat', 'hat'])).toBe('bat');
  });
});

describe('Catalog.findFramework', () => {
  it('sorts the frameworks by name', () => {
    expect(real.frameworks.map((f) => f.id)).toEqual(['engineering', 'happiness', 'marketing']);
    expect(literal.frameworks.map((f) => f.id)).toEqual(['data', 'design']);
  });

  it.each([
    ['engineering', 'engineering'],
    ['Engineering', 'engineering'],
    ['ENG', 'engineering'],
    ['dev', 'engineering'],
    ['engineers', 'engineering'],
    ['support', 'happiness'],
    ['customer support', 'happiness'],
    ['Customer-Support', 'happiness'],
    ['  hero  ', 'happiness'],
    ['mkt', 'marketing'],
    ['mark', 'marketing'],
    ['happ', 'happiness'],
    ['e', 'engineering'],
  ])('finds "%s" as %s', (query, id) => {
    const match = real.findFramework(query);
    expect(match.ok && match.framework.id).toBe(id);
  });

  it('suggests the closest team for a typo', () => {
    const match = real.findFramework('marketting');
    expect(match.ok).toBe(false);
    expect(!match.ok && match.reason === 'unknown' && match.suggestion?.id).toBe('marketing');
  });

  it.each(['xyzzy', '', '   '])('finds nothing and suggests nothing for "%s"', (query) => {
    expect(real.findFramework(query)).toEqual({ ok: false, reason: 'unknown', suggestion: undefined });
  });

  it('lists the candidates of an ambiguous prefix', () => {
    const match = literal.findFramework('d');
    expect(match.ok).toBe(false);
    expect(!match.ok && match.reason === 'ambiguous' && match.candidates.map((f) => f.id).sort()).toEqual([
      'data',
      'design',
    ]);
    const one = literal.findFramework('de');
    expect(one.ok && one.framework.id).toBe('design');
    const alias = literal.findFramework('UX');
    expect(alias.ok && alias.framework.id).toBe('design');
  });

  it('frameworkNamed reads a query as findFramework does, without a suggestion', () => {
    for (const query of ['marketing', 'MKT', 'eng', 'customer support', 'happ', 'market', 'e', '', '…', 'marketting']) {
      const match = real.findFramework(query);
      expect(real.frameworkNamed(query), query).toBe(match.ok ? match.framework : undefined);
    }
  });

  it('knows the longest team name and level name, in words', () => {
    // "customer support"; "Onboarding and Education Specialist I".
    expect([real.longestTeamName, real.longestLevelName]).toEqual([2, 5]);
    // A spelled-out number ("level 3") is two words, however short the titles.
    const tiny = new Catalog([frameworkSchema.parse({ ...fw(real, 'marketing'), id: 'x', name: 'X', aliases: [] })]);
    expect(tiny.longestTeamName).toBe(1);
    expect(new Catalog([]).longestLevelName).toBe(2);
  });

  it('gets a framework by exact id only', () => {
    expect(real.get('marketing')?.name).toBe('Marketing');
    expect(real.get('mkt')).toBeUndefined();
  });
});

describe('Catalog.findLevel', () => {
  const eng = fw(real, 'engineering');
  const mkt = fw(real, 'marketing');

  it.each<[Framework, string, number]>([
    [eng, '3', 3],
    [eng, '03', 3],
    [eng, 'L3', 3],
    [eng, 'level 3', 3],
    [eng, 'three', 3],
    [eng, 'III', 3],
    [eng, '3rd', 3],
    [eng, 'Staff Engineer', 6],
    [eng, 'staff engineer', 6],
    [eng, '  STAFF   ENGINEER ', 6],
    [eng, 'staff-engineer', 6],
    [eng, 'principal', 7],
    [eng, 'senior engineer', 4],
    [eng, 'senior engineer ii', 5],
    [eng, 'engineer of distinction', 8],
    [mkt, 'coordinator', 3],
    [mkt, 'Press Crafter', 1],
    [mkt, 'social', 1],
    [mkt, 'head of', 5],
    [mkt, 'Head of …', 5],
    [mkt, 'level-4', 4],
  ])('finds "%s" in %s as level %i', (framework, query, number) => {
    const match = real.findLevel(framework, query);
    expect(match.ok && match.level.number).toBe(number);
  });

  it('finds a level by id', () => {
    const match = real.findLevel(fw(real, 'happiness'), 'tech-hero');
    expect(match.ok && match.level.titles).toEqual(['Tech Hero']);
  });

  it('names the candidates when a prefix fits several levels ("senior" in engineering)', () => {
    const match = real.findLevel(eng, 'senior');
    expect(match.ok).toBe(false);
    expect(!match.ok && match.reason === 'ambiguous' && match.candidates.map((l) => l.number)).toEqual([4, 5]);
  });

  it.each<[Framework, string, number, { min: number; max: number }]>([
    [eng, '9', 9, { min: 1, max: 8 }],
    [eng, 'level 12', 12, { min: 1, max: 8 }],
    [mkt, 'six', 6, { min: 1, max: 5 }],
    [mkt, '0', 0, { min: 1, max: 5 }],
  ])('gives the range for a number out of range (%s "%s")', (framework, query, number, range) => {
    expect(real.findLevel(framework, query)).toEqual({ ok: false, reason: 'out-of-range', number, range });
  });

  it('suggests the closest title for a typo', () => {
    const match = real.findLevel(eng, 'Stafff Engineer');
    expect(!match.ok && match.reason === 'unknown' && match.suggestion?.id).toBe('staff-engineer');
  });

  it.each(['wizard', '', '   '])('finds nothing and suggests nothing for "%s"', (query) => {
    expect(real.findLevel(mkt, query)).toEqual({ ok: false, reason: 'unknown', suggestion: undefined });
  });

  it('computes the number range of a framework', () => {
    expect(numberRange(eng)).toEqual({ min: 1, max: 8 });
    expect(numberRange(fw(real, 'happiness'))).toEqual({ min: 1, max: 7 });
  });
});

describe('Catalog.findTitle', () => {
  const found = (catalog: Catalog, query: string) =>
    catalog.findTitle(query).map(({ framework, level }) => `${framework.id} ${level.number}`);

  it.each<[string, string[]]>([
    ['Staff Engineer', ['engineering 6']],
    ['coordinator', ['marketing 3']],
    // An exact title beats the titles that start with it.
    ['senior', ['marketing 4']],
    ['Senior Engineer', ['engineering 4']],
    ['sen', ['engineering 4', 'engineering 5', 'marketing 4']],
    ['happiness hero', ['happiness 1', 'happiness 2', 'happiness 3']],
    ['tech hero', ['happiness 7']],
    ['wizard', []],
    ['', []],
  ])('finds "%s" in %j', (query, expected) => {
    expect(found(real, query)).toEqual(expected);
  });

  it('finds the same title in several frameworks', () => {
    expect(found(literal, 'lead')).toEqual(['data 2', 'design 2']);
    expect(found(literal, 'design lead')).toEqual(['design 2']);
  });

  it('lists every title for suggestions', () => {
    const titles = real.allTitles();
    expect(titles).toContain('Engineer of Distinction');
    expect(titles).toContain('Social Media Marketer');
    expect(titles).toHaveLength(8 + 7 + 7);
  });
});

describe('Catalog.nextSteps and previousSteps', () => {
  const ids = (levels: Level[]) => levels.map((l) => l.id);
  const eng = fw(real, 'engineering');
  const happy = fw(real, 'happiness');

  it.each<[Framework, number, string[], string[]]>([
    [eng, 1, ['software-engineer-ii'], []],
    [eng, 2, ['software-engineer-iii', 'senior-engineer'], ['software-engineer']],
    [eng, 4, ['senior-engineer-ii', 'staff-engineer'], ['software-engineer-ii', 'software-engineer-iii']],
    [eng, 6, ['principal-engineer'], ['senior-engineer', 'senior-engineer-ii']],
    [eng, 8, [], ['principal-engineer']],
    [happy, 1, ['happiness-hero-ii', 'onboarding-specialist-i'], []],
    [happy, 2, ['happiness-hero-iii', 'onboarding-specialist-i', 'happiness-lead'], ['happiness-hero-i']],
    [happy, 4, ['onboarding-specialist-ii'], ['happiness-hero-i', 'happiness-hero-ii', 'happiness-hero-iii']],
    [happy, 6, [], ['happiness-hero-ii', 'happiness-hero-iii']],
    [happy, 7, [], ['happiness-hero-iii']],
  ])('%s level %i leads to %j and is entered from %j', (framework, number, next, previous) => {
    const level = lvl(framework, number);
    expect(ids(real.nextSteps(framework, level))).toEqual(next);
    expect(ids(real.previousSteps(framework, level))).toEqual(previous);
  });
});

describe('Catalog.compare', () => {
  it.each<[string, number, number, number[] | undefined, { min: number; max?: number } | undefined]>([
    ['marketing', 3, 4, [3, 4], { min: 12, max: 24 }],
    ['marketing', 1, 3, [1, 2, 3], { min: 9, max: 18 }],
    ['marketing', 1, 5, [1, 2, 3, 4, 5], { min: 33, max: 66 }],
    // Shortest path, through Software Engineer II's timeframe to Senior Engineer.
    ['engineering', 1, 4, [1, 2, 4], { min: 18, max: 48 }],
    // Open-ended steps make the sum open-ended.
    ['engineering', 4, 6, [4, 6], { min: 24, max: undefined }],
    ['engineering', 4, 7, [4, 6, 7], { min: 60, max: undefined }],
    ['engineering', 5, 6, [5, 6], { min: 24, max: undefined }],
    // Principal Engineer has no timeframe.
    ['engineering', 6, 8, [6, 7, 8], undefined],
    // Software Engineer II's timeframe is to Senior Engineer, not to Software Engineer III.
    ['engineering', 2, 3, [2, 3], undefined],
    ['engineering', 1, 3, [1, 2, 3], undefined],
    ['engineering', 2, 4, [2, 4], { min: 12, max: 36 }],
    ['happiness', 1, 2, [1, 2], { min: 6, max: 12 }],
    // Happiness Hero I's timeframe is to Hero II, not to the Onboarding side track.
    ['happiness', 1, 4, [1, 4], undefined],
    ['happiness', 3, 7, [3, 7], { min: 12, max: 24 }],
    ['happiness', 3, 5, [3, 4, 5], { min: 24, max: 48 }],
    // Side tracks: neither leads to the other.
    ['happiness', 6, 7, undefined, undefined],
    ['happiness', 5, 6, undefined, undefined],
  ])('compares %s %i and %i: path %j, typical %j', (id, a, b, path, typical) => {
    const framework = fw(real, id);
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const c = real.compare(framework, lvl(framework, x), lvl(framework, y));
      expect(c.lower.number, 'lower').toBe(Math.min(a, b));
      expect(c.higher.number, 'higher').toBe(Math.max(a, b));
      expect(c.path?.map((l) => l.number)).toEqual(path);
      expect(c.typical).toEqual(typical);
    }
  });

  it('takes scope, ownership and expectations from the two levels', () => {
    const mkt = fw(real, 'marketing');
    const c = real.compare(mkt, lvl(mkt, 4), lvl(mkt, 3));
    expect(c.framework).toBe(mkt);
    expect(c.scope).toEqual({ from: lvl(mkt, 3).scope, to: lvl(mkt, 4).scope });
    expect(c.ownership).toEqual({ from: lvl(mkt, 3).ownership, to: lvl(mkt, 4).ownership });
    expect(c.adds).toBe(lvl(mkt, 4).expectations);
  });
});

describe('findPath and sumTimeframes', () => {
  const eng = fw(real, 'engineering');

  it('finds no path from a level to itself or backwards', () => {
    expect(findPath(eng, lvl(eng, 3), lvl(eng, 3))).toBeUndefined();
    expect(findPath(eng, lvl(eng, 4), lvl(eng, 1))).toBeUndefined();
  });

  it('finds the shortest of two paths', () => {
    expect(findPath(eng, lvl(eng, 4), lvl(eng, 6))?.map((l) => l.number)).toEqual([4, 6]);
    expect(findPath(eng, lvl(eng, 2), lvl(eng, 8))?.map((l) => l.number)).toEqual([2, 4, 6, 7, 8]);
  });

  it.each<[string, Framework, number[], { min: number; max?: number } | undefined]>([
    ['a closed window', design, [1, 2], { min: 6, max: 12 }],
    ['an open-ended window', data, [1, 2], { min: 12, max: undefined }],
    ['a single level', design, [2], { min: 0, max: 0 }],
    ['a step without a timeframe', fw(real, 'engineering'), [7, 8], undefined],
  ])('sums %s', (_, framework, numbers, expected) => {
    expect(sumTimeframes(numbers.map((n) => lvl(framework, n)))).toEqual(expected);
  });
});
