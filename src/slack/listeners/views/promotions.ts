import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import * as promotions from '../../../promotions/service.js';
import { saveAfterAck } from '../../after-ack.js';
import type { Message } from '../../blocks/kit.js';
import {
  approvedMessage,
  CASE_NOTE_INPUT,
  CASE_NOTE_MAX,
  caseRefusalMessage,
  declinedMessage,
  declinedNoticeMessage,
  PROPOSE_LEVEL_INPUT,
  PROPOSE_NOTE_INPUT,
  personCaseMessage,
  proposedMessage,
  SINCE_INPUT,
} from '../../blocks/promotions.js';
import { refusalMessage } from '../../blocks/refusals.js';
import { promotionDeps } from '../../promotions.js';
import { setOutcomeReply } from '../../records.js';
import type { SlackServices } from '../../services.js';
import { callerOf, closed, meta } from './submission.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const proposeMeta = z.object({ u: z.string().min(1).max(40), c: z.number().int().positive().nullable() });
// `ch` and `ts`: the message the form was opened from, updated once the form is saved.
const caseMeta = z.object({
  id: z.number().int().positive(),
  ch: z.string().max(40).optional(),
  ts: z.string().max(40).optional(),
});

const typed = (view: ViewSubmitAction['view'], input: { block: string; action: string }) =>
  view.state.values[input.block]?.[input.action]?.value?.trim().slice(0, CASE_NOTE_MAX) ?? '';

/** Propose, submitted: the case is opened as a draft and goes to the person first; the proposer sees it too. */
export function proposeSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger }: Args) => {
    await ack();
    if (closed(body)) return;
    services.later('Proposing a promotion', async () => {
      const target = meta(proposeMeta, view.private_metadata);
      const toLevelId =
        view.state.values[PROPOSE_LEVEL_INPUT.block]?.[PROPOSE_LEVEL_INPUT.action]?.selected_option?.value;
      const caller = callerOf(body);
      const toProposer = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      if (!target || !toLevelId) return;
      const note = typed(view, PROPOSE_NOTE_INPUT);
      const deps = promotionDeps(services);
      const outcome = await saveAfterAck(
        () =>
          promotions.propose(deps, caller, {
            userId: target.u,
            toLevelId,
            checkinId: target.c,
            note: note || null,
          }),
        { logger, what: 'Proposing a promotion', tell: toProposer, again: 'submit' },
      );
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await toProposer(caseRefusalMessage(outcome)));
      const person = outcome.view.case.userId;
      const to = await promotions.destinationOf(deps, { teamId: caller.teamId, userId: person });
      await services.reliable.dm(caller.teamId, person, [personCaseMessage(outcome.view, to)]);
      await toProposer(proposedMessage(outcome.view));
    });
  };
}

/** The person's note, submitted: kept on their draft; the case they read is shown again with it. */
export function noteSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger, client }: Args) => {
    const note = typed(view, CASE_NOTE_INPUT);
    if (!closed(body) && !note) {
      await ack({
        response_action: 'errors',
        errors: { [CASE_NOTE_INPUT.block]: 'Write something, or press Cancel.' },
      });
      return;
    }
    await ack();
    if (closed(body)) return;
    services.later('Adding to a promotion case', async () => {
      const where = meta(caseMeta, view.private_metadata);
      if (!where) return;
      const caller = callerOf(body);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const deps = promotionDeps(services);
      const outcome = await saveAfterAck(() => promotions.addPersonNote(deps, caller, where.id, note), {
        logger,
        what: 'Adding to a promotion case',
        tell: dm,
        again: 'submit',
      });
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await dm(caseRefusalMessage(outcome)));
      const updated = personCaseMessage(outcome.view, await promotions.destinationOf(deps, caller));
      await updateOrDm(client, where, updated, dm, logger);
    });
  };
}

/**
 * The message the form was opened from, changed to `message`; when it is not known or Slack refuses (deleted), the
 * same message in the DM instead.
 */
async function updateOrDm(
  client: Args['client'],
  where: { ch?: string | undefined; ts?: string | undefined },
  message: Message,
  dm: (m: Message) => Promise<unknown>,
  logger: Args['logger'],
): Promise<void> {
  if (where.ch && where.ts) {
    const done = await client.chat
      .update({ channel: where.ch, ts: where.ts, text: message.text, blocks: message.blocks })
      .then(() => true)
      .catch((err: unknown) => {
        logger.warn('Could not update the message a promotion form was opened from', err);
        return false;
      });
    if (done) return;
  }
  await dm(message);
}

/** Approve from another date, submitted: as Approve, from the date given (read as `/career set since` reads it). */
export function approveFromSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger, client }: Args) => {
    const typedDate = view.state.values[SINCE_INPUT.block]?.[SINCE_INPUT.action]?.value?.trim() ?? '';
    if (!closed(body) && !typedDate) {
      await ack({ response_action: 'errors', errors: { [SINCE_INPUT.block]: 'Give a date, or press Cancel.' } });
      return;
    }
    await ack();
    if (closed(body)) return;
    services.later('Approving a promotion case from a date', async () => {
      const where = meta(caseMeta, view.private_metadata);
      if (!where) return;
      const caller = callerOf(body);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const outcome = await saveAfterAck(
        () => promotions.approveCase(promotionDeps(services), caller, where.id, typedDate),
        { logger, what: 'Approving a promotion case', tell: dm, again: 'submit' },
      );
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await dm(caseRefusalMessage(outcome)));
      if (outcome.kind === 'refused') return void (await dm(refusalMessage(outcome)));
      // The level-change DMs, as Approve sends them.
      setOutcomeReply(services, caller, outcome.set);
      await updateOrDm(client, where, approvedMessage(outcome.case, caller.userId), dm, logger);
    });
  };
}

/** Decline, submitted with its note: the record stays; the note goes to the manager only. */
export function declineSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger, client }: Args) => {
    const note = typed(view, CASE_NOTE_INPUT);
    if (!closed(body) && !note) {
      await ack({
        response_action: 'errors',
        errors: { [CASE_NOTE_INPUT.block]: 'Say why, for their manager: the note is what Decline sends.' },
      });
      return;
    }
    await ack();
    if (closed(body)) return;
    services.later('Declining a promotion case', async () => {
      const where = meta(caseMeta, view.private_metadata);
      if (!where) return;
      const caller = callerOf(body);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const outcome = await saveAfterAck(
        () => promotions.declineCase(promotionDeps(services), caller, where.id, note),
        { logger, what: 'Declining a promotion case', tell: dm, again: 'submit' },
      );
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await dm(caseRefusalMessage(outcome)));
      if (outcome.managerId)
        await services.reliable.dm(caller.teamId, outcome.managerId, [declinedNoticeMessage(outcome.case)]);
      await updateOrDm(client, where, declinedMessage(outcome.case, outcome.managerId), dm, logger);
    });
  };
}
