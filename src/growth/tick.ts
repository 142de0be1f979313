import { type ReminderSender, UNREACHABLE_ERRORS } from '../reminders/engine.js';
import { channelPostMessage, digestMessage } from '../slack/blocks/growth.js';
import { splitMessage } from '../slack/blocks/kit.js';
import type { Delivery } from '../slack/notifier.js';
import type { WeeklyKey } from '../store/growth.js';
import type { WorkspaceStore } from '../store/workspaces.js';
import { CHANNEL_ERRORS, channelPost, digestFor, type GrowthDeps, timeZoneOf } from './service.js';
import { channelPostDue, digestDue } from './weekly.js';

/**
 * The weekly half of growth nudges, run beside the reminder tick: each workspace's channel post on
 * its day and time, and each manager's digest at the start of their local week's delivery hours.
 * Each is claimed in the weekly ledger before it is sent, so it goes out at most once a week across
 * restarts and overlapping ticks; a failure is handled per post and never holds up the others.
 */

export interface GrowthTickDeps extends GrowthDeps {
  sender: ReminderSender;
  workspaces: Pick<WorkspaceStore, 'isActive'>;
  log: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

export interface GrowthTickReport {
  channelPosts: number;
  digests: number;
  failed: number;
}

/** What to do with the claim after a send: keep it (sent, or refused for good) or give it back. */
function settle(deps: GrowthTickDeps, key: WeeklyKey, result: Delivery, permanent: ReadonlySet<string>): boolean {
  const at = deps.clock.now().toISOString();
  if (result.ok) {
    deps.growth.markWeek(key, { ok: true }, at);
    return true;
  }
  if (permanent.has(result.error)) deps.growth.markWeek(key, { ok: false, error: result.error }, at);
  // Worth trying again at a later tick (a rate limit, a 5xx, Slack unreachable).
  else deps.growth.releaseWeek(key);
  deps.log.warn(`Weekly ${key.kind} for ${key.subject} not delivered (${result.error})`);
  return false;
}

export async function runGrowthTick(deps: GrowthTickDeps): Promise<GrowthTickReport> {
  const report: GrowthTickReport = { channelPosts: 0, digests: 0, failed: 0 };
  const now = deps.clock.now();
  for (const channel of deps.growth.channels()) {
    try {
      if (!deps.workspaces.isActive(channel.teamId)) continue;
      const due = channelPostDue(now, channel, deps.schedule);
      if (!due.due) continue;
      const key: WeeklyKey = { teamId: channel.teamId, kind: 'channel', subject: channel.channelId, week: due.week };
      if (deps.growth.weekTaken(key)) continue;
      if (!deps.growth.claimWeek(key, now.toISOString())) continue;
      const message = channelPostMessage(channelPost(deps, channel.teamId, now));
      const result = await deps.poster.deliverToChannel(channel.teamId, channel.channelId, [message]);
      if (settle(deps, key, result, CHANNEL_ERRORS)) report.channelPosts++;
      else report.failed++;
    } catch (err) {
      report.failed++;
      deps.log.error(`Growth post for ${channel.teamId} failed`, err);
    }
  }
  for (const { teamId, managerId } of deps.growth.managers()) {
    try {
      if (!deps.workspaces.isActive(teamId)) continue;
      // `/career nudges off` stops the manager's own digest too.
      if (deps.teammates.get(teamId, managerId)?.nudges === 'off') continue;
      const due = digestDue(now, await timeZoneOf(deps, teamId, managerId), deps.schedule);
      if (!due.due) continue;
      const key: WeeklyKey = { teamId, kind: 'digest', subject: managerId, week: due.week };
      if (deps.growth.weekTaken(key)) continue;
      const view = digestFor(deps, teamId, managerId);
      if (view.reports.length === 0) continue;
      if (!deps.growth.claimWeek(key, now.toISOString())) continue;
      const result = await deps.sender.deliver(teamId, managerId, splitMessage(digestMessage(view)));
      if (settle(deps, key, result, UNREACHABLE_ERRORS)) report.digests++;
      else report.failed++;
    } catch (err) {
      report.failed++;
      deps.log.error(`Digest for ${managerId} failed`, err);
    }
  }
  return report;
}
