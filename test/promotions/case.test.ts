import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { lastingDatabase, startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * The promotion case (issue 17, item 5) through the offline Slack: a rated check-in offers Propose at or above the
 * threshold, the person reads and adds to the case and sends it on, an admin approves (the level is recorded as
 * `/career set` records it) or declines (the note reaches the manager only), and every step is in the history.
 */

const ADMIN = 'U0ADMIN001';
const ANA = 'U0ANA00001'; // an admin with a record of her own, reporting to Maya
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: ANA, name: 'ana' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
];
const ADMINS = [ADMIN, ANA];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;
const NOW = '2026-11-29T15:00:00Z';
const PROMOTIONS = 'G0PROMO001';

let t: TestApp;

const career = (user: string, text: string) => runCareer(t, user, text);

/** chat.postMessage calls Slack took, to one person's DM or anywhere that is not a DM. */
const dms = (reply: Reply, user: string) =>
  reply.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}` && c.response?.ok)
    .map((c) => c.args);
const channelPosts = (reply: Reply) =>
  reply.calls.filter((c) => c.method === 'chat.postMessage' && !String(c.args.channel).startsWith('D'));
const opened = (reply: Reply) =>
  reply.calls
    .filter((c) => c.method === 'views.open')
    .map((c) => (typeof c.args.view === 'string' ? JSON.parse(c.args.view) : c.args.view) as Record<string, unknown>);

async function press(
  user: string,
  button: { actionId: string; value?: string | undefined } | undefined,
  channel?: string,
) {
  expect(button).toBeDefined();
  const reply = await t.driver.action({
    user,
    actionId: button?.actionId ?? '',
    value: button?.value,
    channel: channel ?? `D${user}`,
  });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  return { reply, shown: reply.responses.map(visibleText).join('\n') };
}

/**
 * A check-in of `userId` on the next level's expectations, answered (Consistently) and shared with Maya through the
 * store; Maya's ratings go through the real form. Returns the reply to her ratings.
 */
async function ratedCheckin(userId: string, managerRating: string): Promise<Reply> {
  const framework = t.ctx.catalog.get('marketing');
  const next = framework?.levels.find((l) => l.id === 'level-3');
  const at = t.clock.now().toISOString();
  const { checkins } = t.ctx.stores;
  const c = await checkins.create({
    teamId: t.api.teamId,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    targetLevelId: 'level-3',
    questions: (next?.expectations ?? []).map((e) => ({
      levelId: 'level-3',
      levelNumber: 3,
      levelTitle: 'Coordinator',
      expectationId: e.id,
      text: e.text,
    })),
    at,
  });
  for (;;) {
    const now = await checkins.get(t.api.teamId, c.id);
    if (now?.status !== 'open') break;
    await checkins.apply(t.api.teamId, c.id, { kind: 'answer', version: now.version, rating: 'consistently', at });
  }
  const shared = await t.driver.action({
    user: userId,
    actionId: 'checkin.share',
    value: String(c.id),
    channel: `D${userId}`,
  });
  expect(shared.status).toBe(200);
  const values: Record<string, Record<string, unknown>> = {};
  (next?.expectations ?? []).forEach((_e, i) => {
    values[`q${i}`] = { [`rating-${i}`]: { type: 'static_select', selected_option: { value: managerRating } } };
  });
  return await t.driver.viewSubmission({
    user: MAYA,
    callbackId: 'checkin.ratings',
    privateMetadata: JSON.stringify({ c: c.id }),
    values,
  });
}

const proposeButton = (reply: Reply) =>
  dms(reply, MAYA)
    .flatMap((d) => buttonsOf(d))
    .find((b) => b.text === 'Propose a promotion');

/** Propose's form (opened for the person its metadata names), submitted by `by` for Marketing Level 3 with a note. */
async function submitProposal(by: string, metadata: string, note = 'Led the autumn launch end to end.') {
  return await t.driver.viewSubmission({
    user: by,
    callbackId: 'promotion.propose.form',
    privateMetadata: metadata,
    values: {
      level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } },
      note: { text: { type: 'plain_text_input', value: note } },
    },
  });
}

/** Maya proposes `userId` with `/career propose`; returns the person's DM with the case. */
async function proposeByCommand(userId: string) {
  const asked = await career(MAYA, `propose ${m(userId)}`);
  const [form] = opened(asked.reply);
  expect(form?.callback_id).toBe('promotion.propose.form');
  const submitted = await submitProposal(MAYA, String(form?.private_metadata));
  const [caseDm] = dms(submitted, userId);
  expect(caseDm).toBeDefined();
  return { caseDm, submitted };
}

/** The person sends their case on; returns the reply (the admins' DMs or the channel post are in its calls). */
async function sendOn(userId: string, caseDm: unknown) {
  const send = buttonsOf(caseDm).find((b) => b.text === 'Send it on');
  return await press(userId, send);
}

const recordOf = async (userId: string) => await t.ctx.stores.teammates.get(t.api.teamId, userId);

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    t = await startTestApp({ engine, users: USERS, admins: ADMINS, now: NOW });
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    await career(ADMIN, `set ${m(ANA)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    t.api.reset();
  });
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  describe.skipIf(skip)('Propose a promotion', () => {
    it('is offered under a rated check-in at or above the threshold, not below it; an admin moves the threshold', async () => {
      const below = await ratedCheckin(BEN, 'sometimes'); // 50 % by Maya's ratings
      expect(dms(below, MAYA).length).toBeGreaterThan(0);
      expect(proposeButton(below)).toBeUndefined();

      const notAdmin = await career(MAYA, 'admin promotions threshold 50');
      expect(notAdmin.shown).toContain("You can't do that");
      const moved = await career(ADMIN, 'admin promotions threshold 50');
      expect(moved.shown).toContain('from *50%* readiness');
      const at = await ratedCheckin(BEN, 'sometimes');
      const offer = dms(at, MAYA).find((d) => buttonsOf(d).some((b) => b.text === 'Propose a promotion'));
      expect(visibleText(offer)).toContain(`By your ratings, <@${BEN}> is *50%* ready`);
      expect(t.errors).toEqual([]);
    });

    it('goes to the person first, who adds a note and sends it on; an admin approves: record, history, DMs, no channel post', async () => {
      const framework = t.ctx.catalog.get('marketing');
      const first = framework?.levels.find((l) => l.id === 'level-3')?.expectations[0];
      await t.ctx.stores.evidence.add({
        teamId: t.api.teamId,
        userId: BEN,
        source: 'win',
        text: 'Shipped the partner newsletter on my own',
        frameworkId: 'marketing',
        target: { levelId: 'level-3', expectationId: first?.id ?? '' },
        at: t.clock.now().toISOString(),
      });
      const rated = await ratedCheckin(BEN, 'consistently');
      const propose = await press(MAYA, proposeButton(rated));
      const [form] = opened(propose.reply);
      expect(visibleText(form)).toContain('For which level');
      const proposed = await submitProposal(MAYA, String(form?.private_metadata));
      const before = dms(proposed, BEN);
      // Maya sees her case, but not Ben's evidence: that is his until he sends it on.
      const mayaCopy = visibleText(dms(proposed, MAYA)[0]);
      expect(mayaCopy).toContain(`Proposed. <@${BEN}> has the case in a DM`);
      expect(mayaCopy).not.toContain('Shipped the partner newsletter');

      // The person reads the whole case before it goes, and is told exactly who will see it.
      const [caseDm] = before;
      const seen = visibleText(caseDm);
      expect(seen).toContain(`Promotion case for <@${BEN}>: Marketing · Level 3 · Coordinator`);
      expect(seen).toContain(`Proposed by <@${MAYA}>`);
      expect(seen).toContain(String(first?.text).slice(0, 40));
      expect(seen).toContain(`You: *Consistently* · <@${MAYA}>: *Consistently*`);
      expect(seen).toContain('Shipped the partner newsletter on my own');
      expect(seen).toContain('Led the autumn launch end to end.');
      expect(seen).toContain('10 months at the level');
      expect(seen).toContain(`the Ripple admins: <@${ADMIN}>, <@${ANA}>, with your manager`);
      // Nothing reached an admin yet.
      expect(t.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN}`)).toEqual([]);

      // Their addition: kept on the case, shown in the same message.
      const note = await press(
        BEN,
        buttonsOf(caseDm).find((b) => b.text === 'Add a note'),
      );
      const [noteForm] = opened(note.reply);
      const noted = await t.driver.viewSubmission({
        user: BEN,
        callbackId: 'promotion.note.form',
        privateMetadata: String(noteForm?.private_metadata),
        values: { note: { text: { type: 'plain_text_input', value: 'I also mentored two new hires.' } } },
      });
      const update = noted.calls.find((c) => c.method === 'chat.update');
      expect(visibleText(update?.args)).toContain('I also mentored two new hires.');

      const sent = await sendOn(BEN, caseDm);
      expect(sent.shown).toContain(`Sent to the Ripple admins: <@${ADMIN}>, <@${ANA}>`);
      const [adminDm] = dms(sent.reply, ADMIN);
      expect(visibleText(adminDm)).toContain('I also mentored two new hires.');
      expect(visibleText(adminDm)).toContain('Shipped the partner newsletter on my own');
      expect(dms(sent.reply, ANA)).toHaveLength(1);
      const toMaya = visibleText(dms(sent.reply, MAYA)[0]);
      expect(toMaya).toContain(`<@${BEN}> sent their promotion case on to the Ripple admins`);
      expect(toMaya).toContain('Shipped the partner newsletter on my own');
      // A second Send does nothing.
      expect((await sendOn(BEN, caseDm)).shown).toContain('already sent on');

      const approve = buttonsOf(adminDm).find((b) => b.text === 'Approve');
      const approved = await press(ADMIN, approve);
      expect(approved.shown).toContain(
        `Approved by <@${ADMIN}>: <@${BEN}>'s new level is recorded from 29 November 2026`,
      );
      expect(await recordOf(BEN)).toMatchObject({ levelId: 'level-3', since: '2026-11-29' });
      const [congrats] = dms(approved.reply, BEN);
      expect(visibleText(congrats)).toContain('Congratulations');
      expect(buttonsOf(congrats).map((b) => b.text)).toContain('Celebrate in the growth channel');
      expect(visibleText(dms(approved.reply, MAYA)[0])).toContain(`promoted <@${BEN}> to *Marketing · Level 3`);
      // Nothing reached any channel: the celebration waits for Ben's own press.
      expect(
        t.api.calls.filter((c) => c.method === 'chat.postMessage' && !String(c.args.channel).startsWith('D')),
      ).toEqual([]);

      // The other admin's copy does nothing now.
      const all = await engineSnapshot(t.engine);
      const again = await press(
        ANA,
        buttonsOf(dms(sent.reply, ANA)[0]).find((b) => b.text === 'Approve'),
      );
      expect(again.shown).toContain(`already approved by <@${ADMIN}>`);
      expect(await engineSnapshot(t.engine)).toEqual(all);

      const history = await career(BEN, 'history');
      expect(history.shown).toContain('Promotion case for Marketing · Level 3 · Coordinator');
      expect(history.shown).toContain(`29 November 2026: proposed by <@${MAYA}>`);
      expect(history.shown).toContain('you added a note');
      expect(history.shown).toContain('you sent it on to the Ripple admins');
      expect(history.shown).toContain(`approved by <@${ADMIN}>: your new level counts from 29 November 2026`);
      const levelHistory = await t.ctx.stores.teammates.history(t.api.teamId, BEN);
      expect(levelHistory.filter((h) => h.field === 'level').at(-1)).toMatchObject({ to: 'level-3', changedBy: ADMIN });
      expect(t.errors).toEqual([]);
    });

    it('declined: the record does not change and only the manager gets the note', async () => {
      const { caseDm } = await proposeByCommand(BEN);
      const sent = await sendOn(BEN, caseDm);
      const before = await recordOf(BEN);
      const decline = await press(
        ADMIN,
        buttonsOf(dms(sent.reply, ADMIN)[0]).find((b) => b.text === 'Decline with a note'),
      );
      const [form] = opened(decline.reply);
      expect(visibleText(form)).toContain('Only their manager gets the note');
      const empty = await t.driver.viewSubmission({
        user: ADMIN,
        callbackId: 'promotion.decline.form',
        privateMetadata: String(form?.private_metadata),
        values: { note: { text: { type: 'plain_text_input', value: ' ' } } },
      });
      expect(JSON.stringify(empty.ack)).toContain('errors');
      const declined = await t.driver.viewSubmission({
        user: ADMIN,
        callbackId: 'promotion.decline.form',
        privateMetadata: String(form?.private_metadata),
        values: { note: { text: { type: 'plain_text_input', value: 'Another cycle on the budget work first.' } } },
      });
      expect(await recordOf(BEN)).toEqual(before);
      const toMaya = dms(declined, MAYA);
      expect(toMaya).toHaveLength(1);
      expect(visibleText(toMaya[0])).toContain('Another cycle on the budget work first.');
      expect(visibleText(toMaya[0])).toContain(`Ripple has not told <@${BEN}>`);
      expect(dms(declined, BEN)).toEqual([]);
      expect(channelPosts(declined)).toEqual([]);
      // The note went to Maya's DM and nowhere else.
      const withNote = declined.calls.filter((c) => JSON.stringify(c.args).includes('budget work'));
      expect(withNote.map((c) => `${c.method} ${c.args.channel}`)).toEqual([`chat.postMessage D${MAYA}`]);
      const update = declined.calls.find((c) => c.method === 'chat.update');
      expect(visibleText(update?.args)).toContain(
        `The note went to <@${MAYA}> only; <@${BEN}>'s record did not change.`,
      );
      const history = await career(BEN, 'history');
      expect(history.shown).toContain(`declined by <@${ADMIN}> (their note went to your manager)`);
      expect(history.shown).not.toContain('budget work');
    });

    it('an admin cannot decide their own case, and admins see a case only once it is sent', async () => {
      const { caseDm } = await proposeByCommand(ANA);
      const c = await t.ctx.stores.promotions.open(t.api.teamId, ANA);
      // Not sent yet: Approve by an admin is refused and changes nothing.
      const before = await engineSnapshot(t.engine);
      const early = await press(ADMIN, { actionId: 'promotion.approve', value: String(c?.id) });
      expect(early.shown).toContain("You can't do that with this promotion case");
      expect(await engineSnapshot(t.engine)).toEqual(before);
      // She is an admin too, but her case goes to the others only.
      expect(visibleText(caseDm)).toContain(`the Ripple admins: <@${ADMIN}>, with your manager`);
      const sent = await sendOn(ANA, caseDm);
      expect(dms(sent.reply, ANA).filter((d) => buttonsOf(d).some((b) => b.text === 'Approve'))).toEqual([]);
      const all = await engineSnapshot(t.engine);
      const own = await press(ANA, { actionId: 'promotion.approve', value: String(c?.id) });
      expect(own.shown).toContain('This case is about you: another admin decides it.');
      const declineOwn = await press(ANA, { actionId: 'promotion.decline', value: String(c?.id) });
      expect(declineOwn.shown).toContain('This case is about you');
      expect(opened(declineOwn.reply)).toEqual([]);
      expect(await engineSnapshot(t.engine)).toEqual(all);
      expect((await recordOf(ANA))?.levelId).toBe('level-2');
    });

    it('goes to the private promotion channel Ripple is in, checked with conversations.info', async () => {
      t.api.on('conversations.info', (args) => ({
        channel: { id: args.channel, is_private: true, is_member: false },
      }));
      const out = await career(ADMIN, `admin promotions <#${PROMOTIONS}|promotions>`);
      expect(out.shown).toContain(`Ripple isn't in <#${PROMOTIONS}>`);
      expect(await t.ctx.stores.promotions.settings(t.api.teamId)).toEqual({ channelId: null, threshold: null });
      t.api.on('conversations.info', (args) => ({ channel: { id: args.channel, is_private: true, is_member: true } }));
      const set = await career(ADMIN, `admin promotions <#${PROMOTIONS}|promotions>`);
      expect(set.shown).toContain(`Promotion cases go to <#${PROMOTIONS}>`);

      const { caseDm } = await proposeByCommand(BEN);
      expect(visibleText(caseDm)).toContain(`everyone in <#${PROMOTIONS}>, the promotion channel, with your manager`);
      const sent = await sendOn(BEN, caseDm);
      const posts = channelPosts(sent.reply);
      expect(posts.map((p) => p.args.channel)).toEqual([PROMOTIONS]);
      expect(buttonsOf(posts[0]?.args).map((b) => b.text)).toEqual([
        'Approve',
        'Approve from another date',
        'Decline with a note',
        'Withdraw',
      ]);
      expect(dms(sent.reply, ADMIN)).toEqual([]);
      const approved = await press(
        ADMIN,
        buttonsOf(posts[0]?.args).find((b) => b.text === 'Approve'),
        PROMOTIONS,
      );
      expect(approved.shown).toContain('Approved by');
      expect((await recordOf(BEN))?.levelId).toBe('level-3');
    });

    it('Approve from another date: the level counts from that day; a future date is refused and changes nothing', async () => {
      const { caseDm } = await proposeByCommand(BEN);
      const sent = await sendOn(BEN, caseDm);
      const pressed = await press(
        ADMIN,
        buttonsOf(dms(sent.reply, ADMIN)[0]).find((b) => b.text === 'Approve from another date'),
      );
      const [form] = opened(pressed.reply);
      const submit = (value: string) =>
        t.driver.viewSubmission({
          user: ADMIN,
          callbackId: 'promotion.approve-from.form',
          privateMetadata: String(form?.private_metadata),
          values: { since: { date: { type: 'plain_text_input', value } } },
        });
      const before = await engineSnapshot(t.engine);
      const future = await submit('2027-01-01');
      expect(visibleText(dms(future, ADMIN)[0])).toContain("A level can't start in the future");
      expect(await engineSnapshot(t.engine)).toEqual(before);
      const done = await submit('1 Nov 2026');
      expect(await recordOf(BEN)).toMatchObject({ levelId: 'level-3', since: '2026-11-01' });
      const update = done.calls.find((c) => c.method === 'chat.update');
      expect(visibleText(update?.args)).toContain(`<@${BEN}>'s new level is recorded from 1 November 2026`);
      expect(visibleText(dms(done, BEN)[0])).toContain('Congratulations');
    });

    it('one open case at a time; only the manager of record or an admin proposes', async () => {
      const refused = await career(BEN, `propose ${m(ANA)}`);
      expect(refused.shown).toContain("You can't do that");
      expect(opened(refused.reply)).toEqual([]);
      await proposeByCommand(BEN);
      const second = await career(MAYA, `propose ${m(BEN)}`);
      expect(second.shown).toContain(`A promotion case for <@${BEN}> is already open (with them to read and send)`);
      expect(opened(second.reply)).toEqual([]);
    });
  });
});

