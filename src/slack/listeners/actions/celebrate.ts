import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { buildCard } from '../../../teammates/service.js';
import { saveAfterAck } from '../../after-ack.js';
import { celebrateReply, celebrationPost } from '../../blocks/records.js';
import { buttonValue } from '../../button-value.js';
import type { SlackServices } from '../../services.js';

/** How long after a promotion its Celebrate button posts: shorter than a claim is kept (a day). */
export const CELEBRATE_WORKS_MS = 20 * 60 * 60 * 1000;

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

const valueSchema = z.object({ l: z.string().min(1).max(100) });

/**
 * Celebrate on a promotion's DM: the person's own choice to post their new title in the growth channel. Posted once
 * per level reached (claimed under a key before the post), and only while they are still at that level.
 */
export function celebrateLevel(services: SlackServices) {
  return async ({ ack, action, body, respond, logger }: Args) => {
    await ack();
    services.later('Celebrating a new level', async () => {
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const userId = body.user.id;
      const parsed = buttonValue(valueSchema, action.value);
      const tell = (m: Parameters<typeof celebrateReply>[0], channelId?: string) =>
        respond({ replace_original: false, ...celebrateReply(m, channelId) });
      const { stores, clock } = services.ctx;
      const found = await saveAfterAck(
        async () => {
          const record = await stores.teammates.get(teamId, userId);
          if (!parsed || !record || record.levelId !== parsed.l) return { kind: 'moved-on' as const };
          // The button works for a day after the level was recorded: less than the claim below is kept
          // (PROCESSED_EVENTS_KEPT_MS), so pruning can never let it post twice.
          const reached = (await stores.teammates.history(teamId, userId))
            .filter((h) => h.field === 'level' && h.to === record.levelId)
            .at(-1);
          if (!reached || clock.now().getTime() - Date.parse(reached.changedAt) > CELEBRATE_WORKS_MS) {
            return { kind: 'expired' as const };
          }
          const channel = await stores.growth.channel(teamId);
          if (!channel) return { kind: 'no-channel' as const };
          const key = `celebrate:${teamId}:${userId}:${record.frameworkId}:${record.levelId}:${record.since}`;
          if (!(await stores.events.firstTime(key, clock.now().toISOString()))) return { kind: 'already' as const };
          return { kind: 'post' as const, record, channelId: channel.channelId, key };
        },
        { logger, what: 'Celebrating a new level', tell: (m) => respond({ replace_original: false, ...m }) },
      );
      if (!found) return;
      if (found.kind !== 'post') return tell(found.kind);
      const card = await buildCard(services.teammates, found.record);
      if (await services.notifier.postToChannel(teamId, found.channelId, celebrationPost(card)))
        return tell('posted', found.channelId);
      // Not posted: the claim is given back, so the button works again later.
      await stores.events.release(found.key);
      return tell('failed');
    });
  };
}
