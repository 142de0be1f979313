import { type Logger, LogLevel } from '@slack/bolt';
import { currentRequestId } from './request-context.js';

/**
 * Ripple's logger: one JSON object per line (`time`, `level`, `name`, `req`, `msg`), Bolt's Logger
 * interface, so Bolt, its Web API client and Ripple all log through it.
 *
 * NOTE: logs must never hold personal data beyond Slack ids, at any level. Bolt and the Web API
 * client log whole request and response bodies at debug level (Home-tab cards, messages, users.info
 * answers with emails and names). So every line is scrubbed: emails, tokens and signing material
 * are replaced, and any long argument (a serialized body) is reduced to its size.
 */

const LEVELS: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

/** Arguments longer than this are payloads, not messages: only their length is logged. */
export const MAX_LOGGED_ARGUMENT = 300;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const TOKEN = /\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;
const SIGNATURE = /\bv0=[0-9a-f]{16,}/g;

/** One log argument as text without personal data or secrets. */
export function scrub(arg: unknown): string {
  let text: string;
  if (arg instanceof Error)
    text = `${arg.name}: ${arg.message}${arg.stack ? `\n${arg.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  else if (typeof arg === 'string') text = arg;
  else {
    try {
      text = JSON.stringify(arg) ?? String(arg);
    } catch {
      text = String(arg);
    }
  }
  text = text.replace(EMAIL, '[email]').replace(TOKEN, '[token]').replace(SIGNATURE, '[signature]');
  if (!(arg instanceof Error) && text.length > MAX_LOGGED_ARGUMENT) return `[${text.length} characters omitted]`;
  return text;
}

export interface JsonLoggerOptions {
  level?: LogLevel;
  name?: string;
  /** Where lines go; default standard error. */
  write?: (line: string) => void;
  now?: () => Date;
}

export function jsonLogger(options: JsonLoggerOptions = {}): Logger {
  let level = options.level ?? LogLevel.INFO;
  let name = options.name ?? 'ripple';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const log =
    (at: LogLevel) =>
    (...args: unknown[]) => {
      if (LEVELS[at] < LEVELS[level]) return;
      const msg = args.map(scrub).join(' ');
      const req = currentRequestId();
      write(`${JSON.stringify({ time: now().toISOString(), level: at, name, ...(req ? { req } : {}), msg })}\n`);
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
