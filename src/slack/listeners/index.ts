import type { App } from '@slack/bolt';
import { CHECKIN_ACTION, CHECKIN_VIEW } from '../blocks/checkins.js';
import { EVIDENCE_ACTION, EVIDENCE_SHORTCUT, EVIDENCE_VIEW } from '../blocks/evidence.js';
import { ASK_ACTION, ASK_VIEW } from '../blocks/evidence-ask.js';
import { GROWTH_ACTION } from '../blocks/growth.js';
import { ACTION } from '../blocks/lookup.js';
import { PEOPLE_ACTION } from '../blocks/people.js';
import { PROMOTION_ACTION, PROMOTION_VIEW } from '../blocks/promotions.js';
import { otherWorkspaceMessage } from '../blocks/reach.js';
import { RECORD_ACTION } from '../blocks/records.js';
import type { RequestOrigin } from '../middleware/foreign.js';
import type { SlackServices } from '../services.js';
import { adminPeopleNext } from './actions/admin-people.js';
import { celebrateLevel } from './actions/celebrate.js';
import {
  answersAction,
  changeAction,
  changeToAction,
  continueAction,
  doneAction,
  evidenceAction,
  laterAction,
  pathAction,
  rateAction,
  reportCheckinAction,
  reviewAction,
  shareAction,
  startAction,
  startOverAction,
  summaryLevelAction,
} from './actions/checkins.js';
import { deleteEvidence, editEvidenceOpen, moreEvidence, winTargetAction } from './actions/evidence.js';
import { askAnswerOpen, askDecline, askOpen, askSettle } from './actions/evidence-ask.js';
import { forgetCancel, forgetConfirm } from './actions/forget.js';
import { pauseCancel, pauseConfirm } from './actions/pause-confirm.js';
import {
  approveAction,
  approveFromAction,
  declineAction,
  noteAction,
  proposeAction,
  sendAction,
  withdrawAction,
} from './actions/promotions.js';
import { releaseHeldDm } from './actions/release-held.js';
import { requestRecord } from './actions/request-record.js';
import { seeMyLevel } from './actions/see-my-level.js';
import { setCancel, setConfirm, setConfirmHold } from './actions/set-confirm.js';
import { viewLevel } from './actions/view-level.js';
import { careerCommand } from './commands/career.js';
import { appHomeOpened, reactivateOnRequest, userChange, workspaceGone } from './events/lifecycle.js';
import { directMessage } from './messages/direct.js';
import { router } from './router.js';
import { saveEvidenceShortcut } from './shortcuts/save-evidence.js';
import { evidenceSubmitted, ratingsSubmitted } from './views/checkins.js';
import { editEvidenceSubmitted, saveEvidenceSubmitted } from './views/evidence.js';
import { answerSubmitted, askSubmitted } from './views/evidence-ask.js';
import { approveFromSubmitted, declineSubmitted, noteSubmitted, proposeSubmitted } from './views/promotions.js';

// NOTE: each handler types the arguments of the one payload it is routed (a button, a modal, an
// event); the tables hold them as handlers of `never`, and Bolt's arguments are passed on as they are.
type AnyArgs = never;

type Body = {
  type?: unknown;
  command?: unknown;
  event_id?: unknown;
  actions?: { action_id?: unknown }[];
  view?: { callback_id?: unknown };
  callback_id?: unknown;
  event?: { type?: unknown };
};

/**
 * Maps Slack ids to callbacks; nothing else lives here. One global middleware routes every request
 * by its kind and id through the tables below, instead of one Bolt listener each (see router.ts:
 * Bolt runs every listener's matching for every request).
 */
