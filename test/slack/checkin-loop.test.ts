import { afterEach, describe, expect, it } from 'vitest';
import { backgroundJobs } from '../../src/jobs.js';
import type { Reply } from '../../src/offline-slack/driver.js';
import { lastingDatabase, startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 16, the check-in's part: evidence seen where it helps (item 2), a manager finding a shared check-in
 * again (item 8), typed ratings and Change (item 11), buttons that follow the action (item 14), privacy said at
 * the start (item 9), readiness in words and questions asked as questions ("also"). Through the offline Slack.
 */

interface Posted {
  value: string;
  ts: string;
  channel: string;
  text: string;
  args: Record<string, unknown>;
}

const ok = (reply: Reply, method: string) =>
  reply.calls.filter((c) => c.method === method && c.response?.ok === true).map((c) => c);

/** The last check-in question Ripple posted in this reply. */
function lastQuestion(reply: Reply): Posted | undefined {
  for (const call of ok(reply, 'chat.postMessage').reverse()) {
    const rate = buttonsOf(call.args).find((b) => b.actionId.startsWith('checkin.rate.'));
    if (rate?.value)
      return {
        value: rate.value,
        ts: String(call.response?.ts),
        channel: String(call.response?.channel ?? call.args.channel),
        text: visibleText(call.args),
        args: call.args,
      };
  }
  return undefined;
}

const posted = (reply: Reply, channel?: string) =>
  ok(reply, 'chat.postMessage')
    .filter((c) => channel === undefined || c.args.channel === channel)
    .map((c) => c.args);
const updated = (reply: Reply) => ok(reply, 'chat.update').map((c) => c.args);
const opened = (reply: Reply) => ok(reply, 'views.open').map((c) => c.args.view as Record<string, unknown>);

let apps: TestApp[] = [];
let removeDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
  await removeDatabase?.();
  removeDatabase = undefined;
});

