/**
 * The synthetic company of the scale benchmark (issue 14): who works where, for whom, since when. Pure and
 * deterministic: the same size gives the same company on every machine and every run, so the cached databases
 * (bench/scale/build.ts) and the fake Slack's users (bench/scale/server.ts) agree without sharing a file.
 *
 * Shape: 45 % engineering, 35 % marketing, 20 % happiness; levels weighted 1/(1+index), so fewer at the top;
 * `since` up to five years back, more of them recent; one workspace; a tree of managers with 5-15 reports each,
 * plus a few (one per 30,000 people, at least one) with 300-400 individual contributors (the last manager
 * of the tree may get fewer than 5: what is left); 20 % of people with a
 * finished check-in (half of them shared with their manager), 1 % with an open one (half of those idle for longer
 * than the expiry period), 1 % paused with a return date before the benchmark's instant. Time zones as the
 * reminder benchmark's (bench/seeded.ts), known to Slack only: an import stores no zone.
 */
import { addDays, type IsoDate } from '../../src/career/dates.js';
import type { Catalog } from '../../src/frameworks/catalog.js';
import type { ImportRow } from '../../src/store/teammates.js';
import { pick, random, ZONES } from '../seeded.js';

/** The workspace: the fake Slack's default team, so signed requests and stored records agree. */
export const TEAM_ID = 'T0RIPPLE01';
/** The growth channel every company has, posted to on Mondays at 10:00 London time. */
export const GROWTH_CHANNEL = 'C0GROWTH01';

export const FRAMEWORK_SHARES = [
  ['engineering', 45],
  ['marketing', 35],
  ['happiness', 20],
] as const;

/** Regular teams: a manager and 5-15 reports. */
export const TEAM_MIN = 5;
export const TEAM_MAX = 15;
/** Big teams: 300-400 reports, one per this many people (at least one). The first has exactly 400. */
export const BIG_TEAM_MIN = 300;
export const BIG_TEAM_MAX = 400;
export const PEOPLE_PER_BIG_TEAM = 30_000;

export const FINISHED_CHECKIN_SHARE = 0.2;
export const OPEN_CHECKIN_SHARE = 0.01;
export const PAUSED_SHARE = 0.01;

export interface Person {
  userId: string;
  frameworkId: string;
  levelId: string;
  since: IsoDate;
  managerId: string | null;
  /** What Slack's users.info says; null: Slack has no zone for the person (the fake then answers New York). */
  tz: string | null;
  checkin: 'finished' | 'shared' | 'open-idle' | 'open-recent' | null;
  /** Paused with a return date before the benchmark's instant: the maintenance tick's work. */
  pausedUntil: IsoDate | null;
}

/** The people every measured request is made as. */
export interface Subjects {
  /** An individual contributor, in the team of `manager10`, with a finished check-in: `me`, `history`. */
  member: string;
  /** A manager with exactly 10 reports. */
  manager10: string;
  /** A manager with exactly 400 reports. */
  manager400: string;
  /** An individual contributor named in CAREER_ADMINS. */
  admin: string;
}

export interface Company {
  size: number;
  /** The day the company is as of: no `since` after it. */
  asOf: IsoDate;
  people: Person[];
  subjects: Subjects;
  /** Reports per manager, for the report. */
  managers: number;
  bigManagers: number;
}

export const userId = (i: number) => `U${String(i).padStart(9, '0')}`;

/**
 * Builds the company: people 0..size-1 in a breadth-first tree from person 0. Person 0's direct reports include
 * the big managers (persons 1..k) and the manager of exactly 10 (person k+1); every other manager, taken in the
 * order they joined the tree, gets 5-15 reports until everyone has a manager. The admin is the last person.
 */
