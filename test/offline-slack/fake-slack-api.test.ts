import { LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dmWith, FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';

const TOKEN = 'xoxb-fake';

let api: FakeSlackApi;

function fakeClient(options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(TOKEN, {
    slackApiUrl: api.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
    ...options,
  });
}

async function postJson(method: string, body: unknown, token = TOKEN): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

beforeEach(async () => {
  api = await FakeSlackApi.start();
});

afterEach(async () => {
  await api.close();
});

describe('FakeSlackApi recording', () => {
  it('listens on 127.0.0.1 and gives an apiUrl ending in /api/', () => {
    expect(api.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records form-encoded WebClient calls with JSON fields parsed and the bearer token', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    await fakeClient().chat.postMessage({ channel: 'C1', text: 'hi', blocks, unfurl_links: false });

    const [call] = api.callsTo('chat.postMessage');
    expect(call?.token).toBe(TOKEN);
    expect(call?.args).toMatchObject({ channel: 'C1', text: 'hi', blocks, unfurl_links: 'false' });
    expect(call?.status).toBe(200);
    expect(call?.response).toMatchObject({ ok: true, channel: 'C1' });
    expect(typeof call?.at).toBe('number');
  });

  it('records JSON bodies', async () => {
    const view = { type: 'home', blocks: [] };
    const res = await postJson('views.publish', { user_id: 'U1', view });

    expect(res.body).toMatchObject({ ok: true, view: { type: 'home', team_id: api.teamId } });
    expect(api.callsTo('views.publish')[0]?.args).toEqual({ user_id: 'U1', view });
  });

  it('answers a call without a token with not_authed', async () => {
    const res = await fetch(`${api.apiUrl}chat.postMessage`, { method: 'POST', body: 'channel=C1&text=x' });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('answers unknown methods with unknown_method', async () => {
    const res = await postJson('chat.sendTelegram', {});
    expect(res).toEqual({ status: 200, body: { ok: false, error: 'unknown_method' } });
  });

  it('reset clears records and pending failures but keeps users', async () => {
    api.addUser({ id: 'U1', name: 'ada' });
    api.failNext('users.info', { error: 'fatal_error' });
    await postJson('auth.test', {});
    api.reset();

    expect(api.calls).toEqual([]);
    expect((await postJson('users.info', { user: 'U1' })).body).toMatchObject({ ok: true, user: { name: 'ada' } });
  });
});

describe('FakeSlackApi default answers', () => {
  it('auth.test reports the configured team and bot', async () => {
    await api.close();
    api = await FakeSlackApi.start({ teamId: 'T9', botUserId: 'U9BOT', botId: 'B9' });
    const res = await fakeClient().auth.test();
    expect(res).toMatchObject({ ok: true, team_id: 'T9', user_id: 'U9BOT', bot_id: 'B9', team: 'Ripple Sandbox' });
    expect(res.url).toBe('https://ripple-sandbox.slack.com/');
  });

  it('chat.postMessage timestamps grow monotonically in Slack format', async () => {
    const client = fakeClient();
    const first = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'b' });

    expect(first.ts).toBe('1700000000.000100');
    expect(second.ts).toBe('1700000000.000200');
    expect(first.message).toMatchObject({ text: 'a', user: api.botUserId, bot_id: api.botId, ts: first.ts });
  });

  it('chat.postMessage to a user id lands in the DM channel', async () => {
    const res = await fakeClient().chat.postMessage({ channel: 'U1', text: 'hi' });
    expect(res.channel).toBe('DU1');
  });

  it('chat.postMessage with neither text nor blocks fails with no_text', async () => {
    await expect(fakeClient().chat.postMessage({ channel: 'C1' } as never)).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it.each([
    ['chat.postEphemeral', { channel: 'C1', user: 'U1', text: 'x' }, { message_ts: '1700000000.000100' }],
    ['chat.update', { channel: 'C1', ts: '1.2', text: 'x' }, { channel: 'C1', ts: '1.2' }],
    ['chat.delete', { channel: 'C1', ts: '1.2' }, { channel: 'C1', ts: '1.2' }],
    ['conversations.open', { users: 'U1' }, { channel: { id: 'DU1' } }],
    ['team.info', {}, { team: { id: 'T0RIPPLE01', domain: 'ripple-sandbox' } }],
    ['views.update', { view_id: 'V1', view: { type: 'modal' } }, { view: { id: 'V1', type: 'modal' } }],
  ])('%s answers ok with realistic fields', async (method, args, expected) => {
    const res = await fakeClient().apiCall(method, args);
    expect(res).toMatchObject({ ok: true, ...expected });
  });

  it('views.open accepts a trigger_id once and not after 3 seconds', async () => {
    let now = 1_000_000;
    await api.close();
    api = await FakeSlackApi.start({ now: () => now });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    const client = fakeClient();
    const trigger = api.issueTriggerId();

    await expect(client.views.open({ trigger_id: trigger, view })).resolves.toMatchObject({ view: { type: 'modal' } });
    await expect(client.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    const late = api.issueTriggerId();
    now += 3001;
    await expect(client.views.open({ trigger_id: late, view })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
  });
});

describe('FakeSlackApi users', () => {
  it('users.info returns a registered user in Slack shape', async () => {
    await api.close();
    api = await FakeSlackApi.start({ now: () => Date.UTC(2024, 0, 15) });
    api.addUser({ id: 'U1', name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com', is_admin: true });

    const res = await fakeClient().users.info({ user: 'U1' });
    expect(res.user).toMatchObject({
      id: 'U1',
      name: 'ada',
      real_name: 'Ada Lovelace',
      tz: 'America/New_York',
      tz_label: 'Eastern Standard Time',
      tz_offset: -18000,
      is_admin: true,
      is_owner: false,
      deleted: false,
      is_bot: false,
      profile: { email: 'ada@example.com', real_name: 'Ada Lovelace', display_name: 'ada' },
    });
  });

  it('computes tz_offset for the fake clock (summer time in July)', async () => {
    await api.close();
    api = await FakeSlackApi.start({ now: () => Date.UTC(2024, 6, 15) });
    api.addUser({ id: 'U1', name: 'ada', tz: 'Asia/Kolkata' });
    api.addUser({ id: 'U2', name: 'bob' });
    const client = fakeClient();

    expect((await client.users.info({ user: 'U1' })).user?.tz_offset).toBe(19800);
    expect((await client.users.info({ user: 'U2' })).user?.tz_offset).toBe(-14400);
  });

  it('users.info fails with user_not_found for an unknown user', async () => {
    await expect(fakeClient().users.info({ user: 'U404' })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: 'user_not_found' },
    });
  });

  it('users.lookupByEmail finds by email, case-insensitively, and not deactivated users', async () => {
    api.addUser({ id: 'U1', name: 'ada', email: 'Ada@Example.com' });
    api.addUser({ id: 'U2', name: 'gone', email: 'gone@example.com', deleted: true });
    const client = fakeClient();

    expect((await client.users.lookupByEmail({ email: 'ada@example.com' })).user?.id).toBe('U1');
    await expect(client.users.lookupByEmail({ email: 'gone@example.com' })).rejects.toMatchObject({
      data: { error: 'users_not_found' },
    });
  });

  it('users.list pages by limit and cursor, as Slack does, and refuses a cursor it never gave', async () => {
    for (let i = 0; i < 5; i++) api.addUser({ id: `U${i}`, name: `u${i}` });
    const client = fakeClient();
    const first = await client.users.list({ limit: 2 });
    expect(first.members?.map((u) => u.id)).toEqual(['U0', 'U1']);
    const second = await client.users.list({ limit: 2, cursor: first.response_metadata?.next_cursor });
    expect(second.members?.map((u) => u.id)).toEqual(['U2', 'U3']);
    const last = await client.users.list({ limit: 2, cursor: second.response_metadata?.next_cursor });
    expect(last.members?.map((u) => u.id)).toEqual(['U4']);
    expect(last.response_metadata?.next_cursor).toBe('');
    expect((await client.users.list({})).members).toHaveLength(5);
    await expect(client.users.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({
      data: { error: 'invalid_cursor' },
    });
  });

  it('updateUser patches a user', async () => {
    api.addUser({ id: 'U1', name: 'ada' });
    api.updateUser('U1', { deleted: true, tz: 'Europe/London' });

    expect(api.getUser('U1')).toEqual({ id: 'U1', name: 'ada', deleted: true, tz: 'Europe/London' });
    expect(() => api.updateUser('U404', { name: 'x' })).toThrow(/no user U404/);
  });
});

describe('FakeSlackApi overrides and failures', () => {
  it('on() replaces an answer until undone', async () => {
    const undo = api.on('chat.postMessage', (args) => ({ channel: args.channel, ts: '42.000000' }));
    const client = fakeClient();

    expect(await client.chat.postMessage({ channel: 'C1', text: 'x' })).toMatchObject({ ok: true, ts: '42.000000' });
    undo();
    expect((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ts).toBe('1700000000.000100');
  });

  it('failNext with an error answers ok:false for the given number of calls, then recovers', async () => {
    api.failNext('users.info', { error: 'account_inactive' }, 2);
    api.addUser({ id: 'U1', name: 'ada' });
    const client = fakeClient();

    for (let i = 0; i < 2; i += 1) {
      await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({
        code: webApi.ErrorCode.PlatformError,
        data: { error: 'account_inactive' },
      });
    }
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('failNext with status 500 answers an HTTP 500', async () => {
    api.failNext('chat.postMessage', { status: 500 });

    await expect(fakeClient().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(api.callsTo('chat.postMessage')[0]?.status).toBe(500);
  });

  it('a 429 with rejectRateLimitedCalls throws a rate-limited error carrying Retry-After', async () => {
    api.failNext('chat.postMessage', { status: 429, retryAfter: 7 });

    await expect(
      fakeClient({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'x' }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('a 429 without rejectRateLimitedCalls is retried after Retry-After', async () => {
    api.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();

    const res = await fakeClient({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } }).chat.postMessage({
      channel: 'C1',
      text: 'x',
    });

    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(api.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(api.callsTo('chat.postMessage')[0]?.response).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('sends the Retry-After header on a 429', async () => {
    api.failNext('auth.test', { status: 429, retryAfter: 30 });
    const res = await fetch(`${api.apiUrl}auth.test`, { method: 'POST', headers: { Authorization: 'Bearer x' } });

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
  });
});

describe('FakeSlackApi response_url', () => {
  it('records JSON posts to a fresh response_url', async () => {
    const url = api.responseUrl();
    expect(url).not.toBe(api.responseUrl());

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'done', replace_original: true }),
    });

    expect(await res.json()).toEqual({ ok: true });
    expect(api.responses).toEqual([
      { url, body: { text: 'done', replace_original: true }, at: expect.any(Number), seq: expect.any(Number) },
    ]);
  });

  it('answers 404 for a response_url it never handed out', async () => {
    const res = await fetch(`${api.origin}/response/999`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(api.responses).toEqual([]);
  });
});

describe('FakeSlackApi idleness', () => {
  it('counts requests in flight and resolves whenIdle once they finish', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    api.on('users.info', async () => {
      await gate;
      return { user: { id: 'U1' } };
    });
    const pending = postJson('users.info', { user: 'U1' });
    while (api.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 1));

    let idle = false;
    const whenIdle = api.whenIdle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.inFlight).toBe(1);
    expect(idle).toBe(false);

    release();
    await whenIdle;
    await pending;
    expect(api.inFlight).toBe(0);
  });
});

describe('FakeSlackApi rate limits and slowness (issue 13)', () => {
  it('rateLimit refuses only the matching calls, with the seconds left, until the window ends', async () => {
    let now = 1_000_000;
    const clocked = await FakeSlackApi.start({ now: () => now });
    try {
      clocked.rateLimit(dmWith('U1'), 10_000);
      const client = new webApi.WebClient(TOKEN, {
        slackApiUrl: clocked.apiUrl,
        logLevel: LogLevel.ERROR,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      await expect(client.chat.postMessage({ channel: 'DU1', text: 'x' })).rejects.toMatchObject({
        code: webApi.ErrorCode.RateLimitedError,
        retryAfter: 10,
      });
      await expect(client.conversations.open({ users: 'U1' })).rejects.toMatchObject({ retryAfter: 10 });
      // Someone else's DM, and other methods, are answered.
      expect((await client.chat.postMessage({ channel: 'DU2', text: 'x' })).ok).toBe(true);
      expect((await client.conversations.open({ users: 'U2' })).ok).toBe(true);
      now += 8_500;
      await expect(client.chat.postMessage({ channel: 'U1', text: 'x' })).rejects.toMatchObject({ retryAfter: 2 });
      now += 1_500;
      expect((await client.chat.postMessage({ channel: 'DU1', text: 'x' })).ok).toBe(true);
    } finally {
      await clocked.close();
    }
  });

  it('rateLimit ends early with its undo, and reset forgets it', async () => {
    const stop = api.rateLimit((c) => c.method === 'views.publish', 60_000);
    expect((await postJson('views.publish', { user_id: 'U1', view: { type: 'home' } })).status).toBe(429);
    stop();
    expect((await postJson('views.publish', { user_id: 'U1', view: { type: 'home' } })).status).toBe(200);
    api.rateLimit(() => true, 60_000);
    api.reset();
    expect((await postJson('auth.test', {})).status).toBe(200);
  });

  it('delay answers the matching calls that much later, and no other', async () => {
    api.delay(300, (c) => c.method === 'users.info');
    let started = Date.now();
    await postJson('auth.test', {});
    expect(Date.now() - started).toBeLessThan(300);
    started = Date.now();
    await postJson('users.info', { user: 'U1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a call delayed forever hangs until the client gives up, and its undo answers those still waiting', async () => {
    const release = api.delay(Number.POSITIVE_INFINITY);
    const client = fakeClient({ timeout: 200 });
    await expect(client.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    await api.whenIdle();
    expect(api.callsTo('auth.test')[0]?.status).toBe(0);

    const waiting = postJson('auth.test', {});
    while (api.callsTo('auth.test').length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect((await waiting).status).toBe(200);
  });

  it('delayResponses holds response_url posts', async () => {
    const url = api.responseUrl();
    api.delayResponses(300);
    const started = Date.now();
    await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"x"}' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(api.responses).toHaveLength(1);
  });
});
