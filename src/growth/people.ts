import type { Catalog } from '../frameworks/catalog.js';
import type { AwaitingManagerRating, CheckinStore } from '../ports/checkins.js';
import type { TeammateStore } from '../ports/teammates.js';
import type { Directory } from '../teammates/directory.js';

/**
 * `/career admin people`: what an admin needs on day one, as a plain view for the Slack layer to word
 * (src/slack/blocks/people.ts). Every part costs what it shows: counts from an index, one page of Slack's member
 * list checked in one statement, and the first waiting ratings from an index that holds only waiting ones.
 */

/** Shared check-ins waiting for ratings shown by name; the rest are counted. */
export const AWAITING_SHOWN = 20;
/** Waiting check-ins counted at most; past it the reply says "more than". */
export const AWAITING_COUNTED = 1_000;

export interface TeamCount {
  frameworkId: string;
  /** The framework's name, or its id when the file is gone. */
  name: string;
  /** People with a record on this team who have not left, paused ones included. */
  people: number;
  paused: number;
}

export interface RecordCounts {
  /** Records of people who have not left (active and paused). */
  current: number;
  paused: number;
  left: number;
  teams: TeamCount[];
}

/** One page of Slack's member list, checked against the records. */
export type WithoutRecordPage =
  | {
      kind: 'page';
      /** 1 for the first page. */
      number: number;
      /** Active human members on the page (bots, Slackbot and deactivated accounts left out). */
      humans: number;
      /** Those of them without a record, in Slack's order. */
      ids: string[];
      /** Slack's cursor to the next page; null on the last. */
      nextCursor: string | null;
    }
  /** Slack could not list members (rate limited, down) or no longer knows the cursor: nothing else is affected. */
  | { kind: 'unavailable'; number: number; cursor: string | null; reason: 'unavailable' | 'invalid-cursor' };

export interface AdminPeopleView {
  records: RecordCounts;
  withoutRecord: WithoutRecordPage;
  awaiting: { shown: AwaitingManagerRating[]; total: number; more: boolean };
}

export interface AdminPeopleDeps {
  teammates: Pick<TeammateStore, 'census' | 'withRecords'>;
  checkins: Pick<CheckinStore, 'awaitingRatings'>;
  directory: Pick<Directory, 'membersPage'>;
  catalog: Catalog;
}

/** Counts by team from the census rows: pure. */
export function recordCounts(
  rows: readonly { frameworkId: string; status: 'active' | 'paused' | 'left'; count: number }[],
  nameOf: (frameworkId: string) => string,
): RecordCounts {
  const teams = new Map<string, TeamCount>();
  const counts: RecordCounts = { current: 0, paused: 0, left: 0, teams: [] };
  for (const row of rows) {
    if (row.status === 'left') {
      counts.left += row.count;
      continue;
    }
    const team = teams.get(row.frameworkId) ?? {
      frameworkId: row.frameworkId,
      name: nameOf(row.frameworkId),
      people: 0,
      paused: 0,
    };
    team.people += row.count;
    counts.current += row.count;
    if (row.status === 'paused') {
      team.paused += row.count;
      counts.paused += row.count;
    }
    teams.set(row.frameworkId, team);
  }
  counts.teams = [...teams.values()].sort((a, b) => b.people - a.people || a.name.localeCompare(b.name));
  return counts;
}

/**
 * The view for page `page` of the member list (the first when undefined). The caller has checked that the reader
 * is an admin. Slack is asked first (one users.list call), then the database is read; nothing is written.
 */
export async function adminPeople(
  deps: AdminPeopleDeps,
  teamId: string,
  page?: { cursor: string; number: number },
): Promise<AdminPeopleView> {
  const listed = await deps.directory.membersPage(page?.cursor ?? null);
  const number = page?.number ?? 1;
  let withoutRecord: WithoutRecordPage;
  if (listed.ok) {
    const have = await deps.teammates.withRecords(teamId, listed.humans);
    withoutRecord = {
      kind: 'page',
      number,
      humans: listed.humans.length,
      ids: listed.humans.filter((id) => !have.has(id)),
      nextCursor: listed.nextCursor,
    };
  } else withoutRecord = { kind: 'unavailable', number, cursor: page?.cursor ?? null, reason: listed.reason };
  const records = recordCounts(await deps.teammates.census(teamId), (id) => deps.catalog.get(id)?.name ?? id);
  const awaiting = await deps.checkins.awaitingRatings(teamId, AWAITING_SHOWN, AWAITING_COUNTED);
  return { records, withoutRecord, awaiting };
}
