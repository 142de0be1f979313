import type { App } from '@slack/bolt';
import { CHECKIN_ACTION, CHECKIN_VIEW } from '../blocks/checkins.js';
import { ACTION } from '../blocks/lookup.js';
import { RECORD_ACTION } from '../blocks/records.js';
import type { SlackServices } from '../services.js';
import {
  continueAction,
  evidenceAction,
  laterAction,
  pathAction,
  rateAction,
  reviewAction,
  shareAction,
  startAction,
  startOverAction,
} from './actions/checkins.js';
import { forgetCancel, forgetConfirm } from './actions/forget.js';
import { pauseCancel, pauseConfirm } from './actions/pause-confirm.js';
import { requestRecord } from './actions/request-record.js';
import { setCancel, setConfirm } from './actions/set-confirm.js';
import { viewLevel } from './actions/view-level.js';
import { careerCommand } from './commands/career.js';
import { appHomeOpened, userChange, workspaceGone } from './events/lifecycle.js';
import { directMessage } from './messages/direct.js';
import { router } from './router.js';
import { evidenceSubmitted, ratingsSubmitted } from './views/checkins.js';

// NOTE: each handler types the arguments of the one payload it is routed (a button, a modal, an
// event); the tables hold them as handlers of `never`, and Bolt's arguments are passed on as they are.
type AnyArgs = never;

/** Maps Slack ids to callbacks; nothing else lives here. */
export function registerListeners(app: App, services: SlackServices): void {
  const { stores, clock } = services.ctx;
  // Slack retries an event it thinks we missed; handle each event_id once. One that failed is
  // released, so the retry Slack sends after our 500 is processed.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string') {
      await next();
      return;
    }
    if (!stores.events.firstTime(eventId, clock.now().toISOString())) return;
    try {
      await next();
    } catch (err) {
      stores.events.release(eventId);
      throw err;
    }
  });
  app.command('/career', careerCommand(services));

  // Each kind of request has one Bolt listener and a table of routes (see router.ts for why).
  const actions = router<AnyArgs>([
    [`${ACTION.viewLevel}.`, viewLevel(services)],
    [ACTION.viewLevel, viewLevel(services)],
    [RECORD_ACTION.forgetConfirm, forgetConfirm(services)],
    [RECORD_ACTION.forgetCancel, forgetCancel(services)],
    [RECORD_ACTION.setConfirm, setConfirm(services)],
    [RECORD_ACTION.setCancel, setCancel(services)],
    [RECORD_ACTION.requestRecord, requestRecord(services)],
    [RECORD_ACTION.pauseConfirm, pauseConfirm(services)],
    [RECORD_ACTION.pauseCancel, pauseCancel(services)],
    [`${CHECKIN_ACTION.rate}.`, rateAction(services)],
    [CHECKIN_ACTION.evidence, evidenceAction(services)],
    [CHECKIN_ACTION.later, laterAction(services)],
    [CHECKIN_ACTION.resume, continueAction(services)],
    [CHECKIN_ACTION.startOver, startOverAction(services)],
    [CHECKIN_ACTION.start, startAction(services)],
    [CHECKIN_ACTION.path, pathAction(services)],
    [CHECKIN_ACTION.share, shareAction(services)],
    [CHECKIN_ACTION.review, reviewAction(services)],
  ]);
  app.action(/^/, async (args) => {
    const handler = actions.find((args.action as { action_id?: string }).action_id);
    // A button we do not know (an old message from a removed feature) is still acknowledged.
    if (handler) await handler(args as AnyArgs);
    else await args.ack();
  });

  const views = router<AnyArgs>([
    [CHECKIN_VIEW.evidence, evidenceSubmitted(services)],
    [CHECKIN_VIEW.ratings, ratingsSubmitted(services)],
  ]);
  app.view(/^/, async (args) => {
    const handler = views.find(args.view.callback_id);
    if (handler) await handler(args as AnyArgs);
    else await args.ack();
  });

  const gone = workspaceGone(services);
  const events = router<AnyArgs>([
    ['app_home_opened', appHomeOpened(services)],
    ['user_change', userChange(services)],
    ['app_uninstalled', gone],
    ['tokens_revoked', gone],
    ['message', directMessage(services)],
  ]);
  app.event(/^/, async (args) => {
    await events.find(args.event.type)?.(args as AnyArgs);
  });
}
