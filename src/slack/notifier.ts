import { type Logger, type types, webApi } from '@slack/bolt';
import type { Delivery, NoticeSender } from '../notify/port.js';
import type { WorkspaceStore } from '../store/workspaces.js';
import type { Message } from './blocks/kit.js';
import { renderNotice } from './render-notice.js';

export type { Delivery };

/**
 * How Ripple speaks to people without an incoming request to answer: a listener after its reply (in
 * Block Kit messages), and background jobs (reminders, growth posts, digests) through the domain's
 * port, {@link NoticeSender}, whose notices are rendered here (render-notice.ts). Built on one Web API
 * client: the interactive one for what people wait on, the background one for jobs (see services.ts
 * and calls.ts).
 *
 * NOTE: the rule "never message a workspace that uninstalled Ripple or revoked its tokens" lives
 * here and nowhere else: every outgoing call checks it first.
 *
 * Each method returns whether Slack took it; a failure is logged (without message contents) and
 * never thrown, so a failed notification cannot break the reply that caused it.
 */
export interface Notifier extends NoticeSender {
  /** Opens (or finds) the DM with the person and posts each message in order. */
  dm(teamId: string, userId: string, messages: readonly Message[]): Promise<boolean>;
  publishHome(teamId: string, userId: string, view: types.HomeView): Promise<boolean>;
  /** Opens the DM with the person and shares a file there (`files.uploadV2`, scope `files:write`). */
  dmFile(teamId: string, userId: string, file: FileToShare): Promise<boolean>;
  /** `trigger_id` expires three seconds after the user's action, and works once. */
  openModal(teamId: string, triggerId: string, view: types.ModalView): Promise<boolean>;
  postToChannel(teamId: string, channelId: string, message: Message): Promise<boolean>;
}

/** Turns a Web API client error into a Delivery (exported for tests). */
export function deliveryError(err: unknown): Extract<Delivery, { ok: false }> {
  const e = err as { code?: unknown; retryAfter?: unknown; statusCode?: unknown; data?: { error?: unknown } };
  if (e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number') {
    return { ok: false, error: 'ratelimited', retryAfterSec: e.retryAfter };
  }
  if (e?.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string') {
    return { ok: false, error: e.data.error };
  }
  if (e?.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === 'number') {
    return { ok: false, error: `http_${e.statusCode}` };
  }
  return { ok: false, error: 'request_failed' };
}

export interface FileToShare {
  filename: string;
  title: string;
  content: string;
  /** Posted with the file, as its message. */
  comment: string;
}

export interface NotifierDeps {
  client: webApi.WebClient;
  /** The bot token, passed with each call (the app's client is shared and holds none). */
  token: string;
  workspaces: Pick<WorkspaceStore, 'isActive'>;
  logger: Pick<Logger, 'warn'>;
  /**
   * The client `deliver` and `deliverToChannel` use: the app's background client (see calls.ts), which reports a
   * rate limit instead of waiting. One of the same kind is made when none is given.
   */
  reporting?: webApi.WebClient;
  /**
   * How long a workspace found active is taken as active without reading it again (ms; 0, the default: every
   * time). The notifier that answers requests keeps it a second: a request from the workspace has just proved the
   * install (lifecycle.ts re-checks it at most once a second too), and a click's DM then reads nothing more.
   */
  keepActiveMs?: number;
  /** Real time for `keepActiveMs` (tests); an operational matter, not the domain clock. */
  now?: () => number;
}

function slackError(err: unknown): string {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : ((err as Error)?.message ?? String(err));
}

/**
 * How long a workspace found active is taken as still active while requests come from it: the notifier that answers
 * them reads it no more often, and a verified request re-checks the install no more often (lifecycle.ts
 * `reactivateOnRequest`). One rule for both: another instance's uninstall is noticed within this time.
 */
export const ACTIVE_KEPT_MS = 1_000;

/** People whose DM channel id is remembered (src/slack/notifier.ts `dmChannel`). */
const DM_CHANNELS_KEPT = 50_000;

