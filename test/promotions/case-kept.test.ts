import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { snapshot } from '../support/db.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';

/**
 * Approve under a write lock held longer than its retries (another connection holding `BEGIN EXCLUSIVE` on the same
 * file: a backup, an import): the admin is told where they pressed that nothing was saved, nobody is congratulated,
 * and the database is as it was, so pressing again later approves. It waits out the real retries (about ten seconds):
 * the suite's workers share modules (`isolate: false`), so no test may shorten them by mocking.
 */
describe('Approve under a lock longer than the retries', () => {
  it('says nothing was saved where the admin pressed, sends nothing, and works once the lock is gone', {
    timeout: 30_000,
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-case-kept-'));
    const path = join(dir, 'ripple.db');
    const app = await startTestApp({ users: USERS, admins: [ADMIN], databasePath: path });
    t.onTestFinished(async () => {
      await app.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    });
    await runCareer(app, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
    const asked = await runCareer(app, MAYA, `propose <@${BEN}|ben>`);
    const form = asked.reply.calls.find((c) => c.method === 'views.open');
    const view = form?.args.view as { private_metadata: string };
    const proposed = await app.driver.viewSubmission({
      user: MAYA,
      callbackId: 'promotion.propose.form',
      privateMetadata: view.private_metadata,
      values: { level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } } },
    });
    const caseDm = proposed.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`);
    const send = buttonsOf(caseDm?.args).find((b) => b.text === 'Send it on');
    const sent = await app.driver.action({ user: BEN, actionId: send?.actionId ?? '', value: send?.value });
    const adminDm = sent.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN}`);
    const approve = buttonsOf(adminDm?.args).find((b) => b.text === 'Approve');
    expect(approve).toBeDefined();

    const db = new Database(path, { readonly: true });
    const before = snapshot(db);
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    const pressed = await app.driver.action({ user: ADMIN, actionId: approve?.actionId ?? '', value: approve?.value });
    expect(pressed.status).toBe(200);
    expect(pressed.responses.map(visibleText).join('\n')).toContain('nothing was saved');
    expect(pressed.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(snapshot(db)).toEqual(before);
    other.exec('COMMIT');
    other.close();

    const again = await app.driver.action({ user: ADMIN, actionId: approve?.actionId ?? '', value: approve?.value });
    expect(again.responses.map(visibleText).join('\n')).toContain('Approved by');
    expect((await app.ctx.stores.teammates.get(app.api.teamId, BEN))?.levelId).toBe('level-3');
    db.close();
  });
});
