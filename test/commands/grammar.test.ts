import { describe, expect, it } from 'vitest';
import { FRIENDLY_DATE_FORMS } from '../../src/career/dates.js';
import {
  type CareerCommand,
  nearestSubcommand,
  parseCommand,
  parseMention,
  SUBCOMMANDS,
  tokenize,
  USAGE,
} from '../../src/commands/grammar.js';

const ANA = '<@U0ANA00001|ana>';
const BOSS = '<@U0BOSS0001>';

describe('tokenize', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['   ', []],
    ['  level   3\tmarketing ', ['level', '3', 'marketing']],
    [
      'compare engineering "Senior Engineer" "Staff Engineer"',
      ['compare', 'engineering', 'Senior Engineer', 'Staff Engineer'],
    ],
    ['compare happiness “Happiness Lead” “Tech Hero”', ['compare', 'happiness', 'Happiness Lead', 'Tech Hero']],
    ['"  padded  " ""', ['padded']],
    ['who <@U0ANA00001|ana smith>', ['who', '<@U0ANA00001|ana smith>']],
    ['who <@W0ANA00001>', ['who', '<@W0ANA00001>']],
    ['<!channel> hi', ['@channel', 'hi']],
    ['<!here|here>', ['@here']],
    ['<!subteam^S0TEAM0001|@eng>', ['@eng']],
    ['<#C0GENERAL1|general>', ['#general']],
    ['<https://example.com|the site>', ['the site']],
    ['&lt;script&gt; R&amp;D', ['<script>', 'R&D']],
    // Decoded once: what the user typed as "&lt;" stays "&lt;".
    ['&amp;lt;', ['&lt;']],
  ])('splits %j into %j', (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});

describe('parseMention', () => {
  it.each<[string, ReturnType<typeof parseMention>]>([
    ['<@U0ANA00001>', { userId: 'U0ANA00001' }],
    ['<@U0ANA00001|ana>', { userId: 'U0ANA00001', name: 'ana' }],
    ['<@W0ANA00001|ana smith>', { userId: 'W0ANA00001', name: 'ana smith' }],
    ['<@U0ANA00001|>', { userId: 'U0ANA00001' }],
    ['@ana', undefined],
    ['ana', undefined],
    ['<@u0ana00001>', undefined],
    ['<@U1>', undefined],
    ['<#C0GENERAL1|general>', undefined],
    ['<!channel>', undefined],
    ['<@U0ANA00001> ', undefined],
  ])('reads %j as %j', (token, expected) => {
    expect(parseMention(token)).toEqual(expected);
  });
});

const DATE_HINT = `Dates can be written ${FRIENDLY_DATE_FORMS}.`;
const SET_EXAMPLE = '/career set @person marketing 2 since 2026-01-15';
const PAUSE_DATE_HINT = `Say "until" and a date: ${FRIENDLY_DATE_FORMS}.`;
const PAUSE_EXAMPLE = '/career pause until 2027-03-01';
const COMPARE_EXAMPLE = '/career compare engineering 4 6';

