import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { snapshot } from '../support/db.js';
import { CHEN, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';

/**
 * Issue 17's remaining actions under a write lock held longer than their retries (another connection holding
 * `BEGIN EXCLUSIVE` on the same file: a backup, an import). Slack has had its 200, so each action tells the person,
 * where they acted, that nothing was saved; nothing reaches anyone else (no DM, no post, no message changed); the
 * database is byte for byte as it was. `/career brag` only reads: it says the database is busy and sends no file.
 * Each test waits out the real retries (about ten seconds, the event loop free): they run concurrently so the waits
 * overlap. SQLite only: the lock is SQLite's.
 */

const NEXT = 'level-3:ideas-into-shipped-projects';
/** Web API methods that say something to someone or change what they see. */
const SPEAKING = /^(chat\.|files\.|views\.(publish|update|push)|conversations\.open)/;

interface Started {
  app: TestApp;
  path: string;
}

async function start(t: TestContext): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-evidence-kept-'));
  const path = join(dir, 'ripple.db');
  const app = await startTestApp({
    users: USERS_AND_CHEN,
    admins: [ADMIN],
    databasePath: path,
    now: '2026-12-04T10:00:00.000Z',
  });
  t.onTestFinished(async () => {
    await app.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await runCareer(app, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
  return { app, path };
}

/**
 * Another connection takes the write lock (until `release`, or the test's end). `release()` ends it and then checks
 * that the database is as it was when the lock was taken (while the lock is held nothing could change it: a write
 * still waiting to happen would land now) and that nothing failed (a stack trace in the log is a crash, not a reply).
 * The read-only connection reads the file as it is committed (WAL lets it read under the lock).
 */
function lock(t: TestContext, { app, path }: Started): { release: () => void } {
  const reader = new Database(path, { readonly: true });
  const before = snapshot(reader);
  const other = new Database(path);
  other.exec('BEGIN EXCLUSIVE');
  const end = () => {
    if (other.inTransaction) other.exec('COMMIT');
  };
  t.onTestFinished(() => {
    end();
    other.close();
    reader.close();
  });
  return {
    release: () => {
      end();
      expect(snapshot(reader)).toEqual(before);
      expect(app.errors).toEqual([]);
    },
  };
}

/** What the person was shown where they acted: the ack and the response_url replies. */
const shownWhere = (reply: Reply) => [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');

/** The messages Ripple posted to one person's DM. */
const dmTo = (reply: Reply, user: string) =>
  reply.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}`).map((c) => c.args);

/** Calls that spoke to someone or changed what they see, except messages posted to `except`'s own DM. */
function spokenTo(reply: Reply, except?: string): string[] {
  return reply.calls
    .filter((c) => SPEAKING.test(c.method))
    .filter((c) => !(except && c.method === 'chat.postMessage' && c.args.channel === `D${except}`))
    .map((c) => `${c.method} ${String(c.args.channel ?? c.args.user_id ?? c.args.users ?? '')}`);
}

/** Ben's `/career evidence` list, with one win in it. */
async function listWithAWin(app: TestApp): Promise<unknown> {
  await runCareer(app, BEN, 'win Baked a cake');
  const list = await runCareer(app, BEN, 'evidence');
  return list.reply.responses[0];
}

/** Ben asks Chen for an example of "ship regularly"; Chen's DM with the ask (and its ts). */
async function asked(app: TestApp): Promise<{ request: unknown; ts: string }> {
  const ask = await runCareer(app, BEN, `ask <@${CHEN}|chen> ship regularly`);
  expect(ask.shown).toContain(`Asked <@${CHEN}> for an example`);
  const call = ask.reply.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${CHEN}`);
  return { request: call?.args, ts: String(call?.response?.ts) };
}

/** Chen presses Write an example on the ask: the answer form. */
async function answerForm(app: TestApp, request: { request: unknown; ts: string }) {
  const write = buttonsOf(request.request).find((b) => b.text === 'Write an example');
  const pressed = await app.driver.action({
    user: CHEN,
    actionId: write?.actionId ?? '',
    value: write?.value,
    channel: `D${CHEN}`,
    message: { ts: request.ts },
  });
  const view = pressed.calls.find((c) => c.method === 'views.open')?.args.view as {
    callback_id: string;
    private_metadata: string;
  };
  expect(view).toBeDefined();
  return view;
}

const answerValues = (text: string) => ({ ask_answer: { text: { type: 'plain_text_input', value: text } } });

/** Chen's answer came back to Ben: his DM with Keep it / Don't keep. */
async function answered(app: TestApp): Promise<unknown> {
  const view = await answerForm(app, await asked(app));
  const sent = await app.driver.viewSubmission({
    user: CHEN,
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values: answerValues('Ben ships the newsletter every week.'),
  });
  const [back] = dmTo(sent, BEN);
  expect(visibleText(back)).toContain('Ben ships the newsletter every week.');
  return back;
}

/** Maya's `/career propose @ben` form. */
async function proposeForm(app: TestApp): Promise<{ private_metadata: string }> {
  const form = await runCareer(app, MAYA, `propose <@${BEN}|ben>`);
  const view = form.reply.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
  expect(view).toBeDefined();
  return view;
}

const proposeValues = {
  level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } },
  note: { text: { type: 'plain_text_input', value: 'Led the autumn launch end to end.' } },
};

