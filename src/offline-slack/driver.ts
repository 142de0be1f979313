import { createHmac } from 'node:crypto';
import type { FakeSlackApi, RecordedCall } from './fake-slack-api.js';

/**
 * Plays Slack's side of the HTTP conversation with the real app: signed slash commands, interactions and events,
 * sent to the app's request URL the way Slack sends them, and everything the app said back collected per request.
 */

/** What the app did in answer to one request. */
export interface Reply {
  status: number;
  /** Milliseconds from sending the request to its HTTP answer: what Slack's 3-second limit is about. */
  answeredInMs?: number;
  /** The ack body: parsed JSON, the raw text when not JSON, undefined when empty. */
  ack: unknown;
  /** Bodies POSTed to response_url while this request was handled. */
  responses: unknown[];
  /** Web API calls made while this request was handled. */
  calls: RecordedCall[];
  /**
   * Every Block Kit surface the user would see, in order: the ack (when it carries text/blocks or a view), the
   * response_url bodies, the args of successful chat.postMessage/postEphemeral/update/scheduleMessage calls, and the
   * views of successful views.publish/open/update/push calls. Views keep their `type` ('home' | 'modal').
   */
  messages: unknown[];
}

export interface SlackDriverOptions {
  /** The app's request URL, e.g. http://127.0.0.1:PORT/slack/events. */
  appUrl: string;
  signingSecret: string;
  api: FakeSlackApi;
  teamId?: string;
  /** Resolves when the app's listeners have all finished (see `trackListeners` in src/slack/activity.ts). */
  idle?: () => Promise<void>;
  /** Clock in ms for request timestamps; defaults to Date.now. */
  now?: () => number;
  /** The slash command `command()` sends unless told otherwise. */
  defaultCommand?: string;
  /** The user requests come from unless told otherwise. */
  defaultUser?: string;
}

export interface CommandOptions {
  user?: string;
  /** The workspace the request claims to come from; defaults to the driver's. */
  team?: string;
  userName?: string;
  channel?: string;
  channelName?: string;
  command?: string;
}

export interface SelectedOption {
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
}

export interface ActionOptions {
  user?: string;
  actionId: string;
  value?: string;
  blockId?: string;
  /** Defaults to a fresh response_url for message actions; view actions get none unless given, as on Slack. */
  responseUrl?: string;
  /** The message the action came from; absent means an ephemeral message. */
  message?: Record<string, unknown>;
  /** The view (Home tab or modal) the action came from. */
  view?: Record<string, unknown>;
  channel?: string;
  container?: Record<string, unknown>;
  /** Sends a static_select action with this option instead of a button. */
  selectedOption?: SelectedOption;
  /** Button text; defaults to the action id. */
  text?: string;
  /** Sends `X-Slack-Retry-Num` (and a reason), as a retried delivery would. */
  retryNum?: number;
}

export interface EventOptions {
  /** The workspace the event claims to come from; defaults to the driver's. */
  team?: string;
  eventId?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface ViewSubmissionOptions {
  user?: string;
  callbackId: string;
  /** `state.values`: block_id → action_id → element state, e.g. `{ type: 'plain_text_input', value: 'x' }`. */
  values?: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  viewId?: string;
  /** Extra view fields (title, blocks, ...). */
  view?: Record<string, unknown>;
}

export interface MessageActionOptions {
  user?: string;
  /** The shortcut's callback_id; defaults to Save as evidence's. */
  callbackId?: string;
  channel?: string;
  /** The message the shortcut was used on (`ts`, `text`, `user` or `bot_id`, ...); leave out to send none. */
  message?: Record<string, unknown> | null;
  /** An Enterprise Grid workspace: `team` carries the org, `enterprise` is set; with `orgWide`, an org-wide install. */
  enterprise?: { id: string; name?: string; orgWide?: boolean };
  responseUrl?: string;
}

const FORM = 'application/x-www-form-urlencoded';
/** Slack's (deprecated) verification token; Bolt ignores it but real payloads carry it. */
const VERIFICATION_TOKEN = 'fake-verification-token';

export class SlackDriver {
  readonly appUrl: string;
  private readonly signingSecret: string;
  private readonly api: FakeSlackApi;
  private readonly teamId: string;
  private readonly idle: (() => Promise<void>) | undefined;
  private readonly now: () => number;
  private readonly defaultCommand: string;
  private readonly defaultUser: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Shared with {@link another} driver, so event ids never repeat across them. */
  private readonly count: { n: number };
  private readonly options: SlackDriverOptions;

  constructor(opts: SlackDriverOptions, count = { n: 0 }) {
    this.options = opts;
    this.count = count;
    const url = new URL(opts.appUrl);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new Error(`SlackDriver only talks to the local app, not ${url.host}`);
    }
    this.appUrl = opts.appUrl;
    this.signingSecret = opts.signingSecret;
    this.api = opts.api;
    this.teamId = opts.teamId ?? opts.api.teamId;
    this.idle = opts.idle;
    this.now = opts.now ?? Date.now;
    this.defaultCommand = opts.defaultCommand ?? '/career';
    this.defaultUser = opts.defaultUser ?? 'U0ALICE01';
  }

