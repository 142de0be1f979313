import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/bulk/export-command.js';
import { runImportCommand } from '../../src/bulk/import-command.js';
import { createProgress } from '../../src/bulk/progress.js';
import { openDatabase } from '../../src/db/migrate.js';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { createStores, type TeammateRecord } from '../../src/store/index.js';

/**
 * The import and export commands end to end, against a real SQLite file and the offline fake of
 * Slack's Web API (running in this process). They run in this process, with their own arguments,
 * environment and output, as scripts/import.ts and scripts/export.ts run them; one test spawns the
 * real scripts, as an admin runs them, to show those entry points pass all of that through.
 */

const pad = (n: number) => String(n).padStart(10, '0');
const idOf = (n: number) => `U${pad(n)}`;
const emailOf = (n: number) => `person${n}@example.com`;
const HEADER = 'user,framework,level,since,manager';
const FRAMEWORKS = ['engineering', 'happiness', 'marketing'] as const;
const LEVELS = { engineering: 8, happiness: 7, marketing: 5 } as const;

/** 1,000 people, every tenth by email, managers by id or email. Row i is on line i + 1. */
function thousandRows(bad: Record<number, string> = {}): string {
  const lines = [HEADER];
  for (let i = 1; i <= 1000; i++) {
    const fw = FRAMEWORKS[i % 3] as (typeof FRAMEWORKS)[number];
    const user = i % 10 === 0 ? emailOf(i) : idOf(i);
    const manager = i === 1 ? '' : i % 5 === 0 ? emailOf(1) : idOf(1);
    const since = `202${i % 6}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    lines.push(bad[i] ?? [user, fw, String((i % LEVELS[fw]) + 1), since, manager].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const BAD = {
  17: `${idOf(17)},sales,3,2024-01-15,${idOf(1)}`,
  500: `${idOf(500)},marketing,9,2024-01-15,${idOf(1)}`,
  998: `${idOf(998)},engineering,2,2999-01-01,${idOf(1)}`,
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let slack: FakeSlackApi;
let dir: string;

function env(databasePath: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // A clean environment: a developer's own SLACK_* variables must not leak into the scripts.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'x',
    SLACK_API_URL: slack.apiUrl,
    DATABASE_PATH: databasePath,
    ...extra,
  };
}

/** Records what a command writes; not a terminal, like the pipe a spawned script writes to. */
function recorder() {
  let text = '';
  return {
    out: {
      write(chunk: string) {
        text += chunk;
        return true;
      },
      isTTY: false,
    },
    text: () => text,
  };
}

const COMMANDS = { import: runImportCommand, export: runExportCommand };

/** Runs a command in this process, as its script would with these arguments and environment. */
async function run(script: 'import' | 'export', args: string[], environment: NodeJS.ProcessEnv): Promise<Run> {
  const stdout = recorder();
  const stderr = recorder();
  const code = await COMMANDS[script](args, { env: environment, stdout: stdout.out, stderr: stderr.out });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs the real script in a process of its own. The sources, through tsx, rather than the build
 * `npm run import` runs: test/startup.test.ts rebuilds dist/ while other files run.
 */
function spawnScript(script: 'import' | 'export', args: string[], environment: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/${script}.ts`, ...args],
      { env: environment, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Every table's rows and the schema, to show a database is exactly as it was. */
function snapshot(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      .all();
    return {
      version: db.pragma('user_version', { simple: true }),
      tables: tables.map(({ name, sql }) => ({
        sql,
        rows: db
          .prepare(`SELECT * FROM "${name}"`)
          .all()
          .map((r) => JSON.stringify(r))
          .sort(),
      })),
    };
  } finally {
    db.close();
  }
}

async function teammates(path: string): Promise<TeammateRecord[]> {
  const db = openDatabase(path);
  try {
    return await createStores(db).teammates.listAll(slack.teamId);
  } finally {
    db.close();
  }
}

/** What the CSV carries, which is what must survive export → import. */
const carried = (r: TeammateRecord) => ({
  userId: r.userId,
  frameworkId: r.frameworkId,
  levelId: r.levelId,
  since: r.since,
  managerId: r.managerId,
  status: r.status,
});

beforeAll(async () => {
  slack = await FakeSlackApi.start();
  for (let i = 1; i <= 1000; i++) slack.addUser({ id: idOf(i), name: `person${i}`, email: emailOf(i) });
  slack.addUser({ id: 'U0GONE0001', name: 'gone', email: 'gone@example.com', deleted: true });
  slack.addUser({ id: 'U0BOT00001', name: 'robot', is_bot: true });
  dir = mkdtempSync(join(tmpdir(), 'ripple-people-'));
});

afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run import / export', () => {
  const main = () => join(dir, 'career.db');

  it('1,000 rows with 3 bad: exit 1, the 3 lines named, and the database untouched', async () => {
    // An existing, empty database: the failed import must leave every table as it was.
    openDatabase(main()).close();
    const before = snapshot(main());
    const file = join(dir, 'people.csv');
    writeFileSync(file, thousandRows(BAD));

    const result = await run('import', [file], env(main()));

    expect(result.code).toBe(1);
    const problems = result.stderr.split('\n').filter((l) => l.startsWith('people.csv line'));
    expect(problems).toEqual([
      'people.csv line 18: framework "sales" is not known: the frameworks are engineering, happiness, marketing',
      'people.csv line 501: level "9" — Marketing has levels 1 to 5',
      expect.stringMatching(/^people\.csv line 999: since 2999-01-01 is in the future \(today is \d{4}-\d{2}-\d{2}\)$/),
    ]);
    expect(result.stderr).toContain('3 problems on 3 lines. Nothing was imported.');
    expect(result.stdout).toBe('');
    expect(await teammates(main())).toHaveLength(0);
    expect(snapshot(main())).toEqual(before);
  });

  it('the fixed file imports all 1,000, and export → import into a fresh database gives the same records', async () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, thousandRows());
    const lookupsBefore = slack.calls.length;

    const imported = await run('import', [file], env(main()));

    expect(imported.stderr).not.toMatch(/line \d+:/);
    expect(imported.stdout).toBe('Imported 1000 teammates (1000 new, 0 updated, 0 unchanged).\n');
    expect(imported.code).toBe(0);
    const records = await teammates(main());
    expect(records).toHaveLength(1000);
    expect(records.find((r) => r.userId === idOf(10))).toMatchObject({ frameworkId: 'happiness', managerId: idOf(1) });
    const db = openDatabase(main());
    const history = await createStores(db).teammates.history(slack.teamId, idOf(2));
    db.close();
    expect(new Set(history.map((h) => h.changedBy))).toEqual(new Set(['import:people.csv']));
    // Each distinct person looked up once: 1,000 users, plus person1@example.com (the managers' email), plus auth.test.
    expect(slack.calls.length - lookupsBefore).toBe(1002);

    const out = join(dir, 'out.csv');
    const exported = await run('export', [out], env(main()));
    expect(exported).toEqual({ code: 0, stdout: `Exported 1000 teammates to ${out}.\n`, stderr: '' });
    const csv = readFileSync(out, 'utf8');
    // The export adds the optional title column (empty: no title recorded).
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      `${HEADER},title`,
      `${idOf(1)},happiness,2,2021-02-02,,`,
      `${idOf(2)},marketing,3,2022-03-03,${idOf(1)},`,
    ]);

    const fresh = join(dir, 'fresh.db');
    const again = await run('import', [out], env(fresh));
    expect(again.stdout).toBe('Imported 1000 teammates (1000 new, 0 updated, 0 unchanged).\n');
    expect((await teammates(fresh)).map(carried)).toEqual(records.map(carried));
  });

  it('reports people Slack does not know, deactivated accounts and bots; --dry-run writes nothing', async () => {
    const file = join(dir, 'odd people.csv');
    writeFileSync(
      file,
      [
        HEADER,
        'nobody@example.com,eng,1,2024-01-15,',
        'U0GONE0001,eng,1,2024-01-15,',
        `${idOf(5)},eng,1,2024-01-15,U0BOT00001`,
        'UNOSUCHUSER,eng,1,2024-01-15,',
      ].join('\n'),
    );
    const result = await run('import', [file, '--dry-run'], env(join(dir, 'dry.db')));
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.includes(' line '))).toEqual([
      'odd people.csv line 2: user "nobody@example.com": no Slack account in this workspace has this email',
      'odd people.csv line 3: user "U0GONE0001": this Slack user is deactivated',
      'odd people.csv line 4: manager "U0BOT00001": this Slack user is a bot, not a person',
      'odd people.csv line 5: user "UNOSUCHUSER": no Slack user in this workspace has this id',
    ]);

    writeFileSync(file, `${HEADER}\n${emailOf(3)},eng,1,2024-01-15,\n`);
    const valid = await run('import', [file, '--dry-run'], env(join(dir, 'dry.db')));
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^odd people\.csv is valid: 1 teammate would be imported .*dry run, nothing written/);
    expect(existsSync(join(dir, 'dry.db'))).toBe(false);
  });

  it('a missing file: one line on stderr, exit 1', async () => {
    const result = await run('import', [join(dir, 'nope.csv')], env(main()));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `import: cannot read ${join(dir, 'nope.csv')}: no such file\n`,
    });
  });
});

