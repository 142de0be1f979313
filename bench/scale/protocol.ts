/**
 * Messages between the scale benchmark (bench/scale/scale.ts) and the Ripple process it forks (bench/scale/server.ts),
 * on top of the load benchmark's snapshot/stop protocol (bench/load/protocol.ts).
 */
import type { ToChild } from '../load/protocol.js';

/** The background jobs src/main.ts schedules, by the name the report uses. */
export const JOBS = ['maintenance', 'reminders', 'growth', 'expiry'] as const;
export type JobName = (typeof JOBS)[number];

export interface ScaleServerOptions {
  databasePath: string;
  apiUrl: string;
  signingSecret: string;
  /** CAREER_ADMINS: the company's admin. */
  admin: string;
  /** The domain clock's instant at start (ISO); it runs on from there. */
  now: string;
}

export type ScaleToChild = ToChild | { type: 'job'; id: number; job: JobName; at: string };

export interface JobDone {
  type: 'job-done';
  id: number;
  ms: number;
  cpuMs: number;
  /** What the job returned (its own report: digests sent, pauses settled...). */
  report: unknown;
  /** The job threw: its message. */
  failed?: string;
  /** Warnings the app logged during the job (a digest not delivered...), and a few of them. */
  warnings: number;
  warningSamples: string[];
  /** perf_hooks' event-loop delay histogram over the job, 5 ms resolution. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  loopDelayMeanMs: number;
}
