import type { IncomingMessage, ServerResponse } from 'node:http';
import { unescape as unescapeQuery } from 'node:querystring';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';

/** Slack's replay rule: a request's timestamp must be within five minutes of our clock, either way. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/** Slack's largest payloads (a modal submission with big inputs) stay well under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * True when `X-Slack-Request-Timestamp` is more than five minutes ahead of `nowMs`. Bolt refuses
 * stale requests but accepts any future timestamp, which would let a captured request be replayed
 * for as long as its signer chose: we refuse those the same way (401, nothing processed).
 * A missing or malformed header is left to Bolt, which refuses it.
 */
export function isFromTheFuture(timestampHeader: string | string[] | undefined, nowMs: number): boolean {
  if (typeof timestampHeader !== 'string' || !/^\d{1,12}$/.test(timestampHeader)) return false;
  return Number(timestampHeader) > Math.floor(nowMs / 1000) + MAX_REQUEST_SKEW_SECONDS;
}

/** A form field's name or value as `querystring.parse` decodes it: `+` is a space, then percent-decoding. */
function decodeFormComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  return unescapeQuery(text.replaceAll('+', ' '));
}

/** JSON text that can only be an object, if it parses: `{` after JSON's whitespace. */
const OPENS_OBJECT = /^[ \t\n\r]*\{/;
/** The same for a form value still percent-encoded: whitespace as itself, `+` or `%20`/`%09`/`%0A`/`%0D`, then `{`. */
const ENCODED_OPENS_OBJECT = /^(?:[ \t\n\r+]|%(?:20|09|0[aAdD]))*(?:\{|%7[bB])/;

/**
 * A form with each field once, and a `payload` (interactions) that opens a JSON object. Only the names are
 * decoded: Bolt parses the whole form again anyway, and decoding every value (a slash command's `response_url`,
 * its text) or parsing the payload twice was a measurable share of a request's CPU.
 */
function isWellFormedForm(raw: string): boolean {
  const names = new Set<string>();
  for (const pair of raw.split('&')) {
    // `querystring.parse` skips empty pairs (`a=1&&b=2`) and reads `a` (no `=`) as `a=`.
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (names.has(name)) return false;
    names.add(name);
    if (name === 'payload' && !ENCODED_OPENS_OBJECT.test(eq === -1 ? '' : pair.slice(eq + 1))) return false;
  }
  return true;
}

/**
 * Whether Bolt can take a body without failing outside its error handling (which leaves the request
 * unanswered): a JSON object, or a form with each field once whose `payload` (interactions) is a JSON
 * object. `payload=null` and a repeated field are refused here; JSON that opens an object and then
 * does not parse is answered 400 by Bolt itself ("Malformed request body"), with nothing processed.
 */
export function isWellFormedSlackBody(raw: string, contentType: string | undefined): boolean {
  if (contentType === 'application/x-www-form-urlencoded') return isWellFormedForm(raw);
  return OPENS_OBJECT.test(raw);
}

function answer(res: ServerResponse, status: number, body?: Record<string, unknown>): void {
  if (res.headersSent) return;
  if (body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

/** Reads the whole body, at most `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Why Ripple cannot serve right now, as `/healthz` names it:
 * - `connecting-to-slack`: starting; Slack has not accepted the bot token (or, in Socket Mode, no
 *   connection has said hello) yet;
 * - `token-rejected`: Slack refused a token; only a person can fix it;
 * - `socket-disconnected`: the Socket Mode connection has been down for longer than the grace;
 * - `database-unwritable`: the database cannot take a write (full disk, read-only, I/O error).
 */
export type HealthStatus = 'connecting-to-slack' | 'token-rejected' | 'socket-disconnected' | 'database-unwritable';

/** `GET /healthz`: 200 `{ ok: true }` while `status()` finds nothing wrong, else 503 naming what is. */
export function healthRoute(status: () => HealthStatus | undefined) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const s = status();
      if (s === undefined) answer(res, 200, { ok: true });
      else answer(res, 503, { ok: false, status: s });
    },
  };
}

/**
 * Bolt's HTTP receiver with the checks Bolt leaves out, before any request reaches the app:
 * - Slack's timestamp rule both ways (transport time is always the real clock, never the domain's);
 * - 503 while Ripple is not connected to Slack yet, so Slack retries events instead of losing them;
 * - 400 for a body that is not a well-formed Slack request, 413 for one too large;
 * - any failure in between answers 500 instead of leaving the request hanging.
 */
export function createHttpReceiver(options: HTTPReceiverOptions, isReady: () => boolean): HTTPReceiver {
  const receiver = new HTTPReceiver({ ...options, bodyLimit: MAX_BODY_BYTES });
  const handle = receiver.requestListener;
  const guard = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      handle(req, res);
      return;
    }
    if (isFromTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) {
      options.logger?.warn('Refused a request whose timestamp is more than five minutes in the future');
      answer(res, 401);
      return;
    }
    if (!isReady()) {
      answer(res, 503, { ok: false, status: 'connecting-to-slack' });
      return;
    }
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === undefined) {
      answer(res, 413);
      return;
    }
    if (!isWellFormedSlackBody(raw.toString(), req.headers['content-type'])) {
      options.logger?.warn('Refused a request whose body is not a well-formed Slack request');
      answer(res, 400);
      return;
    }
    // Bolt reads a body already buffered on the request instead of the (consumed) stream.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    handle(req, res);
  };
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    guard(req, res).catch((err: unknown) => {
      options.logger?.error('A request failed before it reached the app', err);
      answer(res, 500);
    });
  };
  return receiver;
}
