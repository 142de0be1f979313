import type { types } from '@slack/bolt';
import type { Catalog } from '../frameworks/catalog.js';
import { buildCard, reportsOf, type TeammateDeps } from '../teammates/service.js';
import { homeCheckinBlocks } from './blocks/checkins.js';
import { type Block, context, divider, header, section } from './blocks/kit.js';
import { cardBlocks, noRecordMessage } from './blocks/records.js';
import { teamBlocks } from './blocks/team.js';
import { escapeMrkdwn as esc } from './mrkdwn.js';

/**
 * How many reports the Home tab lists: everyone for most managers (5 to 15 reports); past that, the
 * first ones and the count, with `/career team` for the whole list.
 */
export const HOME_REPORTS = 20;

/** The App Home tab: the person's own card, or how to get one. Reads only. */
export async function homeView(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'> & Partial<Pick<TeammateDeps, 'admins'>>,
  teamId: string,
  userId: string,
): Promise<types.HomeView> {
  const record = await deps.teammates.get(teamId, userId);
  const blocks: Block[] = [header('Ripple: your career path')];
  if (record) {
    blocks.push(...cardBlocks(await buildCard(deps, record), 'self'));
    blocks.push(divider(), ...homeCheckinBlocks());
  } else {
    // The same message as everywhere; its Ask for a record answers by DM here (the tab has no reply to replace).
    blocks.push(...noRecordMessage().blocks);
  }
  // A manager sees their reports too (issue 8): the start of the `/career team` list, so the tab costs
  // the same for 400 reports as for 20. Most people manage nobody: one index probe says so.
  if (await deps.teammates.isManager(teamId, userId)) {
    const reports = await reportsOf(deps, teamId, userId, HOME_REPORTS);
    const total = reports.length < HOME_REPORTS ? reports.length : await deps.teammates.countReports(teamId, userId);
    if (total > 0) blocks.push(divider(), ...teamBlocks(reports, userId, true, total));
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

/**
 * Publishes the person's Home tab as it is now. A failure is never shown: the refresh waits in the
 * outbox for the background job (and the tab is rebuilt fresh whenever it is opened anyway).
 */
export function refreshHome(
  services: { reliable: { home(teamId: string, userId: string): Promise<boolean> } },
  teamId: string,
  userId: string,
): Promise<boolean> {
  return services.reliable.home(teamId, userId);
}
