import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi, type FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { FakeSocketSlack, type SocketReply } from '../support/fake-socket-slack.js';
import { childPort, cleanEnv } from '../support/spawn.js';

/**
 * Ripple in Socket Mode (the manifest's default) against a fake Socket Mode Slack speaking Slack's
 * protocol over a real WebSocket: requests answered through acks, refreshes without a gap, outages
 * healed without a restart, failed events left for Slack to retry, and `/healthz` telling the truth.
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana', tz: 'Europe/Lisbon' },
  { id: MAYA, name: 'maya', tz: 'Europe/Stockholm' },
  { id: BEN, name: 'ben', tz: 'Europe/London' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name}>`;

/** Short so the tests stay quick; production waits 10 s before calling a drop an outage. */
const GRACE_MS = 1_000;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0).reverse()) await stop().catch(() => undefined);
});

async function startSocketApp(
  options: TestAppOptions & { backoff?: { firstDelayMs: number; factor: number; maxDelayMs: number } } = {},
): Promise<{ t: TestApp; slack: FakeSocketSlack }> {
  const slack = await FakeSocketSlack.start();
  cleanup.push(() => slack.close());
  const t = await startTestApp({
    users: USERS,
    admins: [ADMIN],
    ...options,
    offline: { prepareApi: (api) => slack.attach(api), socket: { graceMs: GRACE_MS, backoff: options.backoff } },
  });
  cleanup.push(() => t.stop());
  slack.waitFor(t.slack.activity.idle);
  await slack.waitForConnection();
  return { t, slack };
}

async function health(t: TestApp): Promise<{ status: number; body: { ok: boolean; status?: string } }> {
  const res = await fetch(t.healthUrl);
  return { status: res.status, body: (await res.json()) as { ok: boolean; status?: string } };
}

/** Polls until `check` passes or `timeoutMs` passes (then fails with the last error). */
async function eventually(check: () => Promise<void> | void, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const shown = (reply: SocketReply) => reply.messages.map(visibleText).join('\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('requests over Socket Mode', () => {
  it('answers /career in the ack, as a person sees it', async () => {
    const { t, slack } = await startSocketApp();
    const reply = await slack.command('level 3 marketing', { user: BEN });
    expect(reply.ack.payload?.response_type).toBe('ephemeral');
    expect(shown(reply)).toContain('Marketing · Level 3 · Coordinator');
    expect((await health(t)).status).toBe(200);
    expect(t.errors).toEqual([]);
  });

  it('answers a check-in button click: the answer is kept and the next question comes', async () => {
    const { t, slack } = await startSocketApp();
    await slack.command(`set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`, { user: ADMIN });
    const begun = await slack.command('checkin', { user: BEN });
    expect(shown(begun)).toContain('Your check-in is in our DM: 13 questions');
    const question = begun.calls.find((c) => c.method === 'chat.postMessage');
    const rate = buttonsOf(question?.args).find((b) => b.actionId === 'checkin.rate.consistently');
    expect(rate?.value).toBeTruthy();

    const click = await slack.action({
      user: BEN,
      actionId: 'checkin.rate.consistently',
      value: rate?.value,
      message: { type: 'message', ts: String(question?.response?.ts), text: '', user: slack.api.botUserId },
    });
    const updated = click.calls.find((c) => c.method === 'chat.update');
    expect(updated?.args.ts).toBe(question?.response?.ts);
    expect(buttonsOf(updated?.args).map((b) => b.text)).toEqual(['Change']);
    expect(shown(click)).toContain('2 of 13');
    expect(t.errors).toEqual([]);
  });
});

describe('a refresh_requested disconnect', () => {
  it('leaves no gap: commands sent 0.1 to 5 s after it are all answered', async () => {
    const { t, slack } = await startSocketApp();
    const old = slack.disconnect('refresh_requested', 1_000);
    const answered: number[] = [];
    let elapsed = 0;
    for (const at of [100, 500, 1_200, 2_500, 5_000]) {
      await sleep(at - elapsed);
      elapsed = at;
      const reply = await slack.command('level 3 marketing', { user: BEN });
      expect(shown(reply)).toContain('Coordinator');
      answered.push(reply.ack.connection);
    }
    // The old connection served until the new one was up (at most the first command), then the new one.
    expect(answered.filter((c) => c > old.id).length).toBeGreaterThanOrEqual(4);
    expect(slack.openConnections.map((c) => c.id)).toEqual([old.id + 1]);
    expect((await health(t)).status).toBe(200);
  }, 20_000);

  it('keeps serving on the old connection until the new one says hello', async () => {
    const { slack } = await startSocketApp({ backoff: { firstDelayMs: 100, factor: 1.3, maxDelayMs: 500 } });
    // apps.connections.open fails for a while: the old connection is all there is.
    slack.refuseOpen('internal_error');
    const old = slack.disconnect('warning', 3_000);
    await sleep(300);
    const reply = await slack.command('level 3 marketing', { user: BEN });
    expect(reply.ack.connection).toBe(old.id);
    expect(shown(reply)).toContain('Coordinator');
    slack.refuseOpen(undefined);
    await slack.waitForConnection(1, 5_000);
    expect((await slack.command('level 3 marketing', { user: BEN })).ack.connection).toBeGreaterThan(old.id);
  }, 20_000);
});

