import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { splitMessage } from '../../blocks/kit.js';
import { runRecordCommand } from '../../records.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "See my level" under the weekly channel post: whoever clicks gets their own card (`/career me`),
 * visible only to them; the post itself, which everyone shares, is never replaced.
 */
export function seeMyLevel(services: SlackServices) {
  return async ({ ack, body, respond }: Args) => {
    await ack();
    services.later('Showing someone their level from the channel post', async () => {
      const caller = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      const messages = await runRecordCommand(services, { kind: 'me' }, caller);
      for (const part of messages.flatMap((m) => splitMessage(m))) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...part });
      }
    });
  };
}
