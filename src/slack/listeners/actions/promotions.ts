import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import { z } from 'zod';
import * as promotions from '../../../promotions/service.js';
import { saveAfterAck } from '../../after-ack.js';
import type { Message } from '../../blocks/kit.js';
import {
  approvedMessage,
  approveFromModal,
  caseRefusalMessage,
  declineModal,
  notDeliveredMessage,
  noteModal,
  sentCaseMessage,
  sentNoticeMessage,
  withdrawnMessage,
  withdrawnNoticeMessage,
} from '../../blocks/promotions.js';
import { refusalMessage } from '../../blocks/refusals.js';
import { buttonValue, idValue } from '../../button-value.js';
import { deliverCase, openProposeForm, promotionDeps } from '../../promotions.js';
import { setOutcomeReply } from '../../records.js';
import type { SlackServices } from '../../services.js';
import { callerOf } from '../caller.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Where the button was, so a form submitted later can update that message. */
function whereOf(body: BlockButtonAction): { ch?: string; ts?: string } {
  const ch = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  return typeof ch === 'string' && typeof ts === 'string' ? { ch, ts } : {};
}

const proposeValue = z.object({ u: z.string().min(1).max(40), c: z.number().int().positive().nullable() });

/** Propose a promotion (under a rated check-in): the form, after every check. */
export function proposeAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args) => {
    await ack();
    const value = buttonValue(proposeValue, action.value);
    if (!value) return;
    // The trigger expires three seconds after the click: the checks and the form go out at once.
    const problem = await openProposeForm(services, callerOf(body), value.u, value.c, body.trigger_id);
    if (problem) await respond({ response_type: 'ephemeral', replace_original: false, ...problem });
  };
}

/** Add a note (the person, on their draft): the form with what they wrote so far. */
export function noteAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args) => {
    await ack();
    const id = idValue(action.value);
    if (id === undefined) return;
    const caller = callerOf(body);
    // Only the person's own draft takes a note; the store guards it again when the note is saved.
    const c = await services.ctx.stores.promotions.get(caller.teamId, id);
    let problem: promotions.CaseRefusal | undefined;
    if (!c) problem = { kind: 'case-refused', reason: 'gone' };
    else if (c.userId !== caller.userId) problem = { kind: 'case-refused', reason: 'not-permitted' };
    else if (c.status !== 'draft') problem = { kind: 'case-refused', reason: 'decided', case: c };
    if (problem || !c) {
      if (problem)
        await respond({ response_type: 'ephemeral', replace_original: false, ...caseRefusalMessage(problem) });
      return;
    }
    const view = noteModal(id, c.personNote);
    view.private_metadata = JSON.stringify({ id, ...whereOf(body) });
    await services.notifier.openModal(caller.teamId, body.trigger_id, view);
  };
}

/** Send it on (the person): claimed once, then to the promotion channel or each admin's DM. */
export function sendAction(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Sending a promotion case on', async () => {
      const id = idValue(action.value);
      if (id === undefined) return;
      const caller = callerOf(body);
      const deps = promotionDeps(services);
      const tell = (m: Message) => respond({ response_type: 'ephemeral', replace_original: false, ...m });
      const to = await promotions.destinationOf(deps, caller);
      if (to.kind === 'admins' && to.admins.length === 0) return void (await tell(notDeliveredMessage('no-admins')));
      const outcome = await saveAfterAck(() => promotions.sendCase(deps, caller, id, to), {
        logger,
        what: 'Sending a promotion case on',
        tell,
      });
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await tell(caseRefusalMessage(outcome)));
      let reached = outcome.to;
      if (!(await deliverCase(services, caller.teamId, outcome.view, reached))) {
        // The channel refused (Ripple removed from it, archived): the admins get it by DM instead, as with no channel.
        reached = await promotions.adminsOf(deps, caller);
        if (outcome.to.kind === 'admins' || !(await deliverCase(services, caller.teamId, outcome.view, reached)))
          logger.warn('A sent promotion case reached no admin; it waits in their DMs through the outbox');
      }
      await respond({ response_type: 'ephemeral', replace_original: true, ...sentCaseMessage(outcome.view, reached) });
      const c = outcome.view.case;
      const told = new Set([c.proposedBy, outcome.view.card.record.managerId].filter((x): x is string => !!x));
      told.delete(caller.userId);
      for (const userId of told)
        await services.reliable.dm(caller.teamId, userId, [sentNoticeMessage(outcome.view, reached)]);
    });
  };
}

/** Approve (an admin, not on their own case): the case and the new level, one unit; then the level-change DMs. */
export function approveAction(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Approving a promotion case', async () => {
      const id = idValue(action.value);
      if (id === undefined) return;
      const caller = callerOf(body);
      const tell = (m: Message) => respond({ response_type: 'ephemeral', replace_original: false, ...m });
      const outcome = await saveAfterAck(() => promotions.approveCase(promotionDeps(services), caller, id), {
        logger,
        what: 'Approving a promotion case',
        tell,
      });
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await tell(caseRefusalMessage(outcome)));
      if (outcome.kind === 'refused') return void (await tell(refusalMessage(outcome)));
      // The DMs of a level change, as Confirm on `/career set` sends them: the congratulation with its opt-in
      // Celebrate button to the person, the news to their manager. Nothing goes to any channel.
      setOutcomeReply(services, caller, outcome.set);
      await respond({ replace_original: true, ...approvedMessage(outcome.case, caller.userId) });
    });
  };
}

/** Withdraw (the proposer, or an admin): the case ends once; the person is told it was withdrawn and by whom. */
export function withdrawAction(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Withdrawing a promotion case', async () => {
      const id = idValue(action.value);
      if (id === undefined) return;
      const caller = callerOf(body);
      const tell = (m: Message) => respond({ response_type: 'ephemeral', replace_original: false, ...m });
      const outcome = await saveAfterAck(() => promotions.withdrawCase(promotionDeps(services), caller, id), {
        logger,
        what: 'Withdrawing a promotion case',
        tell,
      });
      if (!outcome) return;
      if (outcome.kind === 'case-refused') return void (await tell(caseRefusalMessage(outcome)));
      const c = outcome.case;
      await respond({ replace_original: true, ...withdrawnMessage(c) });
      await services.reliable.dm(caller.teamId, c.userId, [withdrawnNoticeMessage(c, 'person')]);
      if (c.proposedBy !== caller.userId)
        await services.reliable.dm(caller.teamId, c.proposedBy, [withdrawnNoticeMessage(c, 'proposer')]);
    });
  };
}

/** Decline with a note (an admin): checked first, so their own case is refused before the form. */
export function declineAction(services: SlackServices) {
  return decisionForm(services, declineModal);
}

/** Approve from another date (an admin): checked first, then the form for the date. */
export function approveFromAction(services: SlackServices) {
  return decisionForm(services, approveFromModal);
}

/** A decision that needs a form: the checks first (their own case is refused before it), then the form. */
function decisionForm(services: SlackServices, modal: (caseId: number, userId: string) => types.ModalView) {
  return async ({ ack, action, body, respond }: Args) => {
    await ack();
    const id = idValue(action.value);
    if (id === undefined) return;
    const caller = callerOf(body);
    const deps = promotionDeps(services);
    const problem = await promotions.checkDecidable(deps, caller, id);
    if (problem) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...caseRefusalMessage(problem) });
      return;
    }
    const c = await deps.promotions.get(caller.teamId, id);
    const view = modal(id, c?.userId ?? '');
    view.private_metadata = JSON.stringify({ id, ...whereOf(body) });
    await services.notifier.openModal(caller.teamId, body.trigger_id, view);
  };
}
