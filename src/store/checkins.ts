import { z } from 'zod';
import {
  applyEvent,
  type CheckinEvent,
  type CheckinStatus,
  initialState,
  type Question,
  RATINGS,
  type Rating,
} from '../checkins/machine.js';
import type { Applied, CheckinDetail, CheckinRecord, Evidence, NewCheckin, SharedCheckins } from '../checkins/model.js';
import type { AnsweredQuestion } from '../checkins/summary.js';
import type { Sql } from '../db/sql.js';
import type { AppliedChange, AskedQuestion, AwaitingManagerRatings, CheckinStore } from '../ports/checkins.js';
import { parseInput, StateConflictError } from './errors.js';
import { slackId, slug, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import { changeNumberOf, TEAMMATE_SQL } from './teammates.js';
import type { Timestamp } from './values.js';

// The port (src/ports/checkins.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/checkins.js';
// The entity types live with the domain (src/checkins/model.ts); re-exported for the store's callers.
export type { Applied, CheckinDetail, CheckinRecord, Evidence, NewCheckin, SharedCheckins };

export interface CheckinRow {
  id: number;
  team_id: string;
  user_id: string;
  framework_id: string;
  level_id: string;
  target_level_id: string | null;
  status: string;
  version: number;
  cursor: number;
  question_count: number;
  started_at: string;
  last_activity_at: string;
  log_since: string | null;
  finished_at: string | null;
  shared_at: string | null;
  shared_with: string | null;
}

export interface QuestionRow {
  position: number;
  level_id: string;
  level_number: number;
  level_title: string;
  expectation_id: string;
  text: string;
}

/** A question with the person's answer and the manager's rating, where there are. */
export interface AnsweredRow extends QuestionRow {
  self_rating: string | null;
  manager_rating: string | null;
}

/** A question with one piece of its evidence (null: none), as `CHECKIN_SQL.askedAt` reads them. */
export interface AskedRow extends QuestionRow {
  evidence: string | null;
}

export interface EvidenceRow {
  position: number;
  text: string;
  added_at: string;
}

// NOTE: the cast to CheckinStatus is safe: the column's CHECK lists exactly CHECKIN_STATUSES.
export function toRecord(row: CheckinRow): CheckinRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    frameworkId: row.framework_id,
    levelId: row.level_id,
    targetLevelId: row.target_level_id,
    status: row.status as CheckinStatus,
    version: row.version,
    cursor: row.cursor,
    total: row.question_count,
    lastActivityAt: row.last_activity_at,
    startedAt: row.started_at,
    logSince: row.log_since,
    finishedAt: row.finished_at,
    sharedAt: row.shared_at,
    sharedWith: row.shared_with,
  };
}

function toQuestion(q: QuestionRow): Question {
  return {
    position: q.position,
    levelId: q.level_id,
    levelNumber: q.level_number,
    levelTitle: q.level_title,
    expectationId: q.expectation_id,
    text: q.text,
  };
}

/** A check-in with its questions, answers and evidence, from rows read in one transaction. */
export function toDetail(
  checkin: CheckinRecord,
  rows: readonly AnsweredRow[],
  evidence: readonly EvidenceRow[],
): CheckinDetail {
  // NOTE: safe casts: the columns' CHECKs list exactly the ratings.
  const questions = rows.map(
    (q): AnsweredQuestion => (q.self_rating ? { ...toQuestion(q), rating: q.self_rating as Rating } : toQuestion(q)),
  );
  return {
    ...checkin,
    questions,
    managerRatings: rows.map((q) => (q.manager_rating ?? undefined) as Rating | undefined),
    evidence: evidence.map((e) => ({ position: e.position, text: e.text, addedAt: e.added_at })),
  };
}

const questionSchema = z.object({
  levelId: slug,
  levelNumber: z.number().int(),
  levelTitle: z.string().min(1).max(500),
  expectationId: z.string().min(1).max(200),
  text: z.string().min(1).max(5000),
});

