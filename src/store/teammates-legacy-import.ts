import type { Db } from '../db/migrate.js';
import { historyDiff, nextCoreFields } from '../teammates/rules.js';
import type { ParsedTeammateChange } from './input.js';
import { type ImportCounts, TEAMMATE_SQL, type TeammateStoreSync } from './teammates.js';
import type { Timestamp } from './types.js';

/**
 * NOTE: a shim, only for the legacy import store (src/store/imports.ts), which still writes a batch inside its
 * own synchronous better-sqlite3 transaction and cannot await the engine-port store. It runs the teammate
 * store's own statements (TEAMMATE_SQL) and rules (`nextCoreFields`, `historyDiff`) synchronously, and takes
 * one change number per batch. Delete it when the import store moves to the engine port.
 */
export class LegacyImportTeammates implements TeammateStoreSync {
  private readonly statements;
  /** The batch's change number, taken by its first write; `importChecked` starts a batch. */
  private batchSeq: number | undefined;

  constructor(private readonly db: Db) {
    // One prepare per statement, each written out: the query-plan audit counts prepare call sites.
    this.statements = {
      get: db.prepare(TEAMMATE_SQL.get),
      nextChange: db.prepare(TEAMMATE_SQL.nextChange),
      ensureWorkspace: db.prepare(TEAMMATE_SQL.ensureWorkspace),
      insert: db.prepare(TEAMMATE_SQL.insert),
      updateCore: db.prepare(TEAMMATE_SQL.updateCore),
      insertHistory: db.prepare(TEAMMATE_SQL.insertHistory),
      updateTimeZone: db.prepare(TEAMMATE_SQL.updateTimeZone),
    };
  }

  /** Must run inside the import store's batch transaction. */
  importChecked(changes: readonly ParsedTeammateChange[]): ImportCounts {
    this.batchSeq = undefined;
    const s = this.statements;
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const c of changes) {
      const row = s.get.get(c.teamId, c.userId) as
        | { framework_id: string; level_id: string; since: string; manager_id: string | null; title: string | null }
        | undefined;
      const before = row
        ? {
            frameworkId: row.framework_id,
            levelId: row.level_id,
            since: row.since,
            managerId: row.manager_id,
            title: row.title,
          }
        : null;
      const next = nextCoreFields(before, c);
      const diffs = historyDiff(before, next);
      if (before !== null && diffs.length === 0) {
        counts.unchanged++;
        continue;
      }
      const seq = this.seq();
      const core = [next.frameworkId, next.levelId, next.since, next.managerId, next.title];
      if (before === null) {
        s.ensureWorkspace.run(c.teamId, c.at);
        s.insert.run(c.teamId, c.userId, ...core, c.at, c.at, seq);
        counts.created++;
      } else {
        s.updateCore.run(...core, c.at, seq, c.teamId, c.userId);
        counts.updated++;
      }
      for (const d of diffs) {
        s.insertHistory.run(c.teamId, c.userId, d.field, d.from, d.to, c.changedBy, c.at, c.note ?? null);
      }
    }
    return counts;
  }

  /** The batch's zones, after `importChecked` in the same transaction (the zones are checked by the import). */
  setTimeZones(zones: readonly { teamId: string; userId: string; tz: string }[], at: Timestamp): number {
    let updated = 0;
    for (const z of zones)
      updated += this.statements.updateTimeZone.run(z.tz, at, this.seq(), z.teamId, z.userId).changes;
    this.batchSeq = undefined;
    return updated;
  }

  private seq(): number {
    if (!this.db.inTransaction) throw new Error('LegacyImportTeammates writes only inside an import batch');
    this.batchSeq ??= (this.statements.nextChange.get() as { seq: number }).seq;
    return this.batchSeq;
  }
}
