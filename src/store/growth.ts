import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type { ChangedRecord, DigestPlanChanges } from '../growth/digest-plan.js';
import {
  DEFAULT_PREFERENCES,
  type DigestPlanRow,
  type GrowthChannel,
  type GrowthPreferences,
  type GrowthStore,
  MANAGER_PAGE_WEEKS,
  type ManagerDigestRow,
  type WeeklyEntry,
  type WeeklyKey,
  type WeeklyKind,
} from '../ports/growth.js';
import type { ChangeCursor } from '../ports/teammates.js';
import { parseInput } from './errors.js';
import { slackId, timestamp, timeZone } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/growth.ts) is the contract; re-exported for the adapters that reach the store.
export * from '../ports/growth.js';

const channelSchema = z.object({
  teamId: slackId,
  channelId: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD'),
  weekday: z.int().min(1).max(7),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 10:00'),
  tz: timeZone.nullable(),
  setBy: slackId,
  setAt: timestamp,
});

const weeklySchema = z.object({
  teamId: slackId,
  kind: z.enum(['channel', 'digest']),
  subject: slackId,
  week: z.string().regex(/^\d{4}-W[0-5]\d$/, 'an ISO week such as 2026-W25'),
});

/**
 * Every statement of the growth store, written once for both engines (one exception, chosen by dialect:
 * claimDueDigestsPostgres). The query-plan audit plans each on SQLite (test/store/query-plans.test.ts).
 */
