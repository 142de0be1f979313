import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { slackId, timestamp, timeZone } from './input.js';
import type { Timestamp } from './types.js';

/**
 * Where channel growth nudges and manager digests keep their state (db/007): the workspace's growth
 * channel, each person's growth preferences, and the weekly ledger that makes each post and digest
 * go out at most once a week.
 */

/** The workspace's growth channel and when its weekly post goes out. */
export interface GrowthChannel {
  teamId: string;
  channelId: string;
  /** 1 = Monday … 7 = Sunday (Luxon's numbering). */
  weekday: number;
  /** 'HH:MM', local to `tz`. */
  time: string;
  /** The zone `time` is read in: that of the admin who set it; null reads as UTC. */
  tz: string | null;
  setBy: string;
  setAt: Timestamp;
}

export interface GrowthPreferences {
  /** Reminders about an optional next step ("if you choose to…"); on unless turned off. */
  optionalNudges: 'on' | 'off';
  /** A level-up may be celebrated by name in the growth channel; off unless the person opts in. */
  celebrate: boolean;
}

export const DEFAULT_PREFERENCES: GrowthPreferences = { optionalNudges: 'on', celebrate: false };

export type WeeklyKind = 'channel' | 'digest';

export interface WeeklyKey {
  teamId: string;
  kind: WeeklyKind;
  /** The channel id for a channel post, the manager's user id for a digest. */
  subject: string;
  /** ISO week, '2026-W25'. */
  week: string;
}

export interface WeeklyEntry extends WeeklyKey {
  status: 'claimed' | 'sent' | 'undeliverable';
  claimedAt: Timestamp;
  sentAt: Timestamp | null;
  error: string | null;
}

/** A manager's row in the digest plan (db/011). */
export interface DigestPlanRow {
  teamId: string;
  managerId: string;
  /** When the tick should look at them next; '' when not planned yet. */
  dueAt: Timestamp | '';
  /** The zone Slack gave for them, when `tzKnown` (null: Slack names none). */
  tz: string | null;
  /** Whether Slack has told Ripple this manager's zone (a lookup, `user_change`, their record). */
  tzKnown: boolean;
}

export type GrowthStore = Async<GrowthStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface GrowthStoreSync {
  channel(teamId: string): GrowthChannel | null;
  /** Every workspace's growth channel, for the weekly tick. */
  channels(): GrowthChannel[];
  setChannel(channel: GrowthChannel): void;
  /** False when no channel was set. */
  clearChannel(teamId: string): boolean;
  preferences(teamId: string, userId: string): GrowthPreferences;
  /**
   * Turns reminders about optional steps on or off. Also marks the teammate record changed, so the
   * reminder planner looks at the person again at its next tick.
   */
  setOptionalNudges(teamId: string, userId: string, on: boolean, at: Timestamp): void;
  setCelebrate(teamId: string, userId: string, on: boolean, at: Timestamp): void;
  /** People in the workspace who opted in to a celebration. */
  celebrating(teamId: string): string[];
  /** Takes the week's key before sending, atomically: false when it is already taken. */
  claimWeek(key: WeeklyKey, at: Timestamp): boolean;
  /** Whether the week's key is in the ledger already (claimed, sent or undeliverable). */
  weekTaken(key: WeeklyKey): boolean;
  markWeek(key: WeeklyKey, outcome: { ok: true } | { ok: false; error: string }, at: Timestamp): void;
  /** Gives a claim back after a failure worth retrying. */
  releaseWeek(key: WeeklyKey): void;
  weekEntries(teamId: string): WeeklyEntry[];
  /**
   * Managers whose digest may be due at `now` (unplanned ones first, then earliest due), at most
   * `limit`: a range of the plan's index, whatever the company's size.
   */
  digestsDue(now: Timestamp, limit: number): DigestPlanRow[];
  /** When to look at each manager next: one transaction for all (one commit for a tick's batch). */
  planDigests(plans: readonly { teamId: string; managerId: string; dueAt: Timestamp }[]): void;
  /**
   * Keeps the zone Slack gave for a manager (a lookup, `user_change`). With `replan`, the manager is
   * planned again at the next tick (their digest's hour moved). False when nothing changed, or they are
   * no manager of record.
   */
  rememberDigestZone(
    teamId: string,
    managerId: string,
    tz: string | null,
    at: Timestamp,
    options?: { replan: boolean },
  ): boolean;
  /** Drops the manager from the plan: they manage nobody any more. */
  dropDigest(teamId: string, managerId: string): void;
  /**
   * Retention: looks at the next `limit` weekly sends after `cursor` in key order (the primary key)
   * and deletes those claimed before `before`. "At most once a week" needs only the current week's.
   * Returns the rows deleted and the last key looked at (null at the end).
   */
  pruneWeeks(before: Timestamp, cursor: WeeklyKey | null, limit: number): { deleted: number; next: WeeklyKey | null };
  /**
   * For previews: a page of the workspace's managers of record after `after`, in id order (at most
   * `limit`), each with whether they manage anyone who has not left, their stored zone and nudges
   * (null without a record), and which of `weeks` their digest is in the ledger for. One seek per
   * manager (teammates_by_manager, then primary keys): never a read of every report.
   */
  managerPage(teamId: string, after: string, limit: number, weeks: readonly string[]): ManagerDigestRow[];
}

