/**
 * What `/career admin people` reads, on a SQLite file as Ripple runs it (WAL, one connection), at several company
 * sizes: the counts by team and status (teammate_counts, db/022), the check of one page of 200 Slack ids (one
 * statement), and the 20 latest shared check-ins waiting for ratings with their count (checkins_awaiting_ratings).
 * Each is timed as the store runs it (the event loop is held for that long: better-sqlite3 is synchronous) beside
 * what it would cost without db/022: the counts from the records themselves, and the waiting check-ins found by
 * walking every shared check-in newest first and probing its answers for a manager's.
 *
 * A fifth of the company has shared a check-in a year (one a person, each answered once); all but 30 of them were
 * rated by their manager, as in a database that is a year old.
 *
 *   npx tsx bench/admin-people.ts [teammates ...]     (default 10000 100000)
 */
import { openDatabase } from '../src/db/migrate.js';
import { AWAITING_COUNTED, AWAITING_SHOWN } from '../src/growth/people.js';
import { createStores } from '../src/store/index.js';
import { benchUserId, forEachSize, show, type Timing, timed } from './timing.js';

const TEAM = 'T0BENCH';
const WAITING = 30;
const ROUNDS = 50;

function build(path: string, size: number) {
  const db = openDatabase(path);
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(TEAM);
    const person = db.prepare(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, status, created_at, updated_at, change_seq)
       VALUES (?, ?, ?, 'level-2', '2025-01-15', ?, 'x', 'x', 1)`,
    );
    const text = db
      .prepare(
        `INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text)
         VALUES ('level-2', 2, 'Strategist', 'e', 'q') RETURNING id`,
      )
      .get() as { id: number };
    const checkin = db.prepare(
      `INSERT INTO checkins (team_id, user_id, framework_id, level_id, status, version, cursor, question_count,
         started_at, last_activity_at, finished_at, shared_at, shared_with, manager_rated_at)
       VALUES (?, ?, 'marketing', 'level-2', 'finished', 2, 1, 1, 'x', 'x', ?, ?, 'U0MANAGER', ?) RETURNING id`,
    );
    const question = db.prepare('INSERT INTO checkin_questions (checkin_id, position, question_id) VALUES (?, 0, ?)');
    const answer = db.prepare(
      `INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, 0, ?, 'sometimes', 'x')`,
    );
    const sharers = Math.floor(size / 5);
    for (let i = 0; i < size; i++) {
      const status = i % 40 === 0 ? 'paused' : i % 55 === 0 ? 'left' : 'active';
      person.run(TEAM, benchUserId(i), ['engineering', 'marketing', 'design', 'sales'][i % 4], status);
      if (i % 5 !== 0) continue;
      // Shared through the year in order; the last WAITING of them not rated yet.
      const k = i / 5;
      const at = new Date(Date.UTC(2026, 0, 1) + (k / sharers) * 365 * 86_400_000).toISOString();
      const waiting = k >= sharers - WAITING;
      const c = checkin.get(TEAM, benchUserId(i), at, at, waiting ? null : at) as { id: number };
      question.run(c.id, text.id);
      answer.run(c.id, 'self');
      if (!waiting) answer.run(c.id, 'manager');
    }
    // As db/022 fills it for an existing database; the store keeps it from then on.
    db.prepare(
      `INSERT INTO teammate_counts (team_id, framework_id, status, n)
       SELECT team_id, framework_id, status, count(*) FROM teammates GROUP BY team_id, framework_id, status`,
    ).run();
  })();
  return db;
}

const time = (run: () => Promise<unknown> | unknown, rounds = ROUNDS) => timed(run, { rounds, warmUp: true });
const line = (what: string, t: Timing) => show(what, t, 58);

await forEachSize('admin-people', [10_000, 100_000], async (path, size) => {
  const db = build(path, size);
  const stores = createStores(db);
  console.log(`${size} teammates, ${size / 5} shared check-ins (${WAITING} waiting for ratings):`);
  line('counts by team and status (teammate_counts)', await time(() => stores.teammates.census(TEAM)));
  const fromRecords = db.prepare(
    'SELECT framework_id, status, count(*) AS n FROM teammates WHERE team_id = ? GROUP BY framework_id, status',
  );
  line('  the same counted from the records (before db/022)', await time(() => fromRecords.all(TEAM)));
  const page = Array.from({ length: 200 }, (_, i) => benchUserId((i * 7919) % (size * 2)));
  line('one page of 200 Slack ids checked (one statement)', await time(() => stores.teammates.withRecords(TEAM, page)));
  line(
    `waiting ratings: ${AWAITING_SHOWN} shown, counted up to ${AWAITING_COUNTED}`,
    await time(() => stores.checkins.awaitingRatings(TEAM, AWAITING_SHOWN, AWAITING_COUNTED)),
  );
  // Before db/022: "waiting" is a shared check-in with no manager answer, found by walking them all.
  const walk = db.prepare(
    `SELECT id, user_id, shared_with, shared_at FROM checkins c WHERE team_id = ? AND shared_with IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM checkin_answers a WHERE a.checkin_id = c.id AND a.rater = 'manager')
     ORDER BY shared_at DESC, id DESC LIMIT ?`,
  );
  const count = db.prepare(
    `SELECT count(*) AS n FROM checkins c WHERE team_id = ? AND shared_with IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM checkin_answers a WHERE a.checkin_id = c.id AND a.rater = 'manager')`,
  );
  line(
    '  the same by walking shared check-ins (before db/022)',
    await time(() => [walk.all(TEAM, AWAITING_SHOWN), count.get(TEAM)]),
  );
  db.close();
});
