import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/bulk/export-command.js';
import { runImportCommand } from '../../src/bulk/import-command.js';
import { createStores } from '../../src/store/index.js';
import { openPostgres, postgresServer } from '../support/postgres.js';

const TEAM = 'T0RIPPLE01';
const dir = mkdtempSync(join(tmpdir(), 'ripple-cli-pg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => ({ write: (s: string) => into.push(s), isTTY: false });
  return { io: { stdout: stream(out), stderr: stream(err) }, out: () => out.join(''), err: () => err.join('') };
}

const server = postgresServer();

describe.skipIf(server.skip)('npm run import and export with DATABASE_URL', () => {
  it('import writes the people into PostgreSQL, export reads them back, and no SQLite file is made', async () => {
    const engine = await openPostgres();
    try {
      const url = `${engine.serverUrl}${engine.databaseName}`;
      const absent = join(dir, 'never.db');
      const env = { DATABASE_URL: url, DATABASE_PATH: absent };
      const csv = join(dir, 'people.csv');
      writeFileSync(
        csv,
        'user,framework,level,since,manager\nU0000000001,marketing,3,2024-01-15,\nU0000000002,marketing,2,2025-02-01,U0000000001\n',
      );
      const imported = io();
      expect(await runImportCommand([csv, '--team', TEAM], { env, ...imported.io }), imported.err()).toBe(0);
      expect(imported.out()).toContain('Imported 2 teammates (2 new, 0 updated, 0 unchanged).');
      const stores = createStores(engine);
      expect(await stores.teammates.get(TEAM, 'U0000000002')).toMatchObject({
        levelId: 'level-2',
        managerId: 'U0000000001',
        since: '2025-02-01',
      });
      expect(await stores.teammates.history(TEAM, 'U0000000002')).not.toHaveLength(0);

      const exported = io();
      expect(await runExportCommand(['-', '--team', TEAM], { env, ...exported.io }), exported.err()).toBe(0);
      expect(exported.out().trim().split(/\r?\n/)).toEqual([
        'user,framework,level,since,manager,title',
        'U0000000001,marketing,3,2024-01-15,,',
        'U0000000002,marketing,2,2025-02-01,U0000000001,',
      ]);
      expect(existsSync(absent)).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
