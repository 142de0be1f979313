import type { types } from '@slack/bolt';
import type { Catalog } from '../frameworks/catalog.js';
import { buildCard, type TeammateDeps } from '../teammates/service.js';
import { type Block, context, divider, header, section } from './blocks/kit.js';
import { cardBlocks } from './blocks/records.js';
import { escapeMrkdwn as esc } from './mrkdwn.js';
import type { SlackServices } from './services.js';

/** The App Home tab: the person's own card, or how to get one. Reads only. */
export function homeView(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>,
  teamId: string,
  userId: string,
): types.HomeView {
  const record = deps.teammates.get(teamId, userId);
  const blocks: Block[] = [header('Ripple: your career path')];
  if (record) {
    blocks.push(...cardBlocks(buildCard(deps, record), 'self'));
  } else {
    blocks.push(
      section(
        "You don't have a career record yet. Your manager or a Ripple admin can add one with `/career set @you <team> <level>`.",
      ),
    );
  }
  blocks.push(divider());
  blocks.push(section(frameworksLine(deps.catalog)));
  blocks.push(
    context('Growth is measured by scope of influence and ownership. It is not a ladder: every path is valid.'),
  );
  return { type: 'home', blocks };
}

function frameworksLine(catalog: Catalog): string {
  return `*Frameworks:* ${catalog.frameworks.map((f) => `${esc(f.name)} (${f.levels.length} levels)`).join(' · ')}\nTry \`/career titles\`, \`/career level 3 marketing\` or \`/career help\`.`;
}

/** Publishes the person's Home tab as it is now; a failure is logged by the notifier, never shown. */
export function refreshHome(services: SlackServices, teamId: string, userId: string): Promise<boolean> {
  return services.notifier.publishHome(teamId, userId, homeView(services.teammates, teamId, userId));
}
