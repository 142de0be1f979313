import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext, vi } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { SqlCheckinStore } from '../../src/store/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import {
  ephemeralButton,
  fileShare,
  type PayloadContext,
  selected,
  typed,
  viewClosed,
  viewSubmission,
} from '../support/checkin-payloads.js';
import { snapshot } from '../support/db.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';

/**
 * Issue 13, items 5 and 6: every check-in action Slack was told we received is either kept or
 * answered with "nothing was saved", and no Slack blip strands anyone. A lock is a second
 * connection holding `BEGIN EXCLUSIVE` on the same database file, released by a timer.
 */

const FORM = 'application/x-www-form-urlencoded';
const NOT_SAVED = 'nothing was saved';
const LOCK_MS = 3_000;

async function start(t: TestContext): Promise<{ app: TestApp; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-kept-'));
  const path = join(dir, 'ripple.db');
  const app = await startTestApp({ users: USERS, admins: [ADMIN], databasePath: path });
  t.onTestFinished(async () => {
    await app.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await app.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, { user: ADMIN });
  return { app, path };
}

/** Another connection (a backup, an import, another instance) takes the write lock; released after `ms` or by hand. */
function lock(t: TestContext, path: string, ms?: number): { release(): void } {
  const other = new Database(path);
  other.exec('BEGIN EXCLUSIVE');
  let timer: NodeJS.Timeout | undefined;
  const release = () => {
    clearTimeout(timer);
    if (other.open && other.inTransaction) other.exec('COMMIT');
    if (other.open) other.close();
  };
  if (ms !== undefined) timer = setTimeout(release, ms);
  t.onTestFinished(release);
  return { release };
}

const payloadContext = (app: TestApp, userId: string): PayloadContext => ({
  teamId: app.api.teamId,
  teamDomain: app.api.teamDomain,
  appId: app.api.appId,
  botId: app.api.botId,
  userId,
  userName: USERS.find((u) => u.id === userId)?.name ?? userId,
});

/** Sends an interaction payload as Slack does and waits for everything it set off. */
async function interact(app: TestApp, payload: object): Promise<Pick<Reply, 'status' | 'calls' | 'responses'>> {
  const calls = app.api.calls.length;
  const responses = app.api.responses.length;
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await app.driver.raw(body, app.driver.signedHeaders(body, FORM));
  await settle(app);
  return {
    status: res.status,
    calls: app.api.calls.slice(calls),
    responses: app.api.responses.slice(responses).map((r) => r.body),
  };
}

async function settle(app: TestApp): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await app.slack.activity.idle();
  await app.api.whenIdle();
}

interface Question {
  value: string;
  ts: string;
  text: string;
}

/** The check-in questions Ripple posted (successfully) among `calls`. */
function questionsIn(calls: Reply['calls']): Question[] {
  return calls
    .filter((c) => c.method === 'chat.postMessage' && c.response?.ok === true)
    .flatMap((c) => {
      const rate = buttonsOf(c.args).find((b) => b.actionId.startsWith('checkin.rate.'));
      return rate?.value ? [{ value: rate.value, ts: String(c.response?.ts), text: visibleText(c.args) }] : [];
    });
}

const shown = (reply: Pick<Reply, 'responses'>) => reply.responses.map(visibleText).join('\n');
const dmsTo = (reply: Pick<Reply, 'calls'>, user: string) =>
  reply.calls
    .filter((c) => c.method === 'chat.postMessage' && c.response?.ok === true && c.args.channel === `D${user}`)
    .map((c) => visibleText(c.args))
    .join('\n');

const click = (app: TestApp, q: Question, rating = 'consistently') =>
  app.driver.action({
    user: BEN,
    actionId: `checkin.rate.${rating}`,
    value: q.value,
    channel: `D${BEN}`,
    message: { ts: q.ts },
  });

