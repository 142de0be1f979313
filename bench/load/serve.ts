/**
 * One process of the load benchmark, forked by bench/load/load.ts with `node --import tsx`. Its role (argv[2], JSON
 * ServeOptions) is one of:
 *
 * - `fake`: the offline fake of Slack's Web API (src/offline-slack/fake-slack-api.ts), with the users `/career me`
 *   looks up (and, for the scale benchmark, every person of its synthetic company). It counts what it receives and forgets it, so a long run does not grow its arrays.
 * - `ripple`: the real app in HTTP mode, built as src/offline-slack/offline.ts builds it (createSlackApp, HTTP
 *   transport, the default frameworks, a real SQLite file, or PostgreSQL when given a databaseUrl, opened and
 *   migrated by openEngine as src/main.ts opens it), but calling a fake that runs in ANOTHER process. The
 *   fake's own work (answering users.info builds two Intl.DateTimeFormat, ~0.25 ms; parsing response_url posts) is
 *   not Ripple's, and in-process it would land on Ripple's event loop and in its CPU time.
 * - `bare`: a Bolt App with Bolt's own HTTPReceiver and one `/career` listener that acks a constant message.
 *
 * Talks to the parent over IPC: `ready` once listening; `snapshot` on request (CPU time so far, counters since the
 * last snapshot); `stopped` before exiting.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { App, type Logger, LogLevel } from '@slack/bolt';
import type { IsoDate } from '../../src/career/dates.js';
import { type AppContext, systemClock } from '../../src/context.js';
import { openEngine } from '../../src/db/open.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { Activity, trackListeners } from '../../src/slack/activity.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createStores } from '../../src/store/index.js';
import { buildCompany } from '../scale/company.js';
import { CALLER, type FromChild, type Ready, type ServeOptions, type Snapshot, type ToChild } from './protocol.js';

const FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks', import.meta.url));
const MANAGER = { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Baker', tz: 'Europe/Paris' };
/** The same small ephemeral message the `command-http` benchmark's minimal app answers. */
const CONSTANT_REPLY = {
  response_type: 'ephemeral',
  text: 'Ripple',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Ripple' } }],
} as const;

const options = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;

function send(message: FromChild): void {
  process.send?.(message);
}

const errors: string[] = [];
const logger: Logger = (() => {
  let level = LogLevel.ERROR;
  const noop = () => undefined;
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: (...args: unknown[]) => {
      errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: noop,
  };
})();

interface Served {
  ready: Ready;
  /** Resolves when the work already started is done (listeners that acked and still post to response_url). */
  idle(): Promise<void>;
  /** Extra counters for the snapshot. */
  counters(): Partial<Snapshot>;
  stop(): Promise<void>;
}

async function serveFake(): Promise<Served> {
  const api = await FakeSlackApi.start();
  api.addUser(CALLER);
  api.addUser(MANAGER);
  if (options.company) {
    const { size, asOf } = options.company;
    for (const person of buildCompany(size, new Catalog(loadFrameworks(FRAMEWORKS_DIR)), asOf as IsoDate).people) {
      const name = person.userId.toLowerCase();
      api.addUser({
        id: person.userId,
        name,
        real_name: `Person ${name.slice(1)}`,
        ...(person.tz ? { tz: person.tz } : {}),
      });
    }
  }
  const responseUrls = Array.from({ length: options.responseUrls ?? 1024 }, () => api.responseUrl());
  let responses = 0;
  let nonEmptyResponses = 0;
  let busyResponses = 0;
  let failedCalls = 0;
  let calls: Record<string, number> = {};
  let lastResponse: string | undefined;
  // Count and forget often: the recorded bodies are whole Block Kit messages.
  const drain = () => {
    for (const call of api.calls) {
      calls[call.method] = (calls[call.method] ?? 0) + 1;
      if (call.status !== 200 || call.response?.ok !== true) failedCalls += 1;
    }
    for (const r of api.responses) {
      responses += 1;
      const body = r.body as { text?: unknown; blocks?: unknown } | undefined;
      if (typeof body?.text === 'string' || Array.isArray(body?.blocks)) nonEmptyResponses += 1;
      if (typeof body?.text === 'string' && /\bbusy\b/i.test(body.text)) busyResponses += 1;
    }
    const last = api.responses.at(-1);
    if (last) lastResponse = JSON.stringify(last.body).slice(0, 2000);
    api.calls.length = 0;
    api.responses.length = 0;
  };
  const timer = setInterval(drain, 100);
  return {
    ready: {
      type: 'ready',
      apiUrl: api.apiUrl,
      teamId: api.teamId,
      teamDomain: api.teamDomain,
      appId: api.appId,
      responseUrls,
    },
    idle: () => api.whenIdle(),
    counters() {
      drain();
      const out = { responses, nonEmptyResponses, busyResponses, calls, failedCalls, lastResponse };
      responses = 0;
      nonEmptyResponses = 0;
      busyResponses = 0;
      failedCalls = 0;
      calls = {};
      lastResponse = undefined;
      return out;
    },
    async stop() {
      clearInterval(timer);
      await api.close();
    },
  };
}

