import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runImportCommand } from '../../src/bulk/import-command.js';
import { createProgress, formatDuration } from '../../src/bulk/progress.js';
import { openDatabase } from '../../src/db/migrate.js';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { createStores, type TeammateRecord } from '../../src/store/index.js';
import { snapshot } from '../support/db.js';

/**
 * The import written in batches: what a stopped import leaves and how --resume finishes it,
 * --no-lookup, the time zones it stores, and its progress and estimates. The import into the
 * database of a running app is test/bulk/live-import.test.ts.
 */

const TEAM = 'T0TEAM0001';
const pad = (n: number) => String(n).padStart(10, '0');
const idOf = (n: number) => `U${pad(n)}`;
const HEADER = 'user,framework,level,since,manager';

/** `count` people; everyone but the first reports to the first. */
function people(count: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= count; i++)
    lines.push(`${idOf(i)},marketing,${(i % 5) + 1},2024-01-15,${i === 1 ? '' : idOf(1)}`);
  return `${lines.join('\n')}\n`;
}

let dir: string;
let slack: FakeSlackApi;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ripple-batches-'));
  slack = await FakeSlackApi.start();
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => slack.reset());

let n = 0;
/** A fresh, migrated database file. */
function freshDatabase(): string {
  const path = join(dir, `career-${++n}.db`);
  openDatabase(path).close();
  return path;
}