export interface ManagerDigestRow {
  managerId: string;
  managing: boolean;
  tz: string | null;
  nudges: 'dm' | 'off' | null;
  /** The weeks asked about that are in the ledger for this manager's digest. */
  weeks: string[];
}

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

type Key = [teamId: string, userId: string];
type WeekKey = [teamId: string, kind: string, subject: string, week: string];

export class SqliteGrowthStore implements GrowthStoreSync {
  private readonly db: Db;
  private readonly sql;

  constructor(db: Db) {
    this.db = db;
    this.sql = {
      channel: db.prepare<[string], ChannelRow>('SELECT * FROM growth_channels WHERE team_id = ?'),
      channels: db.prepare<[], ChannelRow>('SELECT * FROM growth_channels ORDER BY team_id'),
      setChannel: db.prepare<[z.output<typeof channelSchema>], void>(
        `INSERT INTO growth_channels (team_id, channel_id, weekday, local_time, tz, set_by, set_at)
         VALUES (@teamId, @channelId, @weekday, @time, @tz, @setBy, @setAt)
         ON CONFLICT (team_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday,
           local_time = excluded.local_time, tz = excluded.tz, set_by = excluded.set_by, set_at = excluded.set_at`,
      ),
      clearChannel: db.prepare<[string], void>('DELETE FROM growth_channels WHERE team_id = ?'),
      preferences: db.prepare<Key, { optional_nudges: string; celebrate: number }>(
        'SELECT optional_nudges, celebrate FROM growth_preferences WHERE team_id = ? AND user_id = ?',
      ),
      setOptional: db.prepare<[...Key, value: string, at: string], void>(
        `INSERT INTO growth_preferences (team_id, user_id, optional_nudges, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET optional_nudges = excluded.optional_nudges,
           updated_at = excluded.updated_at`,
      ),
      setCelebrate: db.prepare<[...Key, value: number, at: string], void>(
        `INSERT INTO growth_preferences (team_id, user_id, celebrate, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET celebrate = excluded.celebrate, updated_at = excluded.updated_at`,
      ),
      // NOTE: the reminder planner re-plans records whose updated_at moved (db/006's cursor); this is
      // how a preference that changes what is due reaches it.
      touchTeammate: db.prepare<[at: string, ...Key], void>(
        'UPDATE teammates SET updated_at = ? WHERE team_id = ? AND user_id = ?',
      ),
      celebrating: db.prepare<[string], { user_id: string }>(
        'SELECT user_id FROM growth_preferences WHERE team_id = ? AND celebrate = 1 ORDER BY user_id',
      ),
      // A loose walk of teammates_by_manager: each step seeks the next manager id, skipping their reports.
      managerPage: db.prepare<
        [{ teamId: string; after: string; limit: number; weeks: string }],
        { manager_id: string; managing: number; tz: string | null; nudges: 'dm' | 'off' | null; weeks: string | null }
      >(
        `WITH RECURSIVE m (manager_id) AS (
           SELECT (SELECT min(manager_id) FROM teammates WHERE team_id = @teamId AND manager_id > @after)
           UNION ALL
           SELECT (SELECT min(manager_id) FROM teammates WHERE team_id = @teamId AND manager_id > m.manager_id)
           FROM m WHERE m.manager_id IS NOT NULL LIMIT @limit)
         SELECT m.manager_id, t.tz, t.nudges,
           EXISTS (SELECT 1 FROM teammates r
                   WHERE r.team_id = @teamId AND r.manager_id = m.manager_id AND r.status != 'left') AS managing,
           (SELECT group_concat(g.week) FROM growth_weekly g
            WHERE g.team_id = @teamId AND g.kind = 'digest' AND g.subject = m.manager_id
              AND g.week IN (SELECT value FROM json_each(@weeks))) AS weeks
         FROM m LEFT JOIN teammates t ON t.team_id = @teamId AND t.user_id = m.manager_id
         WHERE m.manager_id IS NOT NULL`,
      ),
      pruneScan: db.prepare<
        [...WeekKey, limit: number],
        { team_id: string; kind: WeeklyKind; subject: string; week: string }
      >(
        `SELECT team_id, kind, subject, week FROM growth_weekly WHERE (team_id, kind, subject, week) > (?, ?, ?, ?)
         ORDER BY team_id, kind, subject, week LIMIT ?`,
      ),
      pruneDelete: db.prepare<[...WeekKey, ...WeekKey, before: string], void>(
        `DELETE FROM growth_weekly WHERE (team_id, kind, subject, week) > (?, ?, ?, ?)
           AND (team_id, kind, subject, week) <= (?, ?, ?, ?) AND claimed_at < ?`,
      ),
      claim: db.prepare<[...WeekKey, at: string], void>(
        `INSERT INTO growth_weekly (team_id, kind, subject, week, status, claimed_at)
         VALUES (?, ?, ?, ?, 'claimed', ?) ON CONFLICT DO NOTHING`,
      ),
      mark: db.prepare<[status: string, at: string, error: string | null, ...WeekKey], void>(
        `UPDATE growth_weekly SET status = ?, sent_at = ?, error = ?
         WHERE team_id = ? AND kind = ? AND subject = ? AND week = ?`,
      ),
      taken: db.prepare<WeekKey, { n: number }>(
        'SELECT count(*) AS n FROM growth_weekly WHERE team_id = ? AND kind = ? AND subject = ? AND week = ?',
      ),
      release: db.prepare<WeekKey, void>(
        `DELETE FROM growth_weekly WHERE team_id = ? AND kind = ? AND subject = ? AND week = ? AND status = 'claimed'`,
      ),
      entries: db.prepare<
        [string],
        {
          team_id: string;
          kind: WeeklyKind;
          subject: string;
          week: string;
          status: WeeklyEntry['status'];
          claimed_at: string;
          sent_at: string | null;
          error: string | null;
        }
      >('SELECT * FROM growth_weekly WHERE team_id = ? ORDER BY claimed_at, kind, subject'),
      // A range of digest_plan_due ('' sorts before every instant).
      digestsDue: db.prepare<
        [now: string, limit: number],
        { team_id: string; manager_id: string; due_at: string; tz: string | null; tz_fetched_at: string | null }
      >('SELECT * FROM digest_plan WHERE due_at <= ? ORDER BY due_at LIMIT ?'),
      planDigest: db.prepare<[dueAt: string, teamId: string, managerId: string], void>(
        'UPDATE digest_plan SET due_at = ? WHERE team_id = ? AND manager_id = ?',
      ),
      digestZone: db.prepare<
        [{ tz: string | null; at: string; replan: number; teamId: string; managerId: string }],
        void
      >(
        `UPDATE digest_plan SET tz = @tz, tz_fetched_at = @at, due_at = CASE WHEN @replan THEN '' ELSE due_at END
         WHERE team_id = @teamId AND manager_id = @managerId AND (tz IS NOT @tz OR tz_fetched_at IS NULL)`,
      ),
      dropDigest: db.prepare<[teamId: string, managerId: string], void>(
        'DELETE FROM digest_plan WHERE team_id = ? AND manager_id = ?',
      ),
    };
  }

