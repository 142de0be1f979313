import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

function commandBody(text: string): string {
  return new URLSearchParams({
    token: 'x',
    team_id: t.api.teamId,
    team_domain: 'ripple',
    channel_id: 'C0GENERAL1',
    channel_name: 'general',
    user_id: 'U0ANA00001',
    user_name: 'ana',
    command: '/career',
    text,
    api_app_id: t.api.appId,
    is_enterprise_install: 'false',
    response_url: t.api.responseUrl(),
    trigger_id: t.api.issueTriggerId(),
  }).toString();
}

describe('request verification', () => {
  it('refuses a forged signature with 401 and does nothing', async () => {
    t.api.reset();
    const body = commandBody('level 3 marketing');
    const headers = t.driver.signedHeaders(body, 'application/x-www-form-urlencoded');
    headers['X-Slack-Signature'] = `v0=${'0'.repeat(64)}`;
    const res = await t.driver.raw(body, headers);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('Coordinator');
    await t.slack.activity.idle();
    expect(t.api.calls).toEqual([]);
    expect(t.api.responses).toEqual([]);
  });

  it('refuses a body signed with another secret', async () => {
    const body = commandBody('level 3 marketing');
    const ts = Math.floor(Date.now() / 1000);
    const { createHmac } = await import('node:crypto');
    const forged = `v0=${createHmac('sha256', 'not-the-secret').update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await t.driver.raw(body, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': forged,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed request older than 5 minutes (replay)', async () => {
    t.api.reset();
    const body = commandBody('level 3 marketing');
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await t.driver.raw(body, t.driver.signedHeaders(body, 'application/x-www-form-urlencoded', old));
    expect(res.status).toBe(401);
    await t.slack.activity.idle();
    expect(t.api.calls).toEqual([]);
    expect(t.api.responses).toEqual([]);
  });

  it('refuses a correctly signed request more than 5 minutes in the future', async () => {
    t.api.reset();
    const body = commandBody('level 3 marketing');
    const ahead = Math.floor(Date.now() / 1000) + 6 * 60;
    const res = await t.driver.raw(body, t.driver.signedHeaders(body, 'application/x-www-form-urlencoded', ahead));
    expect(res.status).toBe(401);
    await t.slack.activity.idle();
    expect(t.api.calls).toEqual([]);
    expect(t.api.responses).toEqual([]);
  });

  it("accepts a request a little ahead of our clock (within Slack's five minutes)", async () => {
    const body = commandBody('level 3 marketing');
    const ahead = Math.floor(Date.now() / 1000) + 60;
    const res = await t.driver.raw(body, t.driver.signedHeaders(body, 'application/x-www-form-urlencoded', ahead));
    expect(res.status).toBe(200);
  });

  it('accepts the same request signed now', async () => {
    const body = commandBody('level 3 marketing');
    const res = await t.driver.raw(body, t.driver.signedHeaders(body, 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Coordinator');
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(t.appUrl.replace('/slack/events', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('transport time is real time, whatever the domain clock says', () => {
  // The domain clock (windows, "today") is the app's; Slack signs with real time. A harness that
  // signed with the domain clock failed every request once real time moved past it.
  it.each([
    ['a year back', -365],
    ['ten years forward', 3653],
  ])('answers 200 with the domain clock moved %s', async (_label, days) => {
    const before = t.clock.now().toISOString();
    try {
      t.clock.advanceDays(days);
      const reply = await t.driver.command('level 3 marketing', { user: 'U0ANA00001' });
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.messages)).toContain('Coordinator');
      const home = await t.driver.event({ type: 'app_home_opened', user: 'U0ANA00001', channel: 'D0ANA', tab: 'home' });
      expect(home.status).toBe(200);
    } finally {
      t.clock.set(before);
    }
  });
});

describe('any text at all', () => {
  // Words the grammar knows, mixed with arbitrary text, so the search reaches deep paths too.
  const word = fc.oneof(
    fc.constantFrom(
      'level',
      'titles',
      'compare',
      'help',
      'frameworks',
      'marketing',
      'engineering',
      'happiness',
      'mkt',
      '3',
      'III',
      'L9',
      'zero',
      '99',
      'vs',
      'Staff',
      'Engineer',
      'senior',
      '"Tech Hero"',
      '<!channel>',
      '<@U0ANA00001|ana>',
      '&lt;b&gt;',
      '&amp;',
      'me',
      'who',
      'set',
      'since',
      '2026-13-45',
      'pause',
      'until',
      'forget',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
  const commandText = fc.array(word, { maxLength: 8 }).map((ws) => ws.join(' '));

  it('never fails and every reply fits Slack limits, with no unescaped mention', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const reply = await t.driver.command(text, { user: 'U0ANA00001' });
        expect(reply.status).toBe(200);
        expect(reply.messages.length).toBeGreaterThan(0);
        expectWithinSlackLimits(reply);
        const raw = JSON.stringify(reply.messages);
        expect(raw).not.toMatch(/<!(channel|here|everyone)/);
        expect(raw).not.toContain('Error:');
        expect(raw).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 150 },
    );
    expect(t.errors).toEqual([]);
  });
});
