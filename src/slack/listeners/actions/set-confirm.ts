import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DatabaseBusyError } from '../../../db/busy.js';
import * as teammates from '../../../teammates/service.js';
import { busyMessage, internalErrorMessage } from '../../blocks/errors.js';
import type { Message } from '../../blocks/kit.js';
import { setCancelledMessage } from '../../blocks/records.js';
import { refusalMessage } from '../../blocks/refusals.js';
import { setOutcomeReply } from '../../records.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * Confirm and Cancel on a `set` preview. The button's value is only the pending change's id; the
 * service takes it once, for the person who asked. A refusal (someone else clicked, already used)
 * is a new message, so the preview stays for the person it belongs to.
 */
export function setConfirm(services: SlackServices, hold = false) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Confirming a set', async () => {
      const caller = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      // The service's unit of work retries itself when it loses a race for the database.
      const reply = await run(logger, async () => {
        const outcome = await teammates.confirmSet(services.teammates, caller, action.value ?? '');
        return { replace: outcome.kind !== 'refused', message: setOutcomeReply(services, caller, outcome, hold) };
      });
      await respond({ response_type: 'ephemeral', replace_original: reply.replace, ...reply.message });
    });
  };
}

/** "Confirm, manager first" on a lower level: as Confirm, the person's DM waiting for their manager. */
export function setConfirmHold(services: SlackServices) {
  return setConfirm(services, true);
}

export function setCancel(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Cancelling a set', async () => {
      const caller = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      const reply = await run(logger, async () => {
        const outcome = await teammates.cancelSet(services.teammates, caller, action.value ?? '');
        return outcome.kind === 'refused'
          ? { replace: false, message: refusalMessage(outcome) }
          : { replace: true, message: setCancelledMessage() };
      });
      await respond({ response_type: 'ephemeral', replace_original: reply.replace, ...reply.message });
    });
  };
}

async function run(
  logger: Args['logger'],
  work: () => Promise<{ replace: boolean; message: Message }>,
): Promise<{ replace: boolean; message: Message }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DatabaseBusyError) return { replace: false, message: busyMessage() };
    const reference = randomUUID().slice(0, 8);
    logger.error(`A set confirmation failed (reference ${reference})`, err);
    return { replace: false, message: internalErrorMessage(reference) };
  }
}