  channel(teamId: string): GrowthChannel | null {
    const row = this.sql.channel.get(teamId);
    return row ? toChannel(row) : null;
  }

  channels(): GrowthChannel[] {
    return this.sql.channels.all().map(toChannel);
  }

  setChannel(channel: GrowthChannel): void {
    this.sql.setChannel.run(parseInput(channelSchema, channel, 'growth channel'));
  }

  clearChannel(teamId: string): boolean {
    return this.sql.clearChannel.run(teamId).changes > 0;
  }

  preferences(teamId: string, userId: string): GrowthPreferences {
    const row = this.sql.preferences.get(teamId, userId);
    if (!row) return DEFAULT_PREFERENCES;
    return { optionalNudges: row.optional_nudges === 'off' ? 'off' : 'on', celebrate: row.celebrate === 1 };
  }

  setOptionalNudges(teamId: string, userId: string, on: boolean, at: Timestamp): void {
    const when = parseInput(timestamp, at, 'at');
    this.db
      .transaction(() => {
        this.sql.setOptional.run(teamId, userId, on ? 'on' : 'off', when);
        this.sql.touchTeammate.run(when, teamId, userId);
      })
      .immediate();
  }

  setCelebrate(teamId: string, userId: string, on: boolean, at: Timestamp): void {
    this.sql.setCelebrate.run(teamId, userId, on ? 1 : 0, parseInput(timestamp, at, 'at'));
  }

