import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
// NOTE: @slack/socket-mode comes with @slack/bolt (which depends on it, same lockfile entry); Bolt does
// not re-export the client, and Ripple needs the client itself to own reconnection.
import { SocketModeClient } from '@slack/socket-mode';
import { DEFAULT_PORT } from '../config.js';
import { ErrorCode, RippleError } from '../errors.js';

/**
 * Waits between attempts to (re)open the connection: the SDK's own shape (SocketModeClient retries
 * `apps.connections.open` from 1 s, ×1.3 each time), capped so that after a long outage Ripple is
 * back within half a minute of Slack, and never given up.
 */
export const DEFAULT_SOCKET_BACKOFF = { firstDelayMs: 1_000, factor: 1.3, maxDelayMs: 30_000 };

/** How long the connection may be down before `/healthz` says so. A refresh takes well under a second. */
export const DEFAULT_SOCKET_GRACE_MS = 10_000;

/** How long a new connection may take from `apps.connections.open` to Slack's `hello`. */
const HELLO_TIMEOUT_MS = 15_000;

/** How long a replaced connection stays open for the envelopes it is still answering. */
const RETIRE_DEADLINE_MS = 3_000;

/**
 * How long a replaced connection is kept after its successor said hello, unless Slack closes it
 * first: Slack may still route a request to it meanwhile.
 */
const HANDOFF_MS = 5_000;

/** `apps.connections.open` errors that mean the app-level token itself is wrong: retrying cannot help. */
const APP_TOKEN_REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
  'user_removed_from_team',
  'team_disabled',
]);

/** Slack refused SLACK_APP_TOKEN while (re)connecting. */
export class AppTokenRejectedError extends RippleError {
  readonly code = ErrorCode.SlackAppTokenRejected;
  constructor(readonly slackError: string) {
    super(
      `Slack refused SLACK_APP_TOKEN (${slackError}). Create an app-level token (xapp-…) with the connections:write ` +
        "scope on your app's Basic Information page (App-Level Tokens), set SLACK_APP_TOKEN to it, then restart Ripple.",
    );
    this.name = 'AppTokenRejectedError';
  }
}

/** Slack sent `disconnect` with reason `link_disabled`: Socket Mode was turned off for the app. */
export class SocketModeDisabledError extends RippleError {
  readonly code = ErrorCode.SocketModeDisabled;
  constructor() {
    super(
      "Slack turned Socket Mode off for this app (link_disabled). Turn it on again in the app's settings " +
        '(Socket Mode → Enable Socket Mode) and restart Ripple, or run Ripple in HTTP mode: unset SLACK_APP_TOKEN ' +
        'and set SLACK_SIGNING_SECRET.',
    );
    this.name = 'SocketModeDisabledError';
  }
}

/** Why the Socket Mode connection is not serving, for `/healthz`; undefined while it is (or within the grace). */
export type SocketStatus = 'connecting-to-slack' | 'socket-disconnected' | 'token-rejected';

export interface Route {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface SocketReceiverOptions {
  appToken: string;
  /** `clientOptions.slackApiUrl` for `apps.connections.open` (tests point it at the fake Slack). */
  apiUrl?: string;
  /** Where to log; the app's logger when absent. */
  logger?: Logger;
  /** Served by the small HTTP server (`GET /healthz`); anything else answers 404. */
  routes: Route[];
  /** Envelopes that arrive before this is true are left unacknowledged (Slack retries), as HTTP answers 503. */
  isReady: () => boolean;
  /** Called once when the connection can never come back (link_disabled, a rejected app token). */
  onFatal: (err: RippleError) => void;
  backoff?: { firstDelayMs: number; factor: number; maxDelayMs: number };
  /** See {@link DEFAULT_SOCKET_GRACE_MS}. */
  graceMs?: number;
}

/** What the SDK hands to `slack_event` listeners. */
interface Envelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

const DISCONNECT = 'ripple_disconnect';

/**
 * The SDK's client, minus its answer to Slack's `disconnect` message: it closes the connection at
 * once and opens the next one about 5 s later, a window in which nothing is received (a command
 * sent then is never answered). Ripple decides instead (see {@link SocketReceiver}).
 * NOTE: drop this override once a released @slack/socket-mode opens the new connection first.
 */
class RippleSocketModeClient extends SocketModeClient {
  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    if (!isBinary) {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      // Cheap test first: every envelope passes here.
      if (text.includes('"disconnect"')) {
        try {
          const message = JSON.parse(text) as { type?: unknown; reason?: unknown };
          if (message.type === 'disconnect') {
            this.emit(DISCONNECT, typeof message.reason === 'string' ? message.reason : 'unknown');
            return;
          }
        } catch {
          // Not JSON: the SDK logs and ignores it.
        }
      }
    }
    return super.onWebSocketMessage(data, isBinary);
  }
}