async function begin(app: TestApp): Promise<Question> {
  const reply = await app.driver.command('checkin', { user: BEN });
  const q = questionsIn(reply.calls)[0];
  if (!q) throw new Error('no first question');
  return q;
}

/** Answers every question; returns the check-in's id. */
async function finish(app: TestApp): Promise<number> {
  let q: Question | undefined = await begin(app);
  while (q) q = questionsIn((await click(app, q)).calls)[0];
  const row = app.db.prepare("SELECT id FROM checkins WHERE status = 'finished'").get() as { id: number };
  return row.id;
}

const share = (app: TestApp, id: number) =>
  app.driver.action({ user: BEN, actionId: 'checkin.share', value: String(id), channel: `D${BEN}` });

async function shared(app: TestApp): Promise<number> {
  const id = await finish(app);
  await share(app, id);
  return id;
}

/** Maya's ratings form, submitted: every expectation Consistently, as Slack sends a static_select. */
const rate = (app: TestApp, id: number) =>
  interact(
    app,
    viewSubmission(
      payloadContext(app, MAYA),
      'checkin.ratings',
      JSON.stringify({ c: id }),
      Object.fromEntries(
        Array.from({ length: 13 }, (_, i) => [`q${i}`, { [`rating-${i}`]: selected('Consistently', 'consistently') }]),
      ),
    ),
  );

const EVIDENCE = 'I ran the <!channel> spring launch on my own';

/** Ben's Add evidence form for question 1, submitted as Slack sends a plain_text_input. */
const evidence = (app: TestApp, q: Question, text = EVIDENCE) =>
  interact(
    app,
    viewSubmission(
      payloadContext(app, BEN),
      'checkin.evidence',
      JSON.stringify({ c: Number(q.value.split(':')[0]), p: 0 }),
      {
        evidence: { text: typed(text) },
      },
    ),
  );

const count = (app: TestApp, sql: string) => (app.db.prepare(sql).get() as { n: number }).n;

/** The four actions of the Done-when line, each with what it sets up and what "saved" means. */
const PATHS = {
  'a check-in answer click': {
    setup: begin,
    act: (app: TestApp, q: Question) => click(app, q),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, "SELECT COUNT(*) AS n FROM checkin_answers WHERE rater = 'self'")).toBe(1);
      expect(questionsIn(reply.calls)[0]?.text).toContain('2 of 13');
    },
  },
  '/career checkin': {
    setup: async () => undefined,
    act: (app: TestApp) => app.driver.command('checkin', { user: BEN }),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, "SELECT COUNT(*) AS n FROM checkins WHERE status = 'open'")).toBe(1);
      expect(shown(reply)).toContain('Your check-in is in our DM');
      expect(questionsIn(reply.calls)[0]?.text).toContain('1 of 13');
    },
  },
  Share: {
    setup: finish,
    act: (app: TestApp, id: number) => share(app, id),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, `SELECT COUNT(*) AS n FROM checkins WHERE shared_with = '${MAYA}'`)).toBe(1);
      expect(dmsTo(reply, MAYA)).toContain('shared their check-in with you');
      expect(shown(reply)).toContain(`Shared with <@${MAYA}>`);
    },
  },
  "a manager's ratings": {
    setup: shared,
    act: (app: TestApp, id: number) => rate(app, id),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, "SELECT COUNT(*) AS n FROM checkin_answers WHERE rater = 'manager'")).toBe(13);
      expect(dmsTo(reply, BEN)).toContain('added their ratings to your check-in');
      expect(dmsTo(reply, MAYA)).toContain('now sees your ratings beside theirs');
    },
  },
  'the evidence form': {
    setup: begin,
    act: (app: TestApp, q: Question) => evidence(app, q),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, 'SELECT COUNT(*) AS n FROM checkin_evidence')).toBe(1);
      expect(dmsTo(reply, BEN)).toContain('Noted as evidence for question 1');
    },
  },
  'Finish later': {
    setup: begin,
    act: (app: TestApp, q: Question) =>
      app.driver.action({
        user: BEN,
        actionId: 'checkin.later',
        value: q.value,
        channel: `D${BEN}`,
        message: { ts: q.ts },
      }),
    saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect(count(app, 'SELECT version AS n FROM checkins')).toBe(2);
      const paused = reply.calls.find((c) => c.method === 'chat.update');
      expect(visibleText(paused?.args)).toContain('Saved at question 1 of 13');
    },
  },
  celebrate: {
    setup: async () => undefined,
    act: (app: TestApp) => app.driver.command('celebrate on', { user: BEN }),
    async saved(app: TestApp, reply: Pick<Reply, 'calls' | 'responses'>) {
      expect((await app.ctx.stores.growth.preferences(app.api.teamId, BEN)).celebrate).toBe(true);
      expect(shown(reply)).toContain('Done: when you reach a new level');
    },
  },
} as const;

