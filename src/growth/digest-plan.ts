import type { ChangeCursor } from '../ports/teammates.js';

/**
 * How the manager digests' plan follows teammate records (db/017): the growth tick reads the records
 * changed since its cursor (the teammates change sequence, db/016) and applies what this decides, on
 * any engine. Pure: the tick loads the records and saves the result.
 *
 * The rules are those of the SQLite triggers they replace (db/011):
 * - a record with a manager, who has not left, makes that manager a manager of record: their plan row
 *   is added if missing (a manager whose last report left keeps it until the tick drops it);
 * - a manager's own record that says a zone other than the plan's takes it, and the manager is planned
 *   again (their digest's hour moved); so does a change of their `nudges` (harmless since `/career digest`
 *   became the digest's own switch, db/020: that switch re-plans the manager itself).
 */

/** A teammate record changed since the cursor, with the digest plan's row for them as a manager, if any. */
export interface ChangedRecord extends ChangeCursor {
  managerId: string | null;
  status: string;
  tz: string | null;
  /** When Slack last said the record's zone; null when it never did. */
  tzFetchedAt: string | null;
  nudges: 'dm' | 'off';
  /** Their own plan row (they are a planned manager), or null. */
  plan: { tz: string | null; tzFetchedAt: string | null; nudges: 'dm' | 'off' | null } | null;
}

/** What a slice of changes does to the plan. */
export interface DigestPlanChanges {
  /** Managers whose plan row must exist (added unplanned when missing), each once. */
  managers: { teamId: string; managerId: string }[];
  /** Planned managers whose row takes their record's zone and nudges, and who are due at once (re-planned). */
  follow: { teamId: string; managerId: string; tz: string | null; tzFetchedAt: string | null; nudges: 'dm' | 'off' }[];
}

/**
 * Whether the record's zone should replace the plan's: the record knows one, and the plan knows none,
 * or another one that Slack said no later than the record's (a zone Slack gave the plan directly, for a
 * manager whose record has none or an older one, is kept).
 */
function recordZoneIsNewer(record: ChangedRecord, plan: NonNullable<ChangedRecord['plan']>): boolean {
  if (record.tzFetchedAt === null) return false;
  if (plan.tzFetchedAt === null) return true;
  return record.tz !== plan.tz && record.tzFetchedAt >= plan.tzFetchedAt;
}

export function digestPlanChanges(records: readonly ChangedRecord[]): DigestPlanChanges {
  const managers = new Map<string, { teamId: string; managerId: string }>();
  const follow: DigestPlanChanges['follow'] = [];
  for (const record of records) {
    if (record.managerId !== null && record.status !== 'left') {
      managers.set(`${record.teamId}/${record.managerId}`, { teamId: record.teamId, managerId: record.managerId });
    }
    const plan = record.plan;
    if (plan === null) continue;
    const zone = recordZoneIsNewer(record, plan);
    const nudges = plan.nudges !== record.nudges;
    if (!zone && !nudges) continue;
    follow.push({
      teamId: record.teamId,
      managerId: record.userId,
      tz: zone ? record.tz : plan.tz,
      tzFetchedAt: zone ? record.tzFetchedAt : plan.tzFetchedAt,
      nudges: record.nudges,
    });
  }
  return { managers: [...managers.values()], follow };
}
