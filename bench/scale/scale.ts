/**
 * The scale benchmark (issue 14): Ripple on synthetic companies of 1,000, 10,000 and 100,000 teammates, and on the
 * 10,000 company after a simulated year of use. Absolute figures, not candidate/baseline ratios: what a request,
 * a background job, `/career admin schedule` and a 100,000-row import cost at each size, and whether that cost
 * follows what is shown or the size of the company. Nothing passes or fails. See bench/README.md, "At scale".
 *
 * Each database is built once through the project's stores (bench/scale/build.ts) and cached in bench/out/scale/;
 * every measurement runs on a fresh copy. Per database: a fake Slack (bench/load/serve.ts, knowing every person)
 * and the real app (bench/scale/server.ts), each in its own process; requests are signed as Slack signs them and
 * sent from this process (autocannon for the bursts, bench/load/load.ts).
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { IsoDate } from '../../src/career/dates.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { type CannonRun, Child, cannon, cpuMicros, percentile, type Signed, type Target, table } from '../load/load.js';
import type { Snapshot } from '../load/protocol.js';
import { BUILD_VERSION, buildCompanyDb, cachedDatabase, simulateYear } from './build.js';
import { buildCompany, type Company, type Subjects, TEAM_ID } from './company.js';
import type { JobDone, JobName, ScaleServerOptions } from './protocol.js';

/** The day the companies are as of: a Monday, the growth tick's digest day. */
export const AS_OF: IsoDate = '2027-03-01';
/** The simulated year starts 52 weeks earlier and ends on AS_OF. */
export const YEAR_FROM: IsoDate = '2026-03-02';

export interface ScaleOptions {
  root: string;
  sizes: number[];
  /** The company size that lives a simulated year (0: none). */
  yearSize: number;
  connections: number;
  /** Requests per burst case. */
  burst: number;
  /** Requests per sequential case. */
  sequential: number;
  /** `/career admin schedule` runs per database. */
  scheduleRuns: number;
  /** Longest wait for one job or one admin schedule before the app is killed and restarted. */
  deadlineS: number;
  /** Rows of the CSV imported into each live app (0: none). */
  importRows: number;
}

interface RequestCase {
  name: string;
  as: keyof Subjects;
  /** A slash command's text, or the Home tab opened. */
  text: string | 'home';
  /** The list may grow with the team shown, not with the company. */
  teamList?: boolean;
}

const CASES: readonly RequestCase[] = [
  { name: 'me', as: 'member', text: 'me' },
  { name: 'level', as: 'member', text: 'level 3 marketing' },
  { name: 'help', as: 'member', text: 'help' },
  { name: 'team (10 reports)', as: 'manager10', text: 'team', teamList: true },
  { name: 'team (400 reports)', as: 'manager400', text: 'team', teamList: true },
  { name: 'Home (admin)', as: 'admin', text: 'home' },
  { name: 'Home (400 reports)', as: 'manager400', text: 'home', teamList: true },
  { name: 'history', as: 'member', text: 'history' },
];

export interface RequestResult {
  name: string;
  teamList: boolean;
  seqAckP50Ms: number;
  seqAckP99Ms: number;
  /** Until the app was idle again: the reply on the response_url, the Home view published. */
  seqDoneP50Ms: number;
  seqDoneP99Ms: number;
  burstRequests: number;
  burstAckP50Ms: number;
  burstAckP99Ms: number;
  burstAckMaxMs: number;
  /** From the burst's last answer until the app was idle (work done after the ack). */
  burstDrainMs: number;
  cpuPerRequestUs: number;
  problems: string[];
}

interface Probe {
  probes: number;
  maxMs: number;
  p99Ms: number;
  /** Probes answered after more than 50 ms. */
  over50: number;
  non200: number;
}

export interface JobResult {
  job: string;
  at: string;
  timedOut: boolean;
  done?: JobDone;
  probe: Probe;
  apiCalls: Record<string, number>;
}

export interface ScheduleResult {
  runs: number[];
  timedOut: boolean;
  probe: Probe;
  problems: string[];
}

