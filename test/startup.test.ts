import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/migrate.js';
import { FakeSlackApi } from '../src/offline-slack/fake-slack-api.js';
import { childPort, cleanEnv, run } from './support/spawn.js';

/** What `npm start` runs: the compiled build, with node. */
const NODE = process.execPath;
const MAIN = 'dist/src/main.js';

// These tests start Ripple the way a deploy does, so they need the build of the sources as they are
// now, not whatever `npm ci` or an earlier run left in dist/. The same command as `prepare`.
beforeAll(() => {
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const error = e as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}, 120_000);

describe('npm start with no Slack credentials', () => {
  it('says it is the local sandbox and answers a piped /career level 3 marketing', async () => {
    const result = await run('npm', ['start', '--silent'], { input: '/career level 3 marketing\n2\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Ripple local sandbox: no Slack workspace is connected.');
    expect(result.stdout).toContain('Connect a Slack workspace');
    expect(result.stdout).toContain('Marketing · Level 3 · Coordinator');
    expect(result.stdout).toContain('Next step: Level 4 (Senior), typically after 1–2 years');
    expect(result.stdout).toContain('[2] Level 4 · Senior ▶');
    // Typing 2 pressed the button and updated the reply in place.
    expect(result.stdout).toContain('(pressed "Level 4 · Senior ▶")');
    expect(result.stdout).toContain('Marketing · Level 4 · Senior');
  });
});

describe('the build', () => {
  it('starts from any working directory: it finds its migrations beside itself, not in the cwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-cwd-'));
    const path = join(dir, 'career.db');
    const result = await run(NODE, [resolve(MAIN)], {
      cwd: dir,
      input: '/career level 3 marketing\n',
      env: cleanEnv({ DATABASE_PATH: path, FRAMEWORKS_DIR: resolve('frameworks') }),
    });
    // A new database is never created silently: the log says where it is.
    expect(result.stderr).toBe(`Ripple: created a new, empty database at ${path}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Marketing · Level 3 · Coordinator');
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
    db.close();
  });

  it('npm run export runs the compiled script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-export-'));
    const path = join(dir, 'career.db');
    openDatabase(path).close();
    const result = await run('npm', ['run', '--silent', 'export', '--', '-', '--team', 'T0RIPPLE01'], {
      env: cleanEnv({ DATABASE_PATH: path }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^user,framework,level,since,manager,title\r?\n$/);
    expect(result.stderr).toContain('Exported 0 teammates to standard output.');
  });
});

describe('start-up errors', () => {
  it('a bot token without a signing secret or app token is a configuration error, not the sandbox', async () => {
    const result = await run(NODE, [MAIN], { env: cleanEnv({ SLACK_BOT_TOKEN: 'xoxb-123-abc' }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(result.stderr).toContain('SLACK_APP_TOKEN');
    expect(result.stdout).not.toContain('sandbox');
    expect(result.stderr).not.toContain('xoxb-123-abc');
  });

  it('bad framework files stop the start with every problem, by file and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-fw-'));
    const good = readFileSync('frameworks/marketing.yml', 'utf8');
    writeFileSync(join(dir, 'marketing.yml'), good);
    writeFileSync(
      join(dir, 'broken.yml'),
      good
        .replace('id: marketing', 'id: broken')
        .replace('timeframe: { min: 12, max: 24 }', 'timeframe: { min: twelve, max: 24 }')
        .replace(/aliases: .*/, 'aliases: []'),
    );
    writeFileSync(join(dir, 'empty.yml'), '');
    const result = await run(NODE, [MAIN], { env: cleanEnv({ FRAMEWORKS_DIR: dir }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yml:\d+ at levels\[2\]\.timeframe\.min/);
    expect(result.stderr).toContain('empty.yml');
    expect(result.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
  });

  it('a database newer than the code is refused with a clear message and left untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-db-'));
    const path = join(dir, 'career.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(path);
    const result = await run(NODE, [MAIN], { env: cleanEnv({ DATABASE_PATH: path }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('999');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('HTTP mode', () => {
  let api: FakeSlackApi;
  beforeAll(async () => {
    api = await FakeSlackApi.start();
  });
  afterAll(async () => {
    await api.close();
  });

  it('serves /healthz and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-http-'));
    mkdirSync(join(dir, 'data'));
    const port = childPort();
    const child = spawn(NODE, [MAIN], {
      env: cleanEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: api.apiUrl,
        PORT: String(port),
        DATABASE_PATH: join(dir, 'data', 'career.db'),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(status, output).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain(`listening on port ${port}`);
  });
});
