import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import {
  type ImportRun,
  InvalidInputError,
  type NewImport,
  type StagedRow,
  type Stores,
} from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { AT, LATER, T } from './fixtures.js';

const START: NewImport = { teamId: T, file: 'people.csv', changedBy: 'import:people.csv', at: AT, total: 5 };
const person = (i: number) => `U0PERSON${i}`;
const row = (i: number, zones: Partial<StagedRow> = {}): StagedRow => ({
  change: { teamId: T, userId: person(i), frameworkId: 'marketing', levelId: 'level-1', since: '2024-01-15' },
  ...zones,
});
const NO_COUNTS = { created: 0, updated: 0, unchanged: 0 };

describe.each(engines())('the import store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });

    /** An import of five rows, staged and ready to write. */
    async function staged(): Promise<ImportRun> {
      const run = await stores.imports.begin(START);
      await stores.imports.stage(run.id, 0, [row(0, { tz: 'Asia/Tokyo' }), row(1), row(2)]);
      await stores.imports.stage(run.id, 3, [row(3, { managerTz: 'Europe/Lisbon' }), row(4)]);
      return stores.imports.markStaged(run.id);
    }

    it('begins one import at a time', async () => {
      const run = await stores.imports.begin(START);
      expect(run).toEqual({
        id: expect.any(Number),
        ...START,
        done: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        status: 'staging',
        finishedAt: null,
      });
      expect(await stores.imports.unfinished()).toEqual(run);
      expect(await stores.imports.get(run.id)).toEqual(run);
      const before = await engineSnapshot(db);
      await expect(stores.imports.begin({ ...START, file: 'other.csv' })).rejects.toThrow();
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('stages rows only once they pass the checks, all of a slice or none', async () => {
      const run = await stores.imports.begin(START);
      const before = await engineSnapshot(db);
      await expect(
        stores.imports.stage(run.id, 0, [row(0), { change: { ...row(1).change, since: 'soon' } }]),
      ).rejects.toThrow(InvalidInputError);
      await expect(stores.imports.stage(run.id, 0, [row(0), row(1, { tz: 'Mars/Olympus' })])).rejects.toThrow(
        InvalidInputError,
      );
      // The second row's position is taken: the first row of the slice is not kept either.
      await stores.imports.stage(run.id, 1, [row(1)]);
      const withOne = await engineSnapshot(db);
      await expect(stores.imports.stage(run.id, 0, [row(0), row(1)])).rejects.toThrow();
      expect(await engineSnapshot(db)).toEqual(withOne);
      expect(withOne).not.toEqual(before);
    });

    it('is ready to write only once every row is staged', async () => {
      const run = await stores.imports.begin(START);
      await stores.imports.stage(run.id, 0, [row(0), row(1)]);
      await expect(stores.imports.markStaged(run.id)).rejects.toThrow('2 of 5 rows staged, status staging');
      await stores.imports.stage(run.id, 2, [row(2), row(3), row(4)]);
      expect((await stores.imports.markStaged(run.id)).status).toBe('writing');
      await expect(stores.imports.markStaged(run.id)).rejects.toThrow('5 of 5 rows staged, status writing');
    });

    it('gives the staged rows back in order, with their zones', async () => {
      const run = await staged();
      expect(await stores.imports.staged(run.id, 0, 2)).toEqual([
        { seq: 0, ...row(0), tz: 'Asia/Tokyo', managerTz: null },
        { seq: 1, ...row(1), tz: null, managerTz: null },
      ]);
      expect((await stores.imports.staged(run.id, 3, 10)).map((r) => [r.seq, r.tz, r.managerTz])).toEqual([
        [3, null, 'Europe/Lisbon'],
        [4, null, null],
      ]);
    });

    it('records batches written, and finishes with the last', async () => {
      const run = await staged();
      const first = await stores.unitOfWork.run((repos) =>
        repos.imports.markWritten(run.id, {
          from: 0,
          rows: 3,
          counts: { created: 2, updated: 1, unchanged: 0 },
          now: LATER,
        }),
      );
      expect(first).toMatchObject({
        done: 3,
        created: 2,
        updated: 1,
        unchanged: 0,
        status: 'writing',
        finishedAt: null,
      });
      expect((await stores.imports.staged(run.id, 0, 10)).map((r) => r.seq)).toEqual([3, 4]);
      const last = await stores.unitOfWork.run((repos) =>
        repos.imports.markWritten(run.id, {
          from: 3,
          rows: 2,
          counts: { created: 0, updated: 0, unchanged: 2 },
          now: LATER,
        }),
      );
      expect(last).toMatchObject({ done: 5, created: 2, updated: 1, unchanged: 2, status: 'done', finishedAt: LATER });
      expect(await stores.imports.staged(run.id, 0, 10)).toEqual([]);
      expect(await stores.imports.unfinished()).toBeNull();
      // Another import may begin now.
      expect((await stores.imports.begin(START)).status).toBe('staging');
    });

    it('refuses a batch already written, and the unit that wrote it leaves nothing', async () => {
      const run = await staged();
      await stores.imports.markWritten(run.id, { from: 0, rows: 3, counts: NO_COUNTS, now: LATER });
      const before = await engineSnapshot(db);
      await expect(
        stores.unitOfWork.run(async (repos) => {
          // What a second process writing the same batch would have written first.
          await repos.workspaces.markActive(T, AT);
          await repos.imports.markWritten(run.id, { from: 0, rows: 3, counts: NO_COUNTS, now: LATER });
        }),
      ).rejects.toThrow(`import ${run.id}: the batch from row 0 was already written`);
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('two units writing the same batch at once: one records it', async () => {
      const run = await staged();
      const write = () =>
        stores.unitOfWork.run(async (repos) => {
          await repos.workspaces.markActive(T, AT);
          return repos.imports.markWritten(run.id, { from: 0, rows: 3, counts: NO_COUNTS, now: LATER });
        });
      const results = await Promise.allSettled([write(), write()]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await stores.imports.get(run.id))?.done).toBe(3);
    });

    it('discards an import that never reached writing, a slice at a time, and no other', async () => {
      const before = await engineSnapshot(db);
      const run = await stores.imports.begin(START);
      await stores.imports.stage(run.id, 0, [row(0), row(1), row(2), row(3)]);
      expect(await stores.imports.discardStaged(run.id, 3)).toBe(false);
      expect((await stores.imports.staged(run.id, 0, 10)).map((r) => r.seq)).toEqual([3]);
      expect(await stores.imports.discardStaged(run.id, 3)).toBe(true);
      expect(await stores.imports.get(run.id)).toBeNull();
      expect(await stores.imports.discardStaged(run.id, 3)).toBe(true);
      const after = await engineSnapshot(db);
      // Only the id sequence remembers it (an id is never given twice).
      expect({ ...after, sqlite_sequence: undefined }).toEqual({ ...before, sqlite_sequence: undefined });
      const writing = await staged();
      await expect(stores.imports.discardStaged(writing.id, 3)).rejects.toThrow('only a staging import is discarded');
      expect((await stores.imports.get(writing.id))?.status).toBe('writing');
    });

    it('refuses an import with no rows or no file name, or a bad finish time, and keeps nothing', async () => {
      const before = await engineSnapshot(db);
      await expect(stores.imports.begin({ ...START, total: 0 })).rejects.toThrow(InvalidInputError);
      await expect(stores.imports.begin({ ...START, file: '' })).rejects.toThrow(InvalidInputError);
      await expect(
        stores.imports.markWritten(1, { from: 0, rows: 1, counts: NO_COUNTS, now: 'later' }),
      ).rejects.toThrow(InvalidInputError);
      expect(await engineSnapshot(db)).toEqual(before);
    });
  });
});