  /**
   * Another driver for the same app, with a queue of its own: Slack sends one person's request while another's is
   * still being handled. (Each driver sends its own requests one after another.)
   */
  another(): SlackDriver {
    return new SlackDriver(this.options, this.count);
  }

  /** `v0=` + HMAC-SHA256(signing secret, `v0:<ts>:<body>`), as Slack signs requests. */
  sign(body: string, timestampSeconds: number): string {
    const hex = createHmac('sha256', this.signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
    return `v0=${hex}`;
  }

  /** Headers Slack sends with `body`, signed at `timestampSeconds` (default: now). */
  signedHeaders(body: string, contentType: string, timestampSeconds = this.nowSeconds()): Record<string, string> {
    return {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestampSeconds),
      'X-Slack-Signature': this.sign(body, timestampSeconds),
    };
  }

  /** A slash command, form-encoded with every field Slack sends. */
  command(text: string, opts: CommandOptions = {}): Promise<Reply> {
    const user = opts.user ?? this.defaultUser;
    const channel = opts.channel ?? 'C0GENERAL1';
    const fields: Record<string, string> = {
      token: VERIFICATION_TOKEN,
      team_id: opts.team ?? this.teamId,
      team_domain: this.api.teamDomain,
      enterprise_id: '',
      enterprise_name: '',
      channel_id: channel,
      channel_name: opts.channelName ?? (channel.startsWith('D') ? 'directmessage' : 'general'),
      user_id: user,
      user_name: opts.userName ?? this.userName(user),
      command: opts.command ?? this.defaultCommand,
      text,
      api_app_id: this.api.appId,
      is_enterprise_install: 'false',
      response_url: this.api.responseUrl(),
      trigger_id: this.api.issueTriggerId(),
    };
    return this.send(new URLSearchParams(fields).toString(), FORM);
  }

