import { z } from 'zod';
import { type IsoDate, utcDateOf } from '../career/dates.js';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import {
  type AnswerRow,
  CHECKIN_SQL,
  type CheckinRow,
  type EvidenceRow,
  type QuestionRow,
  toDetail,
} from './checkins.js';
import { describeIssues, InvalidInputError, parseInput, StateConflictError, TeammateNotFoundError } from './errors.js';
import {
  isoDate,
  note,
  nudgePreference,
  type ParsedTeammateChange,
  slackId,
  type TeammateChange,
  teammateChangeSchema,
  timestamp,
  timeZone,
} from './input.js';
import type {
  HistoryEntry,
  HistoryField,
  NudgePreference,
  Pause,
  TeammateExport,
  TeammateRecord,
  TeammateStatus,
  Timestamp,
} from './types.js';

export type { TeammateChange } from './input.js';

/** One row of an import: a change without who and when, which are shared by the whole import. */
export type ImportRow = Omit<TeammateChange, 'changedBy' | 'at'>;

export interface UpsertResult {
  /** Null when the record was created by this call. */
  before: TeammateRecord | null;
  after: TeammateRecord;
  /** The fields that changed, in the order their history rows were written; empty when nothing did. */
  changed: HistoryField[];
}

export interface StatusChange {
  /** 'paused' goes through `pause`, which needs a start date. */
  status: Exclude<TeammateStatus, 'paused'>;
  changedBy: string;
  at: Timestamp;
  note?: string;
  /** The day a running pause ends when leaving 'paused' this way; defaults to the UTC date of `at`. */
  on?: IsoDate;
}

export interface PauseRequest {
  /** The first day away. */
  start: IsoDate;
  /** The day the person expects to be back, if known; the pause stays open until `resume`. */
  until?: IsoDate;
  changedBy: string;
  at: Timestamp;
  note?: string;
}

export interface ResumeRequest {
  /** The first day back. */
  on: IsoDate;
  changedBy: string;
  at: Timestamp;
  note?: string;
}

/**
 * Teammate records, their append-only history and their pauses. Every method that writes runs in
 * one transaction and validates its input before writing, so a failure leaves the database as it was.
 */
