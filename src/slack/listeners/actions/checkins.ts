import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { RATINGS, type Rating } from '../../../checkins/machine.js';
import type { QuestionView } from '../../../checkins/service.js';
import * as checkins from '../../../checkins/service.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  alreadySharedReply,
  answeredMessage,
  answersModal,
  CHECKIN_ACTION,
  changeQuestionMessage,
  changeRefusedMessage,
  continueProblemMessage,
  continuingMessage,
  evidenceModal,
  expiredNote,
  levelGoneMessage,
  movedOnMessage,
  noManagerReply,
  noSharedCheckinModal,
  notSharedReply,
  parseButtonValue,
  pausedMessage,
  questionMessage,
  ratingsModal,
  sharedWithManagerMessage,
  summaryMessage,
} from '../../blocks/checkins.js';
import type { Message } from '../../blocks/kit.js';
import { levelMessage, levelModal } from '../../blocks/lookup.js';
import { answeredOf, checkinDeps, checkinUnit, showStart } from '../../checkins.js';
import type { SlackServices } from '../../services.js';
import { callerOf } from '../caller.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * Replaces the clicked message in place: a question in the DM (Slack's own message ts, from the
 * action's container), or the ephemeral copy a moved-on click showed, which only its response_url
 * can replace.
 */
async function updateClicked(
  { body, client, respond }: Pick<Args, 'body' | 'client' | 'respond'>,
  message: Message,
): Promise<void> {
  if (body.container?.is_ephemeral) {
    await respond({ replace_original: true, ...message });
    return;
  }
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!channel || !ts) return;
  await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}

const ephemeral = (respond: Args['respond'], m: Message) =>
  respond({ response_type: 'ephemeral', replace_original: false, ...m });

/** Runs a check-in write after the ack: kept, or the person is told nothing was saved (see after-ack.ts). */
type Save = <T>(write: (deps: checkins.CheckinDeps) => T) => Promise<T | undefined>;

/**
 * A button in a check-in. Thin: ack first, then the service decides and the blocks word it.
 * A Slack retry of a click already handled finds the version moved on and changes nothing.
 */
function checkinAction(
  services: SlackServices,
  what: string,
  run: (args: Args, deps: checkins.CheckinDeps, save: Save) => Promise<unknown>,
) {
  return async (args: Args) => {
    await args.ack();
    services.later(what, () => {
      const deps = checkinDeps(services);
      const caller = callerOf(args.body);
      // Where the person pressed: an ephemeral reply; from the Home tab (no response_url), their DM.
      const tell = (m: Message) =>
        args.body.response_url ? ephemeral(args.respond, m) : services.notifier.dm(caller.teamId, caller.userId, [m]);
      const save: Save = (write) =>
        saveAfterAck(() => checkinUnit(services, write), { logger: args.logger, what, tell });
      return run(args, deps, save);
    });
  };
}

/** Waits for both, whatever happens to either; then fails as the first that failed did. */
async function together(...work: Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A click on a question the check-in has moved past: the question waiting now, shown where they clicked. */
const movedOn = (respond: Args['respond'], current: QuestionView | undefined) =>
  ephemeral(respond, movedOnMessage(current));

/** `id:position`, the value of a Change button and of the answers it offers. */
function parsePosition(value: string | undefined): { id: number; position: number } | undefined {
  const ref = parseButtonValue(value);
  return ref ? { id: ref.id, position: ref.version } : undefined;
}

export function rateAction(services: SlackServices) {
  return checkinAction(services, 'Recording a check-in answer', async (args, deps, save) => {
    const { action, body, respond, context } = args;
    const rating = action.action_id.slice(CHECKIN_ACTION.rate.length + 1) as Rating;
    const ref = parseButtonValue(action.value);
    const caller = callerOf(body);
    if (!ref || !(RATINGS as readonly string[]).includes(rating)) return movedOn(respond, undefined);
    const outcome = await save(async (d) => await checkins.answer(d, caller, ref.id, ref.version, rating));
    if (!outcome) return;
    switch (outcome.kind) {
      // The clicked question updated and what comes next posted at the same time: neither waits for the other,
      // so the next question appears a Slack round trip sooner. The DM goes through the outbox: a Slack blip
      // must not strand the person without their next question.
      case 'next':
        return together(
          updateClicked(args, answeredOf(outcome)),
          services.reliable.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]),
        );
      case 'finished':
        return together(
          updateClicked(args, answeredOf(outcome)),
          services.reliable.dm(caller.teamId, caller.userId, [summaryMessage(outcome.result, services.ctx.catalog)]),
        );
      case 'expired':
        return ephemeral(respond, expiredNote(outcome.checkin, deps.expiryDays));
      case 'moved-on':
        // A retry of a click already recorded: the person saw its result; say nothing more.
        if (context.retryNum !== undefined) return;
        return movedOn(respond, outcome.current);
      default:
        return movedOn(respond, undefined);
    }
  });
}

