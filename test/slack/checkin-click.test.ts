import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { clickRating, lastQuestion, type Posted, typedDm, updated } from '../support/checkin-dm.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

async function start(options: TestAppOptions) {
  const t = await startTestApp({ users: USERS, admins: [ADMIN], ...options });
  apps.push(t);
  return t;
}

/**
 * What a reply ran in the database: units of work (transactions), the statements inside them, and those outside
 * (reads of whether the workspace is installed: before a DM, and at most once a second for a request).
 */
async function counted(t: TestApp, act: () => Promise<Reply>) {
  const before = { ...t.ran };
  const reply = await act();
  const inUnits = t.ran.inTransactions - before.inTransactions;
  return {
    reply,
    ran: { transactions: t.ran.transactions - before.transactions, inUnits },
    outside: t.ran.statements - before.statements - inUnits,
  };
}

/**
 * Starts a check-in (`/career checkin [aim]`) and answers every question `rating` (`before` runs before each
 * click); what each click ran.
 */
async function checkin(
  t: TestApp,
  rating: string,
  aim = '',
  before: (asked: Posted, n: number) => Promise<unknown> = async () => undefined,
) {
  let q = lastQuestion(await t.driver.command(`checkin ${aim}`.trim(), { user: BEN })) as Posted;
  const clicks: (Awaited<ReturnType<typeof counted>> & { asked: Posted })[] = [];
  while (q) {
    await before(q, clicks.length);
    const click = await counted(t, () => clickRating(t, BEN, q, rating));
    clicks.push({ ...click, asked: q });
    q = lastQuestion(click.reply) as Posted;
  }
  return clicks;
}

/**
 * A click on an answer, as Slack sends it, ran in the database (both engines):
 * - a question answered and the next asked: one unit of work of five statements (the check-in; its version-guarded
 *   update; the answer; the two questions shown, with their evidence; the next one's "Last time");
 * - the last answer: the same unit with the record's change number (reminders count a finished check-in: two) and the
 *   whole check-in for the summary (questions with answers; evidence), then the previous check-in when there is one
 *   (the check-in; its questions; its evidence).
 * Outside the unit: at most whether the workspace is still installed, read once a second (by the request's re-check,
 * and by the DM's, which then takes it as known for a second: src/slack/notifier.ts `keepActiveMs`).
 */
const NEXT = { transactions: 1, inUnits: 6 };
const FINISH_FIRST = { transactions: 1, inUnits: 9 };
const FINISH_AFTER = { transactions: 1, inUnits: 11 };

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  describe.skipIf(skip)('a check-in answer costs what it shows', () => {
    it('the same statements a click in the third check-in as in the first; Last time found two check-ins back', async () => {
      const t = await start({ engine });
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });

      const first = await checkin(t, 'sometimes');
      t.clock.advanceDays(1);
      // Level 2 and Level 4: Level 3's questions are not asked this time.
      const second = await checkin(t, 'consistently', '4');
      t.clock.advanceDays(1);
      const third = await checkin(t, 'not-yet', '', async (asked, n) => {
        if (asked.text.includes('2 of 13')) await typedDm(t, BEN, 'I ran the spring launch review on my own', n);
      });
      expect([first.length, second.length, third.length]).toEqual([13, 12, 13]);

      // Every answer but the last: one unit, the same statements, however many check-ins came before.
      for (const c of [first, second, third]) {
        expect(c.slice(0, -1).map((click) => click.ran)).toEqual(c.slice(0, -1).map(() => NEXT));
      }
      expect(first.at(-1)?.ran).toEqual(FINISH_FIRST);
      expect(second.at(-1)?.ran).toEqual(FINISH_AFTER);
      expect(third.at(-1)?.ran).toEqual(FINISH_AFTER);
      for (const click of [...first, ...second, ...third]) expect(click.outside).toBeLessThanOrEqual(2);
      // A click within a second of the one before reads the workspace no more (real time: clicks here take milliseconds).
      expect([...first, ...second, ...third].some((click) => click.outside === 0)).toBe(true);

      // What the person sees: Last time from the latest check-in that asked the question, two back for Level 3.
      const shown = (n: number) => third.find((c) => c.asked.text.includes(` ${n} of 13`))?.asked.text ?? '';
      expect(shown(2)).toMatch(/Last time \(30 November 2026\): \*Consistently\*/);
      expect(shown(8)).toMatch(/Last time \(29 November 2026\): \*Sometimes\*/);
      // The answered question keeps its evidence, and Change.
      const answered = updated(third[1]?.reply as Reply)[0];
      expect(visibleText(answered)).toContain('I ran the spring launch review on my own');
      expect(visibleText(answered)).toContain('Not yet');
      expect(buttonsOf(answered).map((b) => b.text)).toEqual(['Change']);
      expect(t.errors).toEqual([]);
    });
  });
});