export function buildCompany(size: number, catalog: Catalog, asOf: IsoDate): Company {
  if (!Number.isInteger(size) || size < 500) throw new Error(`a company needs at least 500 people, not ${size}`);
  const rand = random(0x5ca1e + size);
  const bigCount = Math.max(1, Math.round(size / PEOPLE_PER_BIG_TEAM));
  const manager10 = bigCount + 1;
  const admin = size - 1;
  const managerOf = new Array<number | null>(size).fill(null);
  const reportsOf = new Map<number, number>();
  const queue: number[] = [0];
  let next = 1;
  // Person 0's team first: the big managers and the manager of ten are among its reports.
  while (next < size && queue.length > 0) {
    const m = queue.shift() as number;
    const isBig = m >= 1 && m <= bigCount;
    // The big teams and the team of ten are individual contributors: they never manage anyone.
    const leaves = isBig || m === manager10;
    let k: number;
    if (m === 0) k = Math.max(bigCount + 1, TEAM_MIN + Math.floor(rand() * (TEAM_MAX - TEAM_MIN + 1)));
    else if (m === manager10) k = 10;
    else if (m === 1) k = BIG_TEAM_MAX;
    else if (isBig) k = BIG_TEAM_MIN + Math.floor(rand() * (BIG_TEAM_MAX - BIG_TEAM_MIN + 1));
    else k = TEAM_MIN + Math.floor(rand() * (TEAM_MAX - TEAM_MIN + 1));
    // The admin is nobody's manager; keep them out of the tree's managers, and last.
    k = Math.min(k, admin - next);
    if (k <= 0) break;
    // NOTE: near the end, the last manager may get fewer than TEAM_MIN: what is left.
    for (let r = 0; r < k; r++) {
      const p = next++;
      managerOf[p] = m;
      if (!leaves) queue.push(p);
    }
    reportsOf.set(m, k);
  }
  // Whoever is left (at most the admin and a few) reports to person 0.
  for (let p = next; p < size; p++) {
    managerOf[p] = 0;
    reportsOf.set(0, (reportsOf.get(0) ?? 0) + 1);
  }

  const byFramework = new Map(
    catalog.frameworks.map((f) => [f.id, f.levels.map((l, i) => [l.id, 1 / (1 + i)] as const)] as const),
  );
  const people: Person[] = [];
  for (let i = 0; i < size; i++) {
    const frameworkId = i === admin ? 'happiness' : pick(rand, FRAMEWORK_SHARES);
    const levels = byFramework.get(frameworkId);
    if (!levels) throw new Error(`the catalog has no framework ${frameworkId}`);
    // Squared: more recent dates than old ones, as in a growing company.
    const since = addDays(asOf, -Math.floor(rand() ** 2 * 5 * 365) - 1);
    const draw = rand();
    let checkin: Person['checkin'] = null;
    if (draw < FINISHED_CHECKIN_SHARE) checkin = draw < FINISHED_CHECKIN_SHARE / 2 ? 'shared' : 'finished';
    else if (draw < FINISHED_CHECKIN_SHARE + OPEN_CHECKIN_SHARE)
      checkin = draw < FINISHED_CHECKIN_SHARE + OPEN_CHECKIN_SHARE / 2 ? 'open-idle' : 'open-recent';
    const manager = managerOf[i];
    people.push({
      userId: userId(i),
      frameworkId,
      levelId: pick(rand, levels),
      since,
      managerId: manager === null || manager === undefined ? null : userId(manager),
      tz: pick(rand, ZONES),
      checkin,
      pausedUntil: null,
    });
  }
  // The subjects' records are fixed, whatever the draw gave them.
  const member = firstReport(managerOf, manager10);
  const subject = people[member] as Person;
  subject.checkin = 'shared';
  (people[admin] as Person).checkin = null;
  // Paused people: every 1/PAUSED_SHARE-th, never a subject or a manager (a manager's pause would change no figure).
  const stride = Math.round(1 / PAUSED_SHARE);
  for (let i = stride - 1; i < size; i += stride) {
    const p = people[i] as Person;
    if (reportsOf.has(i) || i === member || i === admin) continue;
    p.pausedUntil = addDays(asOf, -1 - (i % 20));
    if (p.checkin?.startsWith('open')) p.checkin = null;
    if (p.since >= addDays(asOf, -40)) p.since = addDays(asOf, -60);
  }
  const regular = [...reportsOf.keys()].filter((m) => m < 1 || m > bigCount);
  return {
    size,
    asOf,
    people,
    subjects: { member: userId(member), manager10: userId(manager10), manager400: userId(1), admin: userId(admin) },
    managers: regular.length + bigCount,
    bigManagers: bigCount,
  };
}

function firstReport(managerOf: readonly (number | null)[], manager: number): number {
  const i = managerOf.indexOf(manager);
  if (i < 0) throw new Error(`person ${manager} has no reports`);
  return i;
}

/** The company as the stores' batch import takes it. */
export function importRows(company: Company): ImportRow[] {
  return company.people.map((p) => ({
    teamId: TEAM_ID,
    userId: p.userId,
    frameworkId: p.frameworkId,
    levelId: p.levelId,
    since: p.since,
    managerId: p.managerId,
  }));
}

/** Reports per manager, counted from the people (what the shape test checks). */
export function teamSizes(company: Company): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const p of company.people) {
    if (p.managerId !== null) sizes.set(p.managerId, (sizes.get(p.managerId) ?? 0) + 1);
  }
  return sizes;
}
