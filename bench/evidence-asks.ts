/**
 * "Ask for an example" at scale, on a SQLite file as Ripple runs it (WAL, one connection): a year of asks, ten a
 * person, most of them closed, a few open and due. Times, as the store runs them (better-sqlite3 holds the event loop
 * that long): a person's `/career asks` (20 newest), opening an ask (the one-open-ask check is the insert), and one
 * statement of each maintenance step (close 500 due asks, delete 500 closed 30+ days ago), beside the same step
 * without its partial index (`evidence_asks_open_by_due`, `evidence_asks_closed`).
 *
 *   npx tsx bench/evidence-asks.ts [teammates ...]     (default 10000 100000)
 */
import { openDatabase } from '../src/db/migrate.js';
import { ASK_BATCH, PRUNE_BATCH } from '../src/scheduler/maintenance.js';
import { createStores } from '../src/store/index.js';
import { benchUserId, forEachSize, show, type Timing, timed } from './timing.js';

const TEAM = 'T0BENCH';
const ASKS_A_PERSON = 10;
const ROUNDS = 50;
/** The bench's "now": the year of asks ends here. */
const NOW = Date.UTC(2026, 11, 4);

const iso = (ms: number) => new Date(ms).toISOString();

function build(path: string, size: number) {
  const db = openDatabase(path);
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(TEAM);
    const person = db.prepare(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, status, created_at, updated_at, change_seq)
       VALUES (?, ?, 'marketing', 'level-2', '2025-01-15', 'active', 'x', 'x', 1)`,
    );
    const ask = db.prepare(
      `INSERT INTO evidence_asks (team_id, user_id, colleague_id, framework_id, level_id, expectation_id, status,
         answer, created_at, due_at, closed_at) VALUES (?, ?, ?, 'marketing', 'level-3', ?, ?, NULL, ?, ?, ?)`,
    );
    for (let i = 0; i < size; i++) {
      person.run(TEAM, benchUserId(i), []);
      for (let k = 0; k < ASKS_A_PERSON; k++) {
        // Spread over the year; the person's last ask is still open (due within the next two weeks, or just past).
        const created = NOW - ((ASKS_A_PERSON - k) * 36 + (i % 30)) * 86_400_000;
        const open = k === ASKS_A_PERSON - 1;
        const due = created + 14 * 86_400_000;
        const madeRecently = NOW - (i % 30) * 86_400_000 + 20 * 86_400_000;
        ask.run(
          TEAM,
          benchUserId(i),
          benchUserId((i + k + 1) % size),
          `expectation-${k}`,
          open ? 'asked' : 'expired',
          iso(open ? madeRecently - 14 * 86_400_000 : created),
          iso(open ? madeRecently : due),
          open ? null : iso(due),
        );
      }
    }
  })();
  return db;
}

const time = (run: () => Promise<unknown> | unknown, rounds = ROUNDS) => timed(run, { rounds, warmUp: false });
const line = (what: string, t: Timing) => show(what, t, 62);

await forEachSize('asks', [10_000, 100_000], async (path, size) => {
  const db = build(path, size);
  db.exec('ANALYZE');
  const stores = createStores(db);
  const due = db.prepare('SELECT count(*) AS n FROM evidence_asks WHERE closed_at IS NULL AND due_at <= ?');
  console.log(
    `${size} teammates, ${size * ASKS_A_PERSON} asks (${size} open, ${(due.get(iso(NOW)) as { n: number }).n} due):`,
  );
  let n = 0;
  line(
    '/career asks: one person’s 20 newest',
    await time(() => stores.evidenceAsks.page(TEAM, benchUserId(n++ % size), 20)),
  );
  let k = 0;
  line(
    'open an ask (the one-open-ask check is the insert)',
    await time(() =>
      stores.evidenceAsks.open({
        teamId: TEAM,
        userId: benchUserId(k % size),
        colleagueId: benchUserId((k + 7) % size),
        frameworkId: 'marketing',
        target: { levelId: 'level-3', expectationId: `bench-${k++}` },
        at: iso(NOW),
        dueAt: iso(NOW + 14 * 86_400_000),
      }),
    ),
  );
  const cutOff = iso(NOW - 30 * 86_400_000);
  // Each statement of the maintenance job, on a copy of the data so every round finds a full batch.
  const steps: [string, () => unknown][] = [];
  for (const batch of [PRUNE_BATCH, ASK_BATCH]) {
    steps.push(
      [`close ${batch} due asks (one statement)`, () => stores.evidenceAsks.closeDue(iso(NOW), batch)],
      [`delete ${batch} closed 30+ days ago (one statement)`, () => stores.evidenceAsks.pruneClosed(cutOff, batch)],
    );
  }
  for (const [what, run] of steps) {
    db.exec('BEGIN');
    line(what, await time(run, 5));
    db.exec('ROLLBACK');
  }
  for (const [index, step] of [
    ['evidence_asks_open_by_due', 2],
    ['evidence_asks_closed', 3],
  ] as const) {
    const [what, run] = steps[step] as [string, () => unknown];
    db.exec('BEGIN');
    db.exec(`DROP INDEX ${index}`);
    line(`  ${what} without ${index}`, await time(run, 5));
    db.exec('ROLLBACK');
  }
  db.close();
});
