import { ErrorCode, RippleError } from '../errors.js';

/**
 * better-sqlite3 is synchronous: while it waits for another connection's lock, the whole process
 * waits (health checks, other people's lookups). So the connection waits only briefly
 * (`BUSY_TIMEOUT_MS`), and a write that finds the database locked is retried here, asynchronously,
 * with the event loop free between attempts.
 */

/** How long one statement may block the process waiting for a lock. */
export const BUSY_TIMEOUT_MS = 20;

/** Pauses between attempts: about 1.6 s in all before giving up. */
export const BUSY_RETRY_DELAYS_MS: readonly number[] = [25, 50, 100, 200, 400, 800];

/**
 * Pauses between attempts for a write made after Slack's ack: there is no 3 s limit then, so the
 * write waits out a lock of several seconds (a backup, an import, another instance) instead of
 * failing: about 8.5 s in all, the event loop free between attempts.
 */
export const AFTER_ACK_RETRY_DELAYS_MS: readonly number[] = [
  25, 50, 100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000,
];

/**
 * SQLite cannot write at all: a full disk (SQLITE_FULL), a read-only file or mount
 * (SQLITE_READONLY*), an I/O error (SQLITE_IOERR*), a file it cannot open. Waiting does not help,
 * so these are never retried.
 */
export function isCannotWrite(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (code === 'SQLITE_FULL' ||
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_CANTOPEN'))
  );
}

/**
 * The transaction lost a race and may simply be run again: SQLite said another connection holds the
 * lock (SQLITE_BUSY, SQLITE_LOCKED and their extended codes), or PostgreSQL reported a serialization
 * failure (40001) or a deadlock (40P01).
 */
export function isDatabaseBusy(err: unknown): boolean {
  // A retry loop further in that gave up (a store's statement inside a write retried after the ack)
  // lost the same race: the loop further out may wait longer.
  if (err instanceof DatabaseBusyError) return true;
  const code = (err as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '40001' || code === '40P01')
  );
}

/** The database stayed locked through every retry; nothing was written. */
export class DatabaseBusyError extends RippleError {
  readonly code = ErrorCode.DatabaseBusy;
  constructor(cause: unknown) {
    super('The database stayed locked by another connection; nothing was changed', { cause });
    this.name = 'DatabaseBusyError';
  }
}

/**
 * Runs `work`, and again after a pause each time it fails because the database is locked. Safe for
 * work whose writes are one transaction: a failed attempt wrote nothing.
 */
export async function retryWhileBusy<T>(
  work: () => T | Promise<T>,
  delays: readonly number[] = BUSY_RETRY_DELAYS_MS,
): Promise<T> {
  // NOTE: `work` may wait out a lock itself (a store's statement retried inside a write retried here):
  // the whole wait stays within about the time `delays` promise, not that times the inner one.
  const budget = delays.reduce((sum, d) => sum + d, 0) * 1.25;
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseBusy(err)) throw err;
      const delay = delays[attempt];
      if (delay === undefined || performance.now() - started + delay > budget) {
        throw err instanceof DatabaseBusyError ? err : new DatabaseBusyError(err);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
