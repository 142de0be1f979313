import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FrameworkLoadError,
  type FrameworkProblem,
  formatProblems,
  loadFrameworks,
  parseFrameworkText,
} from '../../src/frameworks/load.js';

/** A small framework that loads; the broken cases below are copies of it with one thing wrong. */
const GOOD = `id: support
name: Support
aliases: [help-desk]
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    timeframe: { min: 3, max: 6 }
    next: [senior]
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
`;

interface BrokenCase {
  name: string;
  yaml: string;
  path: string;
  message: string;
  line?: number;
}

const broken: BrokenCase[] = [
  {
    name: 'missing required key (focus)',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    expectations:
      - id: answer
        text: Answer customers
`,
    path: 'levels[0].focus',
    message: 'required: expected string',
    line: 4, // a missing key is reported on its parent, the level
  },
  {
    name: 'wrong type (months as words)',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    timeframe:
      min: three
      max: 6
    next: [senior]
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
`,
    path: 'levels[0].timeframe.min',
    message: 'expected number, received string',
    line: 14,
  },
  {
    name: 'scale out of range (6)',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope:
      scale: 6
      text: Yourself
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
`,
    path: 'levels[0].scope.scale',
    message: '<=5',
    line: 8,
  },
  {
    name: 'timeframe max below min',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    timeframe: { min: 12, max: 6 }
    next: [senior]
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
`,
    path: 'levels[0].timeframe.max',
    message: 'max must be at least min',
    line: 13,
  },
  {
    name: 'next points at an unknown id',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    next: [senior]
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
    next:
      - staff
`,
    path: 'levels[1].next[0]',
    message: 'no level has id "staff" (known ids: junior, senior)',
    line: 24,
  },
  {
    name: 'duplicate level number',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
  - number: 1
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
`,
    path: 'levels[1].number',
    message: 'number 1 is already used by levels[0]',
    line: 13,
  },
  {
    name: 'duplicate expectation id',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
      - id: answer
        text: Answer customers quickly
`,
    path: 'levels[0].expectations[1].id',
    message: 'expectation id "answer" is already used at levels[0].expectations[0]',
    line: 13,
  },
  {
    name: 'unknown key (typo "expectation")',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectation:
      - id: answer
        text: Answer customers
`,
    path: 'levels[0]',
    message: 'unknown key "expectation" (check the spelling)',
  },
  {
    name: 'invalid YAML syntax',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
   titles: [Junior]
`,
    path: '',
    message: 'not valid YAML',
    line: 6,
  },
  {
    name: 'timeframe.to is not one of the next steps',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    timeframe: { min: 3, to: lead }
    next: [senior]
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
  - number: 3
    id: lead
    titles: [Lead]
    scope: { scale: 3, text: Your area }
    ownership: { scale: 3, text: Owns results }
    focus: Results
    expectations:
      - id: lead-team
        text: Lead the team
`,
    path: 'levels[0].timeframe.to',
    message: '"lead" is not one of this level\'s next steps (senior)',
  },
  {
    name: 'levels out of order',
    yaml: `id: support
name: Support
levels:
  - number: 2
    id: senior
    titles: [Senior]
    scope: { scale: 2, text: Your projects }
    ownership: { scale: 2, text: Owns an area }
    focus: Shipping
    expectations:
      - id: own
        text: Own an area
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
`,
    path: 'levels[1].number',
    message: 'levels must be listed in increasing order of number (1 comes after 2)',
    line: 13,
  },
  {
    name: 'framework id is not a slug',
    yaml: `id: Customer Support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
`,
    path: 'id',
    message: 'a lowercase slug',
    line: 1,
  },
  {
    name: 'timeframe without a next step',
    yaml: `id: support
name: Support
levels:
  - number: 1
    id: junior
    titles: [Junior]
    scope: { scale: 1, text: Yourself }
    ownership: { scale: 1, text: Learning }
    focus: Learning
    expectations:
      - id: answer
        text: Answer customers
    timeframe: { min: 3, max: 6 }
`,
    path: 'levels[0].timeframe',
    message: 'a timeframe needs a next step',
  },
];

function brokenYaml(name: string): string {
  const found = broken.find((c) => c.name === name);
  if (!found) throw new Error(`no broken case named "${name}"`);
  return found.yaml;
}

function problemsOf(file: string, yaml: string): FrameworkProblem[] {
  const result = parseFrameworkText(file, yaml);
  if (result.ok) throw new Error(`${file} was expected to fail but loaded`);
  return result.problems;
}

