import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { RATINGS, type Rating } from '../../../checkins/machine.js';
import * as checkins from '../../../checkins/service.js';
import { comparisonMessage, EVIDENCE_INPUT, evidenceAck, ratingsSavedReply } from '../../blocks/checkins.js';
import { checkinDeps } from '../../checkins.js';
import type { SlackServices } from '../../services.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const evidenceMeta = z.object({ c: z.number().int(), p: z.number().int().min(0) });
const ratingsMeta = z.object({ c: z.number().int() });

function meta<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
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

/** The Add evidence modal, submitted: kept with its question, acknowledged in one line in the DM. */
export function evidenceSubmitted(services: SlackServices) {
  return async ({ ack, view, body }: Args) => {
    const text = view.state.values[EVIDENCE_INPUT.block]?.[EVIDENCE_INPUT.action]?.value?.trim() ?? '';
    if (!text) {
      await ack({ response_action: 'errors', errors: { [EVIDENCE_INPUT.block]: 'Write something, or press Cancel.' } });
      return;
    }
    await ack();
    services.later('Saving check-in evidence', async () => {
      const target = meta(evidenceMeta, view.private_metadata);
      const caller = callerOf(body);
      if (!target) return;
      const outcome = checkins.addEvidence(checkinDeps(services), caller, text, { id: target.c, position: target.p });
      if (outcome.kind === 'evidence')
        await services.notifier.dm(caller.teamId, caller.userId, [evidenceAck(outcome.question)]);
    });
  };
}

/** The manager's ratings, submitted: saved together; the teammate gets both side by side. */
export function ratingsSubmitted(services: SlackServices) {
  return async ({ ack, view, body }: Args) => {
    await ack();
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
      const outcome = checkins.rate(checkinDeps(services), caller, target.c, ratings);
      if (outcome.kind !== 'rated') return;
      await services.notifier.dm(caller.teamId, outcome.teammateId, [comparisonMessage(outcome.result, caller.userId)]);
      await services.notifier.dm(caller.teamId, caller.userId, [ratingsSavedReply(outcome.teammateId)]);
    });
  };
}
