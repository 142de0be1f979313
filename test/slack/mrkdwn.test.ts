import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, plainFromSlack, truncate } from '../../src/slack/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['', ''],
    ['plain words', 'plain words'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<@U0ANA00001>', '&lt;@U0ANA00001&gt;'],
    ['R&D', 'R&amp;D'],
    ['&amp;', '&amp;amp;'],
    ['*bold* _italic_ `code`', '*bold* _italic_ `code`'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('never leaves an angle bracket, and plainFromSlack undoes it', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = escapeMrkdwn(s);
        expect(escaped).not.toMatch(/[<>]/);
        expect(plainFromSlack(escaped)).toBe(s);
      }),
    );
  });
});

describe('plainFromSlack', () => {
  it.each([
    ['', ''],
    ['<@U0ANA00001|ana>', '@ana'],
    ['<@U0ANA00001>', '@U0ANA00001'],
    ['<@W0ANA00001|>', '@W0ANA00001'],
    ['<!channel>', '@channel'],
    ['<!here|here>', '@here'],
    ['<!everyone>', '@everyone'],
    ['<!subteam^S0TEAM0001|@eng>', '@eng'],
    ['<!subteam^S0TEAM0001>', '@S0TEAM0001'],
    ['<#C0GENERAL1|general>', '#general'],
    ['<#C0GENERAL1>', '#C0GENERAL1'],
    ['<https://example.com|the site>', 'the site'],
    ['<https://example.com>', 'https://example.com'],
    ['&lt;script&gt; &amp; R&amp;D', '<script> & R&D'],
    ['&amp;lt;', '&lt;'],
    ['hi <@U0ANA00001|ana>, see <#C0GENERAL1|general>', 'hi @ana, see #general'],
  ])('reads %j as %j', (input, expected) => {
    expect(plainFromSlack(input)).toBe(expected);
  });
});

describe('truncate', () => {
  it.each<[string, number, string]>([
    ['hello', 5, 'hello'],
    ['hello', 10, 'hello'],
    ['hello world', 6, 'hello…'],
    ['hello world', 7, 'hello…'],
    ['ab     cd', 5, 'ab…'],
    ['abc', 2, 'a…'],
    ['abc', 1, '…'],
    ['', 0, ''],
  ])('cuts %j to %i as %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('never returns more than max characters, and keeps what fits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (text.length <= max) expect(out).toBe(text);
        else expect(out.endsWith('…')).toBe(true);
      }),
    );
  });
});
