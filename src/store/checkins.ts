import { z } from 'zod';
import {
  type CheckinEvent,
  type CheckinState,
  type CheckinStatus,
  initialState,
  type Question,
  RATINGS,
  type Rating,
  type Transition,
  transition,
} from '../checkins/machine.js';
import type { AnsweredQuestion } from '../checkins/summary.js';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput, StateConflictError } from './errors.js';
import { slackId, slug, timestamp } from './input.js';
import type { Timestamp } from './values.js';

/** A check-in without its questions: enough to draw a button or decide an event. */
export interface CheckinRecord extends CheckinState {
  id: number;
  teamId: string;
  userId: string;
  frameworkId: string;
  levelId: string;
  /** Null when the person is at the top of their path: only their own level is asked. */
  targetLevelId: string | null;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  sharedAt: Timestamp | null;
  /** The manager of record the summary was shared with. */
  sharedWith: string | null;
}

export interface Evidence {
  position: number;
  text: string;
  addedAt: Timestamp;
}

/** A check-in with what it asked, the teammate's answers, the manager's ratings and the evidence. */
export interface CheckinDetail extends CheckinRecord {
  questions: AnsweredQuestion[];
  /** By position; undefined where the manager has not rated (or has not been asked). */
  managerRatings: (Rating | undefined)[];
  evidence: Evidence[];
}

export interface NewCheckin {
  teamId: string;
  userId: string;
  frameworkId: string;
  levelId: string;
  targetLevelId: string | null;
  questions: Omit<Question, 'position'>[];
  at: Timestamp;
}

export interface Applied {
  transition: Transition;
  /** The check-in after the event (unchanged when the event was rejected); null when there is none. */
  checkin: CheckinRecord | null;
}

/**
 * Check-ins and their answers. Every event is applied in one transaction: read the state, run the
 * pure state machine, write its effect. Two clicks racing each other are serialized by SQLite, and
 * the second finds the version already moved on.
 */
export type CheckinStore = Async<CheckinStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface CheckinStoreSync {
  get(teamId: string, id: number): CheckinRecord | null;
  detail(teamId: string, id: number): CheckinDetail | null;
  /** The person's open check-in, if any. */
  openFor(teamId: string, userId: string): CheckinRecord | null;
  /** Throws StateConflictError('checkin-open') when the person already has an open check-in. */
  create(checkin: NewCheckin): CheckinRecord;
  /** Applies an event; `evidence` is the text for an evidence event. */
  apply(teamId: string, id: number, event: CheckinEvent, evidence?: string): Applied;
  /** The person's finished check-ins, newest first, with details. */
  finished(teamId: string, userId: string): CheckinDetail[];
  /** Every check-in of the person, oldest first, with details (for export). */
  all(teamId: string, userId: string): CheckinDetail[];
  /** Marks a finished check-in shared with the manager; false when it is not finished or not the person's. */
  share(teamId: string, id: number, managerId: string, at: Timestamp): boolean;
  /** The manager's ratings, all or none; false when the check-in was not shared with `managerId`. */
  rate(teamId: string, id: number, managerId: string, ratings: ReadonlyMap<number, Rating>, at: Timestamp): boolean;
  /**
   * Open check-ins (every workspace) whose last activity is at or before `before`, oldest first; with
   * `page`, at most `page.limit` after the check-in `page.after`.
   */
  openIdleSince(before: Timestamp, page?: { after: CheckinRecord | null; limit: number }): CheckinRecord[];
  /** Deletes the person's check-ins, answers and evidence; returns the rows deleted. */
  forget(teamId: string, userId: string): number;
  /**
   * How many check-ins the person finished, how many of those they shared with `sharedWith`, and
   * when the last one finished: counts only, no answers (the `read-checkin-counts` row).
   */
  counts(teamId: string, userId: string, sharedWith: string | null): CheckinCounts;
}

export interface CheckinCounts {
  finished: number;
  shared: number;
  lastFinishedAt: Timestamp | null;
}

interface CheckinRow {
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
  finished_at: string | null;
  shared_at: string | null;
  shared_with: string | null;
}

interface QuestionRow {
  position: number;
  level_id: string;
  level_number: number;
  level_title: string;
  expectation_id: string;
  text: string;
}

