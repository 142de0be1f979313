import { z } from 'zod';
import type { IsoDate } from '../career/dates.js';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { isoDate, slackId, timestamp } from './input.js';
import type { Timestamp } from './types.js';

/**
 * Where the reminder engine keeps its work (db/006): the plan (when to look at each teammate next)
 * and the ledger (each reminder claimed or sent, unique per workspace, person, kind and window).
 */

export interface ReminderKey {
  teamId: string;
  userId: string;
  kind: string;
  windowKey: string;
}

export interface PlanRow {
  teamId: string;
  userId: string;
  /** UTC ISO instant; null when nothing can be due until the record changes. */
  dueAt: Timestamp | null;
  kind: string | null;
  windowKey: string | null;
  attempts: number;
  unreachable: string | null;
  plannedAt: Timestamp;
}

export type PlanInput = Omit<PlanRow, 'attempts' | 'unreachable'> & { attempts?: number; unreachable?: string | null };

export interface DueCount {
  kind: string;
  day: number;
  count: number;
}

export type LedgerStatus = 'claimed' | 'sent' | 'undeliverable';

export interface LedgerEntry extends ReminderKey {
  status: LedgerStatus;
  localDate: IsoDate;
  claimedAt: Timestamp;
  sentAt: Timestamp | null;
  error: string | null;
}

/** A position in the teammates table by (timestamp, team, user), for reading changes in batches. */
export interface ChangeCursor {
  at: string;
  teamId: string;
  userId: string;
}

export type ChangeColumn = 'updated_at' | 'tz_fetched_at';

export type ReminderStore = Async<ReminderStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface ReminderStoreSync {
  /** Plan rows due at or before `now`, earliest first: served by the partial index on due_at. */
  due(now: Timestamp, limit: number): PlanRow[];
  /** Plan rows due in [from, to), earliest first, every workspace (the sandbox's clock skips to the first). */
  dueBetween(from: Timestamp, to: Timestamp, limit: number): PlanRow[];
  /**
   * For previews: one workspace's planned sends due before `until` (overdue ones included: they go
   * at the next tick), counted per kind and day. `day` is how many of `dayStarts` (ascending) are
   * at or before the due time: 0 for the first day. One grouped read of reminder_plan_team_due.
   */
  dueCounts(teamId: string, until: Timestamp, dayStarts: readonly Timestamp[]): DueCount[];
  /** For previews: the first `limit` people due before `until` with a kind matching `kindGlob`, in due order. */
  dueSample(teamId: string, until: Timestamp, kindGlob: string, limit: number): string[];
  getPlan(teamId: string, userId: string): PlanRow | null;
  /** Creates or replaces a person's plan row. */
  setPlan(row: PlanInput): void;
  /** Creates or replaces many plan rows in one transaction. */
  setPlans(rows: readonly PlanInput[]): void;
  dropPlan(teamId: string, userId: string): void;
  /** Kinds already in the ledger (claimed, sent or undeliverable) for one window. */
  kinds(teamId: string, userId: string, windowKey: string): Set<string>;
  /** The latest local day the person was sent (or claimed for) a reminder. */
  lastLocalDate(teamId: string, userId: string): IsoDate | null;
  /**
   * Takes the key before sending, atomically: false when the key is already in the ledger, or when
   * the person already has a reminder on `localDate` (at most one a day). Safe between instances
   * sharing the database: one immediate transaction. `perDay: false` skips the daily limit (a
   * manager's note that goes with the person's own reminder).
   */
  claim(key: ReminderKey, localDate: IsoDate, at: Timestamp, options?: { perDay?: boolean }): boolean;
  /** Records a claimed reminder as sent, and (in the same transaction) the person's next plan when given. */
  markSent(key: ReminderKey, at: Timestamp, nextPlan?: PlanInput): void;
  markUndeliverable(key: ReminderKey, error: string, at: Timestamp): void;
  /** Gives a claim back after a failure worth retrying: the key may be claimed again. */
  release(key: ReminderKey): void;
  entries(teamId: string, userId: string): LedgerEntry[];
  /**
   * Retention: looks at the next `limit` ledger rows after `cursor` in key order (the primary key:
   * no index of its own, which would cost as much disk as the ledger's key), and deletes those
   * claimed before `before` that are not of the person's current window: what "at most once" still
   * needs is kept however old. Returns the rows deleted and the last key looked at (null at the end).
   */
  pruneLedger(
    before: Timestamp,
    cursor: ReminderKey | null,
    limit: number,
  ): { deleted: number; next: ReminderKey | null };
  /** Keys of teammates whose `column` is after `cursor`, in order, at most `limit`. */
  changedSince(
    column: ChangeColumn,
    cursor: ChangeCursor | null,
    limit: number,
  ): { teamId: string; userId: string; at: string }[];
  /** The last teammate in `column` order (the end of a full pass), or null when there is none. */
  lastChange(column: ChangeColumn): ChangeCursor | null;
  getState(name: string): string | null;
  setState(name: string, value: string): void;
}

