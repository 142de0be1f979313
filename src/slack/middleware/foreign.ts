import type { Logger } from '@slack/bolt';
import type { Identity } from '../installation.js';

type Authorization = { team_id?: unknown; enterprise_id?: unknown };

type AnyBody = {
  type?: unknown;
  team_id?: unknown;
  enterprise_id?: unknown;
  api_app_id?: unknown;
  team?: { id?: unknown; enterprise_id?: unknown } | null;
  enterprise?: { id?: unknown } | null;
  user?: { team_id?: unknown } | null;
  view?: { app_installed_team_id?: unknown } | null;
  authorizations?: unknown;
  event?: { user?: unknown; user_team?: unknown; team?: unknown } | null;
};

const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);

function authorizationsOf(body: AnyBody): Authorization[] {
  return Array.isArray(body.authorizations) ? (body.authorizations as Authorization[]) : [];
}

/**
 * The workspace whose installation a request came through, wherever its kind of payload keeps it.
 * An event lists the installations it is for in `authorizations` (one or several); in Slack Connect
 * and Grid its `team_id` may name the workspace where it happened instead.
 */
export function teamOfRequest(body: AnyBody, ours?: string): string | undefined {
  if (body.type === 'event_callback') {
    const auths = authorizationsOf(body);
    if (ours !== undefined && auths.some((a) => a.team_id === ours)) return ours;
    return str(body.team_id) ?? str(auths[0]?.team_id);
  }
  return str(body.view?.app_installed_team_id) ?? str(body.team_id) ?? str(body.team?.id) ?? str(body.user?.team_id);
}

/** The Enterprise Grid org a request names, if any (`enterprise_id` is empty outside Grid). */
function enterpriseOfRequest(body: AnyBody): string | undefined {
  return (
    str(body.enterprise_id) ??
    str(body.enterprise?.id) ??
    str(body.team?.enterprise_id) ??
    str(authorizationsOf(body)[0]?.enterprise_id)
  );
}

/** The workspace of the person acting, where the payload says it apart from the installation's. */
function userTeamOfRequest(body: AnyBody): string | undefined {
  if (body.type === 'event_callback') {
    const e = body.event;
    const user = typeof e?.user === 'object' && e.user !== null ? (e.user as { team_id?: unknown }) : undefined;
    return str(user?.team_id) ?? str(e?.user_team) ?? str(e?.team);
  }
  return str(body.user?.team_id);
}

/**
 * - `ours`: from this installation's workspace; `teamId` is that workspace (also for an org-wide
 *   event of its Grid org, which names no workspace).
 * - `outsider`: a person of another workspace reaching Ripple through this installation (Slack
 *   Connect) or through a sibling workspace of the same Grid org. They are told whom Ripple serves.
 * - `refused`: another app, or a workspace that is not ours at all (misrouted, or replayed with
 *   another team): nothing runs and nothing is said.
 */
export type RequestOrigin =
  | { kind: 'ours'; teamId: string | undefined }
  | { kind: 'outsider'; teamName: string | undefined }
  | { kind: 'refused' };

const REFUSED: RequestOrigin = { kind: 'refused' };
const NOT_READY: RequestOrigin = { kind: 'ours', teamId: undefined };

/**
 * Ripple serves the one workspace its bot token belongs to. A request naming another app, or another
 * workspace with nothing tying it to ours, is refused before anything runs: nothing is written,
 * nothing is sent, and it is logged once per workspace. A person of another workspace who reaches
 * us through our installation or our Grid org is an outsider: nothing is written for them either,
 * and they get one line saying whom Ripple serves. Admins are therefore per workspace too:
 * CAREER_ADMINS never counts in a team it was not set for.
 */
export function foreignRequestCheck(
  identity: () => Identity | undefined,
  logger: Pick<Logger, 'warn'>,
): (body: unknown) => RequestOrigin {
  const logged = new Set<string>();
  const logOnce = (key: string, line: string) => {
    if (logged.has(key)) return;
    logged.add(key);
    logger.warn(line);
  };
  let cached: { identity: Identity; ours: RequestOrigin; outsider: RequestOrigin } | undefined;
  return (body) => {
    const id = identity();
    if (id === undefined) return NOT_READY;
    // One object per identity, not one per request: this runs for every request.
    if (cached?.identity !== id) {
      cached = {
        identity: id,
        ours: { kind: 'ours', teamId: id.teamId },
        outsider: { kind: 'outsider', teamName: id.teamName },
      };
    }
    const b = body as AnyBody;
    const app = str(b.api_app_id);
    const team = teamOfRequest(b, id.teamId);
    if (id.appId !== undefined && app !== undefined && app !== id.appId) {
      logOnce(`${team}/${app}`, `Refused requests from app ${app}: not this installation`);
      return REFUSED;
    }
    const enterprise = enterpriseOfRequest(b);
    const sameOrg = enterprise !== undefined && enterprise === id.enterpriseId;
    if (team === undefined) {
      // Org-wide events (an org-wide uninstall) name only the org.
      if (enterprise === undefined || sameOrg) return cached.ours;
      logOnce(`${enterprise}`, `Refused requests from org ${enterprise}: not this installation's`);
      return REFUSED;
    }
    if (team !== id.teamId) {
      if (sameOrg) return cached.outsider;
      logOnce(`${team}`, `Refused requests from workspace ${team}: not this installation`);
      return REFUSED;
    }
    const userTeam = userTeamOfRequest(b);
    if (userTeam !== undefined && userTeam !== id.teamId) return cached.outsider;
    return cached.ours;
  };
}
