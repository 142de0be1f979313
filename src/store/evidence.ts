import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import { EVIDENCE_SOURCES } from '../evidence/model.js';
import type {
  CheckinWindow,
  EvidenceCount,
  EvidenceCursor,
  EvidenceEdit,
  EvidenceEntry,
  EvidenceStore,
  NewEvidence,
  ShownEntry,
  ShownEvidence,
} from '../ports/evidence.js';
import { parseInput, StateConflictError, TeammateNotFoundError } from './errors.js';
import { type Holds, note, type Same, slackId, slug, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/evidence.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/evidence.js';

const text = z.string().trim().min(1, 'evidence cannot be blank').max(3000, 'at most 3000 characters');
const target = z.object({ levelId: slug, expectationId: slug }).nullable();
/** A Slack message ts: seconds, a dot, six digits. */
const messageTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'a Slack message ts such as 1700000000.000100');
const message = z
  .object({
    channelId: slackId,
    ts: messageTs,
    permalink: z
      .url({ protocol: /^https$/, error: 'an https permalink' })
      .max(500)
      .nullable(),
  })
  .nullable();

const newSchema = z
  .object({
    teamId: slackId,
    userId: slackId,
    source: z.enum(EVIDENCE_SOURCES),
    text,
    note: note.nullable().optional(),
    frameworkId: slug,
    target,
    authorId: slackId.nullable().optional(),
    message: message.optional(),
    checkinId: z.number().int().positive().nullable().optional(),
    at: timestamp,
  })
  .refine((e) => (e.source === 'message') === (e.message != null), {
    message: 'a saved message needs its channel and ts, and only a saved message has them',
    path: ['message'],
  });

const editSchema = z.object({
  target: target.optional(),
  note: note.nullable().optional(),
  text: text.optional(),
  at: timestamp,
});

export type NewEvidenceMatchesPort = [Holds<Same<z.input<typeof newSchema>, NewEvidence>>];
export type EvidenceEditMatchesPort = [Holds<Same<z.input<typeof editSchema>, EvidenceEdit>>];

const COLUMNS = `id, team_id, user_id, source, text, note, framework_id, level_id, expectation_id, author_id,
  permalink, channel_id, message_ts, checkin_id, created_at, updated_at`;

/** What a check-in shows of an entry (ShownEntry). */
const SHOWN_COLUMNS = 'id, text, author_id, created_at';

/** One expectation's entries in a check-in's window (parameters: team, user, expectation, start, end, check-in). */
const IN_WINDOW_FOR_ONE = `team_id = ? AND user_id = ? AND expectation_id = ? AND created_at > ? AND created_at <= ?
    AND (checkin_id IS NULL OR checkin_id <> ?)`;