interface PlanDbRow {
  team_id: string;
  user_id: string;
  due_at: string | null;
  kind: string | null;
  window_key: string | null;
  attempts: number;
  unreachable: string | null;
  planned_at: string;
}

interface LedgerDbRow {
  team_id: string;
  user_id: string;
  kind: string;
  window_key: string;
  status: string;
  local_date: string;
  claimed_at: string;
  sent_at: string | null;
  error: string | null;
}

function toPlan(r: PlanDbRow): PlanRow {
  return {
    teamId: r.team_id,
    userId: r.user_id,
    dueAt: r.due_at,
    kind: r.kind,
    windowKey: r.window_key,
    attempts: r.attempts,
    unreachable: r.unreachable,
    plannedAt: r.planned_at,
  };
}

const kindSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a reminder kind such as heads-up or checkin-2');
const windowKeySchema = z.string().min(1).max(300);

const keySchema = z.object({ teamId: slackId, userId: slackId, kind: kindSchema, windowKey: windowKeySchema });

const planSchema = z.object({
  teamId: slackId,
  userId: slackId,
  dueAt: timestamp.nullable(),
  kind: kindSchema.nullable(),
  windowKey: windowKeySchema.nullable(),
  attempts: z.int().min(0).default(0),
  unreachable: z.string().max(100).nullable().default(null),
  plannedAt: timestamp,
});

type Key4 = [teamId: string, userId: string, kind: string, windowKey: string];

export class SqliteReminderStore implements ReminderStoreSync {
  private readonly db: Db;
  private readonly sql;