  celebrating(teamId: string): string[] {
    return this.sql.celebrating.all(teamId).map((r) => r.user_id);
  }

  claimWeek(key: WeeklyKey, at: Timestamp): boolean {
    const k = parseInput(weeklySchema, key, 'weekly send');
    return this.sql.claim.run(k.teamId, k.kind, k.subject, k.week, parseInput(timestamp, at, 'at')).changes === 1;
  }

  weekTaken(key: WeeklyKey): boolean {
    return (this.sql.taken.get(key.teamId, key.kind, key.subject, key.week)?.n ?? 0) > 0;
  }

  markWeek(key: WeeklyKey, outcome: { ok: true } | { ok: false; error: string }, at: Timestamp): void {
    const k = parseInput(weeklySchema, key, 'weekly send');
    this.sql.mark.run(
      outcome.ok ? 'sent' : 'undeliverable',
      parseInput(timestamp, at, 'at'),
      outcome.ok ? null : outcome.error.slice(0, 100),
      k.teamId,
      k.kind,
      k.subject,
      k.week,
    );
  }

  releaseWeek(key: WeeklyKey): void {
    const k = parseInput(weeklySchema, key, 'weekly send');
    this.sql.release.run(k.teamId, k.kind, k.subject, k.week);
  }

  weekEntries(teamId: string): WeeklyEntry[] {
    return this.sql.entries.all(teamId).map((r) => ({
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

  digestsDue(now: Timestamp, limit: number): DigestPlanRow[] {
    return this.sql.digestsDue.all(parseInput(timestamp, now, 'now'), limit).map((r) => ({
      teamId: r.team_id,
      managerId: r.manager_id,
      dueAt: r.due_at,
      tz: r.tz,
      tzKnown: r.tz_fetched_at !== null,
    }));
  }

  planDigests(plans: readonly { teamId: string; managerId: string; dueAt: Timestamp }[]): void {
    const valid = plans.map((p) => ({ ...p, dueAt: parseInput(timestamp, p.dueAt, 'due') }));
    this.db.transaction(() => {
      for (const p of valid) this.sql.planDigest.run(p.dueAt, p.teamId, p.managerId);
    })();
  }

  rememberDigestZone(
    teamId: string,
    managerId: string,
    tz: string | null,
    at: Timestamp,
    options: { replan: boolean } = { replan: false },
  ): boolean {
    const v = parseInput(z.object({ tz: timeZone.nullable(), at: timestamp }), { tz, at }, 'time zone');
    return (
      this.sql.digestZone.run({ tz: v.tz, at: v.at, replan: options.replan ? 1 : 0, teamId, managerId }).changes > 0
    );
  }

  dropDigest(teamId: string, managerId: string): void {
    this.sql.dropDigest.run(teamId, managerId);
  }

  pruneWeeks(before: Timestamp, cursor: WeeklyKey | null, limit: number): { deleted: number; next: WeeklyKey | null } {
    const cutOff = parseInput(timestamp, before, 'prune cut-off');
    const from: WeekKey = cursor ? [cursor.teamId, cursor.kind, cursor.subject, cursor.week] : ['', '', '', ''];
    return this.db
      .transaction(() => {
        const last = this.sql.pruneScan.all(...from, limit).at(-1);
        if (last === undefined) return { deleted: 0, next: null };
        const deleted = this.sql.pruneDelete.run(
          ...from,
          last.team_id,
          last.kind,
          last.subject,
          last.week,
          cutOff,
        ).changes;
        return { deleted, next: { teamId: last.team_id, kind: last.kind, subject: last.subject, week: last.week } };
      })
      .immediate();
  }

  managerPage(teamId: string, after: string, limit: number, weeks: readonly string[]): ManagerDigestRow[] {
    return this.sql.managerPage.all({ teamId, after, limit, weeks: JSON.stringify(weeks) }).map((r) => ({
      managerId: r.manager_id,
      managing: r.managing === 1,
      tz: r.tz,
      nudges: r.nudges,
      weeks: r.weeks === null ? [] : r.weeks.split(','),
    }));
  }
}
