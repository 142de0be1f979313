import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dmWith, FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { backgroundClient, interactiveClientOptions, sharedTimeouts } from '../../src/slack/calls.js';

const TOKEN = 'xoxb-fake';

let api: FakeSlackApi;
beforeEach(async () => {
  api = await FakeSlackApi.start();
});
afterEach(async () => {
  await api.close();
});

const interactive = (timeoutMs = 10_000) =>
  new webApi.WebClient(TOKEN, {
    ...interactiveClientOptions({ apiUrl: api.apiUrl, retries: 2, timeoutMs }),
    logLevel: webApi.LogLevel.ERROR,
  });

describe('the interactive Web API client', () => {
  it('waits out a short rate limit for that call alone: another call goes through meanwhile', async () => {
    api.rateLimit(dmWith('U1'), 1_000);
    const client = interactive();
    const started = Date.now();
    const dm = client.chat.postMessage({ channel: 'DU1', text: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.views.publish({ user_id: 'U2', view: { type: 'home', blocks: [] } });
    const other = Date.now() - started;
    expect((await dm).ok).toBe(true);
    expect(other).toBeLessThan(500);
    expect(api.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('fails at once on a rate limit longer than it waits for, saying how long', async () => {
    api.rateLimit(dmWith('U1'), 10_000);
    const started = Date.now();
    await expect(interactive().chat.postMessage({ channel: 'DU1', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 10,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up on a call that hangs after its timeout, and does not try it again', async () => {
    api.delay(Number.POSITIVE_INFINITY, (c) => c.method === 'views.publish');
    const started = Date.now();
    await expect(
      interactive(300).views.publish({ user_id: 'U2', view: { type: 'home', blocks: [] } }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(api.callsTo('views.publish')).toHaveLength(1);
  });

  it('still retries a quick server error', async () => {
    api.failNext('views.publish', { status: 500 });
    const res = await interactive().views.publish({ user_id: 'U2', view: { type: 'home', blocks: [] } });
    expect(res.ok).toBe(true);
  });
});

describe('the background Web API client', () => {
  it('neither waits for a rate limit nor retries: its job decides', async () => {
    api.rateLimit(dmWith('U1'), 1_000);
    api.failNext('views.publish', { status: 500 });
    const client = backgroundClient({ apiUrl: api.apiUrl, retries: 2, timeoutMs: 10_000 });
    await expect(client.chat.postMessage({ token: TOKEN, channel: 'DU1', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    await expect(
      client.views.publish({ token: TOKEN, user_id: 'U2', view: { type: 'home', blocks: [] } }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError });
    expect(api.calls.map((c) => c.status)).toEqual([429, 500]);
  });
});

describe('the timeout of first attempts', () => {
  it('is one signal for the calls begun in the same tenth of the timeout, and a new one after', () => {
    let now = 1_000;
    const signalFor = sharedTimeouts(10_000, () => now);
    const first = signalFor();
    now += 249;
    expect(signalFor()).toBe(first);
    now += 1;
    const next = signalFor();
    expect(next).not.toBe(first);
    expect(next.aborted).toBe(false);
    // A burst shares one among a few dozen calls at most.
    const burst = Array.from({ length: 100 }, () => signalFor());
    expect(new Set(burst).size).toBe(4);
  });

  it('aborts a call between its timeout and a tenth more, whenever in its slot it began', async () => {
    const signalFor = sharedTimeouts(100);
    const begun = Date.now();
    const signal = signalFor();
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    // NOTE: a lower bound only (timers never fire early); how late a timer fires is the machine's, not Ripple's.
    expect(Date.now() - begun).toBeGreaterThanOrEqual(100);
    expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
  });
});
