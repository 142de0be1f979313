import cron from 'node-cron';
import { z } from 'zod';
import { parseAdminList } from './career/roles.js';
import { DEFAULT_DELIVERY, type DeliverySchedule, parseDays, parseHours } from './reminders/schedule.js';

/**
 * Process settings, read once at start-up from an environment object (normally `process.env`).
 *
 * Nothing else in the app reads `process.env`: the composition root calls {@link parseConfig} and
 * hands the result down. Every problem is collected before reporting, so a person fixing the
 * environment sees the whole list at once instead of one error per restart.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATABASE_PATH = 'data/career.db';
export const DEFAULT_FRAMEWORKS_DIR = 'frameworks';
export const DEFAULT_REMINDER_CRON = '*/15 * * * *';
export const DEFAULT_CHECKIN_EXPIRY_DAYS = 14;
/** LEDGER_RETENTION_MONTHS when unset: a year and a month, so last year's same week is still there. */
export const DEFAULT_LEDGER_RETENTION_MONTHS = 13;

interface CommonConfig {
  port: number;
  databasePath: string;
  /**
   * Whether DATABASE_PATH was given explicitly. The sandbox keeps its data in memory unless it was,
   * so trying Ripple out never leaves a database file behind.
   */
  databasePathSet: boolean;
  /**
   * DATABASE_URL: a postgres:// URL puts every record in that PostgreSQL database (several instances
   * may share it) and no SQLite file is written; undefined keeps the SQLite file at databasePath.
   */
  databaseUrl: string | undefined;
  frameworksDir: string;
  /** Slack user ids allowed to run admin subcommands, in the order given, without duplicates. */
  admins: string[];
  logLevel: LogLevel;
  /** Days without an answer after which an open check-in expires. */
  checkinExpiryDays: number;
  /** The reminder tick (node-cron) and each person's local delivery hours and days. */
  reminders: { cron: string; schedule: DeliverySchedule };
  /** Months the reminder and weekly ledgers remember a send (the current window's are always kept). */
  ledgerRetentionMonths: number;
}

// NOTE: every variant declares all four Slack keys (absent ones as `?: undefined`) so that
// `config.slack.botToken` type-checks without narrowing, and narrows to `string` after a mode check.

/** Slack calls the app over HTTPS; requests are verified with the signing secret. */
export interface HttpConfig extends CommonConfig {
  mode: 'http';
  slack: { botToken: string; signingSecret: string; appToken?: undefined; apiUrl?: string };
}

/** The app opens a WebSocket to Slack with the app-level token; no public URL is needed. */
export interface SocketConfig extends CommonConfig {
  mode: 'socket';
  // The signing secret is dropped here even when set: Socket Mode payloads are not signed.
  slack: { botToken: string; appToken: string; signingSecret?: undefined; apiUrl?: string };
}

/** No Slack workspace: the local sandbox drives the app with an offline fake of Slack. */
export interface SandboxConfig extends CommonConfig {
  mode: 'sandbox';
  slack: { botToken?: undefined; signingSecret?: undefined; appToken?: undefined; apiUrl?: string };
}

export type Config = HttpConfig | SocketConfig | SandboxConfig;
export type Mode = Config['mode'];

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** The variables read, in the order problems are reported. */
export const CONFIG_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'PORT',
  'DATABASE_PATH',
  'DATABASE_URL',
  'FRAMEWORKS_DIR',
  'CAREER_ADMINS',
  'LOG_LEVEL',
  'CHECKIN_EXPIRY_DAYS',
  'REMINDER_CRON',
  'REMINDER_HOURS',
  'REMINDER_DAYS',
  'LEDGER_RETENTION_MONTHS',
] as const;
type Variable = (typeof CONFIG_VARIABLES)[number];

// Known Slack token prefixes. Naming the prefix of a wrongly placed token is safe (it is a type
// marker, not part of the secret) and tells the person which token they pasted.
const TOKEN_KINDS: Record<string, string> = {
  'xoxb-': 'a bot token',
  'xapp-': 'an app-level token',
  'xoxp-': 'a user token',
  'xoxe-': 'a refresh or configuration token',
};

/** Blank values count as unset: `.env` files often carry `NAME=` lines for settings not in use. */
function unsetIfBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

const setting = z.preprocess((v) => (typeof v === 'string' ? unsetIfBlank(v) : v), z.string().optional());

function token(prefix: string, where: string) {
  return setting.superRefine((value, ctx) => {
    if (value === undefined || value.startsWith(prefix)) return;
    const kind = Object.entries(TOKEN_KINDS).find(([p]) => value.startsWith(p))?.[1];
    // NOTE: never include `value` in the message: it is a secret.
    const which = kind ? ` (this one is ${kind})` : '';
    ctx.addIssue({ code: 'custom', message: `must start with "${prefix}"${which}; copy it from ${where}.` });
  });
}

