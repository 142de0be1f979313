import { formatDuration } from '../../career/dates.js';
import { areasForPeople } from '../../career/window.js';
import { placeName } from '../../frameworks/describe.js';
import { type Card, isOptionalStep, windowState } from '../../teammates/service.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { CHECKIN_ACTION } from './checkins.js';
import { standingWords } from './growth.js';
import { type Block, button, context, type Message, section, sections } from './kit.js';

/** One report: who, where, how long, and where they stand with their window (worded as in the digest). */
export function reportLine(card: Card): string {
  const where =
    card.framework && card.level
      ? esc(areasForPeople(placeName(card.framework, card.level, card.record.title), 'their'))
      : `${card.framework ? `${esc(card.framework.name)} · ` : ''}a level no longer in the files`;
  const w = card.window;
  const standing = standingWords({
    standing: windowState(card),
    optional: isOptionalStep(card),
    opensOn: w.phase === 'none' ? null : w.opensOn,
    closesOn: w.phase === 'none' ? null : w.closesOn,
  });
  return `• <@${card.record.userId}> · ${where} · ${formatDuration(card.daysAtLevel)} at the level · ${standing}`;
}

/** The longest list of reports shown a row (and a View check-in button) each: within four messages. */
export const ROWS_WITH_BUTTONS = 150;

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
  // A manager's own list: each row opens that report's latest check-in shared with them (View check-in). A row
  // with a button is a block of its own, and Slack takes five messages of 50 blocks on one response_url: a
  // longer list is lines, several to a block.
  const rows =
    self && reports.length <= ROWS_WITH_BUTTONS
      ? [
          section(`*${whose} (${total})*`),
          ...reports.map(
            (card, i): Block => ({
              ...(section(reportLine(card)) as Extract<Block, { type: 'section' }>),
              // Action ids are unique within a message or view: the row's index keeps them apart.
              accessory: button('View check-in', `${CHECKIN_ACTION.report}.${i}`, card.record.userId),
            }),
          ),
        ]
      : sections(`${whose} (${total})`, reports.map(reportLine));
  return [...rows, context(...more, '`/career who @person` shows a full card. Timeframes are guides, not deadlines.')];
}

export function teamMessage(reports: readonly Card[], managerId: string, self: boolean): Message {
  const text = self ? `Your reports: ${reports.length}.` : `Reports of <@${managerId}>: ${reports.length}.`;
  return { text, blocks: teamBlocks(reports, managerId, self) };
}
