import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerForm, askTarget, declineAsk, settleAnswer } from '../../../evidence/asks.js';
import type { Repos } from '../../../ports/index.js';
import type { Caller } from '../../../teammates/service.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  alreadySettledReply,
  answerModal,
  askClosedReply,
  askModal,
  askNoRecordReply,
  askNotYoursReply,
  askUnknownExpectationReply,
  declinedMessage,
  discardedMessage,
  keptMessage,
  parseAskId,
  parseAskTarget,
} from '../../blocks/evidence-ask.js';
import type { Message } from '../../blocks/kit.js';
import { askDeps } from '../../evidence-ask.js';
import type { SlackServices } from '../../services.js';
import { callerOf } from '../caller.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Where the button was pressed: its ephemeral reply, or the DM when there is no response_url (the Home tab). */
function teller(services: SlackServices, args: Args) {
  const caller = callerOf(args.body);
  return (m: Message) =>
    args.body.response_url
      ? args.respond({ response_type: 'ephemeral', replace_original: false, ...m })
      : services.notifier.dm(caller.teamId, caller.userId, [m]);
}

/** Replaces the DM message the button was on (the colleague's ask, the answer with Keep it). */
async function replaceClicked(args: Args, message: Message): Promise<void> {
  const channel = args.body.container?.channel_id ?? args.body.channel?.id;
  const ts = args.body.container?.message_ts ?? args.body.message?.ts;
  if (!channel || !ts) return;
  await args.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}

/** A button of the ask flow: ack first, the rest after it. */
function askAction(services: SlackServices, what: string, run: (args: Args) => Promise<unknown>) {
  return async (args: Args) => {
    await args.ack();
    services.later(what, () => run(args));
  };
}

/**
 * One write of the ask flow after the ack, as a unit: kept, or the person is told where they pressed that nothing was
 * saved. A value that is no ask id is "not yours" without touching the database.
 */
function saveAsk<T>(
  services: SlackServices,
  args: Args,
  what: string,
  write: (repos: Repos, caller: Caller, id: number) => Promise<T>,
): Promise<T | { kind: 'not-yours' } | undefined> {
  const caller = callerOf(args.body);
  const id = parseAskId(args.action.value);
  return saveAfterAck<T | { kind: 'not-yours' }>(
    () =>
      id === undefined
        ? ({ kind: 'not-yours' } as const)
        : services.ctx.stores.unitOfWork.run((repos) => write(repos, caller, id)),
    { logger: args.logger, what, tell: teller(services, args) },
  );
}

/** "Ask for an example" (`<levelId>:<expectationId>`): the ask form, for an expectation of the person's own. */
export function askOpen(services: SlackServices) {
  return askAction(services, 'Opening the ask form', async (args) => {
    const caller = callerOf(args.body);
    const target = parseAskTarget(args.action.value);
    const found = target
      ? await askTarget(askDeps(services), services.ctx.stores, caller, target)
      : ({ kind: 'unknown-expectation' } as const);
    if (found.kind === 'no-record') return teller(services, args)(askNoRecordReply());
    if (found.kind !== 'ok') return teller(services, args)(askUnknownExpectationReply());
    await services.notifier.openModal(caller.teamId, args.body.trigger_id, askModal(found.choice));
  });
}

/** "Write an example", by the colleague asked: the answer form. */
export function askAnswerOpen(services: SlackServices) {
  return askAction(services, 'Opening the answer form', async (args) => {
    const caller = callerOf(args.body);
    const id = parseAskId(args.action.value);
    const form =
      id === undefined
        ? ({ kind: 'not-yours' } as const)
        : await answerForm(askDeps(services), services.ctx.stores, caller, id);
    if (form.kind === 'not-yours') return teller(services, args)(askNotYoursReply());
    if (form.kind === 'closed') return teller(services, args)(askClosedReply());
    const origin = {
      channel: args.body.container?.channel_id ?? args.body.channel?.id,
      ts: args.body.container?.message_ts ?? args.body.message?.ts,
    };
    await services.notifier.openModal(caller.teamId, args.body.trigger_id, answerModal(form.request, origin));
  });
}

/** "Not this time", by the colleague asked: the ask is done for them; the person is told nothing. */
export function askDecline(services: SlackServices) {
  return askAction(services, 'Declining an ask for an example', async (args) => {
    const tell = teller(services, args);
    const outcome = await saveAsk(services, args, 'Declining an ask for an example', (repos, caller, id) =>
      declineAsk(askDeps(services), repos, caller, id),
    );
    if (!outcome) return;
    if (outcome.kind === 'not-yours') return tell(askNotYoursReply());
    if (outcome.kind === 'closed') return tell(askClosedReply());
    await replaceClicked(args, declinedMessage(outcome.askerId));
  });
}

/** "Keep it" or "Don't keep", by the person who asked: once; the message then says what became of the example. */
export function askSettle(services: SlackServices, choice: 'keep' | 'discard') {
  const what = choice === 'keep' ? 'Keeping an example in the evidence log' : 'Letting an example go';
  return askAction(services, what, async (args) => {
    const tell = teller(services, args);
    const outcome = await saveAsk(services, args, what, (repos, caller, id) =>
      settleAnswer(askDeps(services), repos, caller, id, choice),
    );
    if (!outcome) return;
    switch (outcome.kind) {
      case 'not-yours':
        return tell(askNotYoursReply());
      case 'already':
        return tell(alreadySettledReply(outcome.seenAs));
      case 'kept':
        return replaceClicked(args, keptMessage(outcome.entry.authorId ?? '', outcome.expectation, outcome.entry.text));
      case 'discarded':
        return replaceClicked(args, discardedMessage(outcome.expectation));
    }
  });
}
