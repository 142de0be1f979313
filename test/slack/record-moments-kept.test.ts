import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { snapshot } from '../support/db.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';

/**
 * Issue 16's new actions under a write lock held longer than their retries (another connection holding
 * `BEGIN EXCLUSIVE` on the same file: a backup, an import): each tells the person where they acted that
 * nothing was saved, sends nothing, and leaves the database as it was.
 */

const CHANNEL = 'C0GROWTH01';

async function start(t: TestContext): Promise<{ app: TestApp; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-moments-kept-'));
  const path = join(dir, 'ripple.db');
  const app = await startTestApp({ users: USERS, admins: [ADMIN], databasePath: path });
  t.onTestFinished(async () => {
    await app.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await runCareer(app, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
  return { app, path };
}

/** Another connection takes the write lock until the test ends. */
function lock(t: TestContext, path: string): void {
  const other = new Database(path);
  other.exec('BEGIN EXCLUSIVE');
  t.onTestFinished(() => {
    if (other.inTransaction) other.exec('COMMIT');
    other.close();
  });
}

describe.concurrent('under a lock longer than the retries', () => {
  it('Celebrate says nothing was saved and posts nothing', async (t) => {
    const { app, path } = await start(t);
    await runCareer(app, ADMIN, `admin channel <#${CHANNEL}|growth>`);
    const up = await runCareer(app, ADMIN, `set <@${BEN}|ben> marketing 3`);
    const dm = up.reply.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`);
    const celebrate = buttonsOf(dm?.args).find((b) => b.text === 'Celebrate in the growth channel');
    expect(celebrate).toBeDefined();
    const db = new Database(path, { readonly: true });
    const before = snapshot(db);
    lock(t, path);
    const pressed = await app.driver.action({
      user: BEN,
      actionId: celebrate?.actionId ?? '',
      value: celebrate?.value,
    });
    expect(pressed.status).toBe(200);
    expect(pressed.responses.map(visibleText).join('\n')).toContain('nothing was saved');
    expect(pressed.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL)).toEqual([]);
    expect(snapshot(db)).toEqual(before);
    db.close();
  });

  it('/career digest off says nothing was saved and keeps the digest on', async (t) => {
    const { app, path } = await start(t);
    const db = new Database(path, { readonly: true });
    const before = snapshot(db);
    lock(t, path);
    const off = await runCareer(app, MAYA, 'digest off');
    expect(off.shown).toContain('nothing was saved');
    expect(snapshot(db)).toEqual(before);
    db.close();
  });

  it('Save as evidence says nothing was saved where the person acted, and keeps nothing (issue 17)', async (t) => {
    const { app, path } = await start(t);
    const opened = await app.driver.messageAction({
      user: BEN,
      channel: CHANNEL,
      message: { ts: '1764842400.000100', text: 'Ben shipped the launch', user: MAYA },
    });
    const view = opened.calls.find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe('evidence_save');
    const db = new Database(path, { readonly: true });
    const before = snapshot(db);
    lock(t, path);
    const submitted = await app.driver.viewSubmission({
      user: BEN,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {},
    });
    expect(submitted.status).toBe(200);
    // Said in the channel where the shortcut was used (its response_url), not in a DM.
    expect(submitted.responses.map(visibleText).join('\n')).toContain('nothing was saved');
    expect(submitted.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(snapshot(db)).toEqual(before);
    db.close();
  });

  it('/career win says nothing was saved and keeps nothing (issue 17)', async (t) => {
    const { app, path } = await start(t);
    const db = new Database(path, { readonly: true });
    const before = snapshot(db);
    lock(t, path);
    const win = await runCareer(app, BEN, 'win Shipped the launch');
    expect(win.shown).toContain('nothing was saved');
    expect(win.shown).not.toContain('Saved your win');
    expect(snapshot(db)).toEqual(before);
    db.close();
  });
});
