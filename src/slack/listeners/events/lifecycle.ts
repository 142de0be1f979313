import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { isValidTimeZone } from '../../../career/dates.js';
import type { AppContext } from '../../../context.js';
import { publishHome } from '../../home.js';

/** Opening the Home tab shows the person's card, fresh from the database. */
export function appHomeOpened(ctx: AppContext) {
  return async ({ event, body, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    ctx.stores.workspaces.markActive(teamId, ctx.clock.now().toISOString());
    await publishHome(ctx, client, teamId, event.user, logger);
  };
}

/**
 * Keeps a record's time zone current (it decides "today" and reminder times). A person deactivated
 * in Slack becomes "left": the record is kept (it is history, and an admin may still export or
 * delete it) but nobody is nudged about it any more.
 */
export function userChange(ctx: AppContext) {
  return async ({ event, body, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'user_change'>) => {
    const user = event.user as { id: string; deleted?: boolean; tz?: string };
    const record = ctx.stores.teammates.get(body.team_id, user.id);
    if (!record) return;
    if (typeof user.tz === 'string' && user.tz !== record.tz && isValidTimeZone(user.tz)) {
      ctx.stores.teammates.setTimeZone(body.team_id, user.id, user.tz, ctx.clock.now().toISOString());
    }
    if (user.deleted !== true || record.status === 'left') return;
    ctx.stores.teammates.setStatus(body.team_id, user.id, {
      status: 'left',
      changedBy: 'slack:user_change',
      at: ctx.clock.now().toISOString(),
      note: 'Deactivated in Slack',
    });
    logger.info(`${user.id} was deactivated in Slack: record marked as left`);
  };
}

/** Uninstalled or tokens revoked: stop every outgoing message and job for the workspace. */
export function workspaceGone(ctx: AppContext) {
  return async ({
    body,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>) => {
    ctx.stores.workspaces.markInactive(body.team_id, ctx.clock.now().toISOString());
    logger.info(`Workspace ${body.team_id}: ${body.event.type}; outgoing work stopped`);
  };
}