  /** A `block_actions` interaction from a button (or a static_select when `selectedOption` is given). */
  action(opts: ActionOptions): Promise<Reply> {
    const user = opts.user ?? this.defaultUser;
    const n = this.next();
    const actionTs = this.eventTs(n);
    const channelId = opts.channel ?? (opts.view ? undefined : `D${user}`);
    const blockId = opts.blockId ?? `b${n}`;
    const action: Record<string, unknown> = opts.selectedOption
      ? {
          type: 'static_select',
          action_id: opts.actionId,
          block_id: blockId,
          selected_option: opts.selectedOption,
          action_ts: actionTs,
        }
      : {
          type: 'button',
          action_id: opts.actionId,
          block_id: blockId,
          text: { type: 'plain_text', text: opts.text ?? opts.actionId, emoji: true },
          value: opts.value,
          action_ts: actionTs,
        };
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      api_app_id: this.api.appId,
      token: VERIFICATION_TOKEN,
      container: opts.container ?? this.container(opts, channelId),
      trigger_id: this.api.issueTriggerId(),
      team: { id: this.teamId, domain: this.api.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      state: { values: {} },
      actions: [action],
    };
    if (channelId !== undefined)
      payload.channel = { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'general' };
    if (opts.message) payload.message = opts.message;
    if (opts.view)
      payload.view = { team_id: this.teamId, app_id: this.api.appId, bot_id: this.api.botId, ...opts.view };
    const responseUrl = opts.responseUrl ?? (opts.view ? undefined : this.api.responseUrl());
    if (responseUrl !== undefined) payload.response_url = responseUrl;
    const headers: Record<string, string> =
      opts.retryNum === undefined
        ? {}
        : { 'X-Slack-Retry-Num': String(opts.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' };
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, headers);
  }

  /**
   * A `message_action` interaction: a message shortcut used on a message, as Slack sends it (with a response_url for
   * the channel and a trigger_id for a modal).
   */
  messageAction(opts: MessageActionOptions = {}): Promise<Reply> {
    const user = opts.user ?? this.defaultUser;
    const n = this.next();
    const channel = opts.channel ?? 'C0GENERAL1';
    const grid = opts.enterprise;
    const team: Record<string, unknown> = { id: this.teamId, domain: this.api.teamDomain };
    if (grid) Object.assign(team, { enterprise_id: grid.id, enterprise_name: grid.name ?? 'Ripple Org' });
    const message =
      opts.message === undefined
        ? { type: 'message', user, ts: this.eventTs(n), text: 'A message' }
        : opts.message === null
          ? undefined
          : { type: 'message', ...opts.message };
    const payload: Record<string, unknown> = {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: this.eventTs(n),
      team,
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'general' },
      is_enterprise_install: grid?.orgWide === true,
      enterprise: grid ? { id: grid.id, name: grid.name ?? 'Ripple Org' } : null,
      callback_id: opts.callbackId ?? 'save_evidence',
      trigger_id: this.api.issueTriggerId(),
      response_url: opts.responseUrl ?? this.api.responseUrl(),
      api_app_id: this.api.appId,
    };
    if (message) {
      payload.message = message;
      payload.message_ts = message.ts;
    }
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  /** A `view_submission` interaction from a modal. */
  viewSubmission(opts: ViewSubmissionOptions): Promise<Reply> {
    const user = opts.user ?? this.defaultUser;
    const n = this.next();
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: this.api.teamDomain },
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      api_app_id: this.api.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.api.issueTriggerId(),
      view: {
        id: opts.viewId ?? `VSUB${String(n).padStart(7, '0')}`,
        team_id: this.teamId,
        type: 'modal',
        blocks: [],
        private_metadata: opts.privateMetadata ?? '',
        callback_id: opts.callbackId,
        hash: `${this.nowSeconds()}.${n}`,
        app_id: this.api.appId,
        bot_id: this.api.botId,
        ...opts.view,
        state: { values: opts.values ?? {} },
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  /** An Events API `event_callback`; `event_ts` is filled in when absent. */
  event(event: Record<string, unknown>, opts: EventOptions = {}): Promise<Reply> {
    const n = this.next();
    const team = opts.team ?? this.teamId;
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: team,
      api_app_id: this.api.appId,
      event: { event_ts: this.eventTs(n), ...event },
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${String(n).padStart(9, '0')}`,
      event_time: this.nowSeconds(),
      authorizations: [
        {
          enterprise_id: null,
          team_id: team,
          user_id: this.api.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    const headers: Record<string, string> = {};
    if (opts.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = opts.retryReason;
    return this.send(JSON.stringify(envelope), 'application/json', headers);
  }

  /**
   * Posts a body built elsewhere (a recorded shape of a real Slack request), signed like every other
   * request, and collects what the app did like `command`, `action` and `event` do.
   */
  post(body: string, contentType: 'application/json' | typeof FORM): Promise<Reply> {
    return this.send(body, contentType);
  }

  /** Posts `body` with exactly `headers` (no signing): for forged-signature and stale-timestamp tests. */
  raw(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return this.serially(async () => {
      const res = await fetch(this.appUrl, { method: 'POST', headers, body });
      return { status: res.status, body: await res.text() };
    });
  }

  private send(body: string, contentType: string, extraHeaders: Record<string, string> = {}): Promise<Reply> {
    return this.serially(async () => {
      const callsBefore = this.api.calls.length;
      const responsesBefore = this.api.responses.length;
      // NOTE: Bolt's HTTPReceiver compares Content-Type exactly; a `; charset=` suffix makes it mis-parse forms.
      const headers = { ...this.signedHeaders(body, contentType), ...extraHeaders };
      const sentAt = Date.now();
      const res = await fetch(this.appUrl, { method: 'POST', headers, body });
      const text = await res.text();
      const answeredInMs = Date.now() - sentAt;
      // Bolt keeps running listeners after the HTTP ack; wait for them, then for the API calls they made.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.idle) await this.idle();
      await this.api.whenIdle();
      const calls = this.api.calls.slice(callsBefore);
      const responses = this.api.responses.slice(responsesBefore);
      const ack = parseAck(text);
      return {
        status: res.status,
        answeredInMs,
        ack,
        responses: responses.map((r) => r.body),
        calls,
        messages: collectMessages(ack, calls, responses),
      };
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private container(opts: ActionOptions, channelId: string | undefined): Record<string, unknown> {
    if (opts.view) return { type: 'view', view_id: opts.view.id };
    const ts = typeof opts.message?.ts === 'string' ? opts.message.ts : this.eventTs(this.next());
    return { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: opts.message === undefined };
  }

  private userName(user: string): string {
    return this.api.getUser(user)?.name ?? user.toLowerCase();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private eventTs(n: number): string {
    return `${this.nowSeconds()}.${String(n).padStart(6, '0')}`;
  }

  private next(): number {
    this.count.n += 1;
    return this.count.n;
  }
}

function parseAck(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage']);
const VIEW_METHODS = new Set(['views.publish', 'views.open', 'views.update', 'views.push']);

function collectMessages(ack: unknown, calls: RecordedCall[], responses: { body: unknown; seq: number }[]): unknown[] {
  const messages: unknown[] = [];
  // Bolt sends a string ack as the raw body; Slack shows it as the message text.
  if (typeof ack === 'string') messages.push({ text: ack });
  if (isRecord(ack)) {
    if (ack.text !== undefined || ack.blocks !== undefined) messages.push(ack);
    // view_submission acks can replace or push a view.
    if (isRecord(ack.view)) messages.push(ack.view);
  }
  const later: { seq: number; surface: unknown }[] = responses.map((r) => ({ seq: r.seq, surface: r.body }));
  for (const call of calls) {
    if (call.response?.ok !== true) continue;
    if (MESSAGE_METHODS.has(call.method)) later.push({ seq: call.seq, surface: call.args });
    if (VIEW_METHODS.has(call.method) && call.args.view !== undefined) {
      later.push({ seq: call.seq, surface: call.args.view });
    }
  }
  later.sort((a, b) => a.seq - b.seq);
  return [...messages, ...later.map((l) => l.surface)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
