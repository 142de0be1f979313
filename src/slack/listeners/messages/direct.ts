import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { section } from '../../blocks/kit.js';
import type { SlackServices } from '../../services.js';

const POINTER = 'Hi! I answer to `/career` for now: try `/career me` for your record or `/career help` for everything.';

/**
 * A direct message to Ripple. Check-in conversations will live here; until then a person who
 * writes to the bot is pointed at what it can do, instead of being met with silence.
 */
export function directMessage(services: SlackServices) {
  return async ({ message, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    // Edits, joins and bot messages carry a subtype; only a person's new message gets an answer.
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    await services.notifier.postToChannel(body.team_id, message.channel, { text: POINTER, blocks: [section(POINTER)] });
  };
}
