import { z } from 'zod';
import { type IsoDate, utcDateOf } from '../career/dates.js';
import type { Sql } from '../db/sql.js';
import type {
  ChangeCursor,
  ImportCounts,
  ImportRow,
  ParsedTeammateChange,
  PauseRequest,
  RecordCount,
  ResumeRequest,
  StatusChange,
  TeammateChange,
  TeammateOwnExport,
  TeammateStore,
  UpsertResult,
} from '../ports/teammates.js';
import {
  type CoreFields,
  historyDiff,
  nextCoreFields,
  type PauseRefusal,
  whyNotEndPause,
  whyNotPause,
  whyNotResume,
} from '../teammates/rules.js';
import { describeIssues, InvalidInputError, parseInput, StateConflictError, TeammateNotFoundError } from './errors.js';
import { isoDate, note, nudgePreference, slackId, teammateChangeSchema, timestamp, timeZone } from './input.js';
import { STORE_SQL } from './statements.js';
import type {
  HistoryEntry,
  HistoryField,
  NudgePreference,
  Pause,
  TeammateRecord,
  TeammateStatus,
  Timestamp,
} from './types.js';

// The port (src/ports/teammates.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/teammates.js';

interface TeammateRow {
  team_id: string;
  user_id: string;
  framework_id: string;
  level_id: string;
  since: string;
  manager_id: string | null;
  title: string | null;
  status: string;
  paused_until: string | null;
  tz: string | null;
  tz_fetched_at: string | null;
  nudges: string;
  created_at: string;
  updated_at: string;
}

interface HistoryRow {
  id: number;
  team_id: string;
  user_id: string;
  field: string;
  from_value: string | null;
  to_value: string | null;
  changed_by: string;
  changed_at: string;
  note: string | null;
}

interface PauseRow {
  id: number;
  team_id: string;
  user_id: string;
  start_date: string;
  end_date: string | null;
  created_at: string;
}

// NOTE: the casts to TeammateStatus, NudgePreference and HistoryField are safe because the columns
// carry CHECK constraints listing exactly those values (db/001_initial.sql).
function toRecord(row: TeammateRow): TeammateRecord {
  return {
    teamId: row.team_id,
    userId: row.user_id,
    frameworkId: row.framework_id,
    levelId: row.level_id,
    since: row.since,
    managerId: row.manager_id,
    title: row.title,
    status: row.status as TeammateStatus,
    pausedUntil: row.paused_until,
    tz: row.tz,
    tzFetchedAt: row.tz_fetched_at,
    nudges: row.nudges as NudgePreference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toHistory(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    field: row.field as HistoryField,
    from: row.from_value,
    to: row.to_value,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    note: row.note,
  };
}

function toPause(row: PauseRow): Pause {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    start: row.start_date,
    end: row.end_date,
    createdAt: row.created_at,
  };
}

/**
 * The pauses of the teammate row `t` as `id,start,end,created;…` (read back, and put in order, by `withPauses`):
 * one statement for a record and its pauses, in SQL both engines run (no JSON functions). Unordered: an ORDER BY
 * inside the aggregate made SQLite build a temporary B-tree for every record read, pauses or not.
 */
const PAUSES_LIST = `(SELECT string_agg(CAST(p.id AS TEXT) || ',' || p.start_date || ',' || COALESCE(p.end_date, '')
    || ',' || p.created_at, ';')
  FROM pauses p WHERE p.team_id = t.team_id AND p.user_id = t.user_id)`;

/**
 * The hot reads an engine may keep between requests (`/career me`, help, a lookup's own team; the reminder
 * tick's records): each reads only teammates and pauses, whose every change drops what was kept (Engine.keepReads).
 */
export const TEAMMATE_KEPT_READS = (): readonly string[] => [
  TEAMMATE_SQL.get,
  TEAMMATE_SQL.getWithPauses,
  TEAMMATE_SQL.isManager,
];

/** The most user ids `withRecords` checks in one statement: one page of Slack's users.list (`limit` 200). */
export const RECORD_CHECK_MAX = 200;

