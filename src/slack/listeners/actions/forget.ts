import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { DatabaseBusyError } from '../../../db/busy.js';
import * as teammates from '../../../teammates/service.js';
import { busyMessage, internalErrorMessage } from '../../blocks/errors.js';
import { cancelledMessage, forgottenMessage, noRecordMessage, otherNoRecordMessage } from '../../blocks/records.js';
import { refusalMessage } from '../../blocks/refusals.js';
import { buttonValue } from '../../button-value.js';
import { refreshHome } from '../../home.js';
import type { SlackServices } from '../../services.js';

const valueSchema = z.object({ u: z.string().regex(/^[UW][A-Z0-9]+$/) });

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Delete my data" on the confirmation: permission is checked again, by whoever pressed it. */
export function forgetConfirm(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Deleting data on confirmation', () => confirm(services, { action, body, respond, logger }));
  };
}

async function confirm(
  services: SlackServices,
  { action, body, respond, logger }: Pick<Args, 'action' | 'body' | 'respond' | 'logger'>,
): Promise<void> {
  {
    const parsed = buttonValue(valueSchema, action.value);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    if (!parsed) {
      await respond({ replace_original: true, ...cancelledMessage() });
      return;
    }
    const targetId = parsed.u;
    let outcome: Awaited<ReturnType<typeof teammates.forget>>;
    try {
      outcome = await teammates.forget(services.teammates, { teamId, userId: body.user.id }, targetId);
    } catch (err) {
      if (err instanceof DatabaseBusyError) {
        await respond({ replace_original: false, ...busyMessage() });
        return;
      }
      const reference = randomUUID().slice(0, 8);
      logger.error(`Deleting the data of ${targetId} failed (reference ${reference})`, err);
      await respond({ replace_original: false, ...internalErrorMessage(reference) });
      return;
    }
    if (outcome.kind === 'refused') {
      await respond({ replace_original: true, ...refusalMessage(outcome) });
      return;
    }
    if (outcome.kind === 'no-record') {
      await respond({
        replace_original: true,
        ...(outcome.self ? noRecordMessage() : otherNoRecordMessage(targetId)),
      });
      return;
    }
    if (outcome.kind === 'forgotten') {
      logger.info(`Deleted the Ripple data of ${targetId} at the request of ${body.user.id}`);
      await respond({ replace_original: true, ...forgottenMessage(outcome.self, targetId) });
      await refreshHome(services, teamId, targetId);
    }
  }
}

export function forgetCancel(services: SlackServices) {
  return async ({ ack, respond }: Args) => {
    await ack();
    services.later('Cancelling a deletion', () => respond({ replace_original: true, ...cancelledMessage() }));
  };
}