export function evidenceAction(services: SlackServices) {
  return checkinAction(services, 'Opening the evidence form', async ({ action, body, respond }, deps) => {
    const ref = parseButtonValue(action.value);
    const caller = callerOf(body);
    const target = ref ? await checkins.evidenceTarget(deps, caller, ref.id, ref.version) : null;
    if (!ref || !target) return movedOn(respond, ref ? await checkins.waiting(deps, caller, ref.id) : undefined);
    await services.notifier.openModal(
      caller.teamId,
      body.trigger_id,
      evidenceModal(ref.id, target.position, target.question),
    );
  });
}

export function laterAction(services: SlackServices) {
  return checkinAction(services, 'Pausing a check-in', async (args, deps, save) => {
    const ref = parseButtonValue(args.action.value);
    const caller = callerOf(args.body);
    const outcome = ref
      ? await save(async (d) => await checkins.finishLater(d, caller, ref.id, ref.version))
      : ({ kind: 'moved-on' } as const);
    if (!outcome) return;
    if (outcome.kind !== 'paused')
      return movedOn(args.respond, ref ? await checkins.waiting(deps, caller, ref.id) : undefined);
    await updateClicked(args, pausedMessage(outcome.question, outcome.checkin));
  });
}

export function continueAction(services: SlackServices) {
  return checkinAction(services, 'Continuing a check-in', async ({ action, body, respond }, deps, save) => {
    const caller = callerOf(body);
    // `id:version`; a Continue sent before buttons carried a version is the id alone.
    const ref = parseButtonValue(action.value) ?? { id: Number(action.value), version: undefined };
    const outcome = await save(async (d) => await checkins.resume(d, caller, ref.id, ref.version));
    if (!outcome) return;
    if (outcome.kind === 'already') {
      // Pressed before: its question was posted (or waits in the outbox) once; not again.
      await respond({ replace_original: true, ...continuingMessage() });
      return;
    }
    if (outcome.kind !== 'question') {
      await respond({ replace_original: true, ...continueProblemMessage(outcome, deps.expiryDays) });
      return;
    }
    await respond({ replace_original: true, ...continuingMessage() });
    await services.reliable.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]);
  });
}

export function startOverAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in over', async ({ action, body, respond }, _deps, save) => {
    const caller = callerOf(body);
    const outcome = await save(async (d) => await checkins.startOver(d, caller, Number(action.value)));
    if (!outcome) return;
    await showStart(services, caller, outcome, (m) => respond({ replace_original: true, ...m }));
  });
}

/** Start a check-in: from the Home tab, `/career me`, or a reminder. */
export function startAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in', async ({ body, respond }, _deps, save) => {
    const caller = callerOf(body);
    const fromView = body.container?.type === 'view';
    const outcome = await save(async (d) => await checkins.start(d, caller));
    if (!outcome) return;
    await showStart(services, caller, outcome, (m) =>
      fromView ? services.notifier.dm(caller.teamId, caller.userId, [m]) : ephemeral(respond, m),
    );
  });
}

/** Which path, where the next step forks: the button's value is the level id. */
export function pathAction(services: SlackServices) {
  return checkinAction(services, 'Starting a check-in on a path', async ({ action, body, respond }, _deps, save) => {
    const caller = callerOf(body);
    const outcome = await save(async (d) => await checkins.start(d, caller, { levelId: action.value ?? '' }));
    if (!outcome) return;
    await showStart(services, caller, outcome, (m) => respond({ replace_original: true, ...m }));
  });
}

/**
 * Share with my manager: the manager's DM, nowhere else. The summary's Share button becomes "Shared with
 * @maya on …" where it was pressed.
 */
export function shareAction(services: SlackServices) {
  return checkinAction(services, 'Sharing a check-in', async (args, _deps, save) => {
    const { action, body, respond } = args;
    const caller = callerOf(body);
    const outcome = await save(async (d) => await checkins.share(d, caller, Number(action.value)));
    if (!outcome) return;
    if (outcome.kind === 'no-manager') return ephemeral(respond, noManagerReply());
    if (outcome.kind === 'not-found') return movedOn(respond, undefined);
    if (outcome.already) return ephemeral(respond, alreadySharedReply(outcome.managerId));
    await together(
      services.reliable.dm(caller.teamId, outcome.managerId, [sharedWithManagerMessage(outcome.result)]),
      updateClicked(args, summaryMessage(outcome.result, services.ctx.catalog)),
    );
  });
}

