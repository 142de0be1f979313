import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import { type NewAsk, type Stores, TeammateNotFoundError } from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ALICE, aChange, BOB, T } from './fixtures.js';

const CAROL = 'U0CAROL001';
const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T09:00:00.000Z`;
const ASK: NewAsk = {
  teamId: T,
  userId: ALICE,
  colleagueId: BOB,
  frameworkId: 'marketing',
  target: { levelId: 'level-3', expectationId: 'ideas-into-shipped-projects' },
  context: 'the spring launch',
  at: day(1),
  dueAt: day(15),
};

describe.each(engines())('the ask store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });
    const withRecord = () => stores.teammates.upsert(aChange());

    it('opens one ask per person, colleague and expectation while it is open', async () => {
      await withRecord();
      const first = await stores.evidenceAsks.open(ASK);
      expect(first).toMatchObject({ status: 'asked', answer: null, closedAt: null, colleagueId: BOB });
      const before = await engineSnapshot(db);
      expect(await stores.evidenceAsks.open({ ...ASK, context: null })).toBeNull();
      expect(await engineSnapshot(db)).toEqual(before);
      expect(await stores.evidenceAsks.open({ ...ASK, colleagueId: CAROL })).not.toBeNull();
      expect(
        await stores.evidenceAsks.open({ ...ASK, target: { levelId: 'level-3', expectationId: 'other-one' } }),
      ).not.toBeNull();
      expect(await stores.evidenceAsks.openFor(T, ALICE, BOB, 'ideas-into-shipped-projects')).toMatchObject({
        id: first?.id,
      });
    });

    it('refuses an ask without a record, or to oneself, writing nothing', async () => {
      await expect(stores.evidenceAsks.open(ASK)).rejects.toBeInstanceOf(TeammateNotFoundError);
      await withRecord();
      await expect(stores.evidenceAsks.open({ ...ASK, colleagueId: ALICE })).rejects.toThrow('cannot ask themselves');
      expect(await stores.evidenceAsks.page(T, ALICE, 10)).toEqual([]);
    });

    it('takes the answer from the colleague asked only, once; keeps it until the person settles, then no text', async () => {
      await withRecord();
      const ask = await stores.evidenceAsks.open(ASK);
      const id = ask?.id ?? 0;
      expect(await stores.evidenceAsks.answer(T, id, CAROL, 'Forged', day(2), day(16))).toBeNull();
      expect(await stores.evidenceAsks.decline(T, id, CAROL)).toBe(false);
      const answered = await stores.evidenceAsks.answer(T, id, BOB, 'Shipped it', day(2), day(16));
      expect(answered).toMatchObject({ status: 'answered', answer: 'Shipped it', dueAt: day(16) });
      expect(await stores.evidenceAsks.answer(T, id, BOB, 'Again', day(3), day(17))).toBeNull();
      expect(await stores.evidenceAsks.settle(T, BOB, id, 'kept', day(4))).toBeNull();
      const was = await stores.evidenceAsks.settle(T, ALICE, id, 'kept', day(4));
      expect(was).toMatchObject({ answer: 'Shipped it' });
      expect(await stores.evidenceAsks.get(T, id)).toMatchObject({ status: 'kept', answer: null, closedAt: day(4) });
      expect(await stores.evidenceAsks.settle(T, ALICE, id, 'discarded', day(5))).toBeNull();
    });

    it('closes due asks a batch at a time, earliest first (answers dropped), and prunes closed ones', async () => {
      await withRecord();
      const asked = await stores.evidenceAsks.open(ASK);
      const declined = await stores.evidenceAsks.open({ ...ASK, colleagueId: CAROL, dueAt: day(14) });
      const answered = await stores.evidenceAsks.open({ ...ASK, colleagueId: 'U0DAN00001', dueAt: day(13) });
      await stores.evidenceAsks.decline(T, declined?.id ?? 0, CAROL);
      await stores.evidenceAsks.answer(T, answered?.id ?? 0, 'U0DAN00001', 'Text', day(2), day(13));
      expect(await stores.evidenceAsks.closeDue(day(12), 10)).toBe(0);
      expect(await stores.evidenceAsks.closeDue(day(20), 2)).toBe(2);
      expect(await stores.evidenceAsks.get(T, answered?.id ?? 0)).toMatchObject({ status: 'discarded', answer: null });
      expect(await stores.evidenceAsks.get(T, declined?.id ?? 0)).toMatchObject({ status: 'expired' });
      expect(await stores.evidenceAsks.get(T, asked?.id ?? 0)).toMatchObject({ status: 'asked' });
      expect(await stores.evidenceAsks.closeDue(day(20), 2)).toBe(1);
      expect(await stores.evidenceAsks.pruneClosed(day(20), 10)).toBe(0);
      expect(await stores.evidenceAsks.pruneClosed('2026-04-30T00:00:00.000Z', 2)).toBe(2);
      expect(await stores.evidenceAsks.pruneClosed('2026-04-30T00:00:00.000Z', 2)).toBe(1);
      expect(await stores.evidenceAsks.page(T, ALICE, 10)).toEqual([]);
    });

    it('lists the person’s asks newest first, and forgets them', async () => {
      await withRecord();
      await stores.evidenceAsks.open(ASK);
      await stores.evidenceAsks.open({ ...ASK, colleagueId: CAROL, at: day(3) });
      expect((await stores.evidenceAsks.page(T, ALICE, 10)).map((a) => a.colleagueId)).toEqual([CAROL, BOB]);
      expect(await stores.evidenceAsks.page(T, ALICE, 1)).toHaveLength(1);
      expect(await stores.evidenceAsks.page(T, BOB, 10)).toEqual([]);
      expect(await stores.evidenceAsks.forgetUser(T, ALICE)).toBe(2);
    });
  });
});
