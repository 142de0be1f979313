import { describe, expect, it } from 'vitest';
import { ALICE, AT, aChange, fakeDatabase, LATER, MANAGER, snapshot, T } from './fixtures.js';

const channel = {
  teamId: T,
  channelId: 'C0GROWTH01',
  weekday: 5,
  time: '10:00',
  tz: 'Europe/Paris',
  setBy: 'U0ADMIN',
  setAt: AT,
};

describe('the growth store', () => {
  it('keeps one growth channel per workspace, replaced when set again, and clears it', async () => {
    const { stores } = fakeDatabase();
    const growth = stores.growth;
    expect(await growth.channel(T)).toBeNull();
    await growth.setChannel(channel);
    await growth.setChannel({ ...channel, channelId: 'C0OTHER001', weekday: 1, time: '09:30' });
    expect(await growth.channel(T)).toMatchObject({ channelId: 'C0OTHER001', weekday: 1, time: '09:30' });
    expect(await growth.channels()).toHaveLength(1);
    expect(await growth.clearChannel(T)).toBe(true);
    expect(await growth.clearChannel(T)).toBe(false);
  });

  it.each([
    ['a weekday of 8', { weekday: 8 }],
    ['a time of 24:00', { time: '24:00' }],
    ['a user id as the channel', { channelId: 'U0ALICE' }],
    ['an unknown zone', { tz: 'Mars/Olympus' }],
  ])('refuses %s and writes nothing', async (_, bad) => {
    const { db, stores } = fakeDatabase();
    const before = snapshot(db);
    await expect(async () => await stores.growth.setChannel({ ...channel, ...bad })).rejects.toThrow();
    expect(snapshot(db)).toEqual(before);
  });

  it('preferences default to optional reminders on and no celebration', async () => {
    const { stores } = fakeDatabase();
    expect(await stores.growth.preferences(T, ALICE)).toEqual({ optionalNudges: 'on', celebrate: false });
    await stores.growth.setCelebrate(T, ALICE, true, AT);
    await stores.growth.setOptionalNudges(T, ALICE, false, AT);
    expect(await stores.growth.preferences(T, ALICE)).toEqual({ optionalNudges: 'off', celebrate: true });
    expect(await stores.growth.celebrating(T)).toEqual([ALICE]);
  });

  it('turning optional reminders off marks the record changed, so the planner looks again', async () => {
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await stores.growth.setOptionalNudges(T, ALICE, false, LATER);
    expect((await stores.teammates.get(T, ALICE))?.updatedAt).toBe(LATER);
  });

  it('claims a week once; a released claim can be taken again', async () => {
    const { stores } = fakeDatabase();
    const key = { teamId: T, kind: 'digest' as const, subject: MANAGER, week: '2026-W25' };
    expect(await stores.growth.weekTaken(key)).toBe(false);
    expect(await stores.growth.claimWeek(key, AT)).toBe(true);
    expect(await stores.growth.claimWeek(key, AT)).toBe(false);
    await stores.growth.releaseWeek(key);
    expect(await stores.growth.claimWeek(key, AT)).toBe(true);
    await stores.growth.markWeek(key, { ok: true }, LATER);
    await stores.growth.releaseWeek(key);
    expect(await stores.growth.weekEntries(T)).toMatchObject([{ status: 'sent', sentAt: LATER }]);
    expect(await stores.growth.claimWeek({ ...key, week: '2026-W26' }, AT)).toBe(true);
  });

  it('forgetting a person deletes their preferences and the digests sent to them', async () => {
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await stores.growth.setCelebrate(T, ALICE, true, AT);
    await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: ALICE, week: '2026-W25' }, AT);
    await stores.teammates.forget(T, ALICE);
    expect(await stores.growth.preferences(T, ALICE)).toEqual({ optionalNudges: 'on', celebrate: false });
    expect(await stores.growth.weekEntries(T)).toEqual([]);
  });
});

describe('check-in counts', () => {
  async function finishOne(stores: ReturnType<typeof fakeDatabase>['stores'], at: string): Promise<number> {
    const c = await stores.checkins.create({
      teamId: T,
      userId: ALICE,
      frameworkId: 'marketing',
      levelId: 'level-2',
      targetLevelId: 'level-3',
      questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'E1' }],
      at,
    });
    await stores.checkins.apply(T, c.id, { kind: 'answer', version: 1, rating: 'consistently', at });
    return c.id;
  }

  it('counts finished check-ins and those shared with the given manager, without answers', async () => {
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    expect(await stores.checkins.counts(T, ALICE, MANAGER)).toEqual({ finished: 0, shared: 0, lastFinishedAt: null });
    const first = await finishOne(stores, AT);
    await finishOne(stores, LATER);
    await stores.checkins.share(T, first, MANAGER, LATER);
    // An open one is not counted.
    await stores.checkins.create({
      teamId: T,
      userId: ALICE,
      frameworkId: 'marketing',
      levelId: 'level-2',
      targetLevelId: null,
      questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'E1' }],
      at: LATER,
    });
    expect(await stores.checkins.counts(T, ALICE, MANAGER)).toEqual({ finished: 2, shared: 1, lastFinishedAt: LATER });
    expect(await stores.checkins.counts(T, ALICE, 'U0OTHERBOSS')).toMatchObject({ finished: 2, shared: 0 });
    expect(await stores.checkins.counts(T, ALICE, null)).toMatchObject({ finished: 2, shared: 0 });
  });
});
