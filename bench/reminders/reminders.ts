import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { findServerBinaries, type PostgresServer, startPostgres } from '../../test/support/postgres-server.js';
import type { ChildArgs, ChildResult } from './child.js';

/**
 * The `reminder-tick` section of `npm run bench`: for each size, a temporary database with that many
 * teammates, the engine's full planning pass, and one steady-state tick in two cases — "scaled" (0.3 %
 * of teammates due, as on a busy tick; the tick takes at most TICK_BATCH of them) and "fixed" (100 due
 * at every size) — each step in its own process (bench/reminders/child.ts) so peak memory is its own.
 */

export interface ReminderBenchOptions {
  root: string;
  sizes: readonly number[];
  /** The largest size whose full planning pass is run (it is linear in teammates, and slow). */
  planMax: number;
  /**
   * Where the teammates are stored: a SQLite file (default), or a fresh database on a throwaway PostgreSQL server
   * on 127.0.0.1 (test/support/postgres-server.ts), one database per size.
   */
  engine?: 'sqlite' | 'postgres';
}

export interface ReminderSizeResult {
  size: number;
  fill: ChildResult;
  plan: ChildResult | null;
  scaled: { setup: ChildResult; tick: ChildResult };
  fixed: { setup: ChildResult; tick: ChildResult };
}

export interface ReminderBenchResult {
  engine: 'sqlite' | 'postgres';
  now: string;
  sizes: ReminderSizeResult[];
  seconds: number;
}

/** A Tuesday, 10:00 UTC: the start of delivery hours in London, 11:00 in Paris, 15:30 in Kolkata. */
const NOW = '2027-03-02T10:00:00.000Z';

function step(root: string, args: ChildArgs): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'reminders', 'child.ts'), JSON.stringify(args)],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    },
  );
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as ChildResult;
}

/** A statement on the throwaway server's `postgres` database (CREATE / DROP DATABASE). */
async function admin(server: PostgresServer, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${server.url}postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function runReminderBench(
  options: ReminderBenchOptions,
  log: (line: string) => void,
): Promise<ReminderBenchResult> {
  const engine = options.engine ?? 'sqlite';
  const dir = join(options.root, 'bench', 'out', 'reminders');
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const sizes: ReminderSizeResult[] = [];
  let server: PostgresServer | undefined;
  if (engine === 'postgres') {
    const { bin, reason } = findServerBinaries();
    if (!bin) throw new Error(`reminder-tick --engine=postgres needs a PostgreSQL server: ${reason}`);
    server = await startPostgres(bin);
  }
  try {
    for (const size of options.sizes) sizes.push(await runSize(options, size, dir, server, log));
  } finally {
    server?.stop();
  }
  return { engine, now: NOW, sizes, seconds: (performance.now() - started) / 1000 };
}

async function runSize(
  options: ReminderBenchOptions,
  size: number,
  dir: string,
  server: PostgresServer | undefined,
  log: (line: string) => void,
): Promise<ReminderSizeResult> {
  const db = join(dir, `teammates-${size}.db`);
  const name = `ripple_bench_reminders_${size}`;
  const clean = async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    if (server) await admin(server, `DROP DATABASE IF EXISTS ${name}`);
  };
  await clean();
  if (server) await admin(server, `CREATE DATABASE ${name}`);
  try {
    const t0 = performance.now();
    const base = { db, size, now: NOW, ...(server ? { databaseUrl: `${server.url}${name}` } : {}) };
    const fill = step(options.root, { ...base, step: 'fill' });
    const plan = size <= options.planMax ? step(options.root, { ...base, step: 'plan' }) : null;
    const scaledSetup = step(options.root, { ...base, step: 'setup', dueSet: 'scaled' });
    const scaledTick = step(options.root, { ...base, step: 'tick' });
    const fixedSetup = step(options.root, { ...base, step: 'setup', dueSet: 'fixed' });
    const fixedTick = step(options.root, { ...base, step: 'tick' });
    log(`    ${size.toLocaleString('en')} teammates: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return {
      size,
      fill,
      plan,
      scaled: { setup: scaledSetup, tick: scaledTick },
      fixed: { setup: fixedSetup, tick: fixedTick },
    };
  } finally {
    await clean();
  }
}

const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mb = (x: number) => `${x.toFixed(0)} MB`;

interface Report {
  sent: number;
  deferred: number;
  planned: number;
  due: number;
}

export function printReminderBench(result: ReminderBenchResult): void {
  console.log();
  console.log(
    result.engine === 'postgres'
      ? 'reminder-tick on PostgreSQL (a throwaway server on 127.0.0.1, its data directory in memory, fsync off): ' +
          "peak RSS is Ripple's process only, not the server's"
      : 'reminder-tick on SQLite (a file in bench/out/reminders, synchronous = FULL)',
  );
  const header = ['teammates', 'case', 'due now', 'taken', 'sent', 'wall', 'CPU', 'peak RSS', 'peak heap', 'target'];
  const body: string[][] = [];
  for (const s of result.sizes) {
    for (const name of ['scaled', 'fixed'] as const) {
      const c = s[name];
      const r = c.tick.report as Report;
      const meets = c.tick.ms < 1000 && c.tick.peakRssMb < 300;
      body.push([
        s.size.toLocaleString('en'),
        name,
        String(c.setup.dueNow),
        String(r.due),
        `${r.sent}${r.deferred ? ` (+${r.deferred} deferred)` : ''}`,
        ms(c.tick.ms),
        ms(c.tick.cpuMs as number),
        mb(c.tick.peakRssMb),
        mb(c.tick.peakHeapMb),
        meets ? 'meets' : 'misses',
      ]);
    }
  }
  table(header, body);
  console.log(
    'One tick at a Tuesday 10:00 UTC, Slack stubbed. due now: plan rows due at that instant; taken: rows the tick read ' +
      '(at most TICK_BATCH) plus records changed since the last tick; sent: reminders claimed and delivered (a ' +
      '"past" one also notifies the manager). peak RSS: the process high-water mark (Node and tsx ~100 MB, SQLite ' +
      'cache included); peak heap: V8 heap high-water, sampled at each delivery. Target: < 1 s and < 300 MB at 1,000,000.',
  );
  const plans = result.sizes.filter((s) => s.plan !== null);
  if (plans.length > 0) {
    console.log();
    table(
      ['teammates', 'full planning pass', 'per teammate', 'CPU', 'peak RSS', 'peak heap'],
      plans.map((s) => {
        const p = s.plan as ChildResult;
        return [
          s.size.toLocaleString('en'),
          ms(p.ms),
          `${((p.ms * 1000) / s.size).toFixed(0)} µs`,
          ms(p.cpuMs as number),
          mb(p.peakRssMb),
          mb(p.peakHeapMb),
        ];
      }),
    );
    const last = plans.at(-1) as ReminderSizeResult;
    const perTeammate = (last.plan as ChildResult).ms / last.size;
    console.log(
      `The full planning pass re-plans every teammate (first start after an upgrade, a changed timeframe); it is linear: ` +
        `~${((perTeammate * 1_000_000) / 1000).toFixed(0)} s per 1,000,000 at ${(perTeammate * 1000).toFixed(0)} µs each ` +
        '(sizes above --reminder-plan-max are not run). It runs inside one tick, yielding to the event loop every 250 teammates.',
    );
  }
  console.log(`reminder-tick: ${result.seconds.toFixed(1)} s (filling the databases included)`);
}

function table(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}