export const GROWTH_SQL = {
  channel: 'SELECT team_id, channel_id, weekday, local_time, tz, set_by, set_at FROM growth_channels WHERE team_id = ?',
  channels: 'SELECT team_id, channel_id, weekday, local_time, tz, set_by, set_at FROM growth_channels ORDER BY team_id',
  setChannel: `INSERT INTO growth_channels (team_id, channel_id, weekday, local_time, tz, set_by, set_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (team_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday,
       local_time = excluded.local_time, tz = excluded.tz, set_by = excluded.set_by, set_at = excluded.set_at`,
  clearChannel: 'DELETE FROM growth_channels WHERE team_id = ?',
  preferences: 'SELECT optional_nudges, celebrate, digest FROM growth_preferences WHERE team_id = ? AND user_id = ?',
  setOptional: `INSERT INTO growth_preferences (team_id, user_id, optional_nudges, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, user_id) DO UPDATE SET optional_nudges = excluded.optional_nudges,
       updated_at = excluded.updated_at`,
  setCelebrate: `INSERT INTO growth_preferences (team_id, user_id, celebrate, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, user_id) DO UPDATE SET celebrate = excluded.celebrate, updated_at = excluded.updated_at`,
  setDigest: `INSERT INTO growth_preferences (team_id, user_id, digest, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at`,
  replanDigest: "UPDATE digest_plan SET due_at = '' WHERE team_id = ? AND manager_id = ?",
  celebrating: 'SELECT user_id FROM growth_preferences WHERE team_id = ? AND celebrate = 1 ORDER BY user_id',
  // A loose walk of teammates_by_manager: each step seeks the next manager id, skipping their reports;
  // `n` bounds the walk (PostgreSQL allows no LIMIT inside a recursive query). The ledger is asked for
  // each of MANAGER_PAGE_WEEKS weeks by primary key (a week not asked for is NULL, which matches nothing).
  managerPage: `WITH RECURSIVE m (manager_id, n) AS (
       SELECT (SELECT min(manager_id) FROM teammates WHERE team_id = ? AND manager_id > ?), 1
       UNION ALL
       SELECT (SELECT min(manager_id) FROM teammates WHERE team_id = ? AND manager_id > m.manager_id), m.n + 1
       FROM m WHERE m.manager_id IS NOT NULL AND m.n < ?)
     SELECT m.manager_id, t.tz, COALESCE(gp.digest, 'on') AS digest,
       CASE WHEN EXISTS (SELECT 1 FROM teammates r
         WHERE r.team_id = ? AND r.manager_id = m.manager_id AND r.status != 'left') THEN 1 ELSE 0 END AS managing,
       CASE WHEN EXISTS (SELECT 1 FROM growth_weekly g
         WHERE g.team_id = ? AND g.kind = 'digest' AND g.subject = m.manager_id AND g.week = ?) THEN 1 ELSE 0 END AS week1,
       CASE WHEN EXISTS (SELECT 1 FROM growth_weekly g
         WHERE g.team_id = ? AND g.kind = 'digest' AND g.subject = m.manager_id AND g.week = ?) THEN 1 ELSE 0 END AS week2,
       CASE WHEN EXISTS (SELECT 1 FROM growth_weekly g
         WHERE g.team_id = ? AND g.kind = 'digest' AND g.subject = m.manager_id AND g.week = ?) THEN 1 ELSE 0 END AS week3
     FROM m LEFT JOIN teammates t ON t.team_id = ? AND t.user_id = m.manager_id
       LEFT JOIN growth_preferences gp ON gp.team_id = ? AND gp.user_id = m.manager_id
     WHERE m.manager_id IS NOT NULL
     ORDER BY m.manager_id`,
  pruneScan: `SELECT team_id, kind, subject, week FROM growth_weekly WHERE (team_id, kind, subject, week) > (?, ?, ?, ?)
     ORDER BY team_id, kind, subject, week LIMIT ?`,
  pruneDelete: `DELETE FROM growth_weekly WHERE (team_id, kind, subject, week) > (?, ?, ?, ?)
       AND (team_id, kind, subject, week) <= (?, ?, ?, ?) AND claimed_at < ?`,
  claim: `INSERT INTO growth_weekly (team_id, kind, subject, week, status, claimed_at)
     VALUES (?, ?, ?, ?, 'claimed', ?) ON CONFLICT (team_id, kind, subject, week) DO NOTHING`,
  mark: `UPDATE growth_weekly SET status = ?, sent_at = ?, error = ?
     WHERE team_id = ? AND kind = ? AND subject = ? AND week = ?`,
  taken: 'SELECT count(*) AS n FROM growth_weekly WHERE team_id = ? AND kind = ? AND subject = ? AND week = ?',
  release: `DELETE FROM growth_weekly WHERE team_id = ? AND kind = ? AND subject = ? AND week = ? AND status = 'claimed'`,
  entries: `SELECT * FROM growth_weekly WHERE team_id = ? ORDER BY claimed_at, kind, subject`,
  // A range of digest_plan_due ('' sorts before every instant), taken by moving it to `until`.
  claimDueDigests: `UPDATE digest_plan SET due_at = ?
     WHERE (team_id, manager_id) IN (SELECT team_id, manager_id FROM digest_plan WHERE due_at <= ? ORDER BY due_at LIMIT ?)
     RETURNING team_id, manager_id, due_at, tz, tz_fetched_at`,
  // NOTE: the same on PostgreSQL, where several instances take due rows at once: a row another
  // instance is taking is skipped, not waited for (SQLite has one writer and no row locks).
  claimDueDigestsPostgres: `UPDATE digest_plan SET due_at = ?
     WHERE (team_id, manager_id) IN (SELECT team_id, manager_id FROM digest_plan WHERE due_at <= ? ORDER BY due_at LIMIT ?
       FOR UPDATE SKIP LOCKED)
     RETURNING team_id, manager_id, due_at, tz, tz_fetched_at`,
  planDigest: 'UPDATE digest_plan SET due_at = ? WHERE team_id = ? AND manager_id = ?',
  // '' is never a zone: COALESCE makes "NULL and NULL" equal, as IS would on SQLite alone.
  digestZone: `UPDATE digest_plan SET tz = ?, tz_fetched_at = ?, due_at = CASE WHEN CAST(? AS INTEGER) = 1 THEN '' ELSE due_at END
     WHERE team_id = ? AND manager_id = ?
       AND (COALESCE(tz, '') != COALESCE(CAST(? AS TEXT), '') OR tz_fetched_at IS NULL)`,
  dropDigest: 'DELETE FROM digest_plan WHERE team_id = ? AND manager_id = ?',
  digestCursor: 'SELECT change_seq, team_id, user_id FROM digest_plan_cursor WHERE id = 1',
  // A range of teammates_by_change, each record with its own plan row (by primary key).
  changedRecords: `SELECT t.change_seq, t.team_id, t.user_id, t.manager_id, t.status, t.tz, t.tz_fetched_at, t.nudges,
       CASE WHEN p.manager_id IS NULL THEN 0 ELSE 1 END AS planned,
       p.tz AS plan_tz, p.tz_fetched_at AS plan_tz_fetched_at, p.nudges AS plan_nudges
     FROM teammates t LEFT JOIN digest_plan p ON p.team_id = t.team_id AND p.manager_id = t.user_id
     WHERE (t.change_seq, t.team_id, t.user_id) > (?, ?, ?)
     ORDER BY t.change_seq, t.team_id, t.user_id LIMIT ?`,
  addManager:
    'INSERT INTO digest_plan (team_id, manager_id) VALUES (?, ?) ON CONFLICT (team_id, manager_id) DO NOTHING',
  followManager: `UPDATE digest_plan SET tz = ?, tz_fetched_at = ?, nudges = ?, due_at = ''
     WHERE team_id = ? AND manager_id = ?`,
  // Forward only: a slower instance that followed the same slice never moves it back.
  moveCursor: `INSERT INTO digest_plan_cursor (id, change_seq, team_id, user_id) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET change_seq = excluded.change_seq, team_id = excluded.team_id, user_id = excluded.user_id
     WHERE (digest_plan_cursor.change_seq, digest_plan_cursor.team_id, digest_plan_cursor.user_id)
       < (excluded.change_seq, excluded.team_id, excluded.user_id)`,
  forgetPreferences: 'DELETE FROM growth_preferences WHERE team_id = ? AND user_id = ?',
  forgetDigests: "DELETE FROM growth_weekly WHERE team_id = ? AND kind = 'digest' AND subject = ?",
  forgetDigestZone: `UPDATE digest_plan SET tz = NULL, tz_fetched_at = NULL, nudges = NULL, due_at = ''
     WHERE team_id = ? AND manager_id = ?`,
} as const;

