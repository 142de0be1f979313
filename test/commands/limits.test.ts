import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type CareerCommand,
  commandLength,
  LIMITS,
  parseCommand,
  parseMention,
  tokenize,
  USAGE,
} from '../../src/commands/grammar.js';
import { isProblem, resolveTeamAndLevel, runLookup } from '../../src/commands/lookup.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { plainFromSlack } from '../../src/slack/mrkdwn.js';

const catalog = new Catalog(loadFrameworks('frameworks'));
const marketing = catalog.get('marketing');

const EXAMPLE = 'Commands are a few words, like /career level 3 marketing.';
const tooLong = (n: number | string): CareerCommand => ({
  kind: 'invalid',
  message: `That's too long for a /career command (${n} characters; the most is 500). ${EXAMPLE}`,
  usage: USAGE.help,
});
const tooManyWords = (n: number): CareerCommand => ({
  kind: 'invalid',
  message: `That's too many words for a /career command (${n} words; the most is 30). ${EXAMPLE}`,
  usage: USAGE.help,
});

/** `level ` and one word, `total` characters in all. */
const levelOfLength = (total: number, char = 'x') => `level ${char.repeat(total - 'level '.length)}`;

describe('the size limits of a /career command', () => {
  it('are 500 characters and 30 words', () => {
    expect(LIMITS).toEqual({ characters: 500, words: 30 });
  });

  it('accept 500 characters and refuse 501, naming the length', () => {
    expect(parseCommand(levelOfLength(500))).toMatchObject({ kind: 'level' });
    expect(parseCommand(levelOfLength(501))).toStrictEqual(tooLong(501));
  });

  it('count a too-long command up to 1,000 characters, and past that say "more than"', () => {
    expect(parseCommand(levelOfLength(1000))).toStrictEqual(tooLong(1000));
    expect(parseCommand(levelOfLength(1001))).toStrictEqual(tooLong('more than 1,000'));
    expect(parseCommand('x'.repeat(16_000))).toStrictEqual(tooLong('more than 1,000'));
    expect(parseCommand(`level ${'😀&amp;'.repeat(3000)}`)).toStrictEqual(tooLong('more than 1,000'));
    expect(commandLength('😀&amp;'.repeat(3000))).toBe(6000);
    expect(commandLength('😀&amp;'.repeat(3000), 1000)).toBe(1001);
    expect(commandLength('x'.repeat(3000), 1000)).toBe(1001);
  });

  it('leave out spaces around the command', () => {
    expect(parseCommand(`   ${levelOfLength(500)}  \n`)).toMatchObject({ kind: 'level' });
  });

  it.each([
    ['an accented letter (2 bytes in UTF-8)', 'é'],
    ['a CJK character (3 bytes in UTF-8)', '語'],
    ['an emoji (4 bytes in UTF-8, 2 UTF-16 units)', '😀'],
  ])('count %s as one character', (_, char) => {
    expect(commandLength(char.repeat(10))).toBe(10);
    expect(parseCommand(levelOfLength(500, char))).toMatchObject({ kind: 'level' });
    expect(parseCommand(levelOfLength(501, char))).toStrictEqual(tooLong(501));
  });

  it("count Slack's escapes as the one character they stand for", () => {
    // The user typed "R&D <x>": Slack sends "R&amp;D &lt;x&gt;".
    expect(commandLength('R&amp;D &lt;x&gt;')).toBe('R&D <x>'.length);
    expect(commandLength('&amp;lt;')).toBe('&lt;'.length);
    expect(commandLength('& &am &amp')).toBe(10);
    expect(parseCommand(`level ${'&amp;'.repeat(494)}`)).toMatchObject({ kind: 'level' });
    expect(parseCommand(`level ${'&amp;'.repeat(495)}`)).toStrictEqual(tooLong(501));
  });

  it('accept 30 words and refuse 31, naming the count', () => {
    const words = (n: number) => ['level', ...Array.from({ length: n - 1 }, () => 'x')].join(' ');
    expect(parseCommand(words(30))).toMatchObject({ kind: 'level' });
    expect(parseCommand(words(31))).toStrictEqual(tooManyWords(31));
    // A quoted title is one word, as everywhere else in the grammar.
    expect(parseCommand(`lookup "${'a '.repeat(40)}"`)).toMatchObject({ kind: 'lookup' });
  });

  it('are checked before any other reading, whatever the subcommand', () => {
    for (const head of ['help', 'who', 'set <@U0ANA00001>', 'pause until', 'compare eng', 'Staff']) {
      expect(parseCommand(`${head} ${'x '.repeat(40)}`)).toStrictEqual(tooManyWords(head.split(' ').length + 40));
    }
  });

  it('are kept by the lookups too, for word lists that do not come from the grammar', () => {
    const words = Array.from({ length: 31 }, () => 'x');
    const message = tooManyWords(31);
    if (message.kind !== 'invalid') throw new Error('unreachable');
    expect(resolveTeamAndLevel(catalog, words, undefined, USAGE.set)).toStrictEqual({
      kind: 'problem',
      message: message.message,
      usage: USAGE.set,
    });
    for (const kind of ['level', 'compare', 'lookup'] as const) {
      const result = runLookup(catalog, { kind, words });
      expect(isProblem(result) && result.message).toBe(message.message);
    }
  });
});

