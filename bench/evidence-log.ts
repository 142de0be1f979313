/**
 * What `/career evidence` reads (issue 17), on a SQLite file as Ripple runs it (WAL, one connection): the person's
 * record, one grouped count of their log and one page of it (src/evidence/service.ts `listEvidence`), at several
 * sizes of the person's own log, in a table that also holds 1,000 colleagues' logs of 100 entries each. Timed as
 * the service runs it (better-sqlite3 holds the event loop that long), beside reading the person's whole log and
 * grouping it (what a list without pages would cost).
 *
 *   npx tsx bench/evidence-log.ts [entries ...]     (default 100 1000 10000)
 */
import { openDatabase } from '../src/db/migrate.js';
import { groupByExpectation } from '../src/evidence/rules.js';
import { expectationChoices, listEvidence } from '../src/evidence/service.js';
import { Catalog } from '../src/frameworks/catalog.js';
import { loadFrameworks } from '../src/frameworks/load.js';
import { entriesPerPage } from '../src/slack/blocks/evidence.js';
import { createStores } from '../src/store/index.js';
import { forEachSize, show, type Timing, timed } from './timing.js';

const TEAM = 'T0BENCH';
const ME = 'U0BENCHME1';
const COLLEAGUES = 1_000;
const EACH = 100;
const ROUNDS = 50;

const catalog = new Catalog(loadFrameworks('frameworks'));
const framework = catalog.get('marketing');
if (!framework) throw new Error('bench/evidence-log.ts needs frameworks/marketing.yml');
const choices = expectationChoices(framework, { levelId: 'level-2' });

function build(path: string, mine: number) {
  const db = openDatabase(path);
  db.transaction(() => {
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(TEAM);
    const person = db.prepare(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, status, created_at, updated_at, change_seq)
       VALUES (?, ?, 'marketing', 'level-2', '2025-01-15', 'active', 'x', 'x', 1)`,
    );
    const entry = db.prepare(
      `INSERT INTO evidence (team_id, user_id, source, text, framework_id, level_id, expectation_id, created_at,
         updated_at) VALUES (?, ?, 'win', ?, 'marketing', ?, ?, ?, ?)`,
    );
    const fill = (user: string, n: number) => {
      person.run(TEAM, user);
      for (let i = 0; i < n; i++) {
        // A third for no particular expectation; the rest spread over the choices.
        const choice = i % 3 === 0 ? undefined : choices[i % choices.length];
        const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
        entry.run(
          TEAM,
          user,
          `Win ${i}: shipped a thing`,
          choice?.levelId ?? null,
          choice?.expectationId ?? null,
          at,
          at,
        );
      }
    };
    for (let c = 0; c < COLLEAGUES; c++) fill(`U0C${String(c).padStart(7, '0')}`, EACH);
    fill(ME, mine);
  })();
  return db;
}

const time = (run: () => Promise<unknown> | unknown, rounds = ROUNDS) => timed(run, { rounds, warmUp: true });
const line = (what: string, t: Timing) => show(what, t, 58);

await forEachSize('evidence-log', [100, 1_000, 10_000], async (path, size) => {
  const db = build(path, size);
  const stores = createStores(db);
  const deps = { unitOfWork: stores.unitOfWork, repos: stores, catalog, clock: { now: () => new Date() } };
  const caller = { teamId: TEAM, userId: ME };
  console.log(`${size} entries of one person's (${COLLEAGUES * EACH} of colleagues' in the same table):`);
  line(
    `/career evidence, first page (${entriesPerPage(choices.length)} entries)`,
    await time(() => listEvidence(deps, caller, { perPage: entriesPerPage })),
  );
  const first = await listEvidence(deps, caller, { perPage: entriesPerPage });
  const after = first.kind === 'page' ? first.page.next : null;
  line(
    '  the next page (Show older)',
    await time(() => listEvidence(deps, caller, { perPage: entriesPerPage, after })),
  );
  line(
    '  the whole log read and grouped (no pages)',
    await time(async () => groupByExpectation(await stores.evidence.all(TEAM, ME), choices)),
  );
  db.close();
});
