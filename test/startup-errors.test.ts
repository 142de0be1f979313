import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/migrate.js';
import { runMaintenance } from '../src/scheduler/maintenance.js';
import { databaseOpenError, listenError } from '../src/startup-errors.js';
import { createStores } from '../src/store/index.js';
import { FakeClock } from './support/app.js';

/** The real failure, worded: each message names the setting and the path, and says what to do. */
function openFailure(path: string): string {
  try {
    openDatabase(path).close();
  } catch (err) {
    return databaseOpenError(err, path);
  }
  throw new Error(`openDatabase(${path}) did not fail`);
}

describe('start-up errors name the setting and the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-start-'));

  it('a file that is not a database', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are not the records you are looking for\n'.repeat(100));
    const message = openFailure(path);
    expect(message).toContain(`DATABASE_PATH=${path}`);
    expect(message).toContain('is not a SQLite database');
  });

  it('a folder Ripple cannot create', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const path = join(blocker, 'sub', 'career.db');
    const message = openFailure(path);
    expect(message).toContain(`DATABASE_PATH=${path}`);
    expect(message).not.toMatch(/^Error:/);
  });

  it('a port already in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const other = createServer();
    const error = await new Promise<unknown>((resolve) => {
      other.once('error', resolve);
      other.listen(port, '127.0.0.1');
    });
    server.close();
    expect(listenError(error, port)).toBe(
      `PORT=${port}: another program is already listening on port ${port}. Stop it, or set PORT to a free port.`,
    );
  });
});

describe('maintenance', () => {
  it('forgets event ids older than a day and keeps the recent ones', async () => {
    const db = openDatabase(':memory:');
    const stores = createStores(db);
    const clock = new FakeClock('2026-11-29T15:00:00Z');
    await stores.events.firstTime('Ev0OLD', '2026-11-27T15:00:00.000Z');
    await stores.events.firstTime('Ev0NEW', '2026-11-29T14:00:00.000Z');
    const report = await runMaintenance({ ...stores, clock });
    expect(report.eventsPruned).toBe(1);
    expect(await stores.events.firstTime('Ev0OLD', '2026-11-29T15:00:00.000Z')).toBe(true);
    expect(await stores.events.firstTime('Ev0NEW', '2026-11-29T15:00:00.000Z')).toBe(false);
    db.close();
  });
});
