/**
 * One step of the reminder benchmark, in its own process so its peak memory is its own (started by
 * bench/reminders/reminders.ts with `node --import tsx`). Every step opens the same database file:
 *
 *   fill   a fresh SQLite file (or, with `databaseUrl`, a fresh PostgreSQL database) with N teammates (direct
 *          inserts, one transaction per chunk of 20,000: prepared statements on SQLite, one multi-row
 *          INSERT … SELECT FROM unnest(…) a table on PostgreSQL), their running pauses and two ledger rows
 *          each from an earlier window
 *   plan   the engine's full planning pass (planChanged with empty cursors): what the first start after
 *          an upgrade, or a change to a framework's timeframes, costs. Timed
 *   setup  the steady state of a running Ripple (see `setup`), with one set of teammates due now
 *   tick   one reminder tick as main.ts runs it (maintenance, re-plan what changed, read what is due
 *          through the plan's index, evaluate, claim, "send", record), against a notifier port that
 *          records and answers ok. Timed, after an untimed warm-up tick 15 minutes earlier
 *
 * Prints one JSON line on stdout: what it measured. Nothing here asserts a speed.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { addDays, addMonths, type IsoDate, maxDate } from '../../src/career/dates.js';
import type { AppContext } from '../../src/context.js';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import { openEngine } from '../../src/db/open.js';
import type { PostgresEngine } from '../../src/db/postgres.js';
import { type Engine, SqliteEngine } from '../../src/db/sql.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { reminderEngine } from '../../src/jobs.js';
import type { Delivery, Notice } from '../../src/notify/port.js';
import { catalogDigest, planChanged, type ReminderSender } from '../../src/reminders/engine.js';
import { DEFAULT_DELIVERY } from '../../src/reminders/schedule.js';
import { renderNotice } from '../../src/slack/render-notice.js';
import { createStores } from '../../src/store/index.js';
import { pick, random, ZONES } from '../seeded.js';

export interface ChildArgs {
  step: 'fill' | 'plan' | 'setup' | 'tick';
  /** The SQLite file; unused when `databaseUrl` is set. */
  db: string;
  /** A postgres:// URL: the step runs on that PostgreSQL database instead (migrated by openEngine). */
  databaseUrl?: string;
  size: number;
  /** The instant the tick runs at (ISO): a Tuesday at 10:00 UTC. */
  now: string;
  /** setup: which prepared set of teammates is due at `now`. */
  dueSet?: 'scaled' | 'fixed';
}

/** How many teammates each case makes due at `now`. */
export function dueCount(size: number, set: 'scaled' | 'fixed'): number {
  return set === 'fixed' ? FIXED_DUE : Math.max(1, Math.round(size * SCALED_DUE_SHARE));
}

/** "scaled": about what a busy tick finds due, 0.3 % of teammates (the tick itself takes at most TICK_BATCH). */
export const SCALED_DUE_SHARE = 0.003;
/** "fixed": the same number due at every size. */
export const FIXED_DUE = 100;

export interface ChildResult {
  step: ChildArgs['step'];
  size: number;
  ms: number;
  /** The process's RSS high-water mark (getrusage maxrss), whole process: Node, tsx, SQLite's cache. */
  peakRssMb: number;
  /** RSS when the step started (after opening the database): what the step itself added is the difference. */
  startRssMb: number;
  /** The V8 heap's high-water mark over the step, sampled at every planned batch and every delivery. */
  peakHeapMb: number;
  startHeapMb: number;
  [key: string]: unknown;
}

const FRAMEWORK_DIR = 'frameworks';

const TEAMS = 10;
const team = (i: number) => `T${String(i % TEAMS).padStart(9, '0')}`;
const user = (i: number) => `U${String(i).padStart(10, '0')}`;

function rssMb(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}
function heapMb(): number {
  return getHeapStatistics().used_heap_size / 2 ** 20;
}
function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

let peakHeap = 0;
function sampleHeap(): void {
  const h = getHeapStatistics().used_heap_size;
  if (h > peakHeap) peakHeap = h;
}

