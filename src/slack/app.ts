import type { Server } from 'node:http';
import { App, type Logger, type LogLevel } from '@slack/bolt';
import { DEFAULT_PORT } from '../config.js';
import type { AppContext } from '../context.js';
import type { DatabaseHealth } from '../db/health.js';
import type { RippleError } from '../errors.js';
import { Activity, trackListeners } from './activity.js';
import { backgroundClient, DEFAULT_SLACK_TIMEOUT_MS, interactiveClientOptions } from './calls.js';
import { type Identity, Installation } from './installation.js';
import { reactivate } from './listeners/events/lifecycle.js';
import { registerListeners } from './listeners/index.js';
import { foreignRequestCheck } from './middleware/foreign.js';
import { createHttpReceiver, type HealthStatus, healthRoute } from './receiver.js';
import { createSlackServices, type SlackServices } from './services.js';
import { SocketReceiver, type SocketReceiverOptions } from './socket-receiver.js';

export type Transport =
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl?: string }
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string };

export interface SlackAppOptions {
  transport: Transport;
  logLevel?: LogLevel;
  logger?: Logger;
  /**
   * How often the Web API client retries a failed call. Replies never wait on notifications, but a
   * person waits on the lookups a command needs, so the default is short: 2 retries within about
   * 2 seconds (Slack's SDK default is 10 over about 30 minutes).
   */
  retries?: number;
  /**
   * How long one Web API call or response_url post may take before Ripple gives up on it (a notification then waits
   * in the outbox). Default 10 s; tests shorten it.
   */
  slackTimeoutMs?: number;
  /**
   * Waits between `auth.test` attempts while Slack cannot be reached at start, and how often a running Ripple checks
   * its token again (tests shorten them).
   */
  authRetry?: { firstDelayMs?: number; maxDelayMs?: number; recheckMs?: number };
  /** How long `stop()` waits for work in progress before giving up on it. Default 10 s. */
  stopDeadlineMs?: number;
  /** Socket Mode: the port of the small HTTP server that answers `GET /healthz`. Default 3000. */
  healthPort?: number;
  /** Whether the database can take a write, for `/healthz` (none: not checked). */
  database?: DatabaseHealth;
  /** Socket Mode: how long the connection may be down before `/healthz` answers 503 (default 10 s). */
  socketGraceMs?: number;
  /** Socket Mode: waits between connection attempts (tests shorten them). */
  socketBackoff?: SocketReceiverOptions['backoff'];
}

export interface SlackApp {
  app: App;
  activity: Activity;
  /** What the listeners use: also for background jobs, which speak through the same notifier. */
  services: SlackServices;
  installation: Installation;
  /** HTTP mode: listen on `port` (0 for a random one) and `host`; returns the server. Starts checking the token. */
  start(listen?: { port: number; host?: string }): Promise<Server | undefined>;
  /** Resolves once Slack accepted the bot token; rejects with TokenRejectedError when it refused it. */
  ready(): Promise<Identity>;
  /**
   * Resolves (never rejects) when the transport can never serve again until a person acts: in Socket
   * Mode, `link_disabled` or a rejected app token. The composition root ends the process then.
   */
  fatal(): Promise<RippleError>;
  /** What `/healthz` reports: undefined when healthy. */
  health(): HealthStatus | undefined;
  /** Socket Mode: the receiver (its connection state); undefined in HTTP mode. */
  socket: SocketReceiver | undefined;
  /**
   * Stops taking requests, then waits for work already started, at most `stopDeadlineMs`; what is
   * still running then is dropped and logged. Resolves to the number of unfinished tasks dropped.
   */
  stop(): Promise<number>;
}

const DEFAULT_STOP_DEADLINE_MS = 10_000;

/**
 * Builds the Bolt app for a transport. Receivers handle transport; everything the product does is
 * in the listeners registered here, the same in HTTP mode, Socket Mode and the offline sandbox.
 */
