import { describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import type { ImportRow } from '../../src/store/index.js';
import { appsAt, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot, replaceMethod } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const NOAH = 'U0NOAH0001';
const ANA = 'U0ANA00001';
const BEN = 'U0BEN00001';
const CY = 'U0CY000001';
const DEE = 'U0DEE00001';
const ELI = 'U0ELI00001';
// Listed by Slack, never shown as "without a record".
const BOT = 'U0BOT00001';
const GONE = 'U0GONE0001';
/** Members without a record past the first page of 200: Slack lists them on page 2. */
const NEWCOMERS = Array.from({ length: 205 }, (_, i) => `U0NEW${String(i).padStart(5, '0')}`);
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi', tz: 'Europe/Paris' },
  { id: MAYA, name: 'maya' },
  { id: NOAH, name: 'noah' },
  { id: ANA, name: 'ana' },
  { id: BEN, name: 'ben' },
  { id: CY, name: 'cy' },
  { id: DEE, name: 'dee' },
  { id: ELI, name: 'eli' },
  { id: BOT, name: 'helperbot', is_bot: true },
  { id: 'USLACKBOT', name: 'slackbot' },
  { id: GONE, name: 'gone', deleted: true },
  ...NEWCOMERS.map((id, i) => ({ id, name: `new${i}` })),
];
const AT = '2026-08-01T09:00:00.000Z';

/** Maya manages Ana, Ben and Cy (engineering); Noah manages Dee (marketing, paused) and Eli (left). */
async function company(t: TestApp): Promise<void> {
  const eng = { frameworkId: 'engineering', levelId: 'software-engineer-ii', since: '2025-01-15' };
  const mkt = { frameworkId: 'marketing', levelId: 'level-2', since: '2025-03-01' };
  const rows: ImportRow[] = [
    { teamId: t.api.teamId, userId: MAYA, ...eng, managerId: null },
    { teamId: t.api.teamId, userId: NOAH, ...mkt, managerId: null },
    { teamId: t.api.teamId, userId: ANA, ...eng, managerId: MAYA },
    { teamId: t.api.teamId, userId: BEN, ...eng, managerId: MAYA },
    { teamId: t.api.teamId, userId: CY, ...eng, managerId: MAYA },
    { teamId: t.api.teamId, userId: DEE, ...mkt, managerId: NOAH },
    { teamId: t.api.teamId, userId: ELI, ...mkt, managerId: NOAH },
  ];
  const { teammates } = t.ctx.stores;
  await teammates.importMany(rows, ADMIN, AT);
  await teammates.pause(t.api.teamId, DEE, { start: '2026-07-20', changedBy: DEE, at: AT });
  await teammates.setStatus(t.api.teamId, ELI, { status: 'left', changedBy: 'slack:user_change', at: AT });
}

