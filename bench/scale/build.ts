/**
 * Builds the scale benchmark's SQLite databases through the project's own stores and services (never raw SQL), and
 * caches them under bench/out/scale/ (git-ignored): a company of N people as of a day (bench/scale/company.ts), and
 * the 10,000-person company after a simulated year of use.
 *
 * Every write goes through a store method the app itself calls: `importMany` for the people (the CSV import's
 * batch API: one transaction), the check-in service's `start` and the store's `apply`/`share` for check-ins,
 * `pause`, `setChannel`, `claimWeek`/`markWeek`, `claim`/`markSent`, `upsert`, `pending.add`, `events.firstTime`.
 * Many store calls are wrapped in one outer transaction (better-sqlite3 turns the stores' own transactions into
 * savepoints), only so that a build commits once per batch instead of once per call: the rows are the same.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays, type IsoDate } from '../../src/career/dates.js';
import { RATINGS, type Rating } from '../../src/checkins/machine.js';
import * as checkins from '../../src/checkins/service.js';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import type { Catalog } from '../../src/frameworks/catalog.js';
import { weekKey } from '../../src/growth/weekly.js';
import { MovableClock } from '../../src/sandbox/clock.js';
import { maintenanceDeps, runMaintenance } from '../../src/scheduler/maintenance.js';
import { createStores, type Repos, type Stores } from '../../src/store/index.js';
import { random } from '../seeded.js';
import { type Company, GROWTH_CHANNEL, importRows, type Person, TEAM_ID } from './company.js';

/** Bumped whenever the shape or the build changes, so a stale cached database is rebuilt, not measured. */
export const BUILD_VERSION = 3;

/** Store calls per outer transaction while building. */
const BATCH = 500;

/** CHECKIN_EXPIRY_DAYS' default: an "idle" open check-in is older than this at the benchmark's instant. */
const EXPIRY_DAYS = 14;

export interface BuildReport {
  path: string;
  /** False when the cached file was used. */
  built: boolean;
  ms: number;
  bytes: number;
  counts: Record<string, number>;
}

const noon = (day: IsoDate) => `${day}T12:00:00.000Z`;

/**
 * Returns the cached database at `path`, or builds it there first (into a temporary name, renamed when complete, so
 * an interrupted build is never taken for a finished one).
 */
export async function cachedDatabase(
  path: string,
  build: (db: Db) => Record<string, number> | Promise<Record<string, number>>,
  log: (line: string) => void,
): Promise<BuildReport> {
  if (existsSync(path)) return { path, built: false, ms: 0, bytes: statSync(path).size, counts: {} };
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const t0 = performance.now();
  const db = openDatabase(partial);
  let counts: Record<string, number>;
  try {
    counts = await build(db);
    // One file to copy: the write-ahead log folded back into it.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  renameSync(partial, path);
  const ms = performance.now() - t0;
  const bytes = statSync(path).size;
  log(`    built ${path.split('/').slice(-1)[0]} in ${(ms / 1000).toFixed(1)} s (${(bytes / 2 ** 20).toFixed(1)} MB)`);
  return { path, built: true, ms, bytes, counts };
}

/** Runs `calls` store calls in units of work of BATCH each; `each` gets the unit's repositories. */
async function batched<T>(
  stores: Stores,
  items: readonly T[],
  each: (item: T, index: number, repos: Repos) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) {
    await stores.unitOfWork.run(async (repos) => {
      for (let i = start; i < Math.min(items.length, start + BATCH); i++) await each(items[i] as T, i, repos);
    });
  }
}

interface CheckinPlan {
  person: Person;
  /** When it was started; answered a minute apart from there. */
  at: Date;
  /** Leave it open after this many answers (undefined: answer everything). */
  openAfter?: number;
  share: boolean;
}

