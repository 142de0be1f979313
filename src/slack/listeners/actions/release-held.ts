import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { saveAfterAck } from '../../after-ack.js';
import { releasedMessage } from '../../blocks/records.js';
import { buttonValue } from '../../button-value.js';
import { claimHeld, sendClaimed } from '../../outbox.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

const valueSchema = z.object({
  o: z.number().int().positive(),
  u: z.string().regex(/^[UW][A-Z0-9]+$/),
  at: z.string(),
});

/**
 * "Send their message now" on the manager's note about a report's lower level: sends the report's held DM, once,
 * and only for their manager of record (the button may be forwarded, or pressed after the manager changed).
 */
export function releaseHeldDm(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Sending a held message', async () => {
      const parsed = buttonValue(valueSchema, action.value);
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const record = parsed ? await services.ctx.stores.teammates.get(teamId, parsed.u) : null;
      if (!parsed || record?.managerId !== body.user.id) {
        const text = "Only the person's manager can send this message. Nothing was sent.";
        await respond({ replace_original: false, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
        return;
      }
      const { o: id, u: userId, at: until } = parsed;
      // Only the claim is retried on a lock; the send follows once (a retried send could post twice).
      const claimed = await saveAfterAck(async () => ({ n: await claimHeld(services.outbox, { id, userId, until }) }), {
        logger,
        what: 'Sending a held message',
        tell: (m) => respond({ replace_original: false, ...m }),
      });
      if (!claimed) return;
      const outcome = !claimed.n
        ? 'gone'
        : (await sendClaimed({ ...services.outbox, notifier: services.notifier }, claimed.n))
          ? 'sent'
          : 'failed';
      await respond({ replace_original: false, ...releasedMessage(userId, outcome) });
    });
  };
}
