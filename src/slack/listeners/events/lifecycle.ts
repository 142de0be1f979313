import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { applySlackPersonUpdate } from '../../../teammates/service.js';
import { type SlackUserObject, toDirectoryUser } from '../../directory.js';
import type { SlackServices } from '../../services.js';

/** Opening the Home tab shows the person's card, fresh from the database (published after the event's answer). */
export function appHomeOpened(services: SlackServices) {
  return async ({ event, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    services.reliable.afterAck(
      () => services.ctx.stores.workspaces.markActive(body.team_id, services.ctx.clock.now().toISOString()),
      () => ({ kind: 'home', teamId: body.team_id, userId: event.user }),
    );
  };
}

/**
 * Slack tells us a person changed: the directory cache takes the new facts at once, and the record
 * follows the domain's rule (a new time zone; deactivated means "left").
 */
export function userChange(services: SlackServices) {
  return async ({ event, body, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'user_change'>) => {
    const user = event.user as SlackUserObject & { id: string };
    services.directory.remember(toDirectoryUser(user));
    const effect = applySlackPersonUpdate(
      services.teammates,
      { teamId: body.team_id, userId: user.id },
      { deleted: user.deleted, tz: user.tz },
    );
    if (effect.left) logger.info(`${user.id} was deactivated in Slack: record marked as left`);
  };
}

/** Uninstalled or tokens revoked: the notifier sends nothing more to the workspace. */
export function workspaceGone(services: SlackServices) {
  return async ({
    body,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>) => {
    services.ctx.stores.workspaces.markInactive(body.team_id, services.ctx.clock.now().toISOString());
    logger.info(`Workspace ${body.team_id}: ${body.event.type}; outgoing work stopped`);
  };
}
