import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/commands/lookup.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { type Framework, frameworkSchema, type Level } from '../../src/frameworks/schema.js';
import { helpMessage } from '../../src/slack/blocks/help.js';
import {
  actions,
  type Block,
  bulletList,
  button,
  context,
  fields,
  header,
  type Message,
  section,
  sections,
  splitMessage,
} from '../../src/slack/blocks/kit.js';
import {
  compareMessage,
  frameworksMessage,
  levelMessage,
  problemMessage,
  titleMatchesMessage,
  titlesMessage,
} from '../../src/slack/blocks/lookup.js';
import { checkMessage, LIMITS } from '../../src/slack/limits.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

/** The mrkdwn or plain text of each section, header and context block, in order. */
function texts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => {
    const block = b as { text?: { text: string }; fields?: { text: string }[]; elements?: { text?: unknown }[] };
    return [
      ...(block.text ? [block.text.text] : []),
      ...(block.fields ?? []).map((f) => f.text),
      ...(block.elements ?? []).map((e) => e.text).filter((t): t is string => typeof t === 'string'),
    ];
  });
}

function sectionText(block: Block | undefined): string {
  if (block?.type !== 'section' || !block.text) throw new Error(`not a text section: ${JSON.stringify(block)}`);
  return block.text.text;
}

