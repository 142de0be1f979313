/**
 * Ripple's benchmarks. Each one runs a CANDIDATE (our code) and a BASELINE (the least any implementation must do
 * for the same job) side by side in this process, interleaved round by round after a warm-up, and reports the
 * ratio candidate/baseline. Ratios, not absolute times, are what compare across machines and runs; nothing here
 * passes or fails. See bench/README.md for what each benchmark isolates and how to read the table.
 *
 *   npx tsx bench/run.ts [--quick] [name-filter ...]
 *   NODE_OPTIONS=--expose-gc npx tsx bench/run.ts   (memory figures need a GC; a fallback enables one otherwise)
 *
 * Writes bench/out/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { App, type Logger, LogLevel } from '@slack/bolt';
import { type CareerCommand, parseCommand } from '../src/commands/grammar.js';
import { runLookup } from '../src/commands/lookup.js';
import { type AppContext, systemClock } from '../src/context.js';
import { type Db, openDatabase } from '../src/db/migrate.js';
import { Catalog } from '../src/frameworks/catalog.js';
import { listFrameworkFiles, loadFrameworks } from '../src/frameworks/load.js';
import { type Reply, SlackDriver } from '../src/offline-slack/driver.js';
import { FakeSlackApi } from '../src/offline-slack/fake-slack-api.js';
import { type Offline, startOffline } from '../src/offline-slack/offline.js';
import { trackListeners } from '../src/slack/activity.js';
import { helpMessage } from '../src/slack/blocks/help.js';
import type { Message } from '../src/slack/blocks/kit.js';
import { levelMessage, lookupMessage, problemMessage } from '../src/slack/blocks/lookup.js';
import { createStores, type ImportRow } from '../src/store/index.js';
import { type LoadEngine, type LoadOptions, type LoadResult, printLoad, runLoad } from './load/load.js';
import { measureStartToReady, printStartToReady, type ReadyResult } from './load/ready.js';
import { printReminderBench, type ReminderBenchResult, runReminderBench } from './reminders/reminders.js';
import { printScaleBench, runScaleBench, type ScaleOptions, type ScaleResult } from './scale/scale.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FRAMEWORKS_DIR = join(ROOT, 'frameworks');
const OUT_FILE = join(ROOT, 'bench', 'out', 'results.json');

// ---------------------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const FILTERS = argv.filter((a) => !a.startsWith('--') && a !== '-h').map((a) => a.toLowerCase());
/** `--name=value` options, all numbers: the load benchmark's knobs. */
const NUMERIC_OPTIONS = [
  'load-duration',
  'load-warmup',
  'load-connections',
  'load-rounds',
  'ready-runs',
  'reminder-plan-max',
  'scale-year',
  'scale-burst',
  'scale-sequential',
  'scale-schedule-runs',
  'scale-deadline',
  'scale-import',
] as const;
type NumericOption = (typeof NUMERIC_OPTIONS)[number];
const numeric = new Map<string, number>();
const unknownFlags = argv.filter((a) => {
  if (!a.startsWith('--') || a === '--quick' || a === '--help' || a === '--load-cpu-prof') return false;
  if (a.startsWith('--reminder-sizes=') || a.startsWith('--scale-sizes=') || a.startsWith('--engine=')) return false;
  if (a.startsWith('--load-cases=')) return false;
  const match = /^--([a-z-]+)=(.*)$/.exec(a);
  if (!match || !NUMERIC_OPTIONS.includes(match[1] as NumericOption)) return true;
  const value = Number(match[2]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${a}: expected a number ≥ 0`);
    process.exit(2);
  }
  numeric.set(match[1] as string, value);
  return false;
});
const option = (name: NumericOption, fallback: number) => numeric.get(name) ?? fallback;
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(
    'usage: npx tsx bench/run.ts [--quick] [--load-duration=S] [--load-warmup=S] [--load-connections=N] ' +
      '[--load-rounds=N] [--ready-runs=N] [--load-cpu-prof] [--reminder-sizes=N,N] [--reminder-plan-max=N] ' +
      '[--scale-sizes=N,N] [--scale-year=N] [--scale-burst=N] [--scale-sequential=N] [--scale-schedule-runs=N] ' +
      '[--scale-deadline=S] [--scale-import=N] [--engine=sqlite|postgres|sqlite,postgres] [--load-cases=level,help,me] ' +
      '[name-filter ...]',
  );
  process.exit(0);
}
if (unknownFlags.length > 0) console.warn(`ignoring unknown option(s): ${unknownFlags.join(' ')}`);

/** Measured rounds, after one warm-up round. */
const ROUNDS = QUICK ? 3 : 7;
/** Each round of a time benchmark interleaves this many slices of each side. */
const SLICES = QUICK ? 4 : 6;
/** Scales work per slice: slices are shorter in --quick mode, so each ratio is a little noisier. */
const SCALE = QUICK ? 0.5 : 1;
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));

/**
 * `--engine=sqlite,postgres`: the engines Ripple runs on in `load-http` and `reminder-tick` (default SQLite);
 * `postgres` starts a throwaway PostgreSQL server on 127.0.0.1 (test/support/postgres-server.ts).
 */
const ENGINES: LoadEngine[] = (() => {
  const raw = argv.find((a) => a.startsWith('--engine='))?.split('=')[1] ?? 'sqlite';
  const names = raw.split(',').map((e) => e.trim().toLowerCase());
  const bad = names.filter((e) => e !== 'sqlite' && e !== 'postgres');
  if (bad.length > 0 || names.length === 0) {
    console.error(`--engine=${raw}: expected sqlite, postgres or sqlite,postgres`);
    process.exit(2);
  }
  return [...new Set(names)] as LoadEngine[];
})();
/** `--load-cases=me` (or `level,help`): only those of Ripple's load cases, e.g. to profile one command alone. */
const LOAD_CASES: string[] | undefined = (() => {
  const raw = argv.find((a) => a.startsWith('--load-cases='))?.split('=')[1];
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((c) => c.trim().toLowerCase());
  const bad = names.filter((c) => !['level', 'help', 'me'].includes(c));
  if (bad.length > 0 || names.length === 0) {
    console.error(`--load-cases=${raw}: expected some of level, help, me`);
    process.exit(2);
  }
  return names;
})();
/** The load benchmark (bench/load/): seconds per case after a warm-up, concurrent connections, rounds. */
const LOAD: Omit<LoadOptions, 'root'> = {
  durationS: option('load-duration', QUICK ? 2 : 5),
  warmupS: option('load-warmup', QUICK ? 0.5 : 1),
  connections: Math.max(1, Math.round(option('load-connections', 50))),
  rounds: Math.max(1, Math.round(option('load-rounds', 1))),
  engines: ENGINES,
  ...(LOAD_CASES ? { cases: LOAD_CASES } : {}),
  // Profiles of the two servers under load, for finding where the CPU goes; the profiler slows them down.
  ...(argv.includes('--load-cpu-prof') ? { cpuProfileDir: join(ROOT, 'bench', 'out', 'profiles') } : {}),
};
/** `reminder-tick`: teammates per database (`--reminder-sizes=10000,100000`), and the largest fully planned. */
const REMINDER_SIZES = (argv.find((a) => a.startsWith('--reminder-sizes='))?.split('=')[1] ?? '10000,100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 1000);
const REMINDER_PLAN_MAX = option('reminder-plan-max', 100_000);
/** `scale` (bench/scale/): company sizes, the size that lives a simulated year (0: none), and its knobs. */
const SCALE_BENCH: Omit<ScaleOptions, 'root'> = {
  sizes: (argv.find((a) => a.startsWith('--scale-sizes='))?.split('=')[1] ?? '1000,10000,100000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 500),
  yearSize: Math.round(option('scale-year', QUICK ? 0 : 10_000)),
  connections: Math.max(1, Math.round(option('load-connections', 50))),
  burst: Math.max(1, Math.round(option('scale-burst', QUICK ? 200 : 500))),
  sequential: Math.max(1, Math.round(option('scale-sequential', QUICK ? 10 : 30))),
  scheduleRuns: Math.max(1, Math.round(option('scale-schedule-runs', QUICK ? 1 : 3))),
  deadlineS: Math.max(1, option('scale-deadline', 180)),
  importRows: Math.round(option('scale-import', 100_000)),
};
/** Starts of src/main.ts (and of the floor) timed by `start-ready`. */
const READY_RUNS = Math.max(1, Math.round(option('ready-runs', QUICK ? 2 : 3)));

// ---------------------------------------------------------------------------------------------------------------
// GC: memory deltas are only meaningful after a full collection.

type Gc = () => void;

function findGc(): { gc: Gc | undefined; how: string } {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (typeof exposed === 'function') return { gc: exposed, how: 'global.gc (--expose-gc)' };
  try {
    // The flag can still be turned on at run time; a fresh context then sees `gc`.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as Gc, how: 'v8.setFlagsFromString fallback' };
  } catch {
    // fall through
  }
  return { gc: undefined, how: 'none (memory figures are unreliable)' };
}

const GC = findGc();
function collect(): void {
  if (!GC.gc) return;
  // Twice: the first pass can leave finalizer-reachable garbage for the second.
  GC.gc();
  GC.gc();
}
/** A young-generation collection: cheap enough to run before every slice. */
function collectYoung(): void {
  (GC.gc as ((options?: { type: 'minor' | 'major' }) => void) | undefined)?.({ type: 'minor' });
}

// ---------------------------------------------------------------------------------------------------------------
// The runner

/** One side of a benchmark. `slice()` does `sliceOps` operations and returns the milliseconds they took. */
interface TimeSide {
  label: string;
  sliceOps: number;
  slice(): Promise<number> | number;
}

/** One side of a memory benchmark: `round()` returns the bytes retained per copy of what it builds. */
interface MemorySide {
  label: string;
  round(): MemorySample;
}

interface MemorySample {
  heap: number;
  rss: number;
}

interface TimeBench {
  name: string;
  kind: 'time';
  summary: string;
  setup(): Promise<{ candidate: TimeSide; baseline: TimeSide; teardown(): Promise<void> | void }>;
}

interface MemoryBench {
  name: string;
  kind: 'memory';
  summary: string;
  setup(): Promise<{ candidate: MemorySide; baseline: MemorySide; copies: number; teardown(): Promise<void> | void }>;
}

type Bench = TimeBench | MemoryBench;

interface Stats {
  median: number;
  min: number;
  max: number;
}

interface TimeResult {
  name: string;
  kind: 'time';
  summary: string;
  unit: 'ms/op';
  rounds: number;
  slicesPerRound: number;
  candidate: { label: string; opsPerRound: number; perOp: Stats; samples: number[] };
  baseline: { label: string; opsPerRound: number; perOp: Stats; samples: number[] };
  /** median(candidate) / median(baseline); spread is min–max of the per-round ratios. */
  ratio: Stats & { perRound: number[] };
}

interface MemoryResult {
  name: string;
  kind: 'memory';
  summary: string;
  unit: 'bytes';
  rounds: number;
  copiesPerRound: number;
  candidate: { label: string; heap: Stats; rss: Stats; heapSamples: number[]; rssSamples: number[] };
  baseline: { label: string; heap: Stats; rss: Stats; heapSamples: number[]; rssSamples: number[] };
  heapRatio: (Stats & { perRound: (number | null)[] }) | null;
  rssRatio: (Stats & { perRound: (number | null)[] }) | null;
  heapUsedAfterMb: number;
  rssAfterMb: number;
}

type Result = TimeResult | MemoryResult;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function stats(xs: readonly number[]): Stats {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

async function runTime(bench: TimeBench): Promise<TimeResult> {
  const { candidate, baseline, teardown } = await bench.setup();
  try {
    const timeSlice = async (side: TimeSide) => {
      collectYoung(); // so garbage one side made is not collected on the other side's clock
      return side.slice();
    };
    /**
     * One round: SLICES short slices of each side, interleaved c b b c c b b c…, so a burst of load from
     * elsewhere on the machine (or drift) lands on both sides alike. Returns ms per op for each side.
     */
    const round = async (): Promise<[number, number]> => {
      let tc = 0;
      let tb = 0;
      for (let s = 0; s < SLICES; s++) {
        if (s % 2 === 0) {
          tc += await timeSlice(candidate);
          tb += await timeSlice(baseline);
        } else {
          tb += await timeSlice(baseline);
          tc += await timeSlice(candidate);
        }
      }
      return [tc / (candidate.sliceOps * SLICES), tb / (baseline.sliceOps * SLICES)];
    };
    // Warm-up: JIT, caches, sockets. Not recorded.
    collect();
    await round();
    const c: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      collect();
      const [pc, pb] = await round();
      c.push(pc);
      b.push(pb);
    }
    const perRound = c.map((x, i) => x / (b[i] as number));
    return {
      name: bench.name,
      kind: 'time',
      summary: bench.summary,
      unit: 'ms/op',
      rounds: ROUNDS,
      slicesPerRound: SLICES,
      candidate: { label: candidate.label, opsPerRound: candidate.sliceOps * SLICES, perOp: stats(c), samples: c },
      baseline: { label: baseline.label, opsPerRound: baseline.sliceOps * SLICES, perOp: stats(b), samples: b },
      ratio: { ...stats(perRound), median: median(c) / median(b), perRound },
    };
  } finally {
    await teardown();
  }
}

/** A ratio of medians, or null when the baseline's median delta is below `floor` (noise, not a size). */
function ratioStats(c: number[], b: number[], floor = 0): (Stats & { perRound: (number | null)[] }) | null {
  const mc = median(c);
  const mb = median(b);
  // A delta at or below zero is noise (or memory reused), not a size: no ratio can be made of it.
  const perRound = c.map((x, i) => ((b[i] as number) > 0 ? x / (b[i] as number) : null));
  const usable = perRound.filter((x): x is number => x !== null);
  if (mb <= floor || usable.length === 0) return null;
  return { median: mc / mb, min: Math.min(...usable), max: Math.max(...usable), perRound };
}

async function runMemory(bench: MemoryBench): Promise<MemoryResult> {
  const { candidate, baseline, copies, teardown } = await bench.setup();
  try {
    // Two warm-ups: the JIT compiles the loader in stages, and what it compiles is not what is measured.
    for (let w = 0; w < 2; w++) {
      candidate.round();
      baseline.round();
    }
    const c: MemorySample[] = [];
    const b: MemorySample[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        c.push(candidate.round());
        b.push(baseline.round());
      } else {
        b.push(baseline.round());
        c.push(candidate.round());
      }
    }
    const side = (label: string, xs: MemorySample[]) => ({
      label,
      heap: stats(xs.map((x) => x.heap)),
      rss: stats(xs.map((x) => x.rss)),
      heapSamples: xs.map((x) => x.heap),
      rssSamples: xs.map((x) => x.rss),
    });
    collect();
    const mem = process.memoryUsage();
    return {
      name: bench.name,
      kind: 'memory',
      summary: bench.summary,
      unit: 'bytes',
      rounds: ROUNDS,
      copiesPerRound: copies,
      candidate: side(candidate.label, c),
      baseline: side(baseline.label, b),
      heapRatio: ratioStats(
        c.map((x) => x.heap),
        b.map((x) => x.heap),
      ),
      // RSS only means something here when it grew with the heap: when the baseline's RSS grew by less than half
      // of what its heap did, its pages were reused from earlier garbage and the RSS "ratio" would be noise.
      rssRatio: ratioStats(
        c.map((x) => x.rss),
        b.map((x) => x.rss),
        median(b.map((x) => x.heap)) / 2,
      ),
      heapUsedAfterMb: mem.heapUsed / 2 ** 20,
      rssAfterMb: mem.rss / 2 ** 20,
    };
  } finally {
    await teardown();
  }
}

/** Runs `fn` `ops` times and returns the total milliseconds; `sink` keeps results alive so nothing is optimized out. */
let sink = 0;
function timeLoop(ops: number, fn: (i: number) => number): number {
  const start = performance.now();
  for (let i = 0; i < ops; i++) sink += fn(i);
  return performance.now() - start;
}

async function timeLoopAsync(ops: number, fn: (i: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  return performance.now() - start;
}

/**
 * Retained bytes per copy: full GC, build `copies` things and keep them, full GC, measure. What was built stays
 * alive in `keep` until the benchmark ends, so a round cannot simply refill the pages the previous round of the
 * same side freed. RSS still moves in whole pages and V8 keeps freed pages for reuse, so RSS deltas this small
 * are coarse: the heap delta is the figure to read.
 */
function retained(copies: number, keep: unknown[], build: () => unknown): MemorySample {
  collect();
  const before = { heap: dataHeapUsed(), rss: process.memoryUsage().rss };
  for (let i = 0; i < copies; i++) keep.push(build());
  collect();
  const after = { heap: dataHeapUsed(), rss: process.memoryUsage().rss };
  return { heap: (after.heap - before.heap) / copies, rss: (after.rss - before.rss) / copies };
}

/**
 * Like `heapUsed`, without the spaces V8 keeps machine code in: code the JIT compiles (or throws away) while a
 * round runs belongs to neither side, and is as large as a catalog.
 */
function dataHeapUsed(): number {
  return getHeapSpaceStatistics()
    .filter((s) => !s.space_name.startsWith('code_') && s.space_name !== 'read_only_space')
    .reduce((sum, s) => sum + s.space_used_size, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared fixtures

const silentLogger: Logger = (() => {
  let level = LogLevel.ERROR;
  const noop = () => undefined;
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: (...args: unknown[]) => {
      loggedErrors.push(args);
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: noop,
  };
})();
/** What either app logged at error level: a benchmark of an error path would measure the wrong thing. */
const loggedErrors: unknown[][] = [];

const TEAM = 'T0RIPPLE01';
const ALICE = 'U0ALICE01';

/** The slash commands people send, roughly in the proportions they send them. */
const LOOKUP_TEXTS: readonly string[] = [
  // levels
  'level 3 marketing',
  'level 1 engineering',
  'level 4 eng',
  'lvl 5 mkt',
  'level L2 support',
  'level three engineering',
  'level III happiness',
  'level 6 engineering',
  'level 7 eng',
  'level 8 engineering',
  'level 2 marketers',
  'level marketing 4',
  'level 9 engineering',
  'level senior engineer',
  // titles
  'titles',
  'titles engineering',
  'titles support',
  'title mkt',
  'titles hero',
  // compare
  'compare engineering 4 6',
  'compare eng 1 3',
  'compare marketing 2 5',
  'diff support 1 3',
  'compare engineering 6 4',
  'compare happiness 1 2',
  'compare engineering 2 vs 4',
  // titles looked up directly
  'senior engineer',
  'Staff Engineer',
  'strategist',
  'coordinator',
  'happiness hero ii',
  'tech hero',
  'principal',
  '"Software Engineer II"',
  'head of content',
  'onboarding specialist',
  'engineer of distinction',
  // unknown or misspelt teams
  'level 3 sales',
  'titles design',
  'compare finance 1 2',
  'level 2 enginering',
  'titles markting',
  // help, frameworks, mistakes
  '',
  'help',
  'help compare',
  '--help',
  'frameworks',
  'teams',
  'level',
  'compare eng 3',
];

/** The HTTP lookups: what people send most, each a different reply. */
const HTTP_TEXTS: readonly string[] = [
  'level 3 marketing',
  'titles engineering',
  'compare engineering 4 6',
  'senior engineer',
  'level 2 enginering',
  'help',
];

/** What the listener answers in its ack for a lookup (mirrors career.ts without the caller's record). */
function lookupReply(catalog: Catalog, parsed: CareerCommand): Message {
  switch (parsed.kind) {
    case 'help':
      return helpMessage(catalog.frameworks);
    case 'invalid':
      return problemMessage({ kind: 'problem', message: parsed.message, usage: parsed.usage, didYouMean: parsed.hint });
    case 'level':
    case 'titles':
    case 'compare':
    case 'lookup':
    case 'frameworks':
      return lookupMessage(catalog, runLookup(catalog, parsed));
    default:
      throw new Error(`not a lookup: ${parsed.kind}`);
  }
}

/** The least a /career handler can answer: a constant, small ephemeral message. */
const CONSTANT_REPLY = {
  response_type: 'ephemeral',
  text: 'Ripple',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Ripple' } }],
} as const;

function benchContext(db: Db = openDatabase(':memory:')): AppContext {
  return {
    catalog: new Catalog(loadFrameworks(FRAMEWORKS_DIR)),
    stores: createStores(db),
    admins: [],
    clock: systemClock,
  };
}

/** The real app behind the offline Slack, as the tests run it (without importing test code). */
async function startRipple(): Promise<Offline & { ctx: AppContext; db: Db }> {
  const db = openDatabase(':memory:');
  const ctx = benchContext(db);
  const offline = await startOffline({ ctx, logger: silentLogger });
  return {
    ...offline,
    ctx,
    db,
    async stop() {
      await offline.stop();
      db.close();
    },
  };
}

/**
 * A Bolt App with one `/career` listener that acks a constant message: the same receiver, signature check,
 * Web API client and fake Slack as Ripple, and nothing of Ripple.
 */
/** What the minimal app's click sends: the clicked message's new text and blocks, then the posted message's. */
interface ClickMessages {
  update: { text: string; blocks: unknown[] };
  post: { text: string; blocks: unknown[] };
}

async function startMinimalApp(): Promise<{
  api: FakeSlackApi;
  driver: SlackDriver;
  /** Replace to make the baseline's two calls carry other messages (checkin-click: Ripple's own). */
  click: ClickMessages;
  stop(): Promise<void>;
}> {
  const click: ClickMessages = {
    update: {
      text: 'Answered',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Answered: *sometimes*' } }],
    },
    post: { text: 'Next question', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Next question' } }] },
  };
  const api = await FakeSlackApi.start();
  const signingSecret = 'bench-minimal-app-signing-secret';
  const app = new App({
    token: 'xoxb-offline-bench',
    signingSecret,
    logger: silentLogger,
    clientOptions: { slackApiUrl: api.apiUrl, retryConfig: { retries: 1 } },
  });
  const tracked = trackListeners(app as never);
  app.command('/career', async ({ ack }) => {
    await ack(CONSTANT_REPLY);
  });
  // Any button: acknowledged, then the two Web API calls a check-in answer makes (the clicked question
  // updated in place, the next question posted in the DM): the baseline for a check-in click.
  app.action(/.*/, async ({ ack, body, client }) => {
    await ack();
    const { container, user } = body as {
      container?: { channel_id?: string; message_ts?: string };
      user: { id: string };
    };
    await client.chat.update({
      channel: container?.channel_id ?? `D${user.id}`,
      ts: container?.message_ts ?? '1764430000.000100',
      text: click.update.text,
      blocks: click.update.blocks as never,
    });
    await client.chat.postMessage({
      channel: `D${user.id}`,
      text: click.post.text,
      blocks: click.post.blocks as never,
    });
  });
  await api.waitForCall('auth.test');
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): unknown };
  const { port } = server.address() as { port: number };
  const driver = new SlackDriver({
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret,
    api,
    idle: tracked.idle,
  });
  return {
    api,
    driver,
    click,
    async stop() {
      await app.stop();
      await api.close();
    },
  };
}

/** Forgets what the fake recorded now and then, so a long run does not grow (and slow) its arrays. */
function trimRecorded(api: FakeSlackApi): void {
  if (api.calls.length + api.responses.length > 500) api.reset();
}

/** A setup check that fails must not leave its servers open: the process would never exit. */
async function stopIfThrows(servers: { stop(): Promise<void> }[], checks: () => Promise<void>): Promise<void> {
  try {
    await checks();
  } catch (err) {
    for (const server of servers) await server.stop().catch(() => undefined);
    throw err;
  }
}

function expect(condition: boolean, what: string, detail?: unknown): void {
  if (!condition)
    throw new Error(`benchmark setup check failed: ${what}${detail ? `\n${JSON.stringify(detail)}` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmarks

const lookupPure: TimeBench = {
  name: 'lookup-pure',
  kind: 'time',
  summary: `${LOOKUP_TEXTS.length} mixed /career lookups: parse + lookup + render + JSON vs parse + JSON of a constant`,
  async setup() {
    const catalog = new Catalog(loadFrameworks(FRAMEWORKS_DIR));
    const texts = LOOKUP_TEXTS;
    for (const text of texts) {
      const reply = lookupReply(catalog, parseCommand(text));
      expect(reply.blocks.length > 0, `"${text}" renders blocks`);
    }
    // Every slice goes through the whole list a whole number of times. The baseline op is ~40 times cheaper:
    // it gets more ops so that its slices, too, last long enough to time well.
    const ops = texts.length * scaled(10);
    const baselineOps = ops * 30;
    return {
      candidate: {
        label: 'parseCommand + runLookup + lookupMessage + JSON.stringify',
        sliceOps: ops,
        slice: () =>
          timeLoop(ops, (i) => {
            const parsed = parseCommand(texts[i % texts.length] as string);
            return JSON.stringify({ response_type: 'ephemeral', ...lookupReply(catalog, parsed) }).length;
          }),
      },
      baseline: {
        label: 'parseCommand + JSON.stringify(constant message)',
        sliceOps: baselineOps,
        slice: () =>
          timeLoop(baselineOps, (i) => {
            const parsed = parseCommand(texts[i % texts.length] as string);
            return parsed.kind.length + JSON.stringify(CONSTANT_REPLY).length;
          }),
      },
      teardown: () => undefined,
    };
  },
};

const commandHttp: TimeBench = {
  name: 'command-http',
  kind: 'time',
  summary: `${HTTP_TEXTS.length} lookups as signed HTTP slash commands: Ripple vs a one-listener Bolt app`,
  async setup() {
    const ripple = await startRipple();
    const minimal = await startMinimalApp();
    await stopIfThrows([ripple, minimal], async () => {
      for (const text of HTTP_TEXTS) {
        const reply = await ripple.driver.command(text, { user: ALICE });
        expect(reply.status === 200 && reply.messages.length > 0, `Ripple answers "${text}"`, reply);
      }
      const base = await minimal.driver.command('level 3 marketing', { user: ALICE });
      expect(base.status === 200 && base.messages.length === 1, 'the minimal app answers', base);
    });
    const ops = HTTP_TEXTS.length * scaled(2);
    return {
      candidate: {
        label: 'Ripple: /career <lookup> over HTTP',
        sliceOps: ops,
        slice: () =>
          timeLoopAsync(ops, async (i) => {
            await ripple.driver.command(HTTP_TEXTS[i % HTTP_TEXTS.length] as string, { user: ALICE });
            trimRecorded(ripple.api);
          }),
      },
      baseline: {
        label: 'minimal Bolt app: ack(constant)',
        sliceOps: ops,
        slice: () =>
          timeLoopAsync(ops, async (i) => {
            await minimal.driver.command(HTTP_TEXTS[i % HTTP_TEXTS.length] as string, { user: ALICE });
            trimRecorded(minimal.api);
          }),
      },
      async teardown() {
        await ripple.stop();
        await minimal.stop();
      },
    };
  },
};

const recordCard: TimeBench = {
  name: 'record-card',
  kind: 'time',
  summary: '/career me with a record (store + window + render, and any Slack call the app makes) vs a one-listener app',
  async setup() {
    const ripple = await startRipple();
    const minimal = await startMinimalApp();
    ripple.api.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Archer', tz: 'Europe/Paris' });
    ripple.api.addUser({ id: 'U0BOB0001', name: 'bob', real_name: 'Bob Baker', tz: 'Europe/Paris' });
    const at = systemClock.now().toISOString();
    await ripple.ctx.stores.teammates.upsert({
      teamId: ripple.api.teamId,
      userId: ALICE,
      frameworkId: 'engineering',
      levelId: 'software-engineer-ii',
      since: '2025-03-01',
      managerId: 'U0BOB0001',
      changedBy: 'U0BOB0001',
      at,
    });
    await stopIfThrows([ripple, minimal], async () => {
      const check = await ripple.driver.command('me', { user: ALICE });
      // The card comes in the ack when it is ready in time, else on the response_url: one message either way.
      // Whether it asks Slack (users.info) first is the app's business; the fake answers if it does.
      expect(
        check.status === 200 &&
          check.messages.length === 1 &&
          JSON.stringify(check.messages).includes('Software Engineer II'),
        '/career me answers with the card',
        check,
      );
    });
    const ops = scaled(10);
    return {
      candidate: {
        label: 'Ripple: /career me over HTTP',
        sliceOps: ops,
        slice: () =>
          timeLoopAsync(ops, async () => {
            await ripple.driver.command('me', { user: ALICE });
            trimRecorded(ripple.api);
          }),
      },
      baseline: {
        label: 'minimal Bolt app: ack(constant)',
        sliceOps: ops,
        slice: () =>
          timeLoopAsync(ops, async () => {
            await minimal.driver.command('me', { user: ALICE });
            trimRecorded(minimal.api);
          }),
      },
      async teardown() {
        await ripple.stop();
        await minimal.stop();
      },
    };
  },
};

/** The question a reply posted in the DM: its buttons' value (`id:version`), channel and ts. */
function postedQuestion(reply: Reply): { value: string; channel: string; ts: string } | undefined {
  for (const call of [...reply.calls].reverse()) {
    if (call.method !== 'chat.postMessage' || call.response?.ok !== true) continue;
    const text = JSON.stringify(call.args.blocks ?? '');
    const match =
      /"action_id":"checkin\.rate\.sometimes"[^}]*?"value":"([^"]+)"|"value":"([^"]+)"[^}]*?"action_id":"checkin\.rate\.sometimes"/.exec(
        text,
      );
    const value = match?.[1] ?? match?.[2];
    if (value)
      return { value, channel: String(call.response.channel ?? call.args.channel), ts: String(call.response.ts) };
  }
  return undefined;
}

const checkinClick: TimeBench = {
  name: 'checkin-click',
  kind: 'time',
  summary:
    'a check-in answer (block_actions: one unit of work, the question updated, the next one posted) vs a bare Bolt app that acks the same click and makes the same two Web API calls (chat.update, chat.postMessage)',
  async setup() {
    const ripple = await startRipple();
    const minimal = await startMinimalApp();
    ripple.api.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Archer', tz: 'Europe/Paris' });
    await ripple.ctx.stores.teammates.upsert({
      teamId: ripple.api.teamId,
      userId: ALICE,
      frameworkId: 'marketing',
      levelId: 'level-2',
      since: '2026-01-15',
      changedBy: 'U0BOB0001',
      at: systemClock.now().toISOString(),
    });
    // A year's evidence log (issue 17): 300 entries over the 13 expectations asked, so every question shows three
    // and counts the rest. Dated after now, so each check-in's window (since the last one finished) still holds them.
    const framework = ripple.ctx.catalog.get('marketing');
    const asked = ['level-2', 'level-3'].flatMap(
      (id) => (framework && ripple.ctx.catalog.levelById(framework, id)?.expectations.map((e) => [id, e.id])) ?? [],
    );
    for (let i = 0; i < 300; i++) {
      const [levelId, expectationId] = asked[i % asked.length] as [string, string];
      await ripple.ctx.stores.evidence.add({
        teamId: ripple.api.teamId,
        userId: ALICE,
        source: 'win',
        text: `Shipped piece ${i} of the spring launch with the web team, two weeks early, and wrote up what we learned`,
        frameworkId: 'marketing',
        target: { levelId, expectationId },
        at: new Date(systemClock.now().getTime() + (i + 1) * 86_400_000).toISOString(),
      });
    }
    let question: { value: string; channel: string; ts: string } | undefined;
    const nextQuestion = async () => {
      question = postedQuestion(await ripple.driver.command('checkin', { user: ALICE }));
      if (!question) throw new Error('/career checkin posted no question');
    };
    await stopIfThrows([ripple, minimal], async () => {
      await nextQuestion();
      expect(question !== undefined, '/career checkin asks its first question in the DM');
      // One answer, untimed: the baseline then sends the very messages Ripple's click sent (the answered
      // question, the next one with its buttons), so both sides' Web API calls carry the same bodies.
      const q = question as NonNullable<typeof question>;
      const reply = await ripple.driver.action({
        user: ALICE,
        actionId: 'checkin.rate.sometimes',
        value: q.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      const args = (method: string) => {
        const call = reply.calls.find((c) => c.method === method);
        const a = call?.args as { text?: unknown; blocks?: unknown } | undefined;
        return { text: String(a?.text ?? ''), blocks: Array.isArray(a?.blocks) ? a.blocks : [] };
      };
      minimal.click.update = args('chat.update');
      minimal.click.post = args('chat.postMessage');
      expect(
        reply.calls.map((c) => c.method).join(',') === 'chat.update,chat.postMessage' &&
          minimal.click.post.blocks.length > 0,
        "a check-in click makes two Web API calls, chat.update then chat.postMessage (the DM's channel id kept)",
        reply.calls.map((c) => c.method),
      );
      question = postedQuestion(reply);
      expect(question !== undefined, 'the answer posts the next question');
    });
    /**
     * One answer, timed from sending the click until the app's work for it is done (the driver waits for it),
     * the Web API calls included. Off the clock, on both sides: reading the next question's button from what was
     * posted, trimming the fake's records and, after the last answer, starting the next check-in (a
     * `/career checkin` is not a click).
     */
    const click = async (): Promise<number> => {
      const q = question as NonNullable<typeof question>;
      const start = performance.now();
      const reply = await ripple.driver.action({
        user: ALICE,
        actionId: 'checkin.rate.sometimes',
        value: q.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      const elapsed = performance.now() - start;
      question = postedQuestion(reply);
      // The last answer finishes the check-in: start the next one, as a person would.
      if (!question) await nextQuestion();
      trimRecorded(ripple.api);
      return elapsed;
    };
    const bareClick = async (): Promise<number> => {
      const start = performance.now();
      await minimal.driver.action({
        user: ALICE,
        actionId: 'checkin.rate.sometimes',
        value: '1:1',
        channel: `D${ALICE}`,
        message: { ts: '1764430000.000100' },
      });
      const elapsed = performance.now() - start;
      trimRecorded(minimal.api);
      return elapsed;
    };
    const timed = async (ops: number, once: () => Promise<number>) => {
      let total = 0;
      for (let i = 0; i < ops; i++) total += await once();
      return total;
    };
    const ops = scaled(30);
    return {
      candidate: { label: 'Ripple: check-in answer over HTTP', sliceOps: ops, slice: () => timed(ops, click) },
      baseline: {
        label: 'bare Bolt app: ack(), chat.update, chat.postMessage',
        sliceOps: ops,
        slice: () => timed(ops, bareClick),
      },
      async teardown() {
        await ripple.stop();
        await minimal.stop();
      },
    };
  },
};

/** 1,000 valid rows across the three frameworks, a manager for most. */
function importRows(n: number): ImportRow[] {
  const levels: [string, string[]][] = [
    ['engineering', ['software-engineer', 'software-engineer-ii', 'software-engineer-iii', 'senior-engineer']],
    ['marketing', ['level-1', 'level-2', 'level-3', 'level-4', 'level-5']],
    ['happiness', ['happiness-hero-i', 'happiness-hero-ii', 'happiness-hero-iii']],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [frameworkId, ids] = levels[i % levels.length] as [string, string[]];
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    return {
      teamId: TEAM,
      userId: `U${String(i).padStart(8, '0')}`,
      frameworkId,
      levelId: ids[i % ids.length] as string,
      since: `${2020 + (i % 6)}-${month}-${day}`,
      managerId: i % 10 === 0 ? null : `UM${String(i % 50).padStart(7, '0')}`,
    };
  });
}

const importThousand: TimeBench = {
  name: 'import-1000',
  kind: 'time',
  summary: 'importMany of 1,000 rows (validation + history + one transaction) vs one raw prepared INSERT per row',
  async setup() {
    const rows = importRows(1000);
    const at = '2026-01-15T09:30:00.000Z';
    const changedBy = 'U0ADMIN01';
    // Fresh databases are made before the clock starts: opening and migrating is not what is compared.
    const fresh = () => openDatabase(':memory:');
    const check = fresh();
    const counts = await createStores(check).teammates.importMany(rows, changedBy, at);
    expect(counts.created === 1000, 'importMany creates 1,000 records', counts);
    check.close();
    const ops = scaled(2);
    const raw = (db: Db) => {
      const workspace = db.prepare('INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?)');
      const insert = db.prepare(
        `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      db.transaction(() => {
        workspace.run(TEAM, at);
        for (const r of rows) {
          insert.run(r.teamId, r.userId, r.frameworkId, r.levelId, r.since, r.managerId ?? null, at, at);
        }
      }).immediate();
    };
    const perDatabase = async (work: (db: Db) => unknown) => {
      let total = 0;
      for (let i = 0; i < ops; i++) {
        const db = fresh();
        const start = performance.now();
        await work(db);
        total += performance.now() - start;
        db.close();
      }
      return total;
    };
    return {
      candidate: {
        label: 'stores.teammates.importMany (fresh :memory: db)',
        sliceOps: ops,
        // createStores prepares its statements: part of what our code adds, so inside the clock.
        slice: () => perDatabase((db) => createStores(db).teammates.importMany(rows, changedBy, at)),
      },
      baseline: {
        label: 'raw prepared INSERT INTO teammates, one transaction',
        sliceOps: ops,
        slice: () => perDatabase(raw),
      },
      teardown: () => undefined,
    };
  },
};

const memoryCatalog: MemoryBench = {
  name: 'memory-catalog',
  kind: 'memory',
  summary: 'heap retained by a Catalog of the default frameworks (every level rendered once) vs their YAML text',
  async setup() {
    const files = listFrameworkFiles(FRAMEWORKS_DIR);
    expect(files.length === 3, 'three default framework files', files);
    const copies = QUICK ? 8 : 16;
    const keptCandidate: unknown[] = [];
    const keptBaseline: unknown[] = [];
    return {
      copies,
      candidate: {
        label: 'new Catalog(loadFrameworks()) + levelMessage for every level',
        round: () =>
          retained(copies, keptCandidate, () => {
            const catalog = new Catalog(loadFrameworks(FRAMEWORKS_DIR));
            for (const fw of catalog.frameworks) {
              for (const level of fw.levels) sink += levelMessage(catalog, fw, level).blocks.length;
            }
            return catalog;
          }),
      },
      baseline: {
        label: 'readFileSync of the YAML files as text',
        round: () => retained(copies, keptBaseline, () => files.map((f) => readFileSync(f, 'utf8'))),
      },
      teardown: () => {
        sink += keptCandidate.length + keptBaseline.length;
        keptCandidate.length = 0;
        keptBaseline.length = 0;
      },
    };
  },
};

const BENCHES: readonly Bench[] = [lookupPure, commandHttp, importThousand, recordCard, checkinClick, memoryCatalog];

/**
 * Sections that are not candidate/baseline slices in this process: they fork processes and print their own tables
 * (bench/load/). Selected by name like the benchmarks.
 */
const SECTIONS = [
  {
    name: 'load-http',
    summary: 'autocannon over loopback: Ripple (level 3 marketing, help, me) vs a bare Bolt app, each its own process',
  },
  { name: 'start-ready', summary: 'src/main.ts in HTTP mode: spawn to the first 200 on GET /healthz' },
  {
    name: 'reminder-tick',
    summary: 'one reminder tick (Slack stubbed) on 10k, 100k and 1M teammates, and the full planning pass',
  },
  {
    name: 'scale',
    summary:
      'issue 14: requests, bursts, admin schedule, jobs and a live import on 1k, 10k and 100k-teammate companies, ' +
      'and 10k after a simulated year (opt-in: run only when named)',
  },
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Output

function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}

function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(2)} MB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes.toFixed(0)} B`;
}

function formatRatio(x: number): string {
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function rows(result: Result): string[][] {
  if (result.kind === 'time') {
    return [
      [
        result.name,
        'time/op',
        formatMs(result.candidate.perOp.median),
        formatMs(result.baseline.perOp.median),
        formatMs(result.candidate.perOp.median - result.baseline.perOp.median),
        formatRatio(result.ratio.median),
        `${formatRatio(result.ratio.min)}–${formatRatio(result.ratio.max)}`,
      ],
    ];
  }
  const r = (s: MemoryResult['heapRatio']) => (s ? formatRatio(s.median) : 'n/a');
  const spread = (s: MemoryResult['heapRatio']) => (s ? `${formatRatio(s.min)}–${formatRatio(s.max)}` : 'n/a');
  return [
    [
      result.name,
      'heap Δ',
      formatBytes(result.candidate.heap.median),
      formatBytes(result.baseline.heap.median),
      formatBytes(result.candidate.heap.median - result.baseline.heap.median),
      r(result.heapRatio),
      spread(result.heapRatio),
    ],
    [
      '',
      'rss Δ',
      formatBytes(result.candidate.rss.median),
      formatBytes(result.baseline.rss.median),
      formatBytes(result.candidate.rss.median - result.baseline.rss.median),
      r(result.rssRatio),
      spread(result.rssRatio),
    ],
  ];
}

function printTable(results: readonly Result[]): void {
  const header = ['benchmark', 'metric', 'candidate', 'baseline', 'added (c−b)', 'ratio c/b', 'spread (per round)'];
  const body = results.flatMap(rows);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  console.log();
  for (const r of results) {
    if (r.kind !== 'memory') continue;
    console.log(
      `${r.name}: per copy ${formatBytes(r.candidate.heap.median)} heap retained (${r.copiesPerRound} copies a round); ` +
        `process after the run: heap used ${r.heapUsedAfterMb.toFixed(1)} MB, RSS ${r.rssAfterMb.toFixed(1)} MB.`,
    );
  }
}

/** What was measured: the commit, and the files of the app that differed from it (other work in progress). */
function gitState(): { commit: string; uncommitted: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    const commit = git('rev-parse', '--short=12', 'HEAD').trim();
    // Porcelain lines are `XY path`: no trimming, the first column may be a space.
    const uncommitted = git('status', '--porcelain', '--', 'src', 'db', 'frameworks', 'package.json')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit, uncommitted };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const matches = (name: string) => FILTERS.length === 0 || FILTERS.some((f) => name.includes(f));
  const selected = BENCHES.filter((b) => matches(b.name));
  // `scale` takes many minutes: it runs only when a filter names it, never in a plain `npm run bench`.
  const sections = new Set<string>(
    SECTIONS.filter((s) => matches(s.name) && (s.name !== 'scale' || FILTERS.length > 0)).map((s) => s.name),
  );
  if (selected.length === 0 && sections.size === 0) {
    const known = [...BENCHES, ...SECTIONS].map((b) => b.name).join(', ');
    console.error(`no benchmark matches ${FILTERS.join(', ')}; known: ${known}`);
    process.exitCode = 2;
    return;
  }
  console.log(
    `Ripple benchmarks: ${ROUNDS} rounds after a warm-up, ${SLICES} interleaved slices per side a round` +
      `${QUICK ? ' (--quick)' : ''}; ` +
      `node ${process.version}, ${cpus().length} CPU(s); gc: ${GC.how}`,
  );
  const git = gitState();
  console.log(
    `  measuring commit ${git.commit}` +
      (git.uncommitted.length > 0
        ? ` plus ${git.uncommitted.length} uncommitted file(s) in src/, db/, frameworks/ or package.json`
        : ''),
  );
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > cpus().length * 0.75) {
    console.warn(
      `  note: the machine is busy (load average ${loadBefore.toFixed(1)} on ${cpus().length} CPUs): ` +
        'ratios hold up better than times, but expect wider spreads.',
    );
  }
  const results: Result[] = [];
  const failures: { name: string; error: string }[] = [];
  const started = performance.now();
  for (const bench of selected) {
    const t0 = performance.now();
    process.stdout.write(`  ${bench.name} … `);
    const errorsBefore = loggedErrors.length;
    try {
      const result = bench.kind === 'time' ? await runTime(bench) : await runMemory(bench);
      results.push(result);
      console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: bench.name, error });
      console.log('failed');
      console.error(error);
    }
    if (loggedErrors.length > errorsBefore) {
      console.warn(`  warning: ${bench.name}: the app logged ${loggedErrors.length - errorsBefore} error(s):`);
      console.warn(loggedErrors.slice(errorsBefore, errorsBefore + 3));
    }
  }
  let load: LoadResult | null = null;
  if (sections.has('load-http')) {
    const t0 = performance.now();
    console.log('  load-http …');
    try {
      load = await runLoad({ ...LOAD, root: ROOT }, (line) => console.log(line));
      console.log(`  load-http: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // A run with errors is a broken benchmark, not a fast one.
      const problems = load.cases.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`));
      if (problems.length > 0) failures.push({ name: 'load-http', error: problems.join('\n') });
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: 'load-http', error });
      console.log('  load-http failed');
      console.error(error);
    }
  }
  let startToReady: ReadyResult | null = null;
  if (sections.has('start-ready')) {
    const t0 = performance.now();
    process.stdout.write('  start-ready … ');
    try {
      startToReady = await measureStartToReady({ runs: READY_RUNS, root: ROOT });
      console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: 'start-ready', error });
      console.log('failed');
      console.error(error);
    }
  }

  // One result per engine (--engine), in the order given.
  const reminders: ReminderBenchResult[] = [];
  if (sections.has('reminder-tick')) {
    for (const engine of ENGINES) {
      console.log(
        `  reminder-tick on ${engine} (${REMINDER_SIZES.map((n) => n.toLocaleString('en')).join(', ')} teammates) …`,
      );
      try {
        reminders.push(
          await runReminderBench({ root: ROOT, sizes: REMINDER_SIZES, planMax: REMINDER_PLAN_MAX, engine }, (l) =>
            console.log(l),
          ),
        );
      } catch (err) {
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        failures.push({ name: `reminder-tick (${engine})`, error });
        console.log(`  reminder-tick on ${engine} failed`);
        console.error(error);
      }
    }
  }

  let scale: ScaleResult | null = null;
  if (sections.has('scale')) {
    console.log(
      `  scale (${SCALE_BENCH.sizes.map((n) => n.toLocaleString('en')).join(', ')} teammates` +
        `${SCALE_BENCH.yearSize > 0 ? `; ${SCALE_BENCH.yearSize.toLocaleString('en')} after a simulated year` : ''}) …`,
    );
    const t0 = performance.now();
    try {
      scale = await runScaleBench({ ...SCALE_BENCH, root: ROOT }, (l) => console.log(l));
      console.log(`  scale: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const problems = scale.databases.flatMap((d) => [
        ...d.requests.flatMap((r) => r.problems.map((p) => `${d.label} ${r.name}: ${p}`)),
        ...(d.import && d.import.exitCode !== 0 ? [`${d.label} import: ${d.import.output}`] : []),
      ]);
      problems.push(...scale.failures);
      if (problems.length > 0) failures.push({ name: 'scale', error: problems.join('\n') });
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: 'scale', error });
      console.log('  scale failed');
      console.error(error);
    }
  }

  if (results.length > 0) {
    printTable(results);
    console.log('ratio = median candidate / median baseline; spread = lowest–highest ratio of a single round.');
  }
  if (results.some((r) => r.kind === 'memory' && r.rssRatio === null)) {
    console.log(
      'rss n/a: the baseline grew RSS by less than half its heap growth (reused pages), too little to divide by.',
    );
  }
  if (load) printLoad(load);
  if (startToReady) printStartToReady(startToReady);
  for (const result of reminders) printReminderBench(result);
  if (scale) printScaleBench(scale);
  const loadAfter = loadavg()[0] ?? 0;
  console.log(
    `total ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
  );

  mkdirSync(dirname(OUT_FILE), { recursive: true });
  const report = {
    createdAt: new Date().toISOString(),
    git,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    quick: QUICK,
    rounds: ROUNDS,
    gc: GC.how,
    loadAverage: { before: loadBefore, after: loadAfter },
    slicesPerRound: SLICES,
    filters: FILTERS,
    results,
    load,
    startToReady,
    reminders,
    scale,
    failures,
  };
  writeFileSync(OUT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${OUT_FILE.slice(ROOT.length)}`);
  if (sink === -1) console.log(''); // keeps `sink` observable
  // A crash is a broken benchmark, not a slow one: say so in the exit code. Speed never fails the run.
  if (failures.length > 0) process.exitCode = 1;
}

await main();
