import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { ACTION } from '../blocks/lookup.js';
import { RECORD_ACTION } from '../blocks/records.js';
import { forgetCancel, forgetConfirm } from './actions/forget.js';
import { viewLevel } from './actions/view-level.js';
import { careerCommand } from './commands/career.js';
import { appHomeOpened, userChange, workspaceGone } from './events/lifecycle.js';
import { directMessage } from './messages/direct.js';

const prefix = (id: string) => new RegExp(`^${id.replace(/\./g, '\\.')}(\\.|$)`);

/** Maps Slack ids to callbacks; nothing else lives here. */
export function registerListeners(app: App, ctx: AppContext): void {
  // Slack retries an event it thinks we missed; handle each event_id once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !ctx.stores.events.firstTime(eventId, ctx.clock.now().toISOString())) return;
    await next();
  });
  app.command('/career', careerCommand(ctx));
  app.action(prefix(ACTION.viewLevel), viewLevel(ctx));
  app.action(RECORD_ACTION.forgetConfirm, forgetConfirm(ctx));
  app.action(RECORD_ACTION.forgetCancel, forgetCancel());
  app.event('app_home_opened', appHomeOpened(ctx));
  app.event('user_change', userChange(ctx));
  app.event('app_uninstalled', workspaceGone(ctx));
  app.event('tokens_revoked', workspaceGone(ctx));
  app.message(directMessage(ctx));
}
