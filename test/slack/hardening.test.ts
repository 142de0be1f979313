import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { snapshot } from '../support/db.js';

/**
 * Issue "Hard to break": each case here failed on the code before it. Faults are injected the way
 * they happen: a foreign workspace in a signed request, a second connection holding the database
 * lock, the fake Web API answering 500 or invalid_auth, a notification that never finishes.
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const CHEN = 'U0CHEN0001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana', tz: 'Europe/Lisbon' },
  { id: MAYA, name: 'maya', tz: 'Europe/Stockholm' },
  { id: BEN, name: 'ben', tz: 'Europe/London' },
  { id: CHEN, name: 'chen', tz: 'Asia/Singapore' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name}>`;
const FORM = 'application/x-www-form-urlencoded';

const started: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of started.splice(0)) await stop();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp({ users: USERS, admins: [ADMIN], ...options });
  started.push(() => app.stop());

  return app;
}

async function career(app: TestApp, user: string, text: string, team?: string) {
  const reply = await app.driver.command(text, { user, ...(team ? { team } : {}) });
  const shown = [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');
  return { reply, shown };
}

const setBen = (app: TestApp) => career(app, ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);

describe('a foreign workspace is refused', () => {
  it("an admin's set sent with another team id writes nothing and sends nothing", async () => {
    const app = await start();
    const before = snapshot(app.db);
    const { reply } = await career(app, ADMIN, `set ${m(BEN)} engineering 5`, 'T0OTHER001');
    expect(reply.status).toBe(200);
    expect(snapshot(app.db)).toEqual(before);
    expect(reply.calls.filter((c) => c.method !== 'users.info')).toEqual([]);
    expect(reply.responses).toEqual([]);
    // The same admin in this workspace is served.
    expect((await setBen(app)).shown).toContain('Recorded');
  });

  it('an event from an unknown team adds no workspace row and changes no record', async () => {
    const app = await start();
    await setBen(app);
    const before = snapshot(app.db);
    const reply = await app.driver.event(
      { type: 'user_change', user: { id: BEN, deleted: true, tz: 'Asia/Tokyo' } },
      { team: 'T0OTHER001' },
    );
    expect(reply.status).toBe(200);
    expect(snapshot(app.db)).toEqual(before);
  });
});

describe('bodies that are not Slack requests', () => {
  it.each([
    ['payload=null', 'payload=null'],
    ['a payload that is not JSON', 'payload=%7Bnot'],
    ['a duplicated form field', 'command=%2Fcareer&text=me&text=help&user_id=U0BEN00001&team_id=T0RIPPLE01'],
  ])('%s gets 400 and is not processed', async (_label, body) => {
    const app = await start();
    const res = await app.driver.raw(body, app.driver.signedHeaders(body, FORM));
    expect(res.status).toBe(400);
    await app.slack.activity.idle();
    expect(app.api.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'bots.info')).toEqual([]);
  });

  it.each([
    ['JSON that is not an object', 'null'],
    ['an event cut short', '{"type":"event_callback","event":{"type":"user_change"'],
  ])('%s gets 400 and is not processed', async (_label, body) => {
    const app = await start();
    const before = snapshot(app.db);
    const res = await app.driver.raw(body, app.driver.signedHeaders(body, 'application/json'));
    expect(res.status).toBe(400);
    await app.slack.activity.idle();
    expect(app.api.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'bots.info')).toEqual([]);
    expect(snapshot(app.db)).toEqual(before);
  });
});

describe('a locked database', () => {
  async function lockedApp() {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-lock-'));
    const app = await start({ databasePath: join(dir, 'career.db') });
    await setBen(app);
    const other = new Database(join(dir, 'career.db'));
    started.push(async () => {
      other.close();
    });
    return { app, other };
  }

  it('a user_change that cannot be written answers 500, and Slack’s retry is processed', async () => {
    const { app, other } = await lockedApp();
    other.exec('BEGIN EXCLUSIVE');
    const event = { type: 'user_change', user: { id: BEN, deleted: true } };
    const first = await app.driver.event(event, { eventId: 'Ev0LOCKED01' });
    expect(first.status).toBe(500);
    other.exec('COMMIT');
    expect((await app.ctx.stores.teammates.get(app.api.teamId, BEN))?.status).toBe('active');
    const retry = await app.driver.event(event, { eventId: 'Ev0LOCKED01', retryNum: 1, retryReason: 'http_error' });
    expect(retry.status).toBe(200);
    expect((await app.ctx.stores.teammates.get(app.api.teamId, BEN))?.status).toBe('left');
  });

  it('lookups and /healthz are answered while another connection holds the lock', async () => {
    const { app, other } = await lockedApp();
    other.exec('BEGIN EXCLUSIVE');
    try {
      const health = await fetch(app.appUrl.replace('/slack/events', '/healthz'));
      expect(health.status).toBe(200);
      expect((await career(app, CHEN, 'level 3 marketing')).shown).toContain('Coordinator');
      expect((await career(app, BEN, 'me')).shown).toContain('Marketing · Level 2 · Strategist');
    } finally {
      other.exec('COMMIT');
    }
  });

  it('a set that cannot get the lock says nothing was changed, and changes nothing', async () => {
    const { app, other } = await lockedApp();
    const before = snapshot(app.db);
    other.exec('BEGIN EXCLUSIVE');
    let shown: string;
    try {
      shown = (await career(app, ADMIN, `set ${m(BEN)} marketing 3`)).shown;
    } finally {
      other.exec('COMMIT');
    }
    expect(shown).toContain('nothing was changed');
    expect(shown).not.toMatch(/SqliteError|at .*\.ts:\d+/);
    expect(snapshot(app.db)).toEqual(before);
  });
});

describe('the bot token', () => {
  it('a token Slack rejects fails the start with a message naming SLACK_BOT_TOKEN', async () => {
    const app = await start({
      offline: { prepareApi: (api) => api.failNext('auth.test', { error: 'invalid_auth' }), waitUntilReady: false },
    });
    await expect(app.slack.ready()).rejects.toThrow(/SLACK_BOT_TOKEN/);
    const health = await fetch(app.appUrl.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(503);
    const reply = await app.driver.command('help', { user: BEN });
    expect(reply.status).toBe(503);
  });

  it('while Slack is unreachable /healthz says 503; when it answers, Ripple recovers without a restart', async () => {
    const app = await start({
      offline: {
        prepareApi: (api) => api.failNext('auth.test', { status: 500 }, 1_000),
        authRetry: { firstDelayMs: 5, maxDelayMs: 20 },
        waitUntilReady: false,
      },
    });
    await app.api.waitForCall('auth.test', { count: 2 });
    expect((await fetch(app.appUrl.replace('/slack/events', '/healthz'))).status).toBe(503);
    expect((await app.driver.command('help', { user: BEN })).status).toBe(503);
    app.api.reset(); // Slack is back
    await app.slack.ready();
    expect((await fetch(app.appUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
    const { reply, shown } = await career(app, BEN, 'level 3 marketing');
    expect(reply.status).toBe(200);
    expect(shown).toContain('Coordinator');
  });

  it('a token revoked while Ripple runs turns /healthz 503, and 200 again once Slack accepts it, with no restart', async () => {
    const app = await start({ offline: { authRetry: { recheckMs: 20 } } });
    const healthz = () => fetch(app.appUrl.replace('/slack/events', '/healthz'));
    expect((await healthz()).status).toBe(200);
    app.api.failNext('auth.test', { error: 'token_revoked' }, 1_000);
    await until(async () => (await healthz()).status === 503);
    expect(await (await healthz()).json()).toMatchObject({ status: 'token-rejected' });
    app.api.reset(); // the admin fixed the app: Slack accepts the token again
    await until(async () => (await healthz()).status === 200);
    const { shown } = await career(app, BEN, 'level 3 marketing');
    expect(shown).toContain('Coordinator');
  });

  it('Slack unreachable while running is not a rejected token', async () => {
    const app = await start({ offline: { authRetry: { recheckMs: 20 } } });
    app.api.failNext('auth.test', { status: 500 }, 1_000);
    await app.api.waitForCall('auth.test', { count: 4 });
    expect((await fetch(app.appUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
  });
});

/** Polls `check` (real time) until it holds; fails after 5 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition did not hold within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A Web API method whose answers wait until `release()`: a Slack call that hangs. */
function holdMethod(app: TestApp, method: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const undo = app.api.on(method, async () => {
    await gate;
    return method === 'conversations.open' ? { channel: { id: `D${BEN}` } } : {};
  });
  return {
    release() {
      undo();
      release();
    },
  };
}

