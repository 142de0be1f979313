import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import { InvalidInputError, type NewCase, type Stores, TeammateNotFoundError } from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ADMIN, ALICE, AT, aChange, BOB, LATER, MANAGER, T } from './fixtures.js';

const CASE: NewCase = {
  teamId: T,
  userId: ALICE,
  proposedBy: MANAGER,
  frameworkId: 'marketing',
  fromLevelId: 'level-2',
  toLevelId: 'level-3',
  checkinId: null,
  managerNote: 'Ready',
  at: AT,
};

describe.each(engines())('the promotion store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });

    it('keeps one open case a person: a second Propose writes nothing', async () => {
      await stores.teammates.upsert(aChange());
      const c = await stores.promotions.propose(CASE);
      expect(c).toMatchObject({ userId: ALICE, status: 'draft', managerNote: 'Ready', sentAt: null });
      const before = await engineSnapshot(db);
      expect(await stores.promotions.propose({ ...CASE, proposedBy: ADMIN })).toBeNull();
      expect(await engineSnapshot(db)).toEqual(before);
      expect((await stores.promotions.open(T, ALICE))?.id).toBe(c?.id);
    });

    it('moves each step once, and only for the person the case is about', async () => {
      await stores.teammates.upsert(aChange());
      const c = await stores.promotions.propose(CASE);
      const id = c?.id ?? 0;
      expect(await stores.promotions.addPersonNote(T, id, BOB, 'not mine', LATER)).toBeNull();
      expect((await stores.promotions.addPersonNote(T, id, ALICE, 'Also mentoring', LATER))?.personNote).toBe(
        'Also mentoring',
      );
      expect(await stores.promotions.send(T, id, BOB, null, LATER)).toBeNull();
      expect((await stores.promotions.send(T, id, ALICE, 'G0PROMO', LATER))?.status).toBe('proposed');
      expect(await stores.promotions.send(T, id, ALICE, null, LATER)).toBeNull();
      expect(await stores.promotions.addPersonNote(T, id, ALICE, 'late', LATER)).toBeNull();
      const approved = await stores.promotions.decide(T, id, {
        status: 'approved',
        by: ADMIN,
        at: LATER,
        since: '2026-02-01',
      });
      expect(approved).toMatchObject({
        status: 'approved',
        decidedBy: ADMIN,
        since: '2026-02-01',
        sentToChannel: 'G0PROMO',
      });
      expect(await stores.promotions.decide(T, id, { status: 'declined', by: ADMIN, at: LATER, note: 'x' })).toBeNull();
      // Decided: a new case may be opened.
      expect(await stores.promotions.open(T, ALICE)).toBeNull();
      expect((await stores.promotions.propose(CASE))?.status).toBe('draft');
      expect((await stores.promotions.forPerson(T, ALICE, 10)).map((x) => x.status)).toEqual(['approved', 'draft']);
    });

    it('refuses a case for someone without a record, and a blank note, writing nothing', async () => {
      const before = await engineSnapshot(db);
      await expect(stores.promotions.propose(CASE)).rejects.toBeInstanceOf(TeammateNotFoundError);
      expect(await engineSnapshot(db)).toEqual(before);
      await stores.teammates.upsert(aChange());
      const c = await stores.promotions.propose(CASE);
      await expect(stores.promotions.addPersonNote(T, c?.id ?? 0, ALICE, '  ', LATER)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(stores.promotions.setThreshold(T, 0, ADMIN, LATER)).rejects.toBeInstanceOf(InvalidInputError);
      expect(await stores.promotions.get(T, c?.id ?? 0)).toMatchObject({ personNote: null });
    });

    it('keeps the channel and the threshold apart, per workspace; forget deletes the cases', async () => {
      expect(await stores.promotions.settings(T)).toEqual({ channelId: null, threshold: null });
      await stores.promotions.setChannel(T, 'G0PROMO', ADMIN, AT);
      await stores.promotions.setThreshold(T, 70, ADMIN, LATER);
      expect(await stores.promotions.settings(T)).toEqual({ channelId: 'G0PROMO', threshold: 70 });
      await stores.promotions.setChannel(T, null, ADMIN, LATER);
      expect(await stores.promotions.settings(T)).toEqual({ channelId: null, threshold: 70 });
      expect(await stores.promotions.settings('T0OTHER')).toEqual({ channelId: null, threshold: null });
      await stores.teammates.upsert(aChange());
      await stores.promotions.propose(CASE);
      expect(await stores.promotions.forgetUser(T, ALICE)).toBe(1);
      expect(await stores.promotions.forPerson(T, ALICE, 10)).toEqual([]);
    });
  });
});
