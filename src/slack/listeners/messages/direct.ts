import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { addEvidence } from '../../../checkins/service.js';
import { evidenceAck } from '../../blocks/checkins.js';
import { section } from '../../blocks/kit.js';
import { checkinDeps } from '../../checkins.js';
import type { SlackServices } from '../../services.js';

const POINTER = 'Hi! I answer to `/career` for now: try `/career me` for your record or `/career help` for everything.';

/**
 * A direct message to Ripple. During a check-in it is evidence for the question being asked,
 * acknowledged in one line; otherwise the person is pointed at what Ripple can do.
 */
export function directMessage(services: SlackServices) {
  return async ({ message, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    // Edits, joins and bot messages carry a subtype; only a person's new message gets an answer.
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    const text = 'text' in message && typeof message.text === 'string' ? message.text.trim() : '';
    const caller = { teamId: body.team_id, userId: message.user };
    // The reply is kept with the evidence and sent after the event's answer, which never waits on Slack.
    services.reliable.afterAck(
      () => (text ? addEvidence(checkinDeps(services), caller, text.slice(0, 3000)) : undefined),
      (outcome) => ({
        kind: 'post',
        ...caller,
        channelId: message.channel,
        messages: [
          outcome?.kind === 'evidence' ? evidenceAck(outcome.question) : { text: POINTER, blocks: [section(POINTER)] },
        ],
      }),
    );
  };
}