/** One check-in through the service (the questions the person's framework asks), answered through the store. */
async function runCheckin(
  stores: Repos,
  catalog: Catalog,
  clock: MovableClock,
  rand: () => number,
  plan: CheckinPlan,
): Promise<'finished' | 'open' | 'skipped'> {
  clock.setTo(plan.at);
  const deps = {
    checkins: stores.checkins,
    teammates: stores.teammates,
    catalog,
    clock,
    expiryDays: EXPIRY_DAYS,
    evidence: stores.evidence,
  };
  const caller = { teamId: TEAM_ID, userId: plan.person.userId };
  const started = await checkins.start(deps, caller);
  // At the top of a path with several next steps the person is asked to choose one: take the first.
  const outcome =
    started.kind === 'choose-path'
      ? await checkins.start(deps, caller, { levelId: started.paths[0]?.id as string })
      : started.kind === 'open-exists'
        ? { kind: 'skip' as const }
        : started;
  if (outcome.kind !== 'started') return 'skipped';
  let record = outcome.view.checkin;
  const limit = plan.openAfter ?? record.total;
  let t = plan.at.getTime();
  for (let answered = 0; answered < limit && record.status === 'open'; answered++) {
    t += 60_000;
    const rating = RATINGS[Math.floor(rand() * 3)] as Rating;
    const applied = await stores.checkins.apply(TEAM_ID, record.id, {
      kind: 'answer',
      version: record.version,
      rating,
      at: new Date(t).toISOString(),
    });
    if (!applied.checkin) break;
    record = applied.checkin;
  }
  if (record.status !== 'finished') return 'open';
  if (plan.share && plan.person.managerId) {
    await stores.checkins.share(TEAM_ID, record.id, plan.person.managerId, new Date(t + 60_000).toISOString());
  }
  return 'finished';
}

/** The company as of `company.asOf`: the people, their check-ins and pauses, the growth channel. */
export async function buildCompanyDb(db: Db, company: Company, catalog: Catalog): Promise<Record<string, number>> {
  const stores = createStores(db);
  const rand = random(0xc0ffee + company.size);
  const asOf = company.asOf;
  const importedAt = noon(addDays(asOf, -200));
  const counts: Record<string, number> = { teammates: 0, finished: 0, open: 0, paused: 0 };
  const imported = await stores.teammates.importMany(importRows(company), 'import:people.csv', importedAt);
  counts.teammates = imported.created;
  const clock = new MovableClock();
  const plans: CheckinPlan[] = [];
  for (const person of company.people) {
    const c = person.checkin;
    if (c === null) continue;
    const daysAgo =
      c === 'open-idle'
        ? EXPIRY_DAYS + 1 + Math.floor(rand() * 30)
        : c === 'open-recent'
          ? 1 + Math.floor(rand() * 5)
          : 1 + Math.floor(rand() * 180);
    const at = new Date(Date.parse(noon(asOf)) - daysAgo * 86_400_000);
    plans.push({
      person,
      at,
      ...(c.startsWith('open') ? { openAfter: Math.floor(rand() * 3) } : {}),
      share: c === 'shared',
    });
  }
  await batched(stores, plans, async (plan, _index, repos) => {
    const result = await runCheckin(repos, catalog, clock, rand, plan);
    if (result !== 'skipped') counts[result] = (counts[result] ?? 0) + 1;
  });
  const paused = company.people.filter((p) => p.pausedUntil !== null);
  await batched(stores, paused, async (p, _i, stores) => {
    const until = p.pausedUntil as IsoDate;
    await stores.teammates.pause(TEAM_ID, p.userId, {
      start: addDays(until, -30),
      until,
      changedBy: p.managerId ?? p.userId,
      at: noon(addDays(until, -31)),
    });
    counts.paused = (counts.paused ?? 0) + 1;
  });
  await stores.growth.setChannel({
    teamId: TEAM_ID,
    channelId: GROWTH_CHANNEL,
    weekday: 1,
    time: '10:00',
    tz: 'Europe/London',
    setBy: company.subjects.admin,
    setAt: importedAt,
  });
  return counts;
}

/**
 * A year of use, week by week from `company.asOf` (52 weeks), written through the stores at the rates the jobs and
 * people produce them (see bench/README.md, "At scale"):
 *
 * - the weekly ledger: the channel post and one digest per manager, every week (what the growth tick claims and marks);
 * - the reminder ledger: three reminders a person a year (heads-up, opening, a check-in reminder), claimed and sent;
 * - check-ins: two a person a year, every question answered, half of them shared with the manager;
 * - promotions: one person in two a year moves to the next level (`upsert`: a history row), and one in three of those
 *   also leaves an unconfirmed `/career set` preview behind (`pending.add`);
 * - Slack events: one Home opened per person per five weeks (`events.firstTime`);
 * - maintenance (the real `runMaintenance`, pruning included) once a simulated day.
 */
