import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlackApi, RecordedCall } from '../../src/offline-slack/fake-slack-api.js';

/**
 * A fake of Slack's Socket Mode side, speaking its documented protocol over a real WebSocket on
 * 127.0.0.1: `apps.connections.open` (on the fake Web API) hands out this server's URL; each
 * connection gets `hello`; requests go out as envelopes and are answered by acks
 * `{ envelope_id, payload? }`; `disconnect` messages (refresh_requested, link_disabled, warning).
 * It can go down (connections cut, new ones refused, apps.connections.open failing) and come back.
 *
 * Like Slack, it sends each request on a connection that was not told to go away, else on one that
 * was but is still open; with no connection at all the request fails at once (Slack's
 * dispatch_failed). An ack must arrive within Slack's 3 s.
 */

/** Slack's envelope types. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1 = the first opened) carried it. */
  connection: number;
}

/** What a person would see in answer to one request, like the HTTP driver's Reply. */
export interface SocketReply {
  ack: Ack;
  /** The ack payload (when it carries text or blocks), response_url bodies, then messages and views sent. */
  messages: unknown[];
  calls: RecordedCall[];
}

export interface FakeConnection {
  id: number;
  ws: WebSocket;
  /** Told to go away (a `disconnect` was sent on it). */
  retiring: boolean;
  open: boolean;
}

/** Slack's limit for an ack. */
const ACK_TIMEOUT_MS = 3_000;
const VERIFICATION_TOKEN = 'fake-verification-token';
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
const VIEW_METHODS = new Set(['views.publish', 'views.open', 'views.update', 'views.push']);

export class FakeSocketSlack {
  #api: FakeSlackApi | undefined;
  readonly connections: FakeConnection[] = [];
  readonly acks: Ack[] = [];
  /** Envelopes sent, oldest first. */
  readonly sent: Envelope[] = [];
  #server: Server;
  #wss: WebSocketServer;
  #port: number;
  #down = false;
  #openError: string | undefined;
  #undo: () => void = () => undefined;
  #sockets = new Set<Socket>();
  #ackWaiters = new Map<string, (ack: Ack) => void>();
  #connectionWaiters: (() => void)[] = [];
  #envelopes = 0;
  #counter = 0;
  /** Resolves when the app has finished every listener (the harness's activity.idle). */
  #idle: () => Promise<void> = async () => undefined;

  private constructor(server: Server) {
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    this.#wss = new WebSocketServer({ noServer: true });
    this.#watch(server);
    this.#wss.on('connection', (ws) => this.#accept(ws));
  }