export function createSlackApp(ctx: AppContext, options: SlackAppOptions): SlackApp {
  const { transport } = options;
  const token = transport.botToken;
  const activity = new Activity();
  const calls = {
    apiUrl: transport.apiUrl,
    retries: options.retries ?? 2,
    timeoutMs: options.slackTimeoutMs ?? DEFAULT_SLACK_TIMEOUT_MS,
  };
  let installation: Installation | undefined;
  let socket: SocketReceiver | undefined;
  let reportFatal: (err: RippleError) => void = () => undefined;
  const fatal = new Promise<RippleError>((resolve) => {
    reportFatal = resolve;
  });
  // A refused token first (only a person can fix it), then what keeps requests from being served.
  const health = (): HealthStatus | undefined => {
    const state = installation?.state;
    if (state?.kind === 'rejected' || installation?.rejectedNow) return 'token-rejected';
    const socketStatus = socket?.status();
    if (socketStatus === 'token-rejected' || socketStatus === 'socket-disconnected') return socketStatus;
    if (options.database && !options.database.writable) return 'database-unwritable';
    if (state?.kind !== 'ready' || socketStatus) return 'connecting-to-slack';
    return undefined;
  };
  const common = {
    // NOTE: no `token` here. Bolt would check it once with auth.test and cache a failure forever
    // (a rejected or unreachable Slack at start left the app deaf until restarted). The
    // Installation checks it, retries while Slack is unreachable, and authorize reads its result.
    authorize: async () => {
      const identity = installation?.identity;
      if (!identity) throw new Error('Ripple is still connecting to Slack');
      return { botToken: token, botId: identity.botId, botUserId: identity.botUserId, teamId: identity.teamId };
    },
    logLevel: options.logLevel,
    logger: options.logger,
    extendedErrorHandler: true,
    // Ripple keeps its state in SQLite; Bolt's in-memory conversation store would only cost every
    // request a lookup (and an Error with a stack trace).
    convoStore: false as const,
    // Bolt's clients (and its respond()) are the interactive ones: see calls.ts.
    clientOptions: interactiveClientOptions(calls),
  };
  // Ripple's own receiver in Socket Mode: Bolt's does not reconnect after an outage, leaves a gap at
  // each refresh and acknowledges failed events (see socket-receiver.ts).
  socket =
    transport.mode === 'socket'
      ? new SocketReceiver({
          appToken: transport.appToken,
          apiUrl: transport.apiUrl,
          // Socket Mode needs no inbound port for Slack, but orchestrators still ask /healthz.
          routes: [healthRoute(health)],
          isReady: () => installation?.state.kind === 'ready',
          onFatal: (err) => reportFatal(err),
          graceMs: options.socketGraceMs,
          backoff: options.socketBackoff,
        })
      : undefined;
  const app =
    transport.mode === 'http'
      ? new App({
          ...common,
          receiver: createHttpReceiver(
            {
              signingSecret: transport.signingSecret,
              logger: options.logger,
              logLevel: options.logLevel,
              // Events are processed before Slack gets its 200, so a failure answers 500 and Slack
              // retries. Commands and actions ack first and do their work after (services.later).
              processBeforeResponse: true,
              customRoutes: [healthRoute(health)],
            },
            () => installation?.state.kind === 'ready',
          ),
        })
      : new App({
          ...common,
          receiver: socket,
        });
  installation = new Installation({
    client: app.client,
    token,
    logger: app.logger,
    // An accepted token proves Ripple is installed: a reinstall after an uninstall resumes outgoing work.
    onReady: async (identity) => await reactivate(ctx, identity.teamId, app.logger, 'Slack accepted the bot token'),
    ...(options.authRetry ?? {}),
  });
  const verified = installation;

  trackListeners(app, activity);
  const background = backgroundClient({ ...calls, logger: app.logger });
  const services = createSlackServices(ctx, app.client, token, activity, app.logger, background);
  registerListeners(
    app,
    services,
    foreignRequestCheck(() => verified.identity, app.logger),
  );
  // Bolt's extended handler (extendedErrorHandler: true) also gets the request body.
  app.error((async ({ error, body }: { error: Error; body?: unknown }) => {
    // Listeners reply to people themselves; this is the last line for anything they missed.
    app.logger.error('Unhandled error in a listener', error);
    // A full disk or a read-only database met by a real write shows on /healthz at once, not only
    // at the next write probe. Bolt wraps listener errors: the SQLite error is `original`.
    options.database?.report?.((error as { original?: unknown }).original ?? error);
    // An event that failed must not be acknowledged: answering 500 makes Slack retry it.
    if ((body as { type?: unknown } | undefined)?.type === 'event_callback') throw error;
  }) as Parameters<App['error']>[0]);

  let readiness: Promise<Identity> | undefined;
  const ready = () => {
    readiness ??= verified.verify();
    return readiness;
  };
  return {
    app,
    activity,
    services,
    installation: verified,
    async start(listen) {
      let server: Server | undefined;
      if (transport.mode === 'http') {
        server = (await app.start({ port: listen?.port ?? DEFAULT_PORT, host: listen?.host })) as Server;
      } else {
        server = await socket?.start(listen?.port ?? options.healthPort ?? DEFAULT_PORT, listen?.host);
      }
      ready().catch(() => undefined);
      return server;
    },
    ready,
    fatal: () => fatal,
    health,
    socket,
    async stop() {
      verified.stop();
      await app.stop();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), options.stopDeadlineMs ?? DEFAULT_STOP_DEADLINE_MS);
      });
      const finished = await Promise.race([activity.idle().then(() => 'idle' as const), deadline]);
      clearTimeout(timer);
      if (finished === 'idle') return 0;
      const dropped = activity.running;
      app.logger.warn(`Stopped with ${dropped} task(s) unfinished (retries of notifications); they were dropped`);
      return dropped;
    },
  };
}