/** Every statement of the teammate store (see src/store/statements.ts). */
export const TEAMMATE_SQL = {
  // `/career admin people`: the workspace's records by framework and status, as kept in teammate_counts (db/022): a
  // few rows, whatever the size of the workspace.
  census: `SELECT framework_id, status, n FROM teammate_counts WHERE team_id = ? AND n > 0
    ORDER BY framework_id, status`,
  // One more or one fewer record of a framework in a status (`recount`), in the unit that writes the record. One
  // fewer is an UPDATE: both engines check the row an INSERT proposes (n = -1) before its conflict is resolved.
  countUp: `INSERT INTO teammate_counts (team_id, framework_id, status, n) VALUES (?, ?, ?, ?)
    ON CONFLICT (team_id, framework_id, status) DO UPDATE SET n = teammate_counts.n + excluded.n`,
  countDown: 'UPDATE teammate_counts SET n = n - ? WHERE team_id = ? AND framework_id = ? AND status = ?',
  // Which of one page of Slack members have a record: one probe of the primary key per id, in one statement. The
  // list always has RECORD_CHECK_MAX places (the unused ones NULL, which match nothing), so it is one constant the
  // query-plan audit sees and each engine prepares once.
  withRecords: `SELECT user_id FROM teammates WHERE team_id = ? AND user_id IN (${Array(RECORD_CHECK_MAX).fill('?').join(', ')})`,
  get: 'SELECT * FROM teammates WHERE team_id = ? AND user_id = ?',
  // The record and its pauses in one statement: a card needs both.
  getWithPauses: `SELECT t.*, ${PAUSES_LIST} AS pauses_list FROM teammates t WHERE t.team_id = ? AND t.user_id = ?`,
  // isManager, reports and countReports are served by teammates_by_manager (team_id, manager_id, user_id),
  // reports already in order (db/009), so a LIMIT stops the walk after the rows it returns.
  isManager: `SELECT CASE WHEN EXISTS (SELECT 1 FROM teammates WHERE team_id = ? AND manager_id = ? AND status != 'left')
    THEN 1 ELSE 0 END AS managing`,
  reports: `SELECT t.*, ${PAUSES_LIST} AS pauses_list FROM teammates t
    WHERE t.team_id = ? AND t.manager_id = ? AND t.status != 'left' ORDER BY t.user_id LIMIT ?`,
  countReports: `SELECT count(*) AS n FROM teammates WHERE team_id = ? AND manager_id = ? AND status != 'left'`,
  listAll: 'SELECT * FROM teammates WHERE team_id = ? ORDER BY user_id',
  // A range of the primary key.
  listPage: 'SELECT * FROM teammates WHERE team_id = ? AND user_id > ? ORDER BY user_id LIMIT ?',
  // Served by the partial index teammates_pause_returns (db/002).
  pausedWithReturnBy: `SELECT * FROM teammates WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?
    ORDER BY paused_until, team_id, user_id`,
  pausedWithReturnByPage: `SELECT * FROM teammates WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?
      AND (paused_until, team_id, user_id) > (?, ?, ?)
    ORDER BY paused_until, team_id, user_id LIMIT ?`,
  // A range of teammates_by_change (db/016).
  changedSince: `SELECT change_seq AS seq, team_id, user_id FROM teammates WHERE (change_seq, team_id, user_id) > (?, ?, ?)
    ORDER BY change_seq, team_id, user_id LIMIT ?`,
  // The highest number, then the last record stamped with it: two probes of teammates_by_change.
  lastChange: `SELECT change_seq AS seq, team_id, user_id FROM teammates
    WHERE change_seq = (SELECT max(change_seq) FROM teammates) ORDER BY team_id DESC, user_id DESC LIMIT 1`,
  // The next number of the change sequence. The row stays locked until the transaction ends, so the
  // transactions that take numbers commit in their order (db/016).
  nextChange: 'UPDATE change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq',
  markChanged: 'UPDATE teammates SET change_seq = ? WHERE team_id = ? AND user_id = ?',
  // The teammates → workspaces foreign key needs the workspace row; a single-token install never
  // sends an install event, so the first record written is how Ripple learns of the workspace.
  ensureWorkspace:
    'INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?) ON CONFLICT (team_id) DO NOTHING',
  insert: `INSERT INTO teammates
      (team_id, user_id, framework_id, level_id, since, manager_id, title, created_at, updated_at, change_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateCore: `UPDATE teammates
    SET framework_id = ?, level_id = ?, since = ?, manager_id = ?, title = ?, updated_at = ?, change_seq = ?
    WHERE team_id = ? AND user_id = ?`,
  updateStatus:
    'UPDATE teammates SET status = ?, paused_until = ?, updated_at = ?, change_seq = ? WHERE team_id = ? AND user_id = ?',
  updateTimeZone: 'UPDATE teammates SET tz = ?, tz_fetched_at = ?, change_seq = ? WHERE team_id = ? AND user_id = ?',
  updateNudges: 'UPDATE teammates SET nudges = ?, updated_at = ?, change_seq = ? WHERE team_id = ? AND user_id = ?',
  insertHistory: `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at, note)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  history: 'SELECT * FROM teammate_history WHERE team_id = ? AND user_id = ? ORDER BY id',
  pauses: 'SELECT * FROM pauses WHERE team_id = ? AND user_id = ? ORDER BY start_date, id',
  openPause: 'SELECT * FROM pauses WHERE team_id = ? AND user_id = ? AND end_date IS NULL',
  lastPauseEnd: 'SELECT max(end_date) AS last FROM pauses WHERE team_id = ? AND user_id = ?',
  insertPause: 'INSERT INTO pauses (team_id, user_id, start_date, created_at) VALUES (?, ?, ?, ?)',
  closePause: 'UPDATE pauses SET end_date = ? WHERE team_id = ? AND user_id = ? AND end_date IS NULL',
  deleteHistory: 'DELETE FROM teammate_history WHERE team_id = ? AND user_id = ?',
  deletePauses: 'DELETE FROM pauses WHERE team_id = ? AND user_id = ?',
  deleteTeammate: 'DELETE FROM teammates WHERE team_id = ? AND user_id = ?',
} as const;
STORE_SQL.teammates = TEAMMATE_SQL;

