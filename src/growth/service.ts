import { DateTime } from 'luxon';
import { addDays, type IsoDate, isValidTimeZone, zoneOrUtc } from '../career/dates.js';
import { type Action, authorize } from '../career/permissions.js';
import { isAdmin } from '../career/roles.js';
import { areasForPeople, type PromotionWindow, promotionWindow, titlesForPeople } from '../career/window.js';
import type { ChannelRef, GrowthCommand } from '../commands/growth-grammar.js';
import type { AppContext, Clock } from '../context.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Catalog } from '../frameworks/catalog.js';
import { levelName, placeName } from '../frameworks/describe.js';
import type { NoticeSender } from '../notify/port.js';
import type { CheckinStore } from '../ports/checkins.js';
import type { GrowthStore, ManagerDigestRow, WeeklyKey } from '../ports/growth.js';
import type { ReminderStore } from '../ports/reminders.js';
import type { TeammateStore } from '../ports/teammates.js';
import { planPending, windowSteps } from '../reminders/engine.js';
import {
  DEFAULT_DELIVERY,
  DEFAULT_POLICY,
  type DeliverySchedule,
  localDate,
  nextDeliveryInstant,
  type ReminderStage,
} from '../reminders/schedule.js';
import type { Directory } from '../teammates/directory.js';
import type { TeammateRecord } from '../teammates/model.js';
import { asOfToday } from '../teammates/rules.js';
import { type Caller, isOptionalStep, reportsOf, windowState } from '../teammates/service.js';
import { type AdminPeopleView, adminPeople } from './people.js';
import type {
  AwaitingRatings,
  ChannelPostView,
  ChannelSlotView,
  DigestLine,
  DigestView,
  LevelChange,
  ScheduleView,
  WindowOpening,
} from './views.js';
import {
  aggregate,
  channelPostDue,
  DEFAULT_CHANNEL_SLOT,
  digestDue,
  growthPrompt,
  shown,
  slotsBetween,
  type WeeklySlot,
  weekKey,
  weekStart,
} from './weekly.js';

/**
 * Channel growth nudges, manager digests and the admin's view of what goes out: explicit
 * dependencies in, coded outcomes out. The Slack layer words every outcome and every notice (src/slack/blocks/growth.ts).
 */

/** How posts reach a channel: the notifier port's `deliverToChannel`. */
export type ChannelPoster = Pick<NoticeSender, 'deliverToChannel'>;

export interface GrowthDeps {
  teammates: TeammateStore;
  checkins: Pick<CheckinStore, 'sharedWith' | 'lastFinishedAt' | 'awaitingRatings'>;
  growth: GrowthStore;
  reminders: ReminderStore;
  catalog: Catalog;
  clock: Clock;
  directory: Directory;
  admins: readonly string[];
  poster: ChannelPoster;
  schedule: DeliverySchedule;
}

/** The service's dependencies from the composition root's context and the ports it reaches Slack through. */
export function growthDepsFrom(ctx: AppContext, ports: { directory: Directory; poster: ChannelPoster }): GrowthDeps {
  return {
    teammates: ctx.stores.teammates,
    checkins: ctx.stores.checkins,
    growth: ctx.stores.growth,
    reminders: ctx.stores.reminders,
    catalog: ctx.catalog,
    clock: ctx.clock,
    directory: ports.directory,
    admins: ctx.admins,
    poster: ports.poster,
    schedule: ctx.reminderSchedule ?? DEFAULT_DELIVERY,
  };
}

/** Slack errors that mean the channel itself cannot take posts (as opposed to a passing failure). */
export const CHANNEL_ERRORS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

export type AdminOutcome =
  | { kind: 'channel-set'; channelId: string; weekday: number; time: string; tz: string | null }
  | { kind: 'channel-off'; had: boolean }
  /** `next`: when the weekly post comes next (this week's is the one just posted). */
  | { kind: 'nudged'; channelId: string; next: ChannelSlotView }
  | { kind: 'schedule'; view: ScheduleView }
  | { kind: 'people'; view: AdminPeopleView }
  | { kind: 'no-channel' }
  | { kind: 'not-in-channel'; channel: ChannelRef }
  | { kind: 'channel-unavailable'; channel: ChannelRef; error: string }
  | { kind: 'not-admin' }
  | { kind: 'slack-unavailable' };