const apiUrl = setting.transform((value, ctx) => {
  if (value === undefined) return undefined;
  // NOTE: the URL is not echoed either: it may carry credentials (https://user:pass@host/).
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a URL; use the form https://slack.com/api/.' });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `must be an http or https URL, not ${url.protocol}.` });
    return z.NEVER;
  }
  if (url.search || url.hash) {
    // WebClient appends the method name (`chat.postMessage`) to this URL, so it must end in a path.
    ctx.addIssue({ code: 'custom', message: 'must not have a query string or #fragment.' });
    return z.NEVER;
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
});

const port = setting.transform((value, ctx) => {
  if (value === undefined) return DEFAULT_PORT;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a whole number from 1 to 65535.` });
    return z.NEVER;
  }
  return n;
});

const admins = setting.transform((value, ctx) => {
  const parsed = parseAdminList(value);
  if (parsed.ok) return parsed.admins;
  for (const entry of parsed.invalid) {
    ctx.addIssue({
      code: 'custom',
      message:
        `"${entry}" is not a Slack user id (like U012ABCDEF): in Slack open the person's profile, ` +
        'choose ⋮ → Copy member ID, and separate ids with commas.',
    });
  }
  return z.NEVER;
});

const logLevel = setting.transform((value, ctx): LogLevel => {
  if (value === undefined) return 'info';
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not one of ${LOG_LEVELS.join(', ')}.` });
    return z.NEVER;
  }
  return level;
});

/** A whole number from `min` to `max` (of `unit`), `fallback` when unset. */
function wholeNumber(fallback: number, min: number, max: number, unit: string) {
  return setting.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a whole number of ${unit} from ${min} to ${max}.` });
      return z.NEVER;
    }
    return n;
  });
}

const checkinExpiryDays = wholeNumber(DEFAULT_CHECKIN_EXPIRY_DAYS, 1, 365, 'days');

const ledgerRetentionMonths = wholeNumber(DEFAULT_LEDGER_RETENTION_MONTHS, 1, 120, 'months');