export interface ImportResult {
  rows: number;
  ms: number;
  exitCode: number | null;
  output: string;
  /** The longest stretch during which another connection could not take the write lock. */
  longestLockMs: number;
  requests: number;
  non2xx: number;
  busy: number;
  p99Ms: number;
  maxMs: number;
  probe: Probe;
}

export interface DatabaseResult {
  label: string;
  size: number;
  bytes: number;
  buildMs: number;
  company: { managers: number; bigManagers: number; subjects: Subjects };
  requests: RequestResult[];
  schedule: ScheduleResult;
  jobs: JobResult[];
  import?: ImportResult;
  tables: { name: string; rows: number; bytes: number }[];
  counts: Record<string, number>;
}

export interface ScaleResult {
  options: Omit<ScaleOptions, 'root'>;
  databases: DatabaseResult[];
  /** Databases whose measurement failed, with the error. */
  failures: string[];
  /** Bytes of the year's database on its first day and after the year. */
  year?: { size: number; dayOneBytes: number; afterBytes: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Signed requests

function sign(target: Target, body: string, contentType: string): Signed {
  const ts = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', target.signingSecret).update(`v0:${ts}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': `v0=${signature}`,
    },
  };
}

let sent = 0;

/** The next request of a case: a slash command (fields as SlackDriver.command sends them) or `app_home_opened`. */
function requests(target: Target, user: string, text: string): () => Signed {
  const { fake } = target;
  const urls = (fake.responseUrls ?? []).map((u) => encodeURIComponent(u));
  if (text === 'home') {
    return () => {
      sent += 1;
      const envelope = {
        token: 'fake-verification-token',
        team_id: TEAM_ID,
        api_app_id: fake.appId,
        event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
        type: 'event_callback',
        // A fresh id each time: Ripple answers a repeated event id once.
        event_id: `EvS${process.pid}x${sent}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: 'U0BOT0001', is_bot: true }],
      };
      return sign(target, JSON.stringify(envelope), 'application/json');
    };
  }
  const fixed = new URLSearchParams({
    token: 'fake-verification-token',
    team_id: TEAM_ID,
    team_domain: fake.teamDomain ?? '',
    channel_id: 'C0GENERAL1',
    channel_name: 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/career',
    text,
    api_app_id: fake.appId ?? '',
    is_enterprise_install: 'false',
  }).toString();
  return () => {
    sent += 1;
    const trigger = `${2_000_000_000 + sent}.${TEAM_ID}.${sent.toString(16).padStart(12, '0')}`;
    const body = `${fixed}&response_url=${urls[sent % urls.length]}&trigger_id=${trigger}`;
    return sign(target, body, 'application/x-www-form-urlencoded');
  };
}

async function post(target: Target, signed: Signed): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${target.origin}/slack/events`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------------------------
// The /healthz probe: one GET every 10 ms (at most 5 in flight), from this process, while something runs there.

function startProbe(origin: string): { stop(): Promise<Probe> } {
  const latencies: number[] = [];
  let non200 = 0;
  const inFlight = new Set<Promise<void>>();
  const fire = () => {
    if (inFlight.size >= 5) return;
    const t0 = performance.now();
    const p = fetch(`${origin}/healthz`)
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 200) non200 += 1;
      })
      .catch(() => {
        non200 += 1;
      })
      .finally(() => {
        latencies.push(performance.now() - t0);
        inFlight.delete(p);
      });
    inFlight.add(p);
  };
  // One at once: a job shorter than 10 ms still gets a probe.
  fire();
  const timer = setInterval(fire, 10);
  // A measurement that throws before stop() must not keep the benchmark's process alive.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      const sorted = Float64Array.from(latencies).sort();
      return {
        probes: sorted.length,
        maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : 0,
        p99Ms: percentile(sorted, 99),
        over50: latencies.filter((l) => l > 50).length,
        non200,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One live app on a copy of a database

class Live {
  server!: Child;
  target!: Target;
  private nextJob = 0;
  private readonly waiting = new Map<number, (d: JobDone) => void>();

  private constructor(
    private readonly root: string,
    readonly fake: Child,
    private readonly serverOptions: ScaleServerOptions,
  ) {}

  static async start(root: string, company: Company, dbPath: string, now: string): Promise<Live> {
    const fake = await Child.start(root, {
      role: 'fake',
      responseUrls: 1024,
      company: { size: company.size, asOf: company.asOf },
    });
    const live = new Live(root, fake, {
      databasePath: dbPath,
      apiUrl: fake.ready.apiUrl ?? '',
      signingSecret: randomBytes(16).toString('hex'),
      admin: company.subjects.admin,
      now,
    });
    await live.startServer();
    return live;
  }

  private async startServer(): Promise<void> {
    this.server = await Child.start(
      this.root,
      { role: 'scale', ...this.serverOptions },
      [],
      join('bench', 'scale', 'server.ts'),
    );
    this.server.onOther = (message) => {
      const m = message as JobDone;
      if (m.type === 'job-done') {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      }
    };
    this.target = {
      origin: this.server.ready.origin ?? '',
      signingSecret: this.serverOptions.signingSecret,
      fake: this.fake.ready,
    };
  }

  /** After a deadline: the app's event loop may be stuck in one synchronous block for minutes. */
  async restart(now: string): Promise<void> {
    await this.server.kill();
    this.serverOptions.now = now;
    await this.startServer();
  }

  /** Runs a job in the app; null when it was still running after `deadlineMs` (the app is then restarted). */
  job(job: JobName, at: string, deadlineMs: number): Promise<JobDone | null> {
    const id = ++this.nextJob;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, deadlineMs);
      this.waiting.set(id, (done) => {
        clearTimeout(timer);
        resolve(done);
      });
      this.server.send({ type: 'job', id, job, at } as { type: string; id: number });
    });
  }

  async stop(): Promise<void> {
    if (this.server.alive) await this.server.stop();
    await this.fake.stop();
  }
}