const newCheckinSchema = z.object({
  teamId: slackId,
  userId: slackId,
  frameworkId: slug,
  levelId: slug,
  targetLevelId: slug.nullable(),
  questions: z.array(questionSchema).min(1).max(500),
  at: timestamp,
});

export const evidenceText = z.string().trim().min(1, 'evidence cannot be blank').max(3000, 'at most 3000 characters');

/**
 * The open check-ins idle since a time in the range, not yet nudged for this idle spell, oldest first
 * (checkins_open_by_activity), joined back by id (as the outbox's claim: `id IN (…)` may scan a small table).
 */
const PICK_IDLE = `SELECT id AS picked FROM checkins WHERE status = 'open' AND last_activity_at > ? AND last_activity_at <= ?
    AND (idle_nudged_at IS NULL OR idle_nudged_at < last_activity_at) ORDER BY last_activity_at, id LIMIT ?`;

/** Every statement of the check-in store, in the SQL both engines accept. */
export const CHECKIN_SQL = {
  get: 'SELECT * FROM checkins WHERE team_id = ? AND id = ?',
  openFor: "SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'open'",
  byPerson: 'SELECT * FROM checkins WHERE team_id = ? AND user_id = ? ORDER BY id',
  finished:
    "SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished' ORDER BY finished_at DESC, id DESC",
  previousFinished: `SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished' AND id <> ?
      AND finished_at IS NOT NULL AND finished_at <= ?
    ORDER BY finished_at DESC, id DESC LIMIT 1`,
  openIdleSince: "SELECT * FROM checkins WHERE status = 'open' AND last_activity_at <= ? ORDER BY last_activity_at, id",
  // A range of checkins_open_by_activity (last_activity_at, then id).
  openIdleSincePage: `SELECT * FROM checkins WHERE status = 'open' AND last_activity_at <= ? AND (last_activity_at, id) > (?, ?)
    ORDER BY last_activity_at, id LIMIT ?`,
  // One open check-in a person is a claim (checkins_one_open): no row back means someone has one already.
  // No conflict target: the index is partial, and both engines then apply DO NOTHING to any unique index.
  // The window of the evidence log it will show starts at the person's latest finish (checkins_finished_by_person).
  insert: `INSERT INTO checkins (team_id, user_id, framework_id, level_id, target_level_id, status, version, cursor,
      question_count, started_at, last_activity_at, log_since)
    VALUES (?, ?, ?, ?, ?, 'open', 1, 0, ?, ?, ?,
      (SELECT MAX(finished_at) FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished'))
    ON CONFLICT DO NOTHING RETURNING *`,
  // A question's words are kept once, whoever was asked them (db/014): found, or added. No conflict target:
  // SQLite's key is a UNIQUE on the five columns, PostgreSQL's an index on md5(text) (db/postgres/001).
  insertText: `INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
  textId: `SELECT id FROM checkin_question_texts
    WHERE level_id = ? AND expectation_id = ? AND level_number = ? AND level_title = ? AND text = ?`,
  insertQuestion: 'INSERT INTO checkin_questions (checkin_id, position, question_id) VALUES (?, ?, ?)',
  // Each question (its words by id) with the person's answer and the manager's rating, both by key: one statement.
  questions: `SELECT q.position, t.level_id, t.level_number, t.level_title, t.expectation_id, t.text,
      s.rating AS self_rating, m.rating AS manager_rating
    FROM checkin_questions q JOIN checkin_question_texts t ON t.id = q.question_id
      LEFT JOIN checkin_answers s ON s.checkin_id = q.checkin_id AND s.position = q.position AND s.rater = 'self'
      LEFT JOIN checkin_answers m ON m.checkin_id = q.checkin_id AND m.position = q.position AND m.rater = 'manager'
    WHERE q.checkin_id = ? ORDER BY q.position`,
  // Two questions by key (a click shows the one answered and the next), each with its evidence, oldest first: what
  // a click shows, whatever the length of the check-in.
  askedAt: `SELECT q.position, t.level_id, t.level_number, t.level_title, t.expectation_id, t.text, e.text AS evidence
    FROM checkin_questions q JOIN checkin_question_texts t ON t.id = q.question_id
      LEFT JOIN checkin_evidence e ON e.checkin_id = q.checkin_id AND e.position = q.position
    WHERE q.checkin_id = ? AND q.position IN (?, ?) ORDER BY q.position, e.id`,
  evidence: 'SELECT position, text, added_at FROM checkin_evidence WHERE checkin_id = ? ORDER BY id',
  // The person's finished check-ins, latest first (checkins_finished_by_person, no sort), those that asked the level
  // (a question's level is the check-in's level or its target), each one's questions by key, their words by id and
  // the self answer by key: a question's "Last time" stops at the latest check-in that asked it, without loading any
  // check-in whole, however many the person finished before.
  // NOTE: CROSS JOIN keeps SQLite's loops in this order: with statistics it would start from the question's words
  // (every check-in anyone had at the level) and sort the person's matches.
  lastRating: `SELECT a.rating, c.finished_at FROM checkins c
      CROSS JOIN checkin_questions q CROSS JOIN checkin_question_texts t CROSS JOIN checkin_answers a
    WHERE c.team_id = ? AND c.user_id = ? AND c.status = 'finished' AND c.finished_at IS NOT NULL
      AND (c.level_id = ? OR c.target_level_id = ?)
      AND q.checkin_id = c.id AND t.id = q.question_id AND t.level_id = ? AND t.expectation_id = ?
      AND a.checkin_id = q.checkin_id AND a.position = q.position AND a.rater = 'self'
    ORDER BY c.finished_at DESC, c.id DESC LIMIT 1`,
  // The version check: a decision drawn from another version matches no row, and nothing is saved.
  save: `UPDATE checkins SET status = ?, version = ?, cursor = ?, last_activity_at = ?, finished_at = ?
    WHERE id = ? AND version = ?`,
  insertAnswer: 'INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, ?, ?, ?, ?)',
  upsertManagerAnswer: `INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, ?, 'manager', ?, ?)
    ON CONFLICT (checkin_id, position, rater) DO UPDATE SET rating = excluded.rating, answered_at = excluded.answered_at`,
  // The Change button: the person's own answer, replaced (the check-in's version guard ran first, in saveOn).
  changeAnswer: `UPDATE checkin_answers SET rating = ?, answered_at = ? WHERE checkin_id = ? AND position = ? AND rater = 'self'`,
  // The person's check-ins by checkins_by_person, newest first: the latest one shared with this manager.
  latestShared: `SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND shared_with = ? AND status = 'finished'
    ORDER BY id DESC LIMIT 1`,
  // SQLite has one writer: the statement reads and claims its rows before any other write can begin.
  claimIdleNudges: `UPDATE checkins SET idle_nudged_at = ? FROM (${PICK_IDLE}) AS due WHERE checkins.id = due.picked
    RETURNING *`,
  // PostgreSQL: each instance locks the rows it picks and skips those another holds, so no two claim one.
  claimIdleNudgesSkipLocked: `UPDATE checkins SET idle_nudged_at = ? FROM (${PICK_IDLE} FOR UPDATE SKIP LOCKED) AS due
    WHERE checkins.id = due.picked RETURNING *`,
  insertEvidence: 'INSERT INTO checkin_evidence (checkin_id, position, text, added_at) VALUES (?, ?, ?, ?)',
  share: "UPDATE checkins SET shared_with = ?, shared_at = ? WHERE team_id = ? AND id = ? AND status = 'finished'",
  deleteEvidence:
    'DELETE FROM checkin_evidence WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
  deleteAnswers:
    'DELETE FROM checkin_answers WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
  deleteQuestions:
    'DELETE FROM checkin_questions WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
  deleteCheckins: 'DELETE FROM checkins WHERE team_id = ? AND user_id = ?',
  // The person's check-ins (checkins_by_person) shared with one manager; "rated" is any manager answer (by key).
  // Shared check-ins are finished ones (a CHECK of db/004), so an unshared one is never counted.
  sharedWith: `SELECT count(*) AS shared, MAX(c.shared_at) AS last_shared,
      MAX(CASE WHEN NOT EXISTS (SELECT 1 FROM checkin_answers a WHERE a.checkin_id = c.id AND a.rater = 'manager')
        THEN c.id END) AS awaiting_id,
      MAX(CASE WHEN NOT EXISTS (SELECT 1 FROM checkin_answers a WHERE a.checkin_id = c.id AND a.rater = 'manager')
        THEN c.shared_at END) AS awaiting_at
    FROM checkins c WHERE c.team_id = ? AND c.user_id = ? AND c.shared_with = ?`,
  // The first ratings a manager adds to a shared check-in (the time is kept, not moved by later edits).
  markRated: 'UPDATE checkins SET manager_rated_at = ? WHERE id = ? AND manager_rated_at IS NULL',
  // `/career admin people`: the workspace's shared check-ins still waiting for ratings, newest share first, read
  // from checkins_awaiting_ratings (db/022), which holds only those: the walk stops after the rows shown.
  awaitingRatings: `SELECT id, user_id, shared_with, shared_at FROM checkins
    WHERE team_id = ? AND shared_with IS NOT NULL AND manager_rated_at IS NULL
    ORDER BY shared_at DESC, id DESC LIMIT ?`,
  // How many wait, counted in the same index and no further than `LIMIT ?` (the reply says "more than" past it).
  countAwaitingRatings: `SELECT count(*) AS n FROM (SELECT 1 AS one FROM checkins
    WHERE team_id = ? AND shared_with IS NOT NULL AND manager_rated_at IS NULL LIMIT ?) AS waiting`,
  // The person's check-ins (checkins_by_person): the latest finish, no answers.
  lastFinished: `SELECT MAX(finished_at) AS last FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished'`,
} as const;