/** The check-in job as the scheduler runs it (expiry, then the idle nudge), on this instance. */
const checkinJob = (t: TestApp) =>
  backgroundJobs({ ctx: t.ctx, slack: t.slack.services, log: t.slack.app.logger }).checkinExpiry();

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({ users: USERS, admins: [ADMIN], engine, now: '2026-12-04T10:00:00.000Z' });
    apps.push(t);
    await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
    return t;
  }

  const typed = (t: TestApp, text: string, n: number) =>
    t.driver.event({
      type: 'message',
      channel_type: 'im',
      channel: `D${BEN}`,
      user: BEN,
      text,
      ts: `1764842400.0001${String(n).padStart(2, '0')}`,
    });

  const click = (t: TestApp, user: string, p: Posted, rating: string) =>
    t.driver.action({
      user,
      actionId: `checkin.rate.${rating}`,
      value: p.value,
      channel: p.channel,
      message: { ts: p.ts },
    });

  describe.skipIf(skip)('evidence everywhere, and a manager who finds it again', () => {
    it('shows evidence under the answer, in the summary, in View answers, in the ratings form; the manager rates with a note and sees the side by side', async () => {
      const t = await start();
      const begun = await t.driver.command('checkin', { user: BEN });
      // Item 9: said when it starts.
      expect(begun.responses.map(visibleText).join()).toContain('not even that it happened');
      let q = lastQuestion(begun) as Posted;

      // Evidence typed during question 1, then the answer: the answered question shows it.
      expect(
        posted(await typed(t, 'Led the <!channel> spring launch & its retro', 1))
          .map(visibleText)
          .join(),
      ).toContain('Noted as evidence for question 1');
      let last = await click(t, BEN, q, 'consistently');
      expectWithinSlackLimits(last);
      const answered = updated(last)[0];
      expect(visibleText(answered)).toContain('Led the <!channel> spring launch & its retro');
      expect(visibleText(answered)).toContain('Your answer: *Consistently*');
      q = lastQuestion(last) as Posted;

      // Marketing's "Are self-directed …" is asked as a question (question 5 of Level 2).
      for (let i = 1; i < 13; i++) {
        if (i === 4) expect(q.text).toContain('Are you self-directed in your learning process?');
        last = await click(t, BEN, q, i % 2 === 0 ? 'sometimes' : 'consistently');
        q = lastQuestion(last) as Posted;
      }
      const summary = posted(last, `D${BEN}`).at(-1);
      expectWithinSlackLimits(last);
      const summaryText = visibleText(summary);
      expect(summaryText).toContain('Your evidence');
      expect(summaryText).toContain('Led the <!channel> spring launch');
      // Readiness says what it is made of.
      expect(summaryText).toMatch(/Readiness for Level 3:\* \d+%/);
      expect(summaryText).toContain('the 7 expectations of Level 3 you answered');
      // Item 14: no fresh 13-question run from the summary.
      expect(buttonsOf(summary).map((b) => b.text)).toEqual([
        'Share with my manager',
        'View answers',
        'View Level 3',
        'Done',
      ]);
      const id = buttonsOf(summary).find((b) => b.actionId === 'checkin.share')?.value as string;

      // Share becomes who it was shared with, and when.
      const shared = await t.driver.action({
        user: BEN,
        actionId: 'checkin.share',
        value: id,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000900' },
      });
      const afterShare = updated(shared)[0];
      expect(visibleText(afterShare)).toContain(`Shared with <@${MAYA}> on 4 December 2026`);
      expect(buttonsOf(afterShare).map((b) => b.text)).toEqual(['View answers', 'View Level 3', 'Done']);

      // The manager's DM: the evidence, View answers and Add my ratings.
      const toMaya = posted(shared, `D${MAYA}`)[0];
      expect(visibleText(toMaya)).toContain('Led the <!channel> spring launch');
      expect(buttonsOf(toMaya).map((b) => b.text)).toEqual(['Add my ratings', 'View answers']);
      const viewAnswers = await t.driver.action({
        user: MAYA,
        actionId: 'checkin.answers',
        value: id,
        channel: `D${MAYA}`,
      });
      expectWithinSlackLimits(viewAnswers);
      const answers = visibleText(opened(viewAnswers)[0]);
      expect(answers).toContain(`<@${BEN}>: *Consistently*`);
      expect(answers).toContain('Led the <!channel> spring launch & its retro');

      // The ratings form shows Ben's answer and evidence above each select.
      const review = await t.driver.action({
        user: MAYA,
        actionId: 'checkin.review',
        value: id,
        channel: `D${MAYA}`,
        message: { ts: '1764842400.000950' },
      });
      expectWithinSlackLimits(review);
      const form = opened(review)[0] as Record<string, unknown>;
      const formBlocks = form.blocks as { type: string; block_id?: string }[];
      const firstSelect = formBlocks.findIndex((b) => b.block_id === 'q0');
      expect(visibleText(formBlocks[firstSelect - 1])).toContain('Led the <!channel> spring launch');
      expect(visibleText(formBlocks[firstSelect - 1])).toContain(`<@${BEN}>: *Consistently*`);

      const values: Record<string, Record<string, unknown>> = Object.fromEntries(
        Array.from({ length: 13 }, (_, i) => [
          `q${i}`,
          { [`rating-${i}`]: { type: 'static_select', selected_option: { value: 'sometimes' } } },
        ]),
      );
      values.note = { text: { type: 'plain_text_input', value: 'Great launch <!here>; let us talk scope' } };
      const rated = await t.driver.viewSubmission({
        user: MAYA,
        callbackId: 'checkin.ratings',
        privateMetadata: String(form.private_metadata),
        values,
      });
      expectWithinSlackLimits(rated);
      const toBen = visibleText(posted(rated, `D${BEN}`)[0]);
      expect(toBen).toContain('A note from');
      expect(toBen).toContain('Great launch <!here>; let us talk scope');
      expect(toBen).toContain(`You: *Consistently* · <@${MAYA}>: *Sometimes*`);
      // The manager gets the side by side too, and their shared message shows Rated.
      const mayaSide = visibleText(posted(rated, `D${MAYA}`)[0]);
      expect(mayaSide).toContain(`<@${BEN}>: *Consistently* · You: *Sometimes*`);
      const ratedNow = updated(rated)[0];
      expect(ratedNow?.ts).toBe('1764842400.000950');
      expect(visibleText(ratedNow)).toContain('Rated');
      expect(buttonsOf(ratedNow).map((b) => b.text)).toEqual(['View answers']);

      // Item 8: /career team and Home link each report to their latest shared check-in.
      const team = await t.driver.command('team', { user: MAYA });
      const row = buttonsOf(team.responses[0]).find((b) => b.text === 'View check-in');
      expect(row?.value).toBe(BEN);
      const fromTeam = await t.driver.action({ user: MAYA, actionId: row?.actionId ?? '', value: row?.value });
      const again = visibleText(opened(fromTeam)[0]);
      expect(again).toContain('Led the <!channel> spring launch');
      expect(again).toContain(`<@${BEN}>: *Consistently* · You: *Sometimes*`);
      const home = await t.driver.event({ type: 'app_home_opened', user: MAYA, channel: `D${MAYA}`, tab: 'home' });
      const homeView = ok(home, 'views.publish')[0]?.args.view as Record<string, unknown>;
      const homeRow = buttonsOf(homeView).find((b) => b.text === 'View check-in');
      const fromHome = await t.driver.action({
        user: MAYA,
        actionId: homeRow?.actionId ?? '',
        value: homeRow?.value,
        view: { id: 'V0HOME0001', type: 'home', ...homeView },
      });
      expect(visibleText(opened(fromHome)[0])).toContain('Led the <!channel> spring launch');

      // Nobody else sees it: Ben's own id under another manager's name finds nothing shared with them.
      const other = await t.driver.action({ user: ADMIN, actionId: 'checkin.report.0', value: BEN });
      expect(visibleText(opened(other)[0])).toContain('has not shared a check-in with you');
      expect(t.errors).toEqual([]);
    });

    it('a report who has shared nothing: View check-in says so, and Done leaves the summary without its end buttons', async () => {
      const t = await start();
      const team = await t.driver.command('team', { user: MAYA });
      const row = buttonsOf(team.responses[0]).find((b) => b.text === 'View check-in');
      const none = await t.driver.action({ user: MAYA, actionId: row?.actionId ?? '', value: row?.value });
      expect(visibleText(opened(none)[0])).toContain(`<@${BEN}> has not shared a check-in with you yet`);

      let q = lastQuestion(await t.driver.command('checkin', { user: BEN })) as Posted;
      let last: Reply | undefined;
      for (let i = 0; i < 13; i++) {
        last = await click(t, BEN, q, 'skip');
        q = lastQuestion(last) as Posted;
      }
      const summary = posted(last as Reply, `D${BEN}`).at(-1);
      const id = buttonsOf(summary).find((b) => b.text === 'Done')?.value as string;
      const done = await t.driver.action({
        user: BEN,
        actionId: 'checkin.done',
        value: id,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000990' },
      });
      expect(buttonsOf(updated(done)[0]).map((b) => b.text)).toEqual(['Share with my manager', 'View answers']);
    });
  });

  describe.skipIf(skip)('typed ratings, Change, Finish later', () => {
    it('"consistently", "3", "skip" and misspellings answer the question; two at once asks which; a sentence is evidence', async () => {
      const t = await start();
      await t.driver.command('checkin', { user: BEN });
      const answersNow = () =>
        t.engine.sql.all<{ position: number; rating: string }>(
          "SELECT position, rating FROM checkin_answers WHERE rater = 'self' ORDER BY position",
        );
      const words = ['consistently', '3', 'Skip.', 'consistantly', 'somtimes', 'not yet'];
      for (const [n, word] of words.entries()) {
        const reply = await typed(t, word, n);
        const shown = posted(reply).map(visibleText).join('\n');
        expect(shown).not.toContain('Noted as evidence');
        expect(shown).toContain(`${n + 2} of 13`);
        // The answer is echoed with Change, then the next question.
        expect(buttonsOf(posted(reply)[0]).map((b) => b.text)).toEqual(['Change']);
      }
      expect((await answersNow()).map((a) => a.rating)).toEqual([
        'consistently',
        'consistently',
        'skip',
        'consistently',
        'sometimes',
        'not-yet',
      ]);

      // Close to two answers: which was meant, and nothing written.
      const which = await typed(t, 'sometimes consistently', 10);
      const asked = posted(which)[0];
      expect(visibleText(asked)).toContain('Did you mean *Sometimes* or *Consistently*');
      expect(buttonsOf(asked).map((b) => b.text)).toEqual(['Sometimes', 'Consistently']);
      expect(await answersNow()).toHaveLength(6);
      expect(await t.engine.sql.all('SELECT * FROM checkin_evidence')).toEqual([]);
      // Its buttons answer question 7.
      const picked = await t.driver.action({
        user: BEN,
        actionId: 'checkin.rate.sometimes',
        value: buttonsOf(asked)[0]?.value,
        channel: `D${BEN}`,
        message: { ts: String(ok(which, 'chat.postMessage')[0]?.response?.ts) },
      });
      expect(lastQuestion(picked)?.text).toContain('8 of 13');

      // A sentence is still evidence.
      const evidence = await typed(t, 'I rewrote the onboarding guide', 11);
      expect(posted(evidence).map(visibleText).join()).toContain('Noted as evidence for question 8');
      expect(await answersNow()).toHaveLength(7);
      expect(t.errors).toEqual([]);
    });

    it('Change asks an answered question again in place until the summary is shared; Finish later leaves Continue', async () => {
      const t = await start();
      let q = lastQuestion(await t.driver.command('checkin', { user: BEN })) as Posted;
      const first = await click(t, BEN, q, 'not-yet');
      const answered = updated(first)[0];
      const change = buttonsOf(answered).find((b) => b.text === 'Change');
      q = lastQuestion(first) as Posted;

      const pressed = await t.driver.action({
        user: BEN,
        actionId: 'checkin.change',
        value: change?.value,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000500' },
      });
      const reasked = updated(pressed)[0];
      expect(visibleText(reasked)).toContain('1 of 13');
      expect(visibleText(reasked)).toContain('Your answer now: *Not yet*');
      const to = buttonsOf(reasked).find((b) => b.text === 'Consistently');
      const changed = await t.driver.action({
        user: BEN,
        actionId: to?.actionId ?? '',
        value: to?.value,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000500' },
      });
      expect(visibleText(updated(changed)[0])).toContain('Your answer: *Consistently*');
      const rows = await t.engine.sql.all<{ rating: string }>(
        "SELECT rating FROM checkin_answers WHERE rater = 'self' AND position = 0",
      );
      expect(rows.map((r) => r.rating)).toEqual(['consistently']);
      // The question being asked kept its buttons.
      const second = await click(t, BEN, q, 'sometimes');
      q = lastQuestion(second) as Posted;
      expect(q.text).toContain('3 of 13');

      // Finish later: the question stays, with Continue.
      const later = buttonsOf(q.args).find((b) => b.text === 'Finish later');
      const paused = await t.driver.action({
        user: BEN,
        actionId: 'checkin.later',
        value: later?.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      const cont = buttonsOf(updated(paused)[0]).find((b) => b.text === 'Continue');
      expect(cont).toBeDefined();
      const resumed = await t.driver.action({
        user: BEN,
        actionId: 'checkin.continue',
        value: cont?.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      q = lastQuestion(resumed) as Posted;
      expect(q.text).toContain('3 of 13');

      let last: Reply | undefined;
      for (let i = 2; i < 13; i++) {
        last = await click(t, BEN, q, 'skip');
        q = lastQuestion(last) as Posted;
      }
      const id = buttonsOf(posted(last as Reply, `D${BEN}`).at(-1)).find((b) => b.text === 'Share with my manager')
        ?.value as string;
      await t.driver.action({ user: BEN, actionId: 'checkin.share', value: id, channel: `D${BEN}` });
      // Shared: the answers are what Maya saw.
      const refused = await t.driver.action({
        user: BEN,
        actionId: to?.actionId.replace('consistently', 'skip') ?? '',
        value: to?.value,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000500' },
      });
      expect(refused.responses.map(visibleText).join()).toContain(`shared with <@${MAYA}>`);
      const kept = await t.engine.sql.all<{ rating: string }>(
        "SELECT rating FROM checkin_answers WHERE rater = 'self' AND position = 0",
      );
      expect(kept.map((r) => r.rating)).toEqual(['consistently']);
      expect(t.errors).toEqual([]);
    });
  });

  describe.skipIf(skip)('an idle check-in', () => {
    it('gets one nudge with Continue a day before it expires, from two instances sharing the database', async () => {
      const lasting = await lastingDatabase(engine);
      removeDatabase = lasting.remove;
      const first = await startTestApp({
        users: USERS,
        admins: [ADMIN],
        now: '2026-12-04T10:00:00.000Z',
        ...lasting.options,
      });
      apps.push(first);
      const second = await startTestApp({
        users: USERS,
        admins: [ADMIN],
        now: '2026-12-04T10:00:00.000Z',
        ...lasting.options,
      });
      apps.push(second);
      await first.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, {
        user: ADMIN,
      });
      const q = lastQuestion(await first.driver.command('checkin', { user: BEN })) as Posted;
      await click(first, BEN, q, 'consistently');
      const nudges = (t: TestApp) =>
        t.api.calls.filter(
          (c) =>
            c.method === 'chat.postMessage' &&
            c.response?.ok === true &&
            visibleText(c.args).includes('is waiting at question'),
        );

      // Twelve days idle: not yet.
      for (const t of [first, second]) t.clock.set('2026-12-16T10:00:00.000Z');
      await checkinJob(first);
      expect(nudges(first)).toHaveLength(0);
      // Thirteen days and a quarter: both instances run the job, twice; one nudge.
      for (const t of [first, second]) t.clock.set('2026-12-17T16:00:00.000Z');
      await Promise.all([checkinJob(first), checkinJob(second)]);
      await Promise.all([checkinJob(first), checkinJob(second)]);
      const sent = [...nudges(first), ...nudges(second)];
      expect(sent).toHaveLength(1);
      const nudge = sent[0]?.args;
      expect(sent[0]?.args.channel).toBe(`D${BEN}`);
      expect(visibleText(nudge)).toContain('is waiting at question 2 of 13');
      expect(visibleText(nudge)).toContain('closes on 18 December 2026');
      // Nothing left in the outbox to send again.
      expect(await first.engine.sql.all('SELECT id FROM notification_outbox')).toEqual([]);

      // Continue asks question 2; the next idle spell gets a nudge of its own.
      for (const t of [first, second]) t.clock.set('2026-12-17T18:00:00.000Z');
      const cont = buttonsOf(nudge).find((b) => b.text === 'Continue');
      const resumed = await first.driver.action({
        user: BEN,
        actionId: 'checkin.continue',
        value: cont?.value,
        channel: `D${BEN}`,
      });
      expect(lastQuestion(resumed)?.text).toContain('2 of 13');
      for (const t of [first, second]) t.clock.set('2026-12-31T12:00:00.000Z');
      await checkinJob(second);
      expect([...nudges(first), ...nudges(second)]).toHaveLength(2);
      // Expired: no nudge for it.
      for (const t of [first, second]) t.clock.set('2027-01-01T12:00:00.000Z');
      await checkinJob(first);
      expect([...nudges(first), ...nudges(second)]).toHaveLength(2);
      expect(first.errors).toEqual([]);
      expect(second.errors).toEqual([]);
    });
  });
});