const reminderCron = setting.transform((value, ctx) => {
  if (value === undefined) return DEFAULT_REMINDER_CRON;
  if (!cron.validate(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a cron expression: five fields (minute hour day month weekday, e.g. */15 * * * *), or six with seconds first.`,
    });
    return z.NEVER;
  }
  return value;
});

const reminderHours = setting.transform((value, ctx) => {
  if (value === undefined) return DEFAULT_DELIVERY.hours;
  const parsed = parseHours(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.error });
  return z.NEVER;
});

const reminderDays = setting.transform((value, ctx) => {
  if (value === undefined) return [...DEFAULT_DELIVERY.days];
  const parsed = parseDays(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.error });
  return z.NEVER;
});

/** A postgres:// or postgresql:// URL; anything else is refused rather than quietly ignored. */
const databaseUrl = setting.superRefine((value, ctx) => {
  if (value !== undefined && !/^postgres(?:ql)?:\/\//i.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a PostgreSQL URL (postgres://user:password@host:5432/database); leave it unset to keep the SQLite file at DATABASE_PATH',
    });
  }
});

const envSchema = z.object({
  SLACK_BOT_TOKEN: token('xoxb-', 'OAuth & Permissions → Bot User OAuth Token'),
  SLACK_SIGNING_SECRET: setting,
  SLACK_APP_TOKEN: token('xapp-', 'Basic Information → App-Level Tokens (scope connections:write)'),
  SLACK_API_URL: apiUrl,
  PORT: port,
  DATABASE_PATH: setting,
  DATABASE_URL: databaseUrl,
  FRAMEWORKS_DIR: setting,
  CAREER_ADMINS: admins,
  LOG_LEVEL: logLevel,
  CHECKIN_EXPIRY_DAYS: checkinExpiryDays,
  REMINDER_CRON: reminderCron,
  REMINDER_HOURS: reminderHours,
  REMINDER_DAYS: reminderDays,
  LEDGER_RETENTION_MONTHS: ledgerRetentionMonths,
});

/** One problem: the variable it is filed under (for ordering) and the full line shown. */
type Problem = { variable: Variable; line: string };

type SlackCredentials = { botToken?: string; signingSecret?: string; appToken?: string };

export type ModeChoice =
  | { ok: true; mode: 'http'; slack: HttpConfig['slack'] }
  | { ok: true; mode: 'socket'; slack: SocketConfig['slack'] }
  | { ok: true; mode: 'sandbox'; slack: SandboxConfig['slack'] }
  | { ok: false; problem: Problem };

/**
 * Picks the mode from which Slack credentials are set (formats are checked separately, so a
 * malformed token and a missing partner are both reported).
 *
 * A partial set is always an error, never a silent fall-back to the sandbox: someone who set one
 * credential meant to connect to Slack, and a sandbox that seems to work would hide the mistake.
 */
export function chooseMode({ botToken, signingSecret, appToken }: SlackCredentials): ModeChoice {
  if (!botToken && !signingSecret && !appToken) return { ok: true, mode: 'sandbox', slack: {} };
  // With all three set, Socket Mode wins: an app-level token exists only for it, and the signing
  // secret is then unused (Socket Mode payloads arrive over the WebSocket, unsigned).
  if (botToken && appToken) return { ok: true, mode: 'socket', slack: { botToken, appToken } };
  if (botToken && signingSecret) return { ok: true, mode: 'http', slack: { botToken, signingSecret } };
  if (botToken) {
    return {
      ok: false,
      problem: {
        variable: 'SLACK_SIGNING_SECRET',
        line:
          'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: missing. SLACK_BOT_TOKEN is set, so Ripple needs SLACK_APP_TOKEN ' +
          'for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode (or unset SLACK_BOT_TOKEN to run the local sandbox).',
      },
    };
  }
  // No bot token but one of its partners, which tells the mode that was meant.
  const meant = appToken
    ? 'Socket Mode needs it together with SLACK_APP_TOKEN'
    : 'HTTP mode needs it together with SLACK_SIGNING_SECRET';
  const partners = [signingSecret && 'SLACK_SIGNING_SECRET', appToken && 'SLACK_APP_TOKEN'].filter(Boolean);
  return {
    ok: false,
    problem: {
      variable: 'SLACK_BOT_TOKEN',
      line:
        `SLACK_BOT_TOKEN: missing. ${meant}; copy it from OAuth & Permissions → Bot User OAuth Token ` +
        `(or unset ${partners.join(' and ')} to run the local sandbox).`,
    },
  };
}

/**
 * Reads every setting from `env` (normally `process.env`). Returns the config, or one line per
 * problem, each naming its variable and what to do, never echoing a secret.
 */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const choice = chooseMode({
    botToken: unsetIfBlank(env.SLACK_BOT_TOKEN),
    signingSecret: unsetIfBlank(env.SLACK_SIGNING_SECRET),
    appToken: unsetIfBlank(env.SLACK_APP_TOKEN),
  });

  if (!parsed.success || !choice.ok) {
    const problems: Problem[] = (parsed.error?.issues ?? []).map((issue) => {
      const variable = issue.path[0] as Variable;
      return { variable, line: `${variable}: ${issue.message}` };
    });
    if (!choice.ok) problems.push(choice.problem);
    const rank = (p: Problem) => CONFIG_VARIABLES.indexOf(p.variable);
    // Array.prototype.sort is stable: problems with one variable keep the order they were found in.
    return { ok: false, errors: problems.sort((a, b) => rank(a) - rank(b)).map((p) => p.line) };
  }

  const e = parsed.data;
  const common: CommonConfig = {
    port: e.PORT,
    databasePath: e.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    databasePathSet: e.DATABASE_PATH !== undefined,
    databaseUrl: e.DATABASE_URL,
    frameworksDir: e.FRAMEWORKS_DIR ?? DEFAULT_FRAMEWORKS_DIR,
    admins: e.CAREER_ADMINS,
    logLevel: e.LOG_LEVEL,
    checkinExpiryDays: e.CHECKIN_EXPIRY_DAYS,
    reminders: { cron: e.REMINDER_CRON, schedule: { hours: e.REMINDER_HOURS, days: e.REMINDER_DAYS } },
    ledgerRetentionMonths: e.LEDGER_RETENTION_MONTHS,
  };
  const apiUrl = e.SLACK_API_URL === undefined ? {} : { apiUrl: e.SLACK_API_URL };
  switch (choice.mode) {
    case 'http':
      return { ok: true, config: { ...common, mode: 'http', slack: { ...choice.slack, ...apiUrl } } };
    case 'socket':
      return { ok: true, config: { ...common, mode: 'socket', slack: { ...choice.slack, ...apiUrl } } };
    case 'sandbox':
      return { ok: true, config: { ...common, mode: 'sandbox', slack: { ...apiUrl } } };
  }
}

/** One message for the console listing every problem, with where to look next. */
export function formatConfigErrors(errors: readonly string[]): string {
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  return [
    `Ripple cannot start: ${count} with its settings (environment variables):`,
    ...errors.map((e) => `  - ${e}`),
    'Fix them in the environment (see .env.example and the Settings section of README.md) and start again.',
    'To try Ripple without a Slack workspace, leave SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN unset.',
  ].join('\n');
}