/** Maya proposed Ben: her copy (with Withdraw) and Ben's draft (with Send it on). */
async function proposed(app: TestApp): Promise<{ mayaCopy: unknown; benCase: unknown }> {
  const view = await proposeForm(app);
  const submitted = await app.driver.viewSubmission({
    user: MAYA,
    callbackId: 'promotion.propose.form',
    privateMetadata: view.private_metadata,
    values: proposeValues,
  });
  const [mayaCopy] = dmTo(submitted, MAYA);
  const [benCase] = dmTo(submitted, BEN);
  expect(benCase).toBeDefined();
  return { mayaCopy, benCase };
}

/** Presses the button `text` of `surface` as `user`, from their DM. */
async function pressIn(app: TestApp, user: string, surface: unknown, text: string): Promise<Reply> {
  const button = buttonsOf(surface).find((b) => b.text === text);
  expect(button, text).toBeDefined();
  return await app.driver.action({
    user,
    actionId: button?.actionId ?? '',
    value: button?.value,
    channel: `D${user}`,
    message: { ts: '1764842400.000900' },
  });
}

describe.concurrent('issue 17 under a lock longer than the retries', { timeout: 40_000 }, () => {
  it('evidence Edit, submitted: nothing was saved, said where the list was; the entry is as it was', async (t) => {
    const s = await start(t);
    const list = await listWithAWin(s.app);
    const edit = buttonsOf(list).find((b) => b.text === 'Edit');
    const opened = await s.app.driver.action({
      user: BEN,
      actionId: edit?.actionId ?? '',
      value: edit?.value,
      responseUrl: s.app.api.responseUrl(),
    });
    const view = opened.calls.find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    const submit = () =>
      s.app.driver.viewSubmission({
        user: BEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          evidence_target: {
            picked: {
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'x' }, value: 'collaborate-with-peers' },
            },
          },
          evidence_note: { note: { type: 'plain_text_input', value: 'For the team offsite' } },
        },
      });
    const db = lock(t, s);
    const saved = await submit();
    expect(saved.status).toBe(200);
    expect(shownWhere(saved)).toContain('nothing was saved');
    expect(shownWhere(saved)).not.toContain('Collaborate directly with peers');
    expect(spokenTo(saved)).toEqual([]);
    db.release();
    // "Submit it again in a moment" is true.
    expect(shownWhere(await submit())).toContain('Collaborate directly with peers');
  });

  it('evidence Delete: nothing was saved, said where the list was; the entry stays', async (t) => {
    const s = await start(t);
    const list = await listWithAWin(s.app);
    const del = buttonsOf(list).find((b) => b.text === 'Delete');
    const press = () =>
      s.app.driver.action({
        user: BEN,
        actionId: del?.actionId ?? '',
        value: del?.value,
        responseUrl: s.app.api.responseUrl(),
      });
    const db = lock(t, s);
    const deleted = await press();
    expect(deleted.status).toBe(200);
    expect(shownWhere(deleted)).toContain('nothing was saved');
    expect(shownWhere(deleted)).not.toContain('Deleted');
    expect(spokenTo(deleted)).toEqual([]);
    db.release();
    expect(shownWhere(await press())).toContain('Deleted “Baked a cake”');
  });

  it('Keep it on an answer: nothing was saved, said where Ben pressed; the answer stays his to keep', async (t) => {
    const s = await start(t);
    const back = await answered(s.app);
    const db = lock(t, s);
    const kept = await pressIn(s.app, BEN, back, 'Keep it');
    expect(kept.status).toBe(200);
    expect(shownWhere(kept)).toContain('nothing was saved');
    expect(spokenTo(kept)).toEqual([]);
    db.release();
    const again = await pressIn(s.app, BEN, back, 'Keep it');
    expect(again.messages.map(visibleText).join('\n')).toContain('Kept in your evidence');
  });

  it('Don’t keep on an answer: nothing was saved, said where Ben pressed; the answer is still there', async (t) => {
    const s = await start(t);
    const back = await answered(s.app);
    const db = lock(t, s);
    const dropped = await pressIn(s.app, BEN, back, 'Don’t keep');
    expect(dropped.status).toBe(200);
    expect(shownWhere(dropped)).toContain('nothing was saved');
    expect(spokenTo(dropped)).toEqual([]);
    db.release();
    const again = await pressIn(s.app, BEN, back, 'Don’t keep');
    expect(again.messages.map(visibleText).join('\n')).toContain('Not kept');
  });

  it('Ask a colleague, the form submitted: nothing was saved, said in Ben’s DM; Chen hears nothing', async (t) => {
    const s = await start(t);
    const pressed = await s.app.driver.action({ user: BEN, actionId: 'evidence_ask_open', value: NEXT });
    const form = pressed.calls.find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    const submit = () =>
      s.app.driver.viewSubmission({
        user: BEN,
        callbackId: form.callback_id,
        privateMetadata: form.private_metadata,
        values: {
          ask_colleague: { user: { type: 'users_select', selected_user: CHEN } },
          ask_context: { text: { type: 'plain_text_input', value: 'the spring launch' } },
        },
      });
    const db = lock(t, s);
    const submitted = await submit();
    expect(submitted.status).toBe(200);
    expect(JSON.stringify(submitted.ack ?? '')).not.toContain('errors');
    expect(dmTo(submitted, BEN).map(visibleText).join('\n')).toContain('nothing was saved');
    expect(spokenTo(submitted, BEN)).toEqual([]);
    db.release();
    const again = await submit();
    expect(dmTo(again, BEN).map(visibleText).join('\n')).toContain(`Asked <@${CHEN}> for an example`);
    expect(dmTo(again, CHEN)).toHaveLength(1);
  });

  it('`/career ask @chen words`: nothing was saved, said where it was typed; Chen hears nothing', async (t) => {
    const s = await start(t);
    const ask = () => runCareer(s.app, BEN, `ask <@${CHEN}|chen> ship regularly`);
    const db = lock(t, s);
    const locked = await ask();
    expect(locked.shown).toContain('nothing was saved');
    expect(locked.shown).not.toContain('Asked');
    expect(spokenTo(locked.reply)).toEqual([]);
    db.release();
    const again = await ask();
    expect(again.shown).toContain(`Asked <@${CHEN}> for an example`);
    expect(dmTo(again.reply, CHEN)).toHaveLength(1);
  });

  it('Answer an ask, the colleague’s form submitted: nothing was saved, said in Chen’s DM; Ben hears nothing', async (t) => {
    const s = await start(t);
    const view = await answerForm(s.app, await asked(s.app));
    const submit = () =>
      s.app.driver.viewSubmission({
        user: CHEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: answerValues('Ben ships the newsletter every week.'),
      });
    const db = lock(t, s);
    const sent = await submit();
    expect(sent.status).toBe(200);
    expect(dmTo(sent, CHEN).map(visibleText).join('\n')).toContain('nothing was saved');
    expect(spokenTo(sent, CHEN)).toEqual([]);
    db.release();
    const again = await submit();
    expect(dmTo(again, BEN).map(visibleText).join('\n')).toContain('Ben ships the newsletter every week.');
  });

  it('Propose, the form submitted: nothing was saved, said in Maya’s DM; Ben gets no case', async (t) => {
    const s = await start(t);
    const view = await proposeForm(s.app);
    const submit = () =>
      s.app.driver.viewSubmission({
        user: MAYA,
        callbackId: 'promotion.propose.form',
        privateMetadata: view.private_metadata,
        values: proposeValues,
      });
    const db = lock(t, s);
    const submitted = await submit();
    expect(submitted.status).toBe(200);
    expect(dmTo(submitted, MAYA).map(visibleText).join('\n')).toContain('nothing was saved');
    expect(spokenTo(submitted, MAYA)).toEqual([]);
    db.release();
    const again = await submit();
    expect(buttonsOf(dmTo(again, BEN)[0]).map((b) => b.text)).toContain('Send it on');
  });

  it('Send it on: nothing was saved, said where Ben pressed; no admin gets the case', async (t) => {
    const s = await start(t);
    const { benCase } = await proposed(s.app);
    const db = lock(t, s);
    const sent = await pressIn(s.app, BEN, benCase, 'Send it on');
    expect(sent.status).toBe(200);
    expect(shownWhere(sent)).toContain('nothing was saved');
    expect(spokenTo(sent)).toEqual([]);
    db.release();
    const again = await pressIn(s.app, BEN, benCase, 'Send it on');
    expect(buttonsOf(dmTo(again, ADMIN)[0]).map((b) => b.text)).toContain('Approve');
  });

  it('Decline with a note, submitted: nothing was saved, said in the admin’s DM; Maya gets no note', async (t) => {
    const s = await start(t);
    const { benCase } = await proposed(s.app);
    const sentOn = await pressIn(s.app, BEN, benCase, 'Send it on');
    const decline = await pressIn(s.app, ADMIN, dmTo(sentOn, ADMIN)[0], 'Decline with a note');
    const form = decline.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
    expect(form).toBeDefined();
    const submit = () =>
      s.app.driver.viewSubmission({
        user: ADMIN,
        callbackId: 'promotion.decline.form',
        privateMetadata: form.private_metadata,
        values: { note: { text: { type: 'plain_text_input', value: 'Another cycle on the budget work first.' } } },
      });
    const db = lock(t, s);
    const declined = await submit();
    expect(declined.status).toBe(200);
    expect(dmTo(declined, ADMIN).map(visibleText).join('\n')).toContain('nothing was saved');
    expect(spokenTo(declined, ADMIN)).toEqual([]);
    db.release();
    const again = await submit();
    expect(dmTo(again, MAYA).map(visibleText).join('\n')).toContain('Another cycle on the budget work first.');
  });

  it('Withdraw: nothing was saved, said where Maya pressed; Ben is not told of a withdrawal', async (t) => {
    const s = await start(t);
    const { mayaCopy } = await proposed(s.app);
    const db = lock(t, s);
    const withdrawn = await pressIn(s.app, MAYA, mayaCopy, 'Withdraw');
    expect(withdrawn.status).toBe(200);
    expect(shownWhere(withdrawn)).toContain('nothing was saved');
    expect(shownWhere(withdrawn)).not.toContain('Withdrawn by');
    expect(spokenTo(withdrawn)).toEqual([]);
    db.release();
    const again = await pressIn(s.app, MAYA, mayaCopy, 'Withdraw');
    expect(shownWhere(again)).toContain(`Withdrawn by <@${MAYA}>`);
    expect(dmTo(again, BEN)).toHaveLength(1);
  });

  it('`/career brag` only reads: it says the database is busy and sends no file', async (t) => {
    const s = await start(t);
    await runCareer(s.app, BEN, 'win Baked a cake');
    const db = lock(t, s);
    const brag = await runCareer(s.app, BEN, 'brag');
    expect(brag.shown).toContain('database is busy');
    expect(brag.shown).not.toContain('brag file is in our direct messages');
    expect(spokenTo(brag.reply)).toEqual([]);
    db.release();
    const again = await runCareer(s.app, BEN, 'brag');
    expect(again.shown).toContain('brag file is in our direct messages');
  });
});
