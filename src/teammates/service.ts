import { daysBetween, type IsoDate, isValidTimeZone, parseIsoDate, todayIn } from '../career/dates.js';
import { type Actor, authorize } from '../career/permissions.js';
import { isAdmin } from '../career/roles.js';
import { type PromotionWindow, promotionWindow } from '../career/window.js';
import type { Mention } from '../commands/grammar.js';
import { USAGE } from '../commands/grammar.js';
import { isProblem, type Problem, resolveTeamAndLevel } from '../commands/lookup.js';
import type { AppContext } from '../context.js';
import type { Framework, Level } from '../frameworks/schema.js';
import { StateConflictError } from '../store/errors.js';
import type { HistoryField, TeammateExport, TeammateRecord } from '../store/types.js';
import type { Directory, DirectoryUser } from './directory.js';

/**
 * What `/career set`, `me`, `who`, `pause`, `resume`, `export` and `forget` do, without Slack:
 * the listener hands in the caller, a {@link Directory} and the context, and renders the outcome.
 * Every check runs before the single store call that writes, so a refusal changes nothing.
 */

export interface Caller {
  teamId: string;
  userId: string;
}

/** A refusal or bad input, explained. Reuses the lookup's problem shape so one renderer serves both. */
export type Refusal = Problem;

/** Everything a record card shows. */
export interface Card {
  record: TeammateRecord;
  framework?: Framework;
  level?: Level;
  nextSteps: Level[];
  window: PromotionWindow;
  today: IsoDate;
  daysAtLevel: number;
}

export type SetOutcome =
  | { kind: 'set'; before: TeammateRecord | null; card: Card; changed: HistoryField[]; actorId: string }
  | { kind: 'unchanged'; card: Card }
  | Refusal;

const TZ_MAX_AGE_MS = 7 * 86_400_000;

function refusal(message: string, usage?: string, didYouMean?: string): Refusal {
  return { kind: 'problem', message, usage, didYouMean };
}

function mentionName(m: Mention): string {
  return m.name ? `@${m.name}` : `<@${m.userId}>`;
}

async function lookupUser(
  directory: Directory,
  mention: Mention,
  role: string,
): Promise<{ ok: true; user: DirectoryUser } | { ok: false; refusal: Refusal }> {
  const found = await directory.user(mention.userId);
  if (!found.ok) {
    return {
      ok: false,
      refusal:
        found.reason === 'not-found'
          ? refusal(`I can't find ${mentionName(mention)} in this workspace, so I can't use them as ${role}.`)
          : refusal(
              `Slack didn't answer when I looked up ${mentionName(mention)}; nothing was changed. Please try again in a minute.`,
            ),
    };
  }
  if (found.user.deleted) {
    return {
      ok: false,
      refusal: refusal(`${mentionName(mention)} has been deactivated in Slack, so they can't be ${role}.`),
    };
  }
  if (found.user.isBot) return { ok: false, refusal: refusal(`${mentionName(mention)} is a bot, not a teammate.`) };
  return { ok: true, user: found.user };
}

/** The caller as an actor: an admin if listed in CAREER_ADMINS or a Slack workspace admin/owner. */
export async function actorFor(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
): Promise<{ actor: Actor; tz: string | null }> {
  const found = await directory.user(caller.userId);
  const user = found.ok ? found.user : undefined;
  return {
    actor: {
      userId: caller.userId,
      isAdmin: isAdmin({
        userId: caller.userId,
        configuredAdmins: ctx.admins,
        slackUser: user ? { is_admin: user.slackAdmin } : undefined,
      }),
    },
    tz: user?.tz ?? null,
  };
}

/** Today where the person is: their cached Slack time zone, else UTC. */
export function todayFor(ctx: AppContext, tz: string | null): IsoDate {
  return todayIn(tz && isValidTimeZone(tz) ? tz : null, ctx.clock.now());
}

/**
 * A pause given a return date ends on that date by itself: the person is back, and the days after
 * it count toward their window again. Settled whenever a record is about to be shown.
 */
export function settlePause(ctx: AppContext, record: TeammateRecord): TeammateRecord {
  if (record.status !== 'paused' || record.pausedUntil === null) return record;
  if (record.pausedUntil > todayFor(ctx, record.tz)) return record;
  return ctx.stores.teammates.resume(record.teamId, record.userId, {
    on: record.pausedUntil,
    changedBy: 'ripple:pause-ended',
    at: ctx.clock.now().toISOString(),
    note: `Back on ${record.pausedUntil}, the date given when pausing`,
  });
}

