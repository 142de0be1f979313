import { DateTime } from 'luxon';
import { DEFAULT_LEDGER_RETENTION_MONTHS } from '../config.js';
import type { AppContext, Clock } from '../context.js';
import { yieldToEventLoop } from '../event-loop.js';
import { closedAskCutOff } from '../evidence/asks.js';
import type { ProcessedEventStore } from '../ports/events.js';
import type { EvidenceAskStore } from '../ports/evidence-asks.js';
import type { GrowthStore, WeeklyKey } from '../ports/growth.js';
import type { Stores } from '../ports/index.js';
import type { OutboxMessage } from '../ports/outbox.js';
import type { PendingChangeStore } from '../ports/pending.js';
import type { PromotionCase } from '../ports/promotions.js';
import type { ReminderKey, ReminderStore } from '../ports/reminders.js';
import type { TeammateStore } from '../ports/teammates.js';
import { draftExpiryCutOff } from '../promotions/rules.js';
import type { TeammateRecord } from '../teammates/model.js';
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

/** Where each ledger's pruning pass stands between ticks (reminder_state). */
const LEDGER_PRUNE_CURSOR = 'ledger-prune-cursor';
const WEEKLY_PRUNE_CURSOR = 'weekly-prune-cursor';

export interface MaintenanceDeps {
  teammates: TeammateStore;
  events: ProcessedEventStore;
  pending: PendingChangeStore;
  reminders: Pick<ReminderStore, 'pruneLedger' | 'getState' | 'setState'>;
  growth: Pick<GrowthStore, 'pruneWeeks'>;
  /** Asks for an example: closed once due, deleted 30 days after they closed. */
  evidenceAsks: Pick<EvidenceAskStore, 'closeDue' | 'pruneClosed'>;
  /**
   * What the proposer of a draft that expired is told (the Slack adapter words it). Without it (tests of the other
   * housekeeping), drafts are left as they are: a case never ends without its proposer hearing of it.
   */
  draftExpiredNotice?: (c: PromotionCase) => OutboxMessage;
  /** One commit per slice of ended pauses, and per batch of expired drafts with their notices. */
  unitOfWork: Stores['unitOfWork'];
  clock: Clock;
  /** LEDGER_RETENTION_MONTHS: how long sent reminders and weekly sends are remembered. */
  retentionMonths?: number;
}

export interface MaintenanceReport {
  /** Pauses whose return date came, now ended in the store. */
  pausesSettled: number;
  /** Processed event ids forgotten. */
  eventsPruned: number;
  /** `/career set` previews forgotten. */
  pendingPruned: number;
  /** Reminder ledger rows older than the retention period (and not of a current window) forgotten. */
  ledgerPruned: number;
  /** Weekly sends (channel posts, digests) older than the retention period forgotten. */
  weeksPruned: number;
  /** Asks for an example closed because nobody answered (or the answer was not kept) in time. */
  asksClosed: number;
  /** Asks for an example deleted 30 days after they closed. */
  asksPruned: number;
  /** Promotion case drafts not sent on within DRAFT_EXPIRY_DAYS, now expired (their proposers told). */
  draftsExpired: number;
}

/** The maintenance job's dependencies from the composition root's context. */
export function maintenanceDeps(ctx: Pick<AppContext, 'stores' | 'clock' | 'ledgerRetentionMonths'>): MaintenanceDeps {
  return { ...ctx.stores, clock: ctx.clock, retentionMonths: ctx.ledgerRetentionMonths };
}

/**
 * Runs `batch` (one bounded statement through an index) until it says there is no more, or
 * PRUNE_BATCHES_PER_TICK statements ran; the event loop is given back between statements, so a
 * backlog is worked off over several ticks without holding the loop or the write lock long.
 */
export async function pruneInBatches(batch: () => Promise<{ deleted: number; more: boolean }>): Promise<number> {
  let deleted = 0;
  for (let n = 0; n < PRUNE_BATCHES_PER_TICK; n++) {
    if (n > 0) await yieldToEventLoop();
    const done = await batch();
    deleted += done.deleted;
    if (!done.more) break;
  }
  return deleted;
}

/** A prune that deletes the oldest `batch` rows: more may be left when it deleted a full batch. */
const oldestFirst =
  (prune: (limit: number) => Promise<number>, batch = PRUNE_BATCH) =>
  async () => {
    const deleted = await prune(batch);
    return { deleted, more: deleted === batch };
  };

/**
 * Asks closed or deleted per statement: each row changes four indexes, so a batch of 500 held the loop ~25 ms at a
 * million asks (44 ms at worst, under load); 200 keeps each statement near 10 ms (bench/evidence-asks.ts).
 */
export const ASK_BATCH = 200;

/**
 * A pass over a ledger in key order, PRUNE_BATCH rows looked at per statement: it resumes where the
 * last tick stopped (the cursor is kept in reminder_state) and starts over once it reached the end,
 * so each tick's cost is bounded whatever the ledger holds.
 */
function keyOrderPass<K extends object>(
  state: MaintenanceDeps['reminders'],
  name: string,
  prune: (cursor: K | null, limit: number) => Promise<{ deleted: number; next: K | null }>,
) {
  return async () => {
    const saved = await state.getState(name);
    const cursor = saved === null ? null : (JSON.parse(saved) as K | null);
    const { deleted, next } = await prune(cursor, PRUNE_BATCH);
    await state.setState(name, JSON.stringify(next));
    return { deleted, more: next !== null };
  };
}