type PathName = keyof typeof PATHS;
const NAMES = Object.keys(PATHS) as PathName[];

async function prepare(app: TestApp, name: PathName): Promise<() => Promise<Pick<Reply, 'calls' | 'responses'>>> {
  const path = PATHS[name] as {
    setup: (app: TestApp) => Promise<unknown>;
    act: (app: TestApp, arg: unknown) => Promise<Pick<Reply, 'calls' | 'responses'>>;
  };
  const arg = await path.setup(app);
  return () => path.act(app, arg);
}

/** Where the person acted: the ephemeral reply, or (a form is gone once submitted) their DM. */
function toldNothingSaved(name: PathName, reply: Pick<Reply, 'calls' | 'responses'>): string {
  if (name === "a manager's ratings") return dmsTo(reply, MAYA);
  if (name === 'the evidence form') return dmsTo(reply, BEN);
  return shown(reply);
}

describe.concurrent('under a 3 s database lock, each action ends up saved', () => {
  it.for(NAMES)('%s', async (name, t) => {
    const { app, path } = await start(t);
    const act = await prepare(app, name);
    lock(t, path, LOCK_MS);
    const began = Date.now();
    const reply = await act();
    // It really waited for the lock, rather than finding it free.
    expect(Date.now() - began).toBeGreaterThanOrEqual(LOCK_MS - 100);
    PATHS[name].saved(app, reply);
    expect(toldNothingSaved(name, reply)).not.toContain(NOT_SAVED);
    expect(app.errors).toEqual([]);
  });
});

describe.concurrent('under a lock longer than the retries, each says nothing was saved and changes nothing', () => {
  it.for(NAMES)('%s', { timeout: 30_000 }, async (name, t) => {
    const { app, path } = await start(t);
    const act = await prepare(app, name);
    const before = snapshot(app.db);
    const held = lock(t, path);
    const reply = await act();
    held.release();
    const told = toldNothingSaved(name, reply);
    expect(told).toContain('Ripple is busy, nothing was saved');
    // The form is gone: what was typed comes back in the DM, so it is not lost.
    if (name === 'the evidence form') expect(told).toContain(EVIDENCE);
    expect(told).not.toMatch(/SqliteError|SQLITE_|at .*\.ts:\d+/);
    expect(snapshot(app.db)).toEqual(before);
    expect(app.errors).toEqual([]);
  });
});