interface ChannelRow {
  team_id: string;
  channel_id: string;
  weekday: number;
  local_time: string;
  tz: string | null;
  set_by: string;
  set_at: string;
}

const toChannel = (r: ChannelRow): GrowthChannel => ({
  teamId: r.team_id,
  channelId: r.channel_id,
  weekday: r.weekday,
  time: r.local_time,
  tz: r.tz,
  setBy: r.set_by,
  setAt: r.set_at,
});

interface PreferencesRow {
  optional_nudges: string;
  celebrate: number;
  digest: string;
}

interface WeekKeyRow {
  team_id: string;
  kind: WeeklyKind;
  subject: string;
  week: string;
}

interface WeeklyRow extends WeekKeyRow {
  status: WeeklyEntry['status'];
  claimed_at: string;
  sent_at: string | null;
  error: string | null;
}

interface DueRow {
  team_id: string;
  manager_id: string;
  due_at: string;
  tz: string | null;
  tz_fetched_at: string | null;
}

interface ManagerPageRow {
  manager_id: string;
  managing: number;
  tz: string | null;
  digest: 'on' | 'off';
  week1: number;
  week2: number;
  week3: number;
}

interface CursorRow {
  change_seq: number;
  team_id: string;
  user_id: string;
}

interface ChangedRow extends CursorRow {
  manager_id: string | null;
  status: string;
  tz: string | null;
  tz_fetched_at: string | null;
  nudges: 'dm' | 'off';
  planned: number;
  plan_tz: string | null;
  plan_tz_fetched_at: string | null;
  plan_nudges: 'dm' | 'off' | null;
}

const weekParams = (k: WeeklyKey): string[] => [k.teamId, k.kind, k.subject, k.week];

export class SqlGrowthStore implements GrowthStore {
  constructor(private readonly sql: Sql) {}

  async channel(teamId: string): Promise<GrowthChannel | null> {
    const row = await this.sql.get<ChannelRow>(GROWTH_SQL.channel, [teamId]);
    return row ? toChannel(row) : null;
  }

  async channels(): Promise<GrowthChannel[]> {
    return (await this.sql.all<ChannelRow>(GROWTH_SQL.channels)).map(toChannel);
  }

  async setChannel(channel: GrowthChannel): Promise<void> {
    const c = parseInput(channelSchema, channel, 'growth channel');
    await this.sql.run(GROWTH_SQL.setChannel, [c.teamId, c.channelId, c.weekday, c.time, c.tz, c.setBy, c.setAt]);
  }

  async clearChannel(teamId: string): Promise<boolean> {
    return (await this.sql.run(GROWTH_SQL.clearChannel, [teamId])).changes > 0;
  }

  async preferences(teamId: string, userId: string): Promise<GrowthPreferences> {
    const row = await this.sql.get<PreferencesRow>(GROWTH_SQL.preferences, [teamId, userId]);
    if (!row) return DEFAULT_PREFERENCES;
    return {
      optionalNudges: row.optional_nudges === 'off' ? 'off' : 'on',
      celebrate: row.celebrate === 1,
      digest: row.digest === 'off' ? 'off' : 'on',
    };
  }