export type TeammateStore = Async<TeammateStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface TeammateStoreSync {
  get(teamId: string, userId: string): TeammateRecord | null;
  /** The record and its pauses (oldest first) together, in one read. */
  getWithPauses(teamId: string, userId: string): { record: TeammateRecord; pauses: Pause[] } | null;
  /** Whether the person manages anyone who has not left: one index probe, where the list is not needed. */
  isManager(teamId: string, userId: string): boolean;
  /**
   * The manager's current reports (people who left are not reports), by user id, each with its pauses (oldest
   * first), in one statement: the first `limit` of them, or all without one. Reads what it returns, no more.
   */
  reports(teamId: string, managerId: string, limit?: number): { record: TeammateRecord; pauses: Pause[] }[];
  /** How many current reports the manager has, counted in the index without building a record. */
  countReports(teamId: string, managerId: string): number;
  listAll(teamId: string): TeammateRecord[];
  /**
   * The workspace's records after `afterUserId` (from the first when null), by user id, at most
   * `limit`: for background jobs that walk everyone in slices, yielding between them.
   */
  listPage(teamId: string, afterUserId: string | null, limit: number): TeammateRecord[];
  /**
   * Paused records (every workspace) whose return date is on or before `day`: pauses that have ended.
   * In return-date order; with `page`, at most `page.limit` after the record `page.after`.
   */
  pausedWithReturnBy(day: IsoDate, page?: { after: TeammateRecord | null; limit: number }): TeammateRecord[];
  /**
   * Creates or changes a record and appends one history row per changed field (framework, level,
   * since, manager). Writes nothing when nothing changed.
   */
  upsert(change: TeammateChange): UpsertResult;
  /** Marks someone as left (deactivated in Slack) or active again; null when there is no record. */
  setStatus(teamId: string, userId: string, change: StatusChange): TeammateRecord | null;
  pause(teamId: string, userId: string, request: PauseRequest): TeammateRecord;
  resume(teamId: string, userId: string, request: ResumeRequest): TeammateRecord;
  /** Oldest first. */
  pauses(teamId: string, userId: string): Pause[];
  /** Oldest first. */
  history(teamId: string, userId: string): HistoryEntry[];
  /** Caches the time zone from users.info. Not a change to the record: no history, updatedAt kept. */
  setTimeZone(teamId: string, userId: string, tz: string | null, at: Timestamp): boolean;
  setNudges(teamId: string, userId: string, nudges: NudgePreference, at: Timestamp): boolean;
  /** Record, history, pauses and check-ins, read as one consistent snapshot; null when there is no record. */
  export(teamId: string, userId: string): TeammateExport | null;
  /** Deletes the record, its history, its pauses and its check-ins, all or nothing. `deleted` counts rows. */
  forget(teamId: string, userId: string): { deleted: number };
  /** Applies every row or none: one bad row (checked first) or one failing write rolls back all. */
  importMany(rows: readonly ImportRow[], changedBy: string, at: Timestamp): ImportCounts;
  /**
   * `importMany` for rows already checked by `checkImportRows`, so a bulk import checks a batch
   * before it takes the write lock rather than while holding it.
   */
  importChecked(changes: readonly ParsedTeammateChange[]): ImportCounts;
  /**
   * `setTimeZone` for many people at once (a bulk import's lookups), in one transaction; each
   * distinct zone is checked once. Returns how many records were updated.
   */
  setTimeZones(zones: readonly { teamId: string; userId: string; tz: string }[], at: Timestamp): number;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

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

type Key = [teamId: string, userId: string];

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

/** The pauses of the teammate row `t`, oldest first, as one JSON array (read back by `withPauses`). */
const PAUSES_JSON = `(SELECT json_group_array(json_array(p.id, p.start_date, p.end_date, p.created_at))
  FROM (SELECT * FROM pauses WHERE team_id = t.team_id AND user_id = t.user_id ORDER BY start_date, id) AS p)`;

function withPauses(row: TeammateRow & { pauses_json: string }): { record: TeammateRecord; pauses: Pause[] } {
  const list = JSON.parse(row.pauses_json) as [number, string, string | null, string][];
  const { team_id: teamId, user_id: userId } = row;
  return {
    record: toRecord(row),
    pauses: list.map(([id, start, end, createdAt]) => ({ id, teamId, userId, start, end, createdAt })),
  };
}

function prepareStatements(db: Db) {
  return {
    get: db.prepare<Key, TeammateRow>('SELECT * FROM teammates WHERE team_id = ? AND user_id = ?'),
    isManager: db.prepare<Key, { managing: number }>(
      `SELECT EXISTS (SELECT 1 FROM teammates WHERE team_id = ? AND manager_id = ? AND status != 'left') AS managing`,
    ),
    // isManager, reports and countReports are served by teammates_by_manager (team_id, manager_id, user_id),
    // reports already in order (db/009), so a LIMIT stops the walk after the rows it returns.
    reports: db.prepare<[...Key, limit: number], TeammateRow & { pauses_json: string }>(
      `SELECT t.*, ${PAUSES_JSON} AS pauses_json FROM teammates t
       WHERE t.team_id = ? AND t.manager_id = ? AND t.status != 'left' ORDER BY t.user_id LIMIT ?`,
    ),
    countReports: db.prepare<Key, { n: number }>(
      `SELECT count(*) AS n FROM teammates WHERE team_id = ? AND manager_id = ? AND status != 'left'`,
    ),
    listAll: db.prepare<[string], TeammateRow>('SELECT * FROM teammates WHERE team_id = ? ORDER BY user_id'),
    // A range of the primary key.
    listPage: db.prepare<[teamId: string, after: string, limit: number], TeammateRow>(
      'SELECT * FROM teammates WHERE team_id = ? AND user_id > ? ORDER BY user_id LIMIT ?',
    ),
    // Served by the partial index teammates_pause_returns (db/002).
    pausedWithReturnBy: db.prepare<[day: string], TeammateRow>(
      `SELECT * FROM teammates WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?
       ORDER BY paused_until, team_id, user_id`,
    ),
    pausedWithReturnByPage: db.prepare<
      [day: string, after: string, afterTeam: string, afterUser: string, limit: number],
      TeammateRow
    >(
      `SELECT * FROM teammates WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?
         AND (paused_until, team_id, user_id) > (?, ?, ?)
       ORDER BY paused_until, team_id, user_id LIMIT ?`,
    ),
    // The teammates → workspaces foreign key needs the workspace row; a single-token install never
    // sends an install event, so the first record written is how Ripple learns of the workspace.
    ensureWorkspace: db.prepare<[teamId: string, at: string], void>(
      'INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?) ON CONFLICT (team_id) DO NOTHING',
    ),
    insert: db.prepare<
      [
        {
          teamId: string;
          userId: string;
          frameworkId: string;
          levelId: string;
          since: string;
          managerId: string | null;
          title: string | null;
          at: string;
        },
      ],
      void
    >(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, title, created_at, updated_at)
       VALUES (@teamId, @userId, @frameworkId, @levelId, @since, @managerId, @title, @at, @at)`,
    ),
    updateCore: db.prepare<
      [
        {
          teamId: string;
          userId: string;
          frameworkId: string;
          levelId: string;
          since: string;
          managerId: string | null;
          title: string | null;
          at: string;
        },
      ],
      void
    >(
      `UPDATE teammates
       SET framework_id = @frameworkId, level_id = @levelId, since = @since, manager_id = @managerId, title = @title,
           updated_at = @at
       WHERE team_id = @teamId AND user_id = @userId`,
    ),
    updateStatus: db.prepare<[status: string, pausedUntil: string | null, at: string, ...key: Key], void>(
      'UPDATE teammates SET status = ?, paused_until = ?, updated_at = ? WHERE team_id = ? AND user_id = ?',
    ),
    updateTimeZone: db.prepare<[tz: string | null, at: string, ...key: Key], void>(
      'UPDATE teammates SET tz = ?, tz_fetched_at = ? WHERE team_id = ? AND user_id = ?',
    ),
    updateNudges: db.prepare<[nudges: string, at: string, ...key: Key], void>(
      'UPDATE teammates SET nudges = ?, updated_at = ? WHERE team_id = ? AND user_id = ?',
    ),
    insertHistory: db.prepare<
      [
        {
          teamId: string;
          userId: string;
          field: HistoryField;
          from: string | null;
          to: string | null;
          changedBy: string;
          at: string;
          note: string | null;
        },
      ],
      void
    >(
      `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at, note)
       VALUES (@teamId, @userId, @field, @from, @to, @changedBy, @at, @note)`,
    ),
    history: db.prepare<Key, HistoryRow>(
      'SELECT * FROM teammate_history WHERE team_id = ? AND user_id = ? ORDER BY id',
    ),
    pauses: db.prepare<Key, PauseRow>('SELECT * FROM pauses WHERE team_id = ? AND user_id = ? ORDER BY start_date, id'),
    // The record and its pauses in one statement: a card needs both, and each statement is a read
    // transaction of its own.
    getWithPauses: db.prepare<Key, TeammateRow & { pauses_json: string }>(
      `SELECT t.*, ${PAUSES_JSON} AS pauses_json FROM teammates t WHERE t.team_id = ? AND t.user_id = ?`,
    ),
    openPause: db.prepare<Key, PauseRow>('SELECT * FROM pauses WHERE team_id = ? AND user_id = ? AND end_date IS NULL'),
    lastPauseEnd: db.prepare<Key, { last: string | null }>(
      'SELECT max(end_date) AS last FROM pauses WHERE team_id = ? AND user_id = ?',
    ),
    insertPause: db.prepare<[...key: Key, start: string, at: string], void>(
      'INSERT INTO pauses (team_id, user_id, start_date, created_at) VALUES (?, ?, ?, ?)',
    ),
    closePause: db.prepare<[end: string, ...key: Key], void>(
      'UPDATE pauses SET end_date = ? WHERE team_id = ? AND user_id = ? AND end_date IS NULL',
    ),
    deleteHistory: db.prepare<Key, void>('DELETE FROM teammate_history WHERE team_id = ? AND user_id = ?'),
    deletePauses: db.prepare<Key, void>('DELETE FROM pauses WHERE team_id = ? AND user_id = ?'),
    deleteTeammate: db.prepare<Key, void>('DELETE FROM teammates WHERE team_id = ? AND user_id = ?'),
    // NOTE: the check-in store's own statements, run on this handle until this store moves onto the engine port
    // (then export and forget call the check-in repository in the same unit of work).
    checkins: db.prepare<Key, CheckinRow>(CHECKIN_SQL.byPerson),
    checkinQuestions: db.prepare<[id: number], QuestionRow>(CHECKIN_SQL.questions),
    checkinAnswers: db.prepare<[id: number], AnswerRow>(CHECKIN_SQL.answers),
    checkinEvidence: db.prepare<[id: number], EvidenceRow>(CHECKIN_SQL.evidence),
    deleteCheckinEvidence: db.prepare<Key, void>(CHECKIN_SQL.deleteEvidence),
    deleteCheckinAnswers: db.prepare<Key, void>(CHECKIN_SQL.deleteAnswers),
    deleteCheckinQuestions: db.prepare<Key, void>(CHECKIN_SQL.deleteQuestions),
    deleteCheckins: db.prepare<Key, void>(CHECKIN_SQL.deleteCheckins),
  };
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

export class SqliteTeammateStore implements TeammateStoreSync {
  private readonly db: Db;
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Db) {
    this.db = db;
    this.sql = prepareStatements(db);
  }

  get(teamId: string, userId: string): TeammateRecord | null {
    const row = this.sql.get.get(teamId, userId);
    return row ? toRecord(row) : null;
  }

  getWithPauses(teamId: string, userId: string): { record: TeammateRecord; pauses: Pause[] } | null {
    const row = this.sql.getWithPauses.get(teamId, userId);
    return row ? withPauses(row) : null;
  }

  isManager(teamId: string, userId: string): boolean {
    return this.sql.isManager.get(teamId, userId)?.managing === 1;
  }

  reports(teamId: string, managerId: string, limit?: number): { record: TeammateRecord; pauses: Pause[] }[] {
    // SQLite reads a negative LIMIT as none.
    return this.sql.reports.all(teamId, managerId, limit ?? -1).map(withPauses);
  }

  countReports(teamId: string, managerId: string): number {
    return this.sql.countReports.get(teamId, managerId)?.n ?? 0;
  }

  listAll(teamId: string): TeammateRecord[] {
    return this.sql.listAll.all(teamId).map(toRecord);
  }

  listPage(teamId: string, afterUserId: string | null, limit: number): TeammateRecord[] {
    return this.sql.listPage.all(teamId, afterUserId ?? '', limit).map(toRecord);
  }

  pausedWithReturnBy(day: IsoDate, page?: { after: TeammateRecord | null; limit: number }): TeammateRecord[] {
    const by = parseInput(isoDate, day, 'day');
    if (page === undefined) return this.sql.pausedWithReturnBy.all(by).map(toRecord);
    const after = page.after;
    return this.sql.pausedWithReturnByPage
      .all(by, after?.pausedUntil ?? '', after?.teamId ?? '', after?.userId ?? '', page.limit)
      .map(toRecord);
  }

  upsert(change: TeammateChange): UpsertResult {
    const parsed = parseInput(teammateChangeSchema, change, 'teammate change');
    return this.db.transaction(() => this.applyChange(parsed)).immediate();
  }

  importMany(rows: readonly ImportRow[], changedBy: string, at: Timestamp): ImportCounts {
    return this.importChecked(checkImportRows(rows, changedBy, at));
  }

  importChecked(changes: readonly ParsedTeammateChange[]): ImportCounts {
    return this.db
      .transaction(() => {
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const change of changes) {
          const { before, changed } = this.applyChange(change);
          if (before === null) counts.created++;
          else if (changed.length > 0) counts.updated++;
          else counts.unchanged++;
        }
        return counts;
      })
      .immediate();
  }

  setStatus(teamId: string, userId: string, change: StatusChange): TeammateRecord | null {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const c = parseInput(statusChangeSchema, change, 'status change');
    return this.db
      .transaction(() => {
        const before = this.get(key.teamId, key.userId);
        if (before === null || before.status === c.status) return before;
        if (before.status === 'paused') this.closeOpenPause(before, c.on ?? utcDateOf(c.at));
        this.sql.updateStatus.run(c.status, null, c.at, key.teamId, key.userId);
        this.appendHistory(before, 'status', before.status, c.status, c.changedBy, c.at, c.note);
        return this.mustGet(key.teamId, key.userId);
      })
      .immediate();
  }

  pause(teamId: string, userId: string, request: PauseRequest): TeammateRecord {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const p = parseInput(pauseSchema, request, 'pause');
    return this.db
      .transaction(() => {
        const before = this.mustGet(key.teamId, key.userId);
        if (before.status === 'paused') {
          throw new StateConflictError('already-paused', `${userId} is already paused; resume first`);
        }
        if (before.status === 'left') throw new StateConflictError('has-left', `${userId} has left; nothing to pause`);
        const lastEnd = this.sql.lastPauseEnd.get(key.teamId, key.userId)?.last ?? null;
        if (lastEnd !== null && p.start < lastEnd) {
          throw new StateConflictError(
            'overlapping-pause',
            `a pause starting ${p.start} would overlap the previous one, which ended ${lastEnd}`,
          );
        }
        this.sql.insertPause.run(key.teamId, key.userId, p.start, p.at);
        this.sql.updateStatus.run('paused', p.until ?? null, p.at, key.teamId, key.userId);
        this.appendHistory(before, 'status', before.status, 'paused', p.changedBy, p.at, p.note);
        return this.mustGet(key.teamId, key.userId);
      })
      .immediate();
  }

  resume(teamId: string, userId: string, request: ResumeRequest): TeammateRecord {
    const key = parseInput(keySchema, { teamId, userId }, 'teammate');
    const r = parseInput(resumeSchema, request, 'resume');
    return this.db
      .transaction(() => {
        const before = this.mustGet(key.teamId, key.userId);
        if (before.status !== 'paused') throw new StateConflictError('not-paused', `${userId} is not paused`);
        this.closeOpenPause(before, r.on);
        this.sql.updateStatus.run('active', null, r.at, key.teamId, key.userId);
        this.appendHistory(before, 'status', 'paused', 'active', r.changedBy, r.at, r.note);
        return this.mustGet(key.teamId, key.userId);
      })
      .immediate();
  }

  pauses(teamId: string, userId: string): Pause[] {
    return this.sql.pauses.all(teamId, userId).map(toPause);
  }

  history(teamId: string, userId: string): HistoryEntry[] {
    return this.sql.history.all(teamId, userId).map(toHistory);
  }

  setTimeZone(teamId: string, userId: string, tz: string | null, at: Timestamp): boolean {
    const v = parseInput(z.object({ tz: timeZone.nullable(), at: timestamp }), { tz, at }, 'time zone');
    return this.sql.updateTimeZone.run(v.tz, v.at, teamId, userId).changes > 0;
  }

  setTimeZones(zones: readonly { teamId: string; userId: string; tz: string }[], at: Timestamp): number {
    const when = parseInput(timestamp, at, 'time');
    const checked = new Set<string>();
    for (const { tz } of zones) {
      if (!checked.has(tz)) parseInput(timeZone, tz, 'time zone');
      checked.add(tz);
    }
    return this.db
      .transaction(() => {
        let updated = 0;
        for (const z of zones) updated += this.sql.updateTimeZone.run(z.tz, when, z.teamId, z.userId).changes;
        return updated;
      })
      .immediate();
  }

  setNudges(teamId: string, userId: string, nudges: NudgePreference, at: Timestamp): boolean {
    const v = parseInput(z.object({ nudges: nudgePreference, at: timestamp }), { nudges, at }, 'nudge preference');
    return this.sql.updateNudges.run(v.nudges, v.at, teamId, userId).changes > 0;
  }

  export(teamId: string, userId: string): TeammateExport | null {
    // A transaction, so the three reads see the same snapshot even with another writer in WAL mode.
    return this.db.transaction(() => {
      const record = this.get(teamId, userId);
      if (record === null) return null;
      return {
        record,
        history: this.history(teamId, userId),
        pauses: this.pauses(teamId, userId),
        checkins: this.sql.checkins
          .all(teamId, userId)
          .map((c) =>
            toDetail(
              c,
              this.sql.checkinQuestions.all(c.id),
              this.sql.checkinAnswers.all(c.id),
              this.sql.checkinEvidence.all(c.id),
            ),
          ),
      };
    })();
  }

  forget(teamId: string, userId: string): { deleted: number } {
    return this.db
      .transaction(() => {
        // Children first: the foreign keys have no ON DELETE CASCADE, so nothing is deleted by surprise.
        const deleted =
          this.sql.deleteCheckinEvidence.run(teamId, userId).changes +
          this.sql.deleteCheckinAnswers.run(teamId, userId).changes +
          this.sql.deleteCheckinQuestions.run(teamId, userId).changes +
          this.sql.deleteCheckins.run(teamId, userId).changes +
          this.sql.deleteHistory.run(teamId, userId).changes +
          this.sql.deletePauses.run(teamId, userId).changes +
          this.sql.deleteTeammate.run(teamId, userId).changes;
        return { deleted };
      })
      .immediate();
  }

  /** Must run inside a transaction. */
  private applyChange(c: ParsedTeammateChange): UpsertResult {
    const before = this.get(c.teamId, c.userId);
    const next = {
      teamId: c.teamId,
      userId: c.userId,
      frameworkId: c.frameworkId,
      levelId: c.levelId,
      since: c.since,
      managerId: c.managerId === undefined ? (before?.managerId ?? null) : c.managerId,
      // A title belongs to its level: kept only while the level stays the same.
      title:
        c.title !== undefined
          ? c.title
          : before && before.frameworkId === c.frameworkId && before.levelId === c.levelId
            ? before.title
            : null,
      at: c.at,
    };
    const fields: [HistoryField, string | null, string | null][] = [
      ['framework', before?.frameworkId ?? null, next.frameworkId],
      ['level', before?.levelId ?? null, next.levelId],
      ['since', before?.since ?? null, next.since],
      ['manager', before?.managerId ?? null, next.managerId],
      ['title', before?.title ?? null, next.title],
    ];
    const diffs = fields.filter(([, from, to]) => from !== to);
    if (before === null) {
      this.sql.ensureWorkspace.run(c.teamId, c.at);
      this.sql.insert.run(next);
    } else if (diffs.length > 0) {
      this.sql.updateCore.run(next);
    } else {
      return { before, after: before, changed: [] };
    }
    for (const [field, from, to] of diffs) this.appendHistory(next, field, from, to, c.changedBy, c.at, c.note);
    return { before, after: this.mustGet(c.teamId, c.userId), changed: diffs.map(([field]) => field) };
  }

  private appendHistory(
    who: { teamId: string; userId: string },
    field: HistoryField,
    from: string | null,
    to: string | null,
    changedBy: string,
    at: string,
    noteText: string | undefined,
  ): void {
    this.sql.insertHistory.run({
      teamId: who.teamId,
      userId: who.userId,
      field,
      from,
      to,
      changedBy,
      at,
      note: noteText ?? null,
    });
  }

  private closeOpenPause(record: TeammateRecord, on: IsoDate): void {
    const open = this.sql.openPause.get(record.teamId, record.userId);
    if (!open) return;
    if (on < open.start_date) {
      throw new StateConflictError(
        'resume-before-pause',
        `the first day back (${on}) cannot be before the first day away (${open.start_date})`,
      );
    }
    this.sql.closePause.run(on, record.teamId, record.userId);
  }

  private mustGet(teamId: string, userId: string): TeammateRecord {
    const record = this.get(teamId, userId);
    if (record === null) throw new TeammateNotFoundError(teamId, userId);
    return record;
  }
}
