import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';

/** Slack's replay rule: a request's timestamp must be within five minutes of our clock, either way. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

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

/**
 * Bolt's HTTP receiver with Slack's timestamp rule enforced both ways. Transport time is always the
 * real clock (`Date.now`), never the app's domain clock.
 */
export function createHttpReceiver(options: HTTPReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  const handle = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && isFromTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) {
      options.logger?.warn('Refused a request whose timestamp is more than five minutes in the future');
      res.writeHead(401);
      res.end();
      return;
    }
    handle(req, res);
  };
  return receiver;
}
