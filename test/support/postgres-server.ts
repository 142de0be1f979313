import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../../src/db/pg-migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';

/**
 * Vitest's globalSetup: ONE PostgreSQL server for the whole run, on 127.0.0.1 and a free port, in a
 * fresh data directory (/dev/shm/ripple-pg-<pid>), with Ripple's schema migrated once into a template
 * database that each test copies (test/support/postgres.ts). Stopped and removed at the end.
 *
 * Without server binaries the Postgres tests are skipped, with one line saying why; in CI
 * (CI=true) that fails the run instead, so CI can never pass without having run them.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared server's URL without a database name, or why there is none (then url is ''). */
    postgres: { url: string; skip: string };
  }
}

/** The database every test database is copied from. */
export const TEMPLATE_DATABASE = 'ripple_template';

const run = promisify(execFile);
/**
 * Where the data directory goes: /dev/shm (memory) where there is one, since nothing is kept after the
 * run; CREATE DATABASE there takes 15 ms instead of 300 ms on this project's CI disk. Else os.tmpdir().
 */
const TMP = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];

/** Where initdb, pg_ctl and postgres are: PG_BIN, else Debian's newest /usr/lib/postgresql/N/bin, else pg_config. */
export function findServerBinaries(): { bin?: string; reason?: string } {
  const complete = (dir: string) => SERVER_PROGRAMS.every((p) => existsSync(join(dir, p)));
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) {
    return complete(fromEnv) ? { bin: fromEnv } : { reason: `PG_BIN=${fromEnv} has no ${SERVER_PROGRAMS.join(', ')}` };
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && complete(join(debian, v, 'bin')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions[0]) return { bin: join(debian, versions[0], 'bin') };
  }
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (complete(bin.trim())) return { bin: bin.trim() };
  } catch {
    // No pg_config on PATH: no server either.
  }
  return { reason: "no server binaries (install Debian's postgresql or set PG_BIN)" };
}

const asRoot = process.getuid?.() === 0;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs a server program; as root, as the `postgres` user (the server refuses to run as root). */
function serverCommand(program: string, args: string[]): [string, string[]] {
  if (!asRoot) return [program, args];
  return ['su', ['postgres', '-s', '/bin/bash', '-c', [program, ...args].map(shellQuote).join(' ')]];
}

async function runServerProgram(program: string, args: string[]): Promise<void> {
  const [file, argv] = serverCommand(program, args);
  await run(file, argv, { timeout: 60_000 });
}

function stopSync(bin: string, data: string): void {
  const [file, argv] = serverCommand(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
  try {
    execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // Not running.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's run (another engineer's on a shared machine).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories left by a run that was killed before its teardown: stop their server, remove them. */
function removeStale(bin: string): void {
  if (!existsSync(TMP)) return;
  for (const name of readdirSync(TMP)) {
    const pid = Number(/^ripple-pg-(\d+)$/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    const data = join(TMP, name, 'data');
    if (existsSync(join(data, 'postmaster.pid'))) stopSync(bin, data);
    rmSync(join(TMP, name), { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/ (append a database name). */
  url: string;
  stop(): void;
}

/** initdb + pg_ctl start, tuned for tests: nothing is kept after the run, so nothing is synced. */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  removeStale(bin);
  const dir = join(TMP, `ripple-pg-${process.pid}`);
  const data = join(dir, 'data');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopSync(bin, data);
    rmSync(dir, { recursive: true, force: true });
  };
  // A run interrupted (Ctrl-C, a crash) never leaves a server behind.
  process.once('exit', stop);
  try {
    // An ICU default collation, as on a typical managed server ('a' < 'B'): the schema's COLLATE "C"
    // must be what makes Postgres order text as SQLite does, not the test server's settings.
    await runServerProgram(join(bin, 'initdb'), [
      ...['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'],
      ...['--locale-provider=icu', '--icu-locale=en', '--no-sync', '--no-instructions'],
    ]);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      appendFileSync(
        join(data, 'postgresql.conf'),
        [
          '',
          `port = ${port}`,
          "listen_addresses = '127.0.0.1'",
          "unix_socket_directories = ''",
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          '',
        ].join('\n'),
      );
      try {
        await runServerProgram(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', join(dir, 'log'), '-w', '-t', '30']);
        return { url: `postgres://postgres@127.0.0.1:${port}/`, stop };
      } catch (err) {
        // Another program took the port between the check and the start: try another one.
        const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
        if (attempt >= 3 || !/could not bind|address already in use/i.test(log)) {
          throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
        }
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
}

/** Ripple's schema, migrated once; each test database is a copy (CREATE DATABASE … TEMPLATE). */
async function createTemplate(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${url}postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    const engine = new PostgresEngine(`${url}${TEMPLATE_DATABASE}`);
    try {
      await migratePostgres(engine);
    } finally {
      await engine.close();
    }
    // Nobody may connect to it: a connection would make every copy fail.
    await admin.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { bin, reason } = findServerBinaries();
  if (!bin) {
    if (process.env.CI === 'true') {
      throw new Error(
        `PostgreSQL tests cannot run: ${reason}. In CI (CI=true) they must: .ci/run installs the server.`,
      );
    }
    console.log(`PostgreSQL tests skipped: ${reason}`);
    project.provide('postgres', { url: '', skip: reason ?? 'no server' });
    return () => {};
  }
  const server = await startPostgres(bin);
  try {
    await createTemplate(server.url);
  } catch (err) {
    server.stop();
    throw err;
  }
  project.provide('postgres', { url: server.url, skip: '' });
  return () => server.stop();
}