/** A finished check-in of `userId`, shared with `managerId` on `sharedAt`. */
async function sharedCheckin(t: TestApp, userId: string, managerId: string, sharedAt: string): Promise<number> {
  const { checkins } = t.ctx.stores;
  const question = { levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e', text: 'q' };
  const c = await checkins.create({
    teamId: t.api.teamId,
    userId,
    frameworkId: 'engineering',
    levelId: 'software-engineer-ii',
    targetLevelId: null,
    questions: [question],
    at: sharedAt,
  });
  await checkins.apply(t.api.teamId, c.id, { kind: 'answer', version: 1, rating: 'sometimes', at: sharedAt });
  expect(await checkins.share(t.api.teamId, c.id, managerId, sharedAt)).toBe(true);
  return c.id;
}

const usersListCalls = (t: TestApp) => t.api.callsTo('users.list');

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  const start = appsAt({ engine, users: USERS, admins: [ADMIN] });

  describe.skipIf(skip)('/career admin people', () => {
    it('shows an admin the counts by team, a page of people without a record with Next page, and pending ratings', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      await sharedCheckin(t, ANA, MAYA, '2026-08-01T10:00:00.000Z');
      await sharedCheckin(t, DEE, NOAH, '2026-08-03T10:00:00.000Z');
      const rated = await sharedCheckin(t, BEN, MAYA, '2026-08-02T10:00:00.000Z');
      // Rated by Maya: no longer waiting.
      await t.ctx.stores.checkins.rate(t.api.teamId, rated, MAYA, new Map([[0, 'consistently']]), AT);
      const before = await engineSnapshot(t.engine);

      const { reply, shown } = await runCareer(t, ADMIN, 'admin people');
      // Counts: six current records (one paused), one more has left; by team.
      expect(shown).toContain('People with a record: 6');
      expect(shown).toContain('(1 paused)');
      expect(shown).toContain('1 more has left');
      expect(shown).toMatch(/Engineering: 4\b/);
      expect(shown).toMatch(/Marketing: 2 \(1 paused\)/);
      // Page 1: 200 members listed; of them the humans without a record, never the bot, Slackbot or the deactivated.
      const firstPage = shown.slice(shown.indexOf('Without a record'), shown.indexOf('Check-ins waiting'));
      expect(firstPage).toContain('page 1');
      expect(firstPage).toContain(`<@${NEWCOMERS[0]}>`);
      expect(firstPage).not.toContain(`<@${NEWCOMERS[204]}>`);
      for (const id of [MAYA, ANA, ELI, BOT, GONE, 'USLACKBOT']) expect(firstPage).not.toContain(`<@${id}>`);
      // The admin has no record of their own: listed like anyone.
      expect(firstPage).toContain(`<@${ADMIN}>`);
      // 200 listed: the admin, 7 with a record (Eli's, who left, too), the bot, Slackbot, the deactivated one and 189
      // newcomers; 197 of them people.
      expect(firstPage).toContain('190 people of the 197 people on this page have no record');
      expect(firstPage).toContain('this count is for this page only');
      // Pending ratings: the manager, the report, the day shared; newest first; the rated one is not there.
      const pending = shown.slice(shown.indexOf('Check-ins waiting'));
      expect(pending).toContain('waiting for ratings: 2');
      expect(pending.indexOf(`<@${NOAH}> to rate <@${DEE}>`)).toBeGreaterThan(-1);
      expect(pending.indexOf(`<@${NOAH}> to rate <@${DEE}>`)).toBeLessThan(
        pending.indexOf(`<@${MAYA}> to rate <@${ANA}>`),
      );
      expect(pending).toContain('3 Aug 2026');
      expect(pending).not.toContain(`<@${BEN}>`);
      // One page of users.list asked for, 200 at a time; nothing written.
      expect(usersListCalls(t).map((c) => c.args.limit)).toEqual(['200']);
      expect(await engineSnapshot(t.engine)).toEqual(before);

      // Next page: the rest of the members, the same counts, and no Next page on the last.
      const surface = reply.responses.at(-1) ?? reply.ack;
      const next = buttonsOf(surface).find((b) => b.text === 'Next page');
      expect(next).toBeDefined();
      const clicked = await t.driver.action({ user: ADMIN, actionId: next?.actionId ?? '', value: next?.value });
      expect(clicked.status).toBe(200);
      expectWithinSlackLimits(clicked);
      const page2 = clicked.responses.map(visibleText).join('\n');
      expect(page2).toContain('page 2');
      expect(page2).toContain(`<@${NEWCOMERS[204]}>`);
      expect(page2).not.toContain(`<@${NEWCOMERS[0]}>`);
      expect(page2).toContain('16 people of the 16 people on this page have no record');
      expect(page2).toContain('This is the last page.');
      expect(page2).toContain('People with a record: 6');
      expect(buttonsOf(clicked.responses.at(-1)).some((b) => b.text === 'Next page')).toBe(false);
      expect((clicked.responses.at(-1) as { replace_original?: boolean }).replace_original).toBe(true);
      expect(usersListCalls(t).at(-1)?.args.cursor).toBeTruthy();
      expect(t.errors).toEqual([]);
    });

    it('refuses anyone else, and reads nothing: no member list, no count, no check-in', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      await sharedCheckin(t, ANA, MAYA, '2026-08-01T10:00:00.000Z');
      const read: string[] = [];
      const spy = (name: string) => (original: (...args: unknown[]) => unknown) =>
        function (this: unknown, ...args: unknown[]) {
          read.push(name);
          return original.apply(this, args);
        };
      const spies = [
        replaceMethod(t.ctx.stores.teammates, 'census', spy('census')),
        replaceMethod(t.ctx.stores.teammates, 'withRecords', spy('withRecords')),
        replaceMethod(t.ctx.stores.checkins, 'awaitingRatings', spy('awaitingRatings')),
      ];
      const before = await engineSnapshot(t.engine);
      let shown: string;
      let clicked: Awaited<ReturnType<typeof t.driver.action>>;
      try {
        shown = (await runCareer(t, MAYA, 'admin people')).shown;
        // The Next page button, forwarded or kept: refused the same way.
        const value = JSON.stringify({ c: Buffer.from('user:200').toString('base64'), p: 2 });
        clicked = await t.driver.action({ user: MAYA, actionId: 'admin.people.next', value });
      } finally {
        for (const s of spies) s.restore();
      }
      expect(shown).toContain('Only Ripple admins');
      expect(clicked.responses.map(visibleText).join('\n')).toContain('Only Ripple admins');
      expect(usersListCalls(t)).toEqual([]);
      expect(read).toEqual([]);
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });

    it('starts over when Slack no longer knows the page a button points at', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      const value = JSON.stringify({ c: 'expired-cursor', p: 3 });
      const clicked = await t.driver.action({ user: ADMIN, actionId: 'admin.people.next', value });
      const shown = clicked.responses.map(visibleText).join('\n');
      expect(shown).toContain('Slack no longer knows that page');
      expect(shown).toContain('People with a record: 6');
      expect(buttonsOf(clicked.responses.at(-1))).toEqual([]);
      expect(t.errors).toEqual([]);
    });

    it('answers a failure behind Next page where the admin clicked, without a stack trace, and keeps the page', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      // Replaced on the store's class (a unit of work builds its own stores): restored before anything is asserted.
      const broken = replaceMethod(t.ctx.stores.teammates, 'census', () => async () => {
        throw new Error('disk on fire at /var/lib/ripple');
      });
      const value = JSON.stringify({ c: Buffer.from('user:200').toString('base64'), p: 2 });
      const clicked = await t.driver
        .action({ user: ADMIN, actionId: 'admin.people.next', value })
        .finally(() => broken.restore());
      const last = clicked.responses.at(-1) as { replace_original?: boolean };
      expect(last.replace_original).toBe(false);
      const shown = visibleText(last);
      expect(shown).toMatch(/reference [0-9a-f]{8}/);
      expect(shown).not.toContain('disk on fire');
      expect(t.errors).toHaveLength(1);
    });

    it('is in the help of admins only', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      expect(await runCareer(t, ADMIN, 'help').then((r) => r.shown)).toContain('/career admin people');
      expect(await runCareer(t, MAYA, 'help').then((r) => r.shown)).not.toContain('/career admin people');
    });

    it('says when Slack cannot list members, and still shows the counts and the pending ratings', async () => {
      const t = await start('2026-08-04T12:00:00Z');
      await company(t);
      await sharedCheckin(t, ANA, MAYA, '2026-08-01T10:00:00.000Z');
      t.api.rateLimit((c) => c.method === 'users.list', 60_000);
      const shown = (await runCareer(t, ADMIN, 'admin people')).shown;
      expect(shown).toContain("Slack didn't list its members just now");
      expect(shown).toContain('People with a record: 6');
      expect(shown).toContain('waiting for ratings: 1');
      expect(shown).not.toContain('Something went wrong');
    });
  });
});
