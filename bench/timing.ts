import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * What the stand-alone store benchmarks share (bench/admin-people.ts, evidence-log.ts, evidence-asks.ts,
 * promotion-cases.ts): the median and worst of a number of runs, printed one line each; their sizes, each on a
 * database file of its own; the ids of their synthetic people.
 */

export interface Timing {
  /** Median time of a run, in ms. */
  p50: number;
  /** Worst time of a run, in ms. */
  max: number;
}

/**
 * Median and worst time of `run` over `rounds` runs, in ms. `warmUp` runs it once first, untimed: only for a run that
 * reads, since a run that changes the data (an expiry batch) would leave less for the timed ones.
 */
export async function timed(
  run: () => Promise<unknown> | unknown,
  options: { rounds: number; warmUp: boolean },
): Promise<Timing> {
  if (options.warmUp) await run();
  const times: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? 0, max: times.at(-1) ?? 0 };
}

/** One line: what was timed, padded to `width`, then its median and worst. */
export function show(what: string, t: Timing, width: number): void {
  console.log(
    `  ${what.padEnd(width)} p50 ${t.p50.toFixed(3).padStart(8)} ms   max ${t.max.toFixed(3).padStart(8)} ms`,
  );
}

/** A synthetic Slack user id for the n-th person of a benchmark's company: `U0` and eight digits. */
export const benchUserId = (n: number) => `U0${String(n).padStart(8, '0')}`;

/**
 * Runs `measure` once for each size named on the command line (`npx tsx bench/x.ts 1000 100000`), or for `defaults`,
 * each with a database path in a temporary folder of its own, removed afterwards whatever happens.
 */
export async function forEachSize(
  name: string,
  defaults: readonly number[],
  measure: (path: string, size: number) => Promise<void>,
): Promise<void> {
  const named = process.argv.slice(2).map(Number).filter(Number.isFinite);
  for (const size of named.length > 0 ? named : defaults) {
    const dir = mkdtempSync(join(tmpdir(), `ripple-${name}-`));
    try {
      await measure(join(dir, 'ripple.db'), size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
