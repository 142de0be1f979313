import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { type Config, formatConfigErrors, parseConfig } from './config.js';
import { type AppContext, systemClock } from './context.js';
import { PostgresWriteProbe, WriteProbe } from './db/health.js';
import { isPostgresUrl, openEngine } from './db/open.js';
import type { PostgresEngine } from './db/postgres.js';
import { type Engine, SqliteEngine } from './db/sql.js';
import { Catalog } from './frameworks/catalog.js';
import { loadFrameworks } from './frameworks/load.js';
import { backgroundJobs } from './jobs.js';
import { jsonLogger } from './log.js';
import { MovableClock } from './sandbox/clock.js';
import { runSandbox } from './sandbox/sandbox.js';
import { seedSandbox } from './sandbox/seed.js';
import { startScheduler } from './scheduler/scheduler.js';
import { createSlackApp } from './slack/app.js';
import { databaseOpenError, listenError } from './startup-errors.js';
import { createStores } from './store/index.js';

const BOLT_LOG_LEVELS: Record<Config['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/**
 * The composition root: reads settings once, loads frameworks and the database, builds the context
 * and starts the transport the settings ask for. Anything wrong at start ends the process with a
 * message a person can act on, and exit code 1.
 */
async function main(): Promise<number> {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${formatConfigErrors(parsed.errors)}\n`);
    return 1;
  }
  const config: Config = parsed.config;
  let engine: Engine;
  // The sandbox can move time forward (`/time +30d`); a real workspace always runs on the real clock.
  const sandboxClock = new MovableClock();
  let ctx: AppContext;
  try {
    const catalog = new Catalog(loadFrameworks(config.frameworksDir));
    // The sandbox keeps its data in memory unless a database file was asked for, and never uses DATABASE_URL:
    // trying Ripple out must not write into a shared database.
    const databasePath = config.mode === 'sandbox' && !config.databasePathSet ? ':memory:' : config.databasePath;
    const databaseUrl = config.mode === 'sandbox' ? undefined : config.databaseUrl;
    const isNew = !isPostgresUrl(databaseUrl) && databasePath !== ':memory:' && !existsSync(databasePath);
    try {
      engine = await openEngine({ databaseUrl, databasePath });
    } catch (err) {
      // PostgreSQL's errors already say which setting and what to do; SQLite's are explained here.
      throw isPostgresUrl(databaseUrl) ? err : new Error(databaseOpenError(err, databasePath));
    }
    if (isNew) process.stderr.write(`Ripple: created a new, empty database at ${resolve(databasePath)}\n`);
    ctx = {
      catalog,
      stores: createStores(engine),
      admins: config.admins,
      clock: config.mode === 'sandbox' ? sandboxClock : systemClock,
      checkinExpiryDays: config.checkinExpiryDays,
      ledgerRetentionMonths: config.ledgerRetentionMonths,
      reminderSchedule: config.reminders.schedule,
    };
  } catch (err) {
    process.stderr.write(`Ripple cannot start.\n${(err as Error).message}\n`);
    return 1;
  }

  if (config.mode === 'sandbox') {
    if (!(engine instanceof SqliteEngine)) throw new Error('The sandbox runs on SQLite');
    const db = engine.handle;
    const sandbox = await seedSandbox(ctx);
    const code = await runSandbox({
      ctx,
      input: process.stdin,
      output: process.stdout,
      people: sandbox.people,
      clock: sandboxClock,
      db,
      reminderSchedule: config.reminders.schedule,
      intro: sandbox.intro,
      messages: sandbox.messages,
      color: process.stdout.isTTY === true,
    });
    await engine.close();
    return code;
  }

  const logger = jsonLogger({ level: BOLT_LOG_LEVELS[config.logLevel] });
  // /healthz answers 503 while the database cannot take a write (full disk, read-only file).
  const onChange = (writable: boolean, err?: unknown) =>
    writable
      ? logger.info('The database takes writes again')
      : logger.error(`The database cannot take writes (${(err as { code?: string })?.code ?? 'unknown'})`);
  const database = (
    engine instanceof SqliteEngine
      ? new WriteProbe(engine.handle, { onChange })
      : new PostgresWriteProbe(engine as PostgresEngine, { onChange })
  ).start();
  const slack = createSlackApp(ctx, {
    transport:
      config.mode === 'http'
        ? {
            mode: 'http',
            botToken: config.slack.botToken,
            signingSecret: config.slack.signingSecret,
            apiUrl: config.slack.apiUrl,
          }
        : {
            mode: 'socket',
            botToken: config.slack.botToken,
            appToken: config.slack.appToken,
            apiUrl: config.slack.apiUrl,
          },
    logLevel: BOLT_LOG_LEVELS[config.logLevel],
    logger,
    healthPort: config.port,
    database,
  });
  try {
    await slack.start({ port: config.port });
  } catch (err) {
    process.stderr.write(`Ripple cannot start.\n${listenError(err, config.port)}\n`);
    database.stop();
    await slack.stop().catch(() => undefined);
    await engine.close();
    return 1;
  }
  // Every background job is composed in src/jobs.ts; housekeeping runs once at start, then on its cron.
  const jobs = backgroundJobs({
    ctx,
    slack: slack.services,
    log: slack.app.logger,
    reminderCron: config.reminders.cron,
    schedule: config.reminders.schedule,
  });
  await jobs.maintenance();
  const scheduler = startScheduler(jobs.ticks, slack.app.logger);
  slack.app.logger.info(
    config.mode === 'http'
      ? `Ripple is listening on port ${config.port} (POST /slack/events, GET /healthz); checking the bot token with Slack`
      : `Ripple is connecting to Slack in Socket Mode (GET /healthz on port ${config.port})`,
  );

  return new Promise<number>((done) => {
    let stopping = false;
    const shutdown = async (reason: string, code: number) => {
      if (stopping) return;
      stopping = true;
      slack.app.logger.info(`${reason}: finishing work in progress (at most 10 s), then stopping`);
      try {
        await scheduler.stop();
        await slack.stop();
      } finally {
        database.stop();
        await engine.close();
        done(code);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
    process.once('SIGINT', () => void shutdown('SIGINT', 0));
    slack.ready().then(
      () => {
        if (!stopping) slack.app.logger.info('Slack accepted the bot token: Ripple is ready');
      },
      (err: unknown) => {
        if (stopping) return;
        process.stderr.write(`Ripple cannot start.\n${(err as Error).message}\n`);
        void shutdown('Bot token refused', 1);
      },
    );
    // Socket Mode turned off for the app, or its app-level token refused: retrying cannot help, and
    // a process that stays up would look alive to an orchestrator while hearing nothing.
    void slack.fatal().then((err) => {
      if (stopping) return;
      process.stderr.write(`Ripple stopped: it cannot receive anything from Slack.\n${err.message}\n`);
      void shutdown('Socket Mode cannot continue', 1);
    });
  });
}

// A failure nobody awaited must not take every workspace's requests down with it: log and go on.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `Ripple: an operation failed in the background: ${(reason as Error)?.message ?? String(reason)}\n`,
  );
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Ripple stopped: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