describe('kit', () => {
  it.each<[string, string]>([
    ['Marketing · Level 3 · Coordinator', 'Marketing · Level 3 · Coordinator'],
    ['x'.repeat(150), 'x'.repeat(150)],
    ['x'.repeat(151), `${'x'.repeat(149)}…`],
  ])('keeps a header within 150 characters (%#)', (text, expected) => {
    expect(header(text)).toEqual({ type: 'header', text: { type: 'plain_text', text: expected, emoji: true } });
  });

  it('truncates a section, a field, a context element and a button label to their limits', () => {
    expect(sectionText(section('y'.repeat(5000)))).toHaveLength(LIMITS.sectionText);
    const f = fields(['z'.repeat(3000)]) as { fields: { text: string }[] };
    expect(f.fields[0]?.text).toHaveLength(LIMITS.sectionFieldText);
    const c = context('c'.repeat(4000)) as { elements: { text: string }[] };
    expect(c.elements[0]?.text).toHaveLength(LIMITS.sectionText);
    expect(button('b'.repeat(100), 'a', 'v').text.text).toHaveLength(LIMITS.buttonText);
  });

  it('keeps at most 10 fields and 10 context elements', () => {
    const many = Array.from({ length: 14 }, (_, i) => `item ${i}`);
    expect((fields(many) as { fields: unknown[] }).fields).toHaveLength(10);
    expect((context(...many) as { elements: unknown[] }).elements).toHaveLength(10);
  });

  it('sets a button style only when asked', () => {
    expect(button('Delete', 'forget', 'me', 'danger')).toMatchObject({ style: 'danger', action_id: 'forget' });
    expect(button('Next', 'next', 'v')).not.toHaveProperty('style');
  });

  it('escapes bullet items', () => {
    expect(bulletList(['<!channel> & co', 'plain'])).toEqual(['• &lt;!channel&gt; &amp; co', '• plain']);
  });

  describe('sections', () => {
    it.each<[string, string | undefined, string[], string[]]>([
      ['nothing for no lines and no title', undefined, [], []],
      ['the title alone', 'Title', [], ['*Title*']],
      ['a title and lines in one section', 'Title', ['a', 'b'], ['*Title*\na\nb']],
      ['lines without a title', undefined, ['a', 'b'], ['a\nb']],
      [
        'two lines that just fit',
        undefined,
        ['x'.repeat(1499), 'y'.repeat(1500)],
        [`${'x'.repeat(1499)}\n${'y'.repeat(1500)}`],
      ],
      [
        'three lines that do not',
        undefined,
        ['a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)],
        [`${'a'.repeat(1000)}\n${'b'.repeat(1000)}`, 'c'.repeat(1000)],
      ],
      [
        'one over-long line, truncated in its own section',
        'T',
        ['short', 'x'.repeat(5000), 'after'],
        ['*T*\nshort', `${'x'.repeat(2999)}…`, 'after'],
      ],
    ])('makes %s', (_, title, lines, expected) => {
      expect(sections(title, lines).map(sectionText)).toEqual(expected);
    });

    it('splits long lists below 3000 characters without splitting a line', () => {
      const lines = Array.from({ length: 40 }, (_, i) => `• item ${i} ${'w'.repeat(300)}`);
      const blocks = sections('Expectations', lines);
      expect(blocks.length).toBeGreaterThan(1);
      const parts = blocks.map(sectionText);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(parts.join('\n')).toBe(['*Expectations*', ...lines].join('\n'));
    });

    it('keeps any lines in order, each section non-empty and within the limit', () => {
      fc.assert(
        fc.property(
          fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
          fc.array(fc.string({ minLength: 1, maxLength: 4000 }), { maxLength: 20 }),
          (title, lines) => {
            const parts = sections(title, lines).map(sectionText);
            for (const part of parts) {
              expect(part.length).toBeGreaterThan(0);
              expect(part.length).toBeLessThanOrEqual(LIMITS.sectionText);
            }
            if (lines.every((l) => l.length <= LIMITS.sectionText)) {
              expect(parts.join('\n')).toBe([...(title ? [`*${title}*`] : []), ...lines].join('\n'));
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('actions', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => button(`B${i}`, `act.${i}`, String(i)));

    it.each<[number, number[]]>([
      [0, []],
      [1, [1]],
      [25, [25]],
      [26, [25, 1]],
      [60, [25, 25, 10]],
    ])('puts %i buttons 25 to a block: %j', (n, sizes) => {
      const blocks = actions(buttons(n)) as { elements: { action_id: string }[] }[];
      expect(blocks.map((b) => b.elements.length)).toEqual(sizes);
      expect(blocks.flatMap((b) => b.elements.map((e) => e.action_id))).toEqual(buttons(n).map((b) => b.action_id));
    });

    it('numbers the block ids after the first', () => {
      expect(actions(buttons(60), 'nav').map((b) => b.block_id)).toEqual(['nav', 'nav-1', 'nav-2']);
      expect(actions(buttons(3))[0]).not.toHaveProperty('block_id');
    });
  });

  describe('splitMessage', () => {
    const blocks = (n: number): Block[] => Array.from({ length: n }, (_, i) => section(`block ${i}`));

    it.each<[number, number | undefined, number[]]>([
      [0, undefined, [0]],
      [50, undefined, [50]],
      [51, undefined, [50, 1]],
      [120, undefined, [50, 50, 20]],
      [7, 3, [3, 3, 1]],
    ])('splits %i blocks (max %s) into %j', (n, max, sizes) => {
      const message: Message = { text: 'Fallback', blocks: blocks(n) };
      const parts = splitMessage(message, max);
      expect(parts.map((p) => p.blocks.length)).toEqual(sizes);
      expect(parts.flatMap((p) => p.blocks)).toEqual(message.blocks);
      expect(parts.map((p) => p.text)).toEqual(sizes.map((_, i) => (i === 0 ? 'Fallback' : 'Fallback (continued)')));
    });

    it('truncates a fallback text over 40,000 characters', () => {
      const [part] = splitMessage({ text: 'x'.repeat(50_000), blocks: [] });
      expect(part?.text).toHaveLength(LIMITS.messageText);
    });
  });
});

/** A framework whose one level has `count` expectations of `length` characters, each with a unique tag. */
function bigFramework(count: number, length: number): Framework {
  return frameworkSchema.parse({
    id: 'big',
    name: 'Big & <Bold>',
    levels: [
      {
        number: 1,
        id: 'one',
        titles: ['One'],
        scope: { scale: 1, text: 'Scope' },
        ownership: { scale: 1, text: 'Ownership' },
        focus: 'Focus',
        expectations: Array.from({ length: count }, (_, i) => ({
          id: `e-${i}`,
          text: `[e${String(i).padStart(2, '0')}] `.padEnd(length, 'x'),
        })),
        timeframe: { min: 6, max: 12 },
        next: ['two'],
      },
      {
        number: 2,
        id: 'two',
        titles: ['Two'],
        scope: { scale: 2, text: 'Scope' },
        ownership: { scale: 2, text: 'Ownership' },
        focus: 'Focus',
        expectations: [{ id: 'two-does', text: 'Does' }],
      },
    ],
  });
}

function expectWithinLimits(parts: readonly Message[]): void {
  parts.forEach((part, i) => {
    expect(checkMessage(part), `part ${i}`).toEqual([]);
  });
}

describe('level, lookup and help messages', () => {
  it.each<[number, number, number]>([
    // 80 expectations of 400 characters fit 7 to a section: one message.
    [80, 400, 1],
    [80, 1600, 2],
    [80, 2900, 2],
  ])('renders %i expectations of %i characters as %i message(s) within limits', (count, length, messages) => {
    const fw = bigFramework(count, length);
    const level = fw.levels[0] as Level;
    const parts = splitMessage(levelMessage(new Catalog([fw]), fw, level));
    expect(parts).toHaveLength(messages);
    expectWithinLimits(parts);
    const all = parts.flatMap((p) => texts(p.blocks)).join('\n');
    for (const e of level.expectations) {
      expect(all.split(e.text).length - 1, e.id).toBe(1);
    }
  });

  it('renders help within limits, with the usage lines escaped in the fallback', () => {
    const message = helpMessage(catalog.frameworks);
    expectWithinLimits([message]);
    expect(message.text).toContain('/career level &lt;number&gt; &lt;team&gt;');
    expect(message.text).not.toMatch(/[<>]/);
  });

  it('pins the wording of a mistyped subcommand, of the admin rule and of the help without a record', () => {
    const typo = problemMessage({
      kind: 'problem',
      message: 'I don\'t know "chekin".',
      didYouMeanCommand: '/career checkin',
      usage: '/career help',
    });
    expect(texts(typo.blocks)).toContain(':warning: I don\'t know "chekin".\nDid you mean `/career checkin`?');
    expect(typo.text).toBe('I don\'t know "chekin". Did you mean /career checkin?');
    const full = texts(helpMessage(catalog.frameworks).blocks).join('\n');
    expect(full).toContain(
      "Ripple admins are this workspace's Slack admins and owners, plus anyone listed in the server's CAREER_ADMINS setting.",
    );
    const short = helpMessage(catalog.frameworks, { admin: false, manager: false, hasRecord: false });
    expectWithinLimits([short]);
    expect(texts(short.blocks)).toContain(
      "*Your record*\nYou don't have a career record yet: a Ripple admin adds one, with your manager. Then `/career me` shows your level and window, and `/career checkin` holds your work up against your level, in private.",
    );
  });

  it('renders every level, title list and comparison of every default framework within limits', () => {
    const rendered: Message[] = [frameworksMessage(catalog.frameworks), titlesMessage(catalog.frameworks)];
    for (const fw of catalog.frameworks) {
      rendered.push(titlesMessage([fw]));
      for (const a of fw.levels) {
        rendered.push(...splitMessage(levelMessage(catalog, fw, a)));
        for (const b of fw.levels) if (a !== b) rendered.push(compareMessage(catalog.compare(fw, a, b)));
      }
    }
    expect(rendered.length).toBeGreaterThan(100);
    expectWithinLimits(rendered);
  });

  it('renders a long problem and many title matches within limits', () => {
    const problem: Problem = {
      kind: 'problem',
      message: `<!channel> ${'m'.repeat(4000)}`,
      didYouMean: 'marketing',
      options: Array.from({ length: 200 }, (_, i) => `option ${i} ${'o'.repeat(100)}`),
      usage: '/career level <number> <team>',
    };
    const message = problemMessage(problem);
    expectWithinLimits(splitMessage(message));
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    const matches = catalog.frameworks.flatMap((framework) => framework.levels.map((level) => ({ framework, level })));
    expectWithinLimits(splitMessage(titleMatchesMessage('<!here>', [...matches, ...matches])));
  });
});
