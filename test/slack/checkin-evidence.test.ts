import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import {
  clickRating as click,
  lastQuestion,
  okCalls as ok,
  opened,
  type Posted,
  posted,
  typedDm,
  updated,
} from '../support/checkin-dm.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 16, the check-in's part: evidence seen where it helps (item 2), a manager finding a shared check-in again
 * (item 8), buttons that follow the action (item 14), privacy said at the start (item 9), readiness in words and
 * questions asked as questions ("also"). Through the offline Slack.
 */

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({ users: USERS, admins: [ADMIN], engine, now: '2026-12-04T10:00:00.000Z' });
    apps.push(t);
    await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
    return t;
  }

  const typed = (t: TestApp, text: string, n: number) => typedDm(t, BEN, text, n);

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
      expect(summaryText).toContain('the 7 answered expectations of Level 3');
      // Item 14: no fresh 13-question run from the summary.
      expect(buttonsOf(summary).map((b) => b.text)).toEqual([
        'Share with my manager',
        'View answers',
        'View Level 3 · Coordinator',
        'Done',
      ]);
      const id = buttonsOf(summary).find((b) => b.actionId === 'checkin.share')?.value as string;
      // View Level 3 opens the level beside the summary, which stays as it is.
      const level = buttonsOf(summary).find((b) => b.text === 'View Level 3 · Coordinator');
      const viewed = await t.driver.action({
        user: BEN,
        actionId: level?.actionId ?? '',
        value: level?.value,
        channel: `D${BEN}`,
        message: { ts: '1764842400.000900' },
      });
      expect(visibleText(opened(viewed)[0])).toContain('Coordinator');
      expect(updated(viewed)).toEqual([]);

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
      expect(buttonsOf(afterShare).map((b) => b.text)).toEqual(['View answers', 'View Level 3 · Coordinator', 'Done']);

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

      // History says what each readiness figure is made of.
      const history = await t.driver.command('history', { user: BEN });
      expect(history.responses.map(visibleText).join()).toMatch(
        /readiness \d+% \(\d Consistently, \d Sometimes, 0 Not yet\)/,
      );

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
});