export type CelebrateOutcome = { kind: 'celebrate'; on: boolean; changed: boolean } | { kind: 'no-record' };

/** `/career digest [on|off]`: the setting after the command, and whether the caller manages anyone now. */
export interface DigestSwitchOutcome {
  kind: 'digest';
  on: boolean;
  changed: boolean;
  managing: boolean;
}

/**
 * The permission table's decision on a workspace-wide action: the target is the workspace, so only
 * `admin` can hold, by the one rule (`isAdmin`). The lookup is made anyway, for the caller's zone.
 */
async function allowed(
  deps: Pick<GrowthDeps, 'admins' | 'directory'>,
  action: Action,
  caller: Caller,
): Promise<{ ok: boolean; tz: string | null; unavailable?: boolean }> {
  const target = { userId: caller.teamId, managerId: null };
  const found = await deps.directory.user(caller.userId);
  const tz = found.ok ? found.user.tz : null;
  const admin = isAdmin({
    userId: caller.userId,
    configuredAdmins: deps.admins,
    slackUser: found.ok ? found.user.roles : undefined,
  });
  if (authorize(action, { userId: caller.userId, isAdmin: admin }, target).allowed) return { ok: true, tz };
  return { ok: false, tz, unavailable: !found.ok && found.reason === 'unavailable' };
}

/** `/career admin …`. Every refusal leaves the database as it was. */
export async function runAdmin(
  deps: GrowthDeps,
  caller: Caller,
  command: Extract<GrowthCommand, { kind: 'admin' }>,
): Promise<AdminOutcome> {
  const admin = await allowed(deps, command.action === 'people' ? 'admin-people' : 'admin-growth', caller);
  if (!admin.ok) return admin.unavailable ? { kind: 'slack-unavailable' } : { kind: 'not-admin' };
  switch (command.action) {
    case 'channel':
      return setChannel(deps, caller, command, admin.tz);
    case 'channel-off':
      return { kind: 'channel-off', had: await deps.growth.clearChannel(caller.teamId) };
    case 'nudge-now':
      return nudgeNow(deps, caller.teamId);
    case 'schedule':
      return { kind: 'schedule', view: await scheduleView(deps, caller.teamId, admin.tz) };
    case 'people':
      return { kind: 'people', view: await adminPeople(deps, caller.teamId, command.page) };
  }
}

async function setChannel(
  deps: GrowthDeps,
  caller: Caller,
  command: Extract<GrowthCommand, { action: 'channel' }>,
  tz: string | null,
): Promise<AdminOutcome> {
  const current = await deps.growth.channel(caller.teamId);
  const sameChannel = current?.channelId === command.channel.id;
  const weekday = command.weekday ?? (sameChannel ? current.weekday : DEFAULT_CHANNEL_SLOT.weekday);
  const time = command.time ?? (sameChannel ? current.time : DEFAULT_CHANNEL_SLOT.time);
  // Posting the welcome is how Ripple learns it is in the channel (chat:write, no channel-reading scope). The
  // channel it already posts in is not welcomed again when only the day or time changes.
  if (!sameChannel) {
    const slot = slotView({ weekday, time, tz }, deps.clock.now());
    const posted = await deps.poster.deliverToChannel(caller.teamId, command.channel.id, {
      kind: 'channel-welcome',
      slot,
    });
    if (!posted.ok) {
      if (posted.error === 'not_in_channel') return { kind: 'not-in-channel', channel: command.channel };
      return { kind: 'channel-unavailable', channel: command.channel, error: posted.error };
    }
  }
  await deps.growth.setChannel({
    teamId: caller.teamId,
    channelId: command.channel.id,
    weekday,
    time,
    tz,
    setBy: caller.userId,
    setAt: deps.clock.now().toISOString(),
  });
  return { kind: 'channel-set', channelId: command.channel.id, weekday, time, tz };
}

