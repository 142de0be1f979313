import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { splitMessage } from '../../blocks/kit.js';
import { levelMessage, levelModal, problemMessage } from '../../blocks/lookup.js';
import type { SlackServices } from '../../services.js';

const valueSchema = z.object({ f: z.string(), l: z.string() });

/** A previous/next button on a level card: show that level in place of the card. */
export function viewLevel(services: SlackServices) {
  const { catalog } = services.ctx;
  return async ({
    ack,
    action,
    body,
    respond,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    services.later('Showing a level', async () => {
      let parsed: z.infer<typeof valueSchema> | undefined;
      try {
        parsed = valueSchema.parse(JSON.parse(action.value ?? ''));
      } catch {
        logger.warn(`Ignoring a level button with an unreadable value: ${action.value}`);
      }
      const framework = parsed ? catalog.get(parsed.f) : undefined;
      const level = framework && parsed ? catalog.levelById(framework, parsed.l) : undefined;
      if (!framework || !level) {
        // The framework file changed since the card was sent.
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...problemMessage({
            kind: 'problem',
            message: 'That level is no longer in the framework: it was renamed or removed since this message was sent.',
            usage: '/career titles',
          }),
        });
        return;
      }
      const message = levelMessage(catalog, framework, level);
      if (body.container?.type === 'view') {
        // From the Home tab there is no message to update: show the level in a modal.
        const teamId = body.team?.id ?? body.user.team_id ?? '';
        await services.notifier.openModal(teamId, body.trigger_id, levelModal(framework.name, message));
        return;
      }
      const [first, ...rest] = splitMessage(message);
      await respond({ response_type: 'ephemeral', replace_original: true, ...first });
      for (const part of rest) await respond({ response_type: 'ephemeral', replace_original: false, ...part });
    });
  };
}