/** Everything a card shows, for a record (after settling a pause whose return date has come). */
export function buildCard(ctx: AppContext, current: TeammateRecord): Card {
  const record = settlePause(ctx, current);
  const framework = ctx.catalog.get(record.frameworkId);
  const level = framework ? ctx.catalog.levelById(framework, record.levelId) : undefined;
  const today = todayFor(ctx, record.tz);
  const pauses = ctx.stores.teammates.pauses(record.teamId, record.userId);
  return {
    record,
    framework,
    level,
    nextSteps: framework && level ? ctx.catalog.nextSteps(framework, level) : [],
    window: promotionWindow({ since: record.since, timeframe: level?.timeframe ?? null, pauses, today }),
    today,
    daysAtLevel: Math.max(0, daysBetween(record.since, today)),
  };
}

/** Keeps the cached time zone fresh (it drives "today" and, later, reminder times). */
export function rememberTimeZone(ctx: AppContext, caller: Caller, tz: string | null): void {
  const record = ctx.stores.teammates.get(caller.teamId, caller.userId);
  if (!record || tz === null || !isValidTimeZone(tz)) return;
  const fresh = record.tzFetchedAt && ctx.clock.now().getTime() - Date.parse(record.tzFetchedAt) < TZ_MAX_AGE_MS;
  if (record.tz === tz && fresh) return;
  ctx.stores.teammates.setTimeZone(caller.teamId, caller.userId, tz, ctx.clock.now().toISOString());
}

export async function setRecord(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
  command: { user: Mention; words: string[]; since?: string; manager?: Mention | null; note?: string },
): Promise<SetOutcome> {
  const { actor, tz } = await actorFor(ctx, directory, caller);
  const existing = ctx.stores.teammates.get(caller.teamId, command.user.userId);
  const decision = authorize('set-record', actor, {
    userId: command.user.userId,
    managerId: existing?.managerId ?? null,
  });
  if (!decision.allowed) {
    return refusal(
      command.user.userId === caller.userId
        ? "You can't set your own level: your manager or a Ripple admin records it, so a promotion is always agreed by someone else."
        : `Only ${mentionName(command.user)}'s manager of record or a Ripple admin can set their level.`,
    );
  }
  const target = await lookupUser(directory, command.user, 'a teammate');
  if (!target.ok) return target.refusal;

  const found = resolveTeamAndLevel(ctx.catalog, command.words, undefined, USAGE.set);
  if (isProblem(found)) return found;

  const today = todayFor(ctx, tz);
  let since: IsoDate = today;
  if (command.since !== undefined) {
    const parsed = parseIsoDate(command.since);
    if (!parsed.ok) return refusal(`"${command.since}" isn't a real date: ${parsed.error}.`, USAGE.set);
    if (parsed.date > today) {
      return refusal(`${parsed.date} is in the future. Record a level on or after the day it was reached.`, USAGE.set);
    }
    since = parsed.date;
  }

  let managerId: string | null | undefined;
  if (command.manager === null) managerId = null;
  else if (command.manager !== undefined) {
    if (command.manager.userId === command.user.userId) {
      return refusal('Someone cannot be their own manager.', USAGE.set);
    }
    const manager = await lookupUser(directory, command.manager, 'a manager');
    if (!manager.ok) return manager.refusal;
    managerId = command.manager.userId;
  }

  const result = ctx.stores.teammates.upsert({
    teamId: caller.teamId,
    userId: command.user.userId,
    frameworkId: found.framework.id,
    levelId: found.level.id,
    since,
    ...(managerId !== undefined ? { managerId } : {}),
    changedBy: caller.userId,
    at: ctx.clock.now().toISOString(),
    ...(command.note ? { note: command.note } : {}),
  });
  if (target.user.tz) rememberTimeZone(ctx, { teamId: caller.teamId, userId: command.user.userId }, target.user.tz);
  const after = ctx.stores.teammates.get(caller.teamId, command.user.userId) ?? result.after;
  const card = buildCard(ctx, after);
  if (result.changed.length === 0) return { kind: 'unchanged', card };
  return { kind: 'set', before: result.before, card, changed: result.changed, actorId: caller.userId };
}

export type ReadOutcome =
  | { kind: 'card'; card: Card; viewerRelation: 'self' | 'manager' | 'admin' }
  | { kind: 'no-record'; self: boolean }
  | Refusal;

export async function showMe(ctx: AppContext, directory: Directory, caller: Caller): Promise<ReadOutcome> {
  const record = ctx.stores.teammates.get(caller.teamId, caller.userId);
  if (!record) return { kind: 'no-record', self: true };
  const found = await directory.user(caller.userId);
  if (found.ok) rememberTimeZone(ctx, caller, found.user.tz);
  return {
    kind: 'card',
    card: buildCard(ctx, ctx.stores.teammates.get(caller.teamId, caller.userId) ?? record),
    viewerRelation: 'self',
  };
}

export async function showWho(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
  user: Mention,
): Promise<ReadOutcome> {
  const record = ctx.stores.teammates.get(caller.teamId, user.userId);
  const { actor } = await actorFor(ctx, directory, caller);
  const decision = authorize('read-record', actor, { userId: user.userId, managerId: record?.managerId ?? null });
  // Refuse before saying whether a record exists: that a record exists is itself private.
  if (!decision.allowed) {
    return refusal(`Only ${mentionName(user)}, their manager and Ripple admins can see their career record.`);
  }
  if (!record) return { kind: 'no-record', self: user.userId === caller.userId };
  const as = decision.as === 'other' ? 'admin' : decision.as;
  return { kind: 'card', card: buildCard(ctx, record), viewerRelation: as };
}

