import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { SqlWorkspaceStore } from '../../src/store/index.js';
import { lastingDatabase, startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { engineSnapshot, replaceMethod } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { inGridOrg, ORG, sendSlackRequest } from '../support/slack-requests.js';

/**
 * Issue 13, item 3: after an uninstall and a reinstall Ripple speaks again as soon as Slack shows
 * it is installed (its token passes auth.test, or a verified request arrives), a DM it cannot send
 * is said where the person acted, and org-wide lifecycle events are handled.
 */

const ADMIN = 'U0ADMIN001';
const BEN = 'U0BEN00001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana' },
  { id: BEN, name: 'ben' },
];

const started: (() => Promise<void>)[] = [];
const dirs: string[] = [];
const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of started.splice(0)) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const remove of removals.splice(0)) await remove();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp({ users: USERS, admins: [ADMIN], ...options });
  let stopped = false;
  app.stop = ((stop) => async () => {
    if (stopped) return;
    stopped = true;
    await stop();
  })(app.stop);
  started.push(() => app.stop());
  return app;
}

const workspaceRow = async (t: TestApp) =>
  await t.engine.sql.get<{ active: number }>('SELECT active FROM workspaces WHERE team_id = ?', [t.api.teamId]);

const shownIn = (reply: { ack: unknown; responses: unknown[] }) =>
  [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');

/** DMs Slack took (a refused post reached nobody). */
const dmsTo = (
  reply: { calls: { method: string; args: Record<string, unknown>; response?: { ok?: unknown } }[] },
  user: string,
) =>
  reply.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}` && c.response?.ok === true,
  );

async function uninstall(t: TestApp) {
  expect((await t.driver.event({ type: 'app_uninstalled' })).status).toBe(200);
  expect((await t.driver.event({ type: 'tokens_revoked', tokens: { bot: [t.api.botUserId] } })).status).toBe(200);
  expect((await workspaceRow(t))?.active).toBe(0);
}

// Every test here on SQLite and on PostgreSQL (skipped with a reason when there is no server here).
describe.each(engines())('on %s', ({ name: engine, skip }) => {
  describe.skipIf(skip)('a reinstall brings Ripple back', () => {
    it('/career checkin after uninstall and reinstall sends the check-in to the DM', async () => {
      const t = await start({ engine });
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15`, { user: ADMIN });
      await uninstall(t);
      // Reinstalled: the next thing Slack sends is Ben's command.
      const begun = await t.driver.command('checkin', { user: BEN });
      expect(begun.status).toBe(200);
      expect(shownIn(begun)).toContain('Your check-in is in our DM');
      expect(visibleText(dmsTo(begun, BEN)[0]?.args)).toContain('1 of 13');
      expect((await workspaceRow(t))?.active).toBe(1);
    });

    it('any verified request from the workspace marks it active again, and its reminders may go out', async () => {
      const t = await start({ engine });
      await uninstall(t);
      expect(await t.ctx.stores.workspaces.isActive(t.api.teamId)).toBe(false);
      const help = await t.driver.command('help', { user: BEN });
      expect(help.status).toBe(200);
      expect(await t.ctx.stores.workspaces.isActive(t.api.teamId)).toBe(true);
      expect(await t.slack.services.notifier.dm(t.api.teamId, BEN, [{ text: 'hello', blocks: [] }])).toBe(true);
    });

    it('a retried event is no proof of a reinstall (Slack may retry one sent before the uninstall)', async () => {
      const t = await start({ engine });
      await uninstall(t);
      const retried = await t.driver.event(
        { type: 'user_change', user: { id: BEN, tz: 'Europe/Paris' } },
        { retryNum: 1, retryReason: 'http_timeout' },
      );
      expect(retried.status).toBe(200);
      expect((await workspaceRow(t))?.active).toBe(0);
    });

    // A second SQLite connection holds the lock; PostgreSQL's locks are row locks, taken by a unit of work.
    it.skipIf(engine !== 'sqlite')(
      'a request that cannot write the reactivation (the database locked) is still served; the next one writes it',
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'ripple-lifecycle-'));
        dirs.push(dir);
        const path = join(dir, 'career.db');
        const t = await start({ databasePath: path });
        await uninstall(t);
        const other = new Database(path);
        try {
          other.exec('BEGIN EXCLUSIVE');
          const help = await t.driver.command('help', { user: BEN });
          expect(help.status).toBe(200);
          expect(shownIn(help)).toContain('/career me');
          other.exec('COMMIT');
        } finally {
          other.close();
        }
        expect((await workspaceRow(t))?.active).toBe(0);
        await t.driver.command('help', { user: BEN });
        expect((await workspaceRow(t))?.active).toBe(1);
      },
    );

    it('a bot token that passes auth.test at start marks the workspace active again', async () => {
      const lasting = await lastingDatabase(engine);
      removals.push(lasting.remove);
      // The last instance saw the uninstall; the app was reinstalled while Ripple was down.
      const before = await start(lasting.options);
      await uninstall(before);
      await before.stop();
      const t = await start(lasting.options);
      expect(t.api.teamId).toBe('T0RIPPLE01');
      expect((await workspaceRow(t))?.active).toBe(1);
      expect(await t.slack.services.notifier.dm(t.api.teamId, BEN, [{ text: 'hello', blocks: [] }])).toBe(true);
    });

    it('an uninstall just after start is not undone by the start’s own check of the token', async () => {
      // The start's reactivation takes a while (a database across a network): its read comes after the uninstall.
      let reactivations: Promise<unknown> = Promise.resolve();
      const slow = replaceMethod(
        SqlWorkspaceStore.prototype,
        'reactivate',
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            const done = new Promise((r) => setTimeout(r, 50)).then(() => original.apply(this, args));
            reactivations = reactivations.then(() => done);
            return done;
          },
      );
      try {
        const t = await start({ engine });
        await uninstall(t);
        await reactivations;
        expect((await workspaceRow(t))?.active).toBe(0);
        expect(await t.ctx.stores.workspaces.isActive(t.api.teamId)).toBe(false);
      } finally {
        slow.restore();
      }
    });
  });

  describe.skipIf(skip)('a DM Ripple cannot send', () => {
    it('/career checkin says so where the person asked, instead of "your check-in is in our DM"', async () => {
      const t = await start({ engine });
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15`, { user: ADMIN });
      // The DM was opened for the note about the record (and its id kept): Slack now refuses the post itself.
      t.api.failNext('chat.postMessage', { error: 'user_disabled' });
      const begun = await t.driver.command('checkin', { user: BEN });
      expect(begun.status).toBe(200);
      const shown = shownIn(begun);
      expect(shown).toContain("I couldn't send your check-in to our DM");
      expect(shown).not.toContain('is in our DM');
      expect(dmsTo(begun, BEN)).toEqual([]);
    });
  });

  describe.skipIf(skip)('org-wide lifecycle events (enterprise_id, no team_id)', () => {
    it.each(['org-app-uninstalled', 'org-tokens-revoked'])(
      '%s of our org answers 200 and stops the workspace',
      async (name) => {
        const t = await start({ engine, offline: { prepareApi: inGridOrg } });
        await t.driver.command('help', { user: BEN });
        const reply = await sendSlackRequest(t, name, { enterprise: ORG });
        expect(reply.status).toBe(200);
        expect(await t.ctx.stores.workspaces.isActive(t.api.teamId)).toBe(false);
        expect(t.errors).toEqual([]);
      },
    );

    it.each([
      ['another org', { offline: { prepareApi: inGridOrg } }],
      ['an org, while our workspace is in none', {}],
    ])('an org-wide uninstall of %s answers 200 and changes nothing', async (_label, options: TestAppOptions) => {
      const t = await start({ engine, ...options });
      await t.driver.command('help', { user: BEN });
      const before = await engineSnapshot(t.engine);
      const reply = await sendSlackRequest(t, 'org-app-uninstalled', { enterprise: 'E0OTHERORG1' });
      expect(reply.status).toBe(200);
      expect(await engineSnapshot(t.engine)).toEqual(before);
      expect(await t.ctx.stores.workspaces.isActive(t.api.teamId)).toBe(true);
    });
  });
});