// Each spawn costs about a second of tsx start-up; leave room for a busy machine.
describe('the scripts, spawned', { timeout: 60_000 }, () => {
  it('pass their arguments, environment, output and exit status through: import, export to -, a failed import', async () => {
    const database = join(dir, 'spawned.db');
    const file = join(dir, 'few people.csv');
    writeFileSync(
      file,
      `${HEADER}\n${idOf(2)},marketing,2,2024-01-15,${emailOf(1)}\n${emailOf(3)},eng,L1,2023-05-01,\n`,
    );

    const imported = await spawnScript('import', [file], env(database));
    expect(imported).toEqual({
      code: 0,
      stdout: 'Imported 2 teammates (2 new, 0 updated, 0 unchanged).\n',
      // Not a terminal: the progress bar is one summary line.
      stderr: expect.stringMatching(
        /^Looking up people in Slack: 3\/3 in \d+\.\d s\nWriting teammates: 2 rows in 1 batch of at most 250, \d+\.\d s\n$/,
      ),
    });

    const exported = await spawnScript('export', ['-'], env(database));
    expect(exported).toEqual({
      code: 0,
      stdout: `${HEADER},title\r\n${idOf(2)},marketing,2,2024-01-15,${idOf(1)},\r\n${idOf(3)},engineering,1,2023-05-01,,\r\n`,
      stderr: 'Exported 2 teammates to standard output.\n',
    });

    writeFileSync(file, `${HEADER}\n${idOf(4)},sales,1,2024-01-15,\n`);
    const failed = await spawnScript('import', [file, '--dry-run'], env(database));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.split('\n')).toEqual([
      expect.stringMatching(/^Looking up people in Slack: 1\/1 in \d+\.\d s$/),
      'few people.csv line 2: framework "sales" is not known: the frameworks are engineering, happiness, marketing',
      '1 problem on 1 line. Nothing was imported.',
      '',
    ]);
    expect((await teammates(database)).map((r) => r.userId)).toEqual([idOf(2), idOf(3)]);
  });
});