describe('parseFrameworkText', () => {
  it('loads the good example, filling in defaults', () => {
    const result = parseFrameworkText('support.yml', GOOD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.framework.owners).toEqual([]);
    expect(result.framework.levels[0]?.timeframe).toEqual({ min: 3, max: 6, optional: false, assumed: false });
    expect(result.framework.levels[1]?.timeframe).toBeNull();
    expect(result.framework.levels[1]?.next).toEqual([]);
  });

  it.each(broken)('reports $name at $path', ({ yaml, path, message, line }) => {
    const problems = problemsOf('support.yml', yaml);
    const problem = problems.find((p) => p.path === path && p.message.includes(message));
    expect(problem, `got ${JSON.stringify(problems, null, 2)}`).toBeDefined();
    expect(problem?.file).toBe('support.yml');
    if (line !== undefined) expect(problem?.line).toBe(line);
  });

  it('reports a YAML syntax error once, at its line and column, not the cascade after it', () => {
    // An unclosed "[" makes the parser misread everything after it: it reports 20 errors here.
    const problems = problemsOf('support.yml', GOOD.replace('levels:\n', 'levels: [\n'));
    expect(problems).toEqual([
      {
        file: 'support.yml',
        path: '',
        line: 5,
        column: 3,
        message:
          'not valid YAML: Block collections are not allowed within flow collections (and 19 more after it, most likely caused by this one)',
      },
    ]);
    expect(formatProblems(problems)).toBe(
      '1 problem in 1 framework file:\n  - support.yml:5:3: not valid YAML: Block collections are not allowed within flow collections (and 19 more after it, most likely caused by this one)',
    );
  });

  it("names the parser's first error by position, with its message", () => {
    // The unclosed "[" of line 7 is noticed where the next key starts.
    const problems = problemsOf('support.yml', GOOD.replace('titles: [Junior]', 'titles: [Junior'));
    expect(problems).toEqual([
      {
        file: 'support.yml',
        path: '',
        line: 8,
        column: 5,
        message: 'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
    const cascade = problemsOf('support.yml', GOOD.replace('next: [senior]', 'next: [senior'));
    expect(cascade.map((p) => `${p.line}:${p.column}`)).toEqual(['16:3']);
  });

  it('gives every problem of a file at once', () => {
    const yaml = GOOD.replace('scale: 1, text: Yourself', 'scale: 0, text: Yourself').replace(
      'focus: Shipping',
      'focus: 42',
    );
    const problems = problemsOf('support.yml', yaml);
    expect(problems.map((p) => p.path)).toEqual(['levels[0].scope.scale', 'levels[1].focus']);
  });
});

describe('loadFrameworks', () => {
  const dirs: string[] = [];
  const tempDir = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-frameworks-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function loadError(dir: string): FrameworkLoadError {
    try {
      loadFrameworks(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(FrameworkLoadError);
      return err as FrameworkLoadError;
    }
    throw new Error(`loading ${dir} was expected to fail`);
  }

  it('loads the .yml and .yaml files of a directory and ignores other files', () => {
    const dir = tempDir({
      'support.yml': GOOD,
      'sales.yaml': GOOD.replace('id: support', 'id: sales').replace('[help-desk]', '[]'),
      'README.md': '# not a framework',
    });
    expect(loadFrameworks(dir).map((f) => f.id)).toEqual(['sales', 'support']);
  });

  it('reports the problems of every bad file at once, in one error naming each file', () => {
    const dir = tempDir({
      'a-good.yml': GOOD,
      'b-bad.yml': brokenYaml('scale out of range (6)').replace('id: support', 'id: b'),
      'c-bad.yml': brokenYaml('next points at an unknown id').replace('id: support', 'id: c'),
    });
    const err = loadError(dir);
    expect(err.problems.map((p) => [p.file, p.path])).toEqual([
      ['b-bad.yml', 'levels[0].scope.scale'],
      ['c-bad.yml', 'levels[1].next[0]'],
    ]);
    expect(err.message).toContain('2 problems in 2 framework files');
    expect(err.message).toContain('b-bad.yml:8 at levels[0].scope.scale');
    expect(err.message).toContain('c-bad.yml:24 at levels[1].next[0]: no level has id "staff"');
  });

  it('reports one problem for a file with an unclosed bracket, with file:line:col', () => {
    const dir = tempDir({
      'a.yml': GOOD,
      'b.yml': GOOD.replace('id: support', 'id: b').replace('levels:\n', 'levels: [\n'),
    });
    const err = loadError(dir);
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain('1 problem in 1 framework file');
    expect(err.message).toContain(
      'b.yml:5:3: not valid YAML: Block collections are not allowed within flow collections',
    );
  });

  it('reports an alias used by two files', () => {
    const dir = tempDir({
      'a.yml': GOOD,
      'b.yml': GOOD.replace('id: support', 'id: helpdesk'),
    });
    const err = loadError(dir);
    expect(err.problems).toEqual([{ file: 'b.yml', path: 'aliases', message: '"help-desk" is already used by a.yml' }]);
  });

  it('reports a framework id used as an alias elsewhere', () => {
    const dir = tempDir({
      'a.yml': GOOD,
      'b.yml': GOOD.replace('id: support', 'id: help-desk').replace('[help-desk]', '[]'),
    });
    expect(loadError(dir).problems).toEqual([
      { file: 'b.yml', path: 'id', message: '"help-desk" is already used by a.yml' },
    ]);
  });

  it('says so when the directory has no framework files', () => {
    const dir = tempDir({ 'notes.txt': 'nothing here' });
    const err = loadError(dir);
    expect(err.message).toContain('no framework files (*.yml) found');
    expect(err.problems[0]?.file).toBe(dir);
  });

  it('says so when the directory is missing', () => {
    const dir = join(tempDir({}), 'nope');
    const err = loadError(dir);
    expect(err.message).toContain('cannot read the frameworks directory');
    expect(err.message).toContain(dir);
  });

  it('says so when the directory is empty', () => {
    expect(loadError(tempDir({})).message).toContain('no framework files');
  });
});
