import { describe, expect, it } from 'vitest';
import type { CheckinRecord } from '../../src/checkins/model.js';
import type { NewEvidence, Stores } from '../../src/store/index.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ALICE, aChange, BOB, T } from './fixtures.js';

/**
 * Issue 17, item 4: what a check-in shows of a person's evidence log (`shownForQuestion`, `shownForCheckin`): kept
 * after the previous check-in finished and, once this one finished, up to its finish; never another person's entries,
 * never those added during this check-in (its own evidence). Contract test, both engines.
 */

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`;
const entry = (day: number, expectationId: string, extra: Partial<NewEvidence> = {}): NewEvidence => ({
  teamId: T,
  userId: ALICE,
  source: 'win',
  text: `Day ${day}, ${expectationId}`,
  frameworkId: 'marketing',
  target: { levelId: 'level-2', expectationId },
  at: at(day),
  ...extra,
});

describe.each(engines())('a check-in’s window of the evidence log on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let stores: Stores;
    freshStoresEach(engine, (_opened, built) => {
      stores = built;
    });

    const open = (day: number) =>
      stores.checkins.create({
        teamId: T,
        userId: ALICE,
        frameworkId: 'marketing',
        levelId: 'level-2',
        targetLevelId: null,
        questions: [
          { levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'Ship' },
        ],
        at: at(day),
      });
    const finish = async (c: CheckinRecord, day: number) =>
      (await stores.checkins.apply(T, c.id, { kind: 'answer', version: c.version, rating: 'sometimes', at: at(day) }))
        .checkin as CheckinRecord;
    const texts = (entries: { text: string }[]) => entries.map((e) => e.text);

    it('shows what was kept since the last check-in, newest first, with the total; not before it, not another’s, not this one’s own', async () => {
      await stores.teammates.upsert(aChange());
      await stores.teammates.upsert(aChange({ userId: BOB }));
      await stores.evidence.add(entry(1, 'e1'));
      const first = await finish(await open(2), 2);
      const second = await open(4);
      for (const day of [3, 5, 6, 7]) await stores.evidence.add(entry(day, 'e1'));
      await stores.evidence.add(entry(6, 'e2'));
      await stores.evidence.add({ ...entry(6, 'e1'), userId: BOB, text: 'Bob’s' });
      await stores.evidence.add({ ...entry(6, 'e1'), source: 'checkin', checkinId: second.id, text: 'Added during' });

      // The window's start was kept when the check-in started: the finish of the one before.
      expect(first.logSince).toBeNull();
      expect(second.logSince).toBe(first.finishedAt);
      const asked = await stores.evidence.shownForQuestion(second, 'e1', 3);
      expect(texts(asked.entries)).toEqual(['Day 7, e1', 'Day 6, e1', 'Day 5, e1']);
      expect(asked).toMatchObject({ expectationId: 'e1', total: 4, since: first.finishedAt });
      expect(await stores.evidence.shownForQuestion(second, 'e3', 3)).toEqual({
        expectationId: 'e3',
        entries: [],
        total: 0,
        since: first.finishedAt,
      });

      // Finished: the window ends at its finish; what came later belongs to the next one.
      const done = await finish(second, 8);
      await stores.evidence.add(entry(9, 'e1'));
      const shown = await stores.evidence.shownForCheckin(done, 3);
      expect(shown.map((s) => [s.expectationId, texts(s.entries), s.total, s.since])).toEqual([
        ['e1', ['Day 7, e1', 'Day 6, e1', 'Day 5, e1'], 4, first.finishedAt],
        ['e2', ['Day 6, e2'], 1, first.finishedAt],
      ]);
      expect(texts((await stores.evidence.shownForQuestion(done, 'e1', 10)).entries)).not.toContain('Day 9, e1');

      // The first check-in, with none before it: the log from its beginning to that finish.
      const earliest = await stores.evidence.shownForCheckin(first, 3);
      expect(earliest.map((s) => [s.expectationId, texts(s.entries), s.total, s.since])).toEqual([
        ['e1', ['Day 1, e1'], 1, null],
      ]);
    });
  });
});
