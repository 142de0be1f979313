import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { AFTER_ACK_RETRY_DELAYS_MS, DatabaseBusyError, isCannotWrite, retryWhileBusy } from '../db/busy.js';
import { internalErrorMessage, type NotSavedReason, notSavedMessage, type TryAgain } from './blocks/errors.js';
import type { Message } from './blocks/kit.js';

/**
 * The one rule for a write made after Slack's ack (a check-in click, `/career checkin`, the
 * evidence form, a DM, Share, a manager's ratings, celebrate): Slack has already been told "got
 * it", so the write is either kept or the person is told, where they acted, that nothing was saved.
 * Never silent, never a stack trace.
 */
export interface AfterAck {
  logger: Pick<Logger, 'warn' | 'error'>;
  /** What was being saved, for the log ("Recording a check-in answer"). */
  what: string;
  /** Says something where the person acted: an ephemeral reply, their DM, the DM channel. */
  tell: (message: Message) => Promise<unknown>;
  /** How to try again in words that fit where they acted; `press` by default. */
  again?: TryAgain;
  /** A fuller reply than the default (the evidence form quotes the text back, so it is not lost). */
  notSaved?: (reason: NotSavedReason) => Message;
  /** Pauses between attempts; the default waits out a lock of about 8.5 s. */
  delays?: readonly number[];
}

/**
 * NOTE: `write` must not return undefined when it succeeds: undefined means "not saved, told".
 *
 * Runs `write` (services whose every write is one transaction, so a failed attempt wrote nothing
 * and running it again cannot apply twice), retrying while the database is locked. Returns what
 * `write` returned, or undefined once the person has been told nothing was saved. Only the write
 * goes in here: Slack calls made afterwards are not retried (they would post twice).
 */
export async function saveAfterAck<T>(write: () => T | Promise<T>, opts: AfterAck): Promise<T | undefined> {
  let reason: NotSavedReason;
  try {
    return await retryWhileBusy(write, opts.delays ?? AFTER_ACK_RETRY_DELAYS_MS);
  } catch (err) {
    if (err instanceof DatabaseBusyError) reason = 'busy';
    else if (isCannotWrite(err)) reason = 'cannot-write';
    else {
      const reference = randomUUID().slice(0, 8);
      opts.logger.error(`${opts.what} failed (reference ${reference})`, err);
      await opts.tell(internalErrorMessage(reference));
      return undefined;
    }
    // The code only (SQLITE_FULL, …): the error's message may quote what was being written.
    const code = reason === 'busy' ? 'database locked through every retry' : String((err as { code?: unknown }).code);
    opts.logger.warn(`${opts.what}: nothing was saved (${code}); the person was told`);
  }
  await opts.tell(opts.notSaved ? opts.notSaved(reason) : notSavedMessage(reason, opts.again));
  return undefined;
}
