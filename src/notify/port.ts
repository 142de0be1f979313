import type { ChannelPostView, ChannelSlotView, DigestView } from '../growth/views.js';
import type { ReminderView } from '../reminders/views.js';

/**
 * How the domain speaks to people when nobody is waiting on a reply: the background jobs (reminders,
 * growth posts, digests) and the growth service. It says WHAT to say, as a view; the Slack adapter
 * (src/slack/notifier.ts, src/slack/render-notice.ts) words it in Block Kit, splits what is too long
 * for one message, and holds the rule "never message a workspace that uninstalled Ripple".
 */

/** What a background message says, one variant per kind of message the domain sends. */
export type Notice =
  /** A growth reminder to the person (heads-up, window open, check-in prompt, past the window). */
  | { kind: 'reminder'; view: ReminderView }
  /** The private note to a manager that their report `reportId` is past the expected window. */
  | { kind: 'past-window'; reportId: string; view: ReminderView }
  /** The weekly growth prompt in a workspace's channel. */
  | { kind: 'channel-post'; view: ChannelPostView }
  /** Posted when an admin picks the channel: Ripple learns from it whether it may post there. */
  | { kind: 'channel-welcome'; slot: ChannelSlotView }
  /** A manager's weekly digest of their reports. */
  | { kind: 'digest'; view: DigestView };

/**
 * What happened to a delivery. `error` is Slack's code (`account_inactive`, `user_not_found`,
 * `ratelimited`, …), `http_<status>` for an HTTP failure, `workspace_inactive` when Ripple may not
 * message the workspace, or `request_failed` when Slack could not be reached.
 */
export type Delivery = { ok: true } | { ok: false; error: string; retryAfterSec?: number };

/**
 * The port background work sends through. Each call says why Slack refused instead of throwing: a rate
 * limit is not waited out here (the caller waits `retryAfterSec` and tries again) and nothing is
 * retried, so one slow recipient never holds up a batch.
 */
export interface NoticeSender {
  /** Opens (or finds) the DM with the person and posts the notice there. */
  deliver(teamId: string, userId: string, notice: Notice): Promise<Delivery>;
  /**
   * Posts the notice in a channel, reporting why Slack refused (`not_in_channel` until someone invites
   * the bot, `channel_not_found`, `is_archived`): growth nudges must say so.
   */
  deliverToChannel(teamId: string, channelId: string, notice: Notice): Promise<Delivery>;
}
