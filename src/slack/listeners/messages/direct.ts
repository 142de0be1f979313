import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { section } from '../../blocks/kit.js';
import { type DirectMessage, evidenceFromDm } from '../../checkins.js';
import type { SlackServices } from '../../services.js';

const POINTER = 'Hi! I answer to `/career` for now: try `/career me` for your record or `/career help` for everything.';

/**
 * A direct message to Ripple. During a check-in it is evidence for the question being asked,
 * acknowledged in one line; otherwise the person is pointed at what Ripple can do.
 */
export function directMessage(services: SlackServices) {
  return async ({ message, body, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    // Edits, joins and bot messages carry a subtype; only a person's new message (or a file they
    // share, `file_share`) gets an answer.
    if (message.channel_type !== 'im' || (message.subtype !== undefined && message.subtype !== 'file_share')) return;
    if (!('user' in message) || typeof message.user !== 'string') return;
    // Another app's bot posts without a subtype; answering it could start two bots talking forever.
    if ('bot_id' in message && message.bot_id) return;
    if ('bot_profile' in message && message.bot_profile) return;
    const dm: DirectMessage = {
      teamId: body.team_id,
      userId: message.user,
      channel: message.channel,
      text: 'text' in message && typeof message.text === 'string' ? message.text : '',
      files: filesOf(message),
    };
    // After the 200: saving may wait out a database lock, and Slack would retry a slow event.
    services.later('Answering a DM', async () => {
      if (await evidenceFromDm(services, logger, dm)) return;
      // Kept first, then sent: a Slack blip does not swallow the answer.
      await services.reliable.afterAck(
        async () => undefined,
        () => ({
          kind: 'post',
          ...dm,
          channelId: dm.channel,
          messages: [{ text: POINTER, blocks: [section(POINTER)] }],
        }),
      );
    });
  };
}

/** A file_share's files: each one's name (its title when it has none) and its link in Slack. */
function filesOf(message: object): DirectMessage['files'] {
  const files = (message as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((f: { name?: unknown; title?: unknown; permalink?: unknown }) => {
    const name = typeof f?.name === 'string' && f.name ? f.name : typeof f?.title === 'string' ? f.title : '';
    if (!name) return [];
    return [typeof f.permalink === 'string' ? { name, permalink: f.permalink } : { name }];
  });
}
