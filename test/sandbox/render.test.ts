import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { Level } from '../../src/frameworks/schema.js';
import { ansiStyle, mrkdwnToText, plainStyle, renderBlocks } from '../../src/sandbox/render.js';
import { actions, button, context, divider, fields, header, section } from '../../src/slack/blocks/kit.js';
import { levelMessage } from '../../src/slack/blocks/lookup.js';

const NAMES: Record<string, string> = { U0ANA00001: 'Ana' };
const fakeNameOf = (userId: string): string | undefined => NAMES[userId];

describe('mrkdwnToText', () => {
  it.each<[string, string, string]>([
    ['*bold*', 'bold', '\x1b[1mbold\x1b[22m'],
    ['*Focus:* Learning', 'Focus: Learning', '\x1b[1mFocus:\x1b[22m Learning'],
    ['a *b* c.', 'a b c.', 'a \x1b[1mb\x1b[22m c.'],
    ['(*x*)', '(x)', '(\x1b[1mx\x1b[22m)'],
    ['*Title*\n• one', 'Title\n• one', '\x1b[1mTitle\x1b[22m\n• one'],
    ['_italic_ note', 'italic note', 'italic note'],
    ['2*3*4 and snake_case_name', '2*3*4 and snake_case_name', '2*3*4 and snake_case_name'],
  ])('renders %j', (mrkdwn, plain, ansi) => {
    expect(mrkdwnToText(mrkdwn, plainStyle, fakeNameOf)).toBe(plain);
    expect(mrkdwnToText(mrkdwn, ansiStyle, fakeNameOf)).toBe(ansi);
  });

  it.each<[string, string]>([
    ['<@U0ANA00001> and <@U0BOB00001|bob>', '@Ana and @bob'],
    ['<@U0NOBODY01>', '@U0NOBODY01'],
    ['<!channel> <!here>', '@channel @here'],
    ['<https://example.com|the site>', 'the site (https://example.com)'],
    ['&lt;script&gt; &amp; R&amp;D', '<script> & R&D'],
    // Escaped text stays text: it is never read as a mention.
    ['&lt;@U0ANA00001&gt;', '<@U0ANA00001>'],
    ['&amp;lt;', '&lt;'],
  ])('renders %j as %j', (mrkdwn, expected) => {
    expect(mrkdwnToText(mrkdwn, plainStyle, fakeNameOf)).toBe(expected);
  });
});

describe('renderBlocks', () => {
  it('renders header, bullets, fields, context and divider in order', () => {
    const { text, buttons } = renderBlocks([
      header('Marketing · *Level 3*'),
      section('*Expectations*\n• one &amp; two\n• three'),
      fields(['*Scope*  ●●●○○', '*Ownership*']),
      context('_a note_', 'second'),
      divider(),
    ]);
    expect(text).toBe(
      [
        'Marketing · *Level 3*',
        'Expectations\n• one & two\n• three',
        'Scope  ●●●○○',
        'Ownership',
        'a note  second',
        '─'.repeat(40),
      ].join('\n'),
    );
    expect(buttons).toEqual([]);
  });

  it('styles headers and context with the given style', () => {
    const { text } = renderBlocks([header('Title'), context('small')], { style: ansiStyle });
    expect(text).toBe('\x1b[1;4mTitle\x1b[0m\n\x1b[2msmall\x1b[22m');
  });

  it('draws a divider no wider than the screen', () => {
    expect(renderBlocks([divider()], { width: 20 }).text).toBe('─'.repeat(20));
  });

  it('numbers buttons from firstNumber across blocks, with their ids and values', () => {
    const rendered = renderBlocks(
      [
        ...actions([button('◀ Back', 'nav.0', 'b'), button('Next ▶', 'nav.1', 'n')], 'nav'),
        {
          type: 'section',
          block_id: 'row',
          text: { type: 'mrkdwn', text: 'Ana' },
          accessory: button('Open', 'open', 'o'),
        },
      ],
      { firstNumber: 5 },
    );
    expect(rendered.text).toBe('[5] ◀ Back   [6] Next ▶\nAna\n  [7] Open');
    expect(rendered.buttons).toEqual([
      { number: 5, actionId: 'nav.0', value: 'b', blockId: 'nav', text: '◀ Back' },
      { number: 6, actionId: 'nav.1', value: 'n', blockId: 'nav', text: 'Next ▶' },
      { number: 7, actionId: 'open', value: 'o', blockId: 'row', text: 'Open' },
    ]);
  });

  it('starts numbering at 1 and skips elements that are not buttons', () => {
    const rendered = renderBlocks([
      { type: 'actions', elements: [{ type: 'static_select', action_id: 'pick' }, button('Go', 'go', 'g')] },
    ]);
    expect(rendered.text).toBe('[1] Go');
    expect(rendered.buttons.map((b) => b.number)).toEqual([1]);
  });

  it('shows mentions by name and decodes entities', () => {
    const { text } = renderBlocks([section('Set by <@U0ANA00001> for &lt;!channel&gt;')], { nameOf: fakeNameOf });
    expect(text).toBe('Set by @Ana for <!channel>');
  });

  it('shows a section picker by its selected option, else its placeholder, and numbers no button for it', () => {
    const picker = (extra: Record<string, unknown>) => ({
      ...section('It shows:'),
      accessory: { type: 'static_select', action_id: 'pick', options: [], ...extra },
    });
    const chosen = renderBlocks([picker({ initial_option: { text: { type: 'plain_text', text: 'Ship it' } } })]);
    expect(chosen.text).toBe('It shows:\n  ▾ Ship it');
    expect(chosen.buttons).toEqual([]);
    expect(renderBlocks([picker({ placeholder: { type: 'plain_text', text: 'Pick one' } })]).text).toBe(
      'It shows:\n  ▾ Pick one',
    );
  });

  it('renders inputs and unknown blocks with text, and skips rich text', () => {
    const { text } = renderBlocks([
      {
        type: 'input',
        label: { type: 'plain_text', text: 'Date' },
        element: { type: 'datepicker', placeholder: { type: 'plain_text', text: 'YYYY-MM-DD' } },
      },
      { type: 'rich_text', elements: [] },
      { type: 'future_block', text: { type: 'mrkdwn', text: '*new*' } },
    ]);
    expect(text).toBe('Date: YYYY-MM-DD\nnew');
  });

  it('renders a real level card with its previous and next buttons', () => {
    const catalog = new Catalog(loadFrameworks('frameworks'));
    const marketing = catalog.get('marketing');
    if (!marketing) throw new Error('no marketing framework');
    const message = levelMessage(catalog, marketing, marketing.levels[2] as Level);
    const { text, buttons } = renderBlocks(message.blocks, { firstNumber: 1 });
    expect(text.split('\n')[0]).toBe('Marketing · Level 3 · Coordinator');
    expect(text).toContain('Focus: Results');
    expect(text).toContain('[1] ◀ Level 2 · Strategist   [2] Level 4 · Senior ▶');
    expect(buttons.map((b) => b.actionId)).toEqual(['career.level.view.0', 'career.level.view.1']);
  });
});
