import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger, LogLevel } from '@slack/bolt';
import type { AppContext } from '../context.js';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../slack/app.js';
import { SlackDriver } from './driver.js';
import { FakeSlackApi, type FakeUser } from './fake-slack-api.js';

export interface Offline {
  api: FakeSlackApi;
  driver: SlackDriver;
  slack: SlackApp;
  /** The app's request URL, e.g. http://127.0.0.1:PORT/slack/events (HTTP mode only). */
  appUrl: string;
  /** http://127.0.0.1:PORT/healthz, in both modes. */
  healthUrl: string;
  stop(): Promise<void>;
}

export interface OfflineOptions {
  ctx: AppContext;
  users?: readonly FakeUser[];
  teamId?: string;
  logLevel?: LogLevel;
  logger?: Logger;
  /** Runs on the fake Web API before the app is built: for failures the app meets at start. */
  prepareApi?: (api: FakeSlackApi) => void;
  authRetry?: SlackAppOptions['authRetry'];
  /** How long a Web API call may take before the app gives up on it (default 10 s). */
  slackTimeoutMs?: number;
  stopDeadlineMs?: number;
  /** Wait until Slack accepted the token before returning (default true). */
  waitUntilReady?: boolean;
  /** Whether the database can take a write, for `/healthz`. */
  database?: SlackAppOptions['database'];
  /**
   * Socket Mode instead of HTTP: `prepareApi` must make the fake answer `apps.connections.open` with
   * a WebSocket URL (test/support/fake-socket-slack.ts does). The driver, which posts signed HTTP
   * requests, does not apply.
   */
  socket?: { appToken?: string; graceMs?: number; backoff?: SlackAppOptions['socketBackoff'] };
}

/**
 * Runs the real app in HTTP mode on 127.0.0.1 against the fake Slack Web API, with a fresh
 * signing secret, and a driver that talks to it as Slack would. Used by the sandbox and the tests.
 */
export async function startOffline(options: OfflineOptions): Promise<Offline> {
  const api = await FakeSlackApi.start({ teamId: options.teamId });
  for (const user of options.users ?? []) api.addUser(user);
  options.prepareApi?.(api);
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = 'xoxb-offline-sandbox';
  const slack = createSlackApp(options.ctx, {
    transport: options.socket
      ? { mode: 'socket', botToken, appToken: options.socket.appToken ?? 'xapp-offline-sandbox', apiUrl: api.apiUrl }
      : { mode: 'http', botToken, signingSecret, apiUrl: api.apiUrl },
    database: options.database,
    socketGraceMs: options.socket?.graceMs,
    socketBackoff: options.socket?.backoff,
    logLevel: options.logLevel,
    logger: options.logger,
    retries: 1,
    authRetry: options.authRetry,
    slackTimeoutMs: options.slackTimeoutMs,
    stopDeadlineMs: options.stopDeadlineMs,
  });
  let server: Awaited<ReturnType<SlackApp['start']>>;
  try {
    server = await slack.start({ port: 0, host: '127.0.0.1' });
    // Requests are answered 503 until Slack accepted the bot token (auth.test).
    if (options.waitUntilReady !== false) await slack.ready();
  } catch (err) {
    await slack.stop().catch(() => undefined);
    await api.close();
    throw err;
  }
  const address = server?.address() as AddressInfo | null | undefined;
  if (!address) throw new Error('The offline Slack app did not start listening');
  const port = address.port;
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  const driver = new SlackDriver({
    appUrl,
    signingSecret,
    api,
    teamId: api.teamId,
    idle: () => slack.activity.idle(),
    // NOTE: no `now` here. Signatures, X-Slack-Request-Timestamp and event_time are transport time and
    // always real: Bolt checks them against the real clock. Only the domain reads ctx.clock.
  });
  return {
    api,
    driver,
    slack,
    appUrl,
    healthUrl,
    async stop() {
      await slack.stop();
      await api.close();
    },
  };
}
