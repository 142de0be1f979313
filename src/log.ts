import { type Logger, LogLevel } from '@slack/bolt';
import { currentRequestId } from './request-context.js';

/**
 * Ripple's logger: one JSON object per line (`time`, `level`, `name`, `req`, `msg`), Bolt's Logger
 * interface, so Bolt, its Web API client, the Socket Mode client and Ripple all log through it.
 *
 * NOTE: logs must never hold personal data beyond Slack ids, at any level. At debug level the SDKs
 * log whole payloads, as JSON inside a sentence: the Web API client every request body and every
 * result Slack echoes back (`chat.update` answers with the message it now shows: "2 of 13: Not
 * yet"), Bolt every `ack()` body, the Socket Mode client every envelope it receives or sends. So
 * every line is scrubbed here, whoever wrote it: a payload keeps its shape and what an operator
 * needs (method, ok, error codes, ids, numbers), and every other text becomes its size; emails,
 * tokens and signing material are replaced; a long argument that is not a payload is reduced to
 * its size.
 */

const LEVELS: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

/** Arguments longer than this are payloads, not messages: only their length is logged. */
export const MAX_LOGGED_ARGUMENT = 300;

/** Longer strings are not even searched for a payload: only their length is logged. */
const MAX_SCANNED = 64 * 1024;

/** A payload's summary holds no personal data, so it may be longer than a message; past this it is cut. */
export const MAX_LOGGED_SUMMARY = 1_000;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const TOKEN = /\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;
const SIGNATURE = /\bv0=[0-9a-f]{16,}/g;

/**
 * Fields of Slack payloads whose strings an operator needs and that never hold what a person wrote:
 * kept when they look like an id or a code. Any other string in a payload becomes its size.
 */
const KEPT_FIELDS = new Set([
  'ok',
  'error',
  'warning',
  'warnings',
  'needed',
  'provided',
  'scopes',
  'acceptedScopes',
  'type',
  'subtype',
  'channel',
  'user',
  'users',
  'team',
  'enterprise',
  'id',
  'ts',
  'response_type',
  'response_action',
  'retry_reason',
  'reason',
  // A zod error's message is its issues as JSON: where and what, never the value it refused.
  'code',
  'expected',
  'path',
]);
const KEPT_SUFFIX = /_(id|ids|ts)$/;
/** An id, a code or a timestamp (or a list of them, as `conversations.open` takes users): no spaces. */
const ID_LIKE = /^[\w.:,-]{1,200}$/;
/** Whole surfaces a person reads: only their size is worth logging. */
const COLLAPSED_FIELDS = new Set(['blocks', 'attachments', 'files', 'file', 'state']);
const MAX_DEPTH = 6;
const MAX_ITEMS = 20;

const size = (n: number) => `[${n} characters]`;

/** A parsed payload with every text replaced by its size; numbers, booleans, ids and codes kept. */
function summarize(value: unknown, key: string, depth: number): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string')
    return (KEPT_FIELDS.has(key) || KEPT_SUFFIX.test(key)) && ID_LIKE.test(value) ? value : size(value.length);
  if (typeof value !== 'object') return String(value);
  if (COLLAPSED_FIELDS.has(key) || depth >= MAX_DEPTH) return size(JSON.stringify(value)?.length ?? 0);
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => summarize(v, key, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [k, v] of entries.slice(0, MAX_ITEMS)) out[k] = summarize(v, k, depth + 1);
  if (entries.length > MAX_ITEMS) out['…'] = `[${entries.length - MAX_ITEMS} more]`;
  return out;
}

/** The summary of a JSON object or array, or undefined when `text` is not one. */
function summarizeJson(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? JSON.stringify(summarize(parsed, '', 0)) : undefined;
  } catch {
    return undefined;
  }
}

/** Index just past the JSON object or array opening at `start`, or -1 when it never closes. */
function jsonEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The sentences in which the SDKs (@slack/web-api 8, @slack/bolt 5, @slack/socket-mode 3) put a
 * payload: its first group is kept, the second is the payload (JSON, or a reply's plain text: Bolt
 * logs `ack('text')` as it is), the third closes the sentence.
 */
const PAYLOAD_SENTENCES: readonly RegExp[] = [
  /^(http request (?:body|result): )([\s\S]*)()$/,
  /^(ack\(\) (?:call begins|response stored|response sent) \(body: )([\s\S]*)(\))$/,
  /^(Error details: [\s\S]*?, storedResponse: )([\s\S]*)()$/,
  /^(Received a message on the WebSocket: )([\s\S]*)()$/,
  /^(Sending a WebSocket message: )([\s\S]*)()$/,
  /^(Unable to parse an incoming WebSocket message \(will ignore\): )([\s\S]*)()$/,
  /^(Calling ack\(\) - type: [\w-]*, envelope_id: [\w-]*, data: )([\s\S]*)()$/,
  /^(AWS event: )([\s\S]*)()$/,
];

/** `text` with every payload in it summarized (JSON by its shape, anything else by its size). */
function scrubPayloads(text: string): { text: string; payload: boolean } {
  for (const sentence of PAYLOAD_SENTENCES) {
    const m = sentence.exec(text);
    if (!m) continue;
    const [, before, body = '', after] = m;
    const summary = body === '' || body === 'undefined' ? body : (summarizeJson(body) ?? size(body.length));
    return { text: `${before}${summary}${after}`, payload: true };
  }
  // Anywhere else (Bolt logs whole bodies with JSON.stringify in developer mode, an error message may
  // quote one): each JSON object or array, or what looks like the start of one, is a payload.
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    const end = jsonEnd(text, i);
    const segment = end === -1 ? text.slice(i) : text.slice(i, end);
    const summary = summarizeJson(segment) ?? (/^[[{]\s*["[{]/.test(segment) ? size(segment.length) : undefined);
    if (summary === undefined) continue;
    out += `${text.slice(from, i)}${summary}`;
    from = i + segment.length;
    i = from - 1;
  }
  return from === 0 ? { text, payload: false } : { text: out + text.slice(from), payload: true };
}

/** One log argument as text without personal data or secrets. */
export function scrub(arg: unknown): string {
  let text: string;
  let payload: boolean;
  if (arg instanceof Error) {
    const stack = arg.stack ? `\n${arg.stack.split('\n').slice(1, 6).join('\n')}` : '';
    text = `${arg.name}: ${scrubPayloads(arg.message).text}${stack}`;
    payload = true;
  } else if (typeof arg === 'string') {
    // Past this size a text is a payload whatever its format; scanning it could take long.
    if (arg.length > MAX_SCANNED) return `[${arg.length} characters omitted]`;
    ({ text, payload } = scrubPayloads(arg));
  } else {
    const summary = summarize(arg, '', 0);
    text = typeof summary === 'string' ? summary : (JSON.stringify(summary) ?? String(arg));
    payload = typeof arg === 'object' && arg !== null;
  }
  text = text.replace(EMAIL, '[email]').replace(TOKEN, '[token]').replace(SIGNATURE, '[signature]');
  // A long argument that is not a payload is one nobody expected (a body logged in a format this
  // file does not know): only its size. A summary holds no personal data: cut, not dropped.
  if (!payload && text.length > MAX_LOGGED_ARGUMENT) return `[${text.length} characters omitted]`;
  if (payload && !(arg instanceof Error) && text.length > MAX_LOGGED_SUMMARY)
    return `${text.slice(0, MAX_LOGGED_SUMMARY)}…[${text.length - MAX_LOGGED_SUMMARY} more characters]`;
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
