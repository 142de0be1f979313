import type { AllMiddlewareArgs, AnyMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { retryWhileBusy } from '../../../db/busy.js';
import { applySlackPersonUpdate } from '../../../teammates/service.js';
import { type SlackUserObject, toDirectoryUser } from '../../directory.js';
import type { SlackServices } from '../../services.js';

/** Opening the Home tab shows the person's card, fresh from the database (published after the event's answer). */
export function appHomeOpened(services: SlackServices) {
  return async ({ event, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    // The workspace is marked active by the middleware that saw this verified request.
    services.reliable.afterAck(
      () => undefined,
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
    // Each write is one transaction and setting the same zone or status twice changes nothing, so
    // the whole update may run again when a write finds the database locked.
    const effect = await retryWhileBusy(() =>
      applySlackPersonUpdate(services.teammates, { teamId, userId: user.id }, { deleted: user.deleted, tz: user.tz }),
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
    services.ctx.stores.workspaces.markInactive(teamId, services.ctx.clock.now().toISOString());
    logger.info(`Workspace ${teamId}: ${body.event.type}; outgoing work stopped`);
  };
}

/** Events that say Ripple is leaving, and so never mean it is back. */
const LEAVING = new Set(['app_uninstalled', 'tokens_revoked']);

/**
 * A verified request from our workspace proves Ripple is installed there: a workspace marked
 * inactive by an uninstall becomes active again, so DMs, reminders and digests resume after a
 * reinstall without waiting for someone to open the Home tab. Costs one read while active.
 * A retried event is not proof (Slack may be retrying one sent before the uninstall).
 */
export function reactivateOnRequest(services: SlackServices) {
  return (args: AnyMiddlewareArgs & AllMiddlewareArgs, teamId: string | undefined): void => {
    if (teamId === undefined) return;
    const body = args.body as { type?: unknown; event?: { type?: unknown } };
    if (body.type === 'event_callback') {
      if (LEAVING.has(body.event?.type as string) || args.context.retryNum !== undefined) return;
    }
    reactivate(services.ctx, teamId, args.logger, 'a verified request arrived');
  };
}

/**
 * Marks the workspace active again if an uninstall had stopped it. A failed write (the database
 * locked) is logged, never thrown: what proved the install is still served, and the next request
 * tries again.
 */
export function reactivate(
  deps: Pick<SlackServices['ctx'], 'stores' | 'clock'>,
  teamId: string,
  logger: Pick<AllMiddlewareArgs['logger'], 'info' | 'warn'>,
  why: string,
): void {
  try {
    if (deps.stores.workspaces.reactivate(teamId, deps.clock.now().toISOString())) {
      logger.info(`Workspace ${teamId} is back (${why}): outgoing work resumes`);
    }
  } catch (err) {
    logger.warn(`Could not mark workspace ${teamId} active again: ${(err as Error)?.message ?? err}`);
  }
}
