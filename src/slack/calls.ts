import { setMaxListeners } from 'node:events';
import { type Logger, webApi } from '@slack/bolt';

/**
 * How Ripple's HTTP calls to Slack behave, so that no call waits on another and none waits forever.
 *
 * The Web API client Slack's SDK builds by default answers a 429 by pausing its whole request queue
 * for `Retry-After`: one person's rate-limited DM then held every other call, and another person's
 * modal missed its trigger_id (which lives 3 s). Here each client refuses a 429 at once
 * (`rejectRateLimitedCalls`) and the call that met it alone waits, when the wait is short; and
 * interactive work and background sending have clients of their own, so a job's burst never queues
 * in front of a reply.
 */

/** How long one attempt of a Web API call or a response_url post may take. Slack answers in well under a second. */
export const DEFAULT_SLACK_TIMEOUT_MS = 10_000;

/**
 * The longest `Retry-After` a person's call waits out in place (chat.postMessage's per-channel limit asks for about
 * a second). A longer limit fails the call at once; a notification then waits in the outbox.
 */
export const INTERACTIVE_RATE_LIMIT_WAIT_MS = 3_000;

export interface SlackFetchOptions {
  /** Each attempt gives up after this long, a wait for a rate limit included. */
  timeoutMs: number;
  /** Longest `Retry-After` waited out inside the call; 0 hands every 429 back at once. */
  maxRateLimitWaitMs: number;
  /** The fetch underneath (tests); globalThis.fetch by default. */
  fetch?: webApi.FetchFunction;
}

function retryAfterMs(res: { headers: { get(name: string): string | null } }): number | undefined {
  const seconds = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Calls that share one timeout signal at most: each request listens to it, and adding a listener walks them all. */
const CALLS_PER_SIGNAL = 32;

/**
 * The abort signal of first attempts: one for the calls begun in the same slot of time (a tenth of the timeout, at
 * most 250 ms; at most {@link CALLS_PER_SIGNAL} calls), aborting a slot after the timeout, so each attempt gives up
 * between `timeoutMs` and 1.1 times it. A signal and its timer per call cost more than the rest of the wrapper (a
 * check-in click makes two calls).
 */
export function sharedTimeouts(timeoutMs: number, now: () => number = Date.now): () => AbortSignal {
  const slotMs = Math.max(1, Math.min(250, Math.floor(timeoutMs / 10)));
  let slotEnds = Number.NEGATIVE_INFINITY;
  let uses = 0;
  let signal: AbortSignal | undefined;
  return () => {
    const t = now();
    if (signal === undefined || t >= slotEnds || uses >= CALLS_PER_SIGNAL) {
      slotEnds = t + slotMs;
      uses = 0;
      signal = AbortSignal.timeout(timeoutMs + slotMs);
      // NOTE: not 0 (unlimited): Node 20's getMaxListeners then throws, and undici asks it for every request.
      setMaxListeners(4 * CALLS_PER_SIGNAL, signal);
    }
    uses++;
    return signal;
  };
}

/**
 * A fetch for Slack's Web API and response_urls (Bolt's `respond()` uses the client's fetch too): every request is
 * aborted after `timeoutMs` (a first attempt within a tenth more: `sharedTimeouts`), and a 429 whose `Retry-After`
 * is short is waited out and sent again by this call alone. Anything else (a longer limit) is handed back as it came,
 * for the client to report.
 */
export function slackFetch(options: SlackFetchOptions): webApi.FetchFunction {
  const base: webApi.FetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const firstAttempt = sharedTimeouts(options.timeoutMs);
  return async (url, init) => {
    const deadline = Date.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const timeout = attempt === 0 ? firstAttempt() : AbortSignal.timeout(Math.max(1, deadline - Date.now()));
      const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      const res = await base(url, { ...init, signal });
      if (res.status !== 429) return res;
      const wait = retryAfterMs(res);
      // NOTE: the body is a string or FormData (never a stream), so sending it again is safe.
      if (wait === undefined || wait > options.maxRateLimitWaitMs || Date.now() + wait >= deadline) return res;
      await res.arrayBuffer().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
}

export interface SlackClientSettings {
  apiUrl?: string;
  /** Retries of a failed call (a 5xx, a network error) on the interactive client. */
  retries: number;
  timeoutMs: number;
  logger?: Logger;
  logLevel?: webApi.LogLevel;
}

/**
 * Options for the client a person waits on (Bolt's own clients, replies, modals, the DMs after a click, lookups):
 * a few quick retries, none begun after the call's time is up, and short rate limits waited out per call.
 */
export function interactiveClientOptions(settings: SlackClientSettings): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    // NOTE: no retry starts once half the call's time is used, so a timed-out attempt is never tried again and a
    // call gives up within about 1.6 times the timeout whatever happens (an attempt may last 1.1 times it).
    retryConfig: {
      retries: settings.retries,
      factor: 2,
      minTimeout: 300,
      maxTimeout: 1_500,
      maxRetryTime: settings.timeoutMs / 2,
    },
    rejectRateLimitedCalls: true,
    fetch: slackFetch({ timeoutMs: settings.timeoutMs, maxRateLimitWaitMs: INTERACTIVE_RATE_LIMIT_WAIT_MS }),
  };
}

/**
 * The client background sending uses (reminders, digests, growth posts, the outbox job, check-in expiry): it neither
 * retries nor waits, because each job has its own retry schedule and one slow recipient must not hold up a batch.
 */
export function backgroundClient(settings: SlackClientSettings): webApi.WebClient {
  return new webApi.WebClient(undefined, {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    fetch: slackFetch({ timeoutMs: settings.timeoutMs, maxRateLimitWaitMs: 0 }),
    // The app's logger where there is one (its lines scrubbed and tagged like Bolt's clients'); WebClient ignores
    // logLevel beside a logger.
    ...(settings.logger ? { logger: settings.logger } : { logLevel: settings.logLevel ?? webApi.LogLevel.ERROR }),
  });
}