function required<K extends keyof ServeOptions>(key: K): NonNullable<ServeOptions[K]> {
  const value = options[key];
  if (value === undefined || value === null) throw new Error(`serve.ts (${options.role}): missing option ${key}`);
  return value as NonNullable<ServeOptions[K]>;
}

async function serveRipple(): Promise<Served> {
  const engine = await openEngine(
    options.databaseUrl
      ? { databaseUrl: options.databaseUrl, databasePath: '' }
      : { databasePath: required('databasePath') },
  );
  const ctx: AppContext = {
    catalog: new Catalog(loadFrameworks(FRAMEWORKS_DIR)),
    stores: createStores(engine),
    admins: [],
    clock: systemClock,
  };
  // The fake's default team id: the record must be in the workspace the requests come from.
  await ctx.stores.teammates.upsert({
    teamId: 'T0RIPPLE01',
    userId: CALLER.id,
    frameworkId: 'engineering',
    levelId: 'software-engineer-ii',
    since: '2025-03-01',
    managerId: MANAGER.id,
    changedBy: MANAGER.id,
    at: systemClock.now().toISOString(),
  });
  const slack = createSlackApp(ctx, {
    transport: {
      mode: 'http',
      botToken: 'xoxb-offline-bench',
      signingSecret: required('signingSecret'),
      apiUrl: required('apiUrl'),
    },
    logger,
    // As the offline harness: a failure shows at once instead of being retried for minutes.
    retries: 1,
  });
  const server = await slack.start({ port: 0, host: '127.0.0.1' });
  const address = server?.address();
  if (!address || typeof address === 'string') throw new Error('Ripple did not start listening');
  return {
    ready: { type: 'ready', origin: `http://127.0.0.1:${address.port}` },
    idle: () => slack.activity.idle(),
    counters: () => ({}),
    async stop() {
      await slack.stop();
      await engine.close();
    },
  };
}

async function serveBare(): Promise<Served> {
  const app = new App({
    token: 'xoxb-offline-bench',
    signingSecret: required('signingSecret'),
    logger,
    clientOptions: { slackApiUrl: required('apiUrl'), retryConfig: { retries: 1 } },
  });
  const activity = trackListeners(app as never, new Activity());
  app.command('/career', async ({ ack }) => {
    await ack(CONSTANT_REPLY);
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): unknown };
  const { port } = server.address() as { port: number };
  return {
    ready: { type: 'ready', origin: `http://127.0.0.1:${port}` },
    idle: () => activity.idle(),
    counters: () => ({}),
    async stop() {
      await app.stop();
    },
  };
}

async function main(): Promise<void> {
  const served =
    options.role === 'fake' ? await serveFake() : options.role === 'ripple' ? await serveRipple() : await serveBare();
  process.on('message', (message: ToChild) => {
    if (message.type === 'snapshot') {
      void (async () => {
        await served.idle();
        const loggedErrors = errors.length;
        const errorSamples = errors.splice(0).slice(0, 3);
        const snapshot: Snapshot = {
          type: 'snapshot',
          id: message.id,
          ...served.counters(),
          loggedErrors,
          errorSamples,
          cpu: process.cpuUsage(),
          at: performance.now(),
        };
        send(snapshot);
      })();
    } else if (message.type === 'stop') {
      void served.stop().finally(() => {
        send({ type: 'stopped' });
        process.disconnect?.();
        process.exit(0);
      });
    }
  });
  // The parent is gone (crashed, killed): do not linger.
  process.on('disconnect', () => process.exit(0));
  send(served.ready);
}

main().catch((err: unknown) => {
  send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
