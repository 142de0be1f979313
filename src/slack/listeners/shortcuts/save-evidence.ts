import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import * as evidence from '../../../evidence/service.js';
import { plainFromSlack } from '../../../text/mrkdwn.js';
import {
  cannotSaveMessage,
  formNotOpenedMessage,
  QUOTE_MAX_CHARS,
  saveEvidenceModal,
  saveFormMetadata,
} from '../../blocks/evidence.js';
import type { Message } from '../../blocks/kit.js';
import { noRecordMessage } from '../../blocks/no-record.js';
import { evidenceDeps, orSayWhy } from '../../evidence.js';
import { truncate } from '../../mrkdwn.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

/** The fields of a `message_action` payload this relies on (Enterprise Grid: `team` may be null, `user.team_id` set). */
const payload = z.object({
  trigger_id: z.string().min(1),
  response_url: z.string().url().max(2000).optional(),
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  channel: z.object({ id: z.string().min(1) }).nullish(),
  message: z
    .object({
      ts: z.string().min(1),
      text: z.string().optional(),
      user: z.string().optional(),
      bot_id: z.string().optional(),
    })
    .nullish(),
});

const BARE_MENTION = /(<@[UW][A-Z0-9]{2,}>)/;

/** What getPermalink answers for a message Ripple cannot see (not in the channel, or gone). */
const UNSEEN = new Set(['channel_not_found', 'not_in_channel', 'message_not_found', 'access_denied']);

/**
 * "Save as evidence" on a message: the message's permalink is asked of Slack first (which also tells whether Ripple
 * can see it), then the form opens with the message quoted and the expectation it most likely shows preselected.
 * Nothing is written until the form is submitted.
 */
export function saveEvidenceShortcut(services: SlackServices) {
  return async ({ ack, body, client, respond, logger, context }: Args): Promise<void> => {
    await ack();
    const what = 'Opening the Save as evidence form';
    services.later(what, async () => {
      const parsed = payload.safeParse(body);
      if (!parsed.success) {
        logger.warn(`Save as evidence: a message_action without the fields it needs (${parsed.error.issues[0]?.path})`);
        return;
      }
      const { data } = parsed;
      const tell = async (m: Message) => {
        if (data.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...m });
      };
      const caller = { teamId: context.teamId ?? data.team?.id ?? data.user.team_id ?? '', userId: data.user.id };
      await orSayWhy(() => openForm(services, client, logger, caller, data, tell), { logger, what, tell });
    });
  };
}

async function openForm(
  services: SlackServices,
  client: Args['client'],
  logger: Args['logger'],
  caller: evidence.Caller,
  data: z.output<typeof payload>,
  tell: (m: Message) => Promise<void>,
): Promise<void> {
  const message = data.message;
  const channelId = data.channel?.id;
  if (!message || !channelId) return tell(cannotSaveMessage());
  let permalink: string | null = null;
  try {
    const answer = await client.chat.getPermalink({ channel: channelId, message_ts: message.ts });
    permalink = typeof answer.permalink === 'string' ? answer.permalink : null;
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    if (typeof code === 'string' && UNSEEN.has(code)) return tell(cannotSaveMessage());
    // Slack slow or failing: the entry keeps its channel and ts, and the form still opens.
    logger.warn(`Save as evidence: no permalink (${typeof code === 'string' ? code : 'Slack did not answer'})`);
  }
  // Slack's markup as the person saw it, but bare mentions (`<@U…>`) kept: Slack shows them as names.
  const plain = (message.text ?? '')
    .split(BARE_MENTION)
    .map((part, i) => (i % 2 === 1 ? part : plainFromSlack(part)))
    .join('')
    .trim();
  const text = truncate(plain || '(a message with no text: a file or an attachment)', QUOTE_MAX_CHARS);
  const authorId = message.bot_id || !message.user ? null : message.user;
  const form = await evidence.messageForm(evidenceDeps(services), caller, { channelId, ts: message.ts, text });
  if (form.kind === 'no-record') return tell(noRecordMessage());
  const metadata = saveFormMetadata({
    c: channelId,
    ts: message.ts,
    p: permalink,
    a: authorId,
    r: data.response_url ?? null,
    t: text,
  });
  const view = saveEvidenceModal({ ...form, text, authorId, userId: caller.userId, metadata });
  if (!(await services.notifier.openModal(caller.teamId, data.trigger_id, view))) await tell(formNotOpenedMessage());
}
