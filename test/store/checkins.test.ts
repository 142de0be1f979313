import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { InvalidInputError, StateConflictError } from '../../src/store/index.js';
import { ALICE, AT, aChange, fakeDatabase, LATER, MANAGER, snapshot, T } from './fixtures.js';

const questions = (n: number, levelId = 'level-2') =>
  Array.from({ length: n }, (_, i) => ({
    levelId,
    levelNumber: 2,
    levelTitle: 'Strategist',
    expectationId: `e${i + 1}`,
    text: `Expectation ${i + 1}`,
  }));

async function withCheckin(n = 3) {
  const { db, stores } = fakeDatabase();
  await stores.teammates.upsert(aChange());
  const checkin = await stores.checkins.create({
    teamId: T,
    userId: ALICE,
    frameworkId: 'marketing',
    levelId: 'level-2',
    targetLevelId: 'level-3',
    questions: questions(n),
    at: AT,
  });
  return { db, stores, checkin };
}

const answer = (version: number, rating: Rating = 'sometimes') =>
  ({ kind: 'answer', version, rating, at: LATER }) as const;

describe('SqliteCheckinStore', () => {
  it('creates an open check-in at its first question, with a snapshot of what it asks', async () => {
    const { stores, checkin } = await withCheckin();
    expect(checkin).toMatchObject({ status: 'open', version: 1, cursor: 0, total: 3, startedAt: AT });
    expect((await stores.checkins.detail(T, checkin.id))?.questions.map((q) => q.text)).toEqual([
      'Expectation 1',
      'Expectation 2',
      'Expectation 3',
    ]);
  });

  it('keeps one open check-in per person', async () => {
    const { stores } = await withCheckin();
    await expect(
      async () =>
        await stores.checkins.create({
          teamId: T,
          userId: ALICE,
          frameworkId: 'marketing',
          levelId: 'level-2',
          targetLevelId: null,
          questions: questions(1),
          at: AT,
        }),
    ).rejects.toThrow(StateConflictError);
  });

  it('the database itself refuses a second open check-in', async () => {
    const { db, checkin } = await withCheckin();
    expect(() =>
      db
        .prepare(
          `INSERT INTO checkins (team_id, user_id, framework_id, level_id, status, version, cursor, question_count, started_at, last_activity_at)
           VALUES (?, ?, 'marketing', 'level-2', 'open', 1, 0, 1, ?, ?)`,
        )
        .run(T, ALICE, AT, AT),
    ).toThrow(/UNIQUE/);
    expect(checkin.id).toBe(1);
  });

  it('records each answer once: a second click with the same version changes nothing', async () => {
    const { db, stores, checkin } = await withCheckin();
    const first = await stores.checkins.apply(T, checkin.id, answer(1, 'consistently'));
    expect(first.transition.ok).toBe(true);
    const before = snapshot(db);
    const again = await stores.checkins.apply(T, checkin.id, answer(1, 'not-yet'));
    expect(again.transition).toEqual({ ok: false, reason: 'moved-on' });
    expect(snapshot(db)).toEqual(before);
    expect((await stores.checkins.detail(T, checkin.id))?.questions[0]?.rating).toBe('consistently');
  });

  it('finishes after the last answer, and a finished check-in takes no more', async () => {
    const { stores, checkin } = await withCheckin(2);
    await stores.checkins.apply(T, checkin.id, answer(1));
    const last = await stores.checkins.apply(T, checkin.id, answer(2, 'skip'));
    expect(last.checkin).toMatchObject({ status: 'finished', finishedAt: LATER, cursor: 2 });
    expect((await stores.checkins.apply(T, checkin.id, answer(3))).transition).toEqual({ ok: false, reason: 'closed' });
    expect(await stores.checkins.openFor(T, ALICE)).toBeNull();
    expect((await stores.checkins.finished(T, ALICE)).map((c) => c.id)).toEqual([checkin.id]);
  });

  it('keeps evidence for the current question, and refuses blank evidence', async () => {
    const { stores, checkin } = await withCheckin();
    await stores.checkins.apply(
      T,
      checkin.id,
      { kind: 'evidence', position: 0, at: LATER },
      'Shipped the March campaign',
    );
    expect((await stores.checkins.detail(T, checkin.id))?.evidence).toEqual([
      { position: 0, text: 'Shipped the March campaign', addedAt: LATER },
    ]);
    await expect(
      async () => await stores.checkins.apply(T, checkin.id, { kind: 'evidence', position: 0, at: LATER }, '  '),
    ).rejects.toThrow(InvalidInputError);
  });

  it('only the manager it was shared with may rate, and only a finished check-in', async () => {
    const { stores, checkin } = await withCheckin(1);
    expect(await stores.checkins.share(T, checkin.id, MANAGER, LATER)).toBe(false); // not finished yet
    await stores.checkins.apply(T, checkin.id, answer(1));
    expect(await stores.checkins.rate(T, checkin.id, MANAGER, new Map([[0, 'consistently']]), LATER)).toBe(false);
    expect(await stores.checkins.share(T, checkin.id, MANAGER, LATER)).toBe(true);
    expect(await stores.checkins.rate(T, checkin.id, 'U0SOMEONE', new Map([[0, 'not-yet']]), LATER)).toBe(false);
    expect(await stores.checkins.rate(T, checkin.id, MANAGER, new Map([[0, 'consistently']]), LATER)).toBe(true);
    expect((await stores.checkins.detail(T, checkin.id))?.managerRatings).toEqual(['consistently']);
  });

  it('finds open check-ins idle since a time', async () => {
    const { stores, checkin } = await withCheckin();
    expect(await stores.checkins.openIdleSince('2026-01-14T00:00:00.000Z')).toEqual([]);
    expect((await stores.checkins.openIdleSince(LATER)).map((c) => c.id)).toEqual([checkin.id]);
  });

  it('lists every check-in for an export; forget deletes them, then the record, in one unit', async () => {
    const { db, stores, checkin } = await withCheckin();
    await stores.checkins.apply(T, checkin.id, answer(1));
    await stores.checkins.apply(T, checkin.id, { kind: 'evidence', position: 0, at: LATER }, 'proof');
    expect((await stores.checkins.all(T, ALICE)).map((c) => c.id)).toEqual([checkin.id]);
    await stores.unitOfWork.run(async (repos) => {
      expect(await repos.checkins.forget(T, ALICE)).toBeGreaterThan(0);
      await repos.teammates.forget(T, ALICE);
    });
    expect(await stores.teammates.get(T, ALICE)).toBeNull();
    for (const table of ['checkins', 'checkin_questions', 'checkin_answers', 'checkin_evidence']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
  });
});