describe('parseCommand', () => {
  it.each<[string, CareerCommand]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['-h', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['help Set', { kind: 'help', topic: 'set' }],
    ['help compare levels', { kind: 'help', topic: 'compare levels' }],
    ['frameworks', { kind: 'frameworks' }],
    ['teams', { kind: 'frameworks' }],
    ['Tracks', { kind: 'frameworks' }],
    ['level 3 marketing', { kind: 'level', words: ['3', 'marketing'] }],
    ['lvl marketing three', { kind: 'level', words: ['marketing', 'three'] }],
    ['Level "Staff Engineer"', { kind: 'level', words: ['Staff Engineer'] }],
    ['titles', { kind: 'titles' }],
    ['title engineering', { kind: 'titles', team: 'engineering' }],
    ['titles customer support', { kind: 'titles', team: 'customer support' }],
    ['compare marketing 3 4', { kind: 'compare', words: ['marketing', '3', '4'] }],
    ['diff eng 4 vs 6', { kind: 'compare', words: ['eng', '4', 'vs', '6'] }],
    ['me', { kind: 'me' }],
    ['Mine', { kind: 'me' }],
    [`who ${ANA}`, { kind: 'who', user: { userId: 'U0ANA00001', name: 'ana' } }],
    [`whois ${BOSS}`, { kind: 'who', user: { userId: 'U0BOSS0001' } }],
    ['resume', { kind: 'resume' }],
    ['export', { kind: 'export' }],
    ['brag', { kind: 'brag' }],
    [
      `brag ${ANA}`,
      {
        kind: 'invalid',
        message: '`/career brag` takes nothing after it: it sends you your own year, in our DM.',
        usage: '/career brag',
      },
    ],
    ['forget me', { kind: 'forget', user: 'me' }],
    ['forget ME', { kind: 'forget', user: 'me' }],
    [`forget ${ANA}`, { kind: 'forget', user: { userId: 'U0ANA00001', name: 'ana' } }],
    ['pause', { kind: 'pause' }],
    ['pause until 2027-03-01', { kind: 'pause', until: '2027-03-01' }],
    ['PAUSE UNTIL 2027-03-01', { kind: 'pause', until: '2027-03-01' }],
    ['Staff Engineer', { kind: 'lookup', words: ['Staff', 'Engineer'] }],
    ['marketing 3', { kind: 'lookup', words: ['marketing', '3'] }],
  ])('reads %j', (text, expected) => {
    expect(parseCommand(text)).toStrictEqual(expected);
  });

  it.each<[string, Omit<Extract<CareerCommand, { kind: 'set' }>, 'kind' | 'user'>]>([
    [`set ${ANA} marketing 3`, { words: ['marketing', '3'], since: undefined, manager: undefined }],
    [
      `set ${ANA} engineering staff engineer since 2026-01-15 manager ${BOSS}`,
      { words: ['engineering', 'staff', 'engineer'], since: '2026-01-15', manager: { userId: 'U0BOSS0001' } },
    ],
    [`set ${ANA} FROM 2026-01-15 marketing 3`, { words: ['marketing', '3'], since: '2026-01-15', manager: undefined }],
    [
      `set ${ANA} marketing 3 reports-to <@U0BOSS0001|boss>`,
      { words: ['marketing', '3'], since: undefined, manager: { userId: 'U0BOSS0001', name: 'boss' } },
    ],
    [`set ${ANA} marketing 3 manager none`, { words: ['marketing', '3'], since: undefined, manager: null }],
    [`set ${ANA} marketing 3 Manager NONE`, { words: ['marketing', '3'], since: undefined, manager: null }],
    [`set ${ANA} "Head of" marketing`, { words: ['Head of', 'marketing'], since: undefined, manager: undefined }],
  ])('reads %j as a set', (text, expected) => {
    expect(parseCommand(text)).toStrictEqual({
      kind: 'set',
      user: { userId: 'U0ANA00001', name: 'ana' },
      ...expected,
    });
  });

  const mentionHint = (token: string) =>
    `Pick the person from Slack's @-menu so the mention turns blue; plain text like "${token}" can't be matched to a teammate.`;

  it.each<[string, string, string, string | undefined, string?]>([
    ['level', 'Which level, and of which team?', USAGE.level, undefined],
    [
      'compare',
      'Compare needs two levels, and a team unless it is your own.',
      USAGE.compare,
      undefined,
      COMPARE_EXAMPLE,
    ],
    [
      'compare 3',
      'Compare needs two levels, and a team unless it is your own.',
      USAGE.compare,
      undefined,
      COMPARE_EXAMPLE,
    ],
    ['who', 'Say who: mention the person to look up.', USAGE.who, undefined],
    ['who ana', '"ana" isn\'t a Slack mention of the person to look up.', USAGE.who, undefined],
    ['who @ana', '"@ana" isn\'t a Slack mention of the person to look up.', USAGE.who, mentionHint('@ana')],
    ['forget', 'Say who: mention the person whose data to delete, or say "me".', USAGE.forget, undefined],
    [
      'forget @bob',
      '"@bob" isn\'t a Slack mention of the person whose data to delete, or say "me".',
      USAGE.forget,
      mentionHint('@bob'),
    ],
    ['set', 'Say who: mention the person whose level to set.', USAGE.set, undefined],
    [
      'set @ana marketing 3',
      '"@ana" isn\'t a Slack mention of the person whose level to set.',
      USAGE.set,
      mentionHint('@ana'),
    ],
    [
      `set ${ANA}`,
      'Say which team and which level.',
      USAGE.set,
      undefined,
      '/career set @person marketing 3 since 2026-01-15',
    ],
    [
      `set ${ANA} marketing since 2026-01-15`,
      'Say which team and which level.',
      USAGE.set,
      undefined,
      '/career set @person marketing 3 since 2026-01-15',
    ],
    [`set ${ANA} marketing 3 since`, '"since" needs a date.', USAGE.set, DATE_HINT, SET_EXAMPLE],
    [
      `set ${ANA} marketing 3 since 15/01/2026`,
      'I can\'t read "15/01/2026" as a date.',
      USAGE.set,
      DATE_HINT,
      SET_EXAMPLE,
    ],
    [`set ${ANA} marketing 3 since soon`, 'I can\'t read "soon" as a date.', USAGE.set, DATE_HINT, SET_EXAMPLE],
    [`set ${ANA} marketing 3 manager`, 'Say who: mention the manager (or "manager none").', USAGE.set, undefined],
    [
      `set ${ANA} marketing 3 manager @bob`,
      '"@bob" isn\'t a Slack mention of the manager (or "manager none").',
      USAGE.set,
      mentionHint('@bob'),
    ],
    ['pause tomorrow', 'I couldn\'t read "tomorrow" as a return date.', USAGE.pause, PAUSE_DATE_HINT, PAUSE_EXAMPLE],
    ['pause until', 'I couldn\'t read "until" as a return date.', USAGE.pause, PAUSE_DATE_HINT, PAUSE_EXAMPLE],
    [
      'pause until 2027-03-01 please',
      'I couldn\'t read "until 2027-03-01 please" as a return date.',
      USAGE.pause,
      PAUSE_DATE_HINT,
      PAUSE_EXAMPLE,
    ],
  ])('explains %j', (text, message, usage, hint, example) => {
    // toEqual: a missing hint and `hint: undefined` are the same to the renderer.
    expect(parseCommand(text)).toEqual({ kind: 'invalid', message, usage, hint, example });
  });

  it('keeps mentions whole inside set, however the name is spelled', () => {
    const parsed = parseCommand('set <@U0ANA00001|ana de la cruz> marketing 3 manager <@U0BOSS0001|the boss>');
    expect(parsed).toMatchObject({
      kind: 'set',
      user: { userId: 'U0ANA00001', name: 'ana de la cruz' },
      manager: { userId: 'U0BOSS0001', name: 'the boss' },
      words: ['marketing', '3'],
    });
  });
});