describe('a database that cannot write', () => {
  it.for(NAMES)('a full disk: %s says nothing was saved at once, and changes nothing', async (name, t) => {
    const { app } = await start(t);
    const act = await prepare(app, name);
    const before = snapshot(app.db);
    // What better-sqlite3 throws when the disk is full. NOTE: a real full disk cannot be made
    // reliably here: PRAGMA max_page_count fails only writes that need a new page, and an answer fits
    // in a page already there. The stores are the ones the app uses, so everything around them is real.
    const full = () => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    };
    // On the class: each unit of work has check-in repositories of its own, bound to its transaction.
    const stores = SqlCheckinStore.prototype;
    const spies = [
      vi.spyOn(stores, 'apply').mockImplementation(full),
      vi.spyOn(stores, 'save').mockImplementation(full),
      vi.spyOn(stores, 'create').mockImplementation(full),
      vi.spyOn(stores, 'share').mockImplementation(full),
      vi.spyOn(stores, 'rate').mockImplementation(full),
      vi.spyOn(app.ctx.stores.growth, 'setCelebrate').mockImplementation(full),
    ];
    t.onTestFinished(() => {
      for (const s of spies) s.mockRestore();
    });
    const began = Date.now();
    const reply = await act();
    // Not retried: waiting does not free a disk.
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(spies.reduce((n, s) => n + s.mock.calls.length, 0)).toBe(1);
    expect(toldNothingSaved(name, reply)).toContain("Ripple can't save anything right now, so nothing was saved");
    expect(snapshot(app.db)).toEqual(before);
    expect(app.errors).toEqual([]);
  });

  it('a database SQLite will not write to (SQLITE_READONLY): an answer click says nothing was saved', async (t) => {
    const { app } = await start(t);
    const q = await begin(app);
    const before = snapshot(app.db);
    app.db.pragma('query_only = ON');
    const reply = await click(app, q);
    app.db.pragma('query_only = OFF');
    expect(shown(reply)).toContain('nothing was saved');
    expect(snapshot(app.db)).toEqual(before);
    expect(app.errors).toEqual([]);
  });
});

