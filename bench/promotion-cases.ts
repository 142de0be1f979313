/**
 * Promotion cases at scale, on a SQLite file as Ripple runs it (WAL, one connection): three decided cases a person and
 * a draft for every second person, half of them older than 14 days. Times, as the store runs them (better-sqlite3
 * holds the event loop that long): one maintenance batch of draft expiry (DRAFT_EXPIRY_BATCH drafts expired and their
 * proposers' notices kept in the outbox, one transaction), beside the same without `promotion_cases_drafts`;
 * `/career team`'s open-case check for 150 reports (`openAmong`); Withdraw (one guarded statement).
 *
 *   npx tsx bench/promotion-cases.ts [teammates ...]     (default 10000 100000)
 */
import { openDatabase } from '../src/db/migrate.js';
import { draftExpiryCutOff } from '../src/promotions/rules.js';
import { DRAFT_EXPIRY_BATCH } from '../src/scheduler/maintenance.js';
import { createStores } from '../src/store/index.js';
import { benchUserId, forEachSize, show, type Timing, timed } from './timing.js';

const TEAM = 'T0BENCH';
const DECIDED_A_PERSON = 3;
const ROUNDS = 20;
const NOW = Date.UTC(2026, 11, 4);
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();

function build(path: string, size: number) {
  const db = openDatabase(path);
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(TEAM);
    const person = db.prepare(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, status, created_at,
         updated_at, change_seq) VALUES (?, ?, 'marketing', 'level-2', '2025-01-15', ?, 'active', 'x', 'x', 1)`,
    );
    const decided = db.prepare(
      `INSERT INTO promotion_cases (team_id, user_id, proposed_by, framework_id, from_level_id, to_level_id, status,
         created_at, sent_at, decided_by, decided_at) VALUES (?, ?, ?, 'marketing', 'level-1', 'level-2', 'declined',
         ?, ?, ?, ?)`,
    );
    const draft = db.prepare(
      `INSERT INTO promotion_cases (team_id, user_id, proposed_by, framework_id, from_level_id, to_level_id, status,
         created_at) VALUES (?, ?, ?, 'marketing', 'level-2', 'level-3', 'draft', ?)`,
    );
    for (let i = 0; i < size; i++) {
      const manager = benchUserId(size + Math.floor(i / 150));
      person.run(TEAM, benchUserId(i), manager);
      for (let k = 0; k < DECIDED_A_PERSON; k++) {
        const at = iso(NOW - (400 + k * 100 + (i % 50)) * DAY);
        decided.run(TEAM, benchUserId(i), manager, at, at, 'U0ADMIN', at);
      }
      // Every second person has a draft; half of those are past the 14 days.
      if (i % 2 === 0) draft.run(TEAM, benchUserId(i), manager, iso(NOW - (i % 4 === 0 ? 30 : 3) * DAY));
    }
  })();
  return db;
}

const notice = { text: 'expired', blocks: [] };
const time = (run: () => Promise<unknown> | unknown, rounds = ROUNDS) => timed(run, { rounds, warmUp: false });
const line = (what: string, t: Timing) => show(what, t, 62);

await forEachSize('cases', [10_000, 100_000], async (path, size) => {
  const db = build(path, size);
  db.exec('ANALYZE');
  const stores = createStores(db);
  const cases = (db.prepare('SELECT count(*) AS n FROM promotion_cases').get() as { n: number }).n;
  console.log(`${size} teammates, ${cases} cases (${Math.ceil(size / 2)} drafts, half past 14 days):`);
  const before = draftExpiryCutOff(new Date(NOW));
  const expireBatch = () =>
    stores.unitOfWork.run(async (repos) => {
      for (const c of await repos.promotions.expireDrafts(before, iso(NOW), DRAFT_EXPIRY_BATCH))
        await repos.outbox.enqueue(
          { teamId: c.teamId, userId: c.proposedBy, kind: 'dm', messages: [notice] },
          iso(NOW),
          iso(NOW),
        );
    });
  line(`expire ${DRAFT_EXPIRY_BATCH} drafts + their notices (one transaction)`, await time(expireBatch));
  const reports = Array.from({ length: 150 }, (_, i) => benchUserId(i));
  line(
    '/career team: which of 150 reports have an open case',
    await time(() => stores.promotions.openAmong(TEAM, reports)),
  );
  // Open drafts (the recent ones, not expired): each round withdraws one.
  const open = (
    db.prepare("SELECT id FROM promotion_cases WHERE status = 'draft' ORDER BY id DESC LIMIT ?").all(ROUNDS) as {
      id: number;
    }[]
  ).map((r) => r.id);
  let w = 0;
  const withdrawOne = async () => {
    const done = await stores.promotions.withdraw(TEAM, open[w++ % open.length] ?? 0, 'U0M', iso(NOW));
    if (!done) throw new Error('the bench withdrew nothing');
  };
  line('Withdraw (one guarded statement)', await time(withdrawOne));
  db.exec('DROP INDEX promotion_cases_drafts');
  line(`  expire ${DRAFT_EXPIRY_BATCH} drafts without promotion_cases_drafts`, await time(expireBatch, 5));
  db.close();
});