export async function simulateYear(db: Db, company: Company, catalog: Catalog): Promise<Record<string, number>> {
  const stores = createStores(db);
  const rand = random(0x7ea12 + company.size);
  const clock = new MovableClock();
  const counts: Record<string, number> = {
    weeklyRows: 0,
    reminders: 0,
    checkins: 0,
    promotions: 0,
    previews: 0,
    events: 0,
  };
  const managers = [...new Set(company.people.flatMap((p) => (p.managerId ? [p.managerId] : [])))];
  const levelOf = new Map(company.people.map((p) => [p.userId, p.levelId]));
  const start = Date.parse(`${company.asOf}T00:00:00.000Z`);
  for (let week = 0; week < 52; week++) {
    const monday = new Date(start + week * 7 * 86_400_000);
    const mondayTen = new Date(monday.getTime() + 10 * 3_600_000);
    const at = mondayTen.toISOString();
    const isoWeek = weekKey(mondayTen, null);
    db.transaction(async () => {
      for (const [kind, subject] of [
        ['channel', GROWTH_CHANNEL] as const,
        ...managers.map((m) => ['digest', m] as const),
      ]) {
        const key = { teamId: TEAM_ID, kind, subject, week: isoWeek };
        if (await stores.growth.claimWeek(key, at)) {
          await stores.growth.markWeek(key, { ok: true }, at);
          counts.weeklyRows = (counts.weeklyRows ?? 0) + 1;
        }
      }
    })();
    const kinds = ['heads-up', 'open', 'checkin-1'] as const;
    const reminded = company.people.filter((_, i) => (i + week) % 17 === 0);
    await batched(stores, reminded, async (p, _i, stores) => {
      const key = {
        teamId: TEAM_ID,
        userId: p.userId,
        kind: kinds[week % 3] as string,
        windowKey: `${p.frameworkId}/${levelOf.get(p.userId)}/${p.since}`,
      };
      const day = at.slice(0, 10) as IsoDate;
      if (await stores.reminders.claim(key, day, at)) {
        await stores.reminders.markSent(key, at);
        counts.reminders = (counts.reminders ?? 0) + 1;
      }
    });
    const checkingIn = company.people.filter((_, i) => (i + week) % 26 === 0);
    await batched(stores, checkingIn, async (person, i, stores) => {
      const when = new Date(mondayTen.getTime() + (i % 5) * 86_400_000);
      if ((await runCheckin(stores, catalog, clock, rand, { person, at: when, share: i % 2 === 0 })) === 'finished') {
        counts.checkins = (counts.checkins ?? 0) + 1;
      }
    });
    const promoted = company.people.filter((_, i) => (i * 7 + week) % 104 === 0);
    await batched(stores, promoted, async (person, i, stores) => {
      const framework = catalog.get(person.frameworkId);
      const level = framework && catalog.levelById(framework, levelOf.get(person.userId) as string);
      const next = framework && level ? catalog.nextSteps(framework, level)[0] : undefined;
      if (!next) return;
      const day = at.slice(0, 10) as IsoDate;
      const changedBy = person.managerId ?? company.subjects.admin;
      if (i % 3 === 0) {
        await stores.pending.add({
          teamId: TEAM_ID,
          requestedBy: changedBy,
          userId: person.userId,
          change: { frameworkId: person.frameworkId, levelId: next.id, since: day, basedOn: null },
          createdAt: at,
        });
        counts.previews = (counts.previews ?? 0) + 1;
      }
      await stores.teammates.upsert({
        teamId: TEAM_ID,
        userId: person.userId,
        frameworkId: person.frameworkId,
        levelId: next.id,
        since: day,
        changedBy,
        at,
      });
      levelOf.set(person.userId, next.id);
      counts.promotions = (counts.promotions ?? 0) + 1;
    });
    const opened = company.people.filter((_, i) => (i + week) % 5 === 0);
    await batched(stores, opened, async (p, i, stores) => {
      const eventAt = new Date(monday.getTime() + (i % (7 * 24)) * 3_600_000).toISOString();
      if (await stores.events.firstTime(`EvY${week}x${p.userId}`, eventAt)) counts.events = (counts.events ?? 0) + 1;
    });
    for (let day = 0; day < 7; day++) {
      clock.setTo(new Date(monday.getTime() + day * 86_400_000 + 23 * 3_600_000));
      await runMaintenance(maintenanceDeps({ stores, clock }));
    }
  }
  return counts;
}
