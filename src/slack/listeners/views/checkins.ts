import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { RATINGS, type Rating } from '../../../checkins/machine.js';
import * as checkins from '../../../checkins/service.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  comparisonMessage,
  EVIDENCE_INPUT,
  EVIDENCE_MAX_CHARS,
  evidenceAck,
  evidenceNotSavedMessage,
  managerComparisonMessage,
  NOTE_INPUT,
  sharedWithManagerMessage,
} from '../../blocks/checkins.js';
import type { Message } from '../../blocks/kit.js';
import { checkinUnit } from '../../checkins.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const evidenceMeta = z.object({ c: z.number().int(), p: z.number().int().min(0) });
// `ch` and `ts`: the manager's shared message, when the form was opened from it (its button becomes "Rated").
const ratingsMeta = z.object({
  c: z.number().int(),
  ch: z.string().max(40).optional(),
  ts: z.string().max(40).optional(),
});

/** A form's private_metadata read with `schema`: undefined when it is not JSON or not that shape. */
export function meta<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const callerOf = (body: ViewSubmitAction) => ({
  teamId: body.team?.id ?? body.user.team_id ?? '',
  userId: body.user.id,
});

/**
 * A view_closed (Cancel, or the modal's ×) reaches the same callback id. It is only acknowledged:
 * what was typed into a form the person cancelled is never kept.
 */
const closed = (body: ViewSubmitAction | { type?: unknown }) => body.type !== 'view_submission';

/**
 * The Add evidence modal, submitted: kept with its question, acknowledged in one line in the DM.
 * Over 3,000 characters (the input's max_length, which a client may not enforce) it is shortened
 * and kept, and the acknowledgement says so, as for evidence typed in the DM.
 */
export function evidenceSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger }: Args) => {
    if (closed(body)) {
      await ack();
      return;
    }
    const whole = view.state.values[EVIDENCE_INPUT.block]?.[EVIDENCE_INPUT.action]?.value?.trim() ?? '';
    if (!whole) {
      await ack({ response_action: 'errors', errors: { [EVIDENCE_INPUT.block]: 'Write something, or press Cancel.' } });
      return;
    }
    await ack();
    services.later('Saving check-in evidence', async () => {
      const target = meta(evidenceMeta, view.private_metadata);
      const caller = callerOf(body);
      if (!target) return;
      const text = whole.slice(0, EVIDENCE_MAX_CHARS);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const outcome = await saveAfterAck(
        () => checkinUnit(services, (d) => checkins.addEvidence(d, caller, text, { id: target.c, position: target.p })),
        {
          logger,
          what: 'Saving check-in evidence',
          tell: dm,
          // The form is gone: quote the text back in the DM, so nothing typed is lost.
          notSaved: (reason) => evidenceNotSavedMessage(reason, text),
        },
      );
      if (outcome?.kind === 'evidence')
        await dm(evidenceAck(outcome.question, { shortened: whole.length > text.length }));
    });
  };
}

/**
 * The manager's ratings, submitted: saved together; the teammate gets both side by side, with the manager's
 * note when they wrote one; the manager gets the same side by side, and their shared message shows "Rated".
 */
export function ratingsSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger, client }: Args) => {
    await ack();
    if (closed(body)) return;
    services.later('Saving a manager’s ratings', async () => {
      const target = meta(ratingsMeta, view.private_metadata);
      if (!target) return;
      const ratings = new Map<number, Rating>();
      for (const [blockId, byAction] of Object.entries(view.state.values)) {
        const value = Object.values(byAction)[0]?.selected_option?.value;
        const position = /^q(\d+)$/.exec(blockId)?.[1];
        if (position !== undefined && value && (RATINGS as readonly string[]).includes(value))
          ratings.set(Number(position), value as Rating);
      }
      const caller = callerOf(body);
      const toManager = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const outcome = await saveAfterAck(
        () => checkinUnit(services, (d) => checkins.rate(d, caller, target.c, ratings)),
        {
          logger,
          what: 'Saving a manager’s ratings',
          tell: toManager,
          again: 'submit',
        },
      );
      if (outcome?.kind !== 'rated') return;
      const note = view.state.values[NOTE_INPUT.block]?.[NOTE_INPUT.action]?.value?.trim().slice(0, EVIDENCE_MAX_CHARS);
      await services.reliable.dm(caller.teamId, outcome.teammateId, [
        comparisonMessage(outcome.result, caller.userId, note || undefined),
      ]);
      await toManager(managerComparisonMessage(outcome.result));
      if (target.ch && target.ts) {
        // Add my ratings becomes "Rated"; a message Slack no longer has (deleted) changes nothing that matters.
        const rated = sharedWithManagerMessage(outcome.result);
        await client.chat
          .update({ channel: target.ch, ts: target.ts, text: rated.text, blocks: rated.blocks })
          .catch((err: unknown) => logger.warn('Could not mark a shared check-in as rated', err));
      }
    });
  };
}