/** Slack's error code of a failed Web API call (`channel_not_found`), if it has one. */
function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function slackNotifier({
  client,
  token,
  workspaces,
  logger,
  reporting,
  keepActiveMs = 0,
  now = performance.now.bind(performance),
}: NotifierDeps): Notifier {
  // NOTE: deliveries must hear of a rate limit at once (the caller decides what to do about it), and
  // nothing is retried, so one slow recipient never holds up a batch.
  const reportingClient = () => {
    reporting ??= new webApi.WebClient(undefined, {
      slackApiUrl: client.slackApiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    return reporting;
  };
  /** Workspaces found active, until when that is taken as still true (only a `true` is kept). */
  const activeUntil = new Map<string, number>();
  const isActive = async (teamId: string): Promise<boolean> => {
    if (keepActiveMs <= 0) return await workspaces.isActive(teamId);
    const t = now();
    if ((activeUntil.get(teamId) ?? Number.NEGATIVE_INFINITY) > t) return true;
    const active = await workspaces.isActive(teamId);
    if (active) activeUntil.set(teamId, t + keepActiveMs);
    else activeUntil.delete(teamId);
    return active;
  };
  const attempt = async (teamId: string, what: string, call: () => Promise<unknown>): Promise<boolean> => {
    if (!(await isActive(teamId))) return false;
    try {
      await call();
      return true;
    } catch (err) {
      logger.warn(`Could not ${what}: ${slackError(err)}`);
      return false;
    }
  };
  /**
   * Each person's DM with the app, once opened: a DM's id never changes, so a check-in click (the question
   * updated, the next one posted) makes two Web API calls, not three. Bounded: the oldest is forgotten first.
   */
  const dmChannels = new Map<string, string>();
  const dmChannel = async (api: webApi.WebClient, teamId: string, userId: string): Promise<string | undefined> => {
    const key = `${teamId}/${userId}`;
    const known = dmChannels.get(key);
    if (known) return known;
    const opened = await api.conversations.open({ token, users: userId });
    const channel = opened.channel?.id;
    if (channel) {
      dmChannels.set(key, channel);
      if (dmChannels.size > DM_CHANNELS_KEPT) dmChannels.delete(dmChannels.keys().next().value as string);
    }
    return channel;
  };
  /** Posts in the person's DM; a DM Slack no longer knows (channel_not_found) is opened again once. */
  const postInDm = async (api: webApi.WebClient, teamId: string, userId: string, messages: readonly Message[]) => {
    for (let attempt = 0; ; attempt++) {
      const channel = await dmChannel(api, teamId, userId);
      if (!channel) {
        throw Object.assign(new Error('conversations.open returned no channel'), {
          code: webApi.ErrorCode.PlatformError,
          data: { error: 'channel_not_found' },
        });
      }
      try {
        for (const m of messages) await api.chat.postMessage({ token, channel, text: m.text, blocks: m.blocks });
        return;
      } catch (err) {
        dmChannels.delete(`${teamId}/${userId}`);
        if (attempt > 0 || slackErrorCode(err) !== 'channel_not_found') throw err;
      }
    }
  };
  return {
    dm(teamId, userId, messages) {
      return attempt(teamId, `send a DM to ${userId}`, () => postInDm(client, teamId, userId, messages));
    },
    dmFile(teamId, userId, file) {
      return attempt(teamId, `share a file with ${userId}`, async () => {
        const opened = await client.conversations.open({ token, users: userId });
        const channel = opened.channel?.id;
        if (!channel) throw new Error('conversations.open returned no channel');
        await client.filesUploadV2({
          token,
          channel_id: channel,
          filename: file.filename,
          title: file.title,
          content: file.content,
          initial_comment: file.comment,
        });
      });
    },
    publishHome(teamId, userId, view) {
      return attempt(teamId, `refresh the Home tab of ${userId}`, () =>
        client.views.publish({ token, user_id: userId, view }),
      );
    },
    openModal(teamId, triggerId, view) {
      return attempt(teamId, 'open a modal', () => client.views.open({ token, trigger_id: triggerId, view }));
    },
    async deliver(teamId, userId, notice) {
      if (!(await workspaces.isActive(teamId))) return { ok: false, error: 'workspace_inactive' };
      const messages = renderNotice(notice);
      const api = reportingClient();
      try {
        await postInDm(api, teamId, userId, messages);
        return { ok: true };
      } catch (err) {
        const failure = deliveryError(err);
        logger.warn(`Could not deliver to ${userId}: ${failure.error}`);
        return failure;
      }
    },
    async deliverToChannel(teamId, channelId, notice) {
      if (!(await workspaces.isActive(teamId))) return { ok: false, error: 'workspace_inactive' };
      const messages = renderNotice(notice);
      try {
        for (const m of messages) {
          await reportingClient().chat.postMessage({ token, channel: channelId, text: m.text, blocks: m.blocks });
        }
        return { ok: true };
      } catch (err) {
        const failure = deliveryError(err);
        logger.warn(`Could not post in ${channelId}: ${failure.error}`);
        return failure;
      }
    },
    postToChannel(teamId, channelId, message) {
      return attempt(teamId, `post in ${channelId}`, () =>
        client.chat.postMessage({ token, channel: channelId, text: message.text, blocks: message.blocks }),
      );
    },
  };
}
