/**
 * The digest plan following the teammates change sequence (src/growth/tick.ts followRecordChanges), on a
 * SQLite file as Ripple runs it (WAL, one connection): the first walk of every record (a database whose
 * plan was never kept), a quiet tick, and a tick after a burst of changes. Reports each slice's time
 * (one transaction, the longest time the event loop is held) and the total.
 *
 *   npx tsx bench/digest-plan.ts [teammates ...]     (default 100000 1000000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/migrate.js';
import { CHANGE_SLICE, followRecordChanges, type GrowthTickDeps } from '../src/growth/tick.js';
import { createStores } from '../src/store/index.js';

const TEAM = 'T0BENCH';
/** One manager per 8 people, as bench/scale's companies. */
const SPAN = 8;
const BURST = 1_000;

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(8, '0')}`;

function build(path: string, size: number) {
  const db = openDatabase(path);
  const insert = db.prepare(
    `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, tz, tz_fetched_at, created_at,
       updated_at, change_seq) VALUES (?, ?, 'marketing', 'level-2', '2025-01-15', ?, ?, ?, 'x', 'x', 1)`,
  );
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(TEAM);
    for (let i = 0; i < size; i++) {
      const manager = i % SPAN === 0 ? null : id('U0', i - (i % SPAN));
      const zoned = i % 3 !== 0;
      insert.run(TEAM, id('U0', i), manager, zoned ? 'Europe/Paris' : null, zoned ? '2026-01-01T00:00:00.000Z' : null);
    }
  })();
  return db;
}

interface Pass {
  records: number;
  slices: number[];
  totalMs: number;
}

async function pass(deps: Pick<GrowthTickDeps, 'growth' | 'unitOfWork'>): Promise<Pass> {
  const slices: number[] = [];
  const timed: Pick<GrowthTickDeps, 'growth' | 'unitOfWork'> = {
    growth: deps.growth,
    unitOfWork: {
      run: async (work, options) => {
        const start = performance.now();
        try {
          return await deps.unitOfWork.run(work, options);
        } finally {
          slices.push(performance.now() - start);
        }
      },
    },
  };
  const start = performance.now();
  const records = await followRecordChanges(timed);
  return { records, slices, totalMs: performance.now() - start };
}

const show = (what: string, p: Pass) => {
  const sorted = [...p.slices].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : (sorted[Math.floor(q * (sorted.length - 1))] ?? 0));
  console.log(
    `  ${what.padEnd(34)} ${String(p.records).padStart(8)} records  ${String(p.slices.length).padStart(5)} slices` +
      `  slice p50 ${at(0.5).toFixed(2)} ms, max ${at(1).toFixed(2)} ms  total ${p.totalMs.toFixed(0)} ms`,
  );
};

const sizes = process.argv.slice(2).map(Number).filter(Number.isFinite);
for (const size of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-digest-plan-'));
  try {
    const db = build(join(dir, 'ripple.db'), size);
    const stores = createStores(db);
    console.log(`${size} teammates (${Math.ceil(size / SPAN)} managers), slices of ${CHANGE_SLICE}:`);
    show('first walk (plans every manager)', await pass(stores));
    show('quiet tick', await pass(stores));
    // A burst: BURST records changed in one unit (an import's batch), every 5th a manager's own zone.
    db.transaction(() => {
      const seq = (db.prepare('UPDATE change_counter SET seq = seq + 1 RETURNING seq').get() as { seq: number }).seq;
      const stamp = db.prepare(
        'UPDATE teammates SET change_seq = ?, tz = ?, tz_fetched_at = ? WHERE team_id = ? AND user_id = ?',
      );
      for (let i = 0; i < BURST; i++) {
        const n = (i * 97) % size;
        stamp.run(seq, n % 5 === 0 ? 'Asia/Tokyo' : 'Europe/Paris', '2026-02-01T00:00:00.000Z', TEAM, id('U0', n));
      }
    })();
    show(`after ${BURST} changes`, await pass(stores));
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
