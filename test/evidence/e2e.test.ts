import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { clickRating, lastQuestion, opened, type Posted, posted } from '../support/checkin-dm.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { CHEN, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 17's "Done when", end to end through the offline Slack (the real Bolt app, signed message_action,
 * view_submission with state.values and block_actions payloads, a real database on both engines): one story from two
 * messages saved as evidence and a win, through a colleague's example, a check-in that shows each under its own
 * question, the manager's ratings and proposal, the person sending the case on, to the admin's approval, with
 * nothing reaching any channel but the celebration the person chose. And a declined case: no record changes, and
 * its note reaches the manager only. Wording is pinned in the blocks tests; this asserts the facts people see.
 */

const LAUNCHES = 'C0LAUNCH01';
const GROWTH = 'C0GROWTH01';
const NOW = '2026-12-04T10:00:00.000Z';

/** What the story keeps, each meant for one expectation. */
/** Chen's message as Slack sends it (a mention, an @channel), and as Ripple keeps and shows it. */
const CHEN_MESSAGE = `Thanks <@${BEN}> for turning our ideas into a shipped launch site <!channel>`;
const FROM_CHEN = `Thanks <@${BEN}> for turning our ideas into a shipped launch site @channel`;
const FROM_MAYA = 'Ben ran the whole webinar series with no one checking in on him';
const WIN = 'Shipped the partner newsletter every week with guidance';
const EXAMPLE = 'Ben walked two new hires through our campaign tooling';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

type View = Record<string, unknown> & { blocks?: Record<string, unknown>[] };

/** The DMs Ripple posted to `user` in this reply. */
const dmsTo = (reply: Reply, user: string) => posted(reply, `D${user}`);
const shownTo = (reply: Reply) => [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');
const button = (surface: unknown, text: string) => {
  const b = buttonsOf(surface).find((x) => x.text === text);
  expect(b, `a "${text}" button`).toBeDefined();
  return b as NonNullable<typeof b>;
};

/**
 * A form's `state.values` as Slack sends them: every select (and people picker) gets the value `pick` gives for its
 * block (or its preselected option), every text box the text `type` gives.
 */
function fill(
  view: View,
  pick: (blockId: string) => string | undefined,
  type: (blockId: string) => string | null = () => null,
) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input') continue;
    const el = block.element as { type: string; action_id: string; initial_option?: { value: string } };
    const id = String(block.block_id);
    if (el.type === 'users_select') values[id] = { [el.action_id]: { type: el.type, selected_user: pick(id) ?? null } };
    else if (el.type === 'static_select') {
      const value = pick(id) ?? el.initial_option?.value;
      values[id] = {
        [el.action_id]: {
          type: 'static_select',
          selected_option: value ? { text: { type: 'plain_text', text: 'x' }, value } : null,
        },
      };
    } else values[id] = { [el.action_id]: { type: el.type, value: type(id) } };
  }
  return values;
}

/** `user` submits the form `view` as filled. */
async function submit(t: TestApp, user: string, view: View, values: Record<string, Record<string, unknown>>) {
  const reply = await t.driver.viewSubmission({
    user,
    callbackId: String(view.callback_id),
    privateMetadata: String(view.private_metadata),
    values,
  });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  return reply;
}

/** `user` fills the form that `pressed` opened (as {@link fill} does) and submits it. */
async function submitOpened(
  t: TestApp,
  user: string,
  pressed: Reply,
  pick: (blockId: string) => string | undefined,
  type?: (blockId: string) => string | null,
) {
  const [form] = opened(pressed) as View[];
  expect(form, 'a form opened').toBeDefined();
  return await submit(t, user, form as View, fill(form as View, pick, type));
}

