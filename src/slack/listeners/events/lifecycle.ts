import type { AllMiddlewareArgs, AnyMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { managerZoneChanged } from '../../../growth/service.js';
import { applySlackPersonUpdate } from '../../../teammates/service.js';
import { type SlackUserObject, toDirectoryUser } from '../../directory.js';
import { ACTIVE_KEPT_MS } from '../../notifier.js';
import type { SlackServices } from '../../services.js';

/** Opening the Home tab shows the person's card, fresh from the database (published after the event's answer). */
export function appHomeOpened(services: SlackServices) {
  return async ({ event, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    // The workspace is marked active by the middleware that saw this verified request.
    await services.reliable.afterAck(
      async () => undefined,
      () => ({ kind: 'home', teamId: body.team_id, userId: event.user }),
    );
  };
}

/**
 * Slack tells us a person changed: the directory cache takes the new facts at once, and the record
 * follows the domain's rule (a new time zone; deactivated means "left").
 */
export function userChange(services: SlackServices) {
  return async ({ event, body, context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'user_change'>) => {
    const user = event.user as SlackUserObject & { id: string; team_id?: string };
    const teamId = context.teamId ?? body.team_id;
    // NOTE: the same person (a Grid member, a Slack Connect guest) has other workspaces: their admin
    // rights, deactivation and time zone there say nothing about ours. The routing check already
    // keeps these out; this keeps the rule beside the code it protects.
    if (user.team_id !== undefined && user.team_id !== teamId) return;
    services.directory.remember(toDirectoryUser(user));
    // Each write waits out a lock by itself (src/db/sql.ts), and setting the same zone or status twice changes nothing.
    const effect = await applySlackPersonUpdate(
      services.teammates,
      { teamId, userId: user.id },
      { deleted: user.deleted, tz: user.tz },
    );
    // A manager without a record of their own keeps their zone only in the digest plan.
    await managerZoneChanged(
      { growth: services.ctx.stores.growth, clock: services.ctx.clock },
      teamId,
      user.id,
      user.tz,
    );
    if (effect.left) logger.info(`${user.id} was deactivated in Slack: record marked as left`);
  };
}

/**
 * Uninstalled or tokens revoked: the notifier sends nothing more to the workspace. An org-wide
 * event names only the Grid org; the routing check puts our workspace in `context.teamId` when the
 * org is ours, and refuses it otherwise.
 */
export function workspaceGone(services: SlackServices) {
  return async ({
    body,
    context,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>) => {
    const teamId = (body.team_id as string | undefined) || context.teamId;
    if (!teamId) {
      logger.warn(`${body.event.type} named no workspace of ours; nothing to stop`);
      return;
    }
    await services.ctx.stores.workspaces.markInactive(teamId, services.ctx.clock.now().toISOString());
    logger.info(`Workspace ${teamId}: ${body.event.type}; outgoing work stopped`);
  };
}

/** Events that say Ripple is leaving, and so never mean it is back. */
const LEAVING = new Set(['app_uninstalled', 'tokens_revoked']);

/**
 * A verified request from our workspace proves Ripple is installed there: a workspace marked
 * inactive by an uninstall becomes active again, so DMs, reminders and digests resume after a
 * reinstall without waiting for someone to open the Home tab. Costs one read a second while active
 * (a burst of requests shares it; another instance's uninstall is noticed within that second).
 * A retried event is not proof (Slack may be retrying one sent before the uninstall).
 */
export function reactivateOnRequest(services: SlackServices, recheckMs = ACTIVE_KEPT_MS) {
  // Real time, not the domain clock: how often to look is an operational matter.
  const checkedAt = new Map<string, number>();
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs, teamId: string | undefined): Promise<void> => {
    if (teamId === undefined) return;
    const body = args.body as { type?: unknown; event?: { type?: unknown } };
    if (body.type === 'event_callback') {
      if (LEAVING.has(body.event?.type as string) || args.context.retryNum !== undefined) {
        // An uninstall is about to mark the workspace inactive: the next request must look again.
        checkedAt.delete(teamId);
        return;
      }
    }
    const now = performance.now();
    if (now - (checkedAt.get(teamId) ?? Number.NEGATIVE_INFINITY) < recheckMs) return;
    if (await reactivate(services.ctx, teamId, args.logger, 'a verified request arrived')) checkedAt.set(teamId, now);
  };
}

/**
 * Marks the workspace active again if an uninstall had stopped it; true when it is known active now. A
 * failed write (the database locked) is logged, never thrown: what proved the install is still served,
 * and the next request tries again.
 */
export async function reactivate(
  deps: Pick<SlackServices['ctx'], 'stores' | 'clock'>,
  teamId: string,
  logger: Pick<AllMiddlewareArgs['logger'], 'info' | 'warn'>,
  why: string,
): Promise<boolean> {
  try {
    if (await deps.stores.workspaces.reactivate(teamId, deps.clock.now().toISOString())) {
      logger.info(`Workspace ${teamId} is back (${why}): outgoing work resumes`);
    }
    return true;
  } catch (err) {
    logger.warn(`Could not mark workspace ${teamId} active again: ${(err as Error)?.message ?? err}`);
    return false;
  }
}
