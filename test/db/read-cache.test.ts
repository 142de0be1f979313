import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadCache, TEAMMATES_CHANGED } from '../../src/db/postgres.js';
import { openPostgres, postgresServer, type TestPostgresEngine } from '../support/postgres.js';

const server = postgresServer();

describe.skipIf(server.skip)('ReadCache on PostgreSQL', () => {
  let engine: TestPostgresEngine | undefined;
  const caches: ReadCache[] = [];
  afterEach(async () => {
    for (const c of caches.splice(0)) await c.close();
    await engine?.close();
    engine = undefined;
  });

  async function cacheWith(notify: (payload: string) => Promise<unknown>): Promise<ReadCache> {
    engine ??= await openPostgres();
    const url = `${engine.serverUrl}${engine.databaseName}`;
    const cache = new ReadCache(() => new pg.Client({ connectionString: url }), notify, 200);
    caches.push(cache);
    cache.keep(['SELECT 1']);
    return cache;
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

  it('keeps nothing when its notifications do not reach it (a pooler in transaction mode)', async () => {
    const cache = await cacheWith(async () => undefined);
    await settle();
    expect(cache.listening).toBe(false);
    expect(cache.serves('SELECT 1')).toBe(false);
  });

  it('keeps answers once a notification sent through the pool reaches it, and drops them on the next', async () => {
    engine = await openPostgres();
    const pool = engine.pool;
    const cache = await cacheWith((payload) => pool.query('SELECT pg_notify($1, $2)', [TEAMMATES_CHANGED, payload]));
    await settle();
    expect(cache.serves('SELECT 1')).toBe(true);
    let reads = 0;
    const read = () => cache.read('SELECT 1', [], async () => ++reads);
    expect([await read(), await read()]).toEqual([1, 1]);
    await pool.query('UPDATE teammates SET since = since WHERE false'); // a statement on teammates: its trigger notifies
    for (let i = 0; i < 100 && cache.counts.dropped < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await read()).toBe(2);
  });
});
