import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import * as records from '../../../teammates/service.js';
import { internalErrorMessage } from '../../blocks/errors.js';
import { cancelledMessage, forgottenMessage, noRecordMessage, refusalMessage } from '../../blocks/records.js';
import { slackDirectory } from '../../directory.js';
import { publishHome } from '../../home.js';

const valueSchema = z.object({ u: z.string().regex(/^[UW][A-Z0-9]+$/) });

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Delete my data" on the confirmation: permission is checked again, by whoever pressed it. */
export function forgetConfirm(ctx: AppContext) {
  return async ({ ack, action, body, respond, client, logger }: Args) => {
    await ack();
    const parsed = valueSchema.safeParse(safeJson(action.value));
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    if (!parsed.success) {
      await respond({ replace_original: true, ...cancelledMessage() });
      return;
    }
    const targetId = parsed.data.u;
    let outcome: Awaited<ReturnType<typeof records.forget>>;
    try {
      outcome = await records.forget(ctx, slackDirectory(client), { teamId, userId: body.user.id }, targetId);
    } catch (err) {
      const reference = randomUUID().slice(0, 8);
      logger.error(`Deleting the data of ${targetId} failed (reference ${reference})`, err);
      await respond({ replace_original: false, ...internalErrorMessage(reference) });
      return;
    }
    if (outcome.kind === 'problem') {
      await respond({ replace_original: true, ...refusalMessage(outcome) });
      return;
    }
    if (outcome.kind === 'no-record') {
      await respond({ replace_original: true, ...noRecordMessage(outcome.self, targetId) });
      return;
    }
    if (outcome.kind === 'forgotten') {
      logger.info(`Deleted the Ripple data of ${targetId} at the request of ${body.user.id}`);
      await respond({ replace_original: true, ...forgottenMessage(outcome.self, targetId) });
      await publishHome(ctx, client, teamId, targetId, logger);
    }
  };
}

export function forgetCancel() {
  return async ({ ack, respond }: Args) => {
    await ack();
    await respond({ replace_original: true, ...cancelledMessage() });
  };
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
