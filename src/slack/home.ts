import type { webApi } from '@slack/bolt';
import type { AppContext } from '../context.js';
import { buildCard } from '../teammates/service.js';
import { type Block, context, divider, header, section } from './blocks/kit.js';
import { cardBlocks } from './blocks/records.js';
import { escapeMrkdwn as esc } from './mrkdwn.js';

/** The App Home tab: the person's own card, or how to get one. Pure. */
export function homeView(ctx: AppContext, teamId: string, userId: string): { type: 'home'; blocks: Block[] } {
  const record = ctx.stores.teammates.get(teamId, userId);
  const blocks: Block[] = [header('Ripple: your career path')];
  if (record) {
    blocks.push(...cardBlocks(buildCard(ctx, record), 'self'));
  } else {
    blocks.push(
      section(
        "You don't have a career record yet. Your manager or a Ripple admin can add one with `/career set @you <team> <level>`.",
      ),
    );
  }
  blocks.push(divider());
  blocks.push(
    section(
      `*Frameworks:* ${ctx.catalog.frameworks.map((f) => `${esc(f.name)} (${f.levels.length} levels)`).join(' · ')}\nTry \`/career titles\`, \`/career level 3 marketing\` or \`/career help\`.`,
    ),
  );
  blocks.push(
    context('Growth is measured by scope of influence and ownership. It is not a ladder: every path is valid.'),
  );
  return { type: 'home', blocks };
}

/** Publishes the Home tab; a failure is logged, never shown: the tab refreshes next time it opens. */
export async function publishHome(
  ctx: AppContext,
  client: webApi.WebClient,
  teamId: string,
  userId: string,
  logger: { warn(...args: unknown[]): void },
): Promise<void> {
  if (!ctx.stores.workspaces.isActive(teamId)) return;
  try {
    await client.views.publish({ user_id: userId, view: homeView(ctx, teamId, userId) });
  } catch (err) {
    logger.warn(`Could not refresh the Home tab of ${userId}`, (err as Error).message);
  }
}
