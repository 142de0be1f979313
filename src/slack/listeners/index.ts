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
import { setCancel, setConfirm } from './actions/set-confirm.js';
import { viewLevel } from './actions/view-level.js';
import { careerCommand } from './commands/career.js';
import { appHomeOpened, userChange, workspaceGone } from './events/lifecycle.js';
import { directMessage } from './messages/direct.js';
import { evidenceSubmitted, ratingsSubmitted } from './views/checkins.js';

const prefix = (id: string) => new RegExp(`^${id.replace(/\./g, '\\.')}(\\.|$)`);

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
  app.action(prefix(ACTION.viewLevel), viewLevel(services));
  app.action(RECORD_ACTION.forgetConfirm, forgetConfirm(services));
  app.action(RECORD_ACTION.forgetCancel, forgetCancel(services));
  app.action(RECORD_ACTION.setConfirm, setConfirm(services));
  app.action(RECORD_ACTION.setCancel, setCancel(services));
  app.action(prefix(CHECKIN_ACTION.rate), rateAction(services));
  app.action(CHECKIN_ACTION.evidence, evidenceAction(services));
  app.action(CHECKIN_ACTION.later, laterAction(services));
  app.action(CHECKIN_ACTION.resume, continueAction(services));
  app.action(CHECKIN_ACTION.startOver, startOverAction(services));
  app.action(CHECKIN_ACTION.start, startAction(services));
  app.action(CHECKIN_ACTION.path, pathAction(services));
  app.action(CHECKIN_ACTION.share, shareAction(services));
  app.action(CHECKIN_ACTION.review, reviewAction(services));
  app.view(CHECKIN_VIEW.evidence, evidenceSubmitted(services));
  app.view(CHECKIN_VIEW.ratings, ratingsSubmitted(services));
  app.event('app_home_opened', appHomeOpened(services));
  app.event('user_change', userChange(services));
  app.event('app_uninstalled', workspaceGone(services));
  app.event('tokens_revoked', workspaceGone(services));
  app.message(directMessage(services));
}