/** The channel's slot as people read it, with the next post at or after `now`. */
export function slotView(slot: WeeklySlot, now: Date): ChannelSlotView {
  const [next] = slotsBetween(now, 8, slot);
  return { weekday: slot.weekday, time: slot.time, tz: slot.tz, next: (next ?? now).toISOString() };
}

/**
 * `/career admin nudge-now`: this week's post, now. It takes the week's place in the weekly ledger, so
 * the weekly post does not repeat it on its day (the next week's comes as usual); if this week's was
 * already posted, it is posted again, as asked, and nothing more is owed.
 */
async function nudgeNow(deps: GrowthDeps, teamId: string): Promise<AdminOutcome> {
  const channel = await deps.growth.channel(teamId);
  if (channel === null) return { kind: 'no-channel' };
  const now = deps.clock.now();
  const key: WeeklyKey = { teamId, kind: 'channel', subject: channel.channelId, week: weekKey(now, channel.tz) };
  const claimed = await deps.growth.claimWeek(key, now.toISOString());
  const view = await channelPost(deps, teamId, now);
  const posted = await deps.poster.deliverToChannel(teamId, channel.channelId, { kind: 'channel-post', view });
  if (claimed) {
    // A failed post gives the week back: the weekly post still comes on its day.
    if (posted.ok) await deps.growth.markWeek(key, { ok: true }, deps.clock.now().toISOString());
    else await deps.growth.releaseWeek(key);
  }
  if (posted.ok) {
    const after = new Date(Math.max(now.getTime(), channelPostDue(now, channel, deps.schedule).at.getTime()) + 60_000);
    return { kind: 'nudged', channelId: channel.channelId, next: slotView(channel, after) };
  }
  const ref = { id: channel.channelId };
  return posted.error === 'not_in_channel'
    ? { kind: 'not-in-channel', channel: ref }
    : { kind: 'channel-unavailable', channel: ref, error: posted.error };
}

/** How far back a level-up is celebrated: the week since the previous post. */
const CELEBRATE_DAYS = 7;

/** Records read per slice of the channel post's counts; the post yields to the event loop between slices. */
export const COUNT_SLICE = 200;

/**
 * This week's channel post for a workspace. NOTE: the only people in it are those who opted in to a
 * celebration; everyone else is only counted, and a count under three is left out. The counts walk
 * the workspace in slices, yielding between them, so a large company never holds up the app.
 */
export async function channelPost(
  deps: Omit<GrowthDeps, 'poster'>,
  teamId: string,
  now: Date,
): Promise<ChannelPostView> {
  const channel = await deps.growth.channel(teamId);
  const tz = channel?.tz ?? null;
  const today = localDate(now, tz);
  const prompt = growthPrompt(deps.catalog.frameworks, weekStart(now, tz));
  const windows: PromotionWindow[] = [];
  for (let after: string | null = null; ; ) {
    const slice = await deps.teammates.listPage(teamId, after, COUNT_SLICE);
    for (const stored of slice) {
      if (stored.status === 'left') continue;
      const { record, pauses } = asOfToday(stored, await deps.teammates.pauses(teamId, stored.userId), today);
      if (record.status !== 'active') continue;
      const found = windowSteps(deps.catalog, record);
      if (found === null) continue;
      windows.push(promotionWindow({ since: record.since, timeframe: found.level.timeframe, pauses, today }));
    }
    if (slice.length < COUNT_SLICE) break;
    after = (slice.at(-1) as TeammateRecord).userId;
    await yieldToEventLoop();
  }
  const counts = aggregate(windows, today);
  return {
    prompt: prompt && {
      examples: prompt.examples.map((e) => ({
        team: e.framework.name,
        level: levelName(e.framework.levels, e.level),
        expectation: e.expectation,
      })),
    },
    aggregates: { openThisMonth: shown(counts.openThisMonth), openingSoon: shown(counts.openingSoon) },
    celebrations: await celebrations(deps, teamId, now),
    // The next post after this one (a post is made at or after its slot).
    slot: channel && slotView(channel, new Date(now.getTime() + 60_000)),
  };
}

