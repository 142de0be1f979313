import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { recordRequestedMessage, recordRequestSentMessage } from '../../blocks/records.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Ask for a record" on `/career me` without one: a DM to each Ripple admin (CAREER_ADMINS). Only a
 * person without a record is asked on behalf of; the reply replaces the button, so it is sent once.
 */
export function requestRecord(services: SlackServices) {
  return async ({ ack, body, respond }: Args) => {
    await ack();
    services.later('Asking the admins for a record', async () => {
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      if (services.ctx.stores.teammates.get(teamId, body.user.id)) {
        await respond({ replace_original: true, text: 'You have a career record now: `/career me` shows it.' });
        return;
      }
      const admins = services.ctx.admins.filter((id) => id !== body.user.id);
      let sent = admins.length > 0;
      for (const admin of admins)
        sent = (await services.notifier.dm(teamId, admin, [recordRequestedMessage(body.user.id)])) && sent;
      await respond({ replace_original: true, ...recordRequestSentMessage(admins, sent) });
    });
  };
}
