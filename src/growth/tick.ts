import { isValidTimeZone } from '../career/dates.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Delivery } from '../notify/port.js';
import type { DigestPlanRow, GrowthStore, WeeklyKey } from '../ports/growth.js';
import type { UnitOfWork } from '../ports/index.js';
import type { WorkspaceStore } from '../ports/workspaces.js';
import { type ReminderSender, UNREACHABLE_ERRORS } from '../reminders/engine.js';
import { digestPlanChanges } from './digest-plan.js';
import { CHANNEL_ERRORS, channelPost, digestFor, type GrowthDeps } from './service.js';
import { digestNeeded } from './views.js';
import { channelPostDue, digestCheck, digestDue, earliestDeliveryAnywhere, nextWeekDigestAt } from './weekly.js';

/**
 * The weekly half of growth nudges, run beside the reminder tick: each workspace's channel post on
 * its day and time, and each manager's digest at the start of their local week's delivery hours, in a
 * week when something needs them (src/growth/views.ts, `digestNeeded`).
 * Each is claimed in the weekly ledger before it is sent, so it goes out at most once a week across
 * restarts and overlapping ticks; a failure is handled per post and never holds up the others.
 */

export interface GrowthTickDeps extends GrowthDeps {
  sender: ReminderSender;
  workspaces: Pick<WorkspaceStore, 'isActive'>;
  /** Each slice of the digest plan's walk of the change sequence is one unit: read, decide, write. */
  unitOfWork: UnitOfWork<{ growth: GrowthStore }>;
  log: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

export interface GrowthTickReport {
  channelPosts: number;
  digests: number;
  failed: number;
  /** Teammate records changed since the last tick that the digest plan followed. */
  followed: number;
}

/** What to do with the claim after a send: keep it (sent, or refused for good) or give it back. */
async function settle(
  deps: GrowthTickDeps,
  key: WeeklyKey,
  result: Delivery,
  permanent: ReadonlySet<string>,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  if (result.ok) {
    await deps.growth.markWeek(key, { ok: true }, at);
    return true;
  }
  if (permanent.has(result.error)) await deps.growth.markWeek(key, { ok: false, error: result.error }, at);
  // Worth trying again at a later tick (a rate limit, a 5xx, Slack unreachable).
  else await deps.growth.releaseWeek(key);
  deps.log.warn(`Weekly ${key.kind} for ${key.subject} not delivered (${result.error})`);
  return false;
}

/** Managers read from the plan at a time; the tick yields to the event loop between batches. */
export const DIGEST_BATCH = 50;
/** Changed records the digest plan follows per transaction; the tick yields to the event loop between slices. */
export const CHANGE_SLICE = 500;
/** When a digest could not be decided or sent for a passing reason (Slack unavailable): the next tick. */
const RETRY_MS = 15 * 60 * 1000;
/** An inactive workspace (uninstalled) is looked at again this often, in case it is reinstalled. */
const INACTIVE_RECHECK_MS = 60 * 60 * 1000;

export async function runGrowthTick(deps: GrowthTickDeps): Promise<GrowthTickReport> {
  const report: GrowthTickReport = { channelPosts: 0, digests: 0, failed: 0, followed: 0 };
  const now = deps.clock.now();
  for (const channel of await deps.growth.channels()) {
    try {
      if (!(await deps.workspaces.isActive(channel.teamId))) continue;
      const due = channelPostDue(now, channel, deps.schedule);
      if (!due.due) continue;
      const key: WeeklyKey = { teamId: channel.teamId, kind: 'channel', subject: channel.channelId, week: due.week };
      if (await deps.growth.weekTaken(key)) continue;
      if (!(await deps.growth.claimWeek(key, now.toISOString()))) continue;
      const view = await channelPost(deps, channel.teamId, now);
      const result = await deps.poster.deliverToChannel(channel.teamId, channel.channelId, {
        kind: 'channel-post',
        view,
      });
      if (await settle(deps, key, result, CHANNEL_ERRORS)) report.channelPosts++;
      else report.failed++;
    } catch (err) {
      report.failed++;
      deps.log.error(`Growth post for ${channel.teamId} failed`, err);
    }
  }
  try {
    report.followed = await followRecordChanges(deps);
  } catch (err) {
    // The digests below still go out by the plan as it stands; the next tick follows on from the cursor.
    report.failed++;
    deps.log.error('The digest plan could not follow teammate changes', err);
  }
  await runDigests(deps, now, report);
  return report;
}

/**
 * Keeps the digest plan in step with teammate records (src/growth/digest-plan.ts): reads the records
 * changed since the plan's cursor through teammates_by_change, CHANGE_SLICE at a time, each slice read,
 * applied and the cursor moved in one unit of work, yielding to the event loop between slices. A quiet
 * tick reads one index entry and opens no transaction. Returns the records followed.
 */
export async function followRecordChanges(deps: Pick<GrowthTickDeps, 'growth' | 'unitOfWork'>): Promise<number> {
  if ((await deps.growth.recordsChangedAfter(await deps.growth.digestCursor(), 1)).length === 0) return 0;
  let followed = 0;
  for (;;) {
    const read = await deps.unitOfWork.run(async ({ growth }) => {
      const records = await growth.recordsChangedAfter(await growth.digestCursor(), CHANGE_SLICE);
      const last = records.at(-1);
      if (last === undefined) return 0;
      await growth.followChanges(digestPlanChanges(records), {
        seq: last.seq,
        teamId: last.teamId,
        userId: last.userId,
      });
      return records.length;
    });
    followed += read;
    if (read < CHANGE_SLICE) return followed;
    await yieldToEventLoop();
  }
}

/**
 * The managers whose digest may be due, read from the plan's index in batches, yielding to the event
 * loop between them. Every manager read is planned again for a later instant (or dropped), so a tick
 * reads each at most once and a quiet tick reads nobody.
 */
async function runDigests(deps: GrowthTickDeps, now: Date, report: GrowthTickReport): Promise<void> {
  const seen = new Set<string>();
  const lookups = { allowed: true };
  for (;;) {
    // Taken until the retry instant: another instance's tick skips them, and they are due again then
    // if this one stops before planning them.
    const until = new Date(now.getTime() + RETRY_MS).toISOString();
    const batch = await deps.growth.claimDueDigests(now.toISOString(), until, DIGEST_BATCH);
    // The batch's plans are written together: one commit a batch, not one a manager.
    const plans: { teamId: string; managerId: string; dueAt: string }[] = [];
    for (const row of batch) {
      const id = `${row.teamId}/${row.managerId}`;
      // NOTE: never expected (each manager is planned past `now`); a guard against a loop, not a rule.
      if (seen.has(id)) return;
      seen.add(id);
      const plan = (at: Date) => plans.push({ teamId: row.teamId, managerId: row.managerId, dueAt: at.toISOString() });
      try {
        await digestForManager(deps, row, now, report, lookups, plan);
      } catch (err) {
        report.failed++;
        deps.log.error(`Digest for ${row.managerId} failed`, err);
        plan(new Date(now.getTime() + RETRY_MS));
      }
      // Deciding a digest reads each report (a quiet week sends nothing, so no Slack call gives the loop
      // back): the event loop is given a turn after each manager.
      await yieldToEventLoop();
    }
    // NOTE: a crash before this line leaves the batch taken until `until`: a later tick reads it again,
    // and the weekly ledger (claimed before each send) keeps every digest at most once.
    await deps.growth.planDigests(plans);
    if (batch.length < DIGEST_BATCH) return;
    await yieldToEventLoop();
  }
}

/**
 * The manager's zone without asking Slack when Ripple knows it (the plan keeps what Slack said, else
 * their record's); otherwise Slack is asked once, and only when a digest may be due somewhere on
 * Earth. `undefined`: not known yet, look again at `until`.
 */
async function zoneFor(
  deps: GrowthTickDeps,
  row: DigestPlanRow,
  record: { tz: string | null } | null,
  now: Date,
  lookups: { allowed: boolean },
): Promise<{ tz: string | null } | { until: Date }> {
  if (row.tzKnown) return { tz: row.tz };
  if (record?.tz) return { tz: record.tz };
  const earliest = earliestDeliveryAnywhere(now, deps.schedule);
  if (earliest.getTime() > now.getTime()) return { until: earliest };
  // After one failed lookup, Slack is not asked again this tick (it is down or rate limiting).
  if (!lookups.allowed) return { until: new Date(now.getTime() + RETRY_MS) };
  const found = await deps.directory.user(row.managerId);
  if (!found.ok && found.reason === 'unavailable') {
    lookups.allowed = false;
    return { until: new Date(now.getTime() + RETRY_MS) };
  }
  const tz = found.ok && found.user.tz !== null && isValidTimeZone(found.user.tz) ? found.user.tz : null;
  await deps.growth.rememberDigestZone(row.teamId, row.managerId, tz, now.toISOString());
  return { tz };
}

async function digestForManager(
  deps: GrowthTickDeps,
  row: DigestPlanRow,
  now: Date,
  report: GrowthTickReport,
  lookups: { allowed: boolean },
  plan: (at: Date) => void,
): Promise<void> {
  const { teamId, managerId } = row;
  if (!(await deps.teammates.isManager(teamId, managerId))) {
    await deps.growth.dropDigest(teamId, managerId);
    return;
  }
  if (!(await deps.workspaces.isActive(teamId))) {
    plan(new Date(now.getTime() + INACTIVE_RECHECK_MS));
    return;
  }
  const record = await deps.teammates.get(teamId, managerId);
  const zone = await zoneFor(deps, row, record, now, lookups);
  if ('until' in zone) {
    plan(zone.until);
    return;
  }
  const key = (week: string): WeeklyKey => ({ teamId, kind: 'digest', subject: managerId, week });
  // `/career digest off` stops the manager's digest: as if each week's were taken. (`/career nudges off`
  // is about the person's own reminders, not this.)
  const off = (await deps.growth.preferences(teamId, managerId)).digest === 'off';
  const dueWeek = digestDue(now, zone.tz, deps.schedule).week;
  const taken = off || (await deps.growth.weekTaken(key(dueWeek)));
  const check = digestCheck(now, zone.tz, deps.schedule, (week) => week === dueWeek && taken);
  if (check.action === 'wait') {
    plan(check.until);
    return;
  }
  const next = () => nextWeekDigestAt(now, zone.tz, deps.schedule);
  const view = await digestFor(deps, teamId, managerId, zone.tz);
  // A quiet week sends nothing and claims nothing: the manager is looked at again next week.
  if (!digestNeeded(view) || !(await deps.growth.claimWeek(key(check.week), now.toISOString()))) {
    plan(next());
    return;
  }
  const result = await deps.sender.deliver(teamId, managerId, { kind: 'digest', view });
  if (await settle(deps, key(check.week), result, UNREACHABLE_ERRORS)) report.digests++;
  else report.failed++;
  // Released for a passing failure: tried again at the next tick, while it is still this week's.
  const retry = !result.ok && !UNREACHABLE_ERRORS.has(result.error);
  plan(retry ? new Date(deps.clock.now().getTime() + RETRY_MS) : next());
}