/** Opted-in people who moved up a level in the last week, with their new title. */
async function celebrations(
  deps: Omit<GrowthDeps, 'poster'>,
  teamId: string,
  now: Date,
): Promise<{ userId: string; title: string }[]> {
  const since = new Date(now.getTime() - CELEBRATE_DAYS * 86_400_000).toISOString();
  const out: { userId: string; title: string }[] = [];
  for (const userId of await deps.growth.celebrating(teamId)) {
    const record = await deps.teammates.get(teamId, userId);
    if (record === null || record.status === 'left') continue;
    const framework = deps.catalog.get(record.frameworkId);
    const level = framework && deps.catalog.levelById(framework, record.levelId);
    if (!framework || !level) continue;
    const moved = (await deps.teammates.history(teamId, userId))
      .filter((h) => h.field === 'level' && h.changedAt >= since && h.changedAt <= now.toISOString() && h.from !== null)
      .at(-1);
    const before = moved?.from ? deps.catalog.levelById(framework, moved.from) : undefined;
    if (moved && moved.to === record.levelId && before && level.number > before.number) {
      // The person's own title where they have one; "Head of …" as the framework means it.
      out.push({ userId, title: record.title ?? titlesForPeople(level.titles, 'their') });
    }
  }
  return out;
}

/** How long a shared check-in waiting for ratings keeps a manager's weekly digest coming: four weeks. */
export const AWAITING_RATINGS_DAYS = 28;
/** Reports read for a digest between yields to the event loop (each is a few keyed reads). */
export const DIGEST_REPORT_SLICE = 50;

/**
 * A manager's weekly digest, in their week (their zone `tz`): the shared check-ins waiting for their
 * ratings (shared in the last AWAITING_RATINGS_DAYS), the reports whose window opens this week, and the
 * level changes of last week made by someone else; then each current report at a glance. NOTE: a
 * check-in the report did not share with this manager is never counted (the `read-checkin-counts`
 * row reads only what was shared with them). Reads are per report, through their keys: the cost is the
 * manager's team, whatever the company's size.
 */
export async function digestFor(
  deps: Omit<GrowthDeps, 'poster'>,
  teamId: string,
  managerId: string,
  tz: string | null,
): Promise<DigestView> {
  const now = deps.clock.now();
  const monday = weekStart(now, tz);
  const sunday = addDays(monday, 6);
  const thisWeek = DateTime.fromISO(monday, { zone: zoneOrUtc(tz) });
  const changedFrom = thisWeek.minus({ weeks: 1 }).toUTC().toISO() as string;
  const changedBefore = thisWeek.toUTC().toISO() as string;
  const awaitingSince = new Date(now.getTime() - AWAITING_RATINGS_DAYS * 86_400_000).toISOString();
  const manager = { userId: managerId, isAdmin: false };
  const view = {
    awaitingRatings: [] as AwaitingRatings[],
    windowsOpening: [] as WindowOpening[],
    levelChanges: [] as LevelChange[],
    reports: [] as DigestLine[],
  };
  const cards = await reportsOf(deps, teamId, managerId);
  for (const [i, card] of cards.entries()) {
    if (i > 0 && i % DIGEST_REPORT_SLICE === 0) await yieldToEventLoop();
    const { record } = card;
    const target = { userId: record.userId, managerId: record.managerId, status: record.status };
    // The digest shows what the manager may read: the record, and counts of check-ins shared with them.
    if (!authorize('read-record', manager, target).allowed) continue;
    const shared = authorize('read-checkin-counts', manager, target).allowed
      ? await deps.checkins.sharedWith(teamId, record.userId, managerId)
      : { shared: 0, lastSharedAt: null, awaiting: null };
    if (shared.awaiting !== null && shared.awaiting.sharedAt >= awaitingSince) {
      view.awaitingRatings.push({
        userId: record.userId,
        checkinId: shared.awaiting.id,
        sharedOn: localDate(new Date(shared.awaiting.sharedAt), tz),
      });
    }
    const optional = isOptionalStep(card);
    const standing = windowState(card);
    const steps = windowSteps(deps.catalog, record)?.steps ?? [];
    const next = steps.length > 0 ? steps.map((l) => titlesForPeople(l.titles, 'their')).join(' or ') : null;
    const window = card.window.phase === 'none' ? null : card.window;
    if (standing !== 'paused' && window && next && window.opensOn >= monday && window.opensOn <= sunday) {
      view.windowsOpening.push({ userId: record.userId, next, opensOn: window.opensOn, optional });
    }
    const level =
      card.framework && card.level
        ? areasForPeople(placeName(card.framework, card.level, record.title), 'their')
        : null;
    const change = (await deps.teammates.history(teamId, record.userId))
      .filter(
        (h) =>
          h.field === 'level' &&
          h.from !== null &&
          h.changedBy !== managerId &&
          h.changedAt >= changedFrom &&
          h.changedAt < changedBefore,
      )
      .at(-1);
    if (change && level && change.to === record.levelId) {
      const before = card.framework && change.from ? deps.catalog.levelById(card.framework, change.from) : undefined;
      view.levelChanges.push({
        userId: record.userId,
        level,
        on: localDate(new Date(change.changedAt), tz),
        up: before !== undefined && card.level !== undefined && card.level.number > before.number,
      });
    }
    view.reports.push({
      userId: record.userId,
      level,
      daysAtLevel: card.daysAtLevel,
      standing,
      optional,
      next,
      opensOn: window?.opensOn ?? null,
      closesOn: window?.closesOn ?? null,
      shared: {
        count: shared.shared,
        last: shared.lastSharedAt === null ? null : localDate(new Date(shared.lastSharedAt), tz),
      },
    });
  }
  return view;
}

