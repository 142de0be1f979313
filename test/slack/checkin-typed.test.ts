import { afterEach, describe, expect, it } from 'vitest';
import { backgroundJobs } from '../../src/jobs.js';
import type { Reply } from '../../src/offline-slack/driver.js';
import { lastingDatabase, startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import {
  clickRating as click,
  lastQuestion,
  okCalls as ok,
  type Posted,
  posted,
  typedDm,
  updated,
} from '../support/checkin-dm.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';

/**
 * Issue 16, the check-in's part: a rating typed in the DM and Change (item 11); Finish later's Continue and the
 * idle nudge a day before expiry (item 14). Through the offline Slack.
 */

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

  const typed = (t: TestApp, text: string, n: number) => typedDm(t, BEN, text, n);

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
