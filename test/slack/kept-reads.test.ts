import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresEngine } from '../../src/db/postgres.js';
import { lastingDatabase, startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { ADMIN, BEN, USERS } from '../support/people.js';
import { postgresServer } from '../support/postgres.js';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

const server = postgresServer();

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!ok()) throw new Error(`timed out waiting until ${what}`);
}

/**
 * On PostgreSQL an instance keeps its answers to `/career me` and help's reads of teammates and pauses between
 * requests (src/db/postgres.ts, ReadCache), and drops them when any instance changes either table.
 */
describe.skipIf(server.skip)('reads kept by two instances of one PostgreSQL database', () => {
  it('`/career me` and help are answered without a round trip, and show a change made through the other instance', async () => {
    const lasting = await lastingDatabase('postgres');
    try {
      const start = async () => {
        const t = await startTestApp({ users: USERS, admins: [ADMIN], ...lasting.options });
        apps.push(t);
        const cache = (t.engine as PostgresEngine).readCache;
        await until('it listens', () => cache.listening);
        return { t, cache };
      };
      const a = await start();
      const b = await start();
      const me = async () => visibleText((await a.t.driver.command('me', { user: BEN })).messages);

      await b.t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15`, { user: ADMIN });
      await until("A hears of B's change", () => a.cache.counts.dropped > 0);
      expect(await me()).toContain('Level 2');
      const before = { ...a.cache.counts };
      expect(await me()).toContain('Level 2');
      expect(a.cache.counts.hits - before.hits).toBe(1);
      expect(a.cache.counts.misses - before.misses).toBe(0);

      // A write that leaves teammates and pauses alone (a reminder's claim) keeps what was kept.
      const key = { teamId: a.t.api.teamId, userId: BEN, kind: 'open', windowKey: 'marketing/level-2/2026-01-15' };
      expect(await a.t.ctx.stores.reminders.claim(key, '2026-07-15', '2026-07-15T09:00:00.000Z')).toBe(true);
      const claimed = { ...a.cache.counts };
      expect(await me()).toContain('Level 2');
      expect(a.cache.counts.hits - claimed.hits).toBe(1);

      // Help for a member with a record: "manager?" and "a record?", both kept after the first.
      await a.t.driver.command('help', { user: BEN });
      const help = { ...a.cache.counts };
      const answer = await a.t.driver.command('help', { user: BEN });
      expect(visibleText(answer.messages)).toContain('/career me');
      expect(a.cache.counts.misses - help.misses).toBe(0);

      // B changes Ben's level: A's next `/career me` shows it once the change's notification has come.
      const dropped = a.cache.counts.dropped;
      await b.t.driver.command(`set <@${BEN}|ben> marketing 3 since 2026-06-01`, { user: ADMIN });
      await until("A hears of B's second change", () => a.cache.counts.dropped > dropped);
      const after = await me();
      expect(after).toContain('Level 3');
      expect(after).not.toContain('Level 2');

      // A's own write is seen at once, before any notification comes back.
      const set = await a.t.driver.command(`set <@${BEN}|ben> marketing 4 since 2026-11-01`, { user: ADMIN });
      expect(visibleText(set.messages)).toContain('Updated');
      expect(await me()).toContain('Level 4');
    } finally {
      for (const x of apps.splice(0)) await x.stop().catch(() => undefined);
      await lasting.remove();
    }
  });
});