  async setOptionalNudges(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void> {
    const when = parseInput(timestamp, at, 'at');
    await this.sql.run(GROWTH_SQL.setOptional, [teamId, userId, on ? 'on' : 'off', when]);
  }

  async setCelebrate(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void> {
    await this.sql.run(GROWTH_SQL.setCelebrate, [teamId, userId, on ? 1 : 0, parseInput(timestamp, at, 'at')]);
  }

  async setDigest(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void> {
    const when = parseInput(timestamp, at, 'at');
    await this.sql.transaction(async (sql) => {
      await sql.run(GROWTH_SQL.setDigest, [teamId, userId, on ? 'on' : 'off', when]);
      await sql.run(GROWTH_SQL.replanDigest, [teamId, userId]);
    });
  }

  async celebrating(teamId: string): Promise<string[]> {
    return (await this.sql.all<{ user_id: string }>(GROWTH_SQL.celebrating, [teamId])).map((r) => r.user_id);
  }

  async claimWeek(key: WeeklyKey, at: Timestamp): Promise<boolean> {
    const k = parseInput(weeklySchema, key, 'weekly send');
    const when = parseInput(timestamp, at, 'at');
    return (await this.sql.run(GROWTH_SQL.claim, [...weekParams(k), when])).changes === 1;
  }

  async weekTaken(key: WeeklyKey): Promise<boolean> {
    return ((await this.sql.get<{ n: number }>(GROWTH_SQL.taken, weekParams(key)))?.n ?? 0) > 0;
  }

  async markWeek(key: WeeklyKey, outcome: { ok: true } | { ok: false; error: string }, at: Timestamp): Promise<void> {
    const k = parseInput(weeklySchema, key, 'weekly send');
    await this.sql.run(GROWTH_SQL.mark, [
      outcome.ok ? 'sent' : 'undeliverable',
      parseInput(timestamp, at, 'at'),
      outcome.ok ? null : outcome.error.slice(0, 100),
      ...weekParams(k),
    ]);
  }

  async releaseWeek(key: WeeklyKey): Promise<void> {
    const k = parseInput(weeklySchema, key, 'weekly send');
    await this.sql.run(GROWTH_SQL.release, weekParams(k));
  }

  async weekEntries(teamId: string): Promise<WeeklyEntry[]> {
    return (await this.sql.all<WeeklyRow>(GROWTH_SQL.entries, [teamId])).map((r) => ({
      teamId: r.team_id,
      kind: r.kind,
      subject: r.subject,
      week: r.week,
      status: r.status,
      claimedAt: r.claimed_at,
      sentAt: r.sent_at,
      error: r.error,
    }));
  }

  async claimDueDigests(now: Timestamp, until: Timestamp, limit: number): Promise<DigestPlanRow[]> {
    const params = [parseInput(timestamp, until, 'until'), parseInput(timestamp, now, 'now'), limit];
    const rows =
      this.sql.dialect === 'postgres'
        ? await this.sql.all<DueRow>(GROWTH_SQL.claimDueDigestsPostgres, params)
        : await this.sql.all<DueRow>(GROWTH_SQL.claimDueDigests, params);
    // RETURNING promises no order: the plan's key order, the same on both engines.
    return rows
      .map((r) => ({
        teamId: r.team_id,
        managerId: r.manager_id,
        dueAt: r.due_at,
        tz: r.tz,
        tzKnown: r.tz_fetched_at !== null,
      }))
      .sort((a, b) => compareText(a.teamId, b.teamId) || compareText(a.managerId, b.managerId));
  }

  async planDigests(plans: readonly { teamId: string; managerId: string; dueAt: Timestamp }[]): Promise<void> {
    const valid = plans.map((p) => ({ ...p, dueAt: parseInput(timestamp, p.dueAt, 'due') }));
    if (valid.length === 0) return;
    await this.sql.transaction(async (sql) => {
      for (const p of valid) await sql.run(GROWTH_SQL.planDigest, [p.dueAt, p.teamId, p.managerId]);
    });
  }

  async rememberDigestZone(
    teamId: string,
    managerId: string,
    tz: string | null,
    at: Timestamp,
    options: { replan: boolean } = { replan: false },
  ): Promise<boolean> {
    const v = parseInput(z.object({ tz: timeZone.nullable(), at: timestamp }), { tz, at }, 'time zone');
    const replan = options.replan ? 1 : 0;
    return (await this.sql.run(GROWTH_SQL.digestZone, [v.tz, v.at, replan, teamId, managerId, v.tz])).changes > 0;
  }

  async dropDigest(teamId: string, managerId: string): Promise<void> {
    await this.sql.run(GROWTH_SQL.dropDigest, [teamId, managerId]);
  }

  async digestCursor(): Promise<ChangeCursor | null> {
    const row = await this.sql.get<CursorRow>(GROWTH_SQL.digestCursor);
    return row ? { seq: row.change_seq, teamId: row.team_id, userId: row.user_id } : null;
  }

  async recordsChangedAfter(cursor: ChangeCursor | null, limit: number): Promise<ChangedRecord[]> {
    // Every stamp is 0 or more: (-1, '', '') is before the first record.
    const from = cursor ?? { seq: -1, teamId: '', userId: '' };
    const rows = await this.sql.all<ChangedRow>(GROWTH_SQL.changedRecords, [from.seq, from.teamId, from.userId, limit]);
    return rows.map((r) => ({
      seq: r.change_seq,
      teamId: r.team_id,
      userId: r.user_id,
      managerId: r.manager_id,
      status: r.status,
      tz: r.tz,
      tzFetchedAt: r.tz_fetched_at,
      nudges: r.nudges,
      plan: r.planned === 1 ? { tz: r.plan_tz, tzFetchedAt: r.plan_tz_fetched_at, nudges: r.plan_nudges } : null,
    }));
  }

  async followChanges(changes: DigestPlanChanges, cursor: ChangeCursor): Promise<void> {
    await this.sql.transaction(async (sql) => {
      for (const m of changes.managers) await sql.run(GROWTH_SQL.addManager, [m.teamId, m.managerId]);
      for (const f of changes.follow) {
        await sql.run(GROWTH_SQL.followManager, [f.tz, f.tzFetchedAt, f.nudges, f.teamId, f.managerId]);
      }
      await sql.run(GROWTH_SQL.moveCursor, [cursor.seq, cursor.teamId, cursor.userId]);
    });
  }

  async forget(teamId: string, userId: string): Promise<number> {
    return await this.sql.transaction(async (sql) => {
      const preferences = await sql.run(GROWTH_SQL.forgetPreferences, [teamId, userId]);
      const digests = await sql.run(GROWTH_SQL.forgetDigests, [teamId, userId]);
      const zone = await sql.run(GROWTH_SQL.forgetDigestZone, [teamId, userId]);
      return preferences.changes + digests.changes + zone.changes;
    });
  }

  async pruneWeeks(
    before: Timestamp,
    cursor: WeeklyKey | null,
    limit: number,
  ): Promise<{ deleted: number; next: WeeklyKey | null }> {
    const cutOff = parseInput(timestamp, before, 'prune cut-off');
    const from = cursor ? weekParams(cursor) : ['', '', '', ''];
    return await this.sql.transaction(async (sql) => {
      const last = (await sql.all<WeekKeyRow>(GROWTH_SQL.pruneScan, [...from, limit])).at(-1);
      if (last === undefined) return { deleted: 0, next: null };
      const next: WeeklyKey = { teamId: last.team_id, kind: last.kind, subject: last.subject, week: last.week };
      const deleted = (await sql.run(GROWTH_SQL.pruneDelete, [...from, ...weekParams(next), cutOff])).changes;
      return { deleted, next };
    });
  }

  async managerPage(
    teamId: string,
    after: string,
    limit: number,
    weeks: readonly string[],
  ): Promise<ManagerDigestRow[]> {
    if (weeks.length > MANAGER_PAGE_WEEKS) throw new Error(`managerPage looks up at most ${MANAGER_PAGE_WEEKS} weeks`);
    const [w1 = null, w2 = null, w3 = null] = weeks;
    const rows = await this.sql.all<ManagerPageRow>(GROWTH_SQL.managerPage, [
      teamId,
      after,
      teamId,
      limit,
      teamId,
      teamId,
      w1,
      teamId,
      w2,
      teamId,
      w3,
      teamId,
      teamId,
    ]);
    return rows.map((r) => ({
      managerId: r.manager_id,
      managing: r.managing === 1,
      tz: r.tz,
      digest: r.digest === 'off' ? 'off' : 'on',
      weeks: [
        ...(r.week1 === 1 && w1 !== null ? [w1] : []),
        ...(r.week2 === 1 && w2 !== null ? [w2] : []),
        ...(r.week3 === 1 && w3 !== null ? [w3] : []),
      ],
    }));
  }
}

/** Text in code-point order, as both engines compare it (COLLATE "C" on PostgreSQL). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

STORE_SQL.growth = GROWTH_SQL;