/** `user` presses `b` on a message in their DM. */
async function press(t: TestApp, user: string, b: { actionId: string; value?: string | undefined }, ts?: string) {
  const reply = await t.driver.action({
    user,
    actionId: b.actionId,
    value: b.value,
    channel: `D${user}`,
    ...(ts ? { message: { ts } } : {}),
  });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  return reply;
}

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({ users: USERS_AND_CHEN, admins: [ADMIN], engine, now: NOW });
    apps.push(t);
    await runCareer(t, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
    await runCareer(t, ADMIN, `set <@${MAYA}|maya> marketing 4 since 2025-01-15`);
    await runCareer(t, ADMIN, `admin channel <#${GROWTH}|growth>`);
    t.api.reset();
    return t;
  }

  /** Ben uses Save as evidence on a message by `author` and saves it for `expectation`. */
  async function saveMessage(t: TestApp, ts: string, text: string, author: string, expectation: string) {
    const shortcut = await t.driver.messageAction({
      user: BEN,
      channel: LAUNCHES,
      message: { ts, text, user: author },
    });
    expect(shortcut.status).toBe(200);
    const [form] = opened(shortcut) as View[];
    expect(visibleText(form)).toContain(text.slice(0, 30));
    const saved = await submit(
      t,
      BEN,
      form as View,
      fill(form as View, () => expectation),
    );
    expect(shownTo(saved)).toContain('Saved as evidence');
  }

  /** Answers every question from `q` on as Consistently; returns what each question showed and the last reply. */
  async function answerAll(t: TestApp, q: Posted) {
    const asked = [q];
    let last = await clickRating(t, BEN, q, 'consistently');
    for (let next = lastQuestion(last); next; next = lastQuestion(last)) {
      asked.push(next);
      last = await clickRating(t, BEN, next, 'consistently');
    }
    return { asked, last };
  }

  /** Maya proposes Ben with `/career propose`, and Ben sends the case on; returns the admin's DM. */
  async function proposedAndSent(t: TestApp, note: string) {
    const asked = await runCareer(t, MAYA, `propose <@${BEN}|ben>`);
    const proposed = await submitOpened(
      t,
      MAYA,
      asked.reply,
      () => 'level-3',
      () => note,
    );
    const sent = await press(t, BEN, button(dmsTo(proposed, BEN)[0], 'Send it on'));
    return dmsTo(sent, ADMIN)[0];
  }

  describe.skipIf(skip)('evidence all year, to a recorded promotion', () => {
    it('saved messages, a win and a colleague’s example show under their questions, and the case they carry is approved', async () => {
      const t = await start();

      // Two messages saved with the shortcut, and a win.
      await saveMessage(t, '1764842400.000100', CHEN_MESSAGE, CHEN, 'ideas-into-shipped-projects');
      await saveMessage(t, '1764842400.000200', FROM_MAYA, MAYA, 'drive-results-without-supervision');
      const win = await runCareer(t, BEN, `win ${WIN}`);
      expect(win.shown).toContain(WIN);

      // The log shows them, and "Give guidance" among the gaps, with its Ask for an example button.
      const log = await runCareer(t, BEN, 'evidence');
      expect(log.shown).toContain('3 kept in all');
      const ask = buttonsOf(log.reply.responses[0]).find((b) => b.value === 'level-3:guide-others-in-area');
      expect(ask?.actionId).toMatch(/^evidence_ask_open\./);
      expect(log.shown.slice(log.shown.indexOf('Nothing yet for:'))).toContain('Give guidance to others');
      const asked = await submitOpened(t, BEN, await press(t, BEN, ask as NonNullable<typeof ask>), (block) =>
        block === 'ask_colleague' ? CHEN : undefined,
      );
      // Chen answers from his DM; Ben keeps it.
      const request = dmsTo(asked, CHEN)[0];
      expect(visibleText(request)).toContain('Give guidance to others');
      const answered = await submitOpened(
        t,
        CHEN,
        await press(t, CHEN, button(request, 'Write an example')),
        () => undefined,
        () => EXAMPLE,
      );
      const back = dmsTo(answered, BEN)[0];
      expect(visibleText(back)).toContain(EXAMPLE);
      await press(t, BEN, button(back, 'Keep it'));

      // The check-in: each question shows its own evidence, and no other's.
      t.clock.advanceDays(1);
      const begun = await t.driver.command('checkin', { user: BEN });
      const { asked: questions, last } = await answerAll(t, lastQuestion(begun) as Posted);
      expect(questions).toHaveLength(13);
      const under = (expectation: string) => questions.find((q) => q.text.includes(expectation))?.text ?? '';
      const placed: [string, string][] = [
        ['Do you translate ideas into projects', FROM_CHEN],
        ['Do you drive results with little or no supervision', FROM_MAYA],
        ['Do you ship regularly', WIN],
        ['Do you give guidance to others', EXAMPLE],
      ];
      for (const [question, entry] of placed) {
        expect(under(question)).toContain(entry);
        for (const [other, elsewhere] of placed)
          if (other !== question) expect(under(question)).not.toContain(elsewhere);
      }
      // A saved message's mention reads as a name, as in Slack (not as escaped markup); its @channel stays text.
      const translate = JSON.stringify(
        questions.find((q) => q.text.includes('Do you translate ideas into projects'))?.args.blocks,
      );
      expect(translate).toContain(`Thanks <@${BEN}> for turning`);
      expect(translate).not.toContain('<!channel>');
      // Questions with nothing kept show none of it.
      const all = [FROM_CHEN, FROM_MAYA, WIN, EXAMPLE];
      const others = questions.filter((q) => !placed.some(([question]) => q.text.includes(question)));
      expect(others).toHaveLength(9);
      for (const q of others) for (const entry of all) expect(q.text).not.toContain(entry);

      // Shared; Maya rates through the form and proposes.
      const summary = dmsTo(last, BEN).at(-1);
      const shared = await press(t, BEN, button(summary, 'Share with my manager'));
      const toMaya = dmsTo(shared, MAYA)[0];
      const rated = await submitOpened(
        t,
        MAYA,
        await press(t, MAYA, button(toMaya, 'Add my ratings')),
        () => 'consistently',
        () => 'A strong year.',
      );
      const offer = dmsTo(rated, MAYA).find((d) => buttonsOf(d).some((b) => b.text === 'Propose a promotion'));
      expect(visibleText(offer)).toContain('100%');
      const proposed = await submitOpened(
        t,
        MAYA,
        await press(t, MAYA, button(offer, 'Propose a promotion')),
        () => 'level-3',
        () => 'Led the launch end to end.',
      );

      // Ben sees the case, with his evidence under the next level's expectations, and sends it on.
      const caseDm = dmsTo(proposed, BEN)[0];
      const theCase = visibleText(caseDm);
      expect(theCase).toContain('Level 3 · Coordinator');
      for (const entry of [FROM_CHEN, FROM_MAYA, EXAMPLE]) expect(theCase).toContain(entry);
      expect(theCase).toContain('Led the launch end to end.');
      expect(JSON.stringify(caseDm)).toContain(`>Thanks <@${BEN}> for turning`);
      const sent = await press(t, BEN, button(caseDm, 'Send it on'));
      const adminDm = dmsTo(sent, ADMIN)[0];
      expect(visibleText(adminDm)).toContain(FROM_CHEN);

      // The admin approves: the record, the person, the manager.
      const approved = await press(t, ADMIN, button(adminDm, 'Approve'));
      expect(shownTo(approved)).toContain('Approved by');
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toMatchObject({
        levelId: 'level-3',
        since: '2026-12-05',
      });
      const me = await runCareer(t, BEN, 'me');
      expect(me.shown).toContain('Coordinator');
      const congrats = dmsTo(approved, BEN)[0];
      expect(visibleText(congrats)).toContain('Congratulations on Coordinator');
      expect(visibleText(dmsTo(approved, MAYA)[0])).toContain('Level 3');

      // Every step in the history: the case's and the level change.
      const history = (await runCareer(t, BEN, 'history')).shown;
      for (const step of [
        `5 December 2026: proposed by <@${MAYA}>`,
        '5 December 2026: you sent it on',
        `5 December 2026: approved by <@${ADMIN}>: your new level counts from 5 December 2026`,
      ])
        expect(history).toContain(step);
      const changes = await t.ctx.stores.teammates.history(t.api.teamId, BEN);
      expect(changes.filter((h) => h.field === 'level').at(-1)).toMatchObject({ to: 'level-3', changedBy: ADMIN });

      // Nothing reached a channel until Ben chose to celebrate; then exactly one post, in the growth channel.
      const toChannels = () =>
        t.api.calls
          .filter((c) => /^chat\.(postMessage|postEphemeral|scheduleMessage)$|^files\./.test(c.method))
          .map((c) => `${c.method} ${String(c.args.channel ?? c.args.channel_id ?? c.args.channels)}`)
          .filter((where) => !where.split(' ')[1]?.startsWith('D'));
      expect(toChannels()).toEqual([]);
      expect(t.api.calls.filter((c) => c.method.startsWith('files.'))).toEqual([]);
      // The replies where people acted were theirs alone (ephemeral), never in the channel.
      for (const r of t.api.responses)
        expect((r.body as { response_type?: string }).response_type).not.toBe('in_channel');
      await press(t, BEN, button(congrats, 'Celebrate in the growth channel'));
      expect(toChannels()).toEqual([`chat.postMessage ${GROWTH}`]);
      expect(t.errors).toEqual([]);
    });

    it('a declined case changes no record, and its note reaches the manager only', async () => {
      const t = await start();
      const note = 'One more cycle on the budget work first';
      const adminDm = await proposedAndSent(t, 'Ready, in my view.');
      const teammates = async () => {
        const s = await engineSnapshot(t.engine);
        return { teammates: s.teammates, history: s.teammate_history };
      };
      const before = await teammates();
      expect(before.teammates?.length).toBeGreaterThan(0);
      const declined = await submitOpened(
        t,
        ADMIN,
        await press(t, ADMIN, button(adminDm, 'Decline with a note')),
        () => undefined,
        () => note,
      );
      expect(await teammates()).toEqual(before);
      expect(visibleText(dmsTo(declined, MAYA)[0])).toContain(note);
      // Of everything Slack saw, only Maya's DM carries the note.
      const carrying = [
        ...t.api.calls.filter((c) => JSON.stringify(c.args).includes(note)).map((c) => `${c.method} ${c.args.channel}`),
        ...t.api.responses.filter((r) => JSON.stringify(r.body).includes(note)).map((r) => r.url),
      ];
      expect(carrying).toEqual([`chat.postMessage D${MAYA}`]);
      expect(dmsTo(declined, BEN)).toEqual([]);
      expect((await runCareer(t, BEN, 'history')).shown).not.toContain(note);
      expect(t.errors).toEqual([]);
    });
  });
});
