import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The offline Slack Web API: a small node:http server on 127.0.0.1 that answers the methods Ripple uses the way
 * Slack does, records every call, and can be told to fail. Used by every end-to-end test and by the local sandbox,
 * so it must stay deterministic (ids and message timestamps come from counters, never from randomness).
 */

/** A person (or bot) in the fake workspace. Only `id` and `name` are required. */
export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  /** IANA zone; defaults to America/New_York. */
  tz?: string;
  /** Seconds east of UTC; computed from `tz` at the fake's clock when absent. */
  tz_offset?: number;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
  email?: string;
}

/** One Web API call as the fake received it. */
export interface RecordedCall {
  method: string;
  /**
   * The call's arguments. Form-encoded scalars stay strings (that is what Slack receives); JSON-valued fields
   * (`blocks`, `view`, `attachments`, ...) are parsed into objects.
   */
  args: Record<string, unknown>;
  /** From `Authorization: Bearer`, else a `token` argument. */
  token: string | undefined;
  /** Fake's clock (ms) when the request arrived. */
  at: number;
  /** Order among all calls and response_url posts on this fake. */
  seq: number;
  /** HTTP status answered; 0 while the call is still being handled. */
  status: number;
  /** Body answered (parsed); undefined while the call is still being handled. */
  response: Record<string, unknown> | undefined;
}

/** One POST to a response_url handed out by {@link FakeSlackApi.responseUrl}. */
export interface RecordedResponse {
  url: string;
  body: unknown;
  at: number;
  seq: number;
}

/** How the next call(s) to a method fail. */
export type Failure = { error: string } | { status: 500 } | { status: 429; retryAfter: number };

/** Picks the calls a rate limit or a delay applies to (see {@link FakeSlackApi.rateLimit}, {@link FakeSlackApi.delay}). */
export type CallMatcher = (call: RecordedCall) => boolean;

/**
 * The calls that reach one person's DM with the bot: opening it (`conversations.open` with just them) and posting or
 * updating in it (their `D…` channel, or their user id as the channel).
 */
export function dmWith(userId: string): CallMatcher {
  return (call) =>
    (call.method === 'conversations.open' && call.args.users === userId) ||
    (call.method.startsWith('chat.') && (call.args.channel === `D${userId}` || call.args.channel === userId));
}

export type MethodHandler = (
  args: Record<string, unknown>,
  call: RecordedCall,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface FakeSlackApiOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Clock for `at`, tz offsets and trigger expiry; defaults to Date.now. */
  now?: () => number;
}

/** Arguments Slack takes as JSON strings inside a form-encoded call. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);

/** Message timestamps start here and grow by 100µs per message, like "1700000000.000100". */
const TS_BASE_MICROS = 1_700_000_000_000_000;
/** NOTE: Slack's trigger_id works once and expires 3 seconds after the user's action. */
const TRIGGER_TTL_MS = 3000;

const API_PREFIX = '/api/';
const RESPONSE_PREFIX = '/response/';
/** Where files.getUploadURLExternal sends file data (Slack's is files.slack.com/upload/v1/…). */
const UPLOAD_PREFIX = '/upload/';

/** A file shared with files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal). */
export interface FakeFile {
  id: string;
  filename: string;
  /** The uploaded bytes as text (a multipart body from the Web API client holds the file as one part). */
  data: string;
  /** Set once completeUploadExternal shares it. */
  channel?: string;
  title?: string;
  initialComment?: string;
}

export class FakeSlackApi {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId = 'A0RIPPLE01';
  readonly teamName = 'Ripple Sandbox';
  readonly teamDomain = 'ripple-sandbox';
  /** Base URL for Bolt's `clientOptions.slackApiUrl`, ending in `/api/`. */
  readonly apiUrl: string;
  readonly origin: string;

  /** Every Web API call, oldest first (including failed ones). */
  readonly calls: RecordedCall[] = [];
  /** Every POST to a response_url, oldest first. */
  readonly responses: RecordedResponse[] = [];

