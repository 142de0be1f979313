/**
 * Messages between the load benchmark (bench/load/load.ts, the parent, which runs autocannon) and the processes it
 * forks (bench/load/serve.ts): a fake Slack Web API, the real Ripple app, or a bare Bolt app. Each child runs in its
 * own process so that its CPU time (process.cpuUsage) is its own and nobody else's.
 */

/** The caller of every benchmarked command: has a record, so `/career me` shows a card. */
export const CALLER = { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Archer', tz: 'Europe/Paris' };

export type Role = 'fake' | 'ripple' | 'bare';

/** What the parent tells a child at start, as JSON in argv[2]. */
export interface ServeOptions {
  role: Role;
  /** ripple / bare: the fake Slack Web API to call (bench/load/serve.ts in the `fake` role). */
  apiUrl?: string;
  /** ripple: the SQLite file (a fresh one in a temporary folder), used when there is no databaseUrl. */
  databasePath?: string;
  /** ripple: a postgres:// URL (a fresh database on the benchmark's throwaway server): Ripple runs on PostgreSQL. */
  databaseUrl?: string;
  /** ripple / bare: the signing secret the server checks requests against. */
  signingSecret?: string;
  /** fake: how many response_url to issue for the parent to cycle through. */
  responseUrls?: number;
  /** fake: also knows every person of the scale benchmark's company of this size (bench/scale/company.ts). */
  company?: { size: number; asOf: string };
}

export interface Ready {
  type: 'ready';
  /** ripple / bare: http://127.0.0.1:PORT */
  origin?: string;
  /** fake */
  apiUrl?: string;
  teamId?: string;
  teamDomain?: string;
  appId?: string;
  responseUrls?: string[];
}

/** Counters since the last snapshot, and this process's CPU time so far. */
export interface Snapshot {
  type: 'snapshot';
  id: number;
  /** process.cpuUsage() in microseconds, cumulative since the process started. */
  cpu: { user: number; system: number };
  /** performance.now() of the child when the snapshot was taken. */
  at: number;
  /** ripple / bare: errors the app logged since the last snapshot. */
  loggedErrors: number;
  /** ripple / bare: a few of them, for the report. */
  errorSamples: string[];
  /** fake: POSTs to a response_url since the last snapshot, and how many of them carried text or blocks. */
  responses?: number;
  nonEmptyResponses?: number;
  /** fake: Web API calls since the last snapshot, by method, and how many answered ok:false or non-200. */
  calls?: Record<string, number>;
  failedCalls?: number;
  /** fake: response_url posts that said the database was busy. */
  busyResponses?: number;
  /** fake: the last response_url body seen, cut short, to check it is the reply we expect. */
  lastResponse?: string;
}

export type ToChild = { type: 'snapshot'; id: number } | { type: 'stop' };
export type FromChild = Ready | Snapshot | { type: 'stopped' } | { type: 'failed'; error: string };