describe('a check-in nobody is stranded in', () => {
  it('three 500s on chat.postMessage after an answer: the next question still arrives, and the old one brings it back', async (t) => {
    const { app } = await start(t);
    const first = await begin(app);
    app.api.failNext('chat.postMessage', { status: 500 }, 3);
    const answered = await click(app, first);
    expect(questionsIn(answered.calls)).toEqual([]);
    expect(count(app, "SELECT COUNT(*) AS n FROM checkin_answers WHERE rater = 'self'")).toBe(1);

    // Clicking the old question shows the one waiting, with buttons that work.
    const old = await click(app, first, 'skip');
    const back = old.responses.at(-1);
    expect(visibleText(back)).toContain('This check-in has moved on');
    expect(visibleText(back)).toContain('2 of 13');
    expect(visibleText(back)).not.toContain('latest one in our DM');
    const rate = buttonsOf(back).find((b) => b.actionId === 'checkin.rate.sometimes');
    expect(rate?.value).toBeDefined();

    // The outbox delivers the question once Slack is back.
    let delivered: Question[] = [];
    for (let minutes = 2; minutes < 600 && delivered.length === 0; minutes += 60) {
      app.clock.set(new Date(Date.parse('2026-11-29T15:00:00Z') + minutes * 60_000).toISOString());
      const before = app.api.calls.length;
      await deliverPending(app.slack.services.outbox);
      await app.api.whenIdle();
      delivered = questionsIn(app.api.calls.slice(before));
    }
    expect(delivered.map((q) => q.text)).toEqual([expect.stringContaining('2 of 13')]);

    // Answering from the copy the old click showed replaces that copy and asks question 3.
    const fromCopy = await app.driver.action({ user: BEN, actionId: 'checkin.rate.sometimes', value: rate?.value });
    expect(fromCopy.responses.map(visibleText).join()).toContain('Your answer: *Sometimes*');
    expect(questionsIn(fromCopy.calls)[0]?.text).toContain('3 of 13');
    expect(count(app, "SELECT COUNT(*) AS n FROM checkin_answers WHERE rater = 'self'")).toBe(2);
  });

  it.for(['in sequence', 'concurrently'])('Continue clicked 20 times %s posts the question once', async (how, t) => {
    const { app } = await start(t);
    await begin(app);
    const again = await app.driver.command('checkin', { user: BEN });
    const resume = buttonsOf(again.responses[0]).find((b) => b.text === 'Continue');
    expect(resume?.value).toBeDefined();
    const before = app.api.calls.length;
    const press = () => app.driver.action({ user: BEN, actionId: 'checkin.continue', value: resume?.value });
    if (how === 'in sequence') for (let i = 0; i < 20; i++) await press();
    else {
      // Sent without waiting for each to finish: acknowledged at once, the twenty run side by side.
      const c = payloadContext(app, BEN);
      await Promise.all(
        Array.from({ length: 20 }, () => {
          const payload = ephemeralButton(c, `D${BEN}`, 'checkin.continue', resume?.value ?? '', app.api.responseUrl());
          const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
          return app.driver.raw(body, app.driver.signedHeaders(body, FORM));
        }),
      );
    }
    await settle(app);
    expect(questionsIn(app.api.calls.slice(before))).toHaveLength(1);
  });

  it('40 KB of evidence from the form is kept to 3,000 characters and the DM says so', async (t) => {
    const { app } = await start(t);
    const q = await begin(app);
    const id = Number(q.value.split(':')[0]);
    const long = `${'I led the spring launch & wrote the plan. '.repeat(1_000)}`.slice(0, 40_000);
    const reply = await interact(
      app,
      viewSubmission(payloadContext(app, BEN), 'checkin.evidence', JSON.stringify({ c: id, p: 0 }), {
        evidence: { text: typed(long) },
      }),
    );
    expect(reply.status).toBe(200);
    const kept = app.db.prepare('SELECT position, text FROM checkin_evidence').all() as { text: string }[];
    expect(kept).toHaveLength(1);
    expect(kept[0]?.text).toBe(long.slice(0, 3_000).trim());
    const dm = dmsTo(reply, BEN);
    expect(dm).toContain('Noted as evidence for question 1');
    expect(dm).toContain('the first 3,000 characters were kept');
  });

  it('a file shared in the DM keeps its words, name and link; a file alone is acknowledged with what is kept', async (t) => {
    const { app } = await start(t);
    await begin(app);
    const c = payloadContext(app, BEN);
    const withWords = await app.driver.event(
      fileShare(c, `D${BEN}`, 'The launch plan I wrote', {
        id: 'F0A1B2C3D4E',
        name: 'launch-plan.pdf',
        mimetype: 'application/pdf',
        filetype: 'pdf',
      }),
    );
    expect(withWords.status).toBe(200);
    expect(dmsTo(withWords, BEN)).toContain('Noted as evidence for question 1');
    const alone = await app.driver.event(
      fileShare(c, `D${BEN}`, '', {
        id: 'F0B2C3D4E5F',
        name: 'results.txt',
        mimetype: 'text/plain',
        filetype: 'text',
        preview: 'Signups up 40%',
      }),
    );
    expect(dmsTo(alone, BEN)).toContain("Ripple keeps the file's name and link, not what is in it");
    const kept = (app.db.prepare('SELECT text FROM checkin_evidence ORDER BY id').all() as { text: string }[]).map(
      (r) => r.text,
    );
    const link = (id: string, name: string) => `https://${c.teamDomain}.slack.com/files/${BEN}/${id}/${name}`;
    expect(kept).toEqual([
      `The launch plan I wrote\nFile: launch-plan.pdf (${link('F0A1B2C3D4E', 'launch-plan.pdf')})`,
      `File: results.txt (${link('F0B2C3D4E5F', 'results.txt')})`,
    ]);
  });

  it('closing the evidence form (view_closed) stores nothing, even with text typed in it', async (t) => {
    const { app } = await start(t);
    const q = await begin(app);
    const id = Number(q.value.split(':')[0]);
    const before = snapshot(app.db);
    const reply = await interact(
      app,
      viewClosed(payloadContext(app, BEN), 'checkin.evidence', JSON.stringify({ c: id, p: 0 }), {
        evidence: { text: typed('Half a thought I decided not to send') },
      }),
    );
    expect(reply.status).toBe(200);
    expect(snapshot(app.db)).toEqual(before);
    expect(reply.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});