  /** Starts the WebSocket server on 127.0.0.1 with a random port. */
  static async start(): Promise<FakeSocketSlack> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeSocketSlack(server);
  }

  /** Teaches the fake Web API to answer `apps.connections.open` with this server's URL (synchronous: fits prepareApi). */
  attach(api: FakeSlackApi): void {
    this.#api = api;
    this.#undo = api.on('apps.connections.open', (_args, call) => {
      // NOTE: a throw here makes the fake Web API answer HTTP 500, as a Slack outage would.
      if (this.#down) throw new Error('Slack is down');
      if (this.#openError) return { ok: false, error: this.#openError };
      if (!call.token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      return { url: `${this.url}?ticket=${++this.#counter}` };
    });
  }

  get api(): FakeSlackApi {
    if (!this.#api) throw new Error('FakeSocketSlack: attach(api) first');
    return this.#api;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}/link/`;
  }

  /** Lets replies wait for the app's listeners (pass the app's `activity.idle`). */
  waitFor(idle: () => Promise<void>): void {
    this.#idle = idle;
  }

  /** Connections open now. */
  get openConnections(): FakeConnection[] {
    return this.connections.filter((c) => c.open);
  }

  /** From now on apps.connections.open answers `ok:false` with this error (undefined: answers again). */
  refuseOpen(error: string | undefined): void {
    this.#openError = error;
  }

  /**
   * Slack goes down: open connections are cut, new ones refused, and (unless `webApi` is false: only
   * the WebSocket side is down) apps.connections.open answers 500.
   */
  async goDown(opts: { webApi?: boolean } = {}): Promise<void> {
    this.#down = opts.webApi !== false;
    for (const c of this.connections) c.ws.terminate();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Slack is back, on the same port. */
  async comeBack(): Promise<void> {
    const server = createServer();
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    this.#watch(server);
    this.#down = false;
  }

  /** Resolves once `count` connections are open and not retiring. */
  async waitForConnection(count = 1, timeoutMs = 10_000): Promise<void> {
    const ready = () => this.connections.filter((c) => c.open && !c.retiring).length >= count;
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`FakeSocketSlack: no ${count} open connection(s) in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#connectionWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Sends `disconnect` with `reason` on the newest serving connection, and closes it `closeAfterMs`
   * later, as Slack does. Returns that connection.
   */
  disconnect(reason: 'refresh_requested' | 'link_disabled' | 'warning', closeAfterMs = 1_000): FakeConnection {
    const connection = this.#serving();
    if (!connection) throw new Error('FakeSocketSlack: no connection to disconnect');
    connection.retiring = true;
    connection.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-socket-slack' } }));
    setTimeout(() => connection.ws.close(1000), closeAfterMs).unref();
    return connection;
  }

  /** A slash command (Socket Mode carries the same fields as the HTTP form, as JSON). */
  command(text: string, opts: { user?: string; channel?: string; command?: string } = {}): Promise<SocketReply> {
    const user = opts.user ?? 'U0TESTER01';
    const channel = opts.channel ?? 'C0GENERAL1';
    return this.send('slash_commands', {
      token: VERIFICATION_TOKEN,
      team_id: this.api.teamId,
      team_domain: this.api.teamDomain,
      channel_id: channel,
      channel_name: channel.startsWith('D') ? 'directmessage' : 'general',
      user_id: user,
      user_name: this.#userName(user),
      command: opts.command ?? '/career',
      text,
      api_app_id: this.api.appId,
      is_enterprise_install: 'false',
      response_url: this.api.responseUrl(),
      trigger_id: this.api.issueTriggerId(),
    });
  }

  /** A `block_actions` interaction from a button in a DM message. */
  action(opts: {
    user?: string;
    actionId: string;
    value?: string;
    blockId?: string;
    message?: Record<string, unknown>;
  }) {
    const user = opts.user ?? 'U0TESTER01';
    const channel = `D${user}`;
    const n = ++this.#counter;
    const ts = typeof opts.message?.ts === 'string' ? opts.message.ts : `${Math.floor(Date.now() / 1000)}.000${n}`;
    return this.send('interactive', {
      type: 'block_actions',
      user: { id: user, username: this.#userName(user), name: this.#userName(user), team_id: this.api.teamId },
      api_app_id: this.api.appId,
      token: VERIFICATION_TOKEN,
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
      trigger_id: this.api.issueTriggerId(),
      team: { id: this.api.teamId, domain: this.api.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: 'directmessage' },
      message: opts.message ?? { type: 'message', ts, text: '', user: this.api.botUserId },
      state: { values: {} },
      response_url: this.api.responseUrl(),
      actions: [
        {
          type: 'button',
          action_id: opts.actionId,
          block_id: opts.blockId ?? `b${n}`,
          text: { type: 'plain_text', text: opts.actionId, emoji: true },
          value: opts.value,
          action_ts: `${Math.floor(Date.now() / 1000)}.000${n}`,
        },
      ],
    });
  }

  /** An Events API `event_callback`; a retry carries `retry_attempt`/`retry_reason` like Slack's. */
  event(
    event: Record<string, unknown>,
    opts: { eventId?: string; retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketReply> {
    const n = ++this.#counter;
    const now = Math.floor(Date.now() / 1000);
    return this.send(
      'events_api',
      {
        token: VERIFICATION_TOKEN,
        team_id: this.api.teamId,
        api_app_id: this.api.appId,
        event: { event_ts: `${now}.000${n}`, ...event },
        type: 'event_callback',
        event_id: opts.eventId ?? `Ev${String(n).padStart(9, '0')}`,
        event_time: now,
        authorizations: [
          {
            enterprise_id: null,
            team_id: this.api.teamId,
            user_id: this.api.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      },
      { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' },
    );
  }

  /** Sends one envelope; resolves with what the person sees once it was acked and the app is idle. */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    extra: Partial<Pick<Envelope, 'retry_attempt' | 'retry_reason'>> = {},
  ): Promise<SocketReply> {
    const connection = this.#serving() ?? this.openConnections.at(-1);
    if (!connection) throw new Error('dispatch_failed: no Socket Mode connection is open');
    const envelope: Envelope = {
      envelope_id: `env-${++this.#envelopes}`,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? extra : {}),
    };
    const callsBefore = this.api.calls.length;
    const responsesBefore = this.api.responses.length;
    const acked = this.#waitForAck(envelope.envelope_id);
    this.sent.push(envelope);
    connection.ws.send(JSON.stringify(envelope));
    const ack = await acked;
    await new Promise((resolve) => setImmediate(resolve));
    await this.#idle();
    await this.api.whenIdle();
    const calls = this.api.calls.slice(callsBefore);
    const responses = this.api.responses.slice(responsesBefore);
    const messages: unknown[] = [];
    if (ack.payload && (ack.payload.text !== undefined || ack.payload.blocks !== undefined)) messages.push(ack.payload);
    const later = responses.map((r) => ({ seq: r.seq, surface: r.body }));
    for (const call of calls) {
      if (call.response?.ok !== true) continue;
      if (MESSAGE_METHODS.has(call.method)) later.push({ seq: call.seq, surface: call.args });
      if (VIEW_METHODS.has(call.method)) later.push({ seq: call.seq, surface: call.args.view });
    }
    later.sort((a, b) => a.seq - b.seq);
    return { ack, messages: [...messages, ...later.map((l) => l.surface)], calls };
  }

  async close(): Promise<void> {
    this.#undo();
    for (const c of this.connections) c.ws.terminate();
    for (const socket of this.#sockets) socket.destroy();
    this.#wss.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #serving(): FakeConnection | undefined {
    return this.connections.filter((c) => c.open && !c.retiring).at(-1);
  }

  #watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => {
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
    });
  }

  #accept(ws: WebSocket): void {
    const connection: FakeConnection = { id: this.connections.length + 1, ws, retiring: false, open: true };
    this.connections.push(connection);
    ws.on('close', () => {
      connection.open = false;
    });
    ws.on('message', (data) => {
      let message: { envelope_id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof message.envelope_id !== 'string') return;
      const ack: Ack = {
        envelope_id: message.envelope_id,
        ...(isRecord(message.payload) && Object.keys(message.payload).length > 0 ? { payload: message.payload } : {}),
        connection: connection.id,
      };
      this.acks.push(ack);
      this.#ackWaiters.get(ack.envelope_id)?.(ack);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections.length,
        debug_info: { host: 'fake-socket-slack', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.#api?.appId },
      }),
    );
    for (const wake of this.#connectionWaiters.splice(0)) wake();
  }

  #waitForAck(envelopeId: string): Promise<Ack> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#ackWaiters.delete(envelopeId);
        reject(new Error(`FakeSocketSlack: no ack for ${envelopeId} within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.#ackWaiters.set(envelopeId, (ack) => {
        clearTimeout(timer);
        this.#ackWaiters.delete(envelopeId);
        resolve(ack);
      });
    });
  }

  #userName(user: string): string {
    return this.api.getUser(user)?.name ?? user.toLowerCase();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
