import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { maintenanceDeps, runMaintenance } from '../../src/scheduler/maintenance.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { okCalls, opened, posted, updated } from '../support/checkin-dm.js';
import { runCareer } from '../support/command.js';
import { CHEN, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 17, item 3: "Ask for an example", end to end through the offline Slack (signed block_actions and
 * view_submission payloads, real Bolt app, real database on both engines): the ask, the colleague's DM, their answer,
 * keep or not, decline, expiry, one open ask per colleague and expectation, and what the colleague never sees.
 */

const BOT = 'B0BOTUSER1';
const PEOPLE = [...USERS_AND_CHEN, { id: BOT, name: 'deploybot', is_bot: true }];
const NEXT = 'level-3:ideas-into-shipped-projects';
const NEXT_TEXT = 'Translate ideas into projects and see to it that they ship.';
/** Words about Ben's level and record that Chen must never see. */
const RECORD_WORDS = ['Level', 'Strategist', 'Coordinator', 'Marketing', 'readiness', 'window', 'since', '2026-01-15'];

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

const dmsTo = (reply: Reply, user: string) => posted(reply, `D${user}`);
const shownTo = (reply: Reply) => [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start(options: { databasePath?: string } = {}) {
    const t = await startTestApp({
      users: PEOPLE,
      admins: [ADMIN],
      engine,
      now: '2026-12-04T10:00:00.000Z',
      ...options,
    });
    apps.push(t);
    await runCareer(t, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
    return t;
  }

  /** Ben presses "Ask for an example" on `value` and submits the form asking `colleague`. */
  async function askByForm(t: TestApp, colleague: string, value = NEXT, context?: string) {
    const pressed = await t.driver.action({ user: BEN, actionId: 'evidence_ask_open', value, channel: `D${BEN}` });
    const form = opened(pressed)[0] as Record<string, unknown>;
    expect(form, 'the ask form opened').toBeDefined();
    const submitted = await t.driver.viewSubmission({
      user: BEN,
      callbackId: String(form.callback_id),
      privateMetadata: String(form.private_metadata),
      values: {
        ask_colleague: { user: { type: 'users_select', selected_user: colleague } },
        ask_context: { text: { type: 'plain_text_input', value: context ?? null } },
      },
    });
    expectWithinSlackLimits(pressed);
    expectWithinSlackLimits(submitted);
    return { form, submitted };
  }

  /** The colleague's DM asking for an example, and its buttons. */
  function requestIn(reply: Reply) {
    const dm = dmsTo(reply, CHEN)[0];
    const call = okCalls(reply, 'chat.postMessage').find((c) => c.args.channel === `D${CHEN}`);
    return { dm, ts: String(call?.response?.ts), buttons: buttonsOf(dm) };
  }

  async function answer(t: TestApp, request: ReturnType<typeof requestIn>, text: string, user = CHEN) {
    const write = request.buttons.find((b) => b.text === 'Write an example');
    const pressed = await t.driver.action({
      user,
      actionId: write?.actionId ?? '',
      value: write?.value,
      channel: `D${CHEN}`,
      message: { ts: request.ts },
    });
    const form = opened(pressed)[0] as Record<string, unknown> | undefined;
    if (!form) return { pressed, sent: undefined };
    const sent = await t.driver.viewSubmission({
      user,
      callbackId: String(form.callback_id),
      privateMetadata: String(form.private_metadata),
      values: { ask_answer: { text: { type: 'plain_text_input', value: text } } },
    });
    return { pressed, form, sent };
  }

  const asks = async (t: TestApp) => (await runCareer(t, BEN, 'asks')).shown;
  const maintain = (t: TestApp) => runMaintenance(maintenanceDeps(t.ctx));

  describe.skipIf(skip)('ask a colleague for an example', () => {
    it('asks from the button, the colleague answers, the person keeps it: in the evidence log, by the colleague, for the expectation', async () => {
      const t = await start();
      const { form, submitted } = await askByForm(t, CHEN, NEXT, 'the <!channel> spring launch');
      // The form names the expectation in words, not the level.
      expect(visibleText(form)).toContain(NEXT_TEXT);
      for (const word of ['Level 3', 'Coordinator']) expect(visibleText(form)).not.toContain(word);

      const request = requestIn(submitted);
      const seen = visibleText(request.dm);
      expect(seen).toContain(`<@${BEN}>`);
      expect(seen).toContain(NEXT_TEXT);
      expect(seen).toContain('the <!channel> spring launch');
      expect(request.buttons.map((b) => b.text)).toEqual(['Write an example', 'Not this time']);
      // The colleague never sees the person's level, record or other evidence.
      for (const word of RECORD_WORDS) expect(seen).not.toContain(word);
      expect(visibleText(dmsTo(submitted, BEN)[0])).toContain(`Asked <@${CHEN}> for an example`);

      const { form: answerForm, sent } = await answer(
        t,
        request,
        'Ben turned the launch idea into a shipped campaign.',
      );
      for (const word of RECORD_WORDS) expect(visibleText(answerForm)).not.toContain(word);
      expect(sent).toBeDefined();
      const back = dmsTo(sent as Reply, BEN)[0];
      expect(visibleText(back)).toContain('Ben turned the launch idea into a shipped campaign.');
      expect(visibleText(back)).toContain(`<@${CHEN}> sent you an example`);
      expect(visibleText(updated(sent as Reply)[0])).toContain(`You sent <@${BEN}> an example`);
      // Nothing is in the log until the person keeps it.
      expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toEqual([]);

      const keep = buttonsOf(back).find((b) => b.text === 'Keep it');
      const kept = await t.driver.action({
        user: BEN,
        actionId: keep?.actionId ?? '',
        value: keep?.value,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000500' },
      });
      expect(visibleText(updated(kept)[0])).toContain('Kept in your evidence');
      const log = await t.ctx.stores.evidence.all(t.api.teamId, BEN);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        source: 'colleague',
        text: 'Ben turned the launch idea into a shipped campaign.',
        authorId: CHEN,
        target: { levelId: 'level-3', expectationId: 'ideas-into-shipped-projects' },
      });
      // The ask keeps no text once kept.
      const ask = await t.ctx.stores.evidenceAsks.get(t.api.teamId, Number(keep?.value));
      expect(ask).toMatchObject({ status: 'kept', answer: null });

      // Buttons work once: a second Keep says so and keeps nothing more.
      const again = await t.driver.action({ user: BEN, actionId: keep?.actionId ?? '', value: keep?.value });
      expect(shownTo(again)).toContain('Already kept in your evidence');
      expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toHaveLength(1);
      expect(await asks(t)).toContain('kept in your evidence');
      expect(t.errors).toEqual([]);
    });

    it("Don't keep drops the answer: nothing in the log, the ask keeps no text", async () => {
      const t = await start();
      const { submitted } = await askByForm(t, CHEN);
      const { sent } = await answer(t, requestIn(submitted), 'A sentence.');
      const drop = buttonsOf(dmsTo(sent as Reply, BEN)[0]).find((b) => b.text === 'Don’t keep');
      const dropped = await t.driver.action({ user: BEN, actionId: drop?.actionId ?? '', value: drop?.value });
      expect(visibleText(updated(dropped)[0])).toContain('Not kept');
      expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toEqual([]);
      expect(await t.ctx.stores.evidenceAsks.get(t.api.teamId, Number(drop?.value))).toMatchObject({
        status: 'discarded',
        answer: null,
      });
    });

    it('a decline tells the person nothing: the ask reads as waiting, then "no example came back" like an ignored one', async () => {
      const t = await start();
      const asked = await runCareer(t, BEN, `ask <@${CHEN}|chen> ship regularly`);
      expect(asked.shown).toContain(`Asked <@${CHEN}> for an example`);
      const request = requestIn(asked.reply);
      expect(visibleText(request.dm)).toContain('Ship regularly, with guidance and oversight.');
      const no = request.buttons.find((b) => b.text === 'Not this time');
      const declined = await t.driver.action({
        user: CHEN,
        actionId: no?.actionId ?? '',
        value: no?.value,
        channel: `D${CHEN}`,
        message: { ts: request.ts },
      });
      expect(visibleText(updated(declined)[0])).toContain('No example sent');
      // Nothing reached the person.
      expect(dmsTo(declined, BEN)).toEqual([]);
      expect(await asks(t)).toContain(`asked <@${CHEN}>, waiting for an answer`);
      // Still one open ask to Chen about it, as if ignored.
      expect((await runCareer(t, BEN, `ask <@${CHEN}|chen> ship-regularly`)).shown).toContain(
        `You already asked <@${CHEN}> about this`,
      );
      // A second press of Write an example after declining: closed.
      const late = await answer(t, request, 'too late');
      expect(late.sent).toBeUndefined();
      expect(shownTo(late.pressed)).toContain('no longer open');

      // An ignored ask beside it: after 14 days both read the same, without the colleague's name.
      await runCareer(t, BEN, `ask <@${MAYA}|maya> ship regularly`);
      t.clock.advanceDays(15);
      expect((await maintain(t)).asksClosed).toBe(2);
      const list = await asks(t);
      const lines = list.split('\n').filter((l) => l.startsWith('•'));
      expect(lines.filter((l) => l.includes('no example came back'))).toHaveLength(2);
      expect(list).not.toContain(`<@${CHEN}>`);
      expect(list).not.toContain('declined,');
      // Closed: asking again works.
      expect((await runCareer(t, BEN, `ask <@${CHEN}|chen> ship regularly`)).shown).toContain('Asked');
    });

    it('expiry: an unanswered ask closes after 14 days, then its button says so; closed asks go 30 days later', async () => {
      const t = await start();
      const { submitted } = await askByForm(t, CHEN);
      const request = requestIn(submitted);
      t.clock.advanceDays(13);
      expect((await maintain(t)).asksClosed).toBe(0);
      expect(await asks(t)).toContain('waiting for an answer');
      t.clock.advanceDays(2);
      expect((await maintain(t)).asksClosed).toBe(1);
      expect(await asks(t)).toContain('no example came back');
      const late = await answer(t, request, 'Late answer');
      expect(late.sent).toBeUndefined();
      expect(shownTo(late.pressed)).toContain('no longer open');
      t.clock.advanceDays(29);
      expect((await maintain(t)).asksPruned).toBe(0);
      t.clock.advanceDays(2);
      expect((await maintain(t)).asksPruned).toBe(1);
      expect(await asks(t)).toContain('You have not asked anyone for an example yet');
    });

    it('an answer not kept within 14 days is dropped, and Keep then says the ask has closed', async () => {
      const t = await start();
      const { submitted } = await askByForm(t, CHEN);
      const { sent } = await answer(t, requestIn(submitted), 'An example nobody kept.');
      const keep = buttonsOf(dmsTo(sent as Reply, BEN)[0]).find((b) => b.text === 'Keep it');
      t.clock.advanceDays(15);
      expect((await maintain(t)).asksClosed).toBe(1);
      expect(await t.ctx.stores.evidenceAsks.get(t.api.teamId, Number(keep?.value))).toMatchObject({ answer: null });
      const late = await t.driver.action({ user: BEN, actionId: keep?.actionId ?? '', value: keep?.value });
      expect(shownTo(late)).toContain('already chose not to keep');
      expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toEqual([]);
    });

    it('one open ask per colleague and expectation: a second ask says "you already asked" and sends nothing', async () => {
      const t = await start();
      await askByForm(t, CHEN);
      const { submitted } = await askByForm(t, CHEN);
      expect(dmsTo(submitted, CHEN)).toEqual([]);
      expect(visibleText(dmsTo(submitted, BEN)[0])).toContain(`You already asked <@${CHEN}> about this`);
      // Another expectation, or another colleague, is another ask.
      expect(dmsTo((await askByForm(t, MAYA)).submitted, MAYA)).toHaveLength(1);
      expect(
        dmsTo((await askByForm(t, CHEN, 'level-3:drive-results-without-supervision')).submitted, CHEN),
      ).toHaveLength(1);
    });

    it('refuses asking oneself or a bot in the form, and oneself by command, writing nothing', async () => {
      const t = await start();
      const self = await askByForm(t, BEN);
      expect(self.submitted.ack).toMatchObject({ response_action: 'errors' });
      expect(JSON.stringify(self.submitted.ack)).toContain('Pick someone else');
      const bot = await askByForm(t, BOT);
      expect(JSON.stringify(bot.submitted.ack)).toContain('bot');
      expect(okCalls(bot.submitted, 'chat.postMessage')).toEqual([]);
      expect((await runCareer(t, BEN, `ask <@${BEN}|ben> ship regularly`)).shown).toContain('Pick someone else');
      expect(await t.ctx.stores.evidenceAsks.page(t.api.teamId, BEN, 10)).toEqual([]);
    });

    it('refuses a forged ask id: nobody but the colleague answers, nobody but the person keeps', async () => {
      const t = await start();
      const { submitted } = await askByForm(t, CHEN);
      const request = requestIn(submitted);
      // Maya (Ben's manager) presses Chen's buttons with the real id.
      const forgedAnswer = await answer(t, request, 'Forged', MAYA);
      expect(forgedAnswer.sent).toBeUndefined();
      expect(shownTo(forgedAnswer.pressed)).toContain('That ask is not open to you');
      const no = request.buttons.find((b) => b.text === 'Not this time');
      expect(shownTo(await t.driver.action({ user: MAYA, actionId: no?.actionId ?? '', value: no?.value }))).toContain(
        'not open to you',
      );
      const { sent } = await answer(t, request, 'The real one.');
      const keep = buttonsOf(dmsTo(sent as Reply, BEN)[0]).find((b) => b.text === 'Keep it');
      for (const who of [MAYA, CHEN]) {
        const forged = await t.driver.action({ user: who, actionId: keep?.actionId ?? '', value: keep?.value });
        expect(shownTo(forged)).toContain('That ask is not open to you');
      }
      for (const value of ['999999', 'nonsense', '-1']) {
        const garbage = await t.driver.action({ user: BEN, actionId: 'evidence_ask_keep', value });
        expect(shownTo(garbage)).toContain('not open to you');
      }
      // A forged expectation in the ask button: not one of Ben's framework.
      for (const value of ['staff-engineer:x', 'level-3:not-an-expectation', 'level-3']) {
        const foreign = await t.driver.action({ user: BEN, actionId: 'evidence_ask_open', value });
        expect(opened(foreign)).toEqual([]);
        expect(shownTo(foreign)).toContain('not in your framework');
      }
      // A level further on (a check-in of a level he named) is his to ask about.
      const further = await t.driver.action({
        user: BEN,
        actionId: 'evidence_ask_open',
        value: 'level-4:excellent-judgment',
      });
      expect(opened(further)).toHaveLength(1);
      expect(await t.ctx.stores.evidenceAsks.get(t.api.teamId, Number(keep?.value))).toMatchObject({
        status: 'answered',
      });
      expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toEqual([]);
    });

    it('the colleague’s DM waits in the outbox while Slack fails, and goes once when it is back', async () => {
      const t = await start();
      const down = t.api.on('chat.postMessage', () => ({ ok: false, error: 'fatal_error' }));
      const { submitted } = await askByForm(t, CHEN);
      down();
      expect(dmsTo(submitted, CHEN)).toEqual([]);
      // The ask was kept, with its DM waiting in the outbox.
      expect(await t.ctx.stores.evidenceAsks.page(t.api.teamId, BEN, 10)).toHaveLength(1);
      t.clock.set('2026-12-04T10:02:00.000Z');
      const before = t.api.calls.length;
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(1);
      await t.api.whenIdle();
      const sent = t.api.calls
        .slice(before)
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${CHEN}` && c.response?.ok);
      expect(sent).toHaveLength(1);
      expect(buttonsOf(sent[0]?.args).map((b) => b.text)).toEqual(['Write an example', 'Not this time']);
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(0);
    });

    it('/career forget me deletes the person’s asks with the rest; the colleague’s buttons then change nothing', async () => {
      const t = await start();
      const { submitted } = await askByForm(t, CHEN);
      const request = requestIn(submitted);
      const forget = await runCareer(t, BEN, 'forget me');
      const confirm = buttonsOf(forget.reply.responses[0]).find((b) => b.text === 'Delete my data');
      await t.driver.action({ user: BEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toBeNull();
      expect(await t.ctx.stores.evidenceAsks.page(t.api.teamId, BEN, 10)).toEqual([]);
      const late = await answer(t, request, 'After forget');
      expect(late.sent).toBeUndefined();
      expect(shownTo(late.pressed)).toContain('not open to you');
    });

    it('/career ask finds the expectation by its words or id, and says when none or several match', async () => {
      const t = await start();
      const none = await runCareer(t, BEN, `ask <@${CHEN}|chen> juggling flaming torches`);
      expect(none.shown).toContain('No expectation of your current or next level matches');
      expect(none.shown).toContain('ideas-into-shipped-projects');
      const several = await runCareer(t, BEN, `ask <@${CHEN}|chen> advice`);
      expect(several.shown).toContain('matches 2 expectations');
      expect(okCalls(several.reply, 'chat.postMessage')).toEqual([]);
      const noRecord = await runCareer(t, CHEN, `ask <@${BEN}|ben> ship regularly`);
      expect(noRecord.shown).toContain('You need a career record');
      expect((await runCareer(t, BEN, 'ask')).shown).toContain('/career ask @person');
    });
  });

  describe.skipIf(skip || engine !== 'sqlite')('under a lock', () => {
    it('Keep waits out a short write lock and keeps the example once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ripple-ask-'));
      try {
        const t = await start({ databasePath: join(dir, 'ripple.db') });
        const { submitted } = await askByForm(t, CHEN);
        const { sent } = await answer(t, requestIn(submitted), 'Kept through a lock.');
        const keep = buttonsOf(dmsTo(sent as Reply, BEN)[0]).find((b) => b.text === 'Keep it');
        const other = new Database(join(dir, 'ripple.db'));
        other.exec('BEGIN EXCLUSIVE');
        const released = setTimeout(() => other.exec('COMMIT'), 400);
        const kept = await t.driver.action({ user: BEN, actionId: keep?.actionId ?? '', value: keep?.value });
        clearTimeout(released);
        if (other.inTransaction) other.exec('COMMIT');
        other.close();
        expect(visibleText(updated(kept)[0])).toContain('Kept in your evidence');
        expect(await t.ctx.stores.evidence.all(t.api.teamId, BEN)).toHaveLength(1);
        expect(t.errors).toEqual([]);
      } finally {
        for (const a of apps.splice(0)) await a.stop().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