/**
 * N teammates across three frameworks and every level (fewer at the top), since dates over the last five
 * years (more of them recent), 20 time zones, 3 % paused (half with a return date, each with its running
 * pause), 3 % left, 4 % with reminders off, and a manager for 85 % (one manager per ~12 people).
 */
/** The database a step runs on: the engine, and the raw SQLite handle when it is SQLite. */
interface Target {
  engine: Engine;
  db?: Db;
}

/** Rows of one chunk of the fill, in the columns of the INSERTs below. */
interface FillChunk {
  teammates: (string | null)[][];
  pauses: string[][];
  ledger: string[][];
}

const TEAMMATE_COLUMNS =
  'team_id, user_id, framework_id, level_id, since, manager_id, status, paused_until, tz, tz_fetched_at, nudges, created_at, updated_at';
const PAUSE_COLUMNS = 'team_id, user_id, start_date, created_at';
const LEDGER_COLUMNS = 'team_id, user_id, kind, window_key, local_date, claimed_at, sent_at';

interface FillWriter {
  workspaces(teams: string[], at: string): void | Promise<void>;
  chunk(rows: FillChunk): void | Promise<void>;
}

/** SQLite: each chunk in one transaction, a prepared statement a row. */
function sqliteWriter(db: Db): FillWriter {
  const insertWorkspace = db.prepare(
    'INSERT OR IGNORE INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?)',
  );
  const insertTeammate = db.prepare(
    `INSERT INTO teammates (${TEAMMATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPause = db.prepare(`INSERT INTO pauses (${PAUSE_COLUMNS}) VALUES (?, ?, ?, ?)`);
  const insertLedger = db.prepare(
    `INSERT INTO reminder_ledger (${LEDGER_COLUMNS}, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'sent')`,
  );
  return {
    workspaces(teams, at) {
      for (const t of teams) insertWorkspace.run(t, at);
    },
    chunk: db.transaction((rows: FillChunk) => {
      for (const r of rows.teammates) insertTeammate.run(...r);
      for (const r of rows.pauses) insertPause.run(...r);
      for (const r of rows.ledger) insertLedger.run(...r);
    }),
  };
}

/** PostgreSQL: each chunk in one transaction, one INSERT … SELECT FROM unnest(one array a column) a table. */
function postgresWriter(engine: PostgresEngine): FillWriter {
  type Client = { query(text: string, values?: unknown[]): Promise<unknown> };
  const insert = async (client: Client, table: string, columns: string, rows: (string | null)[][], status = '') => {
    if (rows.length === 0) return;
    const names = columns.split(', ');
    const arrays = names.map((_, i) => rows.map((r) => r[i] ?? null));
    const unnest = names.map((_, i) => `$${i + 1}::text[]`).join(', ');
    await client.query(
      `INSERT INTO ${table} (${columns}${status ? ', status' : ''}) SELECT *${status ? `, ${status}` : ''} FROM unnest(${unnest})`,
      arrays,
    );
  };
  return {
    async workspaces(teams, at) {
      await engine.pool.query(
        `INSERT INTO workspaces (team_id, active, installed_at) SELECT t, 1, $2 FROM unnest($1::text[]) AS t
         ON CONFLICT DO NOTHING`,
        [teams, at],
      );
    },
    async chunk(rows) {
      const client = await engine.pool.connect();
      try {
        await client.query('BEGIN');
        await insert(client, 'teammates', TEAMMATE_COLUMNS, rows.teammates);
        await insert(client, 'pauses', PAUSE_COLUMNS, rows.pauses);
        await insert(client, 'reminder_ledger', LEDGER_COLUMNS, rows.ledger, "'sent'");
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

async function fill(target: Target, size: number, today: IsoDate, nowIso: string): Promise<Record<string, unknown>> {
  const catalog = new Catalog(loadFrameworks(FRAMEWORK_DIR));
  const levels = (id: string) => {
    const fw = catalog.get(id);
    if (!fw) throw new Error(`no framework ${id}`);
    // Lower levels are more common: weight 1/(1 + index).
    return fw.levels.map((l, i) => [l.id, 1 / (1 + i)] as const);
  };
  const byFramework = {
    engineering: levels('engineering'),
    marketing: levels('marketing'),
    happiness: levels('happiness'),
  };
  const frameworks = [
    ['engineering', 45],
    ['marketing', 35],
    ['happiness', 20],
  ] as const;
  const writer = target.db ? sqliteWriter(target.db) : postgresWriter(target.engine as PostgresEngine);
  const due = dueSets(size);
  const rand = random(size);
  const managers = Math.max(1, Math.floor(size / 12));
  const counts = { paused: 0, left: 0, nudgesOff: 0, noTz: 0 };
  const dayBefore = Date.parse(nowIso) - 86_400_000;
  await writer.workspaces(
    Array.from({ length: TEAMS }, (_, t) => team(t)),
    nowIso,
  );
  const CHUNK = 20_000;
  for (let start = 0; start < size; start += CHUNK) {
    const rows: FillChunk = { teammates: [], pauses: [], ledger: [] };
    for (let i = start; i < Math.min(size, start + CHUNK); i++) {
      let fw: 'engineering' | 'marketing' | 'happiness' = pick(rand, frameworks);
      let level = pick(rand, byFramework[fw]);
      // Up to five years ago, more of them recent.
      const daysAgo = Math.floor(rand() ** 1.6 * 5 * 365);
      let since = addDays(today, -daysAgo);
      let zone = pick(rand, ZONES);
      if (zone === null) counts.noTz++;
      const r = rand();
      let status = r < 0.03 ? 'paused' : r < 0.06 ? 'left' : 'active';
      const dueAs = due.get(i);
      if (dueAs !== undefined) {
        // Genuinely due at `now`, in a zone where it is within delivery hours (10-17, a Tuesday).
        fw = 'marketing';
        level = 'level-2';
        since = dueSince(today, dueAs);
        zone = DUE_ZONES[i % DUE_ZONES.length] as string;
        status = 'active';
      }
      const pausedUntil = status === 'paused' && rand() < 0.5 ? addDays(today, 1 + Math.floor(rand() * 120)) : null;
      const manager = i >= managers && rand() < 0.85 ? user(Math.floor(rand() * managers)) : null;
      const nudges = dueAs === undefined && rand() < 0.04 ? 'off' : 'dm';
      // Records were last written some time after `since`, all at least a day before now.
      const updatedMs = Math.min(Date.parse(`${since}T12:00:00Z`) + Math.floor(rand() * 86_400_000), dayBefore);
      const updatedAt = new Date(updatedMs).toISOString();
      rows.teammates.push([
        team(i),
        user(i),
        fw,
        level,
        since,
        manager === user(i) ? null : manager,
        status,
        pausedUntil,
        zone,
        zone === null ? null : updatedAt,
        nudges,
        updatedAt,
        updatedAt,
      ]);
      if (status === 'paused') {
        counts.paused++;
        const pauseStart = addDays(today, -Math.floor(rand() * Math.min(90, daysAgo)));
        rows.pauses.push([team(i), user(i), maxDate(pauseStart, since), updatedAt]);
      }
      if (status === 'left') counts.left++;
      // Reminders of the window before this one (the previous level), already sent.
      const before = addDays(since, -200);
      const key = `${fw}/earlier/${before}`;
      rows.ledger.push([team(i), user(i), 'open', key, addDays(since, -60), updatedAt, updatedAt]);
      rows.ledger.push([team(i), user(i), 'past', key, addDays(since, -20), updatedAt, updatedAt]);
      if (nudges === 'off') counts.nudgesOff++;
    }
    await writer.chunk(rows);
  }
  return counts;
}

/** Zones where 10:00 UTC on a Tuesday in March is inside 10-17 local: London 10:00, Paris 11:00, Kolkata 15:30. */
const DUE_ZONES = ['Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Africa/Lagos', 'Asia/Kolkata'];

type DueKind = 'heads-up' | 'open' | 'past';

/** Marketing level 2 (6-12 months) with the heads-up, the opening or the past reminder due today. */
function dueSince(today: IsoDate, kind: DueKind): IsoDate {
  if (kind === 'heads-up') return addMonths(addDays(today, 28), -6);
  if (kind === 'open') return addMonths(today, -6);
  return addMonths(addDays(today, -1), -12);
}

/** Which teammates each case makes due, spread evenly through the table: index → the reminder due. */
function dueSets(size: number): Map<number, DueKind> {
  const kinds: DueKind[] = ['heads-up', 'open', 'past'];
  const sets = new Map<number, DueKind>();
  for (const [set, offset] of [
    ['scaled', 0],
    ['fixed', 1],
  ] as const) {
    for (const i of dueIndexes(size, set, offset)) sets.set(i, kinds[i % 3] as DueKind);
  }
  return sets;
}

function dueIndexes(size: number, set: 'scaled' | 'fixed', offset: number): number[] {
  const n = dueCount(size, set);
  const stride = Math.floor(size / n);
  return Array.from({ length: n }, (_, k) => k * stride + offset + 7);
}

/**
 * The notifier port, stubbed: renders each notice to Block Kit as the Slack adapter does (the engine
 * rendered it itself before the port spoke in views, and the figure keeps that cost), records it and
 * answers ok.
 */
class RecordingSender implements ReminderSender {
  delivered = 0;
  async deliver(_teamId: string, _userId: string, notice: Notice): Promise<Delivery> {
    renderNotice(notice);
    this.delivered++;
    sampleHeap();
    return { ok: true };
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1000;
}

function context(engine: Engine, clock: { at: Date }): AppContext {
  return {
    catalog: new Catalog(loadFrameworks(FRAMEWORK_DIR)),
    stores: createStores(engine),
    admins: [],
    clock: { now: () => new Date(clock.at) },
  };
}

function engineFor(target: Target, clock: { at: Date }, sender: ReminderSender) {
  const errors: unknown[] = [];
  const engine = reminderEngine({
    ctx: context(target.engine, clock),
    notifier: sender,
    schedule: DEFAULT_DELIVERY,
    log: { warn: () => undefined, error: (...args: unknown[]) => errors.push(args) },
    sleep: async () => undefined,
  });
  // Sample the heap whenever the planner writes a batch of plan rows.
  const store = engine.deps.reminders;
  const setPlans = store.setPlans.bind(store);
  store.setPlans = async (rows) => {
    sampleHeap();
    await setPlans(rows);
  };
  return { engine, errors };
}

/**
 * The steady state a running Ripple is in, written directly (untimed): every teammate has a plan row
 * (none for the left, the opted out, the open-ended paused and levels without a timeframe; a paused
 * person's on their return day; everyone else's due at some instant in the next six weeks), the
 * planner's cursor at the end of the change order (the tick step then changes 1 record in 20,000, at
 * least one, after its warm-up tick), and exactly the chosen set is due at `now`.
 */
async function setup(
  target: Target,
  size: number,
  now: Date,
  set: 'scaled' | 'fixed',
): Promise<Record<string, unknown>> {
  const catalog = new Catalog(loadFrameworks(FRAMEWORK_DIR));
  const untimed = catalog.frameworks.flatMap((fw) =>
    fw.levels.filter((l) => !l.timeframe).map((l) => `'${fw.id}/${l.id}'`),
  );
  const nowIso = now.toISOString();
  const indexes = dueIndexes(size, set, set === 'scaled' ? 0 : 1);
  if (target.db) setupPlansSqlite(target.db, untimed, now, indexes);
  else await setupPlansPostgres(target.engine as PostgresEngine, untimed, now, indexes);
  // The planner's cursor at the end of the change order, and its frameworks digest current: nothing to
  // re-plan until the tick step changes some records.
  const { sql } = target.engine;
  const setState = (name: string, value: string) =>
    sql.run(
      'INSERT INTO reminder_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  await setState('catalog', catalogDigest(catalog));
  const last = await sql.get<{ team_id: string; user_id: string; change_seq: number | string }>(
    'SELECT team_id, user_id, change_seq FROM teammates ORDER BY change_seq DESC, team_id DESC, user_id DESC LIMIT 1',
  );
  if (last) {
    const cursor = { seq: Number(last.change_seq), teamId: last.team_id, userId: last.user_id };
    await setState('cursor.change', JSON.stringify(cursor));
  }
  const dueNow = await sql.get<{ n: number | string }>(
    'SELECT count(*) AS n FROM reminder_plan WHERE due_at IS NOT NULL AND due_at <= ?',
    [nowIso],
  );
  const planned = await sql.get<{ n: number | string }>(
    'SELECT count(*) AS n FROM reminder_plan WHERE due_at IS NOT NULL',
  );
  // PostgreSQL plans by statistics: a running database has them (autovacuum keeps them), a freshly filled one not yet.
  if (!target.db) await sql.run('ANALYZE');
  return {
    dueNow: Number(dueNow?.n),
    withPlan: Number(planned?.n),
    changedSinceLastTick: Math.max(1, Math.round(size / 20_000)),
  };
}

/**
 * The steady state's plan rows (see `setup`), written directly on SQLite: a plan row per teammate at some
 * instant in the next six weeks (none where nothing can be due), then `indexes` due at `now`.
 */
function setupPlansSqlite(db: Db, untimed: string[], now: Date, indexes: number[]): void {
  const nowIso = now.toISOString();
  db.exec('DELETE FROM reminder_plan');
  db.prepare(
    `INSERT INTO reminder_plan (team_id, user_id, due_at, kind, window_key, attempts, unreachable, planned_at)
     SELECT team_id, user_id,
       CASE WHEN status = 'left' OR nudges = 'off' OR (status = 'paused' AND paused_until IS NULL)
              OR framework_id || '/' || level_id IN (${untimed.join(', ') || "''"}) THEN NULL
            WHEN status = 'paused' THEN paused_until || 'T10:00:00.000Z'
            ELSE strftime('%Y-%m-%dT%H:%M:00.000Z', @now, '+' || (15 + abs(random()) % (42 * 24 * 60)) || ' minutes')
       END,
       'checkin-1', framework_id || '/' || level_id || '/' || since, 0, NULL, @planned
     FROM teammates`,
  ).run({ now: nowIso, planned: new Date(now.getTime() - 15 * 60_000).toISOString() });
  const makeDue = db.prepare(`UPDATE reminder_plan SET due_at = ? WHERE team_id = ? AND user_id = ?`);
  db.transaction(() => {
    for (const i of indexes) makeDue.run(nowIso, team(i), user(i));
  })();
}

/** The same plan rows as `setupPlansSqlite`, in PostgreSQL's SQL. */
async function setupPlansPostgres(
  engine: PostgresEngine,
  untimed: string[],
  now: Date,
  indexes: number[],
): Promise<void> {
  const nowIso = now.toISOString();
  await engine.pool.query('DELETE FROM reminder_plan');
  await engine.pool.query(
    `INSERT INTO reminder_plan (team_id, user_id, due_at, kind, window_key, attempts, unreachable, planned_at)
     SELECT team_id, user_id,
       CASE WHEN status = 'left' OR nudges = 'off' OR (status = 'paused' AND paused_until IS NULL)
              OR framework_id || '/' || level_id IN (${untimed.join(', ') || "''"}) THEN NULL
            WHEN status = 'paused' THEN paused_until || 'T10:00:00.000Z'
            ELSE to_char(($1::timestamptz + (15 + floor(random() * (42 * 24 * 60)))::int * interval '1 minute')
                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI":00.000Z"')
       END,
       'checkin-1', framework_id || '/' || level_id || '/' || since, 0, NULL, $2
     FROM teammates`,
    [nowIso, new Date(now.getTime() - 15 * 60_000).toISOString()],
  );
  await engine.pool.query(
    `UPDATE reminder_plan SET due_at = $1 FROM unnest($2::text[], $3::text[]) AS d (team_id, user_id)
     WHERE reminder_plan.team_id = d.team_id AND reminder_plan.user_id = d.user_id`,
    [nowIso, indexes.map(team), indexes.map(user)],
  );
}

async function open(args: ChildArgs): Promise<Target> {
  if (args.databaseUrl) return { engine: await openEngine({ databaseUrl: args.databaseUrl, databasePath: '' }) };
  const db = openDatabase(args.db);
  return { engine: new SqliteEngine(db), db };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const now = new Date(args.now);
  const today = now.toISOString().slice(0, 10) as IsoDate;
  const target = await open(args);
  const startRssMb = rssMb();
  const startHeapMb = heapMb();
  peakHeap = getHeapStatistics().used_heap_size;
  let extra: Record<string, unknown> = {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let ms = 0;
  if ((args.step === 'fill' || args.step === 'setup') && target.db) {
    // Only for writing the data, untimed: no fsync per commit, and a cache that holds the indexes being
    // filled (random keys: with SQLite's default 2 MB cache, a million rows take minutes).
    target.db.pragma('synchronous = OFF');
    target.db.pragma('cache_size = -262144');
  }
  if (args.step === 'fill') {
    extra = await fill(target, args.size, today, now.toISOString());
    ms = performance.now() - t0;
  } else if (args.step === 'setup') {
    extra = await setup(target, args.size, now, args.dueSet ?? 'fixed');
    ms = performance.now() - t0;
  } else if (args.step === 'plan') {
    const { engine } = engineFor(target, { at: now }, new RecordingSender());
    const t1 = performance.now();
    const planned = await planChanged(engine.deps, now);
    ms = performance.now() - t1;
    extra = { planned };
  } else {
    // Built, and warmed by the tick before (15 minutes earlier, when the set is not due yet), untimed:
    // a running Ripple has its frameworks loaded and its statements prepared.
    const sender = new RecordingSender();
    const clock = { at: new Date(now.getTime() - 15 * 60_000) };
    const { engine, errors } = engineFor(target, clock, sender);
    const warm = await engine.tick();
    clock.at = now;
    // The records changed since that tick (1 in 20,000, at least one): the timed tick re-plans them.
    const changed = Math.max(1, Math.round(args.size / 20_000));
    const stride = Math.floor(args.size / changed);
    // As a unit of work that writes records does (db/016): the next change number, stamped on each.
    const { sql } = target.engine;
    const seq = (await sql.get<{ seq: number }>('UPDATE change_counter SET seq = seq + 1 RETURNING seq'))?.seq;
    const touchedAt = new Date(now.getTime() - 5 * 60_000).toISOString();
    for (let k = 0; k < changed; k++) {
      await sql.run('UPDATE teammates SET updated_at = ?, change_seq = ? WHERE team_id = ? AND user_id = ?', [
        touchedAt,
        Number(seq),
        team(k * stride + 3),
        user(k * stride + 3),
      ]);
    }
    peakHeap = getHeapStatistics().used_heap_size;
    const cpuTick = process.cpuUsage();
    const t1 = performance.now();
    const report = await engine.tick();
    ms = performance.now() - t1;
    extra = { report, warmup: warm, delivered: sender.delivered, errors: errors.length, cpuMs: cpuMs(cpuTick) };
  }
  if (args.step !== 'tick') extra.cpuMs = cpuMs(cpu0);
  sampleHeap();

  const result: ChildResult = {
    step: args.step,
    size: args.size,
    ms,
    peakRssMb: maxRssMb(),
    startRssMb,
    peakHeapMb: peakHeap / 2 ** 20,
    startHeapMb,
    ...extra,
  };
  await target.engine.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
