import type { Clock } from '../context.js';
import type { ProcessedEventStore } from '../store/events.js';
import type { PendingChangeStore } from '../store/pending.js';
import type { TeammateStore } from '../store/teammates.js';
import { PENDING_CHANGE_TTL_MS, settleEndedPauses } from '../teammates/service.js';

/**
 * Slack retries an unanswered event within minutes (at once, after about 1 minute, after about 5).
 * A day of event ids is far more than de-duplication needs, and keeps the table small.
 */
export const PROCESSED_EVENTS_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * A `/career set` preview is kept a day after its Confirm button stopped working (db/003 promises
 * its rows are deleted after a day), so a late click still hears whose change it was, not "gone".
 */
export const PENDING_CHANGES_KEPT_MS = PENDING_CHANGE_TTL_MS + 24 * 60 * 60 * 1000;

/**
 * Rows deleted per statement, and statements per tick: each delete holds SQLite's write lock only
 * briefly, and a backlog (an instance that was down for weeks) is worked off over a few ticks.
 */
export const PRUNE_BATCH = 500;
export const PRUNE_BATCHES_PER_TICK = 20;

export interface MaintenanceDeps {
  teammates: TeammateStore;
  events: ProcessedEventStore;
  pending: PendingChangeStore;
  clock: Clock;
}

export interface MaintenanceReport {
  /** Pauses whose return date came, now ended in the store. */
  pausesSettled: number;
  /** Processed event ids forgotten. */
  eventsPruned: number;
  /** `/career set` previews forgotten. */
  pendingPruned: number;
}

/**
 * The housekeeping every tick does: write down pauses that ended by their return date (cards
 * already show them as ended), forget event ids too old for Slack to retry, and forget `/career set`
 * previews long expired.
 */
export function runMaintenance(deps: MaintenanceDeps): MaintenanceReport {
  const now = deps.clock.now().getTime();
  const pausesSettled = settleEndedPauses(deps);
  const eventsPruned = deps.events.prune(new Date(now - PROCESSED_EVENTS_KEPT_MS).toISOString());
  const pendingCutOff = new Date(now - PENDING_CHANGES_KEPT_MS).toISOString();
  let pendingPruned = 0;
  for (let batch = 0; batch < PRUNE_BATCHES_PER_TICK; batch++) {
    const deleted = deps.pending.prune(pendingCutOff, PRUNE_BATCH);
    pendingPruned += deleted;
    if (deleted < PRUNE_BATCH) break;
  }
  return { pausesSettled, eventsPruned, pendingPruned };
}
