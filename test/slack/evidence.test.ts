import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { CHEN, evidenceFormValues, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 17, "Save and log": Save as evidence on a Slack message (a real signed message_action, the form's
 * view_submission), `/career win` with its picker, and `/career evidence` grouped with its gaps, Edit and Delete.
 * Through the offline Slack, on both engines.
 */

const CHANNEL = 'C0LAUNCH01';
const LAUNCH = 'Ben turned our ideas into shipped projects this quarter <!channel>';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

type View = { callback_id: string; private_metadata: string; blocks: Record<string, unknown>[] };

function openedView(reply: Reply): View | undefined {
  const call = reply.calls.find((c) => c.method === 'views.open' && c.response?.ok === true);
  return call?.args.view as View | undefined;
}

/** The picker of a form or message: its options' values in order, and the one preselected. */
function picker(blocks: Record<string, unknown>[]): { values: string[]; initial: string | undefined } {
  for (const b of blocks) {
    const el = (b.element ?? b.accessory) as
      | { type?: string; options?: { value: string }[]; initial_option?: { value: string } }
      | undefined;
    if (el?.type === 'static_select')
      return { values: (el.options ?? []).map((o) => o.value), initial: el.initial_option?.value };
  }
  return { values: [], initial: undefined };
}

const shownIn = (reply: Reply) => reply.responses.map(visibleText).join('\n');

/** Presses the button with `text` in the list `reply` showed, from that message (its response_url). */
async function press(t: TestApp, list: unknown, text: string, user = BEN): Promise<Reply> {
  const b = buttonsOf(list).find((x) => x.text === text);
  const reply = await t.driver.action({
    user,
    actionId: b?.actionId ?? '',
    value: b?.value,
    responseUrl: t.api.responseUrl(),
  });
  expectWithinSlackLimits(reply);
  return reply;
}

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({ users: USERS_AND_CHEN, admins: [ADMIN], engine, now: '2026-12-04T10:00:00.000Z' });
    apps.push(t);
    await runCareer(t, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
    return t;
  }

  const log = (t: TestApp, user = BEN) => t.ctx.stores.evidence.all(t.api.teamId, user);

  /** Save as evidence on a message by Chen, then the form submitted with `expectation` and `note`. */
  async function saveMessage(t: TestApp, ts: string, values: { expectation?: string; note?: string } = {}) {
    const opened = await t.driver.messageAction({
      user: BEN,
      channel: CHANNEL,
      message: { ts, text: LAUNCH, user: CHEN },
    });
    expect(opened.status).toBe(200);
    expectWithinSlackLimits(opened);
    const view = openedView(opened) as View;
    const { initial } = picker(view.blocks);
    const submitted = await t.driver.viewSubmission({
      user: BEN,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: evidenceFormValues(values.expectation ?? initial, values.note ?? null),
    });
    expect(submitted.status).toBe(200);
    expectWithinSlackLimits(submitted);
    return { opened, view, submitted };
  }

  describe.skipIf(skip)('Save as evidence', () => {
    it('opens the form with the message quoted and the suggestion preselected; Save keeps it with its permalink and author', async () => {
      const t = await start();
      const { opened, view, submitted } = await saveMessage(t, '1764842400.000100', { note: 'The spring launch' });
      // Asked Slack for the permalink before anything else.
      expect(opened.calls.map((c) => c.method)).toContain('chat.getPermalink');
      const form = visibleText(view);
      expect(form).toContain('Ben turned our ideas into shipped projects');
      // Escaped: quoted, not a real @channel.
      expect(JSON.stringify(view.blocks)).not.toContain('<!channel>');
      const { values, initial } = picker(view.blocks);
      // The next level's (level 3) first, then level 2's, then "No particular one".
      expect(values[0]).toBe('drive-results-without-supervision');
      expect(values.indexOf('ideas-into-shipped-projects')).toBeLessThan(values.indexOf('ship-regularly'));
      expect(values.at(-1)).toBe('-');
      expect(initial).toBe('ideas-into-shipped-projects');

      expect(shownIn(submitted)).toContain('Saved as evidence for');
      expect(shownIn(submitted)).toContain('Translate ideas into projects');
      const [entry, ...more] = await log(t);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        source: 'message',
        authorId: CHEN,
        note: 'The spring launch',
        target: { levelId: 'level-3', expectationId: 'ideas-into-shipped-projects' },
        message: {
          channelId: CHANNEL,
          ts: '1764842400.000100',
          permalink: `https://ripple-sandbox.slack.com/archives/${CHANNEL}/p1764842400000100`,
        },
      });
      expect(entry?.text).toContain('@channel');
      // Nothing reached the channel: the replies are ephemeral.
      expect(submitted.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    });

    it('saving a message kept before edits the first entry and says so', async () => {
      const t = await start();
      await saveMessage(t, '1764842400.000200');
      const again = await saveMessage(t, '1764842400.000200', { expectation: 'ship-regularly', note: 'Again' });
      expect(visibleText(again.view)).toContain('You saved this message on 4 December 2026');
      expect(shownIn(again.submitted)).toContain('You had saved this message already');
      const entries = await log(t);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ note: 'Again', target: { expectationId: 'ship-regularly' } });
    });

    it('works from an Enterprise Grid workspace (enterprise set, org-wide install)', async () => {
      const t = await start();
      for (const orgWide of [false, true]) {
        const opened = await t.driver.messageAction({
          user: BEN,
          channel: CHANNEL,
          message: { ts: orgWide ? '1764842400.000302' : '1764842400.000301', text: LAUNCH, user: CHEN },
          enterprise: { id: 'E0RIPPLE01', orgWide },
        });
        expect(opened.status).toBe(200);
        expect(openedView(opened)?.callback_id).toBe('evidence_save');
      }
    });

    it('a bot’s message is kept with no author, shown as "a bot"', async () => {
      const t = await start();
      const opened = await t.driver.messageAction({
        user: BEN,
        channel: CHANNEL,
        message: {
          ts: '1764842400.000400',
          text: 'Deploy finished: ship it',
          bot_id: 'B0DEPLOY01',
          subtype: 'bot_message',
        },
      });
      const view = openedView(opened) as View;
      expect(visibleText(view)).toContain('From a bot');
      await t.driver.viewSubmission({
        user: BEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {},
      });
      const [entry] = await log(t);
      expect(entry).toMatchObject({ authorId: null, target: null, source: 'message' });
      const list = await runCareer(t, BEN, 'evidence');
      expect(list.shown).toContain('|a message> from a bot');
    });

    it.each([
      ['channel_not_found', 'a channel Ripple is not in'],
      ['not_in_channel', 'a channel Ripple was removed from'],
    ])('getPermalink answering %s (%s): a clear reply where they acted, no form, nothing saved', async (error) => {
      const t = await start();
      t.api.failNext('chat.getPermalink', { error });
      const opened = await t.driver.messageAction({
        user: BEN,
        channel: 'C0SECRET01',
        message: { ts: '1764842400.000500', text: LAUNCH, user: CHEN },
      });
      expect(shownIn(opened)).toContain("Ripple can't see it");
      expect(shownIn(opened)).toContain('Nothing was saved');
      expect(openedView(opened)).toBeUndefined();
      expect(await log(t)).toEqual([]);
    });

    it('a payload without a message (one the person cannot see): a clear reply, nothing saved', async () => {
      const t = await start();
      const opened = await t.driver.messageAction({ user: BEN, channel: CHANNEL, message: null });
      expect(shownIn(opened)).toContain("Ripple can't see it");
      expect(openedView(opened)).toBeUndefined();
      expect(await log(t)).toEqual([]);
    });

    it('someone with no record gets the one no-record message, and no form', async () => {
      const t = await start();
      const opened = await t.driver.messageAction({
        user: CHEN,
        channel: CHANNEL,
        message: { ts: '1764842400.000600', text: LAUNCH, user: BEN },
      });
      expect(shownIn(opened)).toContain("You don't have a career record yet");
      expect(buttonsOf(opened.responses[0]).map((b) => b.text)).toContain('Ask for a record');
      expect(openedView(opened)).toBeUndefined();
    });
  });

  describe.skipIf(skip)('no record, and failures', () => {
    it('someone with no record gets the no-record message from /career win and /career evidence, nothing saved', async () => {
      const t = await start();
      for (const text of ['win Shipped it', 'evidence'])
        expect((await runCareer(t, CHEN, text)).shown).toContain("You don't have a career record yet");
      expect(await log(t, CHEN)).toEqual([]);
    });

    it('a failure while opening the form is said where they acted, with a reference, never a stack trace', async () => {
      const t = await start();
      t.ctx.stores.evidence.byMessage = async () => {
        throw new Error('disk on fire');
      };
      const opened = await t.driver.messageAction({
        user: BEN,
        channel: CHANNEL,
        message: { ts: '1764842400.000900', text: LAUNCH, user: CHEN },
      });
      expect(shownIn(opened)).toContain("Something went wrong on Ripple's side");
      expect(shownIn(opened)).not.toContain('disk on fire');
      expect(openedView(opened)).toBeUndefined();
      expect(t.errors).toHaveLength(1);
      t.errors.length = 0;
    });
  });

  describe.skipIf(skip)('/career win', () => {
    it('saves the line under the suggested expectation, and the picker after it moves it', async () => {
      const t = await start();
      const win = await runCareer(t, BEN, 'win Ran the <@U0CHEN0001|chen> workshop & shipped regularly with guidance');
      expect(win.shown).toContain('Saved your win');
      expect(win.shown).toContain('Ran the @chen workshop & shipped regularly with guidance');
      const reply = win.reply.responses[0] as { blocks: Record<string, unknown>[] };
      const { initial, values } = picker(reply.blocks);
      expect(initial).toBe('ship-regularly');
      const [entry] = await log(t);
      expect(entry).toMatchObject({ source: 'win', target: { levelId: 'level-2', expectationId: 'ship-regularly' } });

      const select = reply.blocks.find((b) => b.accessory) as { block_id: string };
      const moved = await t.driver.action({
        user: BEN,
        actionId: 'evidence_target',
        blockId: select.block_id,
        responseUrl: t.api.responseUrl(),
        selectedOption: { text: { type: 'plain_text', text: 'x' }, value: 'guide-others-in-area' },
      });
      expectWithinSlackLimits(moved);
      expect(values).toContain('guide-others-in-area');
      expect(shownIn(moved)).toContain('Moved your win to');
      expect(shownIn(moved)).toContain('Give guidance to others');
      expect((await log(t))[0]?.target).toEqual({ levelId: 'level-3', expectationId: 'guide-others-in-area' });
    });

    it.each([
      ['win', 'Say what you did after'],
      [`win ${'x'.repeat(401)}`, 'That win is too long'],
    ])('"%s…": a helpful reply, nothing saved', async (text, said) => {
      const t = await start();
      const reply = await runCareer(t, BEN, text);
      expect(reply.shown).toContain(said);
      expect(await log(t)).toEqual([]);
    });

    it('a win longer than 30 words is kept (a sentence, not a command of words)', async () => {
      const t = await start();
      const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      expect((await runCareer(t, BEN, `win ${words}`)).shown).toContain('Saved your win');
      expect(await log(t)).toHaveLength(1);
    });
  });

  describe.skipIf(skip)('/career evidence', () => {
    it('lists the log grouped by expectation (the next level first), with the gaps and Ask for an example', async () => {
      const t = await start();
      await saveMessage(t, '1764842400.000700');
      t.clock.advanceDays(1);
      await runCareer(t, BEN, 'win Shipped regularly with guidance from Maya');
      await runCareer(t, BEN, 'win Baked a cake');
      const { shown, reply } = await runCareer(t, BEN, 'evidence');
      const list = reply.responses[0];
      expect(shown).toContain('3 kept in all');
      // Groups in the order of the choices: level 3's before level 2's; the rest under Other.
      expect(shown.indexOf('Translate ideas into projects')).toBeLessThan(shown.indexOf('Ship regularly'));
      expect(shown).toContain('/p1764842400000700|a message> from <@U0CHEN0001>');
      expect(shown).toContain('your win');
      expect(shown).toContain('Other');
      expect(shown).toContain('Baked a cake');
      expect(shown).toContain('Nothing yet for:');
      expect(shown).toContain('Drive results with little or no supervision.');
      const asks = buttonsOf(list).filter((b) => b.actionId.startsWith('evidence_ask_open.'));
      expect(asks.map((b) => b.value)).toContain('level-3:drive-results-without-supervision');
      expect(asks.map((b) => b.value)).toContain('level-3:ideas-into-shipped-projects');
      // 13 expectations: 2 with evidence, 11 gaps, each one Ask button.
      expect(asks).toHaveLength(13);
      expect(buttonsOf(list).filter((b) => b.text === 'Edit')).toHaveLength(3);
      expect(buttonsOf(list).filter((b) => b.text === 'Delete')).toHaveLength(3);
    });

    it('shows at most a page, says how many more and Show older brings the next page', async () => {
      const t = await start();
      for (let i = 0; i < 12; i++) {
        await runCareer(t, BEN, `win Win number ${i}`);
        t.clock.advanceDays(1);
      }
      const before = t.ran.statements;
      const first = await runCareer(t, BEN, 'evidence');
      // The record, the counts and one page: what is shown, not the whole log.
      expect(t.ran.statements - before).toBeLessThanOrEqual(4);
      expect(first.shown).toContain('Win number 11');
      expect(first.shown).not.toContain('Win number 1\n');
      expect(first.shown).toContain('2 more, older.');
      const next = await press(t, first.reply.responses[0], 'Show older');
      const shown = shownIn(next);
      expect(shown).toContain('Win number 1');
      expect(shown).toContain('Win number 0');
      expect(shown).not.toContain('Win number 2');
      expect(shown).not.toContain('more, older');
    });

    it('Edit changes the expectation and note of the person’s own entry', async () => {
      const t = await start();
      await runCareer(t, BEN, 'win Baked a cake');
      const list = await runCareer(t, BEN, 'evidence');
      const edit = buttonsOf(list.reply.responses[0]).find((b) => b.text === 'Edit');
      const url = t.api.responseUrl();
      const opened = await t.driver.action({
        user: BEN,
        actionId: edit?.actionId ?? '',
        value: edit?.value,
        responseUrl: url,
      });
      expectWithinSlackLimits(opened);
      const view = openedView(opened) as View;
      expect(picker(view.blocks).initial).toBe('-');
      const saved = await t.driver.viewSubmission({
        user: BEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: evidenceFormValues('collaborate-with-peers', 'For the team offsite'),
      });
      expect(shownIn(saved)).toContain('Collaborate directly with peers');
      expect((await log(t))[0]).toMatchObject({
        note: 'For the team offsite',
        target: { levelId: 'level-2', expectationId: 'collaborate-with-peers' },
      });
    });

    it('Delete removes the entry and shows the log without it', async () => {
      const t = await start();
      await runCareer(t, BEN, 'win Baked a cake');
      const list = await runCareer(t, BEN, 'evidence');
      const deleted = await press(t, list.reply.responses[0], 'Delete');
      expect(shownIn(deleted)).toContain('Deleted “Baked a cake”');
      expect(shownIn(deleted)).toContain('Nothing kept yet');
      expect(await log(t)).toEqual([]);
    });

    it("another person's entry id in a forged Edit, Delete or picker is refused and nothing changes", async () => {
      const t = await start();
      await runCareer(t, ADMIN, `set <@${MAYA}|maya> marketing 3 since 2025-01-15`);
      await runCareer(t, MAYA, 'win Maya’s own win');
      const [mayas] = await log(t, MAYA);
      const id = String(mayas?.id);
      const forged = [
        { actionId: `evidence_delete.${id}`, value: id },
        { actionId: `evidence_edit_open.${id}`, value: id },
      ];
      for (const f of forged) {
        const reply = await t.driver.action({ user: BEN, ...f, responseUrl: t.api.responseUrl() });
        expect(shownIn(reply)).toContain("That entry isn't in your evidence log");
        expect(openedView(reply)).toBeUndefined();
      }
      const picked = await t.driver.action({
        user: BEN,
        actionId: 'evidence_target',
        blockId: `evidence_target.${id}`,
        responseUrl: t.api.responseUrl(),
        selectedOption: { text: { type: 'plain_text', text: 'x' }, value: 'ship-regularly' },
      });
      expect(shownIn(picked)).toContain("That entry isn't in your evidence log");
      const edited = await t.driver.viewSubmission({
        user: BEN,
        callbackId: 'evidence_edit',
        privateMetadata: JSON.stringify({ i: mayas?.id, r: t.api.responseUrl() }),
        values: {},
      });
      expect(shownIn(edited)).toContain("That entry isn't in your evidence log");
      expect(await log(t, MAYA)).toEqual([mayas]);
    });
  });
});