/** A person's time zone: their record's, else what Slack says, else null (UTC). */
export async function timeZoneOf(
  deps: Pick<GrowthDeps, 'teammates' | 'directory'>,
  teamId: string,
  userId: string,
): Promise<string | null> {
  const record = await deps.teammates.get(teamId, userId);
  if (record?.tz) return record.tz;
  const found = await deps.directory.user(userId);
  return found.ok ? found.user.tz : null;
}

/**
 * Slack says a person's zone (`user_change`): if they are a manager of record, their digest follows
 * it from the next tick. Their own record, if any, takes it through the teammate service.
 */
export async function managerZoneChanged(
  deps: Pick<GrowthDeps, 'growth' | 'clock'>,
  teamId: string,
  userId: string,
  tz: string | undefined,
): Promise<boolean> {
  if (tz === undefined || !isValidTimeZone(tz)) return false;
  return await deps.growth.rememberDigestZone(teamId, userId, tz, deps.clock.now().toISOString(), { replan: true });
}

const PREVIEW_DAYS = 7;
/** People named per line of the preview; the rest are counted. */
export const PREVIEW_SAMPLE = 15;
/** Managers read per statement: the event loop is given back between pages. */
const MANAGER_PAGE = 500;

const STAGE_KINDS: readonly (readonly [ReminderStage, string])[] = [
  ['heads-up', 'heads-up'],
  ['open', 'open'],
  ['checkin', 'checkin-%'],
  ['past', 'past'],
];

function stageOf(kind: string): ReminderStage | null {
  if (kind === 'heads-up' || kind === 'open' || kind === 'past') return kind;
  return /^checkin-\d+$/.test(kind) ? 'checkin' : null;
}

/**
 * The local days of a preview from `now`, in the admin's zone: today first, then one per day up to
 * the day `now + days` falls on. `starts[k]` is when day k + 1 begins (UTC ISO).
 */
function previewDays(now: Date, days: number, tz: string | null): { dates: IsoDate[]; starts: string[] } {
  const today = DateTime.fromJSDate(now, { zone: zoneOrUtc(tz) }).startOf('day');
  const end = now.getTime() + days * 86_400_000;
  const dates: IsoDate[] = [today.toISODate() as IsoDate];
  const starts: string[] = [];
  for (let k = 1; today.plus({ days: k }).toMillis() < end; k++) {
    const start = today.plus({ days: k });
    dates.push(start.toISODate() as IsoDate);
    starts.push(start.toJSDate().toISOString());
  }
  return { dates, starts };
}

