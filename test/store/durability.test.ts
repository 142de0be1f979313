import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/migrate.js';
import { createStores } from '../../src/store/index.js';
import { ALICE, T } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ripple-durability-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('keeps every confirmed write when the process is killed right after', async () => {
  const path = join(dir, 'ripple.db');
  // The child confirms three writes, then dies with SIGKILL: no close, no checkpoint, WAL left behind.
  const child = join(dir, 'child.ts');
  writeFileSync(
    child,
    `import { openDatabase } from ${JSON.stringify(join(root, 'src/db/migrate.ts'))};
import { createStores } from ${JSON.stringify(join(root, 'src/store/index.ts'))};
const stores = createStores(openDatabase(${JSON.stringify(path)}));
const base = { teamId: '${T}', userId: '${ALICE}', frameworkId: 'marketing', since: '2026-01-15', changedBy: 'U0ADMIN' };
void (async () => {
  for (const [i, levelId] of ['content-crafter', 'strategist', 'coordinator'].entries()) {
    await stores.teammates.upsert({ ...base, levelId, at: new Date(Date.UTC(2026, 0, 15 + i)).toISOString() });
    process.stdout.write('confirmed ' + levelId + '\\n');
  }
  process.kill(process.pid, 'SIGKILL');
})();
`,
  );
  let stdout = '';
  try {
    // `node --import tsx`, not the tsx binary: the signal must reach the process that wrote.
    execFileSync(process.execPath, ['--import', 'tsx', child], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    const error = e as { signal?: string; stdout?: string; stderr?: string };
    expect(error.signal, error.stderr).toBe('SIGKILL');
    stdout = error.stdout ?? '';
  }
  expect(stdout).toBe('confirmed content-crafter\nconfirmed strategist\nconfirmed coordinator\n');
  // The commits were still in the write-ahead log, not yet checkpointed into the main file.
  expect(existsSync(`${path}-wal`)).toBe(true);

  const db = openDatabase(path);
  const stores = createStores(db);
  expect((await stores.teammates.get(T, ALICE))?.levelId).toBe('coordinator');
  expect((await stores.teammates.history(T, ALICE)).filter((h) => h.field === 'level').map((h) => h.to)).toEqual([
    'content-crafter',
    'strategist',
    'coordinator',
  ]);
  db.close();
});
