import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import { createStores, type Stores } from '../../src/store/index.js';
import type { Directory } from '../../src/teammates/directory.js';
import { forget } from '../../src/teammates/service.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';

const T = 'T0RIPPLE01';
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const AT = '2026-06-01T09:00:00.000Z';

const directory: Directory = {
  user: async (id) => ({
    ok: true,
    user: { id, name: id, tz: 'Europe/Lisbon', roles: {}, deleted: false, isBot: false },
  }),
} as Directory;

/** Alice in every table Ripple keeps about a person; Bob beside her, to show he is left alone. */
async function everythingAbout(stores: Stores, userId: string, managerId: string | null): Promise<void> {
  await stores.teammates.upsert({
    teamId: T,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    since: '2026-01-15',
    managerId,
    changedBy: 'U0ADMIN001',
    at: AT,
  });
  await stores.teammates.setTimeZone(T, userId, 'Europe/Lisbon', AT);
  await stores.teammates.pause(T, userId, { start: '2026-03-01', until: '2026-03-10', changedBy: userId, at: AT });
  await stores.teammates.resume(T, userId, { on: '2026-03-10', changedBy: userId, at: AT });
  await stores.checkins.create({
    teamId: T,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    targetLevelId: 'level-3',
    questions: [
      { levelId: 'level-2', levelNumber: 2, levelTitle: 'Associate', expectationId: 'e1', text: 'Owns a channel' },
    ],
    at: AT,
  });
  await stores.pending.add({
    teamId: T,
    requestedBy: 'U0ADMIN001',
    userId,
    change: { frameworkId: 'marketing', levelId: 'level-1', since: '2026-01-15', basedOn: 'x' } as never,
    createdAt: AT,
  });
  const key = { teamId: T, userId, kind: 'past', windowKey: 'marketing/level-2/2026-01-15' };
  await stores.reminders.setPlan({ ...key, dueAt: AT, plannedAt: AT });
  await stores.reminders.claim(key, '2026-06-01', AT);
  await stores.growth.setCelebrate(T, userId, true, AT);
  await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: userId, week: '2026-W22' }, AT);
}

/** Every row, in any table, with the person's id in any column. */
function rowsNaming(snapshot: Record<string, unknown[]>, userId: string): string[] {
  return Object.entries(snapshot).flatMap(([table, rows]) =>
    rows
      .filter((row) => Object.values(row as Record<string, unknown>).some((v) => v === userId))
      .map((row) => `${table}: ${JSON.stringify(row)}`),
  );
}

describe.each(engines())('/career forget on %s', (testEngine) => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  describe.skipIf(testEngine.skip)('', () => {
    it('deletes everything Ripple holds about the person in one unit, and nothing about anyone else', async () => {
      engine = await testEngine.open();
      const stores = createStores(engine);
      await everythingAbout(stores, ALICE, null);
      await everythingAbout(stores, BOB, ALICE);
      const before = await engineSnapshot(engine);
      // Every kind of row is there to be forgotten.
      for (const table of [
        'teammates',
        'teammate_history',
        'pauses',
        'checkins',
        'pending_changes',
        'reminder_plan',
        'reminder_ledger',
        'growth_preferences',
        'growth_weekly',
      ]) {
        expect(rowsNaming({ [table]: before[table] ?? [] }, ALICE).length, table).toBeGreaterThan(0);
      }

      const outcome = await forget({ ...stores, directory, admins: [] }, { teamId: T, userId: ALICE }, ALICE);
      expect(outcome).toMatchObject({ kind: 'forgotten', self: true });
      const after = await engineSnapshot(engine);
      // Only Bob's record and its history still name Alice, as his manager: that is Bob's data, not hers.
      expect(rowsNaming(after, ALICE)).toEqual([
        expect.stringMatching(/^teammate_history: .*"user_id":"U0BOB00001","field":"manager"/),
        expect.stringMatching(/^teammates: .*"user_id":"U0BOB00001"/),
      ]);
      expect(rowsNaming(after, BOB)).toEqual(rowsNaming(before, BOB));
    });
  });
});
