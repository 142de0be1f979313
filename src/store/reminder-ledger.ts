import { z } from 'zod';
import type { IsoDate } from '../career/dates.js';
import type { Sql } from '../db/sql.js';
import {
  type DueCount,
  type LedgerEntry,
  type LedgerStatus,
  MAX_DAY_STARTS,
  type PlanInput,
  type PlanRow,
  type ReminderKey,
  type ReminderStore,
  type SentMark,
} from '../ports/reminders.js';
import type { ChangeCursor } from '../ports/teammates.js';
import { parseInput } from './errors.js';
import { isoDate, slackId, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/reminders.ts, the cursor's src/ports/teammates.ts) is the contract; re-exported for the
// adapters that reach the store.
export * from '../ports/reminders.js';
export type { ChangeCursor } from '../ports/teammates.js';

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

/** A day start no due time reaches: pads `dueCounts`'s unused slots. */
const NO_DAY = '9999-12-31T00:00:00.000Z';

/** The day a due time falls on: how many of the day starts are at or before it (MAX_DAY_STARTS slots). */
const DAY_OF_DUE = Array.from({ length: MAX_DAY_STARTS }, () => 'CASE WHEN ? <= due_at THEN 1 ELSE 0 END').join(' + ');

const PLAN_COLUMNS = 'team_id, user_id, due_at, kind, window_key, attempts, unreachable, planned_at';
const KEY = 'team_id = ? AND user_id = ? AND kind = ? AND window_key = ?';

/** Every statement of the reminder store (audited by test/store/query-plans.test.ts). */
export const REMINDER_SQL = {
  due: `SELECT ${PLAN_COLUMNS} FROM reminder_plan WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?`,
  dueBetween: `SELECT ${PLAN_COLUMNS} FROM reminder_plan
    WHERE due_at IS NOT NULL AND due_at >= ? AND due_at < ? ORDER BY due_at LIMIT ?`,
  // Both read reminder_plan_team_due (db/012) alone: the workspace's rows due before `until`.
  dueCounts: `SELECT kind, ${DAY_OF_DUE} AS day, count(*) AS count
    FROM reminder_plan WHERE team_id = ? AND due_at IS NOT NULL AND due_at < ? AND kind IS NOT NULL
    GROUP BY kind, day`,
  dueSample: `SELECT user_id FROM reminder_plan WHERE team_id = ? AND due_at IS NOT NULL AND due_at < ? AND kind LIKE ?
    ORDER BY due_at, user_id LIMIT ?`,
  getPlan: `SELECT ${PLAN_COLUMNS} FROM reminder_plan WHERE team_id = ? AND user_id = ?`,
  setPlan: `INSERT INTO reminder_plan (${PLAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (team_id, user_id) DO UPDATE SET due_at = excluded.due_at, kind = excluded.kind,
      window_key = excluded.window_key, attempts = excluded.attempts, unreachable = excluded.unreachable,
      planned_at = excluded.planned_at`,
  dropPlan: 'DELETE FROM reminder_plan WHERE team_id = ? AND user_id = ?',
  // NOTE: no conflict target on purpose: the primary key (this reminder) and reminder_ledger_one_a_day
  // (this person's day, db/017) both refuse the row, and either means the claim is someone else's.
  claim: `INSERT INTO reminder_ledger (team_id, user_id, kind, window_key, status, local_date, claimed_at, per_day)
    VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`,
  mark: `UPDATE reminder_ledger SET status = ?, sent_at = ?, error = ? WHERE ${KEY}`,
  release: `DELETE FROM reminder_ledger WHERE ${KEY} AND status = 'claimed'`,
  entries: `SELECT team_id, user_id, kind, window_key, status, local_date, claimed_at, sent_at, error
    FROM reminder_ledger WHERE team_id = ? AND user_id = ? ORDER BY claimed_at, kind`,
  forgetLedger: 'DELETE FROM reminder_ledger WHERE team_id = ? AND user_id = ?',
  // Row values compare in primary key order.
  pruneScan: `SELECT team_id, user_id, kind, window_key FROM reminder_ledger
    WHERE (team_id, user_id, kind, window_key) > (?, ?, ?, ?)
    ORDER BY team_id, user_id, kind, window_key LIMIT ?`,
  // NOTE: the window expression is windowKeyOf (src/reminders/engine.ts) in SQL; the retention
  // tests send, prune and tick again, so a difference fails them.
  pruneDelete: `DELETE FROM reminder_ledger AS l
    WHERE (team_id, user_id, kind, window_key) > (?, ?, ?, ?)
      AND (team_id, user_id, kind, window_key) <= (?, ?, ?, ?)
      AND claimed_at < ?
      AND NOT EXISTS (SELECT 1 FROM teammates t WHERE t.team_id = l.team_id AND t.user_id = l.user_id
                      AND t.framework_id || '/' || t.level_id || '/' || t.since = l.window_key)`,
  // Row values compare in index order (teammates_by_change, db/016).
  changedSince: `SELECT team_id, user_id, change_seq FROM teammates
    WHERE (change_seq, team_id, user_id) > (?, ?, ?) ORDER BY change_seq, team_id, user_id LIMIT ?`,
  getState: 'SELECT value FROM reminder_state WHERE name = ?',
  setState:
    'INSERT INTO reminder_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
} as const;

type ParsedPlan = z.output<typeof planSchema>;

const planParams = (p: ParsedPlan) =>
  [p.teamId, p.userId, p.dueAt, p.kind, p.windowKey, p.attempts, p.unreachable, p.plannedAt] as const;

export class SqlReminderStore implements ReminderStore {
  constructor(private readonly sql: Sql) {}

  async due(now: Timestamp, limit: number): Promise<PlanRow[]> {
    const rows = await this.sql.all<PlanDbRow>(REMINDER_SQL.due, [parseInput(timestamp, now, 'now'), limit]);
    return rows.map(toPlan);
  }

  async dueBetween(from: Timestamp, to: Timestamp, limit: number): Promise<PlanRow[]> {
    const rows = await this.sql.all<PlanDbRow>(REMINDER_SQL.dueBetween, [
      parseInput(timestamp, from, 'from'),
      parseInput(timestamp, to, 'to'),
      limit,
    ]);
    return rows.map(toPlan);
  }

  async dueCounts(teamId: string, until: Timestamp, dayStarts: readonly Timestamp[]): Promise<DueCount[]> {
    if (dayStarts.length > MAX_DAY_STARTS) {
      throw new RangeError(`dueCounts takes at most ${MAX_DAY_STARTS} day starts, not ${dayStarts.length}`);
    }
    const starts = dayStarts.map((d) => parseInput(timestamp, d, 'day start'));
    const slots = Array.from({ length: MAX_DAY_STARTS }, (_, i) => starts[i] ?? NO_DAY);
    return this.sql.all<DueCount>(REMINDER_SQL.dueCounts, [...slots, teamId, parseInput(timestamp, until, 'until')]);
  }

  async dueSample(teamId: string, until: Timestamp, kindPattern: string, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ user_id: string }>(REMINDER_SQL.dueSample, [
      teamId,
      parseInput(timestamp, until, 'until'),
      kindPattern,
      limit,
    ]);
    return rows.map((r) => r.user_id);
  }

  async getPlan(teamId: string, userId: string): Promise<PlanRow | null> {
    const row = await this.sql.get<PlanDbRow>(REMINDER_SQL.getPlan, [teamId, userId]);
    return row ? toPlan(row) : null;
  }

  async setPlan(row: PlanInput): Promise<void> {
    await this.sql.run(REMINDER_SQL.setPlan, planParams(parseInput(planSchema, row, 'reminder plan')));
  }

  async setPlans(rows: readonly PlanInput[]): Promise<void> {
    const parsed = rows.map((row) => parseInput(planSchema, row, 'reminder plan'));
    // One commit for the batch: each commit waits for the disk.
    await this.sql.transaction(async (sql) => {
      for (const row of parsed) await sql.run(REMINDER_SQL.setPlan, planParams(row));
    });
  }

  async dropPlan(teamId: string, userId: string): Promise<void> {
    await this.sql.run(REMINDER_SQL.dropPlan, [teamId, userId]);
  }

  async claim(
    key: ReminderKey,
    localDate: IsoDate,
    at: Timestamp,
    options: { perDay?: boolean } = {},
  ): Promise<boolean> {
    const k = parseInput(keySchema, key, 'reminder');
    const day = parseInput(isoDate, localDate, 'local date');
    const when = parseInput(timestamp, at, 'claimed at');
    const perDay = options.perDay === false ? 0 : 1;
    const { changes } = await this.sql.run(REMINDER_SQL.claim, [
      k.teamId,
      k.userId,
      k.kind,
      k.windowKey,
      day,
      when,
      perDay,
    ]);
    return changes === 1;
  }

  async markSent(key: ReminderKey, at: Timestamp, nextPlan?: PlanInput): Promise<void> {
    await this.markSentMany([{ key, at, nextPlan }]);
  }

  async markSentMany(sent: readonly SentMark[]): Promise<void> {
    const parsed = sent.map(({ key, at, nextPlan }) => ({
      k: parseInput(keySchema, key, 'reminder'),
      when: parseInput(timestamp, at, 'sent at'),
      plan: nextPlan === undefined ? undefined : parseInput(planSchema, nextPlan, 'reminder plan'),
    }));
    if (parsed.length === 0) return;
    // One commit for "sent" and each person's next plan: each commit waits for the disk.
    await this.sql.transaction(async (sql) => {
      for (const { k, when, plan } of parsed) {
        await sql.run(REMINDER_SQL.mark, ['sent', when, null, k.teamId, k.userId, k.kind, k.windowKey]);
        if (plan !== undefined) await sql.run(REMINDER_SQL.setPlan, planParams(plan));
      }
    });
  }

  async markUndeliverable(key: ReminderKey, error: string, at: Timestamp): Promise<void> {
    const k = parseInput(keySchema, key, 'reminder');
    await this.sql.run(REMINDER_SQL.mark, [
      'undeliverable',
      parseInput(timestamp, at, 'at'),
      error.slice(0, 100),
      k.teamId,
      k.userId,
      k.kind,
      k.windowKey,
    ]);
  }

  async release(key: ReminderKey): Promise<void> {
    const k = parseInput(keySchema, key, 'reminder');
    await this.sql.run(REMINDER_SQL.release, [k.teamId, k.userId, k.kind, k.windowKey]);
  }

  async entries(teamId: string, userId: string): Promise<LedgerEntry[]> {
    const rows = await this.sql.all<LedgerDbRow>(REMINDER_SQL.entries, [teamId, userId]);
    // NOTE: the cast to LedgerStatus is safe: the column's CHECK lists exactly those values.
    return rows.map((r) => ({
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

  async forget(teamId: string, userId: string): Promise<number> {
    return this.sql.transaction(async (sql) => {
      const ledger = await sql.run(REMINDER_SQL.forgetLedger, [teamId, userId]);
      const plan = await sql.run(REMINDER_SQL.dropPlan, [teamId, userId]);
      return ledger.changes + plan.changes;
    });
  }

  async pruneLedger(
    before: Timestamp,
    cursor: ReminderKey | null,
    limit: number,
  ): Promise<{ deleted: number; next: ReminderKey | null }> {
    const from = cursor ?? { teamId: '', userId: '', kind: '', windowKey: '' };
    const after = [from.teamId, from.userId, from.kind, from.windowKey];
    const cutOff = parseInput(timestamp, before, 'prune cut-off');
    return this.sql.transaction(async (sql) => {
      const scanned = await sql.all<Pick<LedgerDbRow, 'team_id' | 'user_id' | 'kind' | 'window_key'>>(
        REMINDER_SQL.pruneScan,
        [...after, limit],
      );
      const last = scanned.at(-1);
      if (last === undefined) return { deleted: 0, next: null };
      const next = { teamId: last.team_id, userId: last.user_id, kind: last.kind, windowKey: last.window_key };
      const { changes } = await sql.run(REMINDER_SQL.pruneDelete, [
        ...after,
        next.teamId,
        next.userId,
        next.kind,
        next.windowKey,
        cutOff,
      ]);
      return { deleted: changes, next };
    });
  }

  async changedSince(cursor: ChangeCursor | null, limit: number): Promise<ChangeCursor[]> {
    // change_seq starts at 0 (a record no unit of work has stamped yet): -1 is before every record.
    const c = cursor ?? { seq: -1, teamId: '', userId: '' };
    const rows = await this.sql.all<{ team_id: string; user_id: string; change_seq: number }>(
      REMINDER_SQL.changedSince,
      [c.seq, c.teamId, c.userId, limit],
    );
    return rows.map((r) => ({ seq: r.change_seq, teamId: r.team_id, userId: r.user_id }));
  }

  async getState(name: string): Promise<string | null> {
    return (await this.sql.get<{ value: string }>(REMINDER_SQL.getState, [name]))?.value ?? null;
  }

  async setState(name: string, value: string): Promise<void> {
    await this.sql.run(REMINDER_SQL.setState, [name, value]);
  }
}

STORE_SQL.reminders = REMINDER_SQL;
