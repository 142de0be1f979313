import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { splitMessage } from '../../blocks/kit.js';
import { levelMessage, levelModal, problemMessage } from '../../blocks/lookup.js';

const valueSchema = z.object({ f: z.string(), l: z.string() });

/** A previous/next button on a level card: show that level in place of the card. */
export function viewLevel(ctx: AppContext) {
  return async ({
    ack,
    action,
    body,
    client,
    respond,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    let parsed: z.infer<typeof valueSchema> | undefined;
    try {
      parsed = valueSchema.parse(JSON.parse(action.value ?? ''));
    } catch {
      logger.warn(`Ignoring a level button with an unreadable value: ${action.value}`);
    }
    const framework = parsed ? ctx.catalog.get(parsed.f) : undefined;
    const level = framework && parsed ? ctx.catalog.levelById(framework, parsed.l) : undefined;
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
    const message = levelMessage(ctx.catalog, framework, level);
    if (body.container?.type === 'view') {
      // From the Home tab there is no message to update: show the level in a modal.
      await client.views.open({ trigger_id: body.trigger_id, view: levelModal(framework.name, message) });
      return;
    }
    const [first, ...rest] = splitMessage(message);
    await respond({ response_type: 'ephemeral', replace_original: true, ...first });
    for (const part of rest) await respond({ response_type: 'ephemeral', replace_original: false, ...part });
  };
}