describe('an outage', () => {
  it('10 s down: /healthz 503 meanwhile, reconnected within 30 s of Slack coming back, no restart', async () => {
    const { t, slack } = await startSocketApp();
    const opensBefore = t.api.callsTo('apps.connections.open').length;
    await slack.goDown();
    // Within the grace a blip is not an outage; past it, orchestrators are told.
    await eventually(async () => expect((await health(t)).body.status).toBe('socket-disconnected'), 3_000);
    expect((await health(t)).status).toBe(503);
    await sleep(10_000 - GRACE_MS);
    // Ripple kept trying (each attempt answered 500) and has not given up.
    expect(t.api.callsTo('apps.connections.open').length - opensBefore).toBeGreaterThan(2);
    expect((await health(t)).status).toBe(503);

    await slack.comeBack();
    // The SDK-shaped backoff (1 s ×1.3) tries again about 3 s after a 10 s outage ends.
    await eventually(async () => expect((await health(t)).status).toBe(200), 30_000);
    const reply = await slack.command('level 3 marketing', { user: BEN });
    expect(shown(reply)).toContain('Coordinator');
    // The same app, never restarted: one Web API client, one token check.
    expect(t.api.callsTo('auth.test')).toHaveLength(1);
  }, 60_000);
});

describe('an outage of the WebSocket side only', () => {
  it('apps.connections.open answers but connections are refused: healed once they are accepted', async () => {
    const { t, slack } = await startSocketApp({ backoff: { firstDelayMs: 100, factor: 1.3, maxDelayMs: 500 } });
    await slack.goDown({ webApi: false });
    await eventually(async () => expect((await health(t)).body.status).toBe('socket-disconnected'), 3_000);
    await slack.comeBack();
    await eventually(async () => expect((await health(t)).status).toBe(200), 5_000);
    expect(shown(await slack.command('level 3 marketing', { user: BEN }))).toContain('Coordinator');
  });
});

describe('events', () => {
  it('a failed event is not acknowledged, and Slack’s retry is processed', async () => {
    // A probe too rare to act within the test: what /healthz learns here comes from the real write.
    const { t, slack } = await startSocketApp({ probeDatabaseMs: 60_000 });
    await slack.command(`set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`, { user: ADMIN });
    const event = { type: 'user_change', user: { id: BEN, team_id: slack.api.teamId, deleted: true } };
    // The database refuses writes (see WriteProbe): the listener fails.
    t.db.pragma('query_only = ON');
    await expect(slack.event(event, { eventId: 'Ev0SOCKET01' })).rejects.toThrow(/no ack/);
    expect((await health(t)).body).toEqual({ ok: false, status: 'database-unwritable' });
    t.db.pragma('query_only = OFF');
    await t.database?.probe();
    expect((await health(t)).status).toBe(200);
    expect((await t.ctx.stores.teammates.get(slack.api.teamId, BEN))?.status).toBe('active');
    const retry = await slack.event(event, { eventId: 'Ev0SOCKET01', retryAttempt: 1, retryReason: 'timeout' });
    expect(retry.ack.envelope_id).toBe(slack.sent.at(-1)?.envelope_id);
    expect((await t.ctx.stores.teammates.get(slack.api.teamId, BEN))?.status).toBe('left');
  }, 20_000);
});

describe('/healthz and the database', () => {
  it('503 database-unwritable while the database cannot take a write, 200 again after', async () => {
    const { t } = await startSocketApp({ probeDatabaseMs: 100 });
    expect((await health(t)).status).toBe(200);
    // NOTE: query_only makes every write fail with SQLITE_READONLY, as a read-only file would.
    t.db.pragma('query_only = ON');
    await eventually(
      async () => expect((await health(t)).body).toEqual({ ok: false, status: 'database-unwritable' }),
      5_000,
    );
    t.db.pragma('query_only = OFF');
    await eventually(async () => expect((await health(t)).body).toEqual({ ok: true }), 5_000);
  });

  it('in HTTP mode too', async () => {
    const t = await startTestApp({ users: USERS, probeDatabaseMs: 100 });
    cleanup.push(() => t.stop());
    t.db.pragma('query_only = ON');
    await eventually(async () => expect((await health(t)).body.status).toBe('database-unwritable'), 5_000);
    expect((await health(t)).status).toBe(503);
    t.db.pragma('query_only = OFF');
    await eventually(async () => expect((await health(t)).status).toBe(200), 5_000);
  });
});

describe('Socket Mode that cannot go on ends the process (exit 1, naming what to fix)', () => {
  /** Runs `tsx src/main.ts` in Socket Mode against the fakes until it exits. */
  async function runMain(api: FakeSlackApi) {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-socket-'));
    const port = childPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: cleanEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: api.apiUrl,
        PORT: String(port),
        DATABASE_PATH: join(dir, 'career.db'),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return { code, stderr, output };
  }

  async function fakes() {
    const api = await FakeSlackApi.start();
    cleanup.push(() => api.close());
    const slack = await FakeSocketSlack.start();
    cleanup.push(() => slack.close());
    slack.attach(api);
    return { api, slack };
  }

  it('link_disabled', async () => {
    const { api, slack } = await fakes();
    const running = runMain(api);
    await slack.waitForConnection(1, 45_000);
    slack.disconnect('link_disabled', 500);
    const run = await running;
    expect(run.code, run.output).toBe(1);
    expect(run.stderr).toContain('link_disabled');
    expect(run.stderr).toContain('Socket Mode');
    expect(run.stderr).toContain('SLACK_APP_TOKEN');
  }, 60_000);

  it('invalid_auth from apps.connections.open', async () => {
    const { api, slack } = await fakes();
    slack.refuseOpen('invalid_auth');
    const run = await runMain(api);
    expect(run.code, run.output).toBe(1);
    expect(run.stderr).toContain('Slack refused SLACK_APP_TOKEN (invalid_auth)');
    expect(run.stderr).not.toContain('xapp-test');
  }, 60_000);
});