function csvFile(text: string, name = 'people.csv'): string {
  const path = join(dir, `${n}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** Without a bot token: ids on trust, for --team. */
const offline = (databasePath: string): NodeJS.ProcessEnv => ({ DATABASE_PATH: databasePath });
const withSlack = (databasePath: string): NodeJS.ProcessEnv => ({
  DATABASE_PATH: databasePath,
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_API_URL: slack.apiUrl,
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const out = (add: (s: string) => void) => ({ write: (s: string) => add(s), isTTY: false });
  const code = await runImportCommand(args, {
    env,
    stdout: out((s) => {
      stdout += s;
    }),
    stderr: out((s) => {
      stderr += s;
    }),
  });
  return { code, stdout, stderr };
}

async function withDb<T>(path: string, read: (db: Database.Database) => T | Promise<T>): Promise<T> {
  const db = new Database(path);
  try {
    return await read(db);
  } finally {
    db.close();
  }
}

const records = (path: string, team = TEAM): Promise<TeammateRecord[]> =>
  withDb(path, async (db) => await createStores(db).teammates.listAll(team));
/** History rows per field, and per person, without ids and times: what two imports must agree on. */
const history = (path: string) =>
  withDb(path, (db) =>
    db
      .prepare('SELECT user_id, field, from_value, to_value, changed_by FROM teammate_history ORDER BY user_id, field')
      .all(),
  );
const comparable = (r: TeammateRecord) => ({ ...r, createdAt: undefined, updatedAt: undefined });

describe('an import that stops part-way', () => {
  it('keeps the batches written, refuses another import, and --resume finishes it exactly once', async () => {
    const db = freshDatabase();
    const file = csvFile(people(1000));
    // The disk "fills" at row 450: the 5th batch of 100 fails, the 4 before it are committed.
    await withDb(db, (d) =>
      d.exec(`CREATE TRIGGER fail_450 BEFORE INSERT ON teammates WHEN NEW.user_id = '${idOf(450)}'
              BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`),
    );

    const failed = await run([file, '--team', TEAM, '--batch-size', '100'], offline(db));

    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(
      'import: the import stopped after 400 of 1000 rows (disk I/O error). The 400 rows written are kept and the other 600 are saved in the database: run "npm run import -- --resume" to write them (no file and no Slack lookups needed)',
    );
    expect(await records(db)).toHaveLength(400);
    expect(await withDb(db, (d) => d.prepare('SELECT count(*) AS n FROM import_rows').get())).toEqual({ n: 600 });

    // Another import waits for this one: nothing of it is written.
    const before = await withDb(db, snapshot);
    const other = await run([csvFile(people(3), 'other.csv'), '--team', TEAM], offline(db));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^import: the import of \d+-people\.csv started \S+ stopped after 400 of 1000 rows: finish it first with "npm run import -- --resume" \(nothing else was changed\)\n$/m,
    );
    expect(await withDb(db, snapshot)).toEqual(before);

    // The disk has room again: --resume writes the other 600, without the file.
    await withDb(db, (d) => d.exec('DROP TRIGGER fail_450'));
    const resumed = await run(['--resume', '--batch-size', '100'], offline(db));
    expect(resumed.stderr).toMatch(
      /^Resuming the import of \d+-people\.csv started \S+: 400 of 1000 rows were written\.\n/,
    );
    expect(resumed.stderr).toContain('Writing teammates: 600 rows in 6 batches of at most 100');
    expect(resumed).toMatchObject({ code: 0, stdout: 'Imported 1000 teammates (1000 new, 0 updated, 0 unchanged).\n' });

    // The same as one import that never stopped: every record, and each change recorded once.
    const clean = freshDatabase();
    expect((await run([file, '--team', TEAM], offline(clean))).code).toBe(0);
    expect((await records(db)).map(comparable)).toEqual((await records(clean)).map(comparable));
    expect(await history(db)).toEqual(await history(clean));
    expect(await withDb(db, (d) => d.prepare('SELECT count(*) AS n FROM import_rows').get())).toEqual({ n: 0 });
    expect(await withDb(db, (d) => d.prepare('SELECT status, done, total, created FROM imports').all())).toEqual([
      { status: 'done', done: 1000, total: 1000, created: 1000 },
    ]);

    // Nothing left to resume.
    expect(await run(['--resume'], offline(db))).toEqual({
      code: 0,
      stdout: 'No import is unfinished: nothing to resume.\n',
      stderr: '',
    });
  });

  it('one that fails while being prepared leaves the database exactly as it was', async () => {
    const db = freshDatabase();
    const before = await withDb(db, snapshot);
    await withDb(db, (d) =>
      d.exec(`CREATE TRIGGER fail_stage BEFORE INSERT ON import_rows WHEN NEW.seq = 1500
              BEGIN SELECT RAISE(ABORT, 'disk full'); END`),
    );
    const withTrigger = await withDb(db, snapshot);

    const result = await run([csvFile(people(2000)), '--team', TEAM], offline(db));

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'SLACK_BOT_TOKEN is not set: user ids are imported without checking them in Slack.\n' +
        'import: the import could not be prepared, nothing was imported: disk full\n',
    });
    expect(await withDb(db, snapshot)).toEqual(withTrigger);
    await withDb(db, (d) => d.exec('DROP TRIGGER fail_stage'));
    expect(await withDb(db, snapshot)).toEqual(before);
  });

  it('one whose process died while preparing is cleared by --resume, which says to run it again', async () => {
    const db = freshDatabase();
    const before = await withDb(db, snapshot);
    // What a killed process leaves: an import in 'staging' with part of its rows.
    await withDb(db, async (d) => {
      const { imports } = createStores(d);
      const run = await imports.begin({
        teamId: TEAM,
        file: 'people.csv',
        changedBy: 'import:people.csv',
        at: '2026-03-01T10:00:00.000Z',
        total: 3000,
      });
      const change = (i: number) => ({
        change: { teamId: TEAM, userId: idOf(i), frameworkId: 'marketing', levelId: 'level-1', since: '2024-01-15' },
      });
      await imports.stage(
        run.id,
        0,
        Array.from({ length: 2500 }, (_, i) => change(i + 1)),
      );
    });

    const result = await run(['--resume'], offline(db));

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'import: the import of people.csv started 2026-03-01T10:00:00.000Z stopped before writing any teammate: nothing of it was imported, and what it had prepared is removed. Run it again.\n',
    });
    expect(await withDb(db, snapshot)).toEqual(before);
  });

  it('--resume without a database says so and creates none', async () => {
    const path = join(dir, 'none.db');
    expect(await run(['--resume'], offline(path))).toEqual({
      code: 1,
      stdout: '',
      stderr: `import: there is no database at ${path} (DATABASE_PATH): nothing to resume\n`,
    });
    expect(await run(['--resume', 'people.csv'], offline(path))).toMatchObject({ code: 2 });
  });

  it('--batch-size must be a whole number from 1 to 5000', async () => {
    for (const size of ['0', '5001', 'ten', '2.5']) {
      const result = await run([csvFile(people(2)), '--team', TEAM, '--batch-size', size], offline(freshDatabase()));
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `import: --batch-size "${size}" must be a whole number from 1 to 5000\n`,
      });
    }
  });
});

describe('lookups', () => {
  it('store each person’s Slack time zone, and a manager’s when they have a record', async () => {
    const db = freshDatabase();
    slack.addUser({ id: idOf(1), name: 'one', tz: 'Asia/Tokyo' });
    slack.addUser({ id: idOf(2), name: 'two', tz: 'Europe/Lisbon', email: 'two@example.com' });
    slack.addUser({ id: idOf(3), name: 'three', tz: 'America/Adak' });
    slack.addUser({ id: 'U0BOSS0001', name: 'boss', tz: 'Pacific/Kiritimati' });
    // The boss already has a record; the import names them only as a manager.
    await withDb(
      db,
      async (d) =>
        await createStores(d).teammates.upsert({
          teamId: slack.teamId,
          userId: 'U0BOSS0001',
          frameworkId: 'marketing',
          levelId: 'level-5',
          since: '2020-01-01',
          changedBy: 'U0ADMIN001',
          at: '2026-01-01T00:00:00.000Z',
        }),
    );
    const file = csvFile(
      `${HEADER}\n${idOf(1)},marketing,1,2024-01-15,U0BOSS0001\ntwo@example.com,marketing,2,2024-01-15,${idOf(1)}\n${idOf(3)},marketing,2,2024-01-15,U0BOSS0001\n`,
    );

    const result = await run([file], withSlack(db));

    expect(result.code).toBe(0);
    const zones = Object.fromEntries((await records(db, slack.teamId)).map((r) => [r.userId, r.tz]));
    expect(zones).toEqual({
      [idOf(1)]: 'Asia/Tokyo',
      [idOf(2)]: 'Europe/Lisbon',
      [idOf(3)]: 'America/Adak',
      U0BOSS0001: 'Pacific/Kiritimati',
    });
    for (const r of await records(db, slack.teamId)) expect(r.tzFetchedAt).not.toBeNull();
    // Each person looked up once: auth.test, then 4 people.
    expect(slack.calls.map((c) => c.method).sort()).toEqual([
      'auth.test',
      'users.info',
      'users.info',
      'users.info',
      'users.lookupByEmail',
    ]);
  });

  it('--no-lookup takes ids on trust with one auth.test, stores no zone, and refuses emails', async () => {
    const db = freshDatabase();
    const file = csvFile(
      `${HEADER}\n${idOf(7)},marketing,1,2024-01-15,\n${idOf(8)},marketing,2,2024-01-15,${idOf(7)}\n`,
    );

    const result = await run([file, '--no-lookup'], withSlack(db));

    expect(result).toEqual({
      code: 0,
      stdout: 'Imported 2 teammates (2 new, 0 updated, 0 unchanged).\n',
      stderr: expect.stringMatching(
        /^--no-lookup: user ids are imported without checking them in Slack, and no time zone is stored\.\nWriting teammates: 2 rows in 1 batch of at most 250, \d+\.\d s\n$/,
      ),
    });
    expect(slack.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect((await records(db, slack.teamId)).map((r) => [r.userId, r.tz])).toEqual([
      [idOf(7), null],
      [idOf(8), null],
    ]);

    const emails = await run(
      [csvFile(`${HEADER}\nsomeone@example.com,marketing,1,2024-01-15,\n`), '--no-lookup'],
      withSlack(db),
    );
    expect(emails.code).toBe(1);
    expect(emails.stderr).toContain(
      'line 2: user "someone@example.com": emails are looked up in Slack: write the Slack user id, or leave out --no-lookup',
    );
  });

  it('say how long they may take, and keep estimating while Slack rate-limits them', async () => {
    for (let i = 1; i <= 150; i++) slack.addUser({ id: idOf(i), name: `p${i}` });
    // Slack refuses lookups for the first second: Retry-After 1.
    slack.rateLimit((call) => call.method === 'users.info', 1_000);

    const result = await run([csvFile(people(150)), '--dry-run'], withSlack(freshDatabase()));

    expect(result.code).toBe(0);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(
      '150 people to look up in Slack. Slack allows at least 100 lookups a minute, so this takes up to about 2 min; the bar shows the real pace. For ids already checked, --no-lookup skips it.',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Slack asked to slow down: waiting 1 s before the next lookups; about \d+ (s|min) left at this pace\.$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^Looking up people in Slack: 150\/150 in \d+\.\d s$/));
  });
});

describe('progress', () => {
  it('shows the time left on the bar, at the pace so far', () => {
    const chunks: string[] = [];
    let now = 0;
    const progress = createProgress({ write: (s) => chunks.push(s), isTTY: true }, 'Writing', 1000, {
      now: () => now,
      width: 4,
    });
    now = 2_000;
    progress.update(100); // 100 in 2 s: 900 more take 18 s
    expect(chunks.at(-1)).toBe('\rWriting [----]  10% 100/1000, about 18 s left\x1b[K');
    expect(progress.remainingMs()).toBe(18_000);
    // Waiting (a rate limit): no progress for 8 s, so the pace and the estimate follow.
    now = 10_000;
    progress.update(100);
    expect(chunks.at(-1)).toBe('\rWriting [----]  10% 100/1000, about 2 min left\x1b[K');
  });

  it('off a terminal writes a line with the estimate every interval', () => {
    const chunks: string[] = [];
    let now = 0;
    const progress = createProgress({ write: (s) => chunks.push(s), isTTY: false }, 'Looking up', 100_000, {
      now: () => now,
      logIntervalMs: 60_000,
    });
    for (let minute = 1; minute <= 3; minute++) {
      for (let s = 1; s <= 60; s++) {
        now += 1_000;
        progress.update(Math.round((now / 60_000) * 100)); // 100 a minute, Slack's Tier 4
      }
    }
    expect(chunks).toEqual([
      'Looking up: 100/100000 (0%), about 16 h 39 min left\n',
      'Looking up: 200/100000 (0%), about 16 h 38 min left\n',
      'Looking up: 300/100000 (0%), about 16 h 37 min left\n',
    ]);
  });

  it.each([
    [400, '1 s'],
    [45_000, '45 s'],
    [60_000, '1 min'],
    [61_000, '2 min'],
    [3_600_000, '1 h'],
    [7_800_000, '2 h 10 min'],
    [60_000_000, '16 h 40 min'],
    [200 * 3_600_000, '8 days 8 h'],
  ])('formatDuration(%i) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
