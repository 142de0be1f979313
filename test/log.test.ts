import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { jsonLogger, MAX_LOGGED_ARGUMENT, scrub } from '../src/log.js';
import { startTestApp } from './support/app.js';
import { visibleText } from './support/blocks.js';

describe('scrub', () => {
  it.each([
    ['an email', 'lookup of ana.souza@example.com failed', 'lookup of [email] failed'],
    ['a bot token', 'token xoxb-123-456-abcDEF rejected', 'token [token] rejected'],
    ['an app token', 'xapp-1-A0-xyz', '[token]'],
    ['a signature', 'sig v0=0123456789abcdef0123456789abcdef', 'sig [signature]'],
  ])('removes %s', (_label, input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('logs only the size of a long payload', () => {
    const body = { user: { real_name: 'Ana Souza', profile: { title: 'Staff Engineer' } }, pad: 'x'.repeat(400) };
    const out = scrub(body);
    expect(out).toMatch(/^\[\d+ characters omitted\]$/);
    expect(out).not.toContain('Ana');
    expect(scrub('short message')).toBe('short message');
    expect(scrub('y'.repeat(MAX_LOGGED_ARGUMENT))).toHaveLength(MAX_LOGGED_ARGUMENT);
  });
});

describe('jsonLogger', () => {
  it('writes one JSON object per line, filtered by level', () => {
    const lines: string[] = [];
    const logger = jsonLogger({ level: LogLevel.INFO, write: (l) => lines.push(l), now: () => new Date(0) });
    logger.debug('hidden');
    logger.info('hello', 42);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      name: 'ripple',
      msg: 'hello 42',
    });
  });
});

describe('no personal data in the logs, at debug level', () => {
  it('a day of record commands logs no email, token, name or career data', async () => {
    const lines: string[] = [];
    const logger = jsonLogger({ level: LogLevel.DEBUG, write: (l) => lines.push(l) });
    const t = await startTestApp({
      admins: ['U0ADMIN001'],
      users: [
        { id: 'U0ADMIN001', name: 'ana', real_name: 'Ana Souza', email: 'ana.souza@example.com' },
        { id: 'U0BEN00001', name: 'ben', real_name: 'Ben Okafor', email: 'ben.okafor@example.com' },
      ],
      logger,
      offline: { logLevel: LogLevel.DEBUG },
    });
    try {
      const set = await t.driver.command('set <@U0BEN00001|ben> marketing 2 since 2026-01-15', { user: 'U0ADMIN001' });
      expect(visibleText(set.responses[0])).toContain('Recorded');
      await t.driver.command('me', { user: 'U0BEN00001' });
      await t.driver.command('export', { user: 'U0BEN00001' });
      await t.driver.event(
        { type: 'app_home_opened', user: 'U0BEN00001', channel: 'D0BEN', tab: 'home' },
        { eventId: 'Ev0HOMELOG1' },
      );
      await t.driver.command('set <@U0NOBODY01|x> marketing 2', { user: 'U0ADMIN001' });
    } finally {
      await t.stop();
    }
    expect(lines.length).toBeGreaterThan(10);
    const all = lines.join('');
    for (const secret of ['@example.com', 'xoxb-', 'Souza', 'Okafor', 'Strategist', '2026-01-15', 'v0=']) {
      expect(all).not.toContain(secret);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // Every line a request causes carries its id (Slack's event_id for an event), so one request's
    // lines can be found together.
    const parsed = lines.map((l) => JSON.parse(l) as { req?: string; msg: string });
    expect(parsed.filter((l) => l.req === 'Ev0HOMELOG1').length).toBeGreaterThan(1);
    expect(parsed.filter((l) => l.req?.startsWith('r')).length).toBeGreaterThan(1);
  });
});