export type PauseOutcome = { kind: 'paused' | 'resumed'; card: Card } | Refusal;

export async function pause(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
  until?: string,
): Promise<PauseOutcome> {
  const record = ctx.stores.teammates.get(caller.teamId, caller.userId);
  if (!record) return refusal("You don't have a career record yet, so there is nothing to pause.", USAGE.pause);
  const found = await directory.user(caller.userId);
  const today = todayFor(ctx, found.ok ? found.user.tz : record.tz);
  if (until !== undefined) {
    const parsed = parseIsoDate(until);
    if (!parsed.ok) return refusal(`"${until}" isn't a real date: ${parsed.error}.`, USAGE.pause);
    if (parsed.date <= today)
      return refusal(`${parsed.date} isn't after today (${today}): give the day you'll be back.`, USAGE.pause);
  }
  try {
    const after = ctx.stores.teammates.pause(caller.teamId, caller.userId, {
      start: today,
      ...(until ? { until } : {}),
      changedBy: caller.userId,
      at: ctx.clock.now().toISOString(),
    });
    return { kind: 'paused', card: buildCard(ctx, after) };
  } catch (err) {
    if (err instanceof StateConflictError) return refusal(conflictMessage(err), USAGE.resume);
    throw err;
  }
}

export async function resume(ctx: AppContext, directory: Directory, caller: Caller): Promise<PauseOutcome> {
  const record = ctx.stores.teammates.get(caller.teamId, caller.userId);
  if (!record) return refusal("You don't have a career record yet, so there is nothing to resume.");
  const found = await directory.user(caller.userId);
  const today = todayFor(ctx, found.ok ? found.user.tz : record.tz);
  try {
    const after = ctx.stores.teammates.resume(caller.teamId, caller.userId, {
      on: today,
      changedBy: caller.userId,
      at: ctx.clock.now().toISOString(),
    });
    return { kind: 'resumed', card: buildCard(ctx, after) };
  } catch (err) {
    if (err instanceof StateConflictError) return refusal(conflictMessage(err), USAGE.pause);
    throw err;
  }
}

function conflictMessage(err: StateConflictError): string {
  switch (err.conflict) {
    case 'already-paused':
      return "You're already paused. Use /career resume when you're back.";
    case 'not-paused':
      return "You aren't paused, so there is nothing to resume.";
    case 'has-left':
      return 'This record is marked as left, so it cannot be paused or resumed.';
    default:
      return err.message;
  }
}

export type ExportOutcome = { kind: 'export'; data: TeammateExport } | { kind: 'no-record'; self: true };

export function exportData(ctx: AppContext, caller: Caller): ExportOutcome {
  const data = ctx.stores.teammates.export(caller.teamId, caller.userId);
  return data ? { kind: 'export', data } : { kind: 'no-record', self: true };
}

export type ForgetCheck =
  | { kind: 'confirm'; targetId: string; self: boolean }
  | { kind: 'no-record'; self: boolean }
  | Refusal;

/** Whether the caller may delete the target's data; the deletion itself waits for a confirmation. */
export async function checkForget(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
  targetId: string,
): Promise<ForgetCheck> {
  const self = targetId === caller.userId;
  const record = ctx.stores.teammates.get(caller.teamId, targetId);
  if (self) return record ? { kind: 'confirm', targetId, self } : { kind: 'no-record', self };
  const { actor } = await actorFor(ctx, directory, caller);
  const decision = authorize('forget-other', actor, {
    userId: targetId,
    managerId: record?.managerId ?? null,
    status: record?.status,
  });
  if (!decision.allowed && decision.reason === 'not-permitted') {
    return refusal("Only Ripple admins can delete someone else's data, and only once they have left.");
  }
  if (!record) return { kind: 'no-record', self };
  if (!decision.allowed) {
    return refusal(
      `<@${targetId}> is still ${record.status}. Admins can delete the data of someone who has left; a current teammate can delete their own with /career forget me.`,
    );
  }
  return { kind: 'confirm', targetId, self };
}

export async function forget(
  ctx: AppContext,
  directory: Directory,
  caller: Caller,
  targetId: string,
): Promise<{ kind: 'forgotten'; deleted: number; self: boolean } | ForgetCheck> {
  // Checked again on confirmation: the button may be pressed long after it was shown.
  const check = await checkForget(ctx, directory, caller, targetId);
  if (check.kind !== 'confirm') return check;
  const { deleted } = ctx.stores.teammates.forget(caller.teamId, targetId);
  return { kind: 'forgotten', deleted, self: check.self };
}