function withPauses(row: TeammateRow & { pauses_list: string | null }): { record: TeammateRecord; pauses: Pause[] } {
  const { team_id: teamId, user_id: userId } = row;
  const pauses = (row.pauses_list ?? '')
    .split(';')
    .filter((item) => item !== '')
    .map((item) => {
      const [id, start, end, createdAt] = item.split(',') as [string, string, string, string];
      return { id: Number(id), teamId, userId, start, end: end === '' ? null : end, createdAt };
    });
  // Oldest first, as `pauses` reads them (ISO dates compare as text).
  if (pauses.length > 1) pauses.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id - b.id));
  return { record: toRecord(row), pauses };
}

/**
 * The change number of the transaction `sql` runs in, taken on first use: one per transaction, however
 * many records it writes. A transaction retried whole is a new `sql`, and takes a new number.
 */
const changeNumbers = new WeakMap<Sql, Promise<number>>();
export function changeNumberOf(sql: Sql): Promise<number> {
  let taken = changeNumbers.get(sql);
  if (!taken) {
    taken = sql.get<{ seq: number }>(TEAMMATE_SQL.nextChange).then((row) => {
      if (!row) throw new Error('change_counter has no row: the database was not migrated (db/016)');
      return Number(row.seq);
    });
    changeNumbers.set(sql, taken);
  }
  return taken;
}

function conflict(refusal: PauseRefusal | null): void {
  if (refusal) throw new StateConflictError(refusal.conflict, refusal.message);
}

const keySchema = z.object({ teamId: slackId, userId: slackId });

const statusChangeSchema = z.object({
  status: z.enum(['active', 'left']),
  changedBy: slackId,
  at: timestamp,
  note: note.optional(),
  on: isoDate.optional(),
});

const pauseSchema = z
  .object({ start: isoDate, until: isoDate.optional(), changedBy: slackId, at: timestamp, note: note.optional() })
  .refine((p) => p.until === undefined || p.until > p.start, {
    message: 'the day back must be after the first day away',
    path: ['until'],
  });

const resumeSchema = z.object({ on: isoDate, changedBy: slackId, at: timestamp, note: note.optional() });

const importSchema = z.object({ changedBy: slackId, at: timestamp });

/**
 * What `importMany` accepts, checked without writing: every row valid and each person once. Throws
 * InvalidInputError listing every problem; a bulk import checks its whole plan with this before
 * writing its first batch.
 */
