import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCompanyDb } from '../../bench/scale/build.js';
import { buildCompany } from '../../bench/scale/company.js';
import { runCopyCommand } from '../../src/bulk/copy-command.js';
import { openDatabase } from '../../src/db/migrate.js';
import { SqliteEngine } from '../../src/db/sql.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { engineSnapshot } from '../support/db.js';
import { createPostgresDatabase, dropDatabase, postgresServer } from '../support/postgres.js';

const catalog = new Catalog(loadFrameworks(fileURLToPath(new URL('../../frameworks', import.meta.url))));
const dir = mkdtempSync(join(tmpdir(), 'ripple-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a copy must carry: every table but each engine's own bookkeeping. */
async function contents(engine: SqliteEngine | Awaited<ReturnType<typeof pgEngine>>) {
  const { ripple_migrations: _pg, ...rest } = await engineSnapshot(engine);
  return rest;
}

async function pgEngine(url: string) {
  const { openEngine } = await import('../../src/db/open.js');
  return openEngine({ databaseUrl: url, databasePath: ':memory:' });
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { env: {}, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** A company of 500 with history, pauses, check-ins with answers and evidence, written through the stores. */
async function companyFile(name: string): Promise<string> {
  const path = join(dir, name);
  const db = openDatabase(path);
  await buildCompanyDb(db, buildCompany(500, catalog, '2027-03-01'), catalog);
  db.close();
  return path;
}

const server = postgresServer();

describe.skipIf(server.skip)('npm run copy-db: SQLite to PostgreSQL and back', () => {
  it('carries every row of every table, ids included, and the copy back equals the original', async () => {
    const url = server.url as string;
    const original = await companyFile('original.db');
    const pgName = await createPostgresDatabase(url, { migrated: false });
    const pgUrl = `${url}${pgName}`;
    try {
      const there = io();
      expect(await runCopyCommand(['--from', original, '--to', pgUrl], there.io), there.err()).toBe(0);
      expect(there.out()).toMatch(/Copied \d+ rows in \d+ tables; every table counted equal on both sides/);

      const back = join(dir, 'back.db');
      const again = io();
      expect(await runCopyCommand(['--from', pgUrl, '--to', back], again.io), again.err()).toBe(0);

      const source = new SqliteEngine(openDatabase(original));
      const copy = new SqliteEngine(openDatabase(back));
      const pg = await pgEngine(pgUrl);
      try {
        const before = await contents(source);
        // Something worth carrying: records, their history and pauses, check-ins and their answers.
        for (const table of ['teammates', 'teammate_history', 'pauses', 'checkins', 'checkin_answers']) {
          expect(before[table]?.length, table).toBeGreaterThan(0);
        }
        expect(await contents(pg)).toEqual(before);
        expect(await contents(copy)).toEqual(before);
        // New rows after the copy get new ids: the identity sequences were moved past the copied ones.
        const someone = (before.teammates as { user_id: string }[])[0]?.user_id as string;
        const next = await pg.sql.get<{ id: number }>(
          "INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at) VALUES ('T0RIPPLE01', ?, 'level', NULL, 'x', 'U0ADMIN', '2027-03-01T00:00:00.000Z') RETURNING id",
          [someone],
        );
        const ids = (before.teammate_history as { id: number }[]).map((r) => r.id);
        expect(next?.id).toBeGreaterThan(Math.max(0, ...ids));
      } finally {
        await source.close();
        await copy.close();
        await pg.close();
      }
    } finally {
      await dropDatabase(url, pgName);
    }
  });

  it('refuses a target that already holds records, writing nothing, and never prints the password', async () => {
    const url = server.url as string;
    const original = await companyFile('twice.db');
    const pgName = await createPostgresDatabase(url, { migrated: false });
    const pgUrl = `${url}${pgName}`.replace('://', '://postgres:hunter2@');
    try {
      expect(await runCopyCommand(['--from', original, '--to', pgUrl], io().io)).toBe(0);
      const pg = await pgEngine(pgUrl);
      const before = await engineSnapshot(pg);
      const second = io();
      expect(await runCopyCommand(['--from', original, '--to', pgUrl], second.io)).toBe(1);
      expect(second.err()).toContain('The target database is not empty');
      expect(second.err()).toContain('nothing was written');
      expect(second.out() + second.err()).not.toContain('hunter2');
      expect(await engineSnapshot(pg)).toEqual(before);
      await pg.close();
    } finally {
      await dropDatabase(url, pgName);
    }
  });
});

describe('npm run copy-db: bad arguments', () => {
  it('says how to call it, and that a missing source file is a wrong path', async () => {
    const none = io();
    expect(await runCopyCommand([], none.io)).toBe(2);
    expect(none.err()).toContain('usage: npm run copy-db -- --from');
    const missing = io();
    expect(await runCopyCommand(['--from', join(dir, 'nope.db'), '--to', join(dir, 'x.db')], missing.io)).toBe(1);
    expect(missing.err()).toContain('no database at');
  });
});