  constructor(db: Db) {
    this.db = db;
    this.sql = {
      due: db.prepare<[now: string, limit: number], PlanDbRow>(
        'SELECT * FROM reminder_plan WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?',
      ),
      dueBetween: db.prepare<[from: string, to: string, limit: number], PlanDbRow>(
        'SELECT * FROM reminder_plan WHERE due_at IS NOT NULL AND due_at >= ? AND due_at < ? ORDER BY due_at LIMIT ?',
      ),
      // Both read reminder_plan_team_due (db/011) alone: the workspace's rows due before `until`.
      dueCounts: db.prepare<[dayStarts: string, teamId: string, until: string], DueCount>(
        `SELECT kind, (SELECT count(*) FROM json_each(?) WHERE value <= due_at) AS day, count(*) AS count
         FROM reminder_plan WHERE team_id = ? AND due_at IS NOT NULL AND due_at < ? AND kind IS NOT NULL
         GROUP BY kind, day`,
      ),
      dueSample: db.prepare<[teamId: string, until: string, kindGlob: string, limit: number], { user_id: string }>(
        `SELECT user_id FROM reminder_plan WHERE team_id = ? AND due_at IS NOT NULL AND due_at < ? AND kind GLOB ?
         ORDER BY due_at, user_id LIMIT ?`,
      ),
      getPlan: db.prepare<[string, string], PlanDbRow>('SELECT * FROM reminder_plan WHERE team_id = ? AND user_id = ?'),
      setPlan: db.prepare<[z.output<typeof planSchema>], void>(
        `INSERT INTO reminder_plan (team_id, user_id, due_at, kind, window_key, attempts, unreachable, planned_at)
         VALUES (@teamId, @userId, @dueAt, @kind, @windowKey, @attempts, @unreachable, @plannedAt)
         ON CONFLICT (team_id, user_id) DO UPDATE SET due_at = excluded.due_at, kind = excluded.kind,
           window_key = excluded.window_key, attempts = excluded.attempts, unreachable = excluded.unreachable,
           planned_at = excluded.planned_at`,
      ),
      dropPlan: db.prepare<[string, string], void>('DELETE FROM reminder_plan WHERE team_id = ? AND user_id = ?'),
      kinds: db.prepare<[string, string, string], { kind: string }>(
        'SELECT kind FROM reminder_ledger WHERE team_id = ? AND user_id = ? AND window_key = ?',
      ),
      lastLocalDate: db.prepare<[string, string], { last: string | null }>(
        'SELECT max(local_date) AS last FROM reminder_ledger WHERE team_id = ? AND user_id = ?',
      ),
      onDay: db.prepare<[string, string, string], { n: number }>(
        'SELECT count(*) AS n FROM reminder_ledger WHERE team_id = ? AND user_id = ? AND local_date = ?',
      ),
      claim: db.prepare<[...Key4, localDate: string, at: string], void>(
        `INSERT INTO reminder_ledger (team_id, user_id, kind, window_key, status, local_date, claimed_at)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING`,
      ),
      mark: db.prepare<[status: string, at: string | null, error: string | null, ...Key4], void>(
        `UPDATE reminder_ledger SET status = ?, sent_at = ?, error = ?
         WHERE team_id = ? AND user_id = ? AND kind = ? AND window_key = ?`,
      ),
      release: db.prepare<Key4, void>(
        `DELETE FROM reminder_ledger
         WHERE team_id = ? AND user_id = ? AND kind = ? AND window_key = ? AND status = 'claimed'`,
      ),
      entries: db.prepare<[string, string], LedgerDbRow>(
        'SELECT * FROM reminder_ledger WHERE team_id = ? AND user_id = ? ORDER BY claimed_at, kind',
      ),
      // Row values compare in primary key order.
      pruneScan: db.prepare<[PruneFrom & { limit: number }], LedgerDbRow>(
        `SELECT team_id, user_id, kind, window_key FROM reminder_ledger
         WHERE (team_id, user_id, kind, window_key) > (@teamId, @userId, @kind, @windowKey)
         ORDER BY team_id, user_id, kind, window_key LIMIT @limit`,
      ),
      // NOTE: the window expression is windowKeyOf (src/reminders/engine.ts) in SQL; the retention
      // tests send, prune and tick again, so a difference fails them.
      pruneDelete: db.prepare<
        [
          PruneFrom & {
            before: string;
            lastTeamId: string;
            lastUserId: string;
            lastKind: string;
            lastWindowKey: string;
          },
        ],
        void
      >(
        `DELETE FROM reminder_ledger AS l
         WHERE (team_id, user_id, kind, window_key) > (@teamId, @userId, @kind, @windowKey)
           AND (team_id, user_id, kind, window_key) <= (@lastTeamId, @lastUserId, @lastKind, @lastWindowKey)
           AND claimed_at < @before
           AND NOT EXISTS (SELECT 1 FROM teammates t WHERE t.team_id = l.team_id AND t.user_id = l.user_id
                           AND t.framework_id || '/' || t.level_id || '/' || t.since = l.window_key)`,
      ),
      // Row values compare in index order (db/006: teammates_by_update, teammates_by_tz_fetch).
      changedUpdated: db.prepare<[at: string, teamId: string, userId: string, limit: number], ChangedRow>(
        `SELECT team_id, user_id, updated_at AS at FROM teammates
         WHERE (updated_at, team_id, user_id) > (?, ?, ?) ORDER BY updated_at, team_id, user_id LIMIT ?`,
      ),
      changedTz: db.prepare<[at: string, teamId: string, userId: string, limit: number], ChangedRow>(
        `SELECT team_id, user_id, tz_fetched_at AS at FROM teammates
         WHERE tz_fetched_at IS NOT NULL AND (tz_fetched_at, team_id, user_id) > (?, ?, ?)
         ORDER BY tz_fetched_at, team_id, user_id LIMIT ?`,
      ),
      lastUpdated: db.prepare<[], ChangedRow>(
        `SELECT team_id, user_id, updated_at AS at FROM teammates
         ORDER BY updated_at DESC, team_id DESC, user_id DESC LIMIT 1`,
      ),
      lastTz: db.prepare<[], ChangedRow>(
        `SELECT team_id, user_id, tz_fetched_at AS at FROM teammates WHERE tz_fetched_at IS NOT NULL
         ORDER BY tz_fetched_at DESC, team_id DESC, user_id DESC LIMIT 1`,
      ),
      getState: db.prepare<[string], { value: string }>('SELECT value FROM reminder_state WHERE name = ?'),
      setState: db.prepare<[string, string], void>(
        'INSERT INTO reminder_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  due(now: Timestamp, limit: number): PlanRow[] {
    return this.sql.due.all(parseInput(timestamp, now, 'now'), limit).map(toPlan);
  }

  dueBetween(from: Timestamp, to: Timestamp, limit: number): PlanRow[] {
    return this.sql.dueBetween
      .all(parseInput(timestamp, from, 'from'), parseInput(timestamp, to, 'to'), limit)
      .map(toPlan);
  }

  dueCounts(teamId: string, until: Timestamp, dayStarts: readonly Timestamp[]): DueCount[] {
    const starts = dayStarts.map((d) => parseInput(timestamp, d, 'day start'));
    return this.sql.dueCounts.all(JSON.stringify(starts), teamId, parseInput(timestamp, until, 'until'));
  }

  dueSample(teamId: string, until: Timestamp, kindGlob: string, limit: number): string[] {
    return this.sql.dueSample.all(teamId, parseInput(timestamp, until, 'until'), kindGlob, limit).map((r) => r.user_id);
  }

  getPlan(teamId: string, userId: string): PlanRow | null {
    const row = this.sql.getPlan.get(teamId, userId);
    return row ? toPlan(row) : null;
  }

  setPlan(row: PlanInput): void {
    this.sql.setPlan.run(parseInput(planSchema, row, 'reminder plan'));
  }

  setPlans(rows: readonly PlanInput[]): void {
    const parsed = rows.map((row) => parseInput(planSchema, row, 'reminder plan'));
    this.db
      .transaction(() => {
        for (const row of parsed) this.sql.setPlan.run(row);
      })
      .immediate();
  }

  dropPlan(teamId: string, userId: string): void {
    this.sql.dropPlan.run(teamId, userId);
  }

  kinds(teamId: string, userId: string, windowKey: string): Set<string> {
    return new Set(this.sql.kinds.all(teamId, userId, windowKey).map((r) => r.kind));
  }

  lastLocalDate(teamId: string, userId: string): IsoDate | null {
    return this.sql.lastLocalDate.get(teamId, userId)?.last ?? null;
  }

  claim(key: ReminderKey, localDate: IsoDate, at: Timestamp, options: { perDay?: boolean } = {}): boolean {
    const k = parseInput(keySchema, key, 'reminder');
    const day = parseInput(isoDate, localDate, 'local date');
    const when = parseInput(timestamp, at, 'claimed at');
    return this.db
      .transaction(() => {
        if (options.perDay !== false && (this.sql.onDay.get(k.teamId, k.userId, day)?.n ?? 0) > 0) return false;
        return this.sql.claim.run(k.teamId, k.userId, k.kind, k.windowKey, day, when).changes === 1;
      })
      .immediate();
  }

  markSent(key: ReminderKey, at: Timestamp, nextPlan?: PlanInput): void {
    const k = parseInput(keySchema, key, 'reminder');
    const when = parseInput(timestamp, at, 'sent at');
    const plan = nextPlan === undefined ? undefined : parseInput(planSchema, nextPlan, 'reminder plan');
    // One commit for "sent" and the person's next plan: each commit waits for the disk.
    this.db
      .transaction(() => {
        this.sql.mark.run('sent', when, null, k.teamId, k.userId, k.kind, k.windowKey);
        if (plan !== undefined) this.sql.setPlan.run(plan);
      })
      .immediate();
  }

  markUndeliverable(key: ReminderKey, error: string, at: Timestamp): void {
    const k = parseInput(keySchema, key, 'reminder');
    this.sql.mark.run(
      'undeliverable',
      parseInput(timestamp, at, 'at'),
      error.slice(0, 100),
      k.teamId,
      k.userId,
      k.kind,
      k.windowKey,
    );
  }

  release(key: ReminderKey): void {
    const k = parseInput(keySchema, key, 'reminder');
    this.sql.release.run(k.teamId, k.userId, k.kind, k.windowKey);
  }

  entries(teamId: string, userId: string): LedgerEntry[] {
    // NOTE: the cast to LedgerStatus is safe: the column's CHECK lists exactly those values.
    return this.sql.entries.all(teamId, userId).map((r) => ({
      teamId: r.team_id,
      userId: r.user_id,
      kind: r.kind,
      windowKey: r.window_key,
      status: r.status as LedgerStatus,
      localDate: r.local_date,
      claimedAt: r.claimed_at,
      sentAt: r.sent_at,
      error: r.error,
    }));
  }

  pruneLedger(
    before: Timestamp,
    cursor: ReminderKey | null,
    limit: number,
  ): { deleted: number; next: ReminderKey | null } {
    const from: PruneFrom = cursor ?? { teamId: '', userId: '', kind: '', windowKey: '' };
    const cutOff = parseInput(timestamp, before, 'prune cut-off');
    return this.db
      .transaction(() => {
        const last = this.sql.pruneScan.all({ ...from, limit }).at(-1);
        if (last === undefined) return { deleted: 0, next: null };
        const next = { teamId: last.team_id, userId: last.user_id, kind: last.kind, windowKey: last.window_key };
        const deleted = this.sql.pruneDelete.run({
          ...from,
          before: cutOff,
          lastTeamId: next.teamId,
          lastUserId: next.userId,
          lastKind: next.kind,
          lastWindowKey: next.windowKey,
        }).changes;
        return { deleted, next };
      })
      .immediate();
  }

  changedSince(column: ChangeColumn, cursor: ChangeCursor | null, limit: number) {
    const c = cursor ?? { at: '', teamId: '', userId: '' };
    const statement = column === 'updated_at' ? this.sql.changedUpdated : this.sql.changedTz;
    return statement
      .all(c.at, c.teamId, c.userId, limit)
      .map((r) => ({ teamId: r.team_id, userId: r.user_id, at: r.at }));
  }

  lastChange(column: ChangeColumn): ChangeCursor | null {
    const r = (column === 'updated_at' ? this.sql.lastUpdated : this.sql.lastTz).get();
    return r ? { at: r.at, teamId: r.team_id, userId: r.user_id } : null;
  }

  getState(name: string): string | null {
    return this.sql.getState.get(name)?.value ?? null;
  }

  setState(name: string, value: string): void {
    this.sql.setState.run(name, value);
  }
}

type PruneFrom = Pick<ReminderKey, 'teamId' | 'userId' | 'kind' | 'windowKey'>;

interface ChangedRow {
  team_id: string;
  user_id: string;
  at: string;
}
