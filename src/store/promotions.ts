import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import {
  type Decision,
  type NewCase,
  OPEN_CHECK_MAX,
  type PromotionCase,
  type PromotionSettings,
  type PromotionStore,
} from '../ports/promotions.js';
import { parseInput, TeammateNotFoundError } from './errors.js';
import { isoDate, note, slackId, slug, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/promotions.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/promotions.js';

const newSchema = z.object({
  teamId: slackId,
  userId: slackId,
  proposedBy: slackId,
  frameworkId: slug,
  fromLevelId: slug,
  toLevelId: slug,
  checkinId: z.number().int().positive().nullable(),
  managerNote: note.nullable(),
  at: timestamp,
});

const decisionSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('approved'), by: slackId, at: timestamp, since: isoDate }),
  z.object({ status: z.literal('declined'), by: slackId, at: timestamp, note }),
]);

const COLUMNS = `id, team_id, user_id, proposed_by, framework_id, from_level_id, to_level_id, checkin_id, manager_note,
  person_note, status, sent_to_channel, created_at, person_note_at, sent_at, decided_by, decided_at, since, decision_note`;

export const PROMOTION_SQL = {
  hasRecord: 'SELECT 1 AS one FROM teammates WHERE team_id = ? AND user_id = ?',
  // NOTE: promotion_cases_one_open keeps one open case a person; a second Propose inserts nothing.
  insert: `INSERT INTO promotion_cases (team_id, user_id, proposed_by, framework_id, from_level_id, to_level_id,
    checkin_id, manager_note, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?)
    ON CONFLICT (team_id, user_id) WHERE status IN ('draft', 'proposed') DO NOTHING RETURNING ${COLUMNS}`,
  open: `SELECT ${COLUMNS} FROM promotion_cases WHERE team_id = ? AND user_id = ? AND status IN ('draft', 'proposed')`,
  get: `SELECT ${COLUMNS} FROM promotion_cases WHERE id = ? AND team_id = ?`,
  // `/career team`: which reports have an open case, one probe of promotion_cases_one_open per id. The list always has
  // OPEN_CHECK_MAX places (the unused ones NULL, matching nothing): one constant statement each engine prepares once.
  openAmong: `SELECT user_id FROM promotion_cases WHERE team_id = ? AND status IN ('draft', 'proposed')
    AND user_id IN (${Array(OPEN_CHECK_MAX).fill('?').join(', ')})`,
  personNote: `UPDATE promotion_cases SET person_note = ?, person_note_at = ?
    WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'draft' RETURNING ${COLUMNS}`,
  // NOTE: each step is claimed by its status change in one statement: of two clicks, one moves the case.
  send: `UPDATE promotion_cases SET status = 'proposed', sent_to_channel = ?, sent_at = ?
    WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'draft' RETURNING ${COLUMNS}`,
  decide: `UPDATE promotion_cases SET status = ?, decided_by = ?, decided_at = ?, since = ?, decision_note = ?
    WHERE id = ? AND team_id = ? AND status = 'proposed' RETURNING ${COLUMNS}`,
  withdraw: `UPDATE promotion_cases SET status = 'withdrawn', decided_by = ?, decided_at = ?
    WHERE id = ? AND team_id = ? AND status IN ('draft', 'proposed') RETURNING ${COLUMNS}`,
  // NOTE: through promotion_cases_drafts (status = 'draft', by created_at): a batch costs its own rows only.
  expireDrafts: `UPDATE promotion_cases SET status = 'expired', decided_at = ?
    WHERE id IN (SELECT id FROM promotion_cases WHERE status = 'draft' AND created_at < ? ORDER BY created_at, id LIMIT ?)
    AND status = 'draft' RETURNING ${COLUMNS}`,
  forPerson: `SELECT ${COLUMNS} FROM promotion_cases WHERE team_id = ? AND user_id = ?
    ORDER BY created_at DESC, id DESC LIMIT ?`,
  settings: 'SELECT channel_id, threshold FROM promotion_settings WHERE team_id = ?',
  setChannel: `INSERT INTO promotion_settings (team_id, channel_id, threshold, updated_by, updated_at)
    VALUES (?, ?, NULL, ?, ?) ON CONFLICT (team_id) DO UPDATE
    SET channel_id = excluded.channel_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  setThreshold: `INSERT INTO promotion_settings (team_id, channel_id, threshold, updated_by, updated_at)
    VALUES (?, NULL, ?, ?, ?) ON CONFLICT (team_id) DO UPDATE
    SET threshold = excluded.threshold, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  forgetUser: 'DELETE FROM promotion_cases WHERE team_id = ? AND user_id = ?',
} as const;

interface Row {
  id: number | string;
  team_id: string;
  user_id: string;
  proposed_by: string;
  framework_id: string;
  from_level_id: string;
  to_level_id: string;
  checkin_id: number | string | null;
  manager_note: string | null;
  person_note: string | null;
  status: PromotionCase['status'];
  sent_to_channel: string | null;
  created_at: string;
  person_note_at: string | null;
  sent_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  since: string | null;
  decision_note: string | null;
}

function toCase(row: Row): PromotionCase {
  return {
    // NOTE: PostgreSQL returns BIGINT as a string; ids stay far below 2^53.
    id: Number(row.id),
    teamId: row.team_id,
    userId: row.user_id,
    proposedBy: row.proposed_by,
    frameworkId: row.framework_id,
    fromLevelId: row.from_level_id,
    toLevelId: row.to_level_id,
    checkinId: row.checkin_id === null ? null : Number(row.checkin_id),
    managerNote: row.manager_note,
    personNote: row.person_note,
    status: row.status,
    sentToChannel: row.sent_to_channel,
    createdAt: row.created_at,
    personNoteAt: row.person_note_at,
    sentAt: row.sent_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    since: row.since,
    decisionNote: row.decision_note,
  };
}

