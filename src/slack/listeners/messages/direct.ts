import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../context.js';
import { section } from '../../blocks/kit.js';

/**
 * A direct message to Ripple. Check-in conversations will live here; until then a person who
 * writes to the bot is pointed at what it can do, instead of being met with silence.
 */
export function directMessage(ctx: AppContext) {
  return async ({ message, body, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    // Edits, joins and bot messages carry a subtype; only a person's new message gets an answer.
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    if (!ctx.stores.workspaces.isActive(body.team_id)) return;
    const text =
      'Hi! I answer to `/career` for now: try `/career me` for your record or `/career help` for everything.';
    try {
      await client.chat.postMessage({ channel: message.channel, text, blocks: [section(text)] });
    } catch (err) {
      logger.warn(`Could not answer a DM in ${message.channel}`, (err as Error).message);
    }
  };
}
