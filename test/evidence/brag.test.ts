import { describe, expect, it } from 'vitest';
import { type BragInput, bragMarkdown, escapeMarkdown } from '../../src/evidence/brag.js';
import type { EvidenceEntry } from '../../src/evidence/model.js';
import { EVIDENCE_SOURCE_WORDS } from '../../src/teammates/export.js';

describe('escapeMarkdown', () => {
  it.each([
    ['plain words', 'Shipped the site on time', 'Shipped the site on time'],
    ['emphasis and code', '*bold* _it_ `code`', '\\*bold\\* \\_it\\_ \\`code\\`'],
    ['a link and an image', '![x](http://a) [y](http://b)', '!\\[x\\](http://a) \\[y\\](http://b)'],
    ['HTML and an entity', '<b>hi</b> &amp;', '\\<b\\>hi\\</b\\> \\&amp;'],
    ['a heading', '# Big', '\\# Big'],
    [
      'a list, a quote, an ordered list',
      '- a\n+ b\n> c\n1. d\n2) e',
      '\\- a\\\n  \\+ b\\\n  \\> c\\\n  1\\. d\\\n  2\\) e',
    ],
    ['a setext underline and a rule', 'Title\n===\n---', 'Title\\\n  \\===\\\n  \\---'],
    ['indentation that would be code', '    code', 'code'],
    ['a table and strikethrough', 'a | b ~~c~~', 'a \\| b \\~\\~c\\~\\~'],
    ['a backslash', 'C:\\path', 'C:\\\\path'],
    ['a dash inside words stays', 'e-mail v1.2 (draft)', 'e-mail v1.2 (draft)'],
  ])('%s', (_name, input, escaped) => {
    expect(escapeMarkdown(input)).toBe(escaped);
  });
});

const entry = (id: number, text: string, expectationId: string | null, extra: Partial<EvidenceEntry> = {}) =>
  ({
    id,
    teamId: 'T0TEAM',
    userId: 'U0BEN',
    source: 'win',
    text,
    note: null,
    frameworkId: 'marketing',
    target: expectationId ? { levelId: 'level-2', expectationId } : null,
    authorId: null,
    message: null,
    checkinId: null,
    createdAt: '2026-03-12T10:00:00.000Z',
    updatedAt: '2026-03-12T10:00:00.000Z',
    ...extra,
  }) satisfies EvidenceEntry;

const input: BragInput = {
  from: '2025-12-04T10:00:00.000Z',
  to: '2026-12-04T10:00:00.000Z',
  record: 'Marketing · Level 2 · Strategist since 2026-01-15',
  levels: [
    {
      label: 'Level 2 · Strategist',
      role: 'current',
      choices: [
        { levelId: 'level-2', expectationId: 'ship', text: 'Ship regularly.', levelLabel: 'Level 2 · Strategist' },
        { levelId: 'level-2', expectationId: 'learn', text: 'Learn\non your own.', levelLabel: 'Level 2 · Strategist' },
      ],
    },
    {
      label: 'Level 3 · Coordinator',
      role: 'next',
      choices: [
        { levelId: 'level-3', expectationId: 'lead', text: 'Lead projects.', levelLabel: 'Level 3 · Coordinator' },
      ],
    },
  ],
  evidence: [
    entry(3, 'Led the launch', 'lead', { authorId: 'U0CHEN', source: 'colleague' }),
    entry(2, 'Shipped the site', 'ship', { note: 'Two weeks *early*' }),
    entry(1, 'Helped onboarding', null),
  ],
  sourceWords: EVIDENCE_SOURCE_WORDS,
  names: new Map([['U0CHEN', '@chen']]),
  self: 'U0BEN',
  checkins: [
    { finishedAt: '2026-03-01T10:00:00.000Z', readiness: 40, target: 'Level 3', shared: false },
    { finishedAt: '2026-09-01T10:00:00.000Z', readiness: 70, target: 'Level 3', shared: true },
    { finishedAt: '2026-10-01T10:00:00.000Z', readiness: null, target: null, shared: false },
  ],
  levelChanges: [{ at: '2026-01-15T10:00:00.000Z', from: null, to: 'Level 2 · Strategist' }],
};

describe('bragMarkdown', () => {
  it('groups evidence under each expectation of the level and the next, with gaps, the rest, check-ins and level changes', () => {
    const md = bragMarkdown(input);
    expect(md).toBe(`# My year in Ripple

_4 December 2025 to 4 December 2026. Made for you from your own data: nobody else was sent it._

**Now:** Marketing · Level 2 · Strategist since 2026-01-15

## Evidence by expectation

### Level 2 · Strategist (your level)

#### Ship regularly.

- 12 March 2026 · a win you logged: Shipped the site
  _Note:_ Two weeks \\*early\\*

#### Learn on your own.

_Nothing yet._

### Level 3 · Coordinator (next)

#### Lead projects.

- 12 March 2026 · an example a colleague gave: Led the launch
  — @chen

### Other evidence

_For no expectation in particular, or for an earlier level._

- 12 March 2026 · a win you logged: Helped onboarding

## Check-ins

- 1 March 2026: readiness 40% for Level 3
- 1 September 2026: readiness 70% for Level 3 (shared with your manager)
- 1 October 2026: readiness not measured

_Over the period: up 30 points._

## Level changes

- 15 January 2026: Level 2 · Strategist (first recorded)
`);
  });

  it('says when the period holds nothing', () => {
    const md = bragMarkdown({ ...input, evidence: [], checkins: [], levelChanges: [] });
    expect(md).toContain('_No evidence kept in this period._');
    expect(md).toContain('_No finished check-ins in this period._');
    expect(md).toContain('_No level change in this period._');
    expect(md).not.toContain('### Other evidence');
  });
});
