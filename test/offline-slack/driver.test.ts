import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Reply, SlackDriver } from '../../src/offline-slack/driver.js';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { trackListeners } from '../../src/slack/activity.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const SIGNING_SECRET = 'fake-signing-secret';
const FORM = 'application/x-www-form-urlencoded';

interface Harness {
  api: FakeSlackApi;
  app: App;
  driver: SlackDriver;
  /** What the listeners saw, in order. */
  seen: string[];
  errors: unknown[];
}

let h: Harness;

/** A minimal real Bolt app: the shape Ripple's listeners take, small enough to read in one go. */
async function startHarness(clientOptions: webApi.WebClientOptions = {}): Promise<Harness> {
  const api = await FakeSlackApi.start();
  api.addUser({ id: 'U0ALICE01', name: 'alice', real_name: 'Alice Doe' });
  const app = new App({
    token: 'xoxb-test',
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl: api.apiUrl, ...clientOptions },
    logLevel: LogLevel.ERROR,
  });
  const seen: string[] = [];
  const errors: unknown[] = [];
  app.error(async (error) => {
    errors.push(error);
  });

  app.command('/career', async ({ ack, respond, client, command }) => {
    seen.push(`command:${command.text}`);
    await ack({
      response_type: 'ephemeral',
      text: `Working on "${command.text}"`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Working on _${command.text}_` } }],
    });
    // Work after ack, as a slow listener would do it.
    await new Promise((resolve) => setTimeout(resolve, 30));
    await respond({ response_type: 'ephemeral', replace_original: false, text: 'Done.' });
    await client.chat.postMessage({
      channel: command.user_id,
      text: 'Your path',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Your path' } },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'pick', text: { type: 'plain_text', text: 'Pick' }, value: 'L2' }],
        },
      ],
    });
  });

  app.action('pick', async ({ ack, respond, body, action }) => {
    await ack();
    seen.push(`action:${body.user.id}:${action.type === 'button' ? action.value : ''}`);
    await respond({ replace_original: true, text: 'Picked.' });
  });

  // A message shortcut, routed by Bolt's own matching: the payload is Slack's `message_action`.
  app.shortcut({ callback_id: 'save_evidence', type: 'message_action' }, async ({ ack, respond, shortcut, client }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const link = await client.chat.getPermalink({ channel: shortcut.channel.id, message_ts: shortcut.message.ts });
    seen.push(`shortcut:${shortcut.user.id}:${shortcut.message.user}:${shortcut.enterprise?.id ?? '-'}`);
    await respond({ response_type: 'ephemeral', text: String(link.permalink) });
  });

  app.event('app_home_opened', async ({ event, client, context }) => {
    seen.push(`home:${event.user}:retry=${context.retryNum ?? '-'}:${context.retryReason ?? '-'}`);
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }] },
    });
  });

  const tracker = trackListeners(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  const driver = new SlackDriver({
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    idle: tracker.idle,
  });
  // Bolt fires auth.test from its constructor without awaiting it; keep it out of the first request's Reply.
  await api.waitForCall('auth.test');
  return { api, app, driver, seen, errors };
}

function methods(reply: Reply): string[] {
  return reply.calls.map((c) => `${c.method}:${c.status}`);
}

afterEach(async () => {
  await h.app.stop();
  await h.api.close();
});

describe('SlackDriver with a real Bolt app', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('Bolt calls auth.test once, at construction, with the bot token', () => {
    expect(h.api.callsTo('auth.test').map((c) => c.token)).toEqual(['xoxb-test']);
  });

  it('collects a signed command’s ack, its respond() and its Web API calls made after ack', async () => {
    const reply = await h.driver.command('goals for L3');

    expect(reply.status).toBe(200);
    expect(reply.ack).toMatchObject({ response_type: 'ephemeral', text: 'Working on "goals for L3"' });
    expect(reply.responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text: 'Done.' }]);
    expect(methods(reply)).toEqual(['chat.postMessage:200']);
    expect(reply.calls[0]?.token).toBe('xoxb-test');
    expect(reply.calls[0]?.args).toMatchObject({ channel: 'U0ALICE01', text: 'Your path' });
    expect(reply.messages).toHaveLength(3);
    expect(h.seen).toEqual(['command:goals for L3']);
    expectWithinSlackLimits(reply);
  });

  it('sends every slash-command field Slack sends', async () => {
    let body: Record<string, unknown> = {};
    h.app.command('/career', async ({ command }) => {
      body = { ...command };
    });
    await h.driver.command('x', { user: 'U0ALICE01', channel: 'C0TEAM', channelName: 'team' });

    expect(Object.keys(body).sort()).toEqual(
      [
        'token',
        'team_id',
        'team_domain',
        'enterprise_id',
        'enterprise_name',
        'channel_id',
        'channel_name',
        'user_id',
        'user_name',
        'command',
        'text',
        'api_app_id',
        'is_enterprise_install',
        'response_url',
        'trigger_id',
      ].sort(),
    );
    expect(body).toMatchObject({ user_name: 'alice', channel_id: 'C0TEAM', team_id: h.api.teamId, command: '/career' });
  });

  it('delivers a block_actions button press with a response_url', async () => {
    const reply = await h.driver.action({ actionId: 'pick', value: 'L2', message: { ts: '1700000000.000100' } });

    expect(reply.status).toBe(200);
    expect(reply.ack).toBeUndefined();
    expect(reply.responses).toEqual([{ replace_original: true, text: 'Picked.' }]);
    expect(h.seen).toEqual(['action:U0ALICE01:L2']);
  });

  it('delivers a signed message_action (a message shortcut) with its message, response_url and trigger_id', async () => {
    const reply = await h.driver.messageAction({
      channel: 'C0LAUNCH01',
      message: { ts: '1700000000.000200', text: 'Shipped', user: 'U0CHEN0001' },
    });
    expect(reply.status).toBe(200);
    expect(h.seen).toEqual(['shortcut:U0ALICE01:U0CHEN0001:-']);
    expect(reply.responses).toEqual([
      { response_type: 'ephemeral', text: 'https://ripple-sandbox.slack.com/archives/C0LAUNCH01/p1700000000000200' },
    ]);
    // Enterprise Grid: `enterprise` set and `team` carrying the org.
    await h.driver.messageAction({
      message: { ts: '1700000000.000300', user: 'U0CHEN0001' },
      enterprise: { id: 'E0ORG' },
    });
    expect(h.seen.at(-1)).toBe('shortcut:U0ALICE01:U0CHEN0001:E0ORG');
  });

  it('acks an event at once with an empty 200 and passes retry headers to the listener', async () => {
    const first = await h.driver.event({
      type: 'app_home_opened',
      user: 'U0ALICE01',
      channel: 'DU0ALICE01',
      tab: 'home',
    });
    const retry = await h.driver.event(
      { type: 'app_home_opened', user: 'U0ALICE01', channel: 'DU0ALICE01', tab: 'home' },
      { eventId: 'Ev1', retryNum: 1, retryReason: 'http_timeout' },
    );

    expect(first).toMatchObject({ status: 200, ack: undefined, responses: [] });
    expect(methods(first)).toEqual(['views.publish:200']);
    expect(first.messages).toEqual([expect.objectContaining({ type: 'home' })]);
    expect(retry.status).toBe(200);
    expect(h.seen).toEqual(['home:U0ALICE01:retry=-:-', 'home:U0ALICE01:retry=1:http_timeout']);
    expectWithinSlackLimits(first);
  });

  it('a forged signature gets 401 and no listener runs', async () => {
    const body = new URLSearchParams({
      command: '/career',
      text: 'x',
      user_id: 'U1',
      team_id: h.api.teamId,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);

    const forged = await h.driver.raw(body, {
      'Content-Type': FORM,
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });
    // Signed for one body, sent with another.
    const tampered = await h.driver.raw(`${body}&trigger_id=evil`, h.driver.signedHeaders(body, FORM, ts));
    await h.api.whenIdle();

    expect([forged.status, tampered.status]).toEqual([401, 401]);
    expect(h.seen).toEqual([]);
    expect(h.api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('a timestamp older than 5 minutes gets 401 and no listener runs', async () => {
    const body = new URLSearchParams({
      command: '/career',
      text: 'x',
      user_id: 'U1',
      team_id: h.api.teamId,
    }).toString();
    const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 1;

    const res = await h.driver.raw(body, h.driver.signedHeaders(body, FORM, stale));

    expect(res.status).toBe(401);
    expect(h.seen).toEqual([]);
  });

  it('a driver whose clock is 6 minutes behind is refused the same way', async () => {
    const lagging = new SlackDriver({
      appUrl: h.driver.appUrl,
      signingSecret: SIGNING_SECRET,
      api: h.api,
      now: () => Date.now() - 6 * 60 * 1000,
    });
    const reply = await lagging.command('x');
    expect(reply.status).toBe(401);
    expect(h.seen).toEqual([]);
  });

  it('a Web API ok:false reaches the app’s error handler and is not collected as a message', async () => {
    h.api.failNext('chat.postMessage', { error: 'channel_not_found' });

    const reply = await h.driver.command('x');

    expect(methods(reply)).toEqual(['chat.postMessage:200']);
    expect(reply.calls[0]?.response).toEqual({ ok: false, error: 'channel_not_found' });
    expect(reply.messages).toHaveLength(2);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
  });

  it('waits for Bolt’s client to retry a 429 after Retry-After before collecting', async () => {
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const reply = await h.driver.command('x');

    expect(methods(reply)).toEqual(['chat.postMessage:429', 'chat.postMessage:200']);
    expect(h.errors).toEqual([]);
  });

  it('serialises requests from one driver', async () => {
    const [a, b] = await Promise.all([h.driver.command('one'), h.driver.command('two')]);
    expect(a.responses).toHaveLength(1);
    expect(b.responses).toHaveLength(1);
    expect(h.seen).toEqual(['command:one', 'command:two']);
  });

  it('another driver sends alongside the first, with event ids of the same series, and each reply says when it was answered', async () => {
    const ids: unknown[] = [];
    h.app.use(async ({ body, next }) => {
      ids.push((body as { event_id?: unknown }).event_id);
      await next();
    });
    const event = { type: 'app_home_opened', user: 'U0ALICE01', channel: 'DU0ALICE01', tab: 'home' };
    const [a, b] = await Promise.all([h.driver.event(event), h.driver.another().event(event)]);
    // The same event id twice would look like a retry of one event.
    expect(new Set(ids).size).toBe(2);
    expect(h.api.callsTo('views.publish')).toHaveLength(2);
    expect(a.answeredInMs).toBeGreaterThanOrEqual(0);
    expect(b.answeredInMs).toBeLessThan(3000);
  });
});

describe('SlackDriver against an app that rejects rate-limited calls', () => {
  beforeEach(async () => {
    h = await startHarness({ rejectRateLimitedCalls: true });
  });

  it('surfaces a 429 as a rate-limited error without retrying', async () => {
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const reply = await h.driver.command('x');

    expect(methods(reply)).toEqual(['chat.postMessage:429']);
    expect(h.errors[0]).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 1 });
  });

  it('surfaces a 500 as an HTTP error once its retries run out', async () => {
    await h.app.stop();
    await h.api.close();
    h = await startHarness({ retryConfig: { retries: 0 } });
    h.api.failNext('chat.postMessage', { status: 500 });

    const reply = await h.driver.command('x');

    expect(methods(reply)).toEqual(['chat.postMessage:500']);
    expect(h.errors[0]).toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
  });
});

describe('SlackDriver', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('signs as Slack does: v0= + HMAC-SHA256 over v0:ts:body', () => {
    // Reference values from Slack's "Verifying requests" guide.
    const driver = new SlackDriver({
      appUrl: 'http://127.0.0.1:1/slack/events',
      signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
      api: h.api,
    });
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(driver.sign(body, 1531420618)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('refuses to talk to anything but the local machine', () => {
    expect(
      () => new SlackDriver({ appUrl: 'https://example.com/slack/events', signingSecret: 's', api: h.api }),
    ).toThrow(/only talks to the local app/);
  });

  it('delivers a view_submission and collects a response_action update view', async () => {
    h.app.view('goal_modal', async ({ ack, view }) => {
      const goal = view.state.values.goal?.text?.value ?? '';
      await ack({
        response_action: 'update',
        view: { type: 'modal', title: { type: 'plain_text', text: 'Saved' }, blocks: [] },
      });
      h.seen.push(`view:${goal}:${view.private_metadata}`);
    });

    const reply = await h.driver.viewSubmission({
      callbackId: 'goal_modal',
      privateMetadata: 'L3',
      values: { goal: { text: { type: 'plain_text_input', value: 'Ship it' } } },
    });

    expect(reply.status).toBe(200);
    expect(reply.messages).toEqual([expect.objectContaining({ type: 'modal' })]);
    expect(h.seen).toEqual(['view:Ship it:L3']);
    expectWithinSlackLimits(reply);
  });

  it('collects a plain-string ack as a text message', async () => {
    h.app.command('/plain', async ({ ack }) => {
      await ack('hello');
    });

    const reply = await h.driver.command('', { command: '/plain' });

    expect(reply.ack).toBe('hello');
    expect(reply.messages).toEqual([{ text: 'hello' }]);
  });

  it('a button in a view carries the view and no response_url', async () => {
    let payload: Record<string, unknown> = {};
    h.app.action('open', async ({ ack, body }) => {
      await ack();
      payload = body as unknown as Record<string, unknown>;
    });

    await h.driver.action({ actionId: 'open', view: { id: 'V1', type: 'home' } });

    expect(payload).toMatchObject({ type: 'block_actions', container: { type: 'view', view_id: 'V1' } });
    expect(payload.response_url).toBeUndefined();
    expect(payload.view).toMatchObject({ id: 'V1', type: 'home' });
  });

  it('expectWithinSlackLimits fails with a readable list of violations', () => {
    const tooLong = { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] };
    expect(() => expectWithinSlackLimits([tooLong])).toThrow(
      /messages\[0\] \(message\) blocks\[0\]\.text\.text: header text is 151 characters \(limit 150\)/,
    );
  });
});
