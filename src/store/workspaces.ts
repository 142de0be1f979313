import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { slackId, timestamp } from './input.js';
import type { Timestamp } from './types.js';

/**
 * Whether Ripple may still talk to a workspace. app_uninstalled and tokens_revoked mark it inactive,
 * and every outgoing job (DMs, reminders) checks `isActive` first.
 */
export type WorkspaceStore = Async<WorkspaceStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface WorkspaceStoreSync {
  /**
   * False only for a workspace marked inactive. A workspace Ripple has never heard of counts as active:
   * with a single bot token there is no install event, and nothing says it was uninstalled.
   */
  isActive(teamId: string): boolean;
  /** Install or reinstall. Idempotent: an already active workspace keeps its `installed_at`. */
  markActive(teamId: string, at: Timestamp): void;
  /** app_uninstalled / tokens_revoked. Idempotent: both events arrive for one uninstall. */
  markInactive(teamId: string, at: Timestamp): void;
  /**
   * Marks an inactive workspace active again (a reinstall proved by an accepted token or a verified
   * request); true when it was inactive. NOTE: an active workspace costs one read and no write, so
   * every request may call it, also while another connection holds the write lock.
   */
  reactivate(teamId: string, at: Timestamp): boolean;
}

const markSchema = z.object({ teamId: slackId, at: timestamp });

export class SqliteWorkspaceStore implements WorkspaceStoreSync {
  private readonly sql;

  constructor(db: Db) {
    this.sql = {
      active: db.prepare<[teamId: string], { active: number }>('SELECT active FROM workspaces WHERE team_id = ?'),
      markActive: db.prepare<[teamId: string, at: string], void>(
        `INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?)
         ON CONFLICT (team_id) DO UPDATE SET active = 1, installed_at = excluded.installed_at WHERE active = 0`,
      ),
      markInactive: db.prepare<[teamId: string, at: string], void>(
        `INSERT INTO workspaces (team_id, active, uninstalled_at) VALUES (?, 0, ?)
         ON CONFLICT (team_id) DO UPDATE SET active = 0, uninstalled_at = excluded.uninstalled_at WHERE active = 1`,
      ),
    };
  }

  isActive(teamId: string): boolean {
    return (this.sql.active.get(teamId)?.active ?? 1) === 1;
  }

  markActive(teamId: string, at: Timestamp): void {
    const v = parseInput(markSchema, { teamId, at }, 'workspace');
    this.sql.markActive.run(v.teamId, v.at);
  }

  markInactive(teamId: string, at: Timestamp): void {
    const v = parseInput(markSchema, { teamId, at }, 'workspace');
    this.sql.markInactive.run(v.teamId, v.at);
  }

  reactivate(teamId: string, at: Timestamp): boolean {
    if (this.isActive(teamId)) return false;
    this.markActive(teamId, at);
    return true;
  }
}