const ts = (at: Timestamp) => parseInput(timestamp, at, 'timestamp');

export class SqlPromotionStore implements PromotionStore {
  constructor(private readonly sql: Sql) {}

  async open(teamId: string, userId: string): Promise<PromotionCase | null> {
    const row = await this.sql.get<Row>(PROMOTION_SQL.open, [teamId, userId]);
    return row ? toCase(row) : null;
  }

  async propose(c: NewCase): Promise<PromotionCase | null> {
    const v = parseInput(newSchema, c, 'promotion case');
    return this.sql.transaction(async (sql) => {
      if (!(await sql.get(PROMOTION_SQL.hasRecord, [v.teamId, v.userId])))
        throw new TeammateNotFoundError(v.teamId, v.userId);
      const row = await sql.get<Row>(PROMOTION_SQL.insert, [
        v.teamId,
        v.userId,
        v.proposedBy,
        v.frameworkId,
        v.fromLevelId,
        v.toLevelId,
        v.checkinId,
        v.managerNote,
        v.at,
      ]);
      return row ? toCase(row) : null;
    });
  }

  async get(teamId: string, id: number): Promise<PromotionCase | null> {
    const row = await this.sql.get<Row>(PROMOTION_SQL.get, [id, teamId]);
    return row ? toCase(row) : null;
  }

  async openAmong(teamId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length > OPEN_CHECK_MAX)
      throw new RangeError(`openAmong checks at most ${OPEN_CHECK_MAX} ids at once (${userIds.length} given)`);
    if (userIds.length === 0) return new Set();
    const padded = [...userIds, ...Array<null>(OPEN_CHECK_MAX - userIds.length).fill(null)];
    const rows = await this.sql.all<{ user_id: string }>(PROMOTION_SQL.openAmong, [teamId, ...padded]);
    return new Set(rows.map((r) => r.user_id));
  }

  async addPersonNote(
    teamId: string,
    id: number,
    userId: string,
    text: string,
    at: Timestamp,
  ): Promise<PromotionCase | null> {
    const v = parseInput(note, text, 'note');
    const row = await this.sql.get<Row>(PROMOTION_SQL.personNote, [v, ts(at), id, teamId, userId]);
    return row ? toCase(row) : null;
  }

  async send(
    teamId: string,
    id: number,
    userId: string,
    channelId: string | null,
    at: Timestamp,
  ): Promise<PromotionCase | null> {
    const row = await this.sql.get<Row>(PROMOTION_SQL.send, [channelId, ts(at), id, teamId, userId]);
    return row ? toCase(row) : null;
  }

  async withdraw(teamId: string, id: number, by: string, at: Timestamp): Promise<PromotionCase | null> {
    const row = await this.sql.get<Row>(PROMOTION_SQL.withdraw, [parseInput(slackId, by, 'user'), ts(at), id, teamId]);
    return row ? toCase(row) : null;
  }

  async expireDrafts(createdBefore: Timestamp, at: Timestamp, limit: number): Promise<PromotionCase[]> {
    const rows = await this.sql.all<Row>(PROMOTION_SQL.expireDrafts, [
      ts(at),
      ts(createdBefore),
      Math.max(1, Math.min(1000, Math.trunc(limit))),
    ]);
    return rows.map(toCase).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  }

  async decide(teamId: string, id: number, decision: Decision): Promise<PromotionCase | null> {
    const v = parseInput(decisionSchema, decision, 'decision');
    const row = await this.sql.get<Row>(PROMOTION_SQL.decide, [
      v.status,
      v.by,
      v.at,
      v.status === 'approved' ? v.since : null,
      v.status === 'declined' ? v.note : null,
      id,
      teamId,
    ]);
    return row ? toCase(row) : null;
  }

  async forPerson(teamId: string, userId: string, limit: number): Promise<PromotionCase[]> {
    const rows = await this.sql.all<Row>(PROMOTION_SQL.forPerson, [
      teamId,
      userId,
      Math.max(1, Math.min(100, Math.trunc(limit))),
    ]);
    return rows.map(toCase).reverse();
  }

  async settings(teamId: string): Promise<PromotionSettings> {
    const row = await this.sql.get<{ channel_id: string | null; threshold: number | string | null }>(
      PROMOTION_SQL.settings,
      [teamId],
    );
    return {
      channelId: row?.channel_id ?? null,
      threshold: row?.threshold == null ? null : Number(row.threshold),
    };
  }

  async setChannel(teamId: string, channelId: string | null, by: string, at: Timestamp): Promise<void> {
    await this.sql.run(PROMOTION_SQL.setChannel, [teamId, channelId, by, ts(at)]);
  }

  async setThreshold(teamId: string, threshold: number | null, by: string, at: Timestamp): Promise<void> {
    const v = parseInput(z.number().int().min(1).max(100).nullable(), threshold, 'threshold');
    await this.sql.run(PROMOTION_SQL.setThreshold, [teamId, v, by, ts(at)]);
  }

  async forgetUser(teamId: string, userId: string): Promise<number> {
    return (await this.sql.run(PROMOTION_SQL.forgetUser, [teamId, userId])).changes;
  }
}

STORE_SQL.promotions = PROMOTION_SQL;
