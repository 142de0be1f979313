import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { recordRequestedMessage, recordRequestSentMessage } from '../../blocks/records.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Ask for a record" on `/career me` without one: a DM to each admin in CAREER_ADMINS, or, when none
 * are set, to the Slack workspace admins and owners (Ripple admins by the same rule). Only a person
 * without a record is asked on behalf of; the reply replaces the button, so it is sent once.
 */
export function requestRecord(services: SlackServices) {
  return async ({ ack, body, respond }: Args) => {
    await ack();
    services.later('Asking the admins for a record', async () => {
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      if (await services.ctx.stores.teammates.get(teamId, body.user.id)) {
        await respond({ replace_original: true, text: 'You have a career record now: `/career me` shows it.' });
        return;
      }
      const configured =
        services.ctx.admins.length > 0 ? services.ctx.admins : await services.directory.workspaceAdmins();
      const admins = (configured ?? []).filter((id) => id !== body.user.id);
      let sent = admins.length > 0;
      for (const admin of admins)
        sent = (await services.notifier.dm(teamId, admin, [recordRequestedMessage(body.user.id)])) && sent;
      await respond({ replace_original: true, ...recordRequestSentMessage(admins, sent) });
    });
  };
}
