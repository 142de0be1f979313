import { describe, expect, it } from 'vitest';
import { type Config, formatConfigErrors, parseConfig } from '../src/config.js';

// Fake credentials, shaped like real ones so the prefix checks pass.
const BOT = 'xoxb-1111-2222-fakebotsecretvalue';
const SIGNING = 'fake0signing0secret0value0123456';
const APP = 'xapp-1-A111-2222-fakeappsecretvalue';

function ok(env: Record<string, string | undefined>): Config {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(`expected a config, got:\n${formatConfigErrors(result.errors)}`);
  return result.config;
}

function errors(env: Record<string, string | undefined>): string[] {
  const result = parseConfig(env);
  if (result.ok) throw new Error(`expected errors, got a config in ${result.config.mode} mode`);
  return result.errors;
}

describe('mode', () => {
  it.each([
    { name: 'no credentials → sandbox', env: {}, mode: 'sandbox' },
    {
      name: 'blank credentials count as unset → sandbox',
      env: { SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '  ' },
      mode: 'sandbox',
    },
    {
      name: 'bot token + signing secret → http',
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING },
      mode: 'http',
    },
    { name: 'bot token + app token → socket', env: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, mode: 'socket' },
    {
      name: 'all three → socket',
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_APP_TOKEN: APP },
      mode: 'socket',
    },
  ])('$name', ({ env, mode }) => {
    expect(ok(env).mode).toBe(mode);
  });

  it('passes the credentials of the chosen mode, and only those', () => {
    expect(ok({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING }).slack).toEqual({
      botToken: BOT,
      signingSecret: SIGNING,
    });
    // Socket Mode does not use the signing secret, so it is not carried along.
    expect(ok({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_APP_TOKEN: APP }).slack).toEqual({
      botToken: BOT,
      appToken: APP,
    });
    expect(ok({}).slack).toEqual({});
  });

  it('trims stray spaces around tokens', () => {
    expect(ok({ SLACK_BOT_TOKEN: ` ${BOT}\n`, SLACK_APP_TOKEN: `${APP} ` }).slack).toEqual({
      botToken: BOT,
      appToken: APP,
    });
  });
});

