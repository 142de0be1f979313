import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { dmWith, type RecordedCall } from '../../src/offline-slack/fake-slack-api.js';
import { CHECKIN_ACTION } from '../../src/slack/blocks/checkins.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';

/**
 * Issue 13, item 7: Slack calls isolated from each other. One person's rate limit, a background job's
 * or a slow or hung Slack never holds up another person's reply or modal, and an event is answered
 * within Slack's 3 seconds whatever the Web API does. Faults are injected in the fake Web API the way
 * Slack shows them: 429 with Retry-After for as long as the limit lasts, answers that take seconds,
 * answers that never come.
 */

const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name}>`;

/** Slack's deadlines, with room for a loaded machine: an event's answer, a trigger_id's life. */
const EVENT_ANSWER_MS = 3_000;
/** Done-when: another person's form opens within about a second. */
const FORM_OPENS_MS = 1_000;

const started: TestApp[] = [];
afterEach(async () => {
  for (const app of started.splice(0)) await app.stop();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp({ users: USERS, admins: [ADMIN], ...options });
  started.push(app);
  return app;
}

async function until(what: string, done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const set = (app: TestApp, who: string, rest = '') =>
  app.driver.command(`set ${m(who)} marketing 2 since 2026-01-15${rest}`, { user: ADMIN });

/** Starts a check-in for `who`; returns the first question's Add evidence button and where it was posted. */
async function openCheckin(app: TestApp, who: string) {
  const begun = await app.driver.command('checkin', { user: who });
  const posted = begun.calls.find(
    (c) => c.method === 'chat.postMessage' && c.response?.ok === true && c.args.channel === `D${who}`,
  );
  const evidence = buttonsOf(posted?.args).find((b) => b.actionId === CHECKIN_ACTION.evidence);
  expect(evidence?.value).toBeDefined();
  return { value: evidence?.value as string, ts: String(posted?.response?.ts), channel: `D${who}` };
}

/** Presses Add evidence as `who` on a driver of its own; resolves with the views.open call and when it was pressed. */
async function pressAddEvidence(app: TestApp, who: string, question: Awaited<ReturnType<typeof openCheckin>>) {
  const pressedAt = Date.now();
  const reply = await app.driver.another().action({
    user: who,
    actionId: CHECKIN_ACTION.evidence,
    value: question.value,
    channel: question.channel,
    message: { ts: question.ts },
  });
  // The last try: a call refused for a short rate limit is sent again.
  const opened = reply.calls.findLast((c) => c.method === 'views.open');
  return { reply, opened, pressedAt };
}

const limited = (app: TestApp, who: string) =>
  app.api.calls.some((c) => c.status === 429 && dmWith(who)(c as RecordedCall));

const okCalls = (reply: Reply, method: string) =>
  reply.calls.filter((c) => c.method === method && c.response?.ok === true);

describe("one person's rate limit never delays another person's modal", () => {
  it("with Ben's DM rate-limited for 10 s, Maya's Add evidence form opens within a second", async () => {
    const app = await start();
    await set(app, MAYA);
    const question = await openCheckin(app, MAYA);

    // Slack refuses everything in Ben's DM for the next 10 s; the admin's set tries to tell him.
    const stopLimit = app.api.rateLimit(dmWith(BEN), 10_000);
    const setBen = set(app, BEN);
    await until("Slack's 429 in Ben's DM", () => limited(app, BEN));

    const { opened, pressedAt } = await pressAddEvidence(app, MAYA, question);
    expect(opened?.response).toMatchObject({ ok: true });
    expect((opened?.at ?? Number.POSITIVE_INFINITY) - pressedAt).toBeLessThan(FORM_OPENS_MS);
    expect(opened?.args.view).toMatchObject({ title: { text: 'Add evidence' } });

    // Ben's DM was not lost: once Slack takes messages for him again, the background job delivers it.
    const done = await setBen;
    expect(done.responses.map(visibleText).join('\n')).toContain('Recorded');
    stopLimit();
    app.clock.set('2026-11-29T15:02:00Z');
    await deliverPending(app.slack.services.outbox);
    await app.api.whenIdle();
    const toBen = app.api.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${BEN}`);
    expect(toBen.map((c) => c.response?.ok)).toContain(true);
  }, 30_000);

  it("a background job meeting Ben's rate limit does not delay Maya's form either", async () => {
    const app = await start();
    await set(app, MAYA);
    const question = await openCheckin(app, MAYA);
    // A DM to Ben that Slack did not take waits in the outbox.
    app.api.failNext('conversations.open', { status: 500 }, 5);
    await set(app, BEN);
    app.api.reset();

    const stopLimit = app.api.rateLimit(dmWith(BEN), 10_000);
    app.clock.set('2026-11-29T15:02:00Z');
    const job = deliverPending(app.slack.services.outbox);
    await until("Slack's 429 in Ben's DM", () => limited(app, BEN));

    const { opened, pressedAt } = await pressAddEvidence(app, MAYA, question);
    expect(opened?.response).toMatchObject({ ok: true });
    expect((opened?.at ?? Number.POSITIVE_INFINITY) - pressedAt).toBeLessThan(FORM_OPENS_MS);
    // The job's refused delivery waits for its next turn.
    expect(await job).toMatchObject({ sent: 0, retryLater: 1 });
    stopLimit();
  }, 30_000);

  it('a short Retry-After on the modal itself is waited out in place, inside the trigger_id’s life', async () => {
    const app = await start();
    await set(app, MAYA);
    const question = await openCheckin(app, MAYA);
    app.api.rateLimit((c) => c.method === 'views.open', 1_000);
    const { opened, pressedAt } = await pressAddEvidence(app, MAYA, question);
    expect(opened?.response).toMatchObject({ ok: true });
    expect((opened?.at ?? Number.POSITIVE_INFINITY) - pressedAt).toBeLessThan(3_000);
  });
});