export const EVIDENCE_SQL = {
  hasRecord: 'SELECT 1 AS one FROM teammates WHERE team_id = ? AND user_id = ?',
  // NOTE: the unique partial index keeps one row per saved message; a second save of it inserts nothing.
  insert: `INSERT INTO evidence (team_id, user_id, source, text, note, framework_id, level_id, expectation_id,
    author_id, permalink, channel_id, message_ts, checkin_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (team_id, user_id, channel_id, message_ts) WHERE message_ts IS NOT NULL DO NOTHING
    RETURNING ${COLUMNS}`,
  get: `SELECT ${COLUMNS} FROM evidence WHERE id = ? AND team_id = ? AND user_id = ?`,
  byMessage: `SELECT ${COLUMNS} FROM evidence
    WHERE team_id = ? AND user_id = ? AND channel_id = ? AND message_ts = ? AND message_ts IS NOT NULL`,
  edit: `UPDATE evidence SET level_id = ?, expectation_id = ?, note = ?, text = ?, updated_at = ?
    WHERE id = ? AND team_id = ? AND user_id = ? RETURNING ${COLUMNS}`,
  remove: 'DELETE FROM evidence WHERE id = ? AND team_id = ? AND user_id = ?',
  // NOTE: newest first on evidence_by_person, stopping at the LIMIT; the cursor is (created_at, id) of the last shown.
  page: `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND created_at > ?
    AND (created_at < ? OR (created_at = ? AND id < ?))
    ORDER BY created_at DESC, id DESC LIMIT ?`,
  forExpectation: `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND expectation_id = ?
    AND created_at > ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  counts: `SELECT expectation_id, count(*) AS n FROM evidence WHERE team_id = ? AND user_id = ? AND created_at > ?
    GROUP BY expectation_id`,
  all: `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? ORDER BY created_at, id`,
  forgetUser: 'DELETE FROM evidence WHERE team_id = ? AND user_id = ?',
  // NOTE: a check-in's window starts where it was kept when the check-in started (checkins.log_since) and ends at its
  // finish; this check-in's own entries are its evidence, not the log's. The newest `?` for one expectation walk
  // evidence_by_expectation down to the LIMIT; the total counts the same range of it.
  shownForQuestion: `SELECT ${SHOWN_COLUMNS}, (SELECT count(*) FROM evidence WHERE ${IN_WINDOW_FOR_ONE}) AS total
    FROM evidence WHERE ${IN_WINDOW_FOR_ONE} ORDER BY created_at DESC, id DESC LIMIT ?`,
  // The same window for every expectation (evidence_by_person): ranked within each, the newest `?` kept, each with its
  // total. Sorted by the store: the rows are the person's own between two check-ins.
  shownForCheckin: `SELECT * FROM (SELECT ${SHOWN_COLUMNS}, expectation_id,
      row_number() OVER (PARTITION BY expectation_id ORDER BY created_at DESC, id DESC) AS nth,
      count(*) OVER (PARTITION BY expectation_id) AS total
    FROM evidence WHERE team_id = ? AND user_id = ? AND created_at > ? AND created_at <= ? AND expectation_id IS NOT NULL
      AND (checkin_id IS NULL OR checkin_id <> ?)) ranked
    WHERE nth <= ?`,
} as const;

interface Row {
  id: number | string;
  team_id: string;
  user_id: string;
  source: EvidenceEntry['source'];
  text: string;
  note: string | null;
  framework_id: string;
  level_id: string | null;
  expectation_id: string | null;
  author_id: string | null;
  permalink: string | null;
  channel_id: string | null;
  message_ts: string | null;
  checkin_id: number | string | null;
  created_at: string;
  updated_at: string;
}

function toEntry(row: Row): EvidenceEntry {
  return {
    // NOTE: PostgreSQL returns BIGINT as a string; ids stay far below 2^53.
    id: Number(row.id),
    teamId: row.team_id,
    userId: row.user_id,
    source: row.source,
    text: row.text,
    note: row.note,
    frameworkId: row.framework_id,
    target:
      row.level_id !== null && row.expectation_id !== null
        ? { levelId: row.level_id, expectationId: row.expectation_id }
        : null,
    authorId: row.author_id,
    message:
      row.channel_id !== null && row.message_ts !== null
        ? { channelId: row.channel_id, ts: row.message_ts, permalink: row.permalink }
        : null,
    checkinId: row.checkin_id === null ? null : Number(row.checkin_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Before any entry: '' sorts below every ISO timestamp. */
const BEGINNING = '';
/** After every entry: '~' sorts above every ISO timestamp. */
const END = '~';

export class SqlEvidenceStore implements EvidenceStore {
  constructor(private readonly sql: Sql) {}

  async add(entry: NewEvidence): Promise<EvidenceEntry> {
    const v = parseInput(newSchema, entry, 'evidence');
    return this.sql.transaction(async (sql) => {
      if (!(await sql.get(EVIDENCE_SQL.hasRecord, [v.teamId, v.userId])))
        throw new TeammateNotFoundError(v.teamId, v.userId);
      const row = await sql.get<Row>(EVIDENCE_SQL.insert, [
        v.teamId,
        v.userId,
        v.source,
        v.text,
        v.note ?? null,
        v.frameworkId,
        v.target?.levelId ?? null,
        v.target?.expectationId ?? null,
        v.authorId ?? null,
        v.message?.permalink ?? null,
        v.message?.channelId ?? null,
        v.message?.ts ?? null,
        v.checkinId ?? null,
        v.at,
        v.at,
      ]);
      if (!row) throw new StateConflictError('evidence-exists', 'This message is already kept as evidence.');
      return toEntry(row);
    });
  }

  async get(teamId: string, userId: string, id: number): Promise<EvidenceEntry | null> {
    const row = await this.sql.get<Row>(EVIDENCE_SQL.get, [id, teamId, userId]);
    return row ? toEntry(row) : null;
  }

  async byMessage(teamId: string, userId: string, channelId: string, ts: string): Promise<EvidenceEntry | null> {
    const row = await this.sql.get<Row>(EVIDENCE_SQL.byMessage, [teamId, userId, channelId, ts]);
    return row ? toEntry(row) : null;
  }

  async edit(teamId: string, userId: string, id: number, edit: EvidenceEdit): Promise<EvidenceEntry | null> {
    const v = parseInput(editSchema, edit, 'evidence edit');
    return this.sql.transaction(async (sql) => {
      const before = await sql.get<Row>(EVIDENCE_SQL.get, [id, teamId, userId]);
      if (!before) return null;
      const target = v.target === undefined ? toEntry(before).target : v.target;
      const row = await sql.get<Row>(EVIDENCE_SQL.edit, [
        target?.levelId ?? null,
        target?.expectationId ?? null,
        v.note === undefined ? before.note : v.note,
        v.text ?? before.text,
        v.at,
        id,
        teamId,
        userId,
      ]);
      return row ? toEntry(row) : null;
    });
  }

  async remove(teamId: string, userId: string, id: number): Promise<boolean> {
    return (await this.sql.run(EVIDENCE_SQL.remove, [id, teamId, userId])).changes > 0;
  }

  async page(
    teamId: string,
    userId: string,
    options: { limit: number; since?: Timestamp | null; after?: EvidenceCursor | null },
  ): Promise<EvidenceEntry[]> {
    const after = options.after;
    const rows = await this.sql.all<Row>(EVIDENCE_SQL.page, [
      teamId,
      userId,
      options.since ?? BEGINNING,
      after ? after.createdAt : END,
      after ? after.createdAt : END,
      after ? after.id : 0,
      limitOf(options.limit),
    ]);
    return rows.map(toEntry);
  }

  async forExpectation(
    teamId: string,
    userId: string,
    expectationId: string,
    options: { limit: number; since?: Timestamp | null },
  ): Promise<EvidenceEntry[]> {
    const rows = await this.sql.all<Row>(EVIDENCE_SQL.forExpectation, [
      teamId,
      userId,
      expectationId,
      options.since ?? BEGINNING,
      limitOf(options.limit),
    ]);
    return rows.map(toEntry);
  }

  async counts(teamId: string, userId: string, since?: Timestamp | null): Promise<EvidenceCount[]> {
    const rows = await this.sql.all<{ expectation_id: string | null; n: number | string }>(EVIDENCE_SQL.counts, [
      teamId,
      userId,
      since ?? BEGINNING,
    ]);
    return rows.map((r) => ({ expectationId: r.expectation_id, n: Number(r.n) }));
  }

  async all(teamId: string, userId: string): Promise<EvidenceEntry[]> {
    return (await this.sql.all<Row>(EVIDENCE_SQL.all, [teamId, userId])).map(toEntry);
  }

  async forgetUser(teamId: string, userId: string): Promise<number> {
    return (await this.sql.run(EVIDENCE_SQL.forgetUser, [teamId, userId])).changes;
  }

  async shownForQuestion(checkin: CheckinWindow, expectationId: string, limit: number): Promise<ShownEvidence> {
    const inWindow = [checkin.teamId, checkin.userId, expectationId, ...bounds(checkin), checkin.id];
    const rows = await this.sql.all<ShownRow>(EVIDENCE_SQL.shownForQuestion, [
      ...inWindow,
      ...inWindow,
      limitOf(limit),
    ]);
    return {
      expectationId,
      entries: rows.map(toShown),
      total: Number(rows[0]?.total ?? 0),
      since: checkin.logSince,
    };
  }

  async shownForCheckin(checkin: CheckinWindow, limit: number): Promise<ShownEvidence[]> {
    const rows = await this.sql.all<ShownRow>(EVIDENCE_SQL.shownForCheckin, [
      checkin.teamId,
      checkin.userId,
      ...bounds(checkin),
      checkin.id,
      limitOf(limit),
    ]);
    const shown = new Map<string, ShownEvidence>();
    for (const row of rows) {
      const expectationId = row.expectation_id as string;
      let one = shown.get(expectationId);
      if (!one) {
        one = { expectationId, entries: [], total: Number(row.total), since: checkin.logSince };
        shown.set(expectationId, one);
      }
      one.entries.push(toShown(row));
    }
    const newestFirst = (a: ShownEntry, b: ShownEntry) =>
      a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1;
    for (const one of shown.values()) one.entries.sort(newestFirst);
    return [...shown.values()];
  }
}

interface ShownRow {
  id: number | string;
  text: string;
  author_id: string | null;
  created_at: string;
  expectation_id?: string;
  total: number | string;
}

function toShown(row: ShownRow): ShownEntry {
  // NOTE: PostgreSQL returns BIGINT as a string; ids stay far below 2^53.
  return { id: Number(row.id), text: row.text, authorId: row.author_id, createdAt: row.created_at };
}

/** A check-in's window of the log: after its start, up to its finish (or any time, while it is open). */
function bounds(checkin: CheckinWindow): [string, string] {
  return [checkin.logSince ?? BEGINNING, checkin.finishedAt ?? END];
}

function limitOf(limit: number): number {
  return Math.max(1, Math.min(1000, Math.trunc(limit)));
}

STORE_SQL.evidence = EVIDENCE_SQL;
