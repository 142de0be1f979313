import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import {
  type EvidenceEntry,
  InvalidInputError,
  type NewEvidence,
  StateConflictError,
  type Stores,
  TeammateNotFoundError,
} from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ALICE, AT, aChange, BOB, LATER, T } from './fixtures.js';

const WIN: NewEvidence = {
  teamId: T,
  userId: ALICE,
  source: 'win',
  text: 'Ran the spring launch review with three teams',
  frameworkId: 'marketing',
  target: { levelId: 'strategist', expectationId: 'cross-team-campaigns' },
  at: AT,
};
const MESSAGE: NewEvidence = {
  ...WIN,
  source: 'message',
  text: 'Thanks @alice, the launch plan made our week',
  authorId: BOB,
  message: {
    channelId: 'C0LAUNCH',
    ts: '1767225600.000100',
    permalink: 'https://example.slack.com/archives/C0LAUNCH/p1767225600000100',
  },
};
const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`;

describe.each(engines())('the evidence store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });
    const withRecords = async () => {
      await stores.teammates.upsert(aChange());
      await stores.teammates.upsert(aChange({ userId: BOB }));
    };

    it('keeps an entry as given, for its person only', async () => {
      await withRecords();
      const kept = await stores.evidence.add(MESSAGE);
      expect(kept).toMatchObject({
        userId: ALICE,
        source: 'message',
        text: MESSAGE.text,
        note: null,
        target: WIN.target,
        authorId: BOB,
        message: MESSAGE.message,
        checkinId: null,
        createdAt: AT,
        updatedAt: AT,
      });
      expect(await stores.evidence.get(T, ALICE, kept.id)).toEqual(kept);
      expect(await stores.evidence.get(T, BOB, kept.id)).toBeNull();
      expect(await stores.evidence.get('T0OTHER', ALICE, kept.id)).toBeNull();
      expect(await stores.evidence.byMessage(T, ALICE, 'C0LAUNCH', '1767225600.000100')).toEqual(kept);
      expect(await stores.evidence.byMessage(T, BOB, 'C0LAUNCH', '1767225600.000100')).toBeNull();
    });

    it('keeps a message once per person: a second save is refused and writes nothing; another person may keep it too', async () => {
      await withRecords();
      await stores.evidence.add(MESSAGE);
      const before = await engineSnapshot(db);
      await expect(stores.evidence.add({ ...MESSAGE, note: 'again', at: LATER })).rejects.toMatchObject({
        conflict: 'evidence-exists',
      });
      await expect(stores.evidence.add(MESSAGE)).rejects.toBeInstanceOf(StateConflictError);
      expect(await engineSnapshot(db)).toEqual(before);
      await expect(stores.evidence.add({ ...MESSAGE, userId: BOB })).resolves.toMatchObject({ userId: BOB });
    });

    it('refuses bad input and a person without a record, writing nothing', async () => {
      await withRecords();
      const before = await engineSnapshot(db);
      await expect(stores.evidence.add({ ...WIN, text: '   ' })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(stores.evidence.add({ ...WIN, text: 'x'.repeat(3001) })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(stores.evidence.add({ ...WIN, source: 'message' })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        stores.evidence.add({ ...MESSAGE, message: { channelId: 'C0X', ts: 'yesterday', permalink: null } }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        stores.evidence.add({ ...MESSAGE, message: { channelId: 'C0X', ts: '1.2', permalink: 'javascript:alert(1)' } }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(stores.evidence.add({ ...WIN, userId: 'U0NOBODY' })).rejects.toBeInstanceOf(TeammateNotFoundError);
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it("edits and deletes only the person's own entries", async () => {
      await withRecords();
      const kept = await stores.evidence.add(WIN);
      expect(await stores.evidence.edit(T, BOB, kept.id, { note: 'mine now', at: LATER })).toBeNull();
      expect(await stores.evidence.remove(T, BOB, kept.id)).toBe(false);
      const edited = await stores.evidence.edit(T, ALICE, kept.id, { target: null, note: 'for the case', at: LATER });
      expect(edited).toMatchObject({
        target: null,
        note: 'for the case',
        text: WIN.text,
        createdAt: AT,
        updatedAt: LATER,
      });
      const again = await stores.evidence.edit(T, ALICE, kept.id, { text: 'Ran the launch review', at: LATER });
      expect(again).toMatchObject({ target: null, note: 'for the case', text: 'Ran the launch review' });
      expect((await stores.evidence.edit(T, ALICE, kept.id, { note: null, at: LATER }))?.note).toBeNull();
      await expect(stores.evidence.edit(T, ALICE, kept.id, { text: '', at: LATER })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      expect(await stores.evidence.remove(T, ALICE, kept.id)).toBe(true);
      expect(await stores.evidence.get(T, ALICE, kept.id)).toBeNull();
      expect(await stores.evidence.edit(T, ALICE, kept.id, { note: 'gone', at: LATER })).toBeNull();
    });

    it('pages newest first, by expectation, since a time, and counts by expectation', async () => {
      await withRecords();
      const kept: EvidenceEntry[] = [];
      for (let day = 1; day <= 5; day++) {
        const target = day % 2 === 0 ? { levelId: 'strategist', expectationId: 'owns-a-channel' } : WIN.target;
        kept.push(
          await stores.evidence.add({ ...WIN, text: `win ${day}`, target: day === 5 ? null : target, at: at(day) }),
        );
      }
      // Two on the same instant: the id breaks the tie, so a page boundary between them loses neither.
      kept.push(await stores.evidence.add({ ...WIN, text: 'win 5b', at: at(5) }));
      await stores.evidence.add({ ...WIN, userId: BOB, text: "Bob's", at: at(3) });

      const first = await stores.evidence.page(T, ALICE, { limit: 2 });
      expect(first.map((e) => e.text)).toEqual(['win 5b', 'win 5']);
      const last = first.at(-1) as EvidenceEntry;
      const second = await stores.evidence.page(T, ALICE, {
        limit: 3,
        after: { createdAt: last.createdAt, id: last.id },
      });
      expect(second.map((e) => e.text)).toEqual(['win 4', 'win 3', 'win 2']);
      expect((await stores.evidence.page(T, ALICE, { limit: 10, since: at(3) })).map((e) => e.text)).toEqual([
        'win 5b',
        'win 5',
        'win 4',
      ]);
      expect(
        (await stores.evidence.forExpectation(T, ALICE, 'cross-team-campaigns', { limit: 10 })).map((e) => e.text),
      ).toEqual(['win 5b', 'win 3', 'win 1']);
      expect(
        (await stores.evidence.forExpectation(T, ALICE, 'cross-team-campaigns', { limit: 1, since: at(1) })).map(
          (e) => e.text,
        ),
      ).toEqual(['win 5b']);
      const counts = await stores.evidence.counts(T, ALICE);
      expect(new Map(counts.map((c) => [c.expectationId, c.n]))).toEqual(
        new Map<string | null, number>([
          ['cross-team-campaigns', 3],
          ['owns-a-channel', 2],
          [null, 1],
        ]),
      );
      const recent = await stores.evidence.counts(T, ALICE, at(4));
      expect(recent).toHaveLength(2);
      expect(recent).toEqual(
        expect.arrayContaining([
          { expectationId: 'cross-team-campaigns', n: 1 },
          { expectationId: null, n: 1 },
        ]),
      );
      expect((await stores.evidence.all(T, ALICE)).map((e) => e.text)).toEqual(kept.map((e) => e.text));
    });

    it('forgets a whole log with the record, in one unit of work on /career forget', async () => {
      await withRecords();
      await stores.evidence.add(WIN);
      await stores.evidence.add(MESSAGE);
      await stores.evidence.add({ ...WIN, userId: BOB });
      expect(await stores.evidence.forgetUser(T, ALICE)).toBe(2);
      expect(await stores.evidence.all(T, ALICE)).toEqual([]);
      expect(await stores.evidence.all(T, BOB)).toHaveLength(1);
    });
  });
});
