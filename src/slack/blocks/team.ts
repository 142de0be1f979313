import { formatDuration } from '../../career/dates.js';
import { areasForPeople } from '../../career/window.js';
import { placeName } from '../../frameworks/describe.js';
import type { Card, WindowState } from '../../teammates/service.js';
import { windowState } from '../../teammates/service.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { type Block, context, type Message, section, sections } from './kit.js';

const STATE_WORDS: Record<WindowState, string> = {
  'not-yet': 'window not open yet',
  open: 'in the expected window',
  past: 'past the expected window: a topic for your next 1:1',
  paused: 'paused',
  none: 'no expected window',
};

/** One report: who, where, how long, and where they stand with their window. */
export function reportLine(card: Card): string {
  const where =
    card.framework && card.level
      ? esc(areasForPeople(placeName(card.framework, card.level, card.record.title), 'their'))
      : `${card.framework ? `${esc(card.framework.name)} · ` : ''}a level no longer in the files`;
  const opens =
    windowState(card) === 'not-yet' && card.window.phase === 'before' ? ` (from ${card.window.opensOn})` : '';
  return `• <@${card.record.userId}> · ${where} · ${formatDuration(card.daysAtLevel)} at the level · ${STATE_WORDS[windowState(card)]}${opens}`;
}

/**
 * The list a manager sees with `/career team` and on their Home tab. `total` is how many reports there are when
 * `reports` holds only the first of them (the Home tab): the rest are a `/career team` away.
 */
export function teamBlocks(
  reports: readonly Card[],
  managerId: string,
  self: boolean,
  total: number = reports.length,
): Block[] {
  const whose = self ? 'Your reports' : `Reports of <@${managerId}>`;
  if (total === 0) {
    return [
      section(
        self
          ? '*Your reports:* nobody has you as their manager of record yet. An admin records it with `/career set @person <team> <level> manager @you`.'
          : `*Reports of <@${managerId}>:* nobody has them as their manager of record.`,
      ),
    ];
  }
  const more =
    total > reports.length ? [`The first ${reports.length} of ${total}: \`/career team\` lists them all.`] : [];
  return [
    ...sections(`${whose} (${total})`, reports.map(reportLine)),
    context(...more, '`/career who @person` shows a full card. Timeframes are guides, not deadlines.'),
  ];
}

export function teamMessage(reports: readonly Card[], managerId: string, self: boolean): Message {
  const text = self ? `Your reports: ${reports.length}.` : `Reports of <@${managerId}>: ${reports.length}.`;
  return { text, blocks: teamBlocks(reports, managerId, self) };
}
