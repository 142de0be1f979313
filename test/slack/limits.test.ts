import { describe, expect, it } from 'vitest';
import { checkMessage, checkView, LIMITS } from '../../src/slack/limits.js';

const x = (n: number) => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (fields: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: plain('Go'),
  ...fields,
});
const option = (text: string, value: string) => ({ text: plain(text), value });
const select = (options: unknown[], fields: Record<string, unknown> = {}) => ({
  type: 'static_select',
  action_id: 'pick',
  options,
  ...fields,
});
const input = (fields: Record<string, unknown> = {}, element: Record<string, unknown> = {}) => ({
  type: 'input',
  label: plain('Goal'),
  element: { type: 'plain_text_input', action_id: 'goal', ...element },
  ...fields,
});
const modal = (fields: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Ripple'),
  submit: plain('Save'),
  blocks: [],
  ...fields,
});
const message = (...blocks: unknown[]) => ({ text: 'fallback', blocks });

describe('checkMessage limits: at the limit passes, one over fails', () => {
  const cases: [string, unknown[], unknown[], string][] = [
    [
      'blocks in a message',
      Array.from({ length: 50 }, (_, i) => section(`s${i}`)),
      Array.from({ length: 51 }, (_, i) => section(`s${i}`)),
      'blocks: 51 blocks in a message (limit 50)',
    ],
    [
      'section text',
      [section(x(3000))],
      [section(x(3001))],
      'blocks[0].text.text: section text is 3001 characters (limit 3000)',
    ],
    [
      'section field count',
      [{ type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f')) }],
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
      'blocks[0].fields: 11 fields (limit 10)',
    ],
    [
      'section field text',
      [{ type: 'section', fields: [mrkdwn(x(2000))] }],
      [{ type: 'section', fields: [mrkdwn(x(2001))] }],
      'blocks[0].fields[0].text: section field is 2001 characters (limit 2000)',
    ],
    [
      'header text',
      [{ type: 'header', text: plain(x(150)) }],
      [{ type: 'header', text: plain(x(151)) }],
      'blocks[0].text.text: header text is 151 characters (limit 150)',
    ],
    [
      'context elements',
      [{ type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) }],
      [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
      'blocks[0].elements: 11 context elements (limit 10)',
    ],
    [
      'actions elements',
      [{ type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` })) }],
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }],
      'blocks[0].elements: 26 actions elements (limit 25)',
    ],
    [
      'block_id',
      [{ ...section('s'), block_id: x(255) }],
      [{ ...section('s'), block_id: x(256) }],
      'blocks[0].block_id: block_id is 256 characters (limit 255)',
    ],
    [
      'action_id',
      [{ type: 'actions', elements: [button({ action_id: x(255) })] }],
      [{ type: 'actions', elements: [button({ action_id: x(256) })] }],
      'blocks[0].elements[0].action_id: action_id is 256 characters (limit 255)',
    ],
    [
      'button text',
      [{ type: 'actions', elements: [button({ text: plain(x(75)) })] }],
      [{ type: 'actions', elements: [button({ text: plain(x(76)) })] }],
      'blocks[0].elements[0].text.text: button text is 76 characters (limit 75)',
    ],
    [
      'button value',
      [{ ...section('s'), accessory: button({ value: x(2000) }) }],
      [{ ...section('s'), accessory: button({ value: x(2001) }) }],
      'blocks[0].accessory.value: button value is 2001 characters (limit 2000)',
    ],
    [
      'button url',
      [{ ...section('s'), accessory: button({ url: `https://${x(2992)}` }) }],
      [{ ...section('s'), accessory: button({ url: `https://${x(2993)}` }) }],
      'blocks[0].accessory.url: button url is 3001 characters (limit 3000)',
    ],
    [
      'static_select options',
      [{ ...section('s'), accessory: select(Array.from({ length: 100 }, (_, i) => option(`o${i}`, `v${i}`))) }],
      [{ ...section('s'), accessory: select(Array.from({ length: 101 }, (_, i) => option(`o${i}`, `v${i}`))) }],
      'blocks[0].accessory.options: 101 options (limit 100)',
    ],
    [
      'option text',
      [{ ...section('s'), accessory: select([option(x(75), 'v')]) }],
      [{ ...section('s'), accessory: select([option(x(76), 'v')]) }],
      'blocks[0].accessory.options[0].text.text: option text is 76 characters (limit 75)',
    ],
    [
      'option value',
      [{ ...section('s'), accessory: select([option('o', x(75))]) }],
      [{ ...section('s'), accessory: select([option('o', x(76))]) }],
      'blocks[0].accessory.options[0].value: option value is 76 characters (limit 75)',
    ],
    [
      'placeholder',
      [{ ...section('s'), accessory: select([option('o', 'v')], { placeholder: plain(x(150)) }) }],
      [{ ...section('s'), accessory: select([option('o', 'v')], { placeholder: plain(x(151)) }) }],
      'blocks[0].accessory.placeholder.text: placeholder is 151 characters (limit 150)',
    ],
  ];

  it.each(cases)('%s', (_name, atLimit, overLimit, violation) => {
    expect(checkMessage(message(...atLimit))).toEqual([]);
    expect(checkMessage(message(...overLimit))).toEqual([violation]);
  });

  it('message text', () => {
    expect(checkMessage({ text: x(40_000) })).toEqual([]);
    expect(checkMessage({ text: x(40_001) })).toEqual(['text: message text is 40001 characters (limit 40000)']);
  });
});

describe('checkMessage rules', () => {
  it('flags blocks without a text fallback', () => {
    expect(checkMessage({ blocks: [section('s')] })).toEqual([
      'text: a message with blocks needs a text fallback (notifications and screen readers use it)',
    ]);
    expect(checkMessage({ text: '  ', blocks: [section('s')] })).toHaveLength(1);
  });

  it('flags a message with nothing to show, except a delete_original response', () => {
    expect(checkMessage({})).toEqual(['text: a message needs text or blocks']);
    expect(checkMessage({ delete_original: true } as never)).toEqual([]);
  });

  it('detects duplicate action_ids across blocks', () => {
    const msg = message(
      { type: 'actions', elements: [button({ action_id: 'go' })] },
      { ...section('s'), accessory: button({ action_id: 'go' }) },
    );
    expect(checkMessage(msg)).toEqual(['blocks[1].accessory.action_id: "go" is already used by blocks[0].elements[0]']);
  });

  it('detects duplicate block_ids', () => {
    const msg = message({ ...section('a'), block_id: 'b' }, { ...section('c'), block_id: 'b' });
    expect(checkMessage(msg)).toEqual(['blocks[1].block_id: "b" is already used by blocks[0]']);
  });

  it('requires plain_text headers and non-empty section text', () => {
    expect(checkMessage(message({ type: 'header', text: mrkdwn('h') }))).toEqual([
      'blocks[0].text.type: header text must be plain_text (is "mrkdwn")',
    ]);
    expect(checkMessage(message(section('')))).toEqual(['blocks[0].text.text: section text is empty']);
  });

  it('counts every problem, with paths', () => {
    const msg = message(section(x(3120)), { type: 'header', text: plain(x(151)) });
    expect(checkMessage(msg)).toEqual([
      'blocks[0].text.text: section text is 3120 characters (limit 3000)',
      'blocks[1].text.text: header text is 151 characters (limit 150)',
    ]);
  });
});

describe('checkView limits: at the limit passes, one over fails', () => {
  const cases: [string, 'modal' | 'home', Record<string, unknown>, Record<string, unknown>, string][] = [
    [
      'blocks in a modal',
      'modal',
      modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) }),
      modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }),
      'blocks: 101 blocks in a modal (limit 100)',
    ],
    [
      'blocks in a Home tab',
      'home',
      { type: 'home', blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) },
      { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) },
      'blocks: 101 blocks in a home (limit 100)',
    ],
    [
      'modal title',
      'modal',
      modal({ title: plain(x(24)) }),
      modal({ title: plain(x(25)) }),
      'title.text: modal title is 25 characters (limit 24)',
    ],
    [
      'modal submit',
      'modal',
      modal({ submit: plain(x(24)) }),
      modal({ submit: plain(x(25)) }),
      'submit.text: modal submit is 25 characters (limit 24)',
    ],
    [
      'modal close',
      'modal',
      modal({ close: plain(x(24)) }),
      modal({ close: plain(x(25)) }),
      'close.text: modal close is 25 characters (limit 24)',
    ],
    [
      'callback_id',
      'modal',
      modal({ callback_id: x(255) }),
      modal({ callback_id: x(256) }),
      'callback_id: callback_id is 256 characters (limit 255)',
    ],
    [
      'private_metadata',
      'home',
      { type: 'home', blocks: [], private_metadata: x(3000) },
      { type: 'home', blocks: [], private_metadata: x(3001) },
      'private_metadata: private_metadata is 3001 characters (limit 3000)',
    ],
    [
      'input label',
      'modal',
      modal({ blocks: [input({ label: plain(x(2000)) })] }),
      modal({ blocks: [input({ label: plain(x(2001)) })] }),
      'blocks[0].label.text: input label is 2001 characters (limit 2000)',
    ],
    [
      'input hint',
      'modal',
      modal({ blocks: [input({ hint: plain(x(2000)) })] }),
      modal({ blocks: [input({ hint: plain(x(2001)) })] }),
      'blocks[0].hint.text: input hint is 2001 characters (limit 2000)',
    ],
    [
      'input placeholder',
      'modal',
      modal({ blocks: [input({}, { placeholder: plain(x(150)) })] }),
      modal({ blocks: [input({}, { placeholder: plain(x(151)) })] }),
      'blocks[0].element.placeholder.text: placeholder is 151 characters (limit 150)',
    ],
    [
      'plain_text_input max_length',
      'modal',
      modal({ blocks: [input({}, { max_length: 3000 })] }),
      modal({ blocks: [input({}, { max_length: 3001 })] }),
      'blocks[0].element.max_length: is 3001 (limit 3000)',
    ],
  ];

  it.each(cases)('%s', (_name, kind, atLimit, overLimit, violation) => {
    expect(checkView(atLimit, kind)).toEqual([]);
    expect(checkView(overLimit, kind)).toEqual([violation]);
  });
});

describe('checkView rules', () => {
  it('requires the view type to match', () => {
    expect(checkView({ type: 'home', blocks: [] }, 'modal')).toContain('type: is "home" (expected "modal")');
  });

  it('requires a modal title, and a submit button when it has inputs', () => {
    expect(checkView({ type: 'modal', blocks: [input()] }, 'modal')).toEqual([
      'title: a modal needs a title',
      'submit: a modal with input blocks needs a submit button',
    ]);
  });

  it('checks blocks inside a view like message blocks', () => {
    expect(checkView({ type: 'home', blocks: [section(x(3001))] }, 'home')).toEqual([
      'blocks[0].text.text: section text is 3001 characters (limit 3000)',
    ]);
  });
});

describe('LIMITS', () => {
  it('matches the table in shared/SLACK.md', () => {
    expect(LIMITS).toMatchObject({
      messageBlocks: 50,
      modalBlocks: 100,
      homeBlocks: 100,
      sectionText: 3000,
      sectionFields: 10,
      sectionFieldText: 2000,
      headerText: 150,
      messageText: 40_000,
    });
  });
});
