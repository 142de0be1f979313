import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { HOME_REPORTS } from '../../src/slack/home.js';
import type { ImportRow, TeammateStore } from '../../src/store/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const DEE = 'U0DEE00001';
const EVE = 'U0EVE00001';
const CHEN = 'U0CHEN0001';
const GONE = 'U0GONE0001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: DEE, name: 'dee' },
  { id: EVE, name: 'eve' },
  { id: CHEN, name: 'chen' },
  { id: GONE, name: 'gone' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;

/**
 * Counts what the app reads through the teammate store while a request runs: the calls, and the teammate records they
 * return (a list counts each record; pauses, a count or a yes/no count none).
 */
function countReads(store: TeammateStore): { calls: string[]; records: number } {
  const seen = { calls: [] as string[], records: 0 };
  const isRecord = (r: unknown) => typeof r === 'object' && r !== null && ('frameworkId' in r || 'record' in r);
  // The store's methods, its class's among them.
  const names = new Set<string>();
  for (let o: object | null = store; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const n of Object.getOwnPropertyNames(o)) if (n !== 'constructor') names.add(n);
  }
  const methods = [...names].filter((n) => typeof Reflect.get(store, n) === 'function');
  for (const name of methods) {
    const original = Reflect.get(store, name) as (...args: unknown[]) => unknown;
    Object.defineProperty(store, name, {
      configurable: true,
      value: async (...args: unknown[]) => {
        const result = await original.apply(store, args);
        seen.calls.push(name);
        seen.records += Array.isArray(result) ? result.filter(isRecord).length : isRecord(result) ? 1 : 0;
        return result;
      },
    });
  }
  return seen;
}

