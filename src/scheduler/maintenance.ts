import type { Clock } from '../context.js';
import type { ProcessedEventStore } from '../store/events.js';
import type { TeammateStore } from '../store/teammates.js';
import { settleEndedPauses } from '../teammates/service.js';

/**
 * Slack retries an unanswered event within minutes (at once, after about 1 minute, after about 5).
 * A day of event ids is far more than de-duplication needs, and keeps the table small.
 */
export const PROCESSED_EVENTS_KEPT_MS = 24 * 60 * 60 * 1000;

export interface MaintenanceDeps {
  teammates: TeammateStore;
  events: ProcessedEventStore;
  clock: Clock;
}

export interface MaintenanceReport {
  /** Pauses whose return date came, now ended in the store. */
  pausesSettled: number;
  /** Processed event ids forgotten. */
  eventsPruned: number;
}

/**
 * The housekeeping every tick does: write down pauses that ended by their return date (cards
 * already show them as ended), and forget event ids too old for Slack to retry.
 */
export function runMaintenance(deps: MaintenanceDeps): MaintenanceReport {
  const pausesSettled = settleEndedPauses(deps);
  const cutOff = new Date(deps.clock.now().getTime() - PROCESSED_EVENTS_KEPT_MS).toISOString();
  const eventsPruned = deps.events.prune(cutOff);
  return { pausesSettled, eventsPruned };
}