/** The preview day an instant falls on (overdue instants: today). */
function dayOf(instant: Date, starts: readonly string[]): number {
  const at = instant.toISOString();
  let day = 0;
  while (day < starts.length && (starts[day] as string) <= at) day++;
  return day;
}

/** Records changed since the last tick that a preview plans before counting (4 of the planner's batches). */
const PREVIEW_PLAN_MAX = 500;

/**
 * `/career admin schedule`: what the reminder plan, the digests and the channel post send in the
 * next 7 days, per kind and per local day of the admin (`tz`), with the first few people named.
 * Reads are grouped and through indexes: reminder counts in one query and a sample per stage, the
 * managers a page at a time (yielding between pages), the ledger by key. Nothing here calls Slack:
 * a manager whose zone is not stored is placed by UTC, and counted in `unknownZones`.
 */
export async function scheduleView(
  deps: Pick<GrowthDeps, 'clock' | 'growth' | 'reminders' | 'schedule' | 'teammates' | 'checkins' | 'catalog'>,
  teamId: string,
  tz: string | null,
): Promise<ScheduleView> {
  const now = deps.clock.now();
  // NOTE: the preview counts the plan the sender follows, so it first plans what changed since the last tick
  // (a company set up or imported minutes ago), with the engine's own rule; a backlog larger than
  // PREVIEW_PLAN_MAX is left to the tick, and the reply says so.
  const planning = await planPending(
    {
      ...deps,
      preferences: deps.growth,
      settings: { schedule: deps.schedule, policy: DEFAULT_POLICY },
    },
    now,
    PREVIEW_PLAN_MAX,
  );
  const end = new Date(now.getTime() + PREVIEW_DAYS * 86_400_000);
  const { dates, starts } = previewDays(now, PREVIEW_DAYS, tz);
  const line = (): { count: number; perDay: number[]; sample: string[] } => ({
    count: 0,
    perDay: dates.map(() => 0),
    sample: [],
  });

  // Rows already due go out at the next tick, so overdue rows count from the start of time.
  const byStage = new Map(STAGE_KINDS.map(([stage]) => [stage, line()]));
  for (const row of await deps.reminders.dueCounts(teamId, end.toISOString(), starts)) {
    const stage = stageOf(row.kind);
    const counted = stage && byStage.get(stage);
    if (!counted) continue;
    counted.count += row.count;
    counted.perDay[row.day] = (counted.perDay[row.day] ?? 0) + row.count;
  }
  for (const [stage, glob] of STAGE_KINDS) {
    const counted = byStage.get(stage);
    if (counted && counted.count > 0)
      counted.sample = await deps.reminders.dueSample(teamId, end.toISOString(), glob, PREVIEW_SAMPLE);
  }

  // Every zone's current ISO week is one of these (zones are within ±14 h of UTC).
  const weeks = [...new Set([-1, 0, 1].map((d) => weekKey(new Date(now.getTime() + d * 86_400_000), null)))];
  const nextDigest = new Map<string, Date>();
  const digestAt = (zone: string | null, sent: readonly string[]): Date => {
    const memo = `${zone ?? ''} ${sent.join(',')}`;
    let at = nextDigest.get(memo);
    if (at === undefined) {
      const thisWeek = digestDue(now, zone, deps.schedule);
      const nextWeek = digestDue(new Date(now.getTime() + 7 * 86_400_000), zone, deps.schedule).at;
      // A digest not sent by its slot catches up in the next delivery hour of the same week, or never.
      const catchUp = nextDeliveryInstant(now, zone, deps.schedule);
      if (sent.includes(thisWeek.week)) at = nextWeek;
      else if (thisWeek.at.getTime() > now.getTime()) at = thisWeek.at;
      else at = weekKey(catchUp, zone) === thisWeek.week ? catchUp : nextWeek;
      nextDigest.set(memo, at);
    }
    return at;
  };
  const digests = line();
  let unknownZones = 0;
  for (let after = ''; ; ) {
    const page = await deps.growth.managerPage(teamId, after, MANAGER_PAGE, weeks);
    for (const m of page) {
      // The tick's rules: a manager of someone who has not left, unless `/career digest off`. NOTE: a digest
      // goes out only in a week when something needs the manager, which this preview does not work out:
      // it counts the digests that may go out.
      if (!m.managing || m.digest === 'off') continue;
      const at = digestAt(m.tz, m.weeks);
      if (at.getTime() >= end.getTime()) continue;
      if (m.tz === null) unknownZones++;
      digests.count++;
      const day = dayOf(at.getTime() < now.getTime() ? now : at, starts);
      digests.perDay[day] = (digests.perDay[day] ?? 0) + 1;
      if (digests.sample.length < PREVIEW_SAMPLE) digests.sample.push(m.managerId);
    }
    if (page.length < MANAGER_PAGE) break;
    after = (page.at(-1) as ManagerDigestRow).managerId;
    await yieldToEventLoop();
  }

  const channel = await deps.growth.channel(teamId);
  let channelView: ScheduleView['channel'] = null;
  if (channel) {
    // The slots whose week's post is not in the ledger yet (one key read per slot: at most two weeks).
    const at: string[] = [];
    for (const d of slotsBetween(now, PREVIEW_DAYS, channel)) {
      const key = { teamId, kind: 'channel' as const, subject: channel.channelId, week: weekKey(d, channel.tz) };
      if (!(await deps.growth.weekTaken(key))) at.push(formatLocal(d, channel.tz));
    }
    channelView = { channelId: channel.channelId, at };
  }
  return {
    days: PREVIEW_DAYS,
    dates,
    tz,
    reminders: STAGE_KINDS.map(([stage]) => ({ stage, ...(byStage.get(stage) ?? line()) })),
    digests,
    unknownZones,
    channel: channelView,
    unplanned: !planning.done,
  };
}

