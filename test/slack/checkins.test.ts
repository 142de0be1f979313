import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { lastingDatabase, startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { clickRating, lastQuestion, type Posted, posted } from '../support/checkin-dm.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const dms = (reply: Reply) => posted(reply);

let apps: TestApp[] = [];
let removeDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
  await removeDatabase?.();
  removeDatabase = undefined;
});

async function start(options: TestAppOptions) {
  const t = await startTestApp({ users: USERS, admins: [ADMIN], ...options });
  apps.push(t);
  return t;
}

// The same flows on SQLite and on PostgreSQL (skipped with a reason when there is no server here).
describe.each(engines())('on %s', ({ name: engine, skip }) => {
  describe.skipIf(skip)('a check-in, end to end through the offline Slack', () => {
    it('Marketing level 2: 6 + 7 questions, a restart, a retried double click, an old button, evidence by DM and by form, sharing', async () => {
      const lasting = await lastingDatabase(engine);
      removeDatabase = lasting.remove;
      let t = await start(lasting.options);
      expect(t.engine.dialect).toBe(engine);
      // SQLite's own handle is not there to be read by mistake on PostgreSQL.
      if (engine === 'postgres') expect(() => t.db).toThrow(/runs on PostgreSQL: read through t.engine.sql/);
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });

      const begun = await t.driver.command('checkin', { user: BEN });
      expectWithinSlackLimits(begun);
      expect(begun.responses.map(visibleText).join('\n')).toContain('Your check-in is in our DM: 13 questions');
      let q = lastQuestion(begun);
      expect(q?.channel).toBe(`D${BEN}`);
      expect(q?.text).toContain('Level 2 · Strategist');
      expect(q?.text).toContain('1 of 13');
      const first = q as Posted;

      // `t` changes when the app restarts mid-way: each click goes to the app running now.
      const click = (user: string, p: Posted, rating: string, retryNum?: number) =>
        clickRating(t, user, p, rating, retryNum);

      // Level 2: Consistently, Consistently, Sometimes, Not yet, Skip, Consistently.
      const ratings = [
        'consistently',
        'consistently',
        'sometimes',
        'not-yet',
        'skip',
        'consistently',
        // Level 3: Consistently, Sometimes, Sometimes, Not yet, Skip, Consistently, Not yet.
        'consistently',
        'sometimes',
        'sometimes',
        'not-yet',
        'skip',
        'consistently',
        'not-yet',
      ];
      let last: Reply | undefined;
      for (let i = 0; i < ratings.length; i++) {
        const current = q as Posted;
        expect(current.text).toContain(`${i + 1} of 13`);
        last = await click(BEN, current, ratings[i] as string);
        expect(last.status).toBe(200);
        expectWithinSlackLimits(last);
        // The answered question shows the choice, its rating buttons gone: only Change is left.
        const updated = last.calls.find((c) => c.method === 'chat.update');
        expect(updated?.args.ts).toBe(current.ts);
        expect(buttonsOf(updated?.args).map((b) => b.text)).toEqual(['Change']);

        if (i === 0) {
          // Slack retries the same click, and the person double-clicks: nothing more is recorded.
          const retried = await click(BEN, current, 'not-yet', 1);
          expect(retried.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
          expect(retried.responses).toEqual([]);
          const again = await click(BEN, current, 'not-yet');
          expect(again.responses.map(visibleText).join()).toContain('This check-in has moved on');
        }
        if (i === 3) {
          const typed = await t.driver.event({
            type: 'message',
            channel_type: 'im',
            channel: `D${BEN}`,
            user: BEN,
            text: 'I ran the <!channel> spring launch on my own',
            ts: '1764428400.000100',
          });
          expect(dms(typed).map(visibleText).join()).toContain('Noted as evidence for question 5');
        }
        if (i === 8) {
          // Evidence by form for the next question: its Add evidence button opens the form; submitting it keeps the text.
          const next = lastQuestion(last) as Posted;
          const add = buttonsOf(next.args).find((b) => b.text === 'Add evidence');
          expect(add).toBeDefined();
          const opened = await t.driver.action({
            user: BEN,
            actionId: add?.actionId ?? '',
            value: add?.value,
            channel: next.channel,
            message: { ts: next.ts },
          });
          const modal = opened.calls.find((c) => c.method === 'views.open')?.args.view as Record<string, unknown>;
          expect(modal?.callback_id).toBe('checkin.evidence');
          const submitted = await t.driver.viewSubmission({
            user: BEN,
            callbackId: 'checkin.evidence',
            privateMetadata: String(modal.private_metadata),
            values: { evidence: { text: { type: 'plain_text_input', value: 'Wrote the Q3 plan & ran the review' } } },
          });
          expect(dms(submitted).map(visibleText).join()).toContain('Noted as evidence for question 10');
        }
        if (i === 5) {
          // A click on an old question is politely refused.
          const old = await click(BEN, first, 'skip');
          expect(old.responses.map(visibleText).join()).toContain('This check-in has moved on');
          expect(old.calls.some((c) => c.method === 'chat.update')).toBe(false);
        }
        q = lastQuestion(last);
        if (i === 6) {
          // Restart the app in the middle: the next question's buttons still work on the new process.
          await t.stop();
          apps = apps.filter((a) => a !== t);
          t = await start(lasting.options);
        }
      }

      const summary = dms(last as Reply)
        .map(visibleText)
        .join('\n');
      expect(summary).toContain('Consistently: 3 · Sometimes: 1 · Not yet: 1 · Skipped: 1');
      expect(summary).toContain('Consistently: 2 · Sometimes: 2 · Not yet: 2 · Skipped: 1');
      expect(summary).toContain('Readiness for Level 3:* 50%');

      // Exactly one answer per expectation.
      const answers = await t.engine.sql.all<{ position: number; rating: string }>(
        "SELECT position, rating FROM checkin_answers WHERE rater = 'self' ORDER BY position",
      );
      expect(answers.map((a) => a.rating)).toEqual(ratings);
      expect(await t.engine.sql.all('SELECT position, text FROM checkin_evidence ORDER BY position')).toEqual([
        { position: 4, text: 'I ran the <!channel> spring launch on my own' },
        { position: 9, text: 'Wrote the Q3 plan & ran the review' },
      ]);

      // Sharing posts to Maya's DM and to no channel.
      const id = buttonsOf(dms(last as Reply).at(-1)).find((b) => b.actionId === 'checkin.share')?.value as string;
      const shared = await t.driver.action({
        user: BEN,
        actionId: 'checkin.share',
        value: id,
        channel: `D${BEN}`,
        message: { ts: '1764428400.000200' },
      });
      const posts = shared.calls.filter((c) => c.method === 'chat.postMessage');
      expect(posts.map((c) => c.args.channel)).toEqual([`D${MAYA}`]);
      expect(visibleText(posts[0]?.args)).toContain('shared their check-in with you');
      // The summary's Share button becomes who it was shared with, and when.
      const summaryNow = shared.calls.find((c) => c.method === 'chat.update')?.args;
      expect(visibleText(summaryNow)).toContain(`Shared with <@${MAYA}>`);
      expect(buttonsOf(summaryNow).map((b) => b.text)).not.toContain('Share with my manager');

      // Maya adds her ratings; Ben sees both, the differences marked.
      const review = await t.driver.action({ user: MAYA, actionId: 'checkin.review', value: id, channel: `D${MAYA}` });
      expectWithinSlackLimits(review);
      expect(review.calls.some((c) => c.method === 'views.open')).toBe(true);
      const values = Object.fromEntries(
        ratings.map((_, i) => [
          `q${i}`,
          { [`rating-${i}`]: { type: 'static_select', selected_option: { value: 'consistently' } } },
        ]),
      );
      const rated = await t.driver.viewSubmission({
        user: MAYA,
        callbackId: 'checkin.ratings',
        privateMetadata: JSON.stringify({ c: Number(id) }),
        values,
      });
      const toBen = rated.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`);
      expect(visibleText(toBen?.args)).toContain('8 differ');
      expect(t.errors).toEqual([]);
    });

    it('a manager sees nothing before the teammate shares', async () => {
      const t = await start({ engine });
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
      await t.driver.command('checkin', { user: BEN });
      const review = await t.driver.action({ user: MAYA, actionId: 'checkin.review', value: '1', channel: `D${MAYA}` });
      expect(review.calls.some((c) => c.method === 'views.open')).toBe(false);
      expect(review.responses.map(visibleText).join()).toContain('has not been shared with you');
    });

    it('/career checkin while one is open offers Continue or Start over; without a record says who can add one', async () => {
      const t = await start({ engine });
      const none = await t.driver.command('checkin', { user: BEN });
      expect(none.responses.map(visibleText).join()).toContain("You don't have a career record yet");
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15`, { user: ADMIN });
      await t.driver.command('checkin', { user: BEN });
      const again = await t.driver.command('checkin', { user: BEN });
      const shown = again.responses[0];
      expect(buttonsOf(shown).map((b) => b.text)).toEqual(['Continue', 'Start over']);
      const resumed = await t.driver.action({ user: BEN, actionId: 'checkin.continue', value: '1' });
      expect(lastQuestion(resumed)?.text).toContain('1 of 13');
      const history = await t.driver.command('history', { user: BEN });
      expect(history.responses.map(visibleText).join()).toContain('one is in progress');
    });
  });

  describe.skipIf(skip)('starting a check-in from App Home', () => {
    it('the Home tab offers Start a check-in; pressing it asks the first question in the DM', async () => {
      const t = await start({ engine });
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
      const home = await t.driver.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' });
      const view = home.calls.find((c) => c.method === 'views.publish')?.args.view as Record<string, unknown>;
      const startButton = buttonsOf(view).find((b) => b.text === 'Start a check-in');
      expect(startButton).toBeDefined();
      const pressed = await t.driver.action({
        user: BEN,
        actionId: startButton?.actionId ?? '',
        value: startButton?.value,
        view: { id: 'V0HOME0001', type: 'home', ...view },
      });
      const q = lastQuestion(pressed);
      expect(q?.channel).toBe(`D${BEN}`);
      expect(q?.text).toContain('1 of 13');
    });
  });
});