const RATING_SET: ReadonlySet<string> = new Set(RATINGS);

export class SqlCheckinStore implements CheckinStore {
  constructor(private readonly sql: Sql) {}

  async get(teamId: string, id: number): Promise<CheckinRecord | null> {
    const row = await this.sql.get<CheckinRow>(CHECKIN_SQL.get, [teamId, id]);
    return row ? toRecord(row) : null;
  }

  async detail(teamId: string, id: number): Promise<CheckinDetail | null> {
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.get, [teamId, id]);
      return row ? await withDetail(sql, row) : null;
    });
  }

  async detailOf(checkin: CheckinRecord): Promise<CheckinDetail> {
    return this.sql.transaction((sql) => detailOn(sql, checkin));
  }

  async askedAt(checkin: CheckinRecord, positions: readonly number[]): Promise<AskedQuestion[]> {
    if (positions.length === 0 || positions.length > 2) throw new Error('askedAt reads one or two questions');
    const rows = await this.sql.all<AskedRow>(CHECKIN_SQL.askedAt, [
      checkin.id,
      positions[0] as number,
      (positions[1] ?? positions[0]) as number,
    ]);
    const out: AskedQuestion[] = [];
    for (const row of rows) {
      let last = out.at(-1);
      if (last?.question.position !== row.position) {
        last = { question: toQuestion(row), evidence: [] };
        out.push(last);
      }
      if (row.evidence !== null) last.evidence.push(row.evidence);
    }
    return positions.flatMap((p) => out.find((a) => a.question.position === p) ?? []);
  }

  async openFor(teamId: string, userId: string): Promise<CheckinRecord | null> {
    const row = await this.sql.get<CheckinRow>(CHECKIN_SQL.openFor, [teamId, userId]);
    return row ? toRecord(row) : null;
  }

  async create(checkin: NewCheckin): Promise<CheckinRecord> {
    const c = parseInput(newCheckinSchema, checkin, 'check-in');
    const state = initialState(c.questions.length, c.at);
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.insert, [
        c.teamId,
        c.userId,
        c.frameworkId,
        c.levelId,
        c.targetLevelId,
        state.total,
        c.at,
        c.at,
        c.teamId,
        c.userId,
      ]);
      if (!row) throw new StateConflictError('checkin-open', `${c.userId} already has an open check-in`);
      for (const [position, q] of c.questions.entries()) {
        // Most words were asked before (a framework's few hundred texts): looked up first, added when new. When
        // another check-in adds the same words meanwhile, SQLite has already waited for it (one writer), and
        // PostgreSQL fails this unit with a serialization error (the conflicting row is not in its snapshot):
        // run again, the lookup finds them.
        const text =
          (await sql.get<{ id: number }>(CHECKIN_SQL.textId, [
            q.levelId,
            q.expectationId,
            q.levelNumber,
            q.levelTitle,
            q.text,
          ])) ??
          (await sql.get<{ id: number }>(CHECKIN_SQL.insertText, [
            q.levelId,
            q.levelNumber,
            q.levelTitle,
            q.expectationId,
            q.text,
          ]));
        if (!text) throw new Error('a question text just kept cannot be found');
        await sql.run(CHECKIN_SQL.insertQuestion, [row.id, position, text.id]);
      }
      return toRecord(row);
    });
  }

  async apply(teamId: string, id: number, event: CheckinEvent, evidence?: string): Promise<Applied> {
    // Checked before anything is read, so bad evidence is refused whatever the check-in's state.
    const text = event.kind === 'evidence' ? parseInput(evidenceText, evidence, 'evidence') : undefined;
    return this.sql.transaction(async (sql): Promise<Applied> => {
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.get, [teamId, id]);
      if (!row) return { transition: { ok: false, reason: 'closed' }, checkin: null };
      const outcome = applyEvent(toRecord(row), event);
      if (!outcome.transition.ok) return { transition: outcome.transition, checkin: outcome.checkin };
      const change = outcome as AppliedChange;
      return { transition: change.transition, checkin: await saveOn(sql, row.version, change, text) };
    });
  }

  async save(before: CheckinRecord, change: AppliedChange, evidence?: string): Promise<CheckinRecord> {
    const text =
      change.transition.effect.kind === 'evidence' ? parseInput(evidenceText, evidence, 'evidence') : undefined;
    return this.sql.transaction((sql) => saveOn(sql, before.version, change, text));
  }

  async finished(teamId: string, userId: string): Promise<CheckinDetail[]> {
    return this.sql.transaction(async (sql) =>
      withDetails(sql, await sql.all<CheckinRow>(CHECKIN_SQL.finished, [teamId, userId])),
    );
  }

  async previousFinished(
    teamId: string,
    userId: string,
    notId: number,
    by: string | null,
  ): Promise<CheckinDetail | null> {
    return this.sql.transaction(async (sql) => {
      // ISO timestamps compare as text: '~' sorts after every one of them, so a null bound excludes nothing.
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.previousFinished, [teamId, userId, notId, by ?? '~']);
      return row ? await withDetail(sql, row) : null;
    });
  }

  async lastRating(
    teamId: string,
    userId: string,
    levelId: string,
    expectationId: string,
  ): Promise<{ rating: Rating; finishedAt: string } | null> {
    const row = await this.sql.get<{ rating: string; finished_at: string }>(CHECKIN_SQL.lastRating, [
      teamId,
      userId,
      levelId,
      levelId,
      levelId,
      expectationId,
    ]);
    // NOTE: safe cast: the column's CHECK lists exactly the ratings.
    return row ? { rating: row.rating as Rating, finishedAt: row.finished_at } : null;
  }

  async all(teamId: string, userId: string): Promise<CheckinDetail[]> {
    return this.sql.transaction(async (sql) =>
      withDetails(sql, await sql.all<CheckinRow>(CHECKIN_SQL.byPerson, [teamId, userId])),
    );
  }

  async latestShared(teamId: string, userId: string, sharedWith: string): Promise<CheckinDetail | null> {
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.latestShared, [teamId, userId, sharedWith]);
      return row ? await withDetail(sql, row) : null;
    });
  }

  async share(teamId: string, id: number, managerId: string, at: Timestamp): Promise<boolean> {
    const v = parseInput(z.object({ managerId: slackId, at: timestamp }), { managerId, at }, 'share');
    return (await this.sql.run(CHECKIN_SQL.share, [v.managerId, v.at, teamId, id])).changes > 0;
  }

  async rate(
    teamId: string,
    id: number,
    managerId: string,
    ratings: ReadonlyMap<number, Rating>,
    at: Timestamp,
  ): Promise<boolean> {
    const when = parseInput(timestamp, at, 'time');
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<CheckinRow>(CHECKIN_SQL.get, [teamId, id]);
      if (!row || row.shared_with !== managerId || row.status !== 'finished') return false;
      let rated = false;
      for (const [position, rating] of ratings) {
        if (!RATING_SET.has(rating) || position < 0 || position >= row.question_count) continue;
        await sql.run(CHECKIN_SQL.upsertManagerAnswer, [id, position, rating, when]);
        rated = true;
      }
      // Leaves checkins_awaiting_ratings (db/022): "rated" is any manager answer, as `sharedWith` counts it.
      if (rated) await sql.run(CHECKIN_SQL.markRated, [when, id]);
      return true;
    });
  }

  async openIdleSince(
    before: Timestamp,
    page?: { after: CheckinRecord | null; limit: number },
  ): Promise<CheckinRecord[]> {
    const by = parseInput(timestamp, before, 'time');
    const rows =
      page === undefined
        ? await this.sql.all<CheckinRow>(CHECKIN_SQL.openIdleSince, [by])
        : await this.sql.all<CheckinRow>(CHECKIN_SQL.openIdleSincePage, [
            by,
            page.after?.lastActivityAt ?? '',
            page.after?.id ?? 0,
            page.limit,
          ]);
    return rows.map(toRecord);
  }

  async claimIdleNudges(
    idleAfter: Timestamp,
    idleBy: Timestamp,
    at: Timestamp,
    limit: number,
  ): Promise<CheckinRecord[]> {
    const v = parseInput(
      z.object({ idleAfter: timestamp, idleBy: timestamp, at: timestamp }),
      { idleAfter, idleBy, at },
      'time',
    );
    const args = [v.at, v.idleAfter, v.idleBy, limit];
    const rows =
      this.sql.dialect === 'postgres'
        ? await this.sql.all<CheckinRow>(CHECKIN_SQL.claimIdleNudgesSkipLocked, args)
        : await this.sql.all<CheckinRow>(CHECKIN_SQL.claimIdleNudges, args);
    // RETURNING follows no order: oldest activity first, as picked.
    return rows.map(toRecord).sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt) || a.id - b.id);
  }

  async forget(teamId: string, userId: string): Promise<number> {
    // Children first: the foreign keys have no ON DELETE CASCADE, so nothing is deleted by surprise.
    return this.sql.transaction(
      async (sql) =>
        (await sql.run(CHECKIN_SQL.deleteEvidence, [teamId, userId])).changes +
        (await sql.run(CHECKIN_SQL.deleteAnswers, [teamId, userId])).changes +
        (await sql.run(CHECKIN_SQL.deleteQuestions, [teamId, userId])).changes +
        (await sql.run(CHECKIN_SQL.deleteCheckins, [teamId, userId])).changes,
    );
  }

  async sharedWith(teamId: string, userId: string, managerId: string): Promise<SharedCheckins> {
    const row = await this.sql.get<{
      shared: number | string;
      last_shared: string | null;
      awaiting_id: number | string | null;
      awaiting_at: string | null;
    }>(CHECKIN_SQL.sharedWith, [teamId, userId, managerId]);
    const awaiting =
      row?.awaiting_id != null && row.awaiting_at !== null
        ? { id: Number(row.awaiting_id), sharedAt: row.awaiting_at }
        : null;
    return { shared: Number(row?.shared ?? 0), lastSharedAt: row?.last_shared ?? null, awaiting };
  }

  async awaitingRatings(teamId: string, limit: number, countUpTo: number): Promise<AwaitingManagerRatings> {
    // One transaction: the list and its count see the same check-ins.
    return this.sql.transaction(async (sql) => {
      const rows = await sql.all<{ id: number | string; user_id: string; shared_with: string; shared_at: string }>(
        CHECKIN_SQL.awaitingRatings,
        [teamId, limit],
      );
      const counted = await sql.get<{ n: number | string }>(CHECKIN_SQL.countAwaitingRatings, [teamId, countUpTo + 1]);
      const n = Number(counted?.n ?? 0);
      return {
        shown: rows.map((r) => ({
          id: Number(r.id),
          userId: r.user_id,
          managerId: r.shared_with,
          sharedAt: r.shared_at,
        })),
        total: Math.min(n, countUpTo),
        more: n > countUpTo,
      };
    });
  }

  async lastFinishedAt(teamId: string, userId: string): Promise<Timestamp | null> {
    const row = await this.sql.get<{ last: string | null }>(CHECKIN_SQL.lastFinished, [teamId, userId]);
    return row?.last ?? null;
  }
}