describe.each(engines())('two instances on %s', ({ name: engine, skip }) => {
  it.skipIf(skip)('Approve pressed on two instances at once records the level once', async () => {
    const db = await lastingDatabase(engine);
    const a = await startTestApp({ ...db.options, users: USERS, admins: ADMINS, now: NOW });
    const b = await startTestApp({ ...db.options, users: USERS, admins: ADMINS, now: NOW });
    try {
      t = a;
      await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
      const { caseDm } = await proposeByCommand(BEN);
      await sendOn(BEN, caseDm);
      const c = await a.ctx.stores.promotions.open(a.api.teamId, BEN);
      const click = (app: TestApp, user: string) =>
        app.driver.action({ user, actionId: 'promotion.approve', value: String(c?.id), channel: `D${user}` });
      const [one, two] = await Promise.all([click(a, ADMIN), click(b, ANA)]);
      const shown = [one, two].map((r) => r.responses.map(visibleText).join('\n'));
      expect(shown.filter((s) => s.includes('Approved by'))).toHaveLength(1);
      expect(shown.filter((s) => s.includes('already approved by'))).toHaveLength(1);
      const history = await a.ctx.stores.teammates.history(a.api.teamId, BEN);
      expect(history.filter((h) => h.field === 'level' && h.to === 'level-3')).toHaveLength(1);
      const congratulated = [one, two].flatMap((r) => dms(r, BEN));
      expect(congratulated).toHaveLength(1);
    } finally {
      await a.stop();
      await b.stop();
      await db.remove();
    }
  });
});