/** What the person saw, as text. */
const career = async (user: string, text: string) => (await runCareer(t, user, text)).shown;

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  // Every test here on SQLite and on PostgreSQL (skipped with a reason when there is no server here); the hooks
  // run only for the tests that do.
  beforeEach(async () => {
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    await career(ADMIN, `set ${m(DEE)} engineering 1 since 2026-10-01 manager ${m(MAYA)}`);
    await career(ADMIN, `set ${m(EVE)} marketing 1 since 2026-10-01 manager ${m(CHEN)}`);
    await career(ADMIN, `set ${m(GONE)} marketing 1 since 2026-10-01 manager ${m(MAYA)}`);
    await t.driver.event({ type: 'user_change', user: { id: GONE, name: 'gone', deleted: true } });
  });
  afterEach(async () => {
    await t.stop();
  });

  describe.skipIf(skip)('/career team', () => {
    it('lists exactly the caller’s current reports, with level, time at level and window state', async () => {
      const before = await engineSnapshot(t.engine);
      const shown = await career(MAYA, 'team');
      const listed = [...shown.matchAll(/<@(U[0-9A-Z]+)> ·/g)].map((x) => x[1]);
      expect(listed.sort()).toEqual([BEN, DEE].sort());
      expect(shown).toContain(
        `<@${BEN}> · Marketing · Level 2 · Strategist · 10 months at the level · in the window (15 July 2026 to 15 January 2027)`,
      );
      expect(shown).toContain(
        `<@${DEE}> · Engineering · Level 1 · Software Engineer · 2 months at the level · window not open yet (1 April 2027 to 1 October 2027)`,
      );
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });

    it('shows a paused report as paused', async () => {
      await career(BEN, 'pause');
      expect(await career(MAYA, 'team')).toContain(
        `<@${BEN}> · Marketing · Level 2 · Strategist · 10 months at the level · paused`,
      );
    });

    it('someone with no reports is told how a report is recorded', async () => {
      expect(await career(BEN, 'team')).toContain('nobody has you as their manager of record yet');
    });

    it('an admin may list anyone’s reports; nobody else may', async () => {
      expect(await career(ADMIN, `team ${m(CHEN)}`)).toContain(`<@${EVE}> ·`);
      const refused = await career(BEN, `team ${m(MAYA)}`);
      expect(refused).toContain("Only Ripple admins can list someone else's reports");
      expect(refused).not.toContain(`<@${DEE}>`);
    });

    it('a manager’s Home tab shows the same list', async () => {
      const reply = await t.driver.event({ type: 'app_home_opened', user: MAYA, channel: `D${MAYA}`, tab: 'home' });
      const view = reply.calls.find((c) => c.method === 'views.publish')?.args.view;
      const text = visibleText(view);
      expect(text).toContain('Your reports (2)');
      expect(text).toContain(`<@${BEN}> · Marketing · Level 2`);
      expectWithinSlackLimits(reply);
    });
  });

  describe.skipIf(skip)('a manager with 400 reports', () => {
    const REPORTS = 400;
    const reportId = (i: number) => `U0R${String(i).padStart(7, '0')}`;
    // Added by each test, not in a beforeEach: biome's noDuplicateTestHooks does not see describe.skipIf as a block.
    const addReports = async () => {
      const rows: ImportRow[] = Array.from({ length: REPORTS }, (_, i) => ({
        teamId: t.api.teamId,
        userId: reportId(i),
        frameworkId: 'marketing',
        levelId: 'level-2',
        since: '2026-01-15',
        managerId: CHEN,
      }));
      await t.ctx.stores.teammates.importMany(rows, ADMIN, '2026-11-01T00:00:00.000Z');
    };
    const openHome = async (user: string) => {
      const reply = await t.driver.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
      expect(reply.status).toBe(200);
      expectWithinSlackLimits(reply);
      return visibleText(reply.calls.find((c) => c.method === 'views.publish')?.args.view);
    };

    it('Home lists the first reports and the count, reading only those it shows', async () => {
      await addReports();
      const reads = countReads(t.ctx.stores.teammates);
      const text = await openHome(CHEN);
      expect(text).toContain(`Your reports (${REPORTS + 1})`);
      expect([...text.matchAll(/<@(U[0-9A-Z]+)> ·/g)].map((x) => x[1])).toEqual(
        [EVE, ...Array.from({ length: HOME_REPORTS - 1 }, (_, i) => reportId(i))].sort(),
      );
      expect(text).toContain(`The first ${HOME_REPORTS} of ${REPORTS + 1}: \`/career team\` lists them all.`);
      // The reports shown (Chen has no record of his own), never the whole list.
      expect(reads.records).toBe(HOME_REPORTS);
      expect(reads.calls).not.toContain('listAll');
    });

    it('Home for someone who manages nobody reads their own record and no reports list', async () => {
      await addReports();
      const reads = countReads(t.ctx.stores.teammates);
      const text = await openHome(BEN);
      expect(text).not.toContain('Your reports');
      expect(reads.records).toBe(1);
      expect(reads.calls.filter((c) => ['reports', 'listAll', 'countReports'].includes(c))).toEqual([]);
    });

    it('/career team lists every report once, within Slack’s limits and its five uses of a response_url', async () => {
      await addReports();
      const reads = countReads(t.ctx.stores.teammates);
      const { reply, shown } = await runCareer(t, CHEN, 'team');
      const listed = [...shown.matchAll(/<@(U[0-9A-Z]+)> ·/g)].map((x) => x[1]);
      expect(listed).toHaveLength(REPORTS + 1);
      expect(new Set(listed).size).toBe(REPORTS + 1);
      expect(shown).toContain(`Your reports (${REPORTS + 1})`);
      expect(shown).not.toContain('/career team` lists them all');
      // Slack takes at most five messages on one response_url (within 30 minutes).
      expect(reply.responses.length).toBeLessThanOrEqual(5);
      // What is shown, and nothing else: one read of the list.
      expect(reads.records).toBe(REPORTS + 1);
      expect(reads.calls.filter((c) => c === 'reports')).toHaveLength(1);
    });
  });
});
