import type { Clock } from '../context.js';
import type { ProcessedEventStore } from '../store/events.js';
import type { PendingChangeStore } from '../store/pending.js';
import type { TeammateStore } from '../store/teammates.js';
import type { TeammateRecord } from '../store/types.js';
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
 * Ended pauses written per slice. Each is one transaction with its history row, and a commit waits for
 * the disk (a few ms): ten keep a slice short.
 */
export const SETTLE_BATCH = 10;

const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Deletes in statements of at most {@link PRUNE_BATCH} rows, {@link PRUNE_BATCHES_PER_TICK} at most,
 * yielding to the event loop between them.
 */
async function pruneInBatches(prune: (limit: number) => number): Promise<number> {
  let pruned = 0;
  for (let batch = 0; batch < PRUNE_BATCHES_PER_TICK; batch++) {
    const deleted = prune(PRUNE_BATCH);
    pruned += deleted;
    if (deleted < PRUNE_BATCH) break;
    await yieldToLoop();
  }
  return pruned;
}

/**
 * The housekeeping every tick does: write down pauses that ended by their return date (cards
 * already show them as ended), forget event ids too old for Slack to retry, and forget `/career set`
 * previews long expired. Each in bounded slices, yielding to the event loop between them, so a
 * large company or a backlog never holds up Slack's requests.
 */
export async function runMaintenance(deps: MaintenanceDeps): Promise<MaintenanceReport> {
  const now = deps.clock.now().getTime();
  let pausesSettled = 0;
  for (let after: TeammateRecord | null = null; ; ) {
    const slice = settleEndedPauses(deps, { after, limit: SETTLE_BATCH });
    pausesSettled += slice.settled;
    if (slice.read < SETTLE_BATCH) break;
    after = slice.last;
    await yieldToLoop();
  }
  const eventsCutOff = new Date(now - PROCESSED_EVENTS_KEPT_MS).toISOString();
  const eventsPruned = await pruneInBatches((limit) => deps.events.prune(eventsCutOff, limit));
  const pendingCutOff = new Date(now - PENDING_CHANGES_KEPT_MS).toISOString();
  const pendingPruned = await pruneInBatches((limit) => deps.pending.prune(pendingCutOff, limit));
  return { pausesSettled, eventsPruned, pendingPruned };
}
