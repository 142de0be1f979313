import type { CheckinStore } from './checkins.js';
import type { ProcessedEventStore } from './events.js';
import type { EvidenceStore } from './evidence.js';
import type { EvidenceAskStore } from './evidence-asks.js';
import type { GrowthStore } from './growth.js';
import type { ImportStore } from './imports.js';
import type { OutboxStore } from './outbox.js';
import type { PendingChangeStore } from './pending.js';
import type { PromotionStore } from './promotions.js';
import type { ReminderStore } from './reminders.js';
import type { TeammateStore } from './teammates.js';
import type { WorkspaceStore } from './workspaces.js';

/**
 * The ports the domain and the services speak to storage through: one module per repository (its
 * interface and the plain types its methods take and return), the errors they throw on purpose
 * (errors.ts), and here the set of them and the unit of work. Types only, no SQL and no zod: the
 * implementations (src/store/, one per engine behind src/db/sql.ts) are handed in by the composition root.
 */

/** Every repository the app needs: on their own (each call commits) or bound to one unit of work. */
export interface Repos {
  teammates: TeammateStore;
  workspaces: WorkspaceStore;
  events: ProcessedEventStore;
  /** `/career set` changes waiting for their Confirm button. */
  pending: PendingChangeStore;
  checkins: CheckinStore;
  /** Notifications that failed, for the background job to retry. */
  outbox: OutboxStore;
  /** Growth channel, growth preferences and the weekly ledger (channel posts, manager digests). */
  growth: GrowthStore;
  /** The reminder plan and ledger (the engine's own; read here for `/career admin schedule`). */
  reminders: ReminderStore;
  /** Bulk imports written in batches (`npm run import`), and their staged rows until written. */
  imports: ImportStore;
  /** Each person's evidence log (issue 17). */
  evidence: EvidenceStore;
  /** Asks to colleagues for an example, until the person keeps or lets go of the answer (issue 17). */
  evidenceAsks: EvidenceAskStore;
  /** Promotion cases and where they go (issue 17). */
  promotions: PromotionStore;
}

/**
 * One user action, one transaction. `run(async (repos) => …)` gives the work repositories bound to
 * one transaction: all of its writes land together or none do. When the engine says the transaction
 * lost a race (SQLite's lock, PostgreSQL's serialization failure or deadlock), the WHOLE unit runs
 * again after a pause, never half of it; past the last pause it fails with DatabaseBusyError, having
 * written nothing.
 *
 * A unit must not call Slack: gather what Slack says first, then write once. A unit started inside
 * another joins it (one transaction, retried as the outer one).
 */
export interface UnitOfWork<R> {
  run<T>(work: (repos: R) => Promise<T>, options?: UnitOptions): Promise<T>;
}

export interface UnitOptions {
  /** Pauses between attempts; the default suits a request waiting for its ack (about 1.6 s in all). */
  delays?: readonly number[];
  /**
   * The unit only reads (an export, the brag file): one consistent snapshot that does not wait for a writer (a backup,
   * an import) on SQLite, READ ONLY on PostgreSQL. A write inside it is refused and nothing is written; a unit started
   * inside it joins it, reading only too.
   */
  readOnly?: boolean;
}

/** The repositories, built once in the composition root and passed down in the context, and the unit of work. */
export interface Stores extends Repos {
  /**
   * Runs `work` (repository calls only, no Slack) as one transaction, retried whole when it loses a
   * race for the database: all of its writes or none, and one commit. A background slice of many
   * small writes uses it too, so the disk is waited on once per slice rather than once per row.
   */
  unitOfWork: UnitOfWork<Repos>;
}
