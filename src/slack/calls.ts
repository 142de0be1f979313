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

/**
 * A fetch for Slack's Web API and response_urls (Bolt's `respond()` uses the client's fetch too): every request is
 * aborted after `timeoutMs`, and a 429 whose `Retry-After` is short is waited out and sent again by this call alone.
 * Anything else (a longer limit) is handed back as it came, for the client to report.
 */
export function slackFetch(options: SlackFetchOptions): webApi.FetchFunction {
  const base: webApi.FetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return async (url, init) => {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
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
    // call gives up within about 1.5 times the timeout whatever happens.
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
