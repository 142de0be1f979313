import { ADMIN_RULE } from '../../career/roles.js';
import { USAGE } from '../../commands/grammar.js';
import { GROWTH_USAGE } from '../../commands/growth-grammar.js';
import { PROMOTION_USAGE } from '../../commands/promotion-grammar.js';
import type { Framework } from '../../frameworks/schema.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { actions, type Block, button, context, divider, header, type Message, section } from './kit.js';
import { RECORD_ACTION } from './records.js';

/** Every command, grouped as the README lists them. The README's table is checked against this. */
export const HELP_SECTIONS: readonly {
  title: string;
  /** Who sees the group in `/career help`: everyone, or managers and admins only. */
  audience?: 'managers-and-admins';
  commands: readonly [usage: string, what: string, onlyFor?: 'admins'][];
}[] = [
  {
    title: 'Look up a framework',
    commands: [
      [
        USAGE.level,
        'One level: scope, ownership, focus, expectations, timeframe and next steps. `marketing 3` works too.',
      ],
      [USAGE.titles, 'Every title in order, for one team or all of them.'],
      [USAGE.compare, 'What the higher level adds, and the typical time between them.'],
      [USAGE.lookup, 'Find a level by its title, e.g. `/career Staff Engineer`.'],
      [USAGE.frameworks, 'The teams that have a framework.'],
    ],
  },
  {
    title: 'Your record (only you, your manager and admins see it)',
    commands: [
      [USAGE.me, 'Your level, title, time at the level and your window for the next step.'],
      [
        '/career checkin [level]',
        'Hold your work up against your level and the next, one expectation at a time, in our DM.',
      ],
      ['/career history', 'Your finished check-ins: date, levels, readiness and the trend.'],
      [USAGE.win, 'Keep a line of evidence for your framework (or use *Save as evidence* on any message).'],
      [
        USAGE.evidence,
        'Your evidence, grouped by what your level and the next expect, with the gaps. Only you see it.',
      ],
      [USAGE.pause, 'Going on leave: paused time does not count toward your window.'],
      [USAGE.resume, 'Back from leave.'],
      [USAGE.export, 'Everything Ripple holds about you, sent to your DM.'],
      [USAGE.brag, 'Your year as a Markdown file in your DM: evidence by expectation, check-ins, level changes.'],
      [USAGE.forget, 'Delete everything Ripple holds about you (asks first).'],
      [USAGE.nudges, 'Your growth reminders to come; `off` stops them, `on` starts them again.'],
      [GROWTH_USAGE.nudgesOptional, 'Stop (or restart) reminders about an optional next step alone.'],
      [GROWTH_USAGE.celebrate, 'Let the growth channel celebrate your level-ups by name (off unless you say on).'],
      [
        USAGE.ask,
        'Ask a colleague for a sentence showing one expectation of your level or the next; you decide whether to keep it.',
      ],
      [USAGE.asks, 'Your asks for examples, and what came of each.'],
    ],
  },
  {
    title: 'For managers and admins',
    audience: 'managers-and-admins',
    commands: [
      [USAGE.team, 'Your reports: title, time at the level and where each stands with their window.'],
      [USAGE.who, "A report's card (their manager and admins only)."],
      [GROWTH_USAGE.digest, 'Your weekly team digest, sent only when something needs you; `off` stops it.'],
      [
        USAGE.set,
        "Record someone's level; `since` defaults to today. A lower level, a new date or another manager asks you to confirm first.",
      ],
      [PROMOTION_USAGE.propose, 'Propose a promotion: the person reads the case first and sends it on to the admins.'],
      ['/career forget @person', 'Admins: delete the data of someone who has left.', 'admins'],
      [
        GROWTH_USAGE.adminChannel,
        'Admins: the channel for a weekly growth prompt (default Monday 10:00, your time). Invite @Ripple there first.',
        'admins',
      ],
      [GROWTH_USAGE.adminChannelOff, 'Admins: stop the weekly channel post.', 'admins'],
      [GROWTH_USAGE.nudgeNow, "Admins: post this week's growth prompt now.", 'admins'],
      [GROWTH_USAGE.schedule, 'Admins: what Ripple sends in the next 7 days, per kind and recipient.', 'admins'],
      [
        PROMOTION_USAGE.promotions,
        'Admins: where promotion cases go (a private channel, or your DMs) and the readiness that offers Propose.',
        'admins',
      ],
      [
        GROWTH_USAGE.people,
        'Admins: records by team, who has no record (a page of Slack members at a time), check-ins waiting for ratings.',
        'admins',
      ],
    ],
  },
];

/** What the person asking may use: help lists only their commands. */
export interface HelpAudience {
  admin: boolean;
  manager: boolean;
  /** Whether they have a career record; without one (and no one to manage) the short help answers. */
  hasRecord?: boolean;
}

const INTRO =
  'Growth here is measured by *scope of influence* (how far your ripple reaches) and *ownership*, not a checklist of skills. Each team has its own framework.';

function teamsLine(frameworks: readonly Framework[]): Block {
  return context(
    `Teams: ${frameworks.map((f) => `\`${esc(f.id)}\``).join(', ')} · Levels can be typed as \`3\`, \`L3\`, \`three\` or \`III\`.`,
  );
}

const commandLines = (commands: readonly (readonly [string, string, ...unknown[]])[]) =>
  commands.map(([usage, what]) => `\`${esc(usage)}\`\n${what}`);

/**
 * Help for someone with no record and no reports: what they can do today (look levels up, ask for a
 * record) and what a record opens, in one screen, with the same "Ask for a record" button as `/career me`.
 */
function noRecordHelp(frameworks: readonly Framework[]): Message {
  const lookups = HELP_SECTIONS[0] as (typeof HELP_SECTIONS)[number];
  const blocks: Block[] = [
    header('Ripple: career paths in Slack'),
    section(INTRO),
    divider(),
    section(['*What you can do now: look up the frameworks*', ...commandLines(lookups.commands)].join('\n')),
    divider(),
    section(
      "*Your record*\nYou don't have a career record yet: a Ripple admin adds one, with your manager. Then `/career me` shows your level and window, and `/career checkin` holds your work up against your level, in private.",
    ),
    ...actions([button('Ask for a record', RECORD_ACTION.requestRecord, 'request', 'primary')]),
    context(esc(ADMIN_RULE)),
    teamsLine(frameworks),
  ];
  const text = `Ripple: look up levels with ${lookups.commands.map(([u]) => u).join(', ')}; ask an admin for a career record.`;
  return { text: esc(text), blocks };
}

export function helpMessage(
  frameworks: readonly Framework[],
  audience: HelpAudience = { admin: false, manager: false },
): Message {
  if (audience.hasRecord === false && !audience.admin && !audience.manager) return noRecordHelp(frameworks);
  const sectionsFor = HELP_SECTIONS.filter((g) => !g.audience || audience.admin || audience.manager).map((g) => ({
    ...g,
    commands: g.commands.filter(([, , onlyFor]) => onlyFor !== 'admins' || audience.admin),
  }));
  const blocks: Block[] = [header('Ripple: career paths in Slack'), section(INTRO)];
  for (const group of sectionsFor) {
    blocks.push(divider());
    blocks.push(section([`*${group.title}*`, ...commandLines(group.commands)].join('\n')));
  }
  blocks.push(context(esc(ADMIN_RULE)), teamsLine(frameworks));
  const text = `Ripple commands: ${sectionsFor.flatMap((g) => g.commands.map(([u]) => u)).join(', ')}`;
  // The fallback is parsed like mrkdwn too: unescaped, `<number>` would be read as a link.
  return { text: esc(text), blocks };
}
