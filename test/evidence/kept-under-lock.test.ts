import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { snapshot } from '../support/db.js';
import { CHEN, evidenceFormValues, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';

/**
 * Issue 17's remaining actions under a write lock held longer than their retries (another connection holding
 * `BEGIN EXCLUSIVE` on the same file: a backup, an import). Slack has had its 200, so each action tells the person,
 * where they acted, that nothing was saved; nothing reaches anyone else (no DM, no post, no message changed); the
 * database is byte for byte as it was; and doing it again once the lock is gone works, as the reply promises.
 * `/career brag` and `/career export` only read: they read under the lock (WAL) and send their file to the person's
 * DM, and nothing else. SQLite only: the lock is SQLite's.
 *
 * Each action waits out the real retries (about ten seconds, the event loop free; no test may shorten them: the
 * suite's workers share modules). Vitest runs at most five concurrent tests at once, so every action is set up and
 * sent under its lock in `beforeAll`, all at the same time, and each test reads its own action's answer: the waits
 * overlap once, not in three rounds.
 */

const NEXT = 'level-3:ideas-into-shipped-projects';
/** Web API methods that say something to someone or change what they see. */
const SPEAKING = /^(chat\.|files\.|views\.(publish|update|push)|conversations\.open)/;

/** Sets one action up on a database of its own; returns the request that is then sent under the lock. */
type Prepare = (app: TestApp) => Promise<() => Promise<Reply>>;

interface UnderLock {
  /** The answer to the request sent under the lock. */
  reply: Reply;
  /**
   * Ends the lock, then checks that the database is as it was when the lock was taken (while it is held nothing can
   * change it: a write still waiting to happen would land now) and that nothing failed (a stack trace in the log is a
   * crash, not a reply). The read-only connection reads the file as committed: WAL lets it read under the lock.
   */
  release: () => void;
  /** The same request, sent again. */
  again: () => Promise<Reply>;
}

const cleanups: (() => Promise<void>)[] = [];

async function underLock(prepare: Prepare): Promise<UnderLock> {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-evidence-kept-'));
  const path = join(dir, 'ripple.db');
  const app = await startTestApp({
    users: USERS_AND_CHEN,
    admins: [ADMIN],
    databasePath: path,
    now: '2026-12-04T10:00:00.000Z',
  });
  const reader = new Database(path, { readonly: true });
  const other = new Database(path);
  const end = () => {
    if (other.inTransaction) other.exec('COMMIT');
  };
  cleanups.push(async () => {
    end();
    other.close();
    reader.close();
    await app.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await runCareer(app, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
  const act = await prepare(app);
  const before = snapshot(reader);
  other.exec('BEGIN EXCLUSIVE');
  const reply = await act();
  return {
    reply,
    release: () => {
      end();
      expect(snapshot(reader)).toEqual(before);
      expect(app.errors).toEqual([]);
    },
    again: act,
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

/** The form a request opened: its callback_id and private_metadata. */
function formIn(reply: Reply): { callback_id: string; private_metadata: string } {
  const view = reply.calls.find((c) => c.method === 'views.open')?.args.view as
    | { callback_id: string; private_metadata: string }
    | undefined;
  expect(view, 'a form opened').toBeDefined();
  return view as { callback_id: string; private_metadata: string };
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
  return formIn(pressed);
}

const answerValues = (text: string) => ({ ask_answer: { text: { type: 'plain_text_input', value: text } } });

/** Chen's answer came back to Ben: his DM with Keep it / Don't keep. */
async function answered(app: TestApp): Promise<unknown> {
  const sent = await (await answerAsk(app))();
  const [back] = dmTo(sent, BEN);
  expect(visibleText(back)).toContain('Ben ships the newsletter every week.');
  return back;
}

/** Maya's `/career propose @ben` form. */
async function proposeForm(app: TestApp): Promise<{ private_metadata: string }> {
  const form = await runCareer(app, MAYA, `propose <@${BEN}|ben>`);
  return formIn(form.reply);
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

/** Ben's Edit form on his one win, opened from `/career evidence`; submitted with another expectation and a note. */
const editEvidence: Prepare = async (app) => {
  const edit = buttonsOf(await listWithAWin(app)).find((b) => b.text === 'Edit');
  const opened = await app.driver.action({
    user: BEN,
    actionId: edit?.actionId ?? '',
    value: edit?.value,
    responseUrl: app.api.responseUrl(),
  });
  const view = formIn(opened);
  return () =>
    app.driver.viewSubmission({
      user: BEN,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: evidenceFormValues('collaborate-with-peers', 'For the team offsite'),
    });
};

/** Delete on Ben's one win, in his `/career evidence` list. */
const deleteEvidence: Prepare = async (app) => {
  const del = buttonsOf(await listWithAWin(app)).find((b) => b.text === 'Delete');
  return () =>
    app.driver.action({
      user: BEN,
      actionId: del?.actionId ?? '',
      value: del?.value,
      responseUrl: app.api.responseUrl(),
    });
};

/** Keep it, or Don't keep, on Chen's answer in Ben's DM. */
const settleAnswer =
  (text: 'Keep it' | 'Don’t keep'): Prepare =>
  async (app) => {
    const back = await answered(app);
    return () => pressIn(app, BEN, back, text);
  };

/** Ben's ask form (from "Ask for an example"), submitted asking Chen. */
const askByForm: Prepare = async (app) => {
  const pressed = await app.driver.action({ user: BEN, actionId: 'evidence_ask_open', value: NEXT });
  const form = formIn(pressed);
  return () =>
    app.driver.viewSubmission({
      user: BEN,
      callbackId: form.callback_id,
      privateMetadata: form.private_metadata,
      values: {
        ask_colleague: { user: { type: 'users_select', selected_user: CHEN } },
        ask_context: { text: { type: 'plain_text_input', value: 'the spring launch' } },
      },
    });
};

const askByCommand: Prepare = async (app) => () =>
  app.driver.command(`ask <@${CHEN}|chen> ship regularly`, { user: BEN });

/** Chen's answer form on Ben's ask, submitted. */
const answerAsk: Prepare = async (app) => {
  const view = await answerForm(app, await asked(app));
  return () =>
    app.driver.viewSubmission({
      user: CHEN,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: answerValues('Ben ships the newsletter every week.'),
    });
};

/** Maya's Propose form for Ben, submitted. */
const propose: Prepare = async (app) => {
  const view = await proposeForm(app);
  return () =>
    app.driver.viewSubmission({
      user: MAYA,
      callbackId: 'promotion.propose.form',
      privateMetadata: view.private_metadata,
      values: proposeValues,
    });
};

/** Send it on, on Ben's draft. */
const sendOn: Prepare = async (app) => {
  const { benCase } = await proposed(app);
  return () => pressIn(app, BEN, benCase, 'Send it on');
};

/** The admin's Decline form on Ben's sent case, submitted with a note. */
const decline: Prepare = async (app) => {
  const { benCase } = await proposed(app);
  const sentOn = await pressIn(app, BEN, benCase, 'Send it on');
  const pressed = await pressIn(app, ADMIN, dmTo(sentOn, ADMIN)[0], 'Decline with a note');
  const form = formIn(pressed);
  return () =>
    app.driver.viewSubmission({
      user: ADMIN,
      callbackId: 'promotion.decline.form',
      privateMetadata: form.private_metadata,
      values: { note: { text: { type: 'plain_text_input', value: 'Another cycle on the budget work first.' } } },
    });
};

/** Withdraw, on Maya's copy of the case she proposed. */
const withdraw: Prepare = async (app) => {
  const { mayaCopy } = await proposed(app);
  return () => pressIn(app, MAYA, mayaCopy, 'Withdraw');
};

const brag: Prepare = async (app) => {
  await runCareer(app, BEN, 'win Baked a cake');
  return () => app.driver.command('brag', { user: BEN });
};

const exportData: Prepare = async (app) => {
  await runCareer(app, BEN, 'win Baked a cake');
  return () => app.driver.command('export', { user: BEN });
};

const ACTIONS = {
  editEvidence,
  deleteEvidence,
  keep: settleAnswer('Keep it'),
  dontKeep: settleAnswer('Don’t keep'),
  askByForm,
  askByCommand,
  answerAsk,
  propose,
  sendOn,
  decline,
  withdraw,
  brag,
  exportData,
};

/** Each action's run under its lock, all started together; a test awaits its own. */
let runs: Record<keyof typeof ACTIONS, Promise<UnderLock>>;

beforeAll(() => {
  runs = Object.fromEntries(
    Object.entries(ACTIONS).map(([name, prepare]) => {
      const run = underLock(prepare);
      // Awaited by its test; a failure is that test's, not an unhandled rejection here.
      run.catch(() => undefined);
      return [name, run];
    }),
  ) as typeof runs;
});

afterAll(async () => {
  await Promise.allSettled(runs ? Object.values(runs) : []);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const said = (replies: unknown[]) => replies.map(visibleText).join('\n');

/**
 * The request sent under the lock was acknowledged (200), said "nothing was saved" where the person acted (the
 * ack and response_url replies, or their DM for a form, `inDmOf`), and reached nobody else; then the lock ends and
 * the database is as it was. Returns what the person was told.
 */
function expectNothingSaved(run: UnderLock, inDmOf?: string): string {
  expect(run.reply.status).toBe(200);
  const told = inDmOf ? said(dmTo(run.reply, inDmOf)) : shownWhere(run.reply);
  expect(told).toContain('nothing was saved');
  expect(spokenTo(run.reply, inDmOf)).toEqual([]);
  run.release();
  return told;
}

describe.concurrent('issue 17 under a lock longer than the retries', { timeout: 40_000 }, () => {
  it('evidence Edit, submitted: nothing was saved, said where the list was; the entry is as it was', async () => {
    const run = await runs.editEvidence;
    expect(expectNothingSaved(run)).not.toContain('Collaborate directly with peers');
    // "Submit it again in a moment" is true.
    expect(shownWhere(await run.again())).toContain('Collaborate directly with peers');
  });

  it('evidence Delete: nothing was saved, said where the list was; the entry stays', async () => {
    const run = await runs.deleteEvidence;
    expect(expectNothingSaved(run)).not.toContain('Deleted');
    expect(shownWhere(await run.again())).toContain('Deleted “Baked a cake”');
  });

  it('Keep it on an answer: nothing was saved, said where Ben pressed; the answer stays his to keep', async () => {
    const run = await runs.keep;
    expectNothingSaved(run);
    expect(said((await run.again()).messages)).toContain('Kept in your evidence');
  });

  it('Don’t keep on an answer: nothing was saved, said where Ben pressed; the answer is still there', async () => {
    const run = await runs.dontKeep;
    expectNothingSaved(run);
    expect(said((await run.again()).messages)).toContain('Not kept');
  });

  it('Ask a colleague, the form submitted: nothing was saved, said in Ben’s DM; Chen hears nothing', async () => {
    const run = await runs.askByForm;
    // The form closed (no errors in the ack): the reply can only be in the DM.
    expect(JSON.stringify(run.reply.ack ?? '')).not.toContain('errors');
    expectNothingSaved(run, BEN);
    const asked = await run.again();
    expect(said(dmTo(asked, BEN))).toContain(`Asked <@${CHEN}> for an example`);
    expect(dmTo(asked, CHEN)).toHaveLength(1);
  });

  it('`/career ask @chen words`: nothing was saved, said where it was typed; Chen hears nothing', async () => {
    const run = await runs.askByCommand;
    expect(expectNothingSaved(run)).not.toContain('Asked');
    const asked = await run.again();
    expect(shownWhere(asked)).toContain(`Asked <@${CHEN}> for an example`);
    expect(dmTo(asked, CHEN)).toHaveLength(1);
  });

  it('Answer an ask, the colleague’s form submitted: nothing was saved, said in Chen’s DM; Ben hears nothing', async () => {
    const run = await runs.answerAsk;
    expectNothingSaved(run, CHEN);
    expect(said(dmTo(await run.again(), BEN))).toContain('Ben ships the newsletter every week.');
  });

  it('Propose, the form submitted: nothing was saved, said in Maya’s DM; Ben gets no case', async () => {
    const run = await runs.propose;
    expectNothingSaved(run, MAYA);
    expect(buttonsOf(dmTo(await run.again(), BEN)[0]).map((b) => b.text)).toContain('Send it on');
  });

  it('Send it on: nothing was saved, said where Ben pressed; no admin gets the case', async () => {
    const run = await runs.sendOn;
    expectNothingSaved(run);
    expect(buttonsOf(dmTo(await run.again(), ADMIN)[0]).map((b) => b.text)).toContain('Approve');
  });

  it('Decline with a note, submitted: nothing was saved, said in the admin’s DM; Maya gets no note', async () => {
    const run = await runs.decline;
    expectNothingSaved(run, ADMIN);
    expect(said(dmTo(await run.again(), MAYA))).toContain('Another cycle on the budget work first.');
  });

  it('Withdraw: nothing was saved, said where Maya pressed; Ben is not told of a withdrawal', async () => {
    const run = await runs.withdraw;
    expect(expectNothingSaved(run)).not.toContain('Withdrawn by');
    const withdrawn = await run.again();
    expect(shownWhere(withdrawn)).toContain(`Withdrawn by <@${MAYA}>`);
    expect(dmTo(withdrawn, BEN)).toHaveLength(1);
  });

  /** The file a reply shared, if any: its name and words, and where it went. */
  const sharedFile = (reply: Reply) =>
    reply.calls
      .filter((c) => c.method.startsWith('files.') || c.method === 'conversations.open')
      .map((c) => `${c.method} ${String(c.args.channel_id ?? c.args.users ?? '')}`);

  it('`/career brag` only reads: under the lock it still sends the file to Ben’s DM, and nothing else', async () => {
    const { reply, release } = await runs.brag;
    expect(reply.status).toBe(200);
    expect(shownWhere(reply)).toContain('brag file is in our direct messages');
    expect(shownWhere(reply)).not.toContain('busy');
    expect(sharedFile(reply)).toContain(`conversations.open ${BEN}`);
    expect(sharedFile(reply).some((c) => c.startsWith('files.completeUploadExternal'))).toBe(true);
    expect(dmTo(reply, MAYA)).toEqual([]);
    release();
  });

  it('`/career export` only reads: under the lock it still sends Ben his data, with the win in it', async () => {
    const { reply, release } = await runs.exportData;
    expect(reply.status).toBe(200);
    expect(shownWhere(reply)).not.toContain('busy');
    expect(sharedFile(reply).some((c) => c.startsWith('files.completeUploadExternal'))).toBe(true);
    expect(dmTo(reply, MAYA)).toEqual([]);
    release();
  });
});
