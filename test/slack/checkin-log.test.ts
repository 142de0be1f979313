import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { clickRating, lastQuestion, opened, type Posted, posted, typedDm, updated } from '../support/checkin-dm.js';
import { CHEN, keepEvidence, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 17, item 4, through the offline Slack: each check-in question shows the evidence log's entries for its
 * expectation since the person's last check-in (not older ones, not another person's); evidence added during the
 * check-in joins the log; once shared, the manager sees what the check-in showed of the log and nothing else of it.
 * The log is filled through the store here: saving messages and `/career win` are issue 17's first part.
 */

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({
      users: USERS_AND_CHEN,
      admins: [ADMIN],
      engine,
      now: '2026-11-02T10:00:00.000Z',
    });
    apps.push(t);
    await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
    await t.driver.command(`set <@${MAYA}|maya> marketing 4 since 2025-01-15`, { user: ADMIN });
    return t;
  }

  const keep = keepEvidence;

  /** Answers every question from `q` on with `rating`; returns each question as posted and the last reply. */
  async function answerAll(t: TestApp, q: Posted, rating = 'consistently') {
    const asked = [q];
    let last = await clickRating(t, BEN, q, rating);
    for (let next = lastQuestion(last); next; next = lastQuestion(last)) {
      asked.push(next);
      last = await clickRating(t, BEN, next, rating);
    }
    return { asked, last };
  }

  describe.skipIf(skip)('a check-in starts from the evidence log', () => {
    it('shows each question its own evidence since the last check-in, keeps what is added during it, and shows the manager only that', async () => {
      const t = await start();
      await keep(t, 'Old launch plan, before any check-in', 'self-defined-tasks');

      // The first check-in: the whole log so far, under its question.
      const first = await answerAll(t, lastQuestion(await t.driver.command('checkin', { user: BEN })) as Posted);
      expect(first.asked[0]?.text).toContain('In your evidence log so far');
      expect(first.asked[0]?.text).toContain('Old launch plan, before any check-in');
      expect(first.asked[1]?.text).not.toContain('evidence log');

      // Three weeks on: what Ben kept since, what Chen said about him, and what Maya kept of her own.
      t.clock.advanceDays(21);
      for (const text of ['Scoped the Q1 brief myself', 'Planned the spring launch alone', 'Wrote my own tasks'])
        await keep(t, text, 'self-defined-tasks');
      await keep(t, 'Split the newsletter into weekly slices', 'self-defined-tasks');
      await keep(t, 'Ben shipped the campaign site on time', 'ship-regularly', {
        source: 'message',
        authorId: CHEN,
        message: { channelId: 'C0LAUNCH', ts: '1764842400.000500', permalink: null },
      });
      await keep(t, 'Took the webinar from idea to launch', 'ideas-into-shipped-projects');
      await keep(t, 'A note for no expectation in particular', null);
      await keep(t, 'Maya’s own private entry', 'self-defined-tasks', { userId: MAYA });
      t.clock.advanceDays(1);

      const begun = await t.driver.command('checkin', { user: BEN });
      expectWithinSlackLimits(begun);
      let q = lastQuestion(begun) as Posted;
      // Question 1 (Level 2, self-defined tasks): the three newest since the last check-in, and how many more.
      expect(q.text).toContain('In your evidence log since your check-in of 2 November 2026');
      expect(q.text).toContain('Split the newsletter into weekly slices');
      expect(q.text).toContain('Wrote my own tasks');
      expect(q.text).toContain('Planned the spring launch alone');
      expect(q.text).toContain('and 1 more in `/career evidence`');
      expect(q.text).not.toContain('Scoped the Q1 brief myself');
      expect(q.text).not.toContain('Old launch plan');
      expect(q.text).not.toContain('Maya’s own');
      expect(q.text).not.toContain('Ben shipped the campaign site');
      expect(q.text).toContain('Your manager sees these with your answers only if you share');
      expect(buttonsOf(q.args).find((b) => b.text === 'Ask for an example')).toMatchObject({
        actionId: 'evidence_ask_open',
        value: 'level-2:self-defined-tasks',
      });

      // Finish later, then Continue: the question comes back with its evidence.
      const paused = await t.driver.action({
        user: BEN,
        actionId: 'checkin.later',
        value: q.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      const resume = buttonsOf(updated(paused)[0]).find((b) => b.text === 'Continue');
      const resumed = await t.driver.action({ user: BEN, actionId: resume?.actionId ?? '', value: resume?.value });
      q = lastQuestion(resumed) as Posted;
      expect(q.text).toContain('1 of 13');
      expect(q.text).toContain('Split the newsletter into weekly slices');

      // Evidence added during the check-in, typed in the DM and through the form: it joins the log.
      expect(
        posted(await typedDm(t, BEN, 'Typed: ran the brief review', 1))
          .map(visibleText)
          .join(),
      ).toContain('Also kept in your evidence log');
      const form = await t.driver.action({
        user: BEN,
        actionId: 'checkin.evidence',
        value: q.value,
        channel: q.channel,
        message: { ts: q.ts },
      });
      const modal = opened(form)[0] as Record<string, unknown>;
      await t.driver.viewSubmission({
        user: BEN,
        callbackId: 'checkin.evidence',
        privateMetadata: String(modal.private_metadata),
        values: { evidence: { text: { type: 'plain_text_input', value: 'Form: wrote the launch checklist' } } },
      });
      const checkinId = Number(q.value.split(':')[0]);
      const duringCheckin = (await t.ctx.stores.evidence.all(t.api.teamId, BEN)).filter((e) => e.source === 'checkin');
      expect(duringCheckin.map((e) => [e.text, e.target, e.checkinId])).toEqual([
        ['Typed: ran the brief review', { levelId: 'level-2', expectationId: 'self-defined-tasks' }, checkinId],
        ['Form: wrote the launch checklist', { levelId: 'level-2', expectationId: 'self-defined-tasks' }, checkinId],
      ]);

      // The rest: each question its own (Chen's message under "ship regularly", the webinar under Level 3's).
      const second = await answerAll(t, q);
      const shown = (expectationText: string) => second.asked.find((a) => a.text.includes(expectationText))?.text ?? '';
      expect(shown('Do you ship regularly')).toContain('Ben shipped the campaign site on time');
      expect(shown('Do you ship regularly')).toContain(`<@${CHEN}>`);
      expect(second.asked.filter((a) => a.text.includes('Took the webinar from idea to launch'))).toHaveLength(1);
      expect(second.asked.map((a) => a.text).join()).not.toContain('A note for no expectation in particular');

      // The person's summary says what sharing discloses.
      const summary = posted(second.last, `D${BEN}`).at(-1);
      expect(visibleText(summary)).toContain('Planned the spring launch alone');
      expect(visibleText(summary)).toContain('and nothing else of your log');

      // Kept after the check-in finished: not part of what it showed.
      t.clock.advanceDays(1);
      await keep(t, 'Kept after the check-in', 'self-defined-tasks');
      const id = buttonsOf(summary).find((b) => b.actionId === 'checkin.share')?.value as string;
      const shared = await t.driver.action({ user: BEN, actionId: 'checkin.share', value: id, channel: `D${BEN}` });
      expectWithinSlackLimits(shared);
      const toMaya = visibleText(posted(shared, `D${MAYA}`)[0]);
      expect(toMaya).toContain('From their evidence log since the check-in before');
      expect(toMaya).toContain('Split the newsletter into weekly slices');
      expect(toMaya).toContain('Typed: ran the brief review');
      const answers = visibleText(
        opened(await t.driver.action({ user: MAYA, actionId: 'checkin.answers', value: id, channel: `D${MAYA}` }))[0],
      );
      expect(answers).toContain('Ben shipped the campaign site on time');
      expect(answers).toContain('Took the webinar from idea to launch');
      for (const text of [toMaya, answers]) {
        for (const hidden of [
          'Old launch plan',
          'Scoped the Q1 brief myself',
          'A note for no expectation in particular',
          'Kept after the check-in',
          'Maya’s own',
          '/career evidence',
        ])
          expect(text).not.toContain(hidden);
      }
      expect(t.errors).toEqual([]);
    });
  });
});
