import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import * as teammates from '../../../teammates/service.js';
import { saveAfterAck } from '../../after-ack.js';
import { section } from '../../blocks/kit.js';
import { buttonValue } from '../../button-value.js';
import { pauseOutcomeReply } from '../../records.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

const valueSchema = z.object({ u: z.string(), until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

/** "Pause until …" on the far-return question: pauses the person who asked, and only them. */
export function pauseConfirm(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Pausing after a confirmation', async () => {
      const parsed = buttonValue(valueSchema, action.value);
      const caller = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      if (!parsed || parsed.u !== caller.userId) {
        const text = 'Only the person who asked can confirm their pause. Nothing was changed.';
        await respond({ replace_original: false, text, blocks: [section(text)] });
        return;
      }
      const { until } = parsed;
      const outcome = await saveAfterAck(async () => await teammates.pause(services.teammates, caller, until, true), {
        logger,
        what: 'Pausing after a confirmation',
        tell: (m) => respond({ replace_original: false, ...m }),
      });
      if (!outcome) return;
      await respond({ replace_original: true, ...pauseOutcomeReply(services, caller, outcome) });
    });
  };
}

export function pauseCancel(services: SlackServices) {
  return async ({ ack, respond }: Args) => {
    await ack();
    const text = 'Cancelled: you are not paused.';
    services.later('Cancelling a pause', () => respond({ replace_original: true, text, blocks: [section(text)] }));
  };
}