/**
 * Waits until the app is idle (its snapshot answers once the work in progress is done), however long that takes up
 * to `deadlineMs`: one snapshot gives up after 30 s, so a command blocking the app for minutes is asked again.
 */
async function idle(live: Live, deadlineMs: number): Promise<Snapshot | 'timeout'> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return 'timeout';
    const s = await within(
      live.server.snapshot().catch(() => null),
      left,
    );
    if (s === 'timeout') return 'timeout';
    if (s !== null) return s;
  }
}

/** Resolves with `promise`, or with 'timeout' after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

function sortedStats(xs: readonly number[]): { p50: number; p99: number; max: number } {
  const s = Float64Array.from(xs).sort();
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length > 0 ? (s[s.length - 1] as number) : NaN };
}

async function measureCase(live: Live, spec: RequestCase, subjects: Subjects, options: ScaleOptions) {
  const user = subjects[spec.as];
  const next = requests(live.target, user, spec.text);
  const problems: string[] = [];
  // The check: answered 200, and a reply (in the ack, on the response_url, or a published Home).
  await live.server.snapshot();
  await live.fake.snapshot();
  const first = await post(live.target, next());
  await idle(live, options.deadlineS * 1000);
  const fake = await live.fake.snapshot();
  if (first.status !== 200) problems.push(`check: status ${first.status}`);
  const replied =
    spec.text === 'home'
      ? (fake.calls?.['views.publish'] ?? 0) === 1
      : first.body !== '' || (fake.nonEmptyResponses ?? 0) > 0;
  if (!replied) problems.push(`check: no reply (ack ${first.body.slice(0, 120)}; ${JSON.stringify(fake.calls)})`);
  if (/went wrong|error/i.test(first.body + (fake.lastResponse ?? ''))) {
    problems.push(`check: the reply reports an error: ${(first.body || fake.lastResponse || '').slice(0, 200)}`);
  }

  const acks: number[] = [];
  const dones: number[] = [];
  for (let i = 0; i < options.sequential; i++) {
    const t0 = performance.now();
    const r = await post(live.target, next());
    acks.push(r.ms);
    await idle(live, options.deadlineS * 1000);
    dones.push(performance.now() - t0);
    if (r.status !== 200) problems.push(`sequential: status ${r.status}`);
  }

  const before = await live.server.snapshot();
  await live.fake.snapshot();
  const run: CannonRun = await cannon(live.target, next, options.connections, { amount: options.burst });
  const ended = performance.now();
  const settled = await idle(live, options.deadlineS * 1000);
  if (settled === 'timeout')
    throw new Error(`${spec.name}: the app was still busy ${options.deadlineS} s after a burst`);
  const after = settled;
  const drain = performance.now() - ended;
  const fakeAfter = await live.fake.snapshot();
  if (run.non2xx > 0) problems.push(`burst: ${run.non2xx} non-2xx answers`);
  if (run.result.errors > 0)
    problems.push(`burst: ${run.result.errors} connection errors (${run.result.timeouts} timeouts)`);
  if ((fakeAfter.failedCalls ?? 0) > 0) problems.push(`burst: ${fakeAfter.failedCalls} Web API calls failed`);
  if (after.loggedErrors > 0)
    problems.push(`burst: the app logged ${after.loggedErrors} error(s): ${after.errorSamples[0]}`);
  const seqAck = sortedStats(acks);
  const seqDone = sortedStats(dones);
  return {
    name: spec.name,
    teamList: spec.teamList === true,
    seqAckP50Ms: seqAck.p50,
    seqAckP99Ms: seqAck.p99,
    seqDoneP50Ms: seqDone.p50,
    seqDoneP99Ms: seqDone.p99,
    burstRequests: run.responses,
    burstAckP50Ms: percentile(run.latencies, 50),
    burstAckP99Ms: percentile(run.latencies, 99),
    burstAckMaxMs: run.latencies.length > 0 ? (run.latencies[run.latencies.length - 1] as number) : NaN,
    burstDrainMs: drain,
    cpuPerRequestUs: run.responses > 0 ? (cpuMicros(after) - cpuMicros(before)) / run.responses : NaN,
    problems,
  } satisfies RequestResult;
}

async function measureSchedule(
  live: Live,
  company: Company,
  options: ScaleOptions,
  now: string,
): Promise<ScheduleResult> {
  const next = requests(live.target, company.subjects.admin, 'admin schedule');
  const runs: number[] = [];
  const problems: string[] = [];
  let probed: Probe;
  const probe = startProbe(live.target.origin);
  let timedOut = false;
  try {
    await scheduleRuns();
  } finally {
    probed = await probe.stop();
  }
  if (timedOut) await live.restart(now);
  return { runs, timedOut, probe: probed, problems };

  async function scheduleRuns(): Promise<void> {
    for (let i = 0; i < options.scheduleRuns && !timedOut; i++) {
      await live.fake.snapshot();
      const t0 = performance.now();
      const r = await within(post(live.target, next()), options.deadlineS * 1000);
      const finished = r === 'timeout' ? r : await idle(live, options.deadlineS * 1000 - (performance.now() - t0));
      if (r !== 'timeout' && r.status !== 200) problems.push(`status ${r.status}`);
      if (r === 'timeout' || finished === 'timeout') {
        timedOut = true;
        break;
      }
      runs.push(performance.now() - t0);
      // One run of many seconds says enough; more would only lengthen the benchmark.
      if ((runs.at(-1) as number) > 10_000) break;
      const fake = await live.fake.snapshot();
      const reply = r.body || fake.lastResponse || '';
      if (!/schedule|week|digest/i.test(reply)) problems.push(`no schedule in the reply: ${reply.slice(0, 200)}`);
    }
  }
}

/** The jobs in the order main.ts's scheduler starts them, after a planning pass of the reminders 15 minutes earlier. */
function jobPlan(day: IsoDate): { job: JobName; at: string; label: string }[] {
  const at = `${day}T10:00:00.000Z`;
  return [
    { job: 'reminders', at: `${day}T09:45:00.000Z`, label: 'reminders (first tick: full planning pass)' },
    { job: 'maintenance', at, label: 'maintenance' },
    { job: 'reminders', at, label: 'reminders (next tick, 15 min later)' },
    { job: 'growth', at, label: 'growth (Monday: digests, channel post)' },
    { job: 'expiry', at, label: 'check-in expiry' },
  ];
}