/** The manager's Add my ratings: a modal with the same expectations, the report's answers and evidence. */
export function reviewAction(services: SlackServices) {
  return checkinAction(services, 'Opening the ratings form', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    const outcome = await checkins.forReview(deps, caller, Number(action.value));
    if (outcome.kind !== 'review') return ephemeral(respond, notSharedReply());
    const ch = body.container?.channel_id ?? body.channel?.id;
    const ts = body.container?.message_ts ?? body.message?.ts;
    await services.notifier.openModal(
      caller.teamId,
      body.trigger_id,
      ratingsModal(outcome.result, ch && ts ? { ch, ts } : undefined),
    );
  });
}

/** View answers: a finished check-in's answers and evidence, for the person or the manager it was shared with. */
export function answersAction(services: SlackServices) {
  return checkinAction(services, 'Showing check-in answers', async ({ action, body, respond }, deps) => {
    const caller = callerOf(body);
    const outcome = await checkins.answersOf(deps, caller, Number(action.value));
    if (outcome.kind !== 'answers') return ephemeral(respond, notSharedReply());
    await services.notifier.openModal(caller.teamId, body.trigger_id, answersModal(outcome.result, caller.userId));
  });
}

/** View check-in on a report's row (`/career team`, Home): their latest check-in shared with the manager. */
export function reportCheckinAction(services: SlackServices) {
  return checkinAction(services, 'Showing a report’s check-in', async ({ action, body }, deps) => {
    const caller = callerOf(body);
    const reportId = action.value ?? '';
    const outcome = await checkins.latestSharedWithMe(deps, caller, reportId);
    await services.notifier.openModal(
      caller.teamId,
      body.trigger_id,
      outcome.kind === 'answers' ? answersModal(outcome.result, caller.userId) : noSharedCheckinModal(reportId),
    );
  });
}

/** Done, under the summary: View Level and Done go; Share (until shared) and View answers stay. */
export function doneAction(services: SlackServices) {
  return checkinAction(services, 'Closing a check-in summary', async (args, deps) => {
    const outcome = await checkins.answersOf(deps, callerOf(args.body), Number(args.action.value));
    if (outcome.kind !== 'answers') return movedOn(args.respond, undefined);
    await updateClicked(args, summaryMessage(outcome.result, services.ctx.catalog, true));
  });
}

/**
 * View Level N, under the summary: the level in a modal, so the summary (and its Share button) stays in the DM.
 */
export function summaryLevelAction(services: SlackServices) {
  return checkinAction(services, 'Showing a level from a summary', async ({ action, body, respond }) => {
    const { catalog } = services.ctx;
    const [frameworkId = '', levelId = ''] = (action.value ?? '').split('/');
    const framework = catalog.get(frameworkId);
    const level = framework ? catalog.levelById(framework, levelId) : undefined;
    if (!framework || !level) return ephemeral(respond, levelGoneMessage());
    await services.notifier.openModal(
      callerOf(body).teamId,
      body.trigger_id,
      levelModal(framework.name, levelMessage(catalog, framework, level)),
    );
  });
}

/** Change, on an answered question: asks it again in place, until the summary is shared. */
export function changeAction(services: SlackServices) {
  return checkinAction(services, 'Changing a check-in answer', async (args, deps) => {
    const ref = parsePosition(args.action.value);
    const target = ref ? await checkins.changeTarget(deps, callerOf(args.body), ref.id, ref.position) : null;
    if (!ref || !target) return ephemeral(args.respond, changeRefusedMessage({ kind: 'closed' }));
    if ('shared' in target)
      return ephemeral(args.respond, changeRefusedMessage({ kind: 'shared', managerId: target.shared }));
    await updateClicked(args, changeQuestionMessage(ref.id, target.question, target.checkin.total, target.rating));
  });
}

/** An answer chosen through Change: saved in place of the old one; a finished check-in's summary comes again. */
export function changeToAction(services: SlackServices) {
  return checkinAction(services, 'Changing a check-in answer', async (args, _deps, save) => {
    const rating = args.action.action_id.slice(CHECKIN_ACTION.changeTo.length + 1) as Rating;
    const ref = parsePosition(args.action.value);
    const caller = callerOf(args.body);
    if (!ref || !(RATINGS as readonly string[]).includes(rating))
      return ephemeral(args.respond, changeRefusedMessage({ kind: 'closed' }));
    const outcome = await save(async (d) => await checkins.changeAnswer(d, caller, ref.id, ref.position, rating));
    if (!outcome) return;
    if (outcome.kind !== 'changed') return ephemeral(args.respond, changeRefusedMessage(outcome));
    const answered = answeredMessage(outcome.question, outcome.checkin.total, rating, outcome.evidence, {
      checkinId: outcome.checkin.id,
    });
    if (!outcome.result) return updateClicked(args, answered);
    await together(
      updateClicked(args, answered),
      services.reliable.dm(caller.teamId, caller.userId, [summaryMessage(outcome.result, services.ctx.catalog)]),
    );
  });
}
