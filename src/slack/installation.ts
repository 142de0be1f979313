import type { Logger, webApi } from '@slack/bolt';
import { ErrorCode, RippleError } from '../errors.js';

/** Who this app is in the one workspace its bot token belongs to, as `auth.test` (and `bots.info`) say. */
export interface Identity {
  teamId: string;
  botUserId: string;
  botId: string;
  /** From `bots.info`; undefined when Slack did not say (requests are then checked by team only). */
  appId: string | undefined;
  /** The workspace's name (`auth.test`'s `team`), for telling people of other workspaces whom Ripple serves. */
  teamName: string | undefined;
  /** The Enterprise Grid org the workspace belongs to; undefined outside Grid. */
  enterpriseId: string | undefined;
}

export type InstallationState =
  | { kind: 'checking'; attempts: number; lastError?: string }
  | { kind: 'ready'; identity: Identity }
  | { kind: 'rejected'; error: string };

/** `auth.test` errors that mean the token itself is wrong: retrying cannot help, a person must act. */
const TOKEN_REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
]);

/** Of those, the ones that say the token itself was revoked or disabled (a per-method scope error does not). */
const TOKEN_REVOKED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** How often a running Ripple asks Slack whether its bot token is still accepted. */
export const DEFAULT_TOKEN_RECHECK_MS = 60_000;

export class TokenRejectedError extends RippleError {
  readonly code = ErrorCode.SlackTokenRejected;
  constructor(readonly slackError: string) {
    super(
      `Slack refused SLACK_BOT_TOKEN (${slackError}). Copy the Bot User OAuth Token (xoxb-…) again from your app's ` +
        'OAuth & Permissions page, or reinstall the app to the workspace, then restart Ripple.',
    );
    this.name = 'TokenRejectedError';
  }
}

function slackErrorOf(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export interface InstallationOptions {
  client: webApi.WebClient;
  token: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Waits between attempts while Slack cannot be reached: doubling from `firstDelayMs` up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Called each time Slack accepts the token (the workspace is installed: see `reactivate`), and awaited:
   * at start, Ripple serves no request until it has finished.
   */
  onReady?: (identity: Identity) => Promise<unknown>;
  /** Once ready, `auth.test` again this often (ms) to notice a token revoked while running; 0 never. */
  recheckMs?: number;
}

/**
 * Checks the bot token with `auth.test` before Ripple serves anyone. A token Slack rejects ends the
 * start with a message naming SLACK_BOT_TOKEN; a network failure or a Slack outage is retried with
 * backoff while `/healthz` answers 503, and Ripple becomes ready when Slack answers.
 *
 * Once ready it asks again every `recheckMs`: a token revoked or disabled while Ripple runs shows as
 * {@link Installation.rejectedNow} (so `/healthz` answers 503) until Slack accepts it again, with no restart.
 */
export class Installation {
  #state: InstallationState = { kind: 'checking', attempts: 0 };
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #recheck: NodeJS.Timeout | undefined;
  #rejectedNow: string | undefined;
  readonly #options: InstallationOptions;

  constructor(options: InstallationOptions) {
    this.#options = options;
  }

  get state(): InstallationState {
    return this.#state;
  }

  /** Slack's error while a running Ripple's token is refused (`token_revoked`, …); undefined while it is accepted. */
  get rejectedNow(): string | undefined {
    return this.#rejectedNow;
  }

  get identity(): Identity | undefined {
    return this.#state.kind === 'ready' ? this.#state.identity : undefined;
  }

  /** Resolves with the identity once the token is accepted; rejects with TokenRejectedError, or when stopped. */
  async verify(): Promise<Identity> {
    const { client, token, logger } = this.#options;
    let delay = this.#options.firstDelayMs ?? 1_000;
    const maxDelay = this.#options.maxDelayMs ?? 30_000;
    for (;;) {
      if (this.#stopped) throw new Error('Stopped before Slack accepted the token');
      const attempts = this.#state.kind === 'checking' ? this.#state.attempts + 1 : 1;
      try {
        const auth = await client.auth.test({ token });
        if (!auth.team_id || !auth.user_id || !auth.bot_id) throw new Error('auth.test did not name a bot user');
        const identity: Identity = {
          teamId: auth.team_id,
          botUserId: auth.user_id,
          botId: auth.bot_id,
          appId: await this.#appId(auth.bot_id),
          teamName: auth.team || undefined,
          enterpriseId: auth.enterprise_id || undefined,
        };
        // NOTE: what the accepted token proves is written before any request is served: a proof written later
        // (its read and its write round trips to a database server) could undo an uninstall that arrived in between.
        await this.#options.onReady?.(identity);
        this.#state = { kind: 'ready', identity };
        if (attempts > 1) logger.info(`Slack accepted the bot token after ${attempts} attempts`);
        this.#scheduleRecheck();
        return identity;
      } catch (err) {
        const code = slackErrorOf(err);
        if (code && TOKEN_REJECTED.has(code)) {
          const rejected = new TokenRejectedError(code);
          this.#state = { kind: 'rejected', error: rejected.message };
          throw rejected;
        }
        const reason = code ?? (err as Error)?.message ?? String(err);
        this.#state = { kind: 'checking', attempts, lastError: reason };
        logger.warn(`Cannot reach Slack to check the bot token (${reason}); trying again in ${delay / 1000} s`);
        await this.#sleep(delay);
        delay = Math.min(delay * 2, maxDelay);
      }
    }
  }

  /** Ends a running retry loop (shutdown). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#recheck);
    this.#wake?.();
  }

  #scheduleRecheck(): void {
    const every = this.#options.recheckMs ?? DEFAULT_TOKEN_RECHECK_MS;
    if (every <= 0 || this.#stopped) return;
    this.#recheck = setTimeout(() => {
      void this.#recheckOnce().finally(() => this.#scheduleRecheck());
    }, every);
    this.#recheck.unref();
  }

  /** One `auth.test`: a revoked token is noted (and logged once); only an accepted one clears it. Slack being unreachable changes nothing. */
  async #recheckOnce(): Promise<void> {
    const { client, token, logger } = this.#options;
    try {
      await client.auth.test({ token });
      if (this.#rejectedNow === undefined) return;
      this.#rejectedNow = undefined;
      logger.info('Slack accepts SLACK_BOT_TOKEN again; /healthz answers 200');
      const identity = this.identity;
      if (identity) await this.#options.onReady?.(identity);
    } catch (err) {
      const code = slackErrorOf(err);
      if (!code || !TOKEN_REVOKED.has(code) || this.#rejectedNow === code) return;
      this.#rejectedNow = code;
      logger.warn(
        `Slack now refuses SLACK_BOT_TOKEN (${code}): reinstall the app or copy its Bot User OAuth Token again. ` +
          '/healthz answers 503 until Slack accepts it.',
      );
    }
  }

  async #appId(botId: string): Promise<string | undefined> {
    try {
      const info = await this.#options.client.bots.info({ token: this.#options.token, bot: botId });
      return info.bot?.app_id ?? undefined;
    } catch {
      return undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }
}