async function measureJobs(live: Live, day: IsoDate, options: ScaleOptions, log: (l: string) => void) {
  const results: JobResult[] = [];
  for (const { job, at, label } of jobPlan(day)) {
    await live.fake.snapshot();
    const probe = startProbe(live.target.origin);
    const done = await live.job(job, at, options.deadlineS * 1000);
    const probed = await probe.stop();
    if (!done) await live.restart(at);
    const fake = await live.fake.snapshot();
    results.push({
      job: label,
      at,
      timedOut: !done,
      ...(done ? { done } : {}),
      probe: probed,
      apiCalls: fake.calls ?? {},
    });
    log(
      `      ${label}: ${done ? `${ms(done.ms)}, longest block ${ms(probed.maxMs)}` : `still running after ${options.deadlineS} s`}`,
    );
  }
  return results;
}

/**
 * The day the imported people's dates are as of: the import checks `since` against the real clock (a command-line
 * run has no other), so these dates must be in the real past, unlike AS_OF.
 */
const IMPORT_AS_OF: IsoDate = '2025-03-03';

/** The CSV of `rows` new people (ids U9…, not in any company), cached. */
function importCsv(root: string, rows: number, catalog: Catalog): string {
  const path = join(root, 'bench', 'out', 'scale', `import-${rows}-v${BUILD_VERSION}.csv`);
  if (existsSync(path)) return path;
  const remap = (id: string) => `U9${id.slice(2)}`;
  const lines = ['user,framework,level,since,manager'];
  for (const p of buildCompany(rows, catalog, IMPORT_AS_OF).people) {
    lines.push(`${remap(p.userId)},${p.frameworkId},${p.levelId},${p.since},${p.managerId ? remap(p.managerId) : ''}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * `npm run import` (scripts/import.ts, no bot token: ids taken as they are) of `rows` new people into the live app's
 * database, while five clients keep sending Home opens (each records its event id: a write), `me`, and
 * `nudges off`/`nudges on` (writes), and another connection tries to take the write lock every 5 ms.
 */
async function measureImport(live: Live, company: Company, dbPath: string, csv: string, rows: number, root: string) {
  const subjects = company.subjects;
  const kinds = [
    requests(live.target, subjects.admin, 'home'),
    requests(live.target, subjects.member, 'me'),
    requests(live.target, subjects.member, 'nudges off'),
    requests(live.target, subjects.member, 'nudges on'),
  ];
  const lock = new Database(dbPath, { timeout: 0 });
  let longestLockMs = 0;
  let busySince: number | null = null;
  const lockTimer = setInterval(() => {
    try {
      lock.exec('BEGIN IMMEDIATE');
      lock.exec('ROLLBACK');
      if (busySince !== null) longestLockMs = Math.max(longestLockMs, performance.now() - busySince);
      busySince = null;
    } catch {
      busySince ??= performance.now();
    }
  }, 5);
  lockTimer.unref();
  await live.server.snapshot();
  await live.fake.snapshot();
  const probe = startProbe(live.target.origin);
  let running = true;
  const latencies: number[] = [];
  let non2xx = 0;
  let busy = 0;
  let n = 0;
  const client = async () => {
    while (running) {
      const next = kinds[n++ % kinds.length] as () => Signed;
      const r = await post(live.target, next()).catch(() => ({ status: 0, body: '', ms: NaN }));
      latencies.push(r.ms);
      if (r.status < 200 || r.status > 299) non2xx += 1;
      if (/\bbusy\b/i.test(r.body)) busy += 1;
    }
  };
  const clients = Array.from({ length: 5 }, client);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'import.ts'), csv, '--team', TEAM_ID], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath, FRAMEWORKS_DIR: 'frameworks' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const importMs = performance.now() - t0;
  running = false;
  await Promise.all(clients);
  clearInterval(lockTimer);
  if (busySince !== null) longestLockMs = Math.max(longestLockMs, performance.now() - busySince);
  lock.close();
  const probed = await probe.stop();
  await live.server.snapshot();
  const fake = await live.fake.snapshot();
  const stats = sortedStats(latencies.filter(Number.isFinite));
  return {
    rows,
    ms: importMs,
    exitCode,
    output: output.trim().split('\n').slice(-3).join(' / '),
    longestLockMs,
    requests: latencies.length,
    non2xx,
    busy: busy + (fake.busyResponses ?? 0),
    p99Ms: stats.p99,
    maxMs: stats.max,
    probe: probed,
  } satisfies ImportResult;
}

function tableSizes(path: string): { name: string; rows: number; bytes: number }[] {
  const db = new Database(path, { readonly: true });
  try {
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all()
      .map((r) => r.name);
    let bytes = new Map<string, number>();
    try {
      // dbstat (when SQLite was built with it): pages of each table and its indexes.
      bytes = new Map(
        db
          .prepare<[], { t: string; b: number }>(
            'SELECT m.tbl_name AS t, SUM(d.pgsize) AS b FROM dbstat d JOIN sqlite_master m ON m.name = d.name GROUP BY m.tbl_name',
          )
          .all()
          .map((r) => [r.t, r.b]),
      );
    } catch {
      // no dbstat: rows only
    }
    return names
      .map((name) => ({
        name,
        rows: (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n,
        bytes: bytes.get(name) ?? NaN,
      }))
      .sort((a, b) => (b.bytes || 0) - (a.bytes || 0));
  } finally {
    db.close();
  }
}

async function measureDatabase(
  label: string,
  company: Company,
  cached: { path: string; ms: number; bytes: number; counts: Record<string, number> },
  options: ScaleOptions,
  catalog: Catalog,
  log: (line: string) => void,
): Promise<DatabaseResult> {
  const runDir = join(options.root, 'bench', 'out', 'scale', 'run');
  mkdirSync(runDir, { recursive: true });
  const dbPath = join(runDir, `live-${company.size}.sqlite`);
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
  copyFileSync(cached.path, dbPath);
  const now = `${AS_OF}T09:00:00.000Z`;
  const live = await Live.start(options.root, company, dbPath, now);
  try {
    const requestResults: RequestResult[] = [];
    for (const spec of CASES) {
      const r = await measureCase(live, spec, company.subjects, options);
      requestResults.push(r);
      log(
        `      ${spec.name}: sequential p50 ${ms(r.seqAckP50Ms)}, burst ack p99 ${ms(r.burstAckP99Ms)}, ` +
          `${us(r.cpuPerRequestUs)} CPU a request${r.problems.length > 0 ? `; PROBLEMS: ${r.problems.join('; ')}` : ''}`,
      );
    }
    const schedule = await measureSchedule(live, company, options, now);
    log(
      `      admin schedule: ${schedule.timedOut ? `still running after ${options.deadlineS} s` : schedule.runs.map(ms).join(', ')}`,
    );
    const jobs = await measureJobs(live, AS_OF, options, log);
    let imported: ImportResult | undefined;
    if (options.importRows > 0 && label === String(company.size)) {
      const csv = importCsv(options.root, options.importRows, catalog);
      imported = await measureImport(live, company, dbPath, csv, options.importRows, options.root);
      log(
        `      import of ${options.importRows.toLocaleString('en')}: ${ms(imported.ms)}, longest lock ${ms(imported.longestLockMs)}, ` +
          `${imported.non2xx} non-2xx and ${imported.busy} busy of ${imported.requests} requests`,
      );
    }
    return {
      label,
      size: company.size,
      bytes: cached.bytes,
      buildMs: cached.ms,
      company: { managers: company.managers, bigManagers: company.bigManagers, subjects: company.subjects },
      requests: requestResults,
      schedule,
      jobs,
      ...(imported ? { import: imported } : {}),
      tables: tableSizes(cached.path),
      counts: cached.counts,
    };
  } finally {
    await live.stop();
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
  }
}

/** The cached database's counts live beside it, so a cached run reports them too. */
async function cachedWithCounts(path: string, build: Parameters<typeof cachedDatabase>[1], log: (l: string) => void) {
  const report = await cachedDatabase(path, build, log);
  const countsFile = `${path}.json`;
  if (report.built) writeFileSync(countsFile, JSON.stringify({ ms: report.ms, counts: report.counts }));
  else if (existsSync(countsFile)) {
    const saved = JSON.parse(readFileSync(countsFile, 'utf8')) as { ms: number; counts: Record<string, number> };
    return { ...report, ms: saved.ms, counts: saved.counts };
  }
  return report;
}

export async function runScaleBench(options: ScaleOptions, log: (line: string) => void): Promise<ScaleResult> {
  const catalog = new Catalog(loadFrameworks(join(options.root, 'frameworks')));
  const dir = join(options.root, 'bench', 'out', 'scale');
  const databases: DatabaseResult[] = [];
  const failures: string[] = [];
  // One database failing (a crash, an app still busy past the deadline) does not lose the others' figures.
  const measured = async (label: string, run: () => Promise<DatabaseResult>) => {
    try {
      databases.push(await run());
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push(`${label}: ${error}`);
      log(`      FAILED: ${error}`);
    }
  };
  for (const size of options.sizes) {
    log(`    ${size.toLocaleString('en')} teammates`);
    const company = buildCompany(size, catalog, AS_OF);
    const cached = await cachedWithCounts(
      join(dir, `company-${size}-v${BUILD_VERSION}.sqlite`),
      async (db) => await buildCompanyDb(db, company, catalog),
      log,
    );
    await measured(String(size), () => measureDatabase(String(size), company, cached, options, catalog, log));
  }
  let year: ScaleResult['year'];
  if (options.yearSize > 0) {
    const size = options.yearSize;
    log(`    ${size.toLocaleString('en')} teammates after a simulated year`);
    const company = buildCompany(size, catalog, YEAR_FROM);
    const cached = await cachedWithCounts(
      join(dir, `year-${size}-v${BUILD_VERSION}.sqlite`),
      async (db) => {
        const counts = await buildCompanyDb(db, company, catalog);
        const pages = db.pragma('page_count', { simple: true }) as number;
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        return { ...counts, dayOneBytes: pages * pageSize, ...(await simulateYear(db, company, catalog)) };
      },
      log,
    );
    const label = `${size} + 1 year`;
    await measured(label, () => measureDatabase(label, company, cached, options, catalog, log));
    year = { size, dayOneBytes: cached.counts.dayOneBytes ?? NaN, afterBytes: statSync(cached.path).size };
  }
  const { root: _root, ...shown } = options;
  return { options: shown, databases, failures, ...(year ? { year } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)} ms` : 'n/a');
const us = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} µs` : 'n/a');
const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MB` : 'n/a');