/** The SDK's debug lines carry whole payloads (people's answers): Ripple never logs those. */
function withoutDebug(logger: Logger): Logger {
  return new Proxy(logger, {
    get(target, key, receiver) {
      if (key === 'debug') return () => undefined;
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function slackErrorOf(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function describe(err: unknown): string {
  return (
    slackErrorOf(err) ?? (err instanceof Error ? err.message : err === undefined ? 'connection closed' : String(err))
  );
}

/** One WebSocket connection and the envelopes it has not answered yet. */
interface Connection {
  client: RippleSocketModeClient;
  /** Slack sent `disconnect` on it: it serves only until the next one says hello. */
  leaving: boolean;
  unanswered: number;
  settled: (() => void)[];
}

/**
 * Bolt's Receiver for Socket Mode, owned by Ripple because Bolt's own one does not heal:
 * - it opens connections with its own patient backoff, forever, whatever failed (Bolt hands the app's
 *   short Web API retry policy to the SDK, which gave up after about a second of outage);
 * - on Slack's `disconnect` (refresh_requested, every few hours) it opens the next connection at once
 *   and keeps serving on the old one until the new one says `hello`;
 * - an event is acknowledged only after its listeners succeeded, so Slack retries a failed one (the
 *   HTTP receiver answers 500 for the same reason); commands and actions ack from their listener;
 * - `link_disabled`, or a rejected app token, is fatal: reported through `onFatal`, never retried;
 * - a small HTTP server answers `/healthz`, which reports a connection down for longer than the grace.
 */
export class SocketReceiver implements Receiver {
  readonly #options: SocketReceiverOptions;
  #app: App | undefined;
  #logger: Logger | undefined;
  #server: Server | undefined;
  #active: Connection | undefined;
  readonly #connections = new Set<Connection>();
  #connecting: Promise<void> | undefined;
  #everConnected = false;
  #downSince: number | undefined;
  #fatal: RippleError | undefined;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  /** Connections opened so far (tests and logs). */
  connectionsOpened = 0;

  constructor(options: SocketReceiverOptions) {
    this.#options = options;
  }

  init(app: App): void {
    this.#app = app;
    this.#logger = this.#options.logger ?? app.logger;
  }

  get #log(): Logger {
    if (!this.#logger) throw new Error('SocketReceiver used before init(app)');
    return this.#logger;
  }

  /** Undefined while serving (or down for less than the grace); otherwise why not. */
  status(): SocketStatus | undefined {
    if (this.#fatal instanceof AppTokenRejectedError) return 'token-rejected';
    if (this.#fatal) return 'socket-disconnected';
    if (this.#active) return undefined;
    if (!this.#everConnected) return 'connecting-to-slack';
    const down = Date.now() - (this.#downSince ?? Date.now());
    return down > (this.#options.graceMs ?? DEFAULT_SOCKET_GRACE_MS) ? 'socket-disconnected' : undefined;
  }

  /** Whether a connection is serving right now. */
  get connected(): boolean {
    return this.#active !== undefined;
  }

  /**
   * Starts the health server on `port` and resolves with it; the connection to Slack is opened in
   * the background (Slack may be down at start: `/healthz` says so meanwhile).
   */
  async start(port = DEFAULT_PORT, host?: string): Promise<Server> {
    this.#stopped = false;
    const server = createServer((req, res) => this.#route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    void this.#reconnect();
    return server;
  }

  /**
   * Takes no new envelopes (left unacknowledged, Slack sends them again to the next instance), lets
   * the ones in progress send their acks for a moment, then closes every connection and the server.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    const closing = [...this.#connections].map((c) => this.#retire(c));
    this.#active = undefined;
    await Promise.all(closing);
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = this.#options.routes.find((r) => r.path === path && r.method.includes(req.method ?? ''));
    if (route) {
      route.handler(req, res);
      return;
    }
    res.writeHead(404);
    res.end();
  }

  /** Opens a connection, retrying until one says hello; one attempt loop at a time. */
  #reconnect(): Promise<void> {
    this.#connecting ??= this.#connectLoop().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connectLoop(): Promise<void> {
    const { firstDelayMs, factor, maxDelayMs } = this.#options.backoff ?? DEFAULT_SOCKET_BACKOFF;
    const logger = this.#log;
    for (let attempt = 0; !this.#stopped && !this.#fatal; attempt++) {
      try {
        const connection = await this.#open();
        if (this.#stopped) {
          await this.#close(connection);
          return;
        }
        this.#promote(connection);
        // Slack can say `disconnect` right after `hello`, before this loop saw the hello: go on to the next.
        if (connection.leaving) continue;
        if (attempt > 0) logger.info(`Socket Mode: connected to Slack again after ${attempt + 1} attempts`);
        return;
      } catch (err) {
        const code = slackErrorOf(err);
        if (code && APP_TOKEN_REJECTED.has(code)) {
          this.#fail(new AppTokenRejectedError(code));
          return;
        }
        if (this.#stopped) return;
        const delay = Math.round(Math.min(firstDelayMs * factor ** attempt, maxDelayMs));
        logger.warn(
          `Socket Mode: cannot connect to Slack (${describe(err)}); trying again in ${(delay / 1000).toFixed(1)} s`,
        );
        await this.#sleep(delay);
      }
    }
  }

  async #open(): Promise<Connection> {
    const { appToken, apiUrl } = this.#options;
    const client = new RippleSocketModeClient({
      appToken,
      logger: withoutDebug(this.#log),
      // Ripple reconnects (#connectLoop): the SDK's own loop stops for good on some errors.
      autoReconnectEnabled: false,
      clientOptions: {
        ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
        // One try per attempt: the backoff is #connectLoop's, and a hung call must not hold it.
        retryConfig: { retries: 0 },
        timeout: 10_000,
      },
    });
    const connection: Connection = { client, leaving: false, unanswered: 0, settled: [] };
    this.#connections.add(connection);
    client.on('slack_event', (envelope: Envelope) => void this.#handle(connection, envelope));
    client.on(DISCONNECT, (reason: string) => this.#onDisconnectMessage(connection, reason));
    client.on('disconnected', () => this.#onClosed(connection));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.start(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Slack did not say hello in time')), HELLO_TIMEOUT_MS);
        }),
      ]);
      this.connectionsOpened++;
      return connection;
    } catch (err) {
      await this.#close(connection);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The new connection serves from now on; the one it replaces closes once it answered what it got. */
  #promote(connection: Connection): void {
    const previous = this.#active;
    this.#active = connection;
    this.#everConnected = true;
    this.#downSince = undefined;
    if (previous && previous !== connection) {
      setTimeout(() => void this.#retire(previous), HANDOFF_MS).unref();
    }
  }

  /** Closes a connection once the envelopes it carried are answered (at most RETIRE_DEADLINE_MS). */
  async #retire(connection: Connection): Promise<void> {
    if (!this.#connections.has(connection)) return;
    if (connection.unanswered > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => connection.settled.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, RETIRE_DEADLINE_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    await this.#close(connection);
  }

  async #close(connection: Connection): Promise<void> {
    this.#connections.delete(connection);
    connection.client.removeAllListeners(DISCONNECT);
    connection.client.removeAllListeners('slack_event');
    await connection.client.disconnect().catch(() => undefined);
    // The SDK's own 'error' logger stays; the rest must not fire for a connection Ripple let go.
    connection.client.removeAllListeners('disconnected');
  }

  #onDisconnectMessage(connection: Connection, reason: string): void {
    if (reason === 'link_disabled') {
      this.#fail(new SocketModeDisabledError());
      return;
    }
    // refresh_requested, warning (closing in about 10 s) or anything new: the next connection is
    // opened now, while this one keeps serving until the new one says hello.
    connection.leaving = true;
    this.#log.info(`Socket Mode: Slack asked to reconnect (${reason}); opening the next connection`);
    // A connection still being opened is seen to by #connectLoop once it says hello.
    if (connection === this.#active) void this.#reconnect();
  }

  #onClosed(connection: Connection): void {
    this.#connections.delete(connection);
    if (connection !== this.#active) return;
    this.#active = undefined;
    this.#downSince = Date.now();
    if (this.#stopped || this.#fatal) return;
    this.#log.warn('Socket Mode: the connection to Slack closed; reconnecting');
    void this.#reconnect();
  }

  #fail(err: RippleError): void {
    if (this.#fatal) return;
    this.#fatal = err;
    this.#log.error(err.message);
    this.#options.onFatal(err);
  }

  async #handle(connection: Connection, envelope: Envelope): Promise<void> {
    const { isReady } = this.#options;
    const logger = this.#log;
    const app = this.#app;
    if (!app || this.#stopped) return;
    if (!isReady()) {
      // As HTTP mode answers 503: nothing is acknowledged, so Slack retries the events.
      logger.warn(`Socket Mode: a ${envelope.type} arrived before Slack accepted the bot token; not acknowledged`);
      return;
    }
    const isEvent = envelope.type === 'events_api';
    let acked = false;
    const send = async (response?: Record<string, unknown>) => {
      if (acked) return;
      acked = true;
      try {
        await envelope.ack(response);
      } catch (err) {
        // The connection closed under it: Slack sends the envelope again on another connection.
        logger.warn(`Socket Mode: could not acknowledge a ${envelope.type} (${describe(err)})`);
      }
    };
    const event: ReceiverEvent = {
      body: envelope.body,
      // NOTE: Bolt acks events before their listeners run. Here that ack is held back until they
      // succeeded: an event whose listener failed stays unacknowledged and Slack retries it.
      ack: isEvent ? async () => undefined : async (response) => send(response as Record<string, unknown>),
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      customProperties: {},
    };
    connection.unanswered++;
    try {
      await app.processEvent(event);
      if (isEvent) await send();
    } catch (err) {
      if (isEvent) logger.error('Socket Mode: an event failed and was not acknowledged; Slack will retry it', err);
      else logger.error(`Socket Mode: a ${envelope.type} failed`, err);
    } finally {
      connection.unanswered--;
      if (connection.unanswered === 0) for (const wake of connection.settled.splice(0)) wake();
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }
}
