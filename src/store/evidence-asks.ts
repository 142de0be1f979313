import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import { ASK_CONTEXT_MAX } from '../evidence/ask-model.js';
import type { AskStatus, EvidenceAsk, EvidenceAskStore, NewAsk } from '../ports/evidence-asks.js';
import { parseInput, TeammateNotFoundError } from './errors.js';
import { type Holds, type Same, slackId, slug, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/evidence-asks.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/evidence-asks.js';

const newSchema = z
  .object({
    teamId: slackId,
    userId: slackId,
    colleagueId: slackId,
    frameworkId: slug,
    target: z.object({ levelId: slug, expectationId: slug }),
    context: z
      .string()
      .trim()
      .min(1)
      .max(ASK_CONTEXT_MAX, `at most ${ASK_CONTEXT_MAX} characters`)
      .nullable()
      .optional(),
    at: timestamp,
    dueAt: timestamp,
  })
  .refine((a) => a.colleagueId !== a.userId, { message: 'a person cannot ask themselves', path: ['colleagueId'] });

export type NewAskMatchesPort = [Holds<Same<z.input<typeof newSchema>, NewAsk>>];

const answerText = z.string().trim().min(1, 'an answer cannot be blank').max(1000, 'at most 1000 characters');

const COLUMNS = `id, team_id, user_id, colleague_id, framework_id, level_id, expectation_id, context, status, answer,
  created_at, answered_at, due_at, closed_at`;

export const EVIDENCE_ASK_SQL = {
  hasRecord: 'SELECT 1 AS one FROM teammates WHERE team_id = ? AND user_id = ?',
  // NOTE: evidence_asks_one_open keeps one open ask per person, colleague and expectation; a second inserts nothing.
  open: `INSERT INTO evidence_asks (team_id, user_id, colleague_id, framework_id, level_id, expectation_id, context,
    status, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'asked', ?, ?)
    ON CONFLICT (team_id, user_id, colleague_id, expectation_id) WHERE closed_at IS NULL DO NOTHING
    RETURNING ${COLUMNS}`,
  get: `SELECT ${COLUMNS} FROM evidence_asks WHERE id = ? AND team_id = ?`,
  openFor: `SELECT ${COLUMNS} FROM evidence_asks
    WHERE team_id = ? AND user_id = ? AND colleague_id = ? AND expectation_id = ? AND closed_at IS NULL`,
  answer: `UPDATE evidence_asks SET status = 'answered', answer = ?, answered_at = ?, due_at = ?
    WHERE id = ? AND team_id = ? AND colleague_id = ? AND status = 'asked' RETURNING ${COLUMNS}`,
  decline: `UPDATE evidence_asks SET status = 'declined'
    WHERE id = ? AND team_id = ? AND colleague_id = ? AND status = 'asked'`,
  waiting: `SELECT ${COLUMNS} FROM evidence_asks WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'answered'`,
  settle: `UPDATE evidence_asks SET status = ?, answer = NULL, closed_at = ?
    WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'answered'`,
  page: `SELECT ${COLUMNS} FROM evidence_asks WHERE team_id = ? AND user_id = ?
    ORDER BY created_at DESC, id DESC LIMIT ?`,
  // NOTE: the earliest due first on evidence_asks_open_by_due, a batch at a time.
  closeDue: `UPDATE evidence_asks
    SET status = CASE WHEN status = 'answered' THEN 'discarded' ELSE 'expired' END, answer = NULL, closed_at = ?
    WHERE id IN (SELECT id FROM evidence_asks WHERE closed_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?)`,
  pruneClosed: `DELETE FROM evidence_asks WHERE id IN
    (SELECT id FROM evidence_asks WHERE closed_at IS NOT NULL AND closed_at < ? ORDER BY closed_at, id LIMIT ?)`,
  forgetUser: 'DELETE FROM evidence_asks WHERE team_id = ? AND user_id = ?',
} as const;

interface Row {
  id: number | string;
  team_id: string;
  user_id: string;
  colleague_id: string;
  framework_id: string;
  level_id: string;
  expectation_id: string;
  context: string | null;
  status: AskStatus;
  answer: string | null;
  created_at: string;
  answered_at: string | null;
  due_at: string;
  closed_at: string | null;
}

function toAsk(row: Row): EvidenceAsk {
  return {
    // NOTE: PostgreSQL returns BIGINT as a string; ids stay far below 2^53.
    id: Number(row.id),
    teamId: row.team_id,
    userId: row.user_id,
    colleagueId: row.colleague_id,
    frameworkId: row.framework_id,
    target: { levelId: row.level_id, expectationId: row.expectation_id },
    context: row.context,
    status: row.status,
    answer: row.answer,
    createdAt: row.created_at,
    answeredAt: row.answered_at,
    dueAt: row.due_at,
    closedAt: row.closed_at,
  };
}

const limitOf = (limit: number) => Math.max(1, Math.min(1000, Math.trunc(limit)));

export class SqlEvidenceAskStore implements EvidenceAskStore {
  constructor(private readonly sql: Sql) {}

  async open(ask: NewAsk): Promise<EvidenceAsk | null> {
    const v = parseInput(newSchema, ask, 'ask');
    return this.sql.transaction(async (sql) => {
      if (!(await sql.get(EVIDENCE_ASK_SQL.hasRecord, [v.teamId, v.userId])))
        throw new TeammateNotFoundError(v.teamId, v.userId);
      const row = await sql.get<Row>(EVIDENCE_ASK_SQL.open, [
        v.teamId,
        v.userId,
        v.colleagueId,
        v.frameworkId,
        v.target.levelId,
        v.target.expectationId,
        v.context ?? null,
        v.at,
        v.dueAt,
      ]);
      return row ? toAsk(row) : null;
    });
  }

  async get(teamId: string, id: number): Promise<EvidenceAsk | null> {
    const row = await this.sql.get<Row>(EVIDENCE_ASK_SQL.get, [id, teamId]);
    return row ? toAsk(row) : null;
  }

  async openFor(teamId: string, userId: string, colleagueId: string, expectationId: string) {
    const row = await this.sql.get<Row>(EVIDENCE_ASK_SQL.openFor, [teamId, userId, colleagueId, expectationId]);
    return row ? toAsk(row) : null;
  }

  async answer(teamId: string, id: number, colleagueId: string, answer: string, at: Timestamp, dueAt: Timestamp) {
    const text = parseInput(answerText, answer, 'answer');
    const row = await this.sql.get<Row>(EVIDENCE_ASK_SQL.answer, [
      text,
      parseInput(timestamp, at, 'answered at'),
      parseInput(timestamp, dueAt, 'due at'),
      id,
      teamId,
      colleagueId,
    ]);
    return row ? toAsk(row) : null;
  }

  async decline(teamId: string, id: number, colleagueId: string): Promise<boolean> {
    return (await this.sql.run(EVIDENCE_ASK_SQL.decline, [id, teamId, colleagueId])).changes > 0;
  }

  async settle(teamId: string, userId: string, id: number, to: 'kept' | 'discarded', at: Timestamp) {
    const closedAt = parseInput(timestamp, at, 'closed at');
    return this.sql.transaction(async (sql) => {
      const before = await sql.get<Row>(EVIDENCE_ASK_SQL.waiting, [id, teamId, userId]);
      if (!before) return null;
      const done = await sql.run(EVIDENCE_ASK_SQL.settle, [to, closedAt, id, teamId, userId]);
      return done.changes > 0 ? toAsk(before) : null;
    });
  }

  async page(teamId: string, userId: string, limit: number): Promise<EvidenceAsk[]> {
    return (await this.sql.all<Row>(EVIDENCE_ASK_SQL.page, [teamId, userId, limitOf(limit)])).map(toAsk);
  }

  async closeDue(now: Timestamp, limit: number): Promise<number> {
    return (await this.sql.run(EVIDENCE_ASK_SQL.closeDue, [now, now, limitOf(limit)])).changes;
  }

  async pruneClosed(before: Timestamp, limit: number): Promise<number> {
    return (await this.sql.run(EVIDENCE_ASK_SQL.pruneClosed, [before, limitOf(limit)])).changes;
  }

  async forgetUser(teamId: string, userId: string): Promise<number> {
    return (await this.sql.run(EVIDENCE_ASK_SQL.forgetUser, [teamId, userId])).changes;
  }
}

STORE_SQL.evidenceAsks = EVIDENCE_ASK_SQL;
