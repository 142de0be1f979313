/**
 * The real Ripple app on one of the scale benchmark's databases, in its own process (forked by bench/scale/scale.ts
 * with `node --import tsx`), built as src/main.ts builds it (createSlackApp in HTTP mode, the default frameworks,
 * the SQLite file, CAREER_ADMINS) against the fake Slack of bench/load/serve.ts in another process.
 *
 * Domain time is a movable clock, set to the company's instant at start and moved by the parent before each job;
 * transport time (signatures) is real. Over IPC, besides `snapshot` and `stop` (bench/load/protocol.ts), it runs a
 * background job on request, exactly as main.ts's scheduler would call it, and reports its wall and CPU time and
 * the event-loop delay histogram (perf_hooks) over the job. The parent probes `/healthz` meanwhile.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Logger, LogLevel } from '@slack/bolt';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { backgroundJobs } from '../../src/jobs.js';
import { DEFAULT_DELIVERY } from '../../src/reminders/schedule.js';
import { MovableClock } from '../../src/sandbox/clock.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createStores } from '../../src/store/index.js';
import type { FromChild, Snapshot } from '../load/protocol.js';
import { JOBS, type JobName, type ScaleServerOptions, type ScaleToChild } from './protocol.js';

const FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks', import.meta.url));
const options = JSON.parse(process.argv[2] ?? '{}') as ScaleServerOptions;

function send(message: FromChild | { type: 'job-done'; id: number; [key: string]: unknown }): void {
  process.send?.(message);
}

const errors: string[] = [];
const warnings: string[] = [];
const noop = () => undefined;
const logger: Logger = {
  debug: noop,
  info: noop,
  warn: (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  },
  error: (...args: unknown[]) => {
    errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  },
  setLevel: noop,
  getLevel: () => LogLevel.WARN,
  setName: noop,
};

async function main(): Promise<void> {
  const db = openDatabase(options.databasePath);
  const clock = new MovableClock();
  clock.setTo(new Date(options.now));
  const ctx: AppContext = {
    catalog: new Catalog(loadFrameworks(FRAMEWORKS_DIR)),
    stores: createStores(db),
    admins: [options.admin],
    clock,
  };
  const slack = createSlackApp(ctx, {
    transport: {
      mode: 'http',
      botToken: 'xoxb-offline-bench',
      signingSecret: options.signingSecret,
      apiUrl: options.apiUrl,
    },
    logger,
    retries: 1,
  });
  const server = await slack.start({ port: 0, host: '127.0.0.1' });
  await slack.ready();
  const address = server?.address();
  if (!address || typeof address === 'string') throw new Error('Ripple did not start listening');

  // As src/main.ts wires them.
  const background = backgroundJobs({ ctx, slack: slack.services, log: logger, schedule: DEFAULT_DELIVERY });
  const jobs: Record<JobName, () => Promise<unknown> | unknown> = {
    maintenance: background.maintenance,
    reminders: background.reminderTick,
    growth: background.growthTick,
    expiry: background.checkinExpiry,
  };

  process.on('message', (message: ScaleToChild) => {
    if (message.type === 'snapshot') {
      void (async () => {
        await slack.activity.idle();
        const snapshot: Snapshot = {
          type: 'snapshot',
          id: message.id,
          loggedErrors: errors.length,
          errorSamples: errors.splice(0).slice(0, 3),
          cpu: process.cpuUsage(),
          at: performance.now(),
        };
        send(snapshot);
      })();
    } else if (message.type === 'job') {
      void (async () => {
        if (!JOBS.includes(message.job)) throw new Error(`unknown job ${message.job}`);
        clock.setTo(new Date(message.at));
        warnings.length = 0;
        const histogram = monitorEventLoopDelay({ resolution: 5 });
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        histogram.enable();
        let report: unknown;
        let failed: string | undefined;
        try {
          report = await jobs[message.job]();
        } catch (err) {
          failed = err instanceof Error ? err.message : String(err);
        }
        const ms = performance.now() - t0;
        histogram.disable();
        const cpu = process.cpuUsage(cpu0);
        // Work the job started after Slack's answer (notifications) is part of it.
        await slack.activity.idle();
        send({
          type: 'job-done',
          id: message.id,
          ms,
          cpuMs: (cpu.user + cpu.system) / 1000,
          report,
          failed,
          warnings: warnings.length,
          warningSamples: warnings.slice(0, 3),
          loopDelayMaxMs: histogram.max / 1e6,
          loopDelayP99Ms: histogram.percentile(99) / 1e6,
          loopDelayMeanMs: histogram.count > 0 ? histogram.mean / 1e6 : 0,
        });
      })();
    } else if (message.type === 'stop') {
      void slack
        .stop()
        .then(() => db.close())
        .finally(() => {
          send({ type: 'stopped' });
          process.disconnect?.();
          process.exit(0);
        });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', origin: `http://127.0.0.1:${address.port}` });
}

main().catch((err: unknown) => {
  send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