/**
 * Writes `change` if the check-in is still at version `was`, then what it answered or added; returns the
 * check-in saved. Must run inside a transaction. The version check comes first, so a stale decision writes
 * nothing at all, not even an answer row that its unique key would refuse.
 */
async function saveOn(sql: Sql, was: number, change: AppliedChange, text: string | undefined): Promise<CheckinRecord> {
  const { checkin: next, transition, at } = change;
  // NOTE: the machine's record is what the row now holds (it changes these five columns and nothing else), so the
  // row is not read back; no change means another click or instance moved the check-in on first.
  const saved = await sql.run(CHECKIN_SQL.save, [
    next.status,
    next.version,
    next.cursor,
    next.lastActivityAt,
    next.finishedAt,
    next.id,
    was,
  ]);
  if (saved.changes !== 1)
    throw new StateConflictError('checkin-stale', `check-in ${next.id} changed while it was being updated`);
  const effect = transition.effect;
  if (effect.kind === 'answered')
    await sql.run(CHECKIN_SQL.insertAnswer, [next.id, effect.position, 'self', effect.rating, at]);
  // NOTE: a finished check-in counts as a reminder's prompt (src/reminders/schedule.ts, nextPromptOn): the
  // person's record takes a change number in the same transaction, so the reminder planner looks again.
  if (effect.kind === 'answered' && effect.finished) {
    await sql.run(TEAMMATE_SQL.markChanged, [await changeNumberOf(sql), next.teamId, next.userId]);
  }
  if (effect.kind === 'changed') await sql.run(CHECKIN_SQL.changeAnswer, [effect.rating, at, next.id, effect.position]);
  if (effect.kind === 'evidence' && text !== undefined) {
    await sql.run(CHECKIN_SQL.insertEvidence, [next.id, effect.position, text, at]);
  }
  return next;
}

/** `withDetail` for each row, in order. Must run inside a transaction. */
async function withDetails(sql: Sql, rows: readonly CheckinRow[]): Promise<CheckinDetail[]> {
  const out: CheckinDetail[] = [];
  for (const row of rows) out.push(await withDetail(sql, row));
  return out;
}

/** Must run inside a transaction, so the reads agree. */
function withDetail(sql: Sql, row: CheckinRow): Promise<CheckinDetail> {
  return detailOn(sql, toRecord(row));
}

/** The questions, answers and evidence of a check-in already read: two statements. Inside a transaction. */
async function detailOn(sql: Sql, checkin: CheckinRecord): Promise<CheckinDetail> {
  const questions = await sql.all<AnsweredRow>(CHECKIN_SQL.questions, [checkin.id]);
  const evidence = await sql.all<EvidenceRow>(CHECKIN_SQL.evidence, [checkin.id]);
  return toDetail(checkin, questions, evidence);
}

STORE_SQL.checkins = CHECKIN_SQL;