/**
 * Ended pauses written per slice, in one transaction (a commit waits for the disk, a few ms, so one per
 * slice rather than one per pause): fifty keep a slice well under 50 ms.
 */
export const SETTLE_BATCH = 50;

/**
 * The housekeeping every tick does: write down pauses that ended by their return date (cards
 * already show them as ended), forget event ids too old for Slack to retry, forget `/career set`
 * previews long expired, forget ledger rows older than the retention period, close asks for an example that are
 * due and delete those closed 30 days ago. Each in bounded
 * slices, yielding to the event loop between them, so a large company or a backlog never holds up
 * Slack's requests.
 */
export async function runMaintenance(deps: MaintenanceDeps): Promise<MaintenanceReport> {
  const now = deps.clock.now();
  const pausesSettled = await settlePauses(deps);
  const eventsCutOff = new Date(now.getTime() - PROCESSED_EVENTS_KEPT_MS).toISOString();
  const eventsPruned = await pruneInBatches(oldestFirst(async (limit) => await deps.events.prune(eventsCutOff, limit)));
  const pendingCutOff = new Date(now.getTime() - PENDING_CHANGES_KEPT_MS).toISOString();
  const pendingPruned = await pruneInBatches(
    oldestFirst(async (limit) => await deps.pending.prune(pendingCutOff, limit)),
  );
  const kept = retentionCutOff(now, deps.retentionMonths ?? DEFAULT_LEDGER_RETENTION_MONTHS);
  const ledgerPruned = await pruneInBatches(
    keyOrderPass<ReminderKey>(
      deps.reminders,
      LEDGER_PRUNE_CURSOR,
      async (cursor, limit) => await deps.reminders.pruneLedger(kept, cursor, limit),
    ),
  );
  const weeksPruned = await pruneInBatches(
    keyOrderPass<WeeklyKey>(
      deps.reminders,
      WEEKLY_PRUNE_CURSOR,
      async (cursor, limit) => await deps.growth.pruneWeeks(kept, cursor, limit),
    ),
  );
  // Due asks close (dropping any answer not kept) and closed ones go 30 days on, the oldest first, a batch at a time.
  const asksClosed = await pruneInBatches(
    oldestFirst(async (limit) => await deps.evidenceAsks.closeDue(now.toISOString(), limit), ASK_BATCH),
  );
  const asksPruned = await pruneInBatches(
    oldestFirst(async (limit) => await deps.evidenceAsks.pruneClosed(closedAskCutOff(now), limit), ASK_BATCH),
  );
  const draftsExpired = await expireDrafts(deps, now);
  return {
    pausesSettled,
    eventsPruned,
    pendingPruned,
    ledgerPruned,
    weeksPruned,
    asksClosed,
    asksPruned,
    draftsExpired,
  };
}

/** Drafts expired per statement, each with its proposer's notice kept in the outbox in the same transaction. */
export const DRAFT_EXPIRY_BATCH = 100;

/**
 * Promotion case drafts the person did not send on within DRAFT_EXPIRY_DAYS expire, a batch at a time: each batch's
 * status change and its proposers' notices are one unit of work, so a notice is kept exactly once (whichever instance
 * runs the job) and sent by the outbox's retry job, which owns the retries.
 */
async function expireDrafts(deps: MaintenanceDeps, now: Date): Promise<number> {
  const notice = deps.draftExpiredNotice;
  if (!notice) return 0;
  const before = draftExpiryCutOff(now);
  const at = now.toISOString();
  return pruneInBatches(
    oldestFirst(
      async (limit) =>
        await deps.unitOfWork.run(async (repos) => {
          const expired = await repos.promotions.expireDrafts(before, at, limit);
          for (const c of expired)
            await repos.outbox.enqueue(
              { teamId: c.teamId, userId: c.proposedBy, kind: 'dm', messages: [notice(c)] },
              at,
              at,
            );
          return expired.length;
        }),
      DRAFT_EXPIRY_BATCH,
    ),
  );
}

/** The oldest claim the ledgers keep: `months` calendar months before `now` (UTC). */
export function retentionCutOff(now: Date, months: number): string {
  return DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months }).toJSDate().toISOString();
}

/**
 * Writes down the pauses whose return date has come, in slices of {@link SETTLE_BATCH} (one transaction each),
 * yielding between them; how many. The reminder tick runs this part alone before it plans, so nobody is planned as
 * paused on the day they are back; the rest of the housekeeping runs once, on its own schedule.
 */
export async function settlePauses(deps: Pick<MaintenanceDeps, 'clock' | 'unitOfWork'>): Promise<number> {
  let settled = 0;
  for (let after: TeammateRecord | null = null; ; ) {
    const slice = await deps.unitOfWork.run((repos) =>
      settleEndedPauses({ teammates: repos.teammates, clock: deps.clock }, { after, limit: SETTLE_BATCH }),
    );
    settled += slice.settled;
    if (slice.read < SETTLE_BATCH) return settled;
    after = slice.last;
    await yieldToEventLoop();
  }
}
