import { formatDuration } from '../../career/dates.js';
import { areasForPeople } from '../../career/window.js';
import { placeName } from '../../frameworks/describe.js';
import { type Card, isOptionalStep, windowState } from '../../teammates/service.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { CHECKIN_ACTION } from './checkins.js';
import { standingWords } from './growth.js';
import { actions, type Block, button, context, type Message, section, sections } from './kit.js';
import { PROMOTION_ACTION } from './promotions.js';

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

/**
 * The longest list of reports shown a row (and a View check-in button) each: within four messages. A report the
 * manager may propose adds a block (its Propose a promotion button) within the same budget.
 */
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
  /** Reports offered Propose a promotion (a next level, no open case): `/career team`, the manager's own list. */
  proposable: ReadonlySet<string> = new Set(),
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
  const propose = reports.filter((card) => proposable.has(card.record.userId)).length;
  // Propose buttons only while every row still fits the budget with them; past it, `/career propose` is named.
  const withPropose = reports.length + propose <= ROWS_WITH_BUTTONS ? proposable : new Set<string>();
  const rows =
    self && reports.length <= ROWS_WITH_BUTTONS
      ? [
          section(`*${whose} (${total})*`),
          ...reports.flatMap((card, i): Block[] => [
            {
              ...(section(reportLine(card)) as Extract<Block, { type: 'section' }>),
              // Action ids are unique within a message or view: the row's index keeps them apart.
              accessory: button('View check-in', `${CHECKIN_ACTION.report}.${i}`, card.record.userId),
            },
            ...(withPropose.has(card.record.userId)
              ? actions([
                  button(
                    'Propose a promotion',
                    `${PROMOTION_ACTION.propose}.${i}`,
                    JSON.stringify({ u: card.record.userId, c: null }),
                  ),
                ])
              : []),
          ]),
        ]
      : sections(`${whose} (${total})`, reports.map(reportLine));
  const proposeHint =
    propose > 0 && withPropose.size === 0 ? ['`/career propose @person` proposes a report for their next level.'] : [];
  return [
    ...rows,
    context(...more, ...proposeHint, '`/career who @person` shows a full card. Timeframes are guides, not deadlines.'),
  ];
}

export function teamMessage(
  reports: readonly Card[],
  managerId: string,
  self: boolean,
  proposable: ReadonlySet<string> = new Set(),
): Message {
  const text = self ? `Your reports: ${reports.length}.` : `Reports of <@${managerId}>: ${reports.length}.`;
  return { text, blocks: teamBlocks(reports, managerId, self, reports.length, proposable) };
}
