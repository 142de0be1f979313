import { describe, expect, it } from 'vitest';
import { AFTER_ACK_RETRY_DELAYS_MS, isCannotWrite, isDatabaseBusy } from '../../src/db/busy.js';

describe('which SQLite errors are waited out, and which are answered at once', () => {
  it.each([
    ['SQLITE_BUSY', true, false],
    ['SQLITE_BUSY_SNAPSHOT', true, false],
    ['SQLITE_LOCKED', true, false],
    ['SQLITE_FULL', false, true],
    ['SQLITE_READONLY', false, true],
    ['SQLITE_READONLY_DBMOVED', false, true],
    ['SQLITE_IOERR_WRITE', false, true],
    ['SQLITE_CANTOPEN', false, true],
    ['SQLITE_CONSTRAINT_UNIQUE', false, false],
    [undefined, false, false],
  ])('%s: busy %s, cannot write %s', (code, busy, cannotWrite) => {
    const err = Object.assign(new Error('x'), { code });
    expect(isDatabaseBusy(err)).toBe(busy);
    expect(isCannotWrite(err)).toBe(cannotWrite);
  });

  it('after the ack a lock is waited out for several seconds (a 3 s lock ends saved), not minutes', () => {
    const total = AFTER_ACK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(6_000);
    expect(total).toBeLessThanOrEqual(10_000);
  });
});