function summarizeReport(report: unknown): string {
  if (report === undefined || report === null) return '';
  if (typeof report === 'number') return String(report);
  return Object.entries(report as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' && v !== 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function printScaleBench(result: ScaleResult): void {
  const { options } = result;
  console.log();
  console.log(
    `scale: ${options.sequential} sequential requests a case, then a burst of ${options.burst} over ` +
      `${options.connections} connections; /healthz probed every 10 ms during admin schedule, each job and the import`,
  );
  const rows: string[][] = [];
  for (const db of result.databases) {
    for (const r of db.requests) {
      rows.push([
        r.name,
        db.label,
        ms(r.seqAckP50Ms),
        ms(r.seqAckP99Ms),
        ms(r.seqDoneP99Ms),
        ms(r.burstAckP99Ms),
        r.burstAckP99Ms < 1000 ? 'meets' : 'misses',
        us(r.cpuPerRequestUs),
        ms(r.burstDrainMs),
        r.problems.length === 0 ? 'ok' : 'ERRORS',
      ]);
    }
  }
  table(
    ['request', 'teammates', 'seq p50', 'seq p99', 'done p99', 'burst p99', '< 1 s', 'CPU/req', 'drain', 'status'],
    rows,
    2,
  );
  for (const db of result.databases) {
    for (const r of db.requests) for (const p of r.problems) console.log(`  ERROR ${db.label} ${r.name}: ${p}`);
  }
  const sized = result.databases.filter((d) => d.label === String(d.size));
  const smallest = sized[0];
  const largest = sized.at(-1);
  if (smallest && largest && smallest !== largest) {
    console.log();
    table(
      ['request', `CPU/req ${smallest.label}`, `CPU/req ${largest.label}`, 'ratio', 'target ≤ 1.5×'],
      smallest.requests.map((r, i) => {
        const big = largest.requests[i] as RequestResult;
        const ratio = big.cpuPerRequestUs / r.cpuPerRequestUs;
        return [
          r.name,
          us(r.cpuPerRequestUs),
          us(big.cpuPerRequestUs),
          `${ratio.toFixed(2)}×`,
          r.teamList ? '(grows with the team)' : ratio <= 1.5 ? 'meets' : 'misses',
        ];
      }),
    );
  }
  console.log();
  table(
    ['admin schedule', 'runs', 'median', 'longest block', 'target < 500 ms'],
    result.databases.map((d) => {
      const s = d.schedule;
      const median = s.runs.length > 0 ? (Float64Array.from(s.runs).sort()[s.runs.length >> 1] as number) : NaN;
      return [
        d.label,
        String(s.runs.length),
        s.timedOut ? `> ${options.deadlineS} s` : ms(median),
        ms(s.probe.maxMs),
        s.timedOut ? 'misses' : median < 500 ? 'meets' : 'misses',
      ];
    }),
  );
  console.log();
  table(
    [
      'job',
      'teammates',
      'wall',
      'CPU',
      'longest block',
      'loop delay max',
      'probes > 50 ms',
      '≤ 50 ms',
      'work',
      'Slack calls',
    ],
    result.databases.flatMap((d) =>
      d.jobs.map((j) => [
        j.job,
        d.label,
        j.done ? ms(j.done.ms) : `> ${options.deadlineS} s`,
        j.done ? ms(j.done.cpuMs) : 'n/a',
        ms(j.probe.maxMs),
        j.done ? ms(j.done.loopDelayMaxMs) : 'n/a',
        String(j.probe.over50),
        j.probe.maxMs <= 50 && !j.timedOut ? 'meets' : 'misses',
        j.done ? (j.done.failed ? `FAILED: ${j.done.failed}` : summarizeReport(j.done.report)) : '',
        Object.entries(j.apiCalls)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ]),
    ),
    2,
  );
  for (const d of result.databases) {
    const growth = d.jobs.find((j) => j.job.startsWith('growth'));
    const digests = (growth?.done?.report as { digests?: number } | undefined)?.digests ?? 0;
    if (growth?.done && digests > 0) {
      console.log(`  ${d.label}: growth tick ${ms(growth.done.ms / digests)} a digest (${digests} digests)`);
    }
  }
  const imports = result.databases.filter((d) => d.import);
  if (imports.length > 0) {
    console.log();
    table(
      [
        'import while live',
        'rows',
        'wall',
        'longest lock',
        'requests',
        'non-2xx',
        'busy',
        'p99',
        'max',
        'longest block',
      ],
      imports.map((d) => {
        const i = d.import as ImportResult;
        return [
          `into ${d.label}`,
          i.rows.toLocaleString('en'),
          i.exitCode === 0 ? ms(i.ms) : `FAILED (${i.exitCode})`,
          ms(i.longestLockMs),
          String(i.requests),
          String(i.non2xx),
          String(i.busy),
          ms(i.p99Ms),
          ms(i.maxMs),
          ms(i.probe.maxMs),
        ];
      }),
    );
    for (const d of imports) {
      if (d.import?.exitCode !== 0) console.log(`  ERROR import into ${d.label}: ${d.import?.output}`);
    }
  }
  if (result.year) {
    const y = result.year;
    const yearDb = result.databases.find((d) => d.label.includes('year'));
    console.log();
    console.log(
      `after a simulated year at ${y.size.toLocaleString('en')}: ${mb(y.dayOneBytes)} on the first day, ` +
        `${mb(y.afterBytes)} after 52 weeks (+${mb(y.afterBytes - y.dayOneBytes)}, target < 30 MB a year)`,
    );
    if (yearDb) {
      table(
        ['table (with its indexes)', 'rows', 'size'],
        yearDb.tables.filter((t) => t.rows > 0).map((t) => [t.name, t.rows.toLocaleString('en'), mb(t.bytes)]),
      );
    }
  }
}