describe('partial credentials are an error, never the sandbox', () => {
  it.each([
    { name: 'bot token alone', env: { SLACK_BOT_TOKEN: BOT }, missing: ['SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] },
    {
      name: 'signing secret alone',
      env: { SLACK_SIGNING_SECRET: SIGNING },
      missing: ['SLACK_BOT_TOKEN'],
      mode: 'HTTP',
    },
    { name: 'app token alone', env: { SLACK_APP_TOKEN: APP }, missing: ['SLACK_BOT_TOKEN'], mode: 'Socket Mode' },
    {
      name: 'signing secret + app token',
      env: { SLACK_SIGNING_SECRET: SIGNING, SLACK_APP_TOKEN: APP },
      missing: ['SLACK_BOT_TOKEN'],
      mode: 'Socket Mode',
    },
  ])('$name', ({ env, missing, mode }) => {
    const errs = errors(env);
    expect(errs).toHaveLength(1);
    const [line] = errs as [string];
    expect(line).toMatch(new RegExp(`^${missing.join(' or ')}: missing`));
    if (mode) expect(line).toContain(mode);
    expect(line).toContain('sandbox'); // tells how to get the sandbox on purpose
  });

  it('bot token alone names both ways to complete it', () => {
    const [line] = errors({ SLACK_BOT_TOKEN: BOT });
    expect(line).toContain('SLACK_APP_TOKEN for Socket Mode');
    expect(line).toContain('SLACK_SIGNING_SECRET for HTTP mode');
  });
});

describe('token formats', () => {
  it.each([
    {
      name: 'bot token with the wrong prefix',
      env: { SLACK_BOT_TOKEN: 'abc-123', SLACK_APP_TOKEN: APP },
      expected: 'SLACK_BOT_TOKEN: must start with "xoxb-";',
    },
    {
      name: 'user token in place of the bot token',
      env: { SLACK_BOT_TOKEN: 'xoxp-9-9-9', SLACK_APP_TOKEN: APP },
      expected: 'SLACK_BOT_TOKEN: must start with "xoxb-" (this one is a user token)',
    },
    {
      name: 'bot token in place of the app token',
      env: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: BOT },
      expected: 'SLACK_APP_TOKEN: must start with "xapp-" (this one is a bot token)',
    },
  ])('$name', ({ env, expected }) => {
    const errs = errors(env);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(expected);
  });

  it('reports a malformed token and a missing partner together', () => {
    expect(errors({ SLACK_APP_TOKEN: 'nope' }).map((e) => e.split(':')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ]);
  });
});

describe('defaults', () => {
  it('fills every optional setting', () => {
    expect(ok({})).toEqual({
      mode: 'sandbox',
      slack: {},
      port: 3000,
      databasePath: 'data/career.db',
      databasePathSet: false,
      frameworksDir: 'frameworks',
      admins: [],
      logLevel: 'info',
      checkinExpiryDays: 14,
      reminders: { cron: '*/15 * * * *', schedule: { hours: { start: 10, end: 17 }, days: [1, 2, 3, 4, 5] } },
      ledgerRetentionMonths: 13,
    });
  });

  it('treats blank values as unset', () => {
    const config = ok({ PORT: '', DATABASE_PATH: ' ', FRAMEWORKS_DIR: '', CAREER_ADMINS: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({
      port: 3000,
      databasePath: 'data/career.db',
      databasePathSet: false,
      logLevel: 'info',
    });
  });

  it('takes explicit values', () => {
    const config = ok({
      PORT: '8080',
      DATABASE_PATH: '/var/lib/ripple.db',
      FRAMEWORKS_DIR: 'custom',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      port: 8080,
      databasePath: '/var/lib/ripple.db',
      databasePathSet: true,
      frameworksDir: 'custom',
      logLevel: 'debug',
    });
  });

  it('takes a PostgreSQL DATABASE_URL, and refuses another kind without echoing it', () => {
    expect(ok({ DATABASE_URL: 'postgres://ripple:s3cret@db:5432/ripple' }).databaseUrl).toBe(
      'postgres://ripple:s3cret@db:5432/ripple',
    );
    expect(ok({ DATABASE_URL: 'postgresql://db/ripple' }).databaseUrl).toBe('postgresql://db/ripple');
    expect(ok({ DATABASE_URL: ' ' }).databaseUrl).toBeUndefined();
    const refused = errors({ DATABASE_URL: 'mysql://root:hunter2@db/ripple' });
    expect(refused).toEqual([expect.stringMatching(/^DATABASE_URL: must be a PostgreSQL URL/)]);
    expect(refused.join('\n')).not.toContain('hunter2');
  });

  it('ignores variables it does not own', () => {
    expect(ok({ PATH: '/usr/bin', HOME: '/root', TZ: 'UTC' }).mode).toBe('sandbox');
  });
});

describe('CHECKIN_EXPIRY_DAYS', () => {
  it.each([
    ['', 14],
    ['1', 1],
    ['30', 30],
    ['365', 365],
  ])('%j → %i days', (value, days) => {
    expect(ok({ CHECKIN_EXPIRY_DAYS: value }).checkinExpiryDays).toBe(days);
  });

  it.each(['0', '366', '-1', '1.5', 'two weeks'])('rejects %j', (value) => {
    expect(errors({ CHECKIN_EXPIRY_DAYS: value })).toEqual([
      `CHECKIN_EXPIRY_DAYS: "${value}" is not a whole number of days from 1 to 365.`,
    ]);
  });
});

describe('LEDGER_RETENTION_MONTHS', () => {
  it.each([
    ['', 13],
    ['1', 1],
    ['24', 24],
    ['120', 120],
  ])('%j → %i months', (value, months) => {
    expect(ok({ LEDGER_RETENTION_MONTHS: value }).ledgerRetentionMonths).toBe(months);
  });

  it.each(['0', '121', '-3', '1.5', 'a year'])('rejects %j', (value) => {
    expect(errors({ LEDGER_RETENTION_MONTHS: value })).toEqual([
      `LEDGER_RETENTION_MONTHS: "${value}" is not a whole number of months from 1 to 120.`,
    ]);
  });
});

describe('PORT', () => {
  it.each(['1', '3000', '65535'])('accepts %s', (port) => {
    expect(ok({ PORT: port }).port).toBe(Number(port));
  });

  it.each(['0', '65536', '-1', '3000.5', '1e3', 'abc', '80 80'])('rejects %j', (port) => {
    expect(errors({ PORT: port })).toEqual([`PORT: "${port}" is not a whole number from 1 to 65535.`]);
  });
});

describe('LOG_LEVEL', () => {
  it.each(['debug', 'info', 'warn', 'error'])('accepts %s', (level) => {
    expect(ok({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('rejects anything else, listing the choices', () => {
    expect(errors({ LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL: "verbose" is not one of debug, info, warn, error.']);
  });
});

describe('CAREER_ADMINS', () => {
  it.each([
    { raw: 'U012ABCDEF', admins: ['U012ABCDEF'] },
    { raw: 'U012ABCDEF,W0987ZYXWV', admins: ['U012ABCDEF', 'W0987ZYXWV'] },
    { raw: ' U012ABCDEF , W0987ZYXWV ', admins: ['U012ABCDEF', 'W0987ZYXWV'] },
    { raw: ',U012ABCDEF,,', admins: ['U012ABCDEF'] },
    { raw: 'U012ABCDEF,U012ABCDEF', admins: ['U012ABCDEF'] },
    { raw: ' , ', admins: [] },
  ])('$raw → $admins', ({ raw, admins }) => {
    expect(ok({ CAREER_ADMINS: raw }).admins).toEqual(admins);
  });

  it('accepts a pasted mention as the id it holds', () => {
    expect(ok({ CAREER_ADMINS: '<@U012ABCDEF>, <@W0987ZYXWV|sam>' }).admins).toEqual(['U012ABCDEF', 'W0987ZYXWV']);
  });

  it('reports every entry that is not a user id', () => {
    const errs = errors({ CAREER_ADMINS: 'U012ABCDEF, alice, @sam, u012abcdef, C012ABCDEF' });
    expect(errs).toHaveLength(4);
    expect(errs.every((e) => e.startsWith('CAREER_ADMINS: '))).toBe(true);
    expect(errs[0]).toContain('"alice" is not a Slack user id');
    expect(errs[0]).toContain('Copy member ID');
  });
});

describe('SLACK_API_URL', () => {
  it.each([
    { raw: 'https://slack.com/api/', url: 'https://slack.com/api/' },
    { raw: 'https://slack-gov.com/api', url: 'https://slack-gov.com/api/' },
    { raw: 'http://127.0.0.1:4010', url: 'http://127.0.0.1:4010/' },
    { raw: 'http://localhost:4010/fake/api', url: 'http://localhost:4010/fake/api/' },
  ])('$raw → $url', ({ raw, url }) => {
    expect(ok({ SLACK_API_URL: raw }).slack.apiUrl).toBe(url);
    expect(ok({ SLACK_API_URL: raw, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack.apiUrl).toBe(url);
  });

  it.each([
    { raw: 'slack.com/api', message: 'not a URL' },
    { raw: 'ftp://slack.com/api/', message: 'must be an http or https URL, not ftp:.' },
    { raw: 'https://slack.com/api/?x=1', message: 'must not have a query string' },
  ])('rejects $raw', ({ raw, message }) => {
    const errs = errors({ SLACK_API_URL: raw });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(`SLACK_API_URL: ${message}`);
  });
});

describe('errors', () => {
  it('reports everything wrong at once, in variable order', () => {
    const errs = errors({ PORT: 'eighty', CAREER_ADMINS: 'bob', SLACK_BOT_TOKEN: BOT, LOG_LEVEL: 'loud' });
    expect(errs.map((e) => e.split(':')[0])).toEqual([
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET',
      'PORT',
      'CAREER_ADMINS',
      'LOG_LEVEL',
    ]);
  });

  it('reports a bad PORT, a bad admin and a missing signing secret as three lines', () => {
    const errs = errors({ SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SIGNING, PORT: '0', CAREER_ADMINS: 'x' });
    expect(errs).toHaveLength(3);
    const message = formatConfigErrors(errs);
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(3);
    expect(message).toContain('3 problems');
    expect(message).toContain('.env.example');
  });

  it('never echoes a secret', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-SECRET1',
      SLACK_SIGNING_SECRET: 'SECRET2-signing',
      SLACK_APP_TOKEN: 'wrong-SECRET3',
      SLACK_API_URL: 'ftp://user:SECRET4@example.com/api',
    };
    const cases: Record<string, string | undefined>[] = [
      secrets,
      { SLACK_BOT_TOKEN: secrets.SLACK_BOT_TOKEN },
      { SLACK_SIGNING_SECRET: secrets.SLACK_SIGNING_SECRET },
      { SLACK_APP_TOKEN: secrets.SLACK_APP_TOKEN },
      { SLACK_BOT_TOKEN: 'xoxb-SECRET5', SLACK_APP_TOKEN: 'xoxb-SECRET6' },
      { SLACK_API_URL: 'not a url SECRET7' },
    ];
    for (const env of cases) {
      const message = formatConfigErrors(errors(env));
      expect(message).not.toMatch(/SECRET\d/);
    }
  });

  it('formats one problem in the singular', () => {
    expect(formatConfigErrors(['PORT: x'])).toMatch(/^Ripple cannot start: 1 problem with/);
  });
});

describe('REMINDER_CRON, REMINDER_HOURS and REMINDER_DAYS', () => {
  it('default to every 15 minutes, 10:00–17:00, Monday to Friday', () => {
    expect(ok({}).reminders).toEqual({
      cron: '*/15 * * * *',
      schedule: { hours: { start: 10, end: 17 }, days: [1, 2, 3, 4, 5] },
    });
  });

  it('read a six-field cron, other hours and a list of days', () => {
    expect(
      ok({ REMINDER_CRON: '0 */5 * * * *', REMINDER_HOURS: '9-18', REMINDER_DAYS: 'mon,wed,fri' }).reminders,
    ).toEqual({ cron: '0 */5 * * * *', schedule: { hours: { start: 9, end: 18 }, days: [1, 3, 5] } });
  });

  it('count blank values as unset', () => {
    expect(ok({ REMINDER_CRON: ' ', REMINDER_HOURS: '', REMINDER_DAYS: '' }).reminders.cron).toBe('*/15 * * * *');
  });

  it('report every wrong value at once, naming the variable and the fix', () => {
    expect(errors({ REMINDER_CRON: 'hourly', REMINDER_HOURS: '17-10', REMINDER_DAYS: 'weekdays' })).toEqual([
      'REMINDER_CRON: "hourly" is not a cron expression: five fields (minute hour day month weekday, e.g. */15 * * * *), or six with seconds first.',
      'REMINDER_HOURS: "17-10": the start must be 0–23, the end 1–24 and after the start (e.g. 10-17).',
      'REMINDER_DAYS: "weekdays" is not a list of days: use mon, tue, wed, thu, fri, sat, sun, ranges (mon-fri) or commas (mon,wed,fri).',
    ]);
  });
});