/** The tokenizer's original regex: the reference the linear scanner must agree with. */
function regexTokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /<[^>\s]*(?:\|[^>]*)?>|"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const m of text.matchAll(re)) {
    const word = (m[1] ?? m[2] ?? m[3] ?? m[0]).trim();
    if (!word) continue;
    tokens.push(
      word.startsWith('<') && !word.startsWith('<@')
        ? plainFromSlack(word)
        : word.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    );
  }
  return tokens;
}

describe('tokenize', () => {
  it('reads any text exactly as the original regex did', () => {
    const tricky = fc.constantFrom(
      ...'<>|"“”@!#^ \t\n\u00a0\u3000aU1&'.split(''),
      '&lt;',
      '&gt;',
      '&amp;',
      '<@U0ANA00001',
      '<!subteam^S1',
      '<#C1',
      'https://x',
    );
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(tokenize(text)).toEqual(regexTokenize(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits on exactly the characters \\s matches', () => {
    // Every UTF-16 unit between two letters, in batches; the few that start a token are checked alone.
    const special = new Set('<>"“”|&');
    const units = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code));
    for (let start = 0; start < units.length; start += 1024) {
      const text = `a${units
        .slice(start, start + 1024)
        .filter((u) => !special.has(u))
        .join('a')}a`;
      expect(tokenize(text)).toEqual(regexTokenize(text));
    }
    for (const unit of special) expect(tokenize(`a${unit}b`)).toEqual(regexTokenize(`a${unit}b`));
  });
});

/**
 * How many times slower `slow` is than `baseline`, timed in turn so a slow machine slows both alike.
 * Each sample repeats its function as often as the baseline needs to run for a few milliseconds,
 * well above the timer's resolution; the ratio is of the fastest samples, since other work on a
 * busy machine (other test files run alongside) only ever adds time.
 */
function slowdown(slow: () => unknown, baseline: () => unknown, samples = 9): number {
  const time = (fn: () => unknown, repeat: number) => {
    const start = performance.now();
    for (let i = 0; i < repeat; i++) fn();
    return performance.now() - start;
  };
  time(slow, 3); // warm up
  let repeat = 1;
  while (time(baseline, repeat) < 2) repeat *= 2;
  let fastestSlow = Number.POSITIVE_INFINITY;
  let fastestBaseline = Number.POSITIVE_INFINITY;
  for (let s = 0; s < samples; s++) {
    fastestSlow = Math.min(fastestSlow, time(slow, repeat));
    fastestBaseline = Math.min(fastestBaseline, time(baseline, repeat));
  }
  return fastestSlow / fastestBaseline;
}

/** What a `/career` command costs before its reply is rendered: parsing, and resolving what it names. */
function parseAndResolve(text: string): unknown {
  const command = parseCommand(text);
  switch (command.kind) {
    case 'level':
    case 'compare':
    case 'lookup':
    case 'titles':
      return runLookup(catalog, command, { defaultFramework: marketing });
    case 'set':
      return resolveTeamAndLevel(catalog, command.words, undefined, USAGE.set);
    case 'who':
    case 'forget':
      return command.user;
    default:
      return command;
  }
}

