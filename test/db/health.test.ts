import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isWriteFailure, WriteProbe } from '../../src/db/health.js';
import { openDatabase } from '../../src/db/migrate.js';

let dir: string | undefined;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function files() {
  dir = mkdtempSync(join(tmpdir(), 'ripple-probe-'));
  const path = join(dir, 'career.db');
  const db = openDatabase(path);
  const other = new Database(path);
  open.push(other, db);
  return { db, other };
}

describe('WriteProbe', () => {
  it('a lock held by another connection is no news: still writable, and the probe does not wait for it', () => {
    const { db, other } = files();
    const probe = new WriteProbe(db);
    other.exec('BEGIN EXCLUSIVE');
    const started = performance.now();
    expect(probe.probe()).toBe(true);
    // The connection's busy timeout (src/db/busy.ts) bounds the wait: never seconds.
    expect(performance.now() - started).toBeLessThan(1_000);
    other.exec('COMMIT');
  });

  it('a database that refuses writes is unwritable until a write succeeds again', () => {
    const { db } = files();
    const changes: boolean[] = [];
    const probe = new WriteProbe(db, { onChange: (writable) => changes.push(writable) });
    expect(probe.probe()).toBe(true);
    db.pragma('query_only = ON');
    expect(probe.probe()).toBe(false);
    db.pragma('query_only = OFF');
    expect(probe.probe()).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it('remembers a write failure reported from a real write, and ignores other errors', () => {
    const { db } = files();
    const probe = new WriteProbe(db);
    probe.report(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    expect(probe.writable).toBe(false);
    probe.probe();
    expect(probe.writable).toBe(true);
    probe.report(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    probe.report(new Error('user_not_found'));
    expect(probe.writable).toBe(true);
  });

  it.each([
    ['SQLITE_FULL', true],
    ['SQLITE_READONLY', true],
    ['SQLITE_READONLY_DBMOVED', true],
    ['SQLITE_IOERR_WRITE', true],
    ['SQLITE_BUSY', false],
    ['SQLITE_BUSY_SNAPSHOT', false],
    ['SQLITE_CONSTRAINT_UNIQUE', false],
    ['SQLITE_FULLNESS', false],
  ])('%s is a write failure: %s', (code, expected) => {
    expect(isWriteFailure({ code })).toBe(expected);
  });
});