export function checkImportRows(rows: readonly ImportRow[], changedBy: string, at: Timestamp): ParsedTeammateChange[] {
  const shared = parseInput(importSchema, { changedBy, at }, 'import');
  const problems: string[] = [];
  const changes: ParsedTeammateChange[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const result = teammateChangeSchema.safeParse({ ...row, ...shared });
    if (!result.success) {
      problems.push(...describeIssues(result.error.issues, `row ${i + 1}, `));
      return;
    }
    const key = `${result.data.teamId}/${result.data.userId}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`row ${i + 1}: ${result.data.userId} is already in row ${first + 1}`);
    else seen.set(key, i);
    changes.push(result.data);
  });
  if (problems.length > 0) throw new InvalidInputError('import', problems);
  return changes;
}

export class SqlTeammateStore implements TeammateStore {
  constructor(private readonly sql: Sql) {}

  async get(teamId: string, userId: string): Promise<TeammateRecord | null> {
    return getOn(this.sql, teamId, userId);
  }

  async getWithPauses(teamId: string, userId: string): Promise<{ record: TeammateRecord; pauses: Pause[] } | null> {
    const row = await this.sql.get<TeammateRow & { pauses_list: string | null }>(TEAMMATE_SQL.getWithPauses, [
      teamId,
      userId,
    ]);
    return row ? withPauses(row) : null;
  }

  async isManager(teamId: string, userId: string): Promise<boolean> {
    const row = await this.sql.get<{ managing: number }>(TEAMMATE_SQL.isManager, [teamId, userId]);
    return Number(row?.managing) === 1;
  }

  async reports(
    teamId: string,
    managerId: string,
    limit?: number,
  ): Promise<{ record: TeammateRecord; pauses: Pause[] }[]> {
    // No limit: the largest both engines take (SQLite's "negative is none" is not PostgreSQL's).
    const rows = await this.sql.all<TeammateRow & { pauses_list: string | null }>(TEAMMATE_SQL.reports, [
      teamId,
      managerId,
      limit ?? Number.MAX_SAFE_INTEGER,
    ]);
    return rows.map(withPauses);
  }

  async countReports(teamId: string, managerId: string): Promise<number> {
    return Number((await this.sql.get<{ n: number }>(TEAMMATE_SQL.countReports, [teamId, managerId]))?.n ?? 0);
  }

  async census(teamId: string): Promise<RecordCount[]> {
    const rows = await this.sql.all<{ framework_id: string; status: string; n: number | string }>(TEAMMATE_SQL.census, [
      teamId,
    ]);
    // NOTE: the cast is safe: the column's CHECK lists exactly the statuses.
    return rows.map((r) => ({ frameworkId: r.framework_id, status: r.status as TeammateStatus, count: Number(r.n) }));
  }

  async withRecords(teamId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length > RECORD_CHECK_MAX)
      throw new RangeError(`withRecords checks at most ${RECORD_CHECK_MAX} ids at once (${userIds.length} given)`);
    if (userIds.length === 0) return new Set();
    const padded = [...userIds, ...Array<null>(RECORD_CHECK_MAX - userIds.length).fill(null)];
    const rows = await this.sql.all<{ user_id: string }>(TEAMMATE_SQL.withRecords, [teamId, ...padded]);
    return new Set(rows.map((r) => r.user_id));
  }

  async listAll(teamId: string): Promise<TeammateRecord[]> {
    return (await this.sql.all<TeammateRow>(TEAMMATE_SQL.listAll, [teamId])).map(toRecord);
  }

  async listPage(teamId: string, afterUserId: string | null, limit: number): Promise<TeammateRecord[]> {
    return (await this.sql.all<TeammateRow>(TEAMMATE_SQL.listPage, [teamId, afterUserId ?? '', limit])).map(toRecord);
  }

  async pausedWithReturnBy(
    day: IsoDate,
    page?: { after: TeammateRecord | null; limit: number },
  ): Promise<TeammateRecord[]> {
    const by = parseInput(isoDate, day, 'day');
    if (page === undefined)
      return (await this.sql.all<TeammateRow>(TEAMMATE_SQL.pausedWithReturnBy, [by])).map(toRecord);
    const after = page.after;
    const rows = await this.sql.all<TeammateRow>(TEAMMATE_SQL.pausedWithReturnByPage, [
      by,
      after?.pausedUntil ?? '',
      after?.teamId ?? '',
      after?.userId ?? '',
      page.limit,
    ]);
    return rows.map(toRecord);
  }

  async changedSince(cursor: ChangeCursor | null, limit: number): Promise<ChangeCursor[]> {
    // From the first: every number is at least 0 and every id non-empty, so (-1, '', '') precedes all rows.
    const from = cursor ?? { seq: -1, teamId: '', userId: '' };
    const rows = await this.sql.all<{ seq: number; team_id: string; user_id: string }>(TEAMMATE_SQL.changedSince, [
      from.seq,
      from.teamId,
      from.userId,
      limit,
    ]);
    return rows.map(toCursor);
  }

  async lastChange(): Promise<ChangeCursor | null> {
    const row = await this.sql.get<{ seq: number; team_id: string; user_id: string }>(TEAMMATE_SQL.lastChange);
    return row ? toCursor(row) : null;
  }

  async upsert(change: TeammateChange): Promise<UpsertResult> {
    const parsed = parseInput(teammateChangeSchema, change, 'teammate change');
    return this.sql.transaction((sql) => applyChange(sql, parsed));
  }

  async importMany(rows: readonly ImportRow[], changedBy: string, at: Timestamp): Promise<ImportCounts> {
    return this.importChecked(checkImportRows(rows, changedBy, at));
  }

  async importChecked(changes: readonly ParsedTeammateChange[]): Promise<ImportCounts> {
    return this.sql.transaction(async (sql) => {
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const tally = new CountTally();
      for (const change of changes) {
        const { before, changed } = await applyChange(sql, change, tally);
        if (before === null) counts.created++;
        else if (changed.length > 0) counts.updated++;
        else counts.unchanged++;
      }
      await tally.flush(sql);
      return counts;
    });
  }

  async setStatus(teamId: string, userId: string, change: StatusChange): Promise<TeammateRecord | null> {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const c = parseInput(statusChangeSchema, change, 'status change');
    return this.sql.transaction(async (sql) => {
      const before = await getOn(sql, key.teamId, key.userId);
      if (before === null || before.status === c.status) return before;
      if (before.status === 'paused') await closeOpenPause(sql, before, c.on ?? utcDateOf(c.at));
      await writeStatus(sql, before, c.status, null, c.at);
      await appendHistory(sql, before, 'status', before.status, c.status, c.changedBy, c.at, c.note);
      return mustGet(sql, key.teamId, key.userId);
    });
  }

  async pause(teamId: string, userId: string, request: PauseRequest): Promise<TeammateRecord> {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const p = parseInput(pauseSchema, request, 'pause');
    return this.sql.transaction(async (sql) => {
      const before = await mustGet(sql, key.teamId, key.userId);
      // Only a record that may pause needs the previous pause's end.
      const lastPauseEnd =
        before.status === 'active'
          ? ((await sql.get<{ last: string | null }>(TEAMMATE_SQL.lastPauseEnd, [key.teamId, key.userId]))?.last ??
            null)
          : null;
      conflict(whyNotPause({ userId, status: before.status, lastPauseEnd, start: p.start }));
      await sql.run(TEAMMATE_SQL.insertPause, [key.teamId, key.userId, p.start, p.at]);
      await writeStatus(sql, before, 'paused', p.until ?? null, p.at);
      await appendHistory(sql, before, 'status', before.status, 'paused', p.changedBy, p.at, p.note);
      return mustGet(sql, key.teamId, key.userId);
    });
  }

  async resume(teamId: string, userId: string, request: ResumeRequest): Promise<TeammateRecord> {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const r = parseInput(resumeSchema, request, 'resume');
    return this.sql.transaction(async (sql) => {
      const before = await mustGet(sql, key.teamId, key.userId);
      conflict(whyNotResume({ userId, status: before.status }));
      await closeOpenPause(sql, before, r.on);
      await writeStatus(sql, before, 'active', null, r.at);
      await appendHistory(sql, before, 'status', 'paused', 'active', r.changedBy, r.at, r.note);
      return mustGet(sql, key.teamId, key.userId);
    });
  }

  async pauses(teamId: string, userId: string): Promise<Pause[]> {
    return (await this.sql.all<PauseRow>(TEAMMATE_SQL.pauses, [teamId, userId])).map(toPause);
  }

  async history(teamId: string, userId: string): Promise<HistoryEntry[]> {
    return (await this.sql.all<HistoryRow>(TEAMMATE_SQL.history, [teamId, userId])).map(toHistory);
  }

  async setTimeZone(teamId: string, userId: string, tz: string | null, at: Timestamp): Promise<boolean> {
    const v = parseInput(z.object({ tz: timeZone.nullable(), at: timestamp }), { tz, at }, 'time zone');
    // The zone decides when reminders are due, so the planners must see it change: it takes a number.
    return this.sql.transaction(async (sql) => {
      const seq = await changeNumberOf(sql);
      return (await sql.run(TEAMMATE_SQL.updateTimeZone, [v.tz, v.at, seq, teamId, userId])).changes > 0;
    });
  }

  async setTimeZones(zones: readonly { teamId: string; userId: string; tz: string }[], at: Timestamp): Promise<number> {
    const when = parseInput(timestamp, at, 'time');
    const checked = new Set<string>();
    for (const { tz } of zones) {
      if (!checked.has(tz)) parseInput(timeZone, tz, 'time zone');
      checked.add(tz);
    }
    if (zones.length === 0) return 0;
    return this.sql.transaction(async (sql) => {
      const seq = await changeNumberOf(sql);
      let updated = 0;
      for (const z of zones) {
        updated += (await sql.run(TEAMMATE_SQL.updateTimeZone, [z.tz, when, seq, z.teamId, z.userId])).changes;
      }
      return updated;
    });
  }

  async setNudges(teamId: string, userId: string, nudges: NudgePreference, at: Timestamp): Promise<boolean> {
    const v = parseInput(z.object({ nudges: nudgePreference, at: timestamp }), { nudges, at }, 'nudge preference');
    return this.sql.transaction(async (sql) => {
      const seq = await changeNumberOf(sql);
      return (await sql.run(TEAMMATE_SQL.updateNudges, [v.nudges, v.at, seq, teamId, userId])).changes > 0;
    });
  }

  async markChanged(teamId: string, userId: string): Promise<boolean> {
    return this.sql.transaction(async (sql) => {
      const seq = await changeNumberOf(sql);
      return (await sql.run(TEAMMATE_SQL.markChanged, [seq, teamId, userId])).changes > 0;
    });
  }

  async export(teamId: string, userId: string): Promise<TeammateOwnExport | null> {
    // One transaction, so the three reads see the same snapshot whatever else writes meanwhile.
    return this.sql.transaction(async (sql) => {
      const record = await getOn(sql, teamId, userId);
      if (record === null) return null;
      const history = (await sql.all<HistoryRow>(TEAMMATE_SQL.history, [teamId, userId])).map(toHistory);
      const pauses = (await sql.all<PauseRow>(TEAMMATE_SQL.pauses, [teamId, userId])).map(toPause);
      return { record, history, pauses };
    });
  }

  async forget(teamId: string, userId: string): Promise<{ deleted: number }> {
    return this.sql.transaction(async (sql) => {
      // Children first: the foreign keys have no ON DELETE CASCADE, so nothing is deleted by surprise.
      const key = [teamId, userId];
      const record = await getOn(sql, teamId, userId);
      const deleted =
        (await sql.run(TEAMMATE_SQL.deleteHistory, key)).changes +
        (await sql.run(TEAMMATE_SQL.deletePauses, key)).changes +
        (await sql.run(TEAMMATE_SQL.deleteTeammate, key)).changes;
      if (record) await recount(sql, teamId, record, null);
      return { deleted };
    });
  }
}

function toCursor(row: { seq: number; team_id: string; user_id: string }): ChangeCursor {
  return { seq: Number(row.seq), teamId: row.team_id, userId: row.user_id };
}

async function getOn(sql: Sql, teamId: string, userId: string): Promise<TeammateRecord | null> {
  const row = await sql.get<TeammateRow>(TEAMMATE_SQL.get, [teamId, userId]);
  return row ? toRecord(row) : null;
}

async function mustGet(sql: Sql, teamId: string, userId: string): Promise<TeammateRecord> {
  const record = await getOn(sql, teamId, userId);
  if (record === null) throw new TeammateNotFoundError(teamId, userId);
  return record;
}

/** Loads, asks the rules what changes (`nextCoreFields`, `historyDiff`), saves. Must run inside a transaction. */
async function applyChange(sql: Sql, c: ParsedTeammateChange, tally?: CountTally): Promise<UpsertResult> {
  const before = await getOn(sql, c.teamId, c.userId);
  const next: CoreFields = nextCoreFields(before, c);
  const diffs = historyDiff(before, next);
  if (before !== null && diffs.length === 0) return { before, after: before, changed: [] };
  const seq = await changeNumberOf(sql);
  const core = [next.frameworkId, next.levelId, next.since, next.managerId, next.title];
  if (before === null) {
    await sql.run(TEAMMATE_SQL.ensureWorkspace, [c.teamId, c.at]);
    await sql.run(TEAMMATE_SQL.insert, [c.teamId, c.userId, ...core, c.at, c.at, seq]);
    // A new record is active (the column's default).
    await recount(sql, c.teamId, null, { frameworkId: next.frameworkId, status: 'active' }, tally);
  } else {
    await sql.run(TEAMMATE_SQL.updateCore, [...core, c.at, seq, c.teamId, c.userId]);
    await recount(sql, c.teamId, before, { frameworkId: next.frameworkId, status: before.status }, tally);
  }
  for (const d of diffs) await appendHistory(sql, c, d.field, d.from, d.to, c.changedBy, c.at, c.note);
  return { before, after: await mustGet(sql, c.teamId, c.userId), changed: diffs.map((d) => d.field) };
}

async function writeStatus(
  sql: Sql,
  who: TeammateRecord,
  status: TeammateStatus,
  pausedUntil: IsoDate | null,
  at: Timestamp,
): Promise<void> {
  const seq = await changeNumberOf(sql);
  await sql.run(TEAMMATE_SQL.updateStatus, [status, pausedUntil, at, seq, who.teamId, who.userId]);
  await recount(sql, who.teamId, who, { frameworkId: who.frameworkId, status });
}

type Counted = Pick<TeammateRecord, 'frameworkId' | 'status'>;

/**
 * Moves one record from `from` to `to` in teammate_counts (db/022); null is no record (created, or forgotten). Every
 * write that creates a record, changes its framework or status, or deletes it calls this, in the same transaction:
 * `/career admin people` reads the counts, never the records. Must run inside a transaction.
 */
async function recount(
  sql: Sql,
  teamId: string,
  from: Counted | null,
  to: Counted | null,
  tally?: CountTally,
): Promise<void> {
  if (from && to && from.frameworkId === to.frameworkId && from.status === to.status) return;
  if (tally) {
    if (from) tally.add(teamId, from, -1);
    if (to) tally.add(teamId, to, 1);
    return;
  }
  if (from) await addCount(sql, teamId, from, -1);
  if (to) await addCount(sql, teamId, to, 1);
}

async function addCount(sql: Sql, teamId: string, counted: Counted, delta: number): Promise<void> {
  if (delta > 0) await sql.run(TEAMMATE_SQL.countUp, [teamId, counted.frameworkId, counted.status, delta]);
  else if (delta < 0) await sql.run(TEAMMATE_SQL.countDown, [-delta, teamId, counted.frameworkId, counted.status]);
}

/**
 * The count changes of a whole import, written once per framework and status when its rows are in (`flush`), in the
 * same transaction: a thousand new records are one statement of teammate_counts, not a thousand.
 */
class CountTally {
  readonly #deltas = new Map<string, { teamId: string; counted: Counted; delta: number }>();

  add(teamId: string, counted: Counted, delta: number): void {
    const key = JSON.stringify([teamId, counted.frameworkId, counted.status]);
    const entry = this.#deltas.get(key) ?? { teamId, counted, delta: 0 };
    entry.delta += delta;
    this.#deltas.set(key, entry);
  }

  /** Must run inside the transaction that wrote the records. */
  async flush(sql: Sql): Promise<void> {
    // Decreases first, so a count never passes through a value its CHECK refuses.
    const entries = [...this.#deltas.values()].sort((a, b) => a.delta - b.delta);
    for (const { teamId, counted, delta } of entries) await addCount(sql, teamId, counted, delta);
    this.#deltas.clear();
  }
}

async function appendHistory(
  sql: Sql,
  who: { teamId: string; userId: string },
  field: HistoryField,
  from: string | null,
  to: string | null,
  changedBy: string,
  at: string,
  noteText: string | undefined,
): Promise<void> {
  await sql.run(TEAMMATE_SQL.insertHistory, [who.teamId, who.userId, field, from, to, changedBy, at, noteText ?? null]);
}

/** Ends the running pause, if any, with `on` as the first day back. Must run inside a transaction. */
async function closeOpenPause(sql: Sql, record: TeammateRecord, on: IsoDate): Promise<void> {
  const open = await sql.get<PauseRow>(TEAMMATE_SQL.openPause, [record.teamId, record.userId]);
  if (!open) return;
  conflict(whyNotEndPause(open.start_date, on));
  await sql.run(TEAMMATE_SQL.closePause, [on, record.teamId, record.userId]);
}