describe('commands built to be slow', () => {
  const adversarial: [string, string][] = [
    ['8,000 words (16 KB)', `level ${'x '.repeat(8000)}`],
    ["'level' and 5,000 words", `level ${'x '.repeat(5000)}`],
    ['compare and 5,000 words', `compare ${'x '.repeat(5000)}`],
    ['a lookup of 5,000 words', 'x '.repeat(5000)],
    ['< and 10,000 |', `<${'|'.repeat(10_000)}`],
    ['<||| 10,000 times', '<|||'.repeat(10_000)],
    ['<| 10,000 times, spaced', '<a| '.repeat(10_000)],
    ['<@ and 10,000 U', `<@${'U'.repeat(10_000)}`],
    ['who <@ and 10,000 U', `who <@${'U'.repeat(10_000)}`],
    ['500 characters of <', '<'.repeat(500)],
    ['498 < and a>', `${'<'.repeat(498)}a>`],
    ['<!a| 125 times', '<!a|'.repeat(125)],
    ['unclosed quotes', '" “'.repeat(5000)],
    ['10,000 digits', '1'.repeat(10_000)],
    ['level and 494 digits', `level ${'9'.repeat(494)}`],
    ['a since of 10,000 digits', `set <@U0ANA00001> marketing 3 since ${'2'.repeat(10_000)}`],
    ['emoji and entities', `level ${'😀&amp;'.repeat(3000)}`],
    // Within the limits, so resolved in full: these are the most a lookup can be asked to do.
    ['30 words', `level ${'x '.repeat(29)}`],
    ['30 words with a team', `level marketing ${'x '.repeat(28)}`],
    ['30 words ending in a level', `level ${'x '.repeat(27)} marketing 3`],
    ['compare in 30 words', `compare marketing ${'3 '.repeat(28)}`],
    ['30 words of a title', 'senior '.repeat(30)],
    ['30 punctuation words', `level 3 ${'- '.repeat(27)}marketing`],
    ['set in 30 words', `set <@U0ANA00001> ${'engineering '.repeat(28)}`],
    ['500 characters in one word', `level ${'s'.repeat(494)}`],
  ];

  // NOTE: the budget is a ratio measured side by side, never a duration. The old quadratic code
  // exceeded it by a factor of about a million; the full resolution of a 30-word lookup measured
  // up to 30x on a loaded two-core machine, so 200x keeps the test reliable under CI's load while
  // still failing any return to quadratic work.
  it.each(adversarial)('handle %s in at most 200 times the time of `level 3 marketing`', (_, text) => {
    const ratio = slowdown(
      () => parseAndResolve(text),
      () => parseAndResolve('level 3 marketing'),
    );
    expect(ratio).toBeLessThanOrEqual(200);
  });

  it('still answer a valid command padded with punctuation', () => {
    expect(parseAndResolve('level 3 - marketing')).toMatchObject({ kind: 'level', level: { id: 'level-3' } });
  });
});

describe('resolving a team and a level', () => {
  it('tries a bounded number of readings, not every split of the words', () => {
    const spies = [
      vi.spyOn(catalog, 'findFramework'),
      vi.spyOn(catalog, 'frameworkNamed'),
      vi.spyOn(catalog, 'findLevel'),
    ] as const;
    const [findFramework, frameworkNamed, findLevel] = spies;
    try {
      for (const n of [10, 20, 30]) {
        for (const spy of spies) spy.mockClear();
        resolveTeamAndLevel(
          catalog,
          Array.from({ length: n }, () => 'x'),
        );
        // A team is at most `longestTeamName` words, from either end: two readings per length, then
        // one last look for the team word to suggest. The same however many words there are.
        expect(frameworkNamed).toHaveBeenCalledTimes(2 * catalog.longestTeamName);
        expect(findFramework).toHaveBeenCalledTimes(1);
        expect(findLevel).not.toHaveBeenCalled();
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('knows how long a team name and a level name can be', () => {
    // "customer support" and "Onboarding and Education Specialist I" in the default frameworks.
    expect(catalog.longestTeamName).toBe(2);
    expect(catalog.longestLevelName).toBe(5);
  });
});

describe('parseMention', () => {
  it.each([
    ['<@ and U', (n: number) => `<@${'U'.repeat(n)}`],
    ['a name and then more', (n: number) => `<@U1|${'a'.repeat(n)}>x`],
    ['an id and no name', (n: number) => `<@U${'1'.repeat(n)}|`],
  ])('reads a long non-mention (%s) in linear time', (_, token) => {
    expect(parseMention(token(10_000))).toBeUndefined();
    // Ten times the length: about ten times the time when linear, a hundred times when quadratic.
    expect(
      slowdown(
        () => parseMention(token(10_000)),
        () => parseMention(token(1_000)),
        5,
      ),
    ).toBeLessThanOrEqual(30);
  });
});
