import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { RATINGS, type Rating } from '../../../checkins/machine.js';
import * as checkins from '../../../checkins/service.js';
import {
  answeredMessage,
  CHECKIN_ACTION,
  continueProblemMessage,
  evidenceModal,
  expiredNote,
  movedOnMessage,
  noManagerReply,
  notSharedReply,
  parseButtonValue,
  pausedMessage,
  questionMessage,
  ratingsModal,
  sharedReply,
  sharedWithManagerMessage,
  summaryMessage,
} from '../../blocks/checkins.js';
import type { Message } from '../../blocks/kit.js';
import { checkinDeps, showStart } from '../../checkins.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

function callerOf(body: BlockButtonAction) {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** Replaces the clicked DM message (a question) in place; Slack's own message ts, from the action's container. */
async function updateClicked({ body, client }: Pick<Args, 'body' | 'client'>, message: Message): Promise<void> {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!channel || !ts) return;
  await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}

const ephemeral = (respond: Args['respond'], m: Message) =>
  respond({ response_type: 'ephemeral', replace_original: false, ...m });

/**
 * A button in a check-in. Thin: ack first, then the service decides and the blocks word it.
 * A Slack retry of a click already handled finds the version moved on and changes nothing.
 */
function checkinAction(
  services: SlackServices,
  what: string,
  run: (args: Args, deps: checkins.CheckinDeps) => Promise<unknown>,
) {
  return async (args: Args) => {
    await args.ack();
    services.later(what, () => run(args, checkinDeps(services)));
  };
}

export function rateAction(services: SlackServices) {
  return checkinAction(services, 'Recording a check-in answer', async (args, deps) => {
    const { action, body, respond, context } = args;
    const rating = action.action_id.slice(CHECKIN_ACTION.rate.length + 1) as Rating;
    const ref = parseButtonValue(action.value);
    const caller = callerOf(body);
    if (!ref || !(RATINGS as readonly string[]).includes(rating)) return ephemeral(respond, movedOnMessage());
    const outcome = checkins.answer(deps, caller, ref.id, ref.version, rating);
    switch (outcome.kind) {
      case 'next':
        await updateClicked(args, answeredMessage(outcome.answered, outcome.view.checkin.total, rating));
        await services.notifier.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]);
        return;
      case 'finished':
        await updateClicked(args, answeredMessage(outcome.answered, outcome.result.checkin.total, rating));
        await services.notifier.dm(caller.teamId, caller.userId, [summaryMessage(outcome.result)]);
        return;
      case 'expired':
        return ephemeral(respond, expiredNote(outcome.checkin, deps.expiryDays));
      default:
        // A retry of a click already recorded: the person saw its result; say nothing more.
        if (context.retryNum !== undefined) return;
        return ephemeral(respond, movedOnMessage());
    }
  });
}

export function evidenceAction(services: SlackServices) {
  return checkinAction(services, 'Opening the evidence form', async ({ action, body, respond }, deps) => {
    const ref = parseButtonValue(action.value);
    const caller = callerOf(body);
    const target = ref ? checkins.evidenceTarget(deps, caller, ref.id, ref.version) : null;
    if (!ref || !target) return ephemeral(respond, movedOnMessage());
    await services.notifier.openModal(
      caller.teamId,
      body.trigger_id,
      evidenceModal(ref.id, target.position, target.question),
    );
  });
}

export function laterAction(services: SlackServices) {
  return checkinAction(services, 'Pausing a check-in', async (args, deps) => {
    const ref = parseButtonValue(args.action.value);
    const outcome = ref ? checkins.finishLater(deps, callerOf(args.body), ref.id, ref.version) : undefined;
    if (outcome?.kind !== 'paused') return ephemeral(args.respond, movedOnMessage());
    await updateClicked(args, pausedMessage(outcome.question, outcome.checkin.total));
  });
}

export function continueAction(services: SlackServices) {
  return checkinAction(services, 'Continuing a check-in', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    const outcome = checkins.resume(deps, caller, Number(action.value));
    if (outcome.kind !== 'question') {
      await respond({ replace_original: true, ...continueProblemMessage(outcome, deps.expiryDays) });
      return;
    }
    await respond({ replace_original: true, text: 'Continuing in our DM.' });
    await services.notifier.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]);
  });
}

export function startOverAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in over', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    await showStart(services, caller, checkins.startOver(deps, caller, Number(action.value)), (m) =>
      respond({ replace_original: true, ...m }),
    );
  });
}

/** Start a check-in: from the Home tab, the summary's Start a new check-in, or a reminder. */
export function startAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in', async ({ body, respond }, deps) => {
    const caller = callerOf(body);
    const fromView = body.container?.type === 'view';
    await showStart(services, caller, checkins.start(deps, caller), (m) =>
      fromView ? services.notifier.dm(caller.teamId, caller.userId, [m]) : ephemeral(respond, m),
    );
  });
}

/** Which path, where the next step forks: the button's value is the level id. */
export function pathAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in on a path', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    await showStart(services, caller, checkins.start(deps, caller, { levelId: action.value ?? '' }), (m) =>
      respond({ replace_original: true, ...m }),
    );
  });
}

/** Share with my manager: the manager's DM, nowhere else. */
export function shareAction(services: SlackServices) {
  return checkinAction(services, 'Sharing a check-in', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    const outcome = checkins.share(deps, caller, Number(action.value));
    if (outcome.kind === 'no-manager') return ephemeral(respond, noManagerReply());
    if (outcome.kind === 'not-found') return ephemeral(respond, movedOnMessage());
    if (!outcome.already)
      await services.notifier.dm(caller.teamId, outcome.managerId, [sharedWithManagerMessage(outcome.result)]);
    await ephemeral(respond, sharedReply(outcome.managerId, outcome.already));
  });
}

/** The manager's Add my ratings: a modal with the same expectations. */
export function reviewAction(services: SlackServices) {
  return checkinAction(services, 'Opening the ratings form', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    const outcome = checkins.forReview(deps, caller, Number(action.value));
    if (outcome.kind !== 'review') return ephemeral(respond, notSharedReply());
    await services.notifier.openModal(caller.teamId, body.trigger_id, ratingsModal(outcome.result));
  });
}