describe('events are answered within 3 s whatever the Web API does', () => {
  it('with every Web API call taking 8 s, app_home_opened and a DM get their 200 in time; the Home tab and the reply follow', async () => {
    const app = await start();
    await set(app, BEN);
    await app.driver.command('checkin', { user: BEN });
    app.api.delay(8_000);

    const [home, dm] = await Promise.all([
      app.driver.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' }),
      app.driver.another().event({
        type: 'message',
        channel_type: 'im',
        channel: `D${BEN}`,
        user: BEN,
        text: 'Ran the Q3 launch retro with two teams',
        ts: '1764428400.000100',
      }),
    ]);

    expect(home.status).toBe(200);
    expect(home.answeredInMs).toBeLessThan(EVENT_ANSWER_MS);
    expect(dm.status).toBe(200);
    expect(dm.answeredInMs).toBeLessThan(EVENT_ANSWER_MS);
    // Delivered after the answer: Ben sees his card on the Home tab and the acknowledgement in the DM.
    const [tab] = okCalls(home, 'views.publish');
    if (!tab) throw new Error('No Home tab was published');
    expect(tab.args.user_id).toBe(BEN);
    expect(visibleText(tab.args.view)).toContain('Level 2');
    const inDm = app.api.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${BEN}` && c.seq > tab.seq);
    expect(inDm.map((c) => visibleText(c.args))).toEqual([expect.stringContaining('Noted as evidence for question 1')]);
    // Nothing is left waiting: what Slack took is out of the outbox.
    expect(await deliverPending(app.slack.services.outbox)).toEqual({ sent: 0, retryLater: 0, gaveUp: 0 });
  }, 30_000);

  it('a Home tab publish that hangs gives up at the timeout; Ben gets his Home tab once Slack answers again', async () => {
    const app = await start({ offline: { slackTimeoutMs: 500 } });
    await set(app, BEN);
    const release = app.api.delay(Number.POSITIVE_INFINITY, (c) => c.method === 'views.publish');

    const opened = await app.driver.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' });
    expect(opened.status).toBe(200);
    expect(opened.answeredInMs).toBeLessThan(EVENT_ANSWER_MS);
    expect(okCalls(opened, 'views.publish')).toEqual([]);

    release();
    app.clock.set('2026-11-29T15:02:00Z');
    await deliverPending(app.slack.services.outbox);
    await app.api.whenIdle();
    const tabs = app.api.callsTo('views.publish').filter((c) => c.response?.ok === true && c.args.user_id === BEN);
    expect(tabs.length).toBeGreaterThanOrEqual(1);
    expect(visibleText(tabs.at(-1)?.args.view)).toContain('Level 2');
  });

  it('a DM to a teammate whose channel never opens is kept, and delivered once Slack answers', async () => {
    const app = await start({ offline: { slackTimeoutMs: 500 } });
    const release = app.api.delay(Number.POSITIVE_INFINITY, (c) => c.method === 'conversations.open');
    const done = await set(app, BEN);
    expect(done.responses.map(visibleText).join('\n')).toContain('Recorded');
    expect(okCalls(done, 'chat.postMessage')).toEqual([]);

    release();
    app.clock.set('2026-11-29T15:02:00Z');
    await deliverPending(app.slack.services.outbox);
    await app.api.whenIdle();
    const toBen = app.api.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${BEN}`);
    expect(toBen.map((c) => visibleText(c.args)).join('\n')).toContain('recorded');
  });

  it('a file upload step that hangs is given up on: Ben gets his export as messages instead', async () => {
    const app = await start({ offline: { slackTimeoutMs: 500 } });
    await set(app, BEN);
    app.api.delay(Number.POSITIVE_INFINITY, (c) => c.method === 'files.completeUploadExternal');
    const exported = await app.driver.command('export', { user: BEN });
    expect(exported.responses.map(visibleText).join('\n')).toContain("I've sent everything Ripple holds about you");
    const inDm = okCalls(exported, 'chat.postMessage').filter((c) => c.args.channel === `D${BEN}`);
    expect(inDm.map((c) => visibleText(c.args)).join('\n')).toContain('```');
  });

  it('a response_url that never answers is given up on: the work ends, and the next reply gets through', async () => {
    const app = await start({ offline: { slackTimeoutMs: 500 } });
    const release = app.api.delayResponses(Number.POSITIVE_INFINITY);
    const hung = await set(app, BEN);
    expect(hung.status).toBe(200);
    expect((await app.ctx.stores.teammates.get(app.api.teamId, BEN))?.levelId).toBeDefined();
    release();
    const next = await app.driver.command(`who ${m(BEN)}`, { user: ADMIN });
    expect([next.ack, ...next.responses].map(visibleText).join('\n')).toContain('Level 2');
  });
});