export function registerListeners(
  app: App,
  services: SlackServices,
  /** Where a request comes from: another app or workspace is refused, or answered, before anything runs. */
  originOf: (body: unknown) => RequestOrigin = () => ({ kind: 'ours', teamId: undefined }),
): void {
  const { stores, clock } = services.ctx;
  const career = careerCommand(services);

  const actions = router<AnyArgs>([
    [`${ACTION.viewLevel}.`, viewLevel(services)],
    [ACTION.viewLevel, viewLevel(services)],
    [RECORD_ACTION.forgetConfirm, forgetConfirm(services)],
    [RECORD_ACTION.forgetCancel, forgetCancel(services)],
    [RECORD_ACTION.setConfirm, setConfirm(services)],
    [RECORD_ACTION.setConfirmHold, setConfirmHold(services)],
    [RECORD_ACTION.releaseHeld, releaseHeldDm(services)],
    [RECORD_ACTION.celebrate, celebrateLevel(services)],
    [RECORD_ACTION.setCancel, setCancel(services)],
    [RECORD_ACTION.requestRecord, requestRecord(services)],
    [GROWTH_ACTION.seeMyLevel, seeMyLevel(services)],
    [PEOPLE_ACTION.next, adminPeopleNext(services)],
    [RECORD_ACTION.pauseConfirm, pauseConfirm(services)],
    [RECORD_ACTION.pauseCancel, pauseCancel(services)],
    [`${CHECKIN_ACTION.rate}.`, rateAction(services)],
    [CHECKIN_ACTION.evidence, evidenceAction(services)],
    [CHECKIN_ACTION.later, laterAction(services)],
    [CHECKIN_ACTION.resume, continueAction(services)],
    [CHECKIN_ACTION.startOver, startOverAction(services)],
    [CHECKIN_ACTION.start, startAction(services)],
    [`${CHECKIN_ACTION.path}.`, pathAction(services)],
    // Pickers posted before each path button had its own id.
    [CHECKIN_ACTION.path, pathAction(services)],
    [CHECKIN_ACTION.share, shareAction(services)],
    [CHECKIN_ACTION.review, reviewAction(services)],
    // The digest's Add ratings buttons, one per check-in (`checkin.review.<id>`: action ids differ within a message).
    [`${CHECKIN_ACTION.review}.`, reviewAction(services)],
    [CHECKIN_ACTION.answers, answersAction(services)],
    [`${CHECKIN_ACTION.report}.`, reportCheckinAction(services)],
    [CHECKIN_ACTION.done, doneAction(services)],
    [CHECKIN_ACTION.level, summaryLevelAction(services)],
    [CHECKIN_ACTION.change, changeAction(services)],
    [`${CHECKIN_ACTION.changeTo}.`, changeToAction(services)],
    [ASK_ACTION.open, askOpen(services)],
    // `/career evidence` shows one per expectation: action ids are unique in a message, so each carries a suffix.
    [`${ASK_ACTION.open}.`, askOpen(services)],
    [ASK_ACTION.answer, askAnswerOpen(services)],
    [ASK_ACTION.decline, askDecline(services)],
    [ASK_ACTION.keep, askSettle(services, 'keep')],
    [ASK_ACTION.discard, askSettle(services, 'discard')],
    [PROMOTION_ACTION.propose, proposeAction(services)],
    // `/career team` shows one per report: action ids are unique in a message, so each carries the row's index.
    [`${PROMOTION_ACTION.propose}.`, proposeAction(services)],
    [PROMOTION_ACTION.note, noteAction(services)],
    [PROMOTION_ACTION.send, sendAction(services)],
    [PROMOTION_ACTION.approve, approveAction(services)],
    [PROMOTION_ACTION.approveFrom, approveFromAction(services)],
    [PROMOTION_ACTION.decline, declineAction(services)],
    [PROMOTION_ACTION.withdraw, withdrawAction(services)],
    [EVIDENCE_ACTION.target, winTargetAction(services)],
    [`${EVIDENCE_ACTION.edit}.`, editEvidenceOpen(services)],
    [`${EVIDENCE_ACTION.delete}.`, deleteEvidence(services)],
    [EVIDENCE_ACTION.more, moreEvidence(services)],
  ]);

  const views = router<AnyArgs>([
    [CHECKIN_VIEW.evidence, evidenceSubmitted(services)],
    [CHECKIN_VIEW.ratings, ratingsSubmitted(services)],
    [ASK_VIEW.ask, askSubmitted(services)],
    [ASK_VIEW.answer, answerSubmitted(services)],
    [PROMOTION_VIEW.propose, proposeSubmitted(services)],
    [PROMOTION_VIEW.note, noteSubmitted(services)],
    [PROMOTION_VIEW.decline, declineSubmitted(services)],
    [PROMOTION_VIEW.approveFrom, approveFromSubmitted(services)],
    [EVIDENCE_VIEW.save, saveEvidenceSubmitted(services)],
    [EVIDENCE_VIEW.edit, editEvidenceSubmitted(services)],
  ]);

  // Message shortcuts (`message_action`), by callback_id.
  const shortcuts = router<AnyArgs>([[EVIDENCE_SHORTCUT, saveEvidenceShortcut(services)]]);

  const gone = workspaceGone(services);
  const events = router<AnyArgs>([
    ['app_home_opened', appHomeOpened(services)],
    ['user_change', userChange(services)],
    ['app_uninstalled', gone],
    ['tokens_revoked', gone],
    ['message', directMessage(services)],
  ]);

  /**
   * Slack retries an event it thinks we missed: each event_id is handled once (the first instance to
   * claim it); a failed one is released. The claim waits out a short lock (a bulk import's batch,
   * another instance) by itself, instead of answering 500 for a lock held a few milliseconds too long.
   */
  const onceEach = async (eventId: string, handle: () => Promise<void>): Promise<void> => {
    if (!(await stores.events.firstTime(eventId, clock.now().toISOString()))) return;
    try {
      await handle();
    } catch (err) {
      await stores.events.release(eventId);
      throw err;
    }
  };

  const reactivate = reactivateOnRequest(services);

  app.use(async (args) => {
    const body = args.body as Body;
    const ack = (args as { ack?: () => Promise<void> }).ack;
    const origin = originOf(body);
    if (origin.kind === 'refused') {
      // Nothing runs, nothing is written; commands and actions still get Slack's 200.
      if (ack) await ack();
      return;
    }
    if (origin.kind === 'outsider') return answerOutsider(args, origin.teamName);
    // Bolt skips authorize for app_uninstalled/tokens_revoked, and an org-wide one names no workspace:
    // the check above found it is ours, so it is about our workspace.
    args.context.teamId ??= origin.teamId;
    await reactivate(args, origin.teamId);
    const id = (x: unknown) => (typeof x === 'string' ? x : undefined);
    if (body.type === 'event_callback') {
      const handler = events.find(id(body.event?.type));
      const eventId = id(body.event_id);
      if (!handler) return;
      if (eventId === undefined) return handler(args as AnyArgs);
      return onceEach(eventId, () => handler(args as AnyArgs));
    }
    let handler: ((a: AnyArgs) => Promise<void>) | undefined;
    if (typeof body.command === 'string') handler = body.command === '/career' ? career : undefined;
    else if (body.type === 'block_actions') handler = actions.find(id(body.actions?.[0]?.action_id));
    else if (body.type === 'view_submission' || body.type === 'view_closed')
      handler = views.find(id(body.view?.callback_id));
    else if (body.type === 'message_action') handler = shortcuts.find(id(body.callback_id));
    // Anything we do not know (a button from a removed feature, another shortcut) is still acknowledged.
    if (handler) await handler(args as AnyArgs);
    else if (ack) await ack();
  });
}

/**
 * A person of another workspace: one ephemeral line where they acted (the ack of a command, the
 * response_url of a click or a message shortcut), and nothing else: no write, no Web API call. Events have nowhere to
 * answer and get nothing.
 */
async function answerOutsider(args: unknown, teamName: string | undefined): Promise<void> {
  const { ack, respond, body } = args as {
    ack?: (m?: unknown) => Promise<void>;
    respond?: (m: unknown) => Promise<unknown>;
    body: { command?: unknown; type?: unknown; response_url?: unknown };
  };
  if (!ack) return;
  const reply = { response_type: 'ephemeral', ...otherWorkspaceMessage(teamName) };
  if (typeof body.command === 'string') return ack(reply);
  await ack();
  const answerable = body.type === 'block_actions' || body.type === 'message_action';
  if (answerable && typeof body.response_url === 'string' && respond) {
    await respond({ ...reply, replace_original: false });
  }
}
