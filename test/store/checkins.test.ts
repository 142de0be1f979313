import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, type Rating } from '../../src/checkins/machine.js';
import type { CheckinRecord } from '../../src/checkins/model.js';
import type { Engine } from '../../src/db/sql.js';
import {
  type AppliedChange,
  createStores,
  InvalidInputError,
  StateConflictError,
  type Stores,
} from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { ALICE, AT, BOB, LATER, MANAGER, T } from './fixtures.js';

const CAROL = 'U0CAROL';

const questions = (n: number, levelId = 'level-2') =>
  Array.from({ length: n }, (_, i) => ({
    levelId,
    levelNumber: 2,
    levelTitle: 'Strategist',
    expectationId: `e${i + 1}`,
    text: `Expectation ${i + 1}`,
  }));

const newCheckin = (userId = ALICE, n = 3) => ({
  teamId: T,
  userId,
  frameworkId: 'marketing',
  levelId: 'level-2',
  targetLevelId: 'level-3',
  questions: questions(n),
  at: AT,
});

const answer = (version: number, rating: Rating = 'sometimes') =>
  ({ kind: 'answer', version, rating, at: LATER }) as const;

/** Rows of `table`, on either engine. */
async function count(engine: Engine, table: string): Promise<number> {
  const row = await engine.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row?.n ?? 0;
}

/**
 * A promise each of `n` callers waits on until all `n` have arrived; once open it stays open (a unit run again
 * after a serialization failure passes straight through).
 */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= n) open();
    return opened;
  };
}

