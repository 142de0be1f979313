import type { Logger } from '@slack/bolt';
import type { Identity } from '../installation.js';

type AnyBody = {
  team_id?: unknown;
  api_app_id?: unknown;
  team?: { id?: unknown } | null;
  user?: { team_id?: unknown } | null;
};

/** The workspace a request comes from, wherever its kind of payload keeps it. */
export function teamOfRequest(body: AnyBody): string | undefined {
  if (typeof body.team_id === 'string') return body.team_id;
  if (typeof body.team?.id === 'string') return body.team.id;
  if (typeof body.user?.team_id === 'string') return body.user.team_id;
  return undefined;
}

/**
 * Ripple serves the one workspace its bot token belongs to. A request naming another workspace or
 * another app (a misrouted request, or someone replaying ours with a different team) is refused
 * before anything runs: nothing is written, nothing is sent, and it is logged once per workspace.
 * Admins are therefore per workspace too: CAREER_ADMINS never counts in a team it was not set for.
 * True when the request is to be refused (the caller still acknowledges it: Slack wants an answer).
 */
export function foreignRequestCheck(
  identity: () => Identity | undefined,
  logger: Pick<Logger, 'warn'>,
): (body: unknown) => boolean {
  const logged = new Set<string>();
  return (body) => {
    const ours = identity();
    const b = body as AnyBody;
    const team = teamOfRequest(b);
    const app = typeof b.api_app_id === 'string' ? b.api_app_id : undefined;
    const foreignTeam = ours !== undefined && team !== undefined && team !== ours.teamId;
    const foreignApp = ours?.appId !== undefined && app !== undefined && app !== ours.appId;
    if (!foreignTeam && !foreignApp) return false;
    const key = `${team ?? '?'}/${app ?? '?'}`;
    if (!logged.has(key)) {
      logged.add(key);
      logger.warn(
        `Refused requests from workspace ${team ?? 'unknown'} / app ${app ?? 'unknown'}: not this installation`,
      );
    }
    return true;
  };
}