describe('replies never wait on notifications', () => {
  it('set replies while the DM to the teammate is still in flight', async () => {
    const app = await start();
    const held = holdMethod(app, 'conversations.open');
    const pending = setBen(app);
    // The admin's reply arrives while the DM cannot even open its channel.
    for (let i = 0; i < 200 && app.api.responses.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(app.api.responses.map((r) => visibleText(r.body)).join('\n')).toContain('Recorded');
    expect(app.api.calls.some((c) => c.method === 'chat.postMessage')).toBe(false);
    held.release();
    const done = await pending;
    expect(done.reply.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`)).toBe(true);
  });

  it("a manager's who is answered from the database while users.info fails", async () => {
    const app = await start();
    await setBen(app);
    app.api.failNext('users.info', { status: 500 }, 100);
    const { reply, shown } = await career(app, MAYA, `who ${m(BEN)}`);
    expect(visibleText(reply.ack)).toContain('Career record of');
    expect(shown).toContain('Marketing · Level 2 · Strategist');
  });

  it('stop() gives up on a hanging notification after its deadline, dropping it', async () => {
    const app = await startTestApp({ users: USERS, admins: [ADMIN], offline: { stopDeadlineMs: 100 } });
    const held = holdMethod(app, 'conversations.open');
    void app.driver.command(`set ${m(BEN)} marketing 2 since 2026-01-15`, { user: ADMIN });
    for (let i = 0; i < 200 && !app.api.calls.some((c) => c.method === 'conversations.open'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const dropped = await app.slack.stop();
    expect(dropped).toBeGreaterThanOrEqual(1);
    held.release();
    await app.api.close();
    app.db.close();
  });
});

describe('set keeps what it was not told to change', () => {
  it('changing only the manager keeps the since date (the window does not restart)', async () => {
    const app = await start();
    await setBen(app);
    // Another manager is a preview first (issue 8); confirmed, the date stays.
    const preview = await app.driver.command(`set ${m(BEN)} marketing 2 manager ${m(CHEN)}`, { user: ADMIN });
    const [confirm] = buttonsOf(preview.responses[0]);
    const done = await app.driver.action({ user: ADMIN, actionId: confirm?.actionId ?? '', value: confirm?.value });
    const shown = done.responses.map(visibleText).join('\n');
    expect(shown).toContain('since 15 January 2026');
    const record = await app.ctx.stores.teammates.get(app.api.teamId, BEN);
    expect(record?.since).toBe('2026-01-15');
    expect(record?.managerId).toBe(CHEN);
  });

  it('a new level without a date starts today', async () => {
    const app = await start();
    await setBen(app);
    await career(app, ADMIN, `set ${m(BEN)} marketing 3`);
    expect((await app.ctx.stores.teammates.get(app.api.teamId, BEN))?.since).toBe('2026-11-29');
  });
});

describe('notifications Slack did not take are retried by the background job', () => {
  it('the DM to a teammate, lost to an outage, is kept and delivered once Slack is back', async () => {
    const app = await start();
    app.api.failNext('conversations.open', { status: 500 }, 20);
    const set = await setBen(app);
    expect(set.shown).toContain('Recorded');
    expect(set.reply.calls.some((c) => c.method === 'chat.postMessage')).toBe(false);
    // Not due yet: nothing is tried before the first pause is over.
    expect((await deliverPending(app.slack.services.outbox)).sent).toBe(0);
    const kept = (
      app.db.prepare("SELECT COUNT(*) AS n FROM notification_outbox WHERE kind = 'dm'").get() as { n: number }
    ).n;
    expect(kept).toBeGreaterThanOrEqual(1);
    app.api.reset(); // Slack is back
    app.clock.set('2026-11-29T15:02:00Z');
    const report = await deliverPending(app.slack.services.outbox);
    await app.api.whenIdle();
    expect(report).toEqual({ sent: kept, retryLater: 0, gaveUp: 0 });
    const dm = app.api.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`);
    expect(visibleText(dm?.args)).toContain('recorded');
    // Delivered once: the outbox is empty.
    expect((await deliverPending(app.slack.services.outbox)).sent).toBe(0);
  });

  it('gives up after the last retry, and a Home refresh is kept once per person', async () => {
    const app = await start();
    // Slack answers every call with an error (not retried by the client, so the test stays quick).
    app.api.failNext('views.publish', { error: 'internal_error' }, 1_000);
    app.api.failNext('conversations.open', { error: 'internal_error' }, 1_000);
    await setBen(app);
    await app.driver.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' });
    const rows = () =>
      app.db.prepare('SELECT kind, user_id AS userId FROM notification_outbox ORDER BY id').all() as {
        kind: string;
        userId: string;
      }[];
    // Ben's Home refresh failed twice (after set, and on opening the tab): kept once.
    expect(rows().filter((r) => r.kind === 'home' && r.userId === BEN)).toHaveLength(1);
    const kept = rows().length;
    let gaveUp = 0;
    for (let hour = 1; hour <= 12; hour++) {
      app.clock.set(new Date(Date.parse('2026-11-29T15:00:00Z') + hour * 3_600_000).toISOString());
      gaveUp += (await deliverPending(app.slack.services.outbox)).gaveUp;
    }
    expect(gaveUp).toBe(kept);
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM notification_outbox').get()).toEqual({ n: 0 });
  });
});
