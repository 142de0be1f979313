import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { DatabaseBusyError } from '../../../db/busy.js';
import { type AdminOutcome, runAdmin } from '../../../growth/service.js';
import { busyMessage, internalErrorMessage } from '../../blocks/errors.js';
import { buttonValue } from '../../button-value.js';
import { adminOutcomeMessage, growthDeps } from '../../growth.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Slack's cursor as Ripple put it in the button, and the page it leads to (2 and on). */
const valueSchema = z.object({ c: z.string().min(1).max(500), p: z.number().int().min(2).max(100_000) });

/**
 * "Next page" under `/career admin people`: the same view on the next page of Slack's member list, in place of the
 * message clicked. Whoever clicks is checked again (a button can be forwarded, an admin removed); nothing is written.
 */
export function adminPeopleNext(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Showing the next page of /career admin people', async () => {
      const parsed = buttonValue(valueSchema, action.value);
      if (!parsed) {
        const text = 'That button is from an older message. Run `/career admin people` again.';
        await respond({ replace_original: false, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
        return;
      }
      const caller = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      let outcome: AdminOutcome;
      try {
        outcome = await runAdmin(growthDeps(services), caller, {
          kind: 'admin',
          action: 'people',
          page: { cursor: parsed.c, number: parsed.p },
        });
      } catch (err) {
        // Only reads: nothing to undo. The admin is told where they clicked, and the page stays.
        const reference = randomUUID().slice(0, 8);
        if (err instanceof DatabaseBusyError) logger.warn('Next page of /career admin people: the database was locked');
        else logger.error(`Next page of /career admin people failed (reference ${reference})`, err);
        const message = err instanceof DatabaseBusyError ? busyMessage() : internalErrorMessage(reference);
        await respond({ replace_original: false, ...message });
        return;
      }
      // A refusal leaves the admin's message as it was; the next page replaces it.
      await respond({ replace_original: outcome.kind === 'people', ...adminOutcomeMessage(outcome) });
    });
  };
}