/** A stream that records what is written, posing as a terminal or not. */
class FakeTerminal extends Writable {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
}

describe('createProgress', () => {
  it('on a terminal redraws one line in place, at most every 100 ms, then ends with a summary', () => {
    const terminal = new FakeTerminal(true);
    let now = 0;
    const progress = createProgress(terminal, 'Looking up', 1000, { now: () => now, width: 10 });
    for (let done = 1; done <= 1000; done++) {
      now += 1; // 1 s in all: about 10 redraws
      progress.update(done);
    }
    progress.finish();
    const redraws = terminal.chunks.slice(0, -1);
    expect(redraws.length).toBeGreaterThanOrEqual(9);
    expect(redraws.length).toBeLessThanOrEqual(11);
    for (const chunk of redraws) {
      expect(chunk.startsWith('\r') && chunk.endsWith('\x1b[K') && !chunk.includes('\n')).toBe(true);
    }
    expect(redraws[0]).toBe('\rLooking up [----------]   0% 1/1000\x1b[K');
    expect(terminal.chunks.at(-1)).toBe('\rLooking up: 1000/1000 in 1.0 s\x1b[K\n');
  });

  it('elsewhere writes nothing until the one summary line', () => {
    const log = new FakeTerminal(false);
    let now = 0;
    const progress = createProgress(log, 'Looking up', 3, { now: () => now });
    for (let done = 1; done <= 3; done++) {
      now += 500;
      progress.update(done);
    }
    expect(log.chunks).toEqual([]);
    progress.finish();
    progress.finish();
    expect(log.chunks).toEqual(['Looking up: 3/3 in 1.5 s\n']);
  });

  it('writes a note on its own line and redraws the bar below it', () => {
    const terminal = new FakeTerminal(true);
    const progress = createProgress(terminal, 'Looking up', 4, { now: () => 0, width: 4 });
    progress.update(2);
    progress.note('Slack asked to slow down');
    expect(terminal.chunks).toEqual([
      '\rLooking up [##--]  50% 2/4\x1b[K',
      '\r\x1b[KSlack asked to slow down\n',
      '\rLooking up [##--]  50% 2/4\x1b[K',
    ]);
  });
});
