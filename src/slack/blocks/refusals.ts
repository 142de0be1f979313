import { FRIENDLY_DATE_FORMS, formatLongDate } from '../../career/dates.js';
import type { Mention } from '../../commands/grammar.js';
import { USAGE } from '../../commands/grammar.js';
import type { Problem } from '../../commands/lookup.js';
import type { Refusal } from '../../teammates/refusals.js';
import type { Message } from './kit.js';
import { problemMessage } from './lookup.js';
import { noRecordMessage } from './no-record.js';

/** Every word Ripple says when the teammate service refuses: one place, one voice. */

function named(m: Mention): string {
  return m.name ? `@${m.name}` : `<@${m.userId}>`;
}

const ROLE_WORDS = { teammate: 'a teammate', manager: 'a manager' } as const;

const CONFLICTS: Record<string, string> = {
  'already-paused': "You're already paused. Use /career resume when you're back.",
  'not-paused': "You aren't paused, so there is nothing to resume.",
  'has-left': 'This record is marked as left, so it cannot be paused or resumed.',
};

/** The refusal as the problem shape the lookup replies already use (message, usage, options). */
export function refusalProblem(r: Refusal): Problem {
  const problem = (message: string, usage?: string): Problem => ({ kind: 'problem', message, usage });
  switch (r.code) {
    case 'set-own-level':
      return problem(
        "You can't set your own level: your manager or a Ripple admin records it, so a promotion is always agreed by someone else.",
      );
    case 'set-not-permitted':
      return problem(`Only ${named(r.user)}'s manager of record or a Ripple admin can set their level.`);
    case 'read-not-permitted':
      return problem(`Only ${named(r.user)}, their manager and Ripple admins can see their career record.`);
    case 'user-not-found':
      return problem(`I can't find ${named(r.user)} in this workspace, so I can't use them as ${ROLE_WORDS[r.role]}.`);
    case 'not-a-teammate':
      return problem(
        r.why === 'bot'
          ? `${named(r.user)} is a bot, not a teammate.`
          : `${named(r.user)} has been deactivated in Slack, so they can't be ${ROLE_WORDS[r.role]}.`,
      );
    case 'slack-unavailable':
      return problem(
        `Slack didn't answer when I looked up ${named(r.user)}; nothing was changed. Please try again in a minute.`,
      );
    case 'invalid-date':
      return r.error.startsWith('use ')
        ? {
            kind: 'problem',
            message: `I can't read "${r.input}" as a date.`,
            hint: `Dates can be written ${FRIENDLY_DATE_FORMS}.`,
            example:
              r.command === 'set'
                ? '/career set @person marketing 2 since 2026-01-15'
                : '/career pause until 2027-03-01',
            usage: USAGE[r.command],
          }
        : problem(`"${r.input}" isn't a real date: ${r.error.replace(/^.* is not a date: /, '')}.`, USAGE[r.command]);
    case 'future-since':
      return problem(
        `A level can't start in the future: ${formatLongDate(r.date)} is after today (${formatLongDate(r.today)}). Give the day it was reached, or leave \`since\` out for today.`,
        USAGE.set,
      );
    case 'own-manager':
      return problem('Someone cannot be their own manager.', USAGE.set);
    case 'no-record':
      return r.command === 'pause'
        ? problem("You don't have a career record yet, so there is nothing to pause.", USAGE.pause)
        : problem("You don't have a career record yet, so there is nothing to resume.");
    case 'return-not-after-today':
      return problem(
        `${formatLongDate(r.date)} isn't after today (${formatLongDate(r.today)}): give the day you'll be back.`,
        USAGE.pause,
      );
    case 'state-conflict':
      return problem(
        CONFLICTS[r.conflict] ?? 'That does not fit the record as it stands.',
        r.command === 'pause' ? USAGE.resume : USAGE.pause,
      );
    case 'forget-not-permitted':
      return problem("Only Ripple admins can delete someone else's data, and only once they have left.");
    case 'forget-target-not-left':
      return problem(
        `<@${r.userId}> is still ${r.status}. Admins can delete the data of someone who has left; a current teammate can delete their own with /career forget me.`,
      );
    case 'team-not-permitted':
      return problem(
        "Only Ripple admins can list someone else's reports. `/career team` on its own lists yours.",
        USAGE.team,
      );
    case 'pending-not-yours':
      return problem(
        `Only <@${r.requestedBy}>, who asked for this change, can confirm or cancel it. Nothing was changed.`,
      );
    case 'pending-gone':
      return problem(
        'This change was already confirmed or cancelled, or is more than a day old. Nothing was changed; run the /career set command again if it is still needed.',
      );
    case 'pending-outdated':
      return problem(
        'The record changed after this preview was shown, so it no longer says what would happen. Nothing was changed; run the /career set command again to see a new preview.',
      );
    case 'lookup':
      return r.problem;
  }
}

export function refusalMessage(r: Refusal): Message {
  // Pause or resume without a record: the one no-record message, with its Ask for a record.
  if (r.code === 'no-record') return noRecordMessage();
  return problemMessage(refusalProblem(r));
}