describe.each(engines())('the check-in store on %s', (testEngine) => {
  describe.skipIf(testEngine.skip)('', () => {
    let engine: Engine;
    let stores: Stores;
    /** Both units have read before either writes: on PostgreSQL they really overlap; SQLite runs one at a time. */
    const together = () => (testEngine.name === 'postgres' ? barrier(2) : async () => {});

    async function open(): Promise<void> {
      engine = await testEngine.open();
      stores = createStores(engine);
      // The records the check-ins belong to (foreign keys), written directly: this file tests the check-in store.
      await engine.sql.run('INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?)', [T, AT]);
      for (const userId of [ALICE, BOB, CAROL]) {
        await engine.sql.run(
          `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, created_at, updated_at)
           VALUES (?, ?, 'marketing', 'level-2', '2026-01-15', ?, ?, ?)`,
          [T, userId, MANAGER, AT, AT],
        );
      }
    }

    async function withCheckin(n = 3): Promise<CheckinRecord> {
      await open();
      return stores.checkins.create(newCheckin(ALICE, n));
    }

    afterEach(async () => {
      await engine?.close();
    });

    it('creates an open check-in at its first question, with a snapshot of what it asks', async () => {
      const checkin = await withCheckin();
      expect(checkin).toMatchObject({ teamId: T, userId: ALICE, status: 'open', version: 1, cursor: 0, total: 3 });
      expect(checkin).toMatchObject({ startedAt: AT, lastActivityAt: AT, finishedAt: null, targetLevelId: 'level-3' });
      expect(await stores.checkins.get(T, checkin.id)).toEqual(checkin);
      expect((await stores.checkins.detail(T, checkin.id))?.questions.map((q) => q.text)).toEqual([
        'Expectation 1',
        'Expectation 2',
        'Expectation 3',
      ]);
      expect(await stores.checkins.openFor(T, ALICE)).toEqual(checkin);
    });

    it('keeps one open check-in per person: a second is refused and changes nothing', async () => {
      await withCheckin();
      const before = await engineSnapshot(engine);
      const second = stores.checkins.create({ ...newCheckin(), questions: questions(1, 'level-3') });
      await expect(second).rejects.toThrow(StateConflictError);
      await expect(second).rejects.toMatchObject({ conflict: 'checkin-open' });
      expect(await engineSnapshot(engine)).toEqual(before);
    });

    it('two people starting at once with new words: both start, the words kept once; one person twice: one', async () => {
      await open();
      const startIn = (userId: string, race: () => Promise<void>) =>
        stores.unitOfWork.run(async (repos) => {
          await repos.checkins.openFor(T, userId);
          await race();
          return repos.checkins.create(newCheckin(userId));
        });
      const both = together();
      const two = await Promise.allSettled([startIn(ALICE, both), startIn(BOB, both)]);
      expect(two.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await count(engine, 'checkin_question_texts')).toBe(3);
      expect(await count(engine, 'checkin_questions')).toBe(6);

      const twice = together();
      const same = await Promise.allSettled([startIn(CAROL, twice), startIn(CAROL, twice)]);
      expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(same.find((r) => r.status === 'rejected')).toMatchObject({ reason: { conflict: 'checkin-open' } });
      expect(await count(engine, 'checkins')).toBe(3);
      expect(await count(engine, 'checkin_questions')).toBe(9);
    });

    it('keeps the words of each question once, however many check-ins ask it, long ones too', async () => {
      await open();
      // Longer than a PostgreSQL B-tree entry may be: its unique key is on md5(text) (db/postgres/001).
      const long = {
        levelId: 'level-2',
        levelNumber: 2,
        levelTitle: 'Strategist',
        expectationId: 'long',
        text: 'word '.repeat(1000),
      };
      const asked = [...questions(2), long];
      const first = await stores.checkins.create({ ...newCheckin(ALICE), questions: asked });
      const second = await stores.checkins.create({ ...newCheckin(BOB), questions: [...asked].reverse() });
      expect(await count(engine, 'checkin_question_texts')).toBe(3);
      expect(await count(engine, 'checkin_questions')).toBe(6);
      expect((await stores.checkins.detail(T, first.id))?.questions.map((q) => q.expectationId)).toEqual([
        'e1',
        'e2',
        'long',
      ]);
      const again = await stores.checkins.detail(T, second.id);
      expect(again?.questions.map((q) => q.expectationId)).toEqual(['long', 'e2', 'e1']);
      expect(again?.questions[0]?.text).toBe(long.text);
    });

    it('records each answer once: a second click with the same version changes nothing', async () => {
      const checkin = await withCheckin();
      const first = await stores.checkins.apply(T, checkin.id, answer(1, 'consistently'));
      expect(first.transition.ok).toBe(true);
      expect(first.checkin).toMatchObject({ version: 2, cursor: 1, lastActivityAt: LATER });
      const before = await engineSnapshot(engine);
      const again = await stores.checkins.apply(T, checkin.id, answer(1, 'not-yet'));
      expect(again.transition).toEqual({ ok: false, reason: 'moved-on' });
      expect(again.checkin).toEqual(first.checkin);
      expect(await engineSnapshot(engine)).toEqual(before);
      expect((await stores.checkins.detail(T, checkin.id))?.questions[0]?.rating).toBe('consistently');
    });

    it('finishes after the last answer, and a finished check-in takes no more', async () => {
      const checkin = await withCheckin(2);
      await stores.checkins.apply(T, checkin.id, answer(1));
      const last = await stores.checkins.apply(T, checkin.id, answer(2, 'skip'));
      expect(last.checkin).toMatchObject({ status: 'finished', finishedAt: LATER, cursor: 2, version: 3 });
      expect((await stores.checkins.apply(T, checkin.id, answer(3))).transition).toEqual({
        ok: false,
        reason: 'closed',
      });
      expect(await stores.checkins.openFor(T, ALICE)).toBeNull();
      expect((await stores.checkins.finished(T, ALICE)).map((c) => c.id)).toEqual([checkin.id]);
      // Finished, not shared: nothing for the manager to count.
      expect(await stores.checkins.sharedWith(T, ALICE, MANAGER)).toEqual({
        shared: 0,
        lastSharedAt: null,
        awaiting: null,
      });
    });

    it("lastRating: the person's own answer in their latest finished check-in that asked it, nobody else's", async () => {
      const first = await withCheckin(2);
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e1')).toBeNull();
      await stores.checkins.apply(T, first.id, answer(1, 'not-yet'));
      // Open: not finished yet, so not "last time".
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e1')).toBeNull();
      await stores.checkins.apply(T, first.id, answer(2, 'skip'));
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e1')).toEqual({
        rating: 'not-yet',
        finishedAt: LATER,
      });
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e2')).toEqual({
        rating: 'skip',
        finishedAt: LATER,
      });
      // Another level's expectation of the same id, another person, a manager's rating: none of them count.
      expect(await stores.checkins.lastRating(T, ALICE, 'level-3', 'e1')).toBeNull();
      expect(await stores.checkins.lastRating(T, BOB, 'level-2', 'e1')).toBeNull();
      await stores.checkins.share(T, first.id, MANAGER, LATER);
      await stores.checkins.rate(T, first.id, MANAGER, new Map([[0, 'consistently']]), LATER);
      expect((await stores.checkins.lastRating(T, ALICE, 'level-2', 'e1'))?.rating).toBe('not-yet');
      // A later finished check-in wins.
      const second = await stores.checkins.create({ ...newCheckin(ALICE, 1), at: LATER });
      const finishedAt = '2026-03-01T10:00:00.000Z';
      await stores.checkins.apply(T, second.id, { kind: 'answer', version: 1, rating: 'consistently', at: finishedAt });
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e1')).toEqual({
        rating: 'consistently',
        finishedAt,
      });
      expect(await stores.checkins.lastRating(T, ALICE, 'level-2', 'e2')).toEqual({
        rating: 'skip',
        finishedAt: LATER,
      });
    });

    it('askedAt: the questions asked for, in that order, each with its evidence oldest first; detailOf as detail reads it', async () => {
      const checkin = await withCheckin(3);
      const evidence = (position: number, text: string) =>
        stores.checkins.apply(T, checkin.id, { kind: 'evidence', position, at: LATER }, text);
      await evidence(0, 'first');
      await evidence(0, 'second');
      const answered = await stores.checkins.apply(T, checkin.id, answer(1, 'consistently'));
      const saved = answered.checkin as CheckinRecord;
      expect(await stores.checkins.askedAt(saved, [0, 1])).toEqual([
        { question: expect.objectContaining({ position: 0, expectationId: 'e1' }), evidence: ['first', 'second'] },
        { question: expect.objectContaining({ position: 1, expectationId: 'e2' }), evidence: [] },
      ]);
      expect((await stores.checkins.askedAt(saved, [2, 0])).map((a) => a.question.text)).toEqual([
        'Expectation 3',
        'Expectation 1',
      ]);
      // A position the check-in does not have is left out; one question alone is one too.
      expect(await stores.checkins.askedAt(saved, [2, 7])).toEqual([
        { question: expect.objectContaining({ position: 2 }), evidence: [] },
      ]);
      expect(await stores.checkins.askedAt(saved, [7])).toEqual([]);
      // A question carries no answer: what a click shows of it is its words.
      expect((await stores.checkins.askedAt(saved, [0]))[0]?.question).not.toHaveProperty('rating');
      expect(await stores.checkins.detailOf(saved)).toEqual(await stores.checkins.detail(T, checkin.id));
    });

    it('previousFinished: the latest other finished check-in up to a time, with its details, or null', async () => {
      const first = await withCheckin(1);
      await stores.checkins.apply(T, first.id, answer(1, 'not-yet'));
      expect(await stores.checkins.previousFinished(T, ALICE, first.id, LATER)).toBeNull();
      const second = await stores.checkins.create({ ...newCheckin(ALICE, 1), at: LATER });
      const finishedAt = '2026-03-01T10:00:00.000Z';
      await stores.checkins.apply(T, second.id, { kind: 'answer', version: 1, rating: 'consistently', at: finishedAt });
      const before = await stores.checkins.previousFinished(T, ALICE, second.id, finishedAt);
      expect(before).toMatchObject({ id: first.id, finishedAt: LATER });
      expect(before?.questions.map((q) => q.rating)).toEqual(['not-yet']);
      // Nothing finished after `by` counts; a null `by` bounds nothing; nobody else's check-ins.
      expect((await stores.checkins.previousFinished(T, ALICE, first.id, finishedAt))?.id).toBe(second.id);
      expect(await stores.checkins.previousFinished(T, ALICE, second.id, '2026-01-31T00:00:00.000Z')).toBeNull();
      expect((await stores.checkins.previousFinished(T, ALICE, 0, null))?.id).toBe(second.id);
      expect(await stores.checkins.previousFinished(T, BOB, 0, null)).toBeNull();
    });

    it('an event for a check-in that does not exist (or is another workspace’s) changes nothing', async () => {
      const checkin = await withCheckin();
      const before = await engineSnapshot(engine);
      expect(await stores.checkins.apply('T0ELSEWHERE', checkin.id, answer(1))).toEqual({
        transition: { ok: false, reason: 'closed' },
        checkin: null,
      });
      expect(await stores.checkins.apply(T, checkin.id + 100, answer(1))).toMatchObject({ checkin: null });
      expect(await engineSnapshot(engine)).toEqual(before);
    });

    it('keeps evidence for a question asked, and refuses blank evidence without writing', async () => {
      const checkin = await withCheckin();
      const kept = await stores.checkins.apply(
        T,
        checkin.id,
        { kind: 'evidence', position: 0, at: LATER },
        'Shipped the March campaign',
      );
      // Evidence does not move the check-in on: the buttons on screen stay valid.
      expect(kept.checkin).toMatchObject({ version: 1, cursor: 0, lastActivityAt: LATER });
      expect((await stores.checkins.detail(T, checkin.id))?.evidence).toEqual([
        { position: 0, text: 'Shipped the March campaign', addedAt: LATER },
      ]);
      const before = await engineSnapshot(engine);
      await expect(
        stores.checkins.apply(T, checkin.id, { kind: 'evidence', position: 0, at: LATER }, '  '),
      ).rejects.toThrow(InvalidInputError);
      expect(
        (await stores.checkins.apply(T, checkin.id, { kind: 'evidence', position: 2, at: LATER }, 'later')).transition,
      ).toEqual({ ok: false, reason: 'no-such-question' });
      expect(await engineSnapshot(engine)).toEqual(before);
    });

    it('only the manager it was shared with may rate, and only a finished check-in', async () => {
      const checkin = await withCheckin(1);
      expect(await stores.checkins.share(T, checkin.id, MANAGER, LATER)).toBe(false); // not finished yet
      await stores.checkins.apply(T, checkin.id, answer(1));
      expect(await stores.checkins.rate(T, checkin.id, MANAGER, new Map([[0, 'consistently']]), LATER)).toBe(false);
      expect(await stores.checkins.share(T, checkin.id, MANAGER, LATER)).toBe(true);
      // Shared, not rated yet: it waits for the manager, and only for them.
      expect(await stores.checkins.sharedWith(T, ALICE, MANAGER)).toEqual({
        shared: 1,
        lastSharedAt: LATER,
        awaiting: { id: checkin.id, sharedAt: LATER },
      });
      expect(await stores.checkins.sharedWith(T, ALICE, 'U0SOMEONE')).toEqual({
        shared: 0,
        lastSharedAt: null,
        awaiting: null,
      });
      expect(await stores.checkins.rate(T, checkin.id, 'U0SOMEONE', new Map([[0, 'not-yet']]), LATER)).toBe(false);
      expect(await stores.checkins.rate(T, checkin.id, MANAGER, new Map([[0, 'not-yet']]), LATER)).toBe(true);
      // Rated again: the manager's answer is replaced, never doubled.
      expect(await stores.checkins.rate(T, checkin.id, MANAGER, new Map([[0, 'consistently']]), LATER)).toBe(true);
      expect((await stores.checkins.detail(T, checkin.id))?.managerRatings).toEqual(['consistently']);
      // Rated: shared, no longer waiting.
      expect(await stores.checkins.sharedWith(T, ALICE, MANAGER)).toEqual({
        shared: 1,
        lastSharedAt: LATER,
        awaiting: null,
      });
      expect(await stores.checkins.sharedWith(T, ALICE, 'U0SOMEONE')).toMatchObject({ shared: 0 });
      expect(await stores.checkins.sharedWith(T, BOB, MANAGER)).toEqual({
        shared: 0,
        lastSharedAt: null,
        awaiting: null,
      });
    });

    it('finds open check-ins idle since a time, a page at a time in the order of their last activity', async () => {
      const alice = await withCheckin();
      const bob = await stores.checkins.create({ ...newCheckin(BOB), at: '2026-01-16T09:00:00.000Z' });
      expect(await stores.checkins.openIdleSince('2026-01-14T00:00:00.000Z')).toEqual([]);
      expect((await stores.checkins.openIdleSince(LATER)).map((c) => c.id)).toEqual([alice.id, bob.id]);
      const first = await stores.checkins.openIdleSince(LATER, { after: null, limit: 1 });
      expect(first.map((c) => c.id)).toEqual([alice.id]);
      const next = await stores.checkins.openIdleSince(LATER, { after: first[0] ?? null, limit: 1 });
      expect(next.map((c) => c.id)).toEqual([bob.id]);
      expect(await stores.checkins.openIdleSince(LATER, { after: next[0] ?? null, limit: 1 })).toEqual([]);
    });

    it('expires idle check-ins in one unit of work, each once even when two instances run it at once', async () => {
      await open();
      const created = [await stores.checkins.create(newCheckin(ALICE)), await stores.checkins.create(newCheckin(BOB))];
      const now = '2026-03-01T00:00:00.000Z';
      const race = together();
      const expireAll = () =>
        stores.unitOfWork.run(async (repos) => {
          const idle = await repos.checkins.openIdleSince(LATER, { after: null, limit: 10 });
          await race();
          const expired: number[] = [];
          for (const c of idle) {
            const applied = await repos.checkins.apply(T, c.id, { kind: 'expire', now, expiryDays: 14 });
            if (applied.transition.ok) expired.push(c.id);
          }
          return expired;
        });
      const [one, two] = await Promise.all([expireAll(), expireAll()]);
      expect([...(one ?? []), ...(two ?? [])].sort()).toEqual(created.map((c) => c.id).sort());
      for (const c of created) expect(await stores.checkins.get(T, c.id)).toMatchObject({ status: 'expired' });
      expect(await stores.checkins.openIdleSince(now)).toEqual([]);
    });

    it("latestShared: the person's newest check-in shared with this manager, with details; nobody else's", async () => {
      const first = await withCheckin(1);
      expect(await stores.checkins.latestShared(T, ALICE, MANAGER)).toBeNull();
      await stores.checkins.apply(T, first.id, { kind: 'evidence', position: 0, at: LATER }, 'Ran the launch');
      await stores.checkins.apply(T, first.id, answer(1));
      await stores.checkins.share(T, first.id, MANAGER, LATER);
      const second = await stores.checkins.create({ ...newCheckin(ALICE, 1), at: LATER });
      await stores.checkins.apply(T, second.id, answer(1, 'skip'));
      // Finished but not shared: the first is still the latest shared.
      const found = await stores.checkins.latestShared(T, ALICE, MANAGER);
      expect(found).toMatchObject({ id: first.id, sharedWith: MANAGER });
      expect(found?.evidence.map((e) => e.text)).toEqual(['Ran the launch']);
      expect(found?.questions.map((q) => q.rating)).toEqual(['sometimes']);
      await stores.checkins.share(T, second.id, MANAGER, LATER);
      expect((await stores.checkins.latestShared(T, ALICE, MANAGER))?.id).toBe(second.id);
      expect(await stores.checkins.latestShared(T, ALICE, 'U0SOMEONE')).toBeNull();
      expect(await stores.checkins.latestShared(T, BOB, MANAGER)).toBeNull();
    });

    it('change: replaces the own answer of a question already answered, never adding one', async () => {
      const checkin = await withCheckin(2);
      await stores.checkins.apply(T, checkin.id, answer(1, 'not-yet'));
      const before = (await stores.checkins.get(T, checkin.id)) as CheckinRecord;
      const applied = await stores.checkins.apply(T, checkin.id, {
        kind: 'change',
        position: 0,
        rating: 'skip',
        at: LATER,
      });
      expect(applied.transition.ok).toBe(true);
      // The question being asked keeps its buttons: the version stays.
      expect(applied.checkin?.version).toBe(before.version);
      expect((await stores.checkins.detail(T, checkin.id))?.questions.map((q) => q.rating)).toEqual([
        'skip',
        undefined,
      ]);
      expect(await count(engine, 'checkin_answers')).toBe(1);
      // Not yet answered: nothing to change, nothing written.
      const refused = await stores.checkins.apply(T, checkin.id, {
        kind: 'change',
        position: 1,
        rating: 'skip',
        at: LATER,
      });
      expect(refused.transition).toEqual({ ok: false, reason: 'no-such-question' });
      expect(await count(engine, 'checkin_answers')).toBe(1);
    });

    it('claims each idle check-in for one nudge, once even when two instances claim at once, again after activity', async () => {
      await open();
      const alice = await stores.checkins.create(newCheckin(ALICE));
      await stores.checkins.create({ ...newCheckin(BOB), at: '2026-01-20T09:00:00.000Z' });
      await stores.checkins.create({ ...newCheckin(CAROL), at: '2026-01-10T09:00:00.000Z' });
      // Idle after 01-12 and by 01-16: Alice only (Bob is too recent, Carol too old: she expires instead).
      const claim = (at: string) =>
        stores.checkins.claimIdleNudges('2026-01-12T00:00:00.000Z', '2026-01-16T00:00:00.000Z', at, 10);
      const soon = '2026-01-15T09:30:00.000Z';
      const [one, two] = await Promise.all([claim(soon), claim(soon)]);
      expect([...one, ...two].map((c) => c.id)).toEqual([alice.id]);
      expect(await claim(LATER)).toEqual([]);
      // Alice answers, then goes idle again: a new spell, a new claim.
      await stores.checkins.apply(T, alice.id, {
        kind: 'answer',
        version: 1,
        rating: 'skip',
        at: '2026-01-15T10:00:00.000Z',
      });
      expect((await claim('2026-02-02T00:00:00.000Z')).map((c) => c.id)).toEqual([alice.id]);
      // Not open: never claimed.
      await stores.checkins.apply(T, alice.id, { kind: 'start-over', at: LATER });
      await engine.sql.run('UPDATE checkins SET idle_nudged_at = NULL');
      expect(await claim('2026-02-03T00:00:00.000Z')).toEqual([]);
    });

    it('refuses to save a transition drawn from a version that has moved on, and writes nothing', async () => {
      const checkin = await withCheckin();
      const stale = applyEvent(checkin, answer(1, 'not-yet')) as AppliedChange;
      await stores.checkins.apply(T, checkin.id, answer(1, 'consistently'));
      const before = await engineSnapshot(engine);
      const save = stores.checkins.save(checkin, stale);
      await expect(save).rejects.toThrow(StateConflictError);
      await expect(save).rejects.toMatchObject({ conflict: 'checkin-stale' });
      expect(await engineSnapshot(engine)).toEqual(before);
    });

    it('two transitions of the same check-in from the same version, saved at once: exactly one applies', async () => {
      const checkin = await withCheckin();
      const race = together();
      const saveIn = (rating: Rating) =>
        stores.unitOfWork.run(async (repos) => {
          // Each unit reads before either writes (on PostgreSQL both transactions are open together).
          await repos.checkins.get(T, checkin.id);
          await race();
          await repos.checkins.save(checkin, applyEvent(checkin, answer(1, rating)) as AppliedChange);
          return rating;
        });
      const results = await Promise.allSettled([saveIn('consistently'), saveIn('not-yet')]);
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(StateConflictError);
      expect(lost[0]).toMatchObject({ conflict: 'checkin-stale' });
      expect(await count(engine, 'checkin_answers')).toBe(1);
      const detail = await stores.checkins.detail(T, checkin.id);
      expect(detail).toMatchObject({ version: 2, cursor: 1 });
      expect(detail?.questions[0]?.rating).toBe(won[0]);
    });

    it('the same click twice at once (two instances): one answer is kept, the other click changes nothing', async () => {
      const checkin = await withCheckin();
      const race = together();
      const click = (rating: Rating) =>
        stores.unitOfWork.run(async (repos) => {
          await repos.checkins.get(T, checkin.id);
          await race();
          return repos.checkins.apply(T, checkin.id, answer(1, rating));
        });
      const [a, b] = await Promise.all([click('consistently'), click('not-yet')]);
      expect([a.transition.ok, b.transition.ok].sort()).toEqual([false, true]);
      const winner = a.transition.ok ? 'consistently' : 'not-yet';
      expect([a, b].find((x) => !x.transition.ok)?.transition).toEqual({ ok: false, reason: 'moved-on' });
      expect(await count(engine, 'checkin_answers')).toBe(1);
      expect(await stores.checkins.detail(T, checkin.id)).toMatchObject({ version: 2, cursor: 1 });
      expect((await stores.checkins.detail(T, checkin.id))?.questions[0]?.rating).toBe(winner);
    });

    it('all gives every check-in with its details, oldest first; forget deletes them and says how many rows', async () => {
      const first = await withCheckin(1);
      await stores.checkins.apply(T, first.id, { kind: 'evidence', position: 0, at: LATER }, 'proof');
      await stores.checkins.apply(T, first.id, answer(1));
      await stores.checkins.share(T, first.id, MANAGER, LATER);
      await stores.checkins.rate(T, first.id, MANAGER, new Map([[0, 'consistently']]), LATER);
      const second = await stores.checkins.create(newCheckin(ALICE, 2));
      const bobs = await stores.checkins.create(newCheckin(BOB, 1));

      const all = await stores.checkins.all(T, ALICE);
      expect(all.map((c) => c.id)).toEqual([first.id, second.id]);
      expect(all[0]).toMatchObject({
        status: 'finished',
        sharedWith: MANAGER,
        questions: [{ position: 0, expectationId: 'e1', rating: 'sometimes' }],
        managerRatings: ['consistently'],
        evidence: [{ position: 0, text: 'proof', addedAt: LATER }],
      });
      expect(all[1]?.questions).toHaveLength(2);

      // 2 check-ins + 3 questions + 2 answers (hers and the manager's) + 1 evidence.
      expect(await stores.checkins.forget(T, ALICE)).toBe(8);
      expect(await stores.checkins.all(T, ALICE)).toEqual([]);
      expect(await stores.checkins.get(T, bobs.id)).not.toBeNull();
      expect(await count(engine, 'checkin_answers')).toBe(0);
      expect(await count(engine, 'checkin_evidence')).toBe(0);
      expect(await count(engine, 'checkin_questions')).toBe(1);
      // The framework's words stay: they are nobody's data.
      expect(await count(engine, 'checkin_question_texts')).toBe(2);
      expect(await stores.checkins.forget(T, ALICE)).toBe(0);
    });
  });
});