// NOTE: the cast to CheckinStatus is safe: the column's CHECK lists exactly CHECKIN_STATUSES.
function toRecord(row: CheckinRow): CheckinRecord {
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
    finishedAt: row.finished_at,
    sharedAt: row.shared_at,
    sharedWith: row.shared_with,
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

function prepareStatements(db: Db) {
  return {
    get: db.prepare<[teamId: string, id: number], CheckinRow>('SELECT * FROM checkins WHERE team_id = ? AND id = ?'),
    openFor: db.prepare<[teamId: string, userId: string], CheckinRow>(
      "SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'open'",
    ),
    byPerson: db.prepare<[teamId: string, userId: string], CheckinRow>(
      'SELECT * FROM checkins WHERE team_id = ? AND user_id = ? ORDER BY id',
    ),
    finished: db.prepare<[teamId: string, userId: string], CheckinRow>(
      "SELECT * FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished' ORDER BY finished_at DESC, id DESC",
    ),
    openIdleSince: db.prepare<[before: string], CheckinRow>(
      "SELECT * FROM checkins WHERE status = 'open' AND last_activity_at <= ? ORDER BY last_activity_at, id",
    ),
    // A range of checkins_open_by_activity (last_activity_at, then the rowid id).
    openIdleSincePage: db.prepare<[before: string, after: string, afterId: number, limit: number], CheckinRow>(
      `SELECT * FROM checkins WHERE status = 'open' AND last_activity_at <= ? AND (last_activity_at, id) > (?, ?)
       ORDER BY last_activity_at, id LIMIT ?`,
    ),
    insert: db.prepare<
      [
        {
          teamId: string;
          userId: string;
          frameworkId: string;
          levelId: string;
          targetLevelId: string | null;
          count: number;
          at: string;
        },
      ],
      void
    >(
      `INSERT INTO checkins (team_id, user_id, framework_id, level_id, target_level_id, status, version, cursor,
         question_count, started_at, last_activity_at)
       VALUES (@teamId, @userId, @frameworkId, @levelId, @targetLevelId, 'open', 1, 0, @count, @at, @at)`,
    ),
    // A question's words are kept once, whoever was asked them (db/014): found, or added.
    insertText: db.prepare<[q: z.output<typeof questionSchema>], void>(
      `INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text)
       VALUES (@levelId, @levelNumber, @levelTitle, @expectationId, @text) ON CONFLICT DO NOTHING`,
    ),
    textId: db.prepare<[q: z.output<typeof questionSchema>], { id: number }>(
      `SELECT id FROM checkin_question_texts
       WHERE level_id = @levelId AND expectation_id = @expectationId AND level_number = @levelNumber
         AND level_title = @levelTitle AND text = @text`,
    ),
    insertQuestion: db.prepare<[id: number, position: number, textId: number], void>(
      'INSERT INTO checkin_questions (checkin_id, position, question_id) VALUES (?, ?, ?)',
    ),
    questions: db.prepare<[id: number], QuestionRow>(
      `SELECT q.position, t.level_id, t.level_number, t.level_title, t.expectation_id, t.text
       FROM checkin_questions q JOIN checkin_question_texts t ON t.id = q.question_id
       WHERE q.checkin_id = ? ORDER BY q.position`,
    ),
    answers: db.prepare<[id: number], { position: number; rater: string; rating: string }>(
      'SELECT position, rater, rating FROM checkin_answers WHERE checkin_id = ?',
    ),
    evidence: db.prepare<[id: number], { position: number; text: string; added_at: string }>(
      'SELECT position, text, added_at FROM checkin_evidence WHERE checkin_id = ? ORDER BY id',
    ),
    // Guarded by the version read in the same transaction: a write that finds another version changes nothing.
    updateState: db.prepare<
      [
        {
          id: number;
          status: string;
          version: number;
          cursor: number;
          at: string;
          finishedAt: string | null;
          was: number;
        },
      ],
      void
    >(
      `UPDATE checkins SET status = @status, version = @version, cursor = @cursor, last_activity_at = @at,
         finished_at = @finishedAt WHERE id = @id AND version = @was`,
    ),
    insertAnswer: db.prepare<[id: number, position: number, rater: string, rating: string, at: string], void>(
      'INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, ?, ?, ?, ?)',
    ),
    upsertManagerAnswer: db.prepare<[id: number, position: number, rating: string, at: string], void>(
      `INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, ?, 'manager', ?, ?)
       ON CONFLICT (checkin_id, position, rater) DO UPDATE SET rating = excluded.rating, answered_at = excluded.answered_at`,
    ),
    insertEvidence: db.prepare<[id: number, position: number, text: string, at: string], void>(
      'INSERT INTO checkin_evidence (checkin_id, position, text, added_at) VALUES (?, ?, ?, ?)',
    ),
    share: db.prepare<[managerId: string, at: string, teamId: string, id: number], void>(
      "UPDATE checkins SET shared_with = ?, shared_at = ? WHERE team_id = ? AND id = ? AND status = 'finished'",
    ),
    deleteEvidence: db.prepare<[teamId: string, userId: string], void>(
      'DELETE FROM checkin_evidence WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
    ),
    deleteAnswers: db.prepare<[teamId: string, userId: string], void>(
      'DELETE FROM checkin_answers WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
    ),
    deleteQuestions: db.prepare<[teamId: string, userId: string], void>(
      'DELETE FROM checkin_questions WHERE checkin_id IN (SELECT id FROM checkins WHERE team_id = ? AND user_id = ?)',
    ),
    deleteCheckins: db.prepare<[teamId: string, userId: string], void>(
      'DELETE FROM checkins WHERE team_id = ? AND user_id = ?',
    ),
    counts: db.prepare<
      [sharedWith: string | null, teamId: string, userId: string],
      { finished: number; shared: number | null; last: string | null }
    >(
      `SELECT count(*) AS finished, sum(shared_with IS ?) AS shared, max(finished_at) AS last
       FROM checkins WHERE team_id = ? AND user_id = ? AND status = 'finished'`,
    ),
  };
}

const RATING_SET: ReadonlySet<string> = new Set(RATINGS);

export class SqliteCheckinStore implements CheckinStoreSync {
  private readonly db: Db;
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Db) {
    this.db = db;
    this.sql = prepareStatements(db);
  }

  get(teamId: string, id: number): CheckinRecord | null {
    const row = this.sql.get.get(teamId, id);
    return row ? toRecord(row) : null;
  }

  detail(teamId: string, id: number): CheckinDetail | null {
    return this.db.transaction(() => {
      const row = this.sql.get.get(teamId, id);
      return row ? this.withDetail(row) : null;
    })();
  }

  openFor(teamId: string, userId: string): CheckinRecord | null {
    const row = this.sql.openFor.get(teamId, userId);
    return row ? toRecord(row) : null;
  }

  create(checkin: NewCheckin): CheckinRecord {
    const c = parseInput(newCheckinSchema, checkin, 'check-in');
    return this.db
      .transaction(() => {
        if (this.sql.openFor.get(c.teamId, c.userId)) {
          throw new StateConflictError('checkin-open', `${c.userId} already has an open check-in`);
        }
        const state = initialState(c.questions.length, c.at);
        const id = Number(this.sql.insert.run({ ...c, count: state.total }).lastInsertRowid);
        c.questions.forEach((q, position) => {
          this.sql.insertText.run(q);
          const text = this.sql.textId.get(q);
          if (!text) throw new Error('a question text just kept cannot be found');
          this.sql.insertQuestion.run(id, position, text.id);
        });
        return this.get(c.teamId, id) as CheckinRecord;
      })
      .immediate();
  }

  apply(teamId: string, id: number, event: CheckinEvent, evidence?: string): Applied {
    const text = event.kind === 'evidence' ? parseInput(evidenceText, evidence, 'evidence') : undefined;
    return this.db
      .transaction((): Applied => {
        const row = this.sql.get.get(teamId, id);
        if (!row) return { transition: { ok: false, reason: 'closed' }, checkin: null };
        const before = toRecord(row);
        const t = transition(before, event);
        if (!t.ok) return { transition: t, checkin: before };
        const at = 'at' in event ? event.at : event.now;
        const effect = t.effect;
        if (effect.kind === 'answered') this.sql.insertAnswer.run(id, effect.position, 'self', effect.rating, at);
        if (effect.kind === 'evidence' && text !== undefined)
          this.sql.insertEvidence.run(id, effect.position, text, at);
        const updated = this.sql.updateState.run({
          id,
          status: t.state.status,
          version: t.state.version,
          cursor: t.state.cursor,
          at: t.state.lastActivityAt,
          finishedAt: t.state.status === 'finished' ? at : null,
          was: before.version,
        });
        // NOTE: never expected while the read above and this write share one IMMEDIATE transaction; an engine
        // that lets another writer in between must not apply a transition drawn from a stale version.
        if (updated.changes !== 1) {
          throw new StateConflictError('checkin-stale', `check-in ${id} changed while it was being updated`);
        }
        return { transition: t, checkin: this.get(teamId, id) };
      })
      .immediate();
  }

  finished(teamId: string, userId: string): CheckinDetail[] {
    return this.db.transaction(() => this.sql.finished.all(teamId, userId).map((r) => this.withDetail(r)))();
  }

  all(teamId: string, userId: string): CheckinDetail[] {
    return this.db.transaction(() => this.sql.byPerson.all(teamId, userId).map((r) => this.withDetail(r)))();
  }

  share(teamId: string, id: number, managerId: string, at: Timestamp): boolean {
    const v = parseInput(z.object({ managerId: slackId, at: timestamp }), { managerId, at }, 'share');
    return this.sql.share.run(v.managerId, v.at, teamId, id).changes > 0;
  }

  rate(teamId: string, id: number, managerId: string, ratings: ReadonlyMap<number, Rating>, at: Timestamp): boolean {
    const when = parseInput(timestamp, at, 'time');
    return this.db
      .transaction(() => {
        const row = this.sql.get.get(teamId, id);
        if (!row || row.shared_with !== managerId || row.status !== 'finished') return false;
        for (const [position, rating] of ratings) {
          if (!RATING_SET.has(rating) || position < 0 || position >= row.question_count) continue;
          this.sql.upsertManagerAnswer.run(id, position, rating, when);
        }
        return true;
      })
      .immediate();
  }

  openIdleSince(before: Timestamp, page?: { after: CheckinRecord | null; limit: number }): CheckinRecord[] {
    const by = parseInput(timestamp, before, 'time');
    if (page === undefined) return this.sql.openIdleSince.all(by).map(toRecord);
    return this.sql.openIdleSincePage
      .all(by, page.after?.lastActivityAt ?? '', page.after?.id ?? 0, page.limit)
      .map(toRecord);
  }

  forget(teamId: string, userId: string): number {
    return this.db
      .transaction(
        () =>
          this.sql.deleteEvidence.run(teamId, userId).changes +
          this.sql.deleteAnswers.run(teamId, userId).changes +
          this.sql.deleteQuestions.run(teamId, userId).changes +
          this.sql.deleteCheckins.run(teamId, userId).changes,
      )
      .immediate();
  }

  counts(teamId: string, userId: string, sharedWith: string | null): CheckinCounts {
    // A null `sharedWith` counts nothing as shared (IS NULL would count the unshared ones).
    const row = this.sql.counts.get(sharedWith ?? '\u0000', teamId, userId);
    return { finished: row?.finished ?? 0, shared: row?.shared ?? 0, lastFinishedAt: row?.last ?? null };
  }

  /** Must run inside a transaction, so the four reads agree. */
  private withDetail(row: CheckinRow): CheckinDetail {
    const self = new Map<number, Rating>();
    const manager = new Map<number, Rating>();
    for (const a of this.sql.answers.all(row.id)) {
      // NOTE: safe casts: the columns' CHECKs list exactly these values.
      (a.rater === 'manager' ? manager : self).set(a.position, a.rating as Rating);
    }
    const questions = this.sql.questions.all(row.id).map((q): AnsweredQuestion => {
      const rating = self.get(q.position);
      return {
        position: q.position,
        levelId: q.level_id,
        levelNumber: q.level_number,
        levelTitle: q.level_title,
        expectationId: q.expectation_id,
        text: q.text,
        ...(rating ? { rating } : {}),
      };
    });
    return {
      ...toRecord(row),
      questions,
      managerRatings: questions.map((q) => manager.get(q.position)),
      evidence: this.sql.evidence.all(row.id).map((e) => ({ position: e.position, text: e.text, addedAt: e.added_at })),
    };
  }
}
