import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type { WorkspaceStore } from '../ports/workspaces.js';
import { parseInput } from './errors.js';
import { slackId, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/workspaces.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/workspaces.js';

export const WORKSPACE_SQL = {
  active: 'SELECT active FROM workspaces WHERE team_id = ?',
  // The WHERE makes both idempotent, and says in `changes` whether this call changed anything.
  markActive: `INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, ?)
         ON CONFLICT (team_id) DO UPDATE SET active = 1, installed_at = excluded.installed_at WHERE workspaces.active = 0`,
  markInactive: `INSERT INTO workspaces (team_id, active, uninstalled_at) VALUES (?, 0, ?)
         ON CONFLICT (team_id) DO UPDATE SET active = 0, uninstalled_at = excluded.uninstalled_at WHERE workspaces.active = 1`,
} as const;

const markSchema = z.object({ teamId: slackId, at: timestamp });

export class SqlWorkspaceStore implements WorkspaceStore {
  constructor(private readonly sql: Sql) {}

  async isActive(teamId: string): Promise<boolean> {
    return ((await this.sql.get<{ active: number }>(WORKSPACE_SQL.active, [teamId]))?.active ?? 1) === 1;
  }

  async markActive(teamId: string, at: Timestamp): Promise<void> {
    await this.sql.run(WORKSPACE_SQL.markActive, valid(teamId, at));
  }

  async markInactive(teamId: string, at: Timestamp): Promise<void> {
    await this.sql.run(WORKSPACE_SQL.markInactive, valid(teamId, at));
  }

  async reactivate(teamId: string, at: Timestamp): Promise<boolean> {
    if (await this.isActive(teamId)) return false;
    // No transaction needed: markActive changes a row only while it is inactive, so of two callers that both
    // read "inactive", exactly one changes it and says so.
    return (await this.sql.run(WORKSPACE_SQL.markActive, valid(teamId, at))).changes === 1;
  }
}

function valid(teamId: string, at: Timestamp): [string, string] {
  const v = parseInput(markSchema, { teamId, at }, 'workspace');
  return [v.teamId, v.at];
}

STORE_SQL.workspaces = WORKSPACE_SQL;
