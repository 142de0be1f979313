import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type Message, section } from '../../blocks/kit.js';
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
      // From the Home tab there is no reply to replace: the answer comes by DM.
      const reply = (m: Message) =>
        body.container?.type === 'view' || !respond
          ? services.notifier.dm(teamId, body.user.id, [m])
          : respond({ replace_original: true, ...m });
      if (await services.ctx.stores.teammates.get(teamId, body.user.id)) {
        const text = 'You have a career record now: `/career me` shows it.';
        await reply({ text, blocks: [section(text)] });
        return;
      }
      const configured =
        services.ctx.admins.length > 0 ? services.ctx.admins : await services.directory.workspaceAdmins();
      const admins = (configured ?? []).filter((id) => id !== body.user.id);
      let sent = admins.length > 0;
      for (const admin of admins)
        sent = (await services.notifier.dm(teamId, admin, [recordRequestedMessage(body.user.id)])) && sent;
      await reply(recordRequestSentMessage(admins, sent));
    });
  };
}