describe('win and evidence (issue 17)', () => {
  it.each<[string, unknown]>([
    ['evidence', { kind: 'evidence' }],
    ['EVIDENCE', { kind: 'evidence' }],
    ['win Shipped the launch', { kind: 'win', text: 'Shipped the launch' }],
    ['  WIN   Shipped &amp; measured &lt;it&gt;  ', { kind: 'win', text: 'Shipped & measured <it>' }],
    [
      'win thanks to <@U0CHEN0001|chen> and <#C0LAUNCH01|launches>',
      { kind: 'win', text: 'thanks to @chen and #launches' },
    ],
    ['win "quoted words" stay as typed', { kind: 'win', text: '"quoted words" stay as typed' }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('a win is a sentence: more than 30 words are kept', () => {
    const words = Array.from({ length: 45 }, (_, i) => `w${i}`).join(' ');
    expect(parseCommand(`win ${words}`)).toEqual({ kind: 'win', text: words });
  });

  it('an empty win, or one over 400 characters, says what to do instead', () => {
    expect(parseCommand('win')).toMatchObject({ kind: 'invalid', usage: '/career win <what you did>' });
    expect(parseCommand('win    ')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Say what you did'),
    });
    expect(parseCommand(`win ${'é'.repeat(400)}`)).toMatchObject({ kind: 'win' });
    expect(parseCommand(`win ${'é'.repeat(401)}`)).toMatchObject({
      kind: 'invalid',
      message: 'That win is too long to keep as one line (401 characters; the most is 400).',
    });
    expect(parseCommand(`win ${'x'.repeat(100_000)}`)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('more than 1,000 characters'),
    });
  });

  it('"winner" and "windows" are title lookups, not wins', () => {
    expect(parseCommand('winner').kind).toBe('lookup');
    expect(parseCommand('windows engineer').kind).toBe('lookup');
  });
});

describe('nearestSubcommand', () => {
  it('lists only words parseCommand reads as a subcommand', () => {
    for (const word of SUBCOMMANDS) expect(parseCommand(word).kind, word).not.toBe('lookup');
  });

  it.each<[string, string | undefined]>([
    ['chekin', 'checkin'],
    ['CHEKIN', 'checkin'],
    ['hlep', 'help'],
    ['histroy', 'history'],
    ['celebate', 'celebrate'],
    ['evidnce', 'evidence'],
    ['evidense', 'evidence'],
    ['frameworkz', 'frameworks'],
    ['checkin', undefined],
    ['mee', undefined],
    ['senior', undefined],
    ['staff', undefined],
    ['coordinator', undefined],
  ])('reads "%s" as %s', (word, expected) => {
    expect(nearestSubcommand(word)).toBe(expected);
  });
});

describe('ask (issue 17)', () => {
  it.each<[string, CareerCommand]>([
    [
      'ask <@U0CHEN0001|chen> ship regularly',
      { kind: 'ask', colleague: { userId: 'U0CHEN0001', name: 'chen' }, words: 'ship regularly' },
    ],
    ['ask <@U0CHEN0001> ship-regularly', { kind: 'ask', colleague: { userId: 'U0CHEN0001' }, words: 'ship-regularly' }],
    ['asks', { kind: 'asks' }],
  ])('reads "%s"', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['ask', 'Say who: mention the colleague to ask for an example.'],
    ['ask @chen ship', '"@chen" isn\'t a Slack mention of the colleague to ask for an example.'],
    ['ask <@U0CHEN0001|chen>', 'Say which expectation to ask about: a few of its words, or its id.'],
  ])('says what is missing from "%s"', (text, message) => {
    expect(parseCommand(text)).toMatchObject({
      kind: 'invalid',
      message,
      usage: '/career ask @person <expectation words or id>',
    });
  });
});