  private readonly server: Server;
  private readonly now: () => number;
  private readonly users = new Map<string, FakeUser>();
  private readonly overrides = new Map<string, MethodHandler>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly issuedResponseUrls = new Set<string>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private seq = 0;
  private messageCount = 0;
  private viewCount = 0;
  private responseUrlCount = 0;
  private triggerCount = 0;
  private scheduledCount = 0;
  private fileCount = 0;
  /** Files by id, from getUploadURLExternal on: `data` fills in with the upload, `channel` on completion. */
  readonly files = new Map<string, FakeFile>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private answerWatchers = new Set<() => void>();
  private readonly rateLimits = new Set<{ when: CallMatcher; until: number }>();
  private readonly delays = new Set<Delay>();
  private readonly responseDelays = new Set<Delay>();

  private constructor(server: Server, opts: FakeSlackApiOptions) {
    this.server = server;
    this.teamId = opts.teamId ?? 'T0RIPPLE01';
    this.botUserId = opts.botUserId ?? 'U0RIPPLEBOT';
    this.botId = opts.botId ?? 'B0RIPPLE01';
    this.now = opts.now ?? Date.now;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.origin}${API_PREFIX}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.active += 1;
      this.handle(req, res)
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake slack error: ${error instanceof Error ? error.message : String(error)}`);
        })
        .finally(() => {
          this.active -= 1;
          if (this.active === 0) this.wakeIdleWaiters();
        });
    });
  }

  /** Starts a fake on 127.0.0.1 with a random free port. */
  static async start(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeSlackApi(server, opts);
  }

  /** Requests being handled right now (Web API calls and response_url posts). */
  get inFlight(): number {
    return this.active;
  }

  /** Resolves once no request is being handled. */
  async whenIdle(): Promise<void> {
    // Let requests whose sockets are already readable reach the server before deciding it is idle.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the `count`-th answered call to `method` (1 = the first since start/reset). For calls nobody awaits,
   * such as the `auth.test` Bolt fires from its constructor: {@link whenIdle} cannot see a request that has not
   * reached the server yet.
   */
  async waitForCall(method: string, opts: { count?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const count = opts.count ?? 1;
    const timeoutMs = opts.timeoutMs ?? 5000;
    const found = () => this.callsTo(method).filter((c) => c.status !== 0)[count - 1];
    const already = found();
    if (already) return already;
    return new Promise<RecordedCall>((resolve, reject) => {
      const watcher = () => {
        const call = found();
        if (!call) return;
        clearTimeout(timer);
        this.answerWatchers.delete(watcher);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.answerWatchers.delete(watcher);
        reject(new Error(`FakeSlackApi: no call #${count} to ${method} within ${timeoutMs}ms`));
      }, timeoutMs);
      this.answerWatchers.add(watcher);
    });
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, { ...user });
  }

  updateUser(id: string, patch: Partial<Omit<FakeUser, 'id'>>): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`FakeSlackApi.updateUser: no user ${id}`);
    this.users.set(id, { ...user, ...patch, id });
  }

  getUser(id: string): FakeUser | undefined {
    const user = this.users.get(id);
    return user ? { ...user } : undefined;
  }

  /** Replaces the default answer of `method`; `ok: true` is added unless the handler sets `ok`. Returns an undo. */
  on(method: string, handler: MethodHandler): () => void {
    this.overrides.set(method, handler);
    return () => {
      if (this.overrides.get(method) === handler) this.overrides.delete(method);
    };
  }

  /**
   * The next `times` calls to `method` fail: `{ error }` answers HTTP 200 `ok:false`; `{ status: 500 }` an HTTP 500;
   * `{ status: 429, retryAfter }` an HTTP 429 with `Retry-After` and `{ ok: false, error: 'ratelimited' }`.
   */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(method, queue);
  }

  /**
   * Slack rate-limits the calls matching `when` for the next `forMs`: each one is refused with HTTP 429, `Retry-After`
   * (the whole seconds left, at least 1) and `{ ok: false, error: 'ratelimited' }`, however often it is tried; other
   * calls are answered as usual. Ends early with the returned undo.
   */
  rateLimit(when: CallMatcher, forMs: number): () => void {
    const limit = { when, until: this.now() + forMs };
    this.rateLimits.add(limit);
    return () => this.rateLimits.delete(limit);
  }

  /**
   * A slow Slack: each Web API call matching `when` (default: every call) is answered `ms` after it arrived. With
   * `Infinity` the calls hang until the client gives up. The returned undo ends the delay, and answers the calls still
   * waiting at once.
   */
  delay(ms: number, when: CallMatcher = () => true): () => void {
    return addDelay(this.delays, ms, when);
  }

  /** Like {@link delay}, for POSTs to response_urls (Bolt's `respond()`). */
  delayResponses(ms: number): () => void {
    return addDelay(this.responseDelays, ms, () => true);
  }

  /** A fresh response_url on this server; POSTs to it are recorded in {@link responses}. */
  responseUrl(): string {
    this.responseUrlCount += 1;
    const url = `${this.origin}${RESPONSE_PREFIX}${this.responseUrlCount}`;
    this.issuedResponseUrls.add(url);
    return url;
  }

  /**
   * A fresh trigger_id, as Slack puts in a command or interaction. `views.open` accepts it once, within 3 seconds.
   * Trigger ids the fake never issued are accepted, so hand-written ones keep working.
   */
  issueTriggerId(): string {
    this.triggerCount += 1;
    const n = this.triggerCount;
    const id = `${1_000_000_000 + n}.${this.teamId}.${n.toString(16).padStart(12, '0')}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false });
    return id;
  }

  /** Forgets calls, responses, pending failures, rate limits and issued urls/triggers; keeps users, `on` overrides and delays. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
    this.rateLimits.clear();
    this.issuedResponseUrls.clear();
    this.triggers.clear();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive sockets from fetch would otherwise hold close() open.
    this.server.closeAllConnections();
    await closed;
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith(RESPONSE_PREFIX)) {
      if (!(await waitOut(this.responseDelays, undefined, res))) return;
      this.handleResponseUrl(`${this.origin}${url.pathname}`, req, raw, res);
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith(UPLOAD_PREFIX)) {
      const file = this.files.get(url.pathname.slice(UPLOAD_PREFIX.length));
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such upload');
        return;
      }
      file.data = raw;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${Buffer.byteLength(raw)}`);
      return;
    }
    if ((req.method === 'POST' || req.method === 'GET') && url.pathname.startsWith(API_PREFIX)) {
      await this.handleApiCall(url, req, raw, res);
      return;
    }
    send(res, 404, { ok: false, error: 'not_found' });
  }

  private handleResponseUrl(url: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    if (!this.issuedResponseUrls.has(url)) {
      send(res, 404, { ok: false, error: 'no_such_response_url' });
      return;
    }
    const body = isJson(req) ? parseJson(raw) : raw;
    this.responses.push({ url, body, at: this.now(), seq: this.nextSeq() });
    send(res, 200, { ok: true });
  }

  private async handleApiCall(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice(API_PREFIX.length));
    const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    Object.assign(args, isJson(req) ? asRecord(parseJson(raw)) : parseForm(raw));
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const call: RecordedCall = {
      method,
      args,
      token: bearer ?? (typeof args.token === 'string' ? args.token : undefined),
      at: this.now(),
      seq: this.nextSeq(),
      status: 0,
      response: undefined,
    };
    this.calls.push(call);
    // The client gave up on a call that hung (its timeout): nothing is answered, the call stays at status 0.
    if (!(await waitOut(this.delays, call, res))) return;

    const limited = this.rateLimitFor(call);
    const failure = limited ? { status: 429 as const, retryAfter: limited } : this.failures.get(method)?.shift();
    let status = 200;
    let body: Record<string, unknown>;
    const headers: Record<string, string> = {};
    if (failure && 'error' in failure) {
      body = { ok: false, error: failure.error };
    } else if (failure?.status === 429) {
      status = 429;
      headers['retry-after'] = String(failure.retryAfter);
      body = { ok: false, error: 'ratelimited' };
    } else if (failure) {
      status = failure.status;
      body = { ok: false, error: 'fatal_error' };
    } else {
      body = await this.answer(method, args, call);
    }
    call.status = status;
    call.response = body;
    send(res, status, body, headers);
    for (const watcher of [...this.answerWatchers]) watcher();
  }

  /** Seconds until the rate limit on `call` ends (at least 1), or undefined when none applies. */
  private rateLimitFor(call: RecordedCall): number | undefined {
    let until = 0;
    for (const limit of this.rateLimits) {
      if (limit.until <= this.now()) this.rateLimits.delete(limit);
      else if (limit.when(call)) until = Math.max(until, limit.until);
    }
    return until > 0 ? Math.max(1, Math.ceil((until - this.now()) / 1000)) : undefined;
  }

  private async answer(method: string, args: Record<string, unknown>, call: RecordedCall) {
    const override = this.overrides.get(method);
    if (override) return { ok: true, ...(await override(args, call)) };
    const builtIn = this.builtIns[method];
    if (!builtIn) return { ok: false, error: 'unknown_method' };
    if (call.token === undefined && method !== 'api.test') return { ok: false, error: 'not_authed' };
    return builtIn(args);
  }

  private readonly builtIns: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'api.test': (args) => ({ ok: true, args }),
    'auth.test': () => ({
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: 'ripple',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }),
    'bots.info': (args) =>
      args.bot === this.botId
        ? {
            ok: true,
            bot: { id: this.botId, app_id: this.appId, user_id: this.botUserId, name: 'ripple', deleted: false },
          }
        : { ok: false, error: 'bot_not_found' },
    'team.info': () => ({
      ok: true,
      team: {
        id: this.teamId,
        name: this.teamName,
        domain: this.teamDomain,
        email_domain: '',
        icon: { image_default: true },
      },
    }),
    'chat.postMessage': (args) => {
      const problem = this.checkMessageArgs(args);
      if (problem) return problem;
      const channel = this.resolveChannel(String(args.channel));
      const ts = this.nextTs();
      return { ok: true, channel, ts, message: this.botMessage(args, ts) };
    },
    'chat.postEphemeral': (args) => {
      const problem = this.checkMessageArgs(args);
      if (problem) return problem;
      if (typeof args.user !== 'string' || args.user === '') return { ok: false, error: 'user_not_found' };
      return { ok: true, message_ts: this.nextTs() };
    },
    'chat.update': (args) => {
      if (!isNonEmptyString(args.channel)) return { ok: false, error: 'channel_not_found' };
      if (!isNonEmptyString(args.ts)) return { ok: false, error: 'message_not_found' };
      const channel = this.resolveChannel(args.channel);
      return { ok: true, channel, ts: args.ts, text: args.text ?? '', message: this.botMessage(args, args.ts) };
    },
    // Any message in a channel: a failure (channel_not_found, not_in_channel) is injected with failNext or `on`.
    'chat.getPermalink': (args) => {
      if (!isNonEmptyString(args.channel)) return { ok: false, error: 'channel_not_found' };
      if (!isNonEmptyString(args.message_ts)) return { ok: false, error: 'message_not_found' };
      const channel = this.resolveChannel(args.channel);
      return {
        ok: true,
        channel,
        permalink: `https://${this.teamDomain}.slack.com/archives/${channel}/p${args.message_ts.replace('.', '')}`,
      };
    },
    'chat.delete': (args) => {
      if (!isNonEmptyString(args.channel)) return { ok: false, error: 'channel_not_found' };
      if (!isNonEmptyString(args.ts)) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel: this.resolveChannel(args.channel), ts: args.ts };
    },
    'chat.scheduleMessage': (args) => {
      const problem = this.checkMessageArgs(args);
      if (problem) return problem;
      const postAt = Number(args.post_at);
      if (!Number.isFinite(postAt)) return { ok: false, error: 'invalid_time' };
      if (postAt * 1000 < this.now()) return { ok: false, error: 'time_in_past' };
      this.scheduledCount += 1;
      return {
        ok: true,
        channel: this.resolveChannel(String(args.channel)),
        scheduled_message_id: `Q${String(this.scheduledCount).padStart(9, '0')}`,
        post_at: postAt,
        message: { ...this.botMessage(args, undefined), type: 'delayed_message' },
      };
    },
    'files.getUploadURLExternal': (args) => {
      if (!isNonEmptyString(args.filename)) return { ok: false, error: 'invalid_arguments' };
      if (!(Number(args.length) > 0)) return { ok: false, error: 'invalid_arguments' };
      this.fileCount += 1;
      const id = `F${String(this.fileCount).padStart(9, '0')}`;
      this.files.set(id, { id, filename: args.filename, data: '' });
      return { ok: true, file_id: id, upload_url: `${this.origin}${UPLOAD_PREFIX}${id}` };
    },
    'files.completeUploadExternal': (args) => {
      const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
      if (list.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found = list.map((f) => (typeof f.id === 'string' ? this.files.get(f.id) : undefined));
      // Slack refuses to complete a file whose data never arrived.
      if (found.some((f) => !f || f.data === '')) return { ok: false, error: 'file_not_found' };
      const channel = isNonEmptyString(args.channel_id) ? this.resolveChannel(args.channel_id) : undefined;
      const shared = found as FakeFile[];
      shared.forEach((file, i) => {
        const title = list[i]?.title;
        if (channel) file.channel = channel;
        if (typeof title === 'string') file.title = title;
        if (typeof args.initial_comment === 'string') file.initialComment = args.initial_comment;
      });
      return { ok: true, files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename })) };
    },
    'conversations.open': (args) => {
      const users = String(args.users ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (isNonEmptyString(args.channel)) return { ok: true, channel: { id: args.channel } };
      if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
      const id = users.length === 1 ? `D${users[0]}` : `G${users.sort().join('').slice(0, 10)}`;
      return { ok: true, channel: { id } };
    },
    'users.info': (args) => {
      const user = typeof args.user === 'string' ? this.users.get(args.user) : undefined;
      if (!user) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: this.slackUser(user) };
    },
    'users.lookupByEmail': (args) => {
      const email = typeof args.email === 'string' ? args.email.toLowerCase() : '';
      const user = [...this.users.values()].find((u) => !u.deleted && u.email?.toLowerCase() === email);
      if (!email || !user) return { ok: false, error: 'users_not_found' };
      return { ok: true, user: this.slackUser(user) };
    },
    // Paged as Slack pages it: `limit` members (Slack's default is 0, meaning its own cap; here 1,000) from an opaque
    // `cursor`, with `next_cursor` empty on the last page. A cursor Slack never handed out is `invalid_cursor`.
    'users.list': (args) => {
      const all = [...this.users.values()];
      const limit = Number(args.limit ?? 0) > 0 ? Math.min(Number(args.limit), 1_000) : 1_000;
      let from = 0;
      if (isNonEmptyString(args.cursor)) {
        const decoded = /^user:(\d+)$/.exec(Buffer.from(args.cursor, 'base64').toString('utf8'));
        if (!decoded) return { ok: false, error: 'invalid_cursor' };
        from = Number(decoded[1]);
      }
      const next = from + limit < all.length ? Buffer.from(`user:${from + limit}`).toString('base64') : '';
      return {
        ok: true,
        members: all.slice(from, from + limit).map((u) => this.slackUser(u)),
        cache_ts: Math.floor(this.now() / 1000),
        response_metadata: { next_cursor: next },
      };
    },
    'views.publish': (args) => {
      if (!isNonEmptyString(args.user_id)) return { ok: false, error: 'invalid_arguments' };
      const view = asRecord(args.view);
      if (view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
      return { ok: true, view: this.storedView(view, undefined) };
    },
    'views.open': (args) => {
      const triggerProblem = this.useTrigger(args.trigger_id);
      if (triggerProblem) return { ok: false, error: triggerProblem };
      const view = asRecord(args.view);
      if (view.type !== 'modal') return { ok: false, error: 'invalid_arguments' };
      return { ok: true, view: this.storedView(view, undefined) };
    },
    'views.push': (args) => {
      const triggerProblem = this.useTrigger(args.trigger_id);
      if (triggerProblem) return { ok: false, error: triggerProblem };
      return { ok: true, view: this.storedView(asRecord(args.view), undefined) };
    },
    'views.update': (args) => {
      const id = isNonEmptyString(args.view_id) ? args.view_id : undefined;
      if (!id && !isNonEmptyString(args.external_id)) return { ok: false, error: 'not_found' };
      return { ok: true, view: this.storedView(asRecord(args.view), id) };
    },
  };

  private checkMessageArgs(args: Record<string, unknown>): Record<string, unknown> | undefined {
    if (!isNonEmptyString(args.channel)) return { ok: false, error: 'channel_not_found' };
    const hasContent = isNonEmptyString(args.text) || Array.isArray(args.blocks) || Array.isArray(args.attachments);
    if (!hasContent) return { ok: false, error: 'no_text' };
    return undefined;
  }

  /** Posting to a user id lands in the DM with that user, as on Slack. */
  private resolveChannel(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel}` : channel;
  }

  private botMessage(args: Record<string, unknown>, ts: string | undefined): Record<string, unknown> {
    const message: Record<string, unknown> = {
      type: 'message',
      text: args.text ?? '',
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      team: this.teamId,
    };
    if (ts !== undefined) message.ts = ts;
    for (const key of ['blocks', 'attachments', 'thread_ts', 'metadata'] as const) {
      if (args[key] !== undefined) message[key] = args[key];
    }
    return message;
  }

  private storedView(view: Record<string, unknown>, id: string | undefined): Record<string, unknown> {
    this.viewCount += 1;
    const viewId = id ?? `V${String(this.viewCount).padStart(10, '0')}`;
    return {
      id: viewId,
      team_id: this.teamId,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: viewId,
      previous_view_id: null,
      app_id: this.appId,
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
      ...view,
      hash: `${Math.floor(this.now() / 1000)}.${String(this.viewCount).padStart(8, '0')}`,
    };
  }

  private useTrigger(triggerId: unknown): string | undefined {
    if (!isNonEmptyString(triggerId)) return 'invalid_trigger_id';
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return undefined;
    if (trigger.used) return 'exchanged_trigger_id';
    if (this.now() - trigger.issuedAt > TRIGGER_TTL_MS) return 'expired_trigger_id';
    trigger.used = true;
    return undefined;
  }

  private slackUser(user: FakeUser): Record<string, unknown> {
    const tz = user.tz ?? 'America/New_York';
    const at = new Date(this.now());
    const realName = user.real_name ?? user.name;
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: realName,
      tz,
      tz_label: zoneLabel(tz, at),
      tz_offset: user.tz_offset ?? zoneOffsetSeconds(tz, at),
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: user.name,
        display_name_normalized: user.name,
        email: user.email,
        team: this.teamId,
      },
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
    };
  }

  private nextTs(): string {
    this.messageCount += 1;
    const micros = TS_BASE_MICROS + this.messageCount * 100;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}

interface Delay {
  ms: number;
  when: (call: RecordedCall | undefined) => boolean;
  /** Wakes the requests waiting on this delay (its undo). */
  waiting: Set<() => void>;
}

function addDelay(delays: Set<Delay>, ms: number, when: CallMatcher): () => void {
  const delay: Delay = { ms, when: (call) => call === undefined || when(call), waiting: new Set() };
  delays.add(delay);
  return () => {
    delays.delete(delay);
    for (const wake of [...delay.waiting]) wake();
  };
}

/**
 * Holds a request for the longest delay that applies to it. False when the client went away meanwhile (it gave up):
 * then nothing is to be answered.
 */
async function waitOut(delays: Set<Delay>, call: RecordedCall | undefined, res: ServerResponse): Promise<boolean> {
  const delay = [...delays].filter((d) => d.when(call)).sort((a, b) => b.ms - a.ms)[0];
  if (!delay) return true;
  let gone = false;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      delay.waiting.delete(done);
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      gone = true;
      done();
    };
    // NOTE: setTimeout turns anything past 2^31-1 ms (Infinity included) into 1 ms: a hang sets no timer.
    if (Number.isFinite(delay.ms) && delay.ms < 2 ** 31) timer = setTimeout(done, delay.ms);
    delay.waiting.add(done);
    res.once('close', onClose);
  });
  return !gone && !res.destroyed;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function parseForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) ? parseJson(value) : value;
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** One formatter per zone and style: building an Intl.DateTimeFormat costs far more than using one. */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(tz: string, timeZoneName: 'long' | 'longOffset'): Intl.DateTimeFormat {
  const key = `${timeZoneName} ${tz}`;
  let format = zoneFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName });
    zoneFormats.set(key, format);
  }
  return format;
}

function zoneOffsetSeconds(tz: string, at: Date): number {
  // "GMT-05:00" / "GMT+05:30" / "GMT" for UTC.
  const name = zoneFormat(tz, 'longOffset')
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function zoneLabel(tz: string, at: Date): string {
  return (
    zoneFormat(tz, 'long')
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}