function formatLocal(instant: Date, tz: string | null): string {
  const day: IsoDate = localDate(instant, tz);
  const time = instant.toLocaleTimeString('en-GB', {
    timeZone: tz ?? 'UTC',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${day} ${time}`;
}

/** `/career celebrate [on|off]`: the caller's own opt-in (the `celebrate-self` row). */
export async function celebrate(
  deps: Pick<GrowthDeps, 'teammates' | 'growth' | 'clock'>,
  caller: Caller,
  turn: 'on' | 'off' | undefined,
): Promise<CelebrateOutcome> {
  const record = await deps.teammates.get(caller.teamId, caller.userId);
  const target = { userId: caller.userId, managerId: record?.managerId ?? null };
  if (record === null || !authorize('celebrate-self', { userId: caller.userId, isAdmin: false }, target).allowed) {
    return { kind: 'no-record' };
  }
  const current = (await deps.growth.preferences(caller.teamId, caller.userId)).celebrate;
  if (turn === undefined) return { kind: 'celebrate', on: current, changed: false };
  const on = turn === 'on';
  if (on !== current) await deps.growth.setCelebrate(caller.teamId, caller.userId, on, deps.clock.now().toISOString());
  return { kind: 'celebrate', on, changed: on !== current };
}

/**
 * `/career digest [on|off]`: the caller's own weekly manager digest, whether or not they manage anyone
 * yet (the setting waits for when they do) and whether or not they have a record. Independent of
 * `/career nudges`, which is about the caller's own growth reminders.
 */
export async function digestSwitch(
  deps: Pick<GrowthDeps, 'teammates' | 'growth' | 'clock'>,
  caller: Caller,
  turn: 'on' | 'off' | undefined,
): Promise<DigestSwitchOutcome> {
  const managing = await deps.teammates.isManager(caller.teamId, caller.userId);
  const current = (await deps.growth.preferences(caller.teamId, caller.userId)).digest === 'on';
  const on = turn === undefined ? current : turn === 'on';
  if (on !== current) await deps.growth.setDigest(caller.teamId, caller.userId, on, deps.clock.now().toISOString());
  return { kind: 'digest', on, changed: on !== current, managing };
}
