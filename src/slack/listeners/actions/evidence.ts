import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import * as evidence from '../../../evidence/service.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  deletedNotice,
  EVIDENCE_ACTION,
  editEvidenceModal,
  entryNotFoundMessage,
  formNotOpenedMessage,
  NO_PARTICULAR,
  notOfferedMessage,
  parsePageValue,
  winSavedMessage,
} from '../../blocks/evidence.js';
import type { Message } from '../../blocks/kit.js';
import { noRecordMessage } from '../../blocks/no-record.js';
import { idValue } from '../../button-value.js';
import { evidenceDeps, evidencePageMessage, orSayWhy } from '../../evidence.js';
import type { SlackServices } from '../../services.js';
import { callerOf } from '../caller.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

type Run = (args: Args, caller: evidence.Caller, tell: (m: Message) => Promise<unknown>) => Promise<unknown>;

/** A button or picker of the evidence log: ack first; the work after it, said where the person clicked. */
function evidenceAction(services: SlackServices, what: string, run: Run) {
  return async (args: Args) => {
    await args.ack();
    services.later(what, async () => {
      const caller = callerOf(args.body);
      const tell = (m: Message) =>
        args.body.response_url
          ? args.respond({ response_type: 'ephemeral', replace_original: false, ...m })
          : services.notifier.dm(caller.teamId, caller.userId, [m]);
      await orSayWhy(() => run(args, caller, tell), { logger: args.logger, what, tell });
    });
  };
}

const actionValue = (args: Args): string | undefined => {
  const action = args.action as { value?: string; selected_option?: { value?: string } | null };
  return action.value ?? action.selected_option?.value;
};

/** The picker under a win: the entry (named by the block's id) moves to the expectation chosen. */
export function winTargetAction(services: SlackServices) {
  return evidenceAction(services, 'Moving a win', async (args, caller, tell) => {
    const id = idValue(args.action.block_id.slice(EVIDENCE_ACTION.target.length + 1));
    const value = actionValue(args);
    if (id === undefined || !value) return tell(entryNotFoundMessage());
    const picked = value === NO_PARTICULAR ? null : { expectationId: value };
    const outcome = await saveAfterAck(() => evidence.editEntry(evidenceDeps(services), caller, id, { picked }), {
      logger: args.logger,
      what: 'Moving a win',
      tell,
    });
    if (!outcome) return;
    if (outcome.kind === 'no-record') return tell(noRecordMessage());
    if (outcome.kind === 'not-offered') return tell(notOfferedMessage());
    if (outcome.kind === 'not-found') return tell(entryNotFoundMessage());
    await args.respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...winSavedMessage(outcome.entry, outcome.choices, outcome.choice, true),
    });
  });
}

/** Edit on an entry: the form, with the expectation and note as they are. Only the person's own entry opens. */
export function editEvidenceOpen(services: SlackServices) {
  return evidenceAction(services, 'Opening the evidence Edit form', async (args, caller, tell) => {
    const id = idValue(actionValue(args));
    const found = id === undefined ? null : await evidence.entryToEdit(evidenceDeps(services), caller, id);
    if (!found) return tell(entryNotFoundMessage());
    const metadata = JSON.stringify({ i: found.entry.id, r: args.body.response_url ?? null });
    const view = editEvidenceModal({ ...found, metadata });
    if (!(await services.notifier.openModal(caller.teamId, args.body.trigger_id, view)))
      await tell(formNotOpenedMessage());
  });
}

/** Delete (after Slack's confirm dialog): the entry leaves the log, which is shown again in place without it. */
export function deleteEvidence(services: SlackServices) {
  return evidenceAction(services, 'Deleting evidence', async (args, caller, tell) => {
    const id = idValue(actionValue(args));
    const outcome =
      id === undefined
        ? ({ kind: 'not-found' } as const)
        : await saveAfterAck(() => evidence.deleteEntry(evidenceDeps(services), caller, id), {
            logger: args.logger,
            what: 'Deleting evidence',
            tell,
          });
    if (!outcome) return;
    if (outcome.kind === 'not-found') return tell(entryNotFoundMessage());
    const list = await evidencePageMessage(services, caller, { notice: deletedNotice(outcome.entry) });
    await args.respond({ response_type: 'ephemeral', replace_original: true, ...list });
  });
}

/** Show older: the next page of the log, in place. */
export function moreEvidence(services: SlackServices) {
  return evidenceAction(services, 'Showing older evidence', async (args, caller, tell) => {
    const page = parsePageValue(actionValue(args));
    if (!page) return tell(entryNotFoundMessage());
    const list = await evidencePageMessage(services, caller, page);
    await args.respond({ response_type: 'ephemeral', replace_original: true, ...list });
  });
}
