import type { types } from '@slack/bolt';
import { formatLongDate as day, formatDuration } from '../../career/dates.js';
import { areasForPeople } from '../../career/window.js';
import { placeName as levelPlace } from '../../frameworks/describe.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import type { PromotionCase, PromotionSettings } from '../../ports/promotions.js';
import { type CaseStep, caseSteps, DEFAULT_PROMOTION_THRESHOLD, DRAFT_EXPIRY_DAYS } from '../../promotions/rules.js';
import type { CaseRefusal, CaseView, Destination, FormOutcome } from '../../promotions/service.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, escapeKeepingMentions, truncate } from '../mrkdwn.js';
import { longDate, RATING_LABELS } from './checkins.js';
import { actions, type Block, button, context, divider, type Message, modal, plain, section, sections } from './kit.js';
import { placeName, windowLines } from './records.js';

/** The buttons of the promotion case; each value is the case id (or, for Propose, who and which check-in). */
export const PROMOTION_ACTION = {
  propose: 'promotion.propose',
  note: 'promotion.note',
  send: 'promotion.send',
  approve: 'promotion.approve',
  approveFrom: 'promotion.approve-from',
  decline: 'promotion.decline',
  withdraw: 'promotion.withdraw',
} as const;

export const PROMOTION_VIEW = {
  propose: 'promotion.propose.form',
  note: 'promotion.note.form',
  decline: 'promotion.decline.form',
  approveFrom: 'promotion.approve-from.form',
} as const;

/** Approve from another date: the date as typed. */
export const SINCE_INPUT = { block: 'since', action: 'date' } as const;

export const PROPOSE_LEVEL_INPUT = { block: 'level', action: 'level' } as const;
export const PROPOSE_NOTE_INPUT = { block: 'note', action: 'text' } as const;
/** The person's addition, and the admin's note on a decline: one field each. */
export const CASE_NOTE_INPUT = { block: 'note', action: 'text' } as const;
/** Notes are kept up to 1,000 characters (the table's CHECK). */
export const CASE_NOTE_MAX = 1000;

/** Evidence quoted in a case: each piece cut to this many characters (the person's log keeps it whole). */
const EVIDENCE_SHOWN = 300;

/** The level a case is for, as its readers name it. */
function toName(view: CaseView, whose: 'your' | 'their' = 'their'): string {
  return placeName(view.framework, view.to, 'a level no longer in the files', whose);
}

/** "Their next level", in the rated view of a check-in: Propose, with the readiness that offers it. */
export function proposalOfferMessage(userId: string, checkinId: number, readiness: number, threshold: number): Message {
  const text = `By your ratings, <@${userId}> is *${readiness}%* ready for their next level: at or above the ${threshold}% at which Ripple offers a promotion case.`;
  return {
    text: `By your ratings, ${readiness}% ready for their next level.`,
    blocks: [
      section(text),
      ...actions([
        button('Propose a promotion', PROMOTION_ACTION.propose, JSON.stringify({ u: userId, c: checkinId }), 'primary'),
      ]),
      context(
        `Nothing is sent until you submit the form; then <@${userId}> reads the case first and decides when it goes to the admins.`,
      ),
    ],
  };
}

/** The Propose form: which next level (each of a fork's), and a note from the manager. */
export function proposeModal(
  form: Extract<FormOutcome, { kind: 'form' }>,
  framework: Pick<Framework, 'name' | 'levels'>,
): types.ModalView {
  const options = form.choices.slice(0, LIMITS.selectOptions).map((l) => ({
    text: plain(truncate(stepLabel(framework, l), LIMITS.optionText)),
    value: l.id,
  }));
  const [first] = options;
  return modal({
    callbackId: PROMOTION_VIEW.propose,
    metadata: JSON.stringify({ u: form.userId, c: form.checkinId }),
    title: 'Propose a promotion',
    submit: 'Propose',
    close: 'Cancel',
    blocks: [
      section(
        `A promotion case for <@${form.userId}>: the next level's expectations, their ratings and yours side by side, the evidence they kept for each, and their time at the level.`,
      ),
      {
        type: 'input',
        block_id: PROPOSE_LEVEL_INPUT.block,
        label: plain('For which level'),
        element: {
          type: 'static_select',
          action_id: PROPOSE_LEVEL_INPUT.action,
          options,
          ...(first && options.length === 1 ? { initial_option: first } : {}),
        },
      },
      {
        type: 'input',
        block_id: PROPOSE_NOTE_INPUT.block,
        optional: true,
        label: plain('Your note for the admins'),
        element: {
          type: 'plain_text_input',
          action_id: PROPOSE_NOTE_INPUT.action,
          multiline: true,
          max_length: CASE_NOTE_MAX,
        },
      },
      context(
        `<@${form.userId}> sees the whole case first, your note included, and sends it on to the Ripple admins themselves.`,
      ),
    ],
  });
}

function stepLabel(framework: Pick<Framework, 'name' | 'levels'>, level: Level): string {
  return areasForPeople(levelPlace(framework, level), 'their');
}

/** The person's or the admins' note as quoted lines. */
function quote(text: string, max = CASE_NOTE_MAX): string {
  return `>${esc(truncate(text, max)).replace(/\n/g, '\n>')}`;
}

/** The case itself: the level, time at the level against the window, each expectation with ratings and evidence, the notes. */
export function caseBlocks(view: CaseView, reader: 'person' | 'other', withEvidence = true): Block[] {
  const c = view.case;
  const whose = reader === 'person' ? 'your' : 'their';
  const who = reader === 'person' ? 'You' : `<@${c.userId}>`;
  const card = view.card;
  const from = placeName(card.framework, card.level, 'a level no longer in the files', whose, card.record.title);
  const blocks: Block[] = [
    section(
      `*Promotion case for <@${c.userId}>: ${esc(toName(view, whose))}*\nProposed by <@${c.proposedBy}> on ${longDate(c.createdAt)}.`,
    ),
    section(
      [
        `*Now:* ${from} since ${day(card.record.since)} (${formatDuration(card.daysAtLevel)} at the level)`,
        ...windowLines(card, whose),
      ].join('\n'),
    ),
  ];
  const rater = view.checkin?.sharedWith ? `<@${view.checkin.sharedWith}>` : 'Manager';
  const rated = view.checkin
    ? `Ratings from the check-in of ${longDate(view.checkin.finishedAt ?? c.createdAt)}: ${who === 'You' ? 'yours' : 'theirs'} and ${rater}'s, side by side.`
    : 'No rated check-in yet: the expectations are shown without ratings.';
  blocks.push(divider(), context(rated));
  // Room for the notes, the buttons and the messages' own lines: the rest is one section per expectation.
  const room = LIMITS.messageBlocks - blocks.length - 8;
  for (const e of view.expectations.slice(0, room)) {
    const ratings = view.checkin
      ? `\n${who}: *${e.self ? RATING_LABELS[e.self] : '—'}* · ${rater}: *${e.manager ? RATING_LABELS[e.manager] : '—'}*`
      : '';
    const evidence = !withEvidence
      ? ''
      : e.evidence.length > 0
        ? // A saved message's bare mentions read as names, as in /career evidence; the case names the person already.
          `\n${e.evidence.map((x) => `>${escapeKeepingMentions(truncate(x.text, EVIDENCE_SHOWN)).replace(/\n/g, '\n>')}`).join('\n')}`
        : '\n_No evidence kept for this one yet._';
    blocks.push(section(truncate(`*${esc(truncate(e.text, 600))}*${ratings}${evidence}`, LIMITS.sectionText)));
  }
  blocks.push(divider());
  if (!withEvidence)
    blocks.push(context('Their evidence for each expectation is theirs until they send the case on: you see it then.'));
  if (c.managerNote) blocks.push(section(`*Note from <@${c.proposedBy}>:*\n${quote(c.managerNote)}`));
  if (c.personNote) blocks.push(section(`*Note from <@${c.userId}>:*\n${quote(c.personNote)}`));
  return blocks;
}

/** Who sees a sent case, in words: exactly the people, or everyone in the channel. */
export function destinationWords(to: Destination): string {
  if (to.kind === 'channel') return `everyone in <#${to.channelId}>, the promotion channel`;
  if (to.admins.length === 0) return 'the Ripple admins (none can be found: ask one to set a promotion channel)';
  return `the Ripple admins: ${to.admins.map((id) => `<@${id}>`).join(', ')}`;
}

/** The person's DM: the whole case before it goes, who will see it, and their two buttons. */
export function personCaseMessage(view: CaseView, to: Destination): Message {
  const c = view.case;
  const id = String(c.id);
  return {
    text: `<@${c.proposedBy}> proposed you for ${toName(view, 'your').replace(/\*/g, '')}: read the case before it goes.`,
    blocks: [
      section(
        `:seedling: <@${c.proposedBy}> proposed you for a promotion. Here is the case as it would go: read it, add to it if you like, and send it on when you are ready.`,
      ),
      ...caseBlocks(view, 'person'),
      section(
        `*Who sees it when you send it:* ${destinationWords(to)}, with your manager. They see this case: both sets of ratings, the evidence shown under each expectation and the notes. Nothing else from your log.`,
      ),
      ...actions([
        button('Add a note', PROMOTION_ACTION.note, id),
        button('Send it on', PROMOTION_ACTION.send, id, 'primary'),
      ]),
    ],
  };
}

/** To whoever proposed: the case went to the person first. */
export function proposedMessage(view: CaseView): Message {
  const c = view.case;
  const text = `:white_check_mark: Proposed. <@${c.userId}> has the case in a DM: they read it first, may add a note, and send it on to the admins themselves. You'll hear when they do, and when it's decided.`;
  return {
    text: `Proposed: the case is with <@${c.userId}> first.`,
    blocks: [
      section(text),
      ...caseBlocks(view, 'other', false),
      ...actions([button('Withdraw', PROMOTION_ACTION.withdraw, String(c.id))]),
      context(
        `Withdraw ends the case until it is decided: <@${c.userId}> is told it was withdrawn and by whom, nothing else. A draft not sent on within ${DRAFT_EXPIRY_DAYS} days expires by itself.`,
      ),
    ],
  };
}

/** The note form for the person's addition. */
export function noteModal(caseId: number, current: string | null): types.ModalView {
  return modal({
    callbackId: PROMOTION_VIEW.note,
    metadata: String(caseId),
    title: 'Add to the case',
    submit: 'Save',
    close: 'Cancel',
    blocks: [
      {
        type: 'input',
        block_id: CASE_NOTE_INPUT.block,
        label: plain('Your note, shown with the case'),
        element: {
          type: 'plain_text_input',
          action_id: CASE_NOTE_INPUT.action,
          multiline: true,
          max_length: CASE_NOTE_MAX,
          ...(current ? { initial_value: current } : {}),
        },
      },
      context('Only you and your manager see it until you send the case on.'),
    ],
  });
}

/** Decline with a note: the note goes to the manager only. */
export function declineModal(caseId: number, userId: string): types.ModalView {
  return modal({
    callbackId: PROMOTION_VIEW.decline,
    metadata: String(caseId),
    title: 'Decline the case',
    submit: 'Decline',
    close: 'Cancel',
    blocks: [
      {
        type: 'input',
        block_id: CASE_NOTE_INPUT.block,
        label: plain('Your note for their manager'),
        element: {
          type: 'plain_text_input',
          action_id: CASE_NOTE_INPUT.action,
          multiline: true,
          max_length: CASE_NOTE_MAX,
        },
      },
      context(
        `Only their manager gets the note. Ripple does not tell <@${userId}>: their manager decides what to say. Their record does not change.`,
      ),
    ],
  });
}

/** Approve from another date: the day the new level counts from, read as `/career set since` reads it. */
export function approveFromModal(caseId: number, userId: string): types.ModalView {
  return modal({
    callbackId: PROMOTION_VIEW.approveFrom,
    metadata: String(caseId),
    title: 'Approve from a date',
    submit: 'Approve',
    close: 'Cancel',
    blocks: [
      {
        type: 'input',
        block_id: SINCE_INPUT.block,
        label: plain('The new level counts from'),
        hint: plain('2026-11-01, 1 Nov 2026, yesterday: not in the future.'),
        element: { type: 'plain_text_input', action_id: SINCE_INPUT.action, max_length: 40 },
      },
      context(`<@${userId}> and their manager are told, as with Approve.`),
    ],
  });
}

/** The admins' copy (a DM each, or the promotion channel): the case and the two decisions. */
export function adminCaseMessage(view: CaseView): Message {
  const c = view.case;
  const id = String(c.id);
  return {
    text: `A promotion case for <@${c.userId}> waits for a decision.`,
    blocks: [
      section(`:scales: <@${c.userId}> sent their promotion case for a decision.`),
      ...caseBlocks(view, 'other'),
      ...actions([
        button('Approve', PROMOTION_ACTION.approve, id, 'primary'),
        button('Approve from another date', PROMOTION_ACTION.approveFrom, id),
        button('Decline with a note', PROMOTION_ACTION.decline, id),
        button('Withdraw', PROMOTION_ACTION.withdraw, id),
      ]),
      context(
        `Approve records the new level from today (or the date you give), as \`/career set\` would, and tells <@${c.userId}> and their manager. Decline sends your note to their manager only.`,
      ),
    ],
  };
}

/** To the person once sent. */
export function sentMessage(_view: CaseView, to: Destination): Message {
  const text = `:outbox_tray: Sent to ${destinationWords(to)}. Your manager knows. You'll hear from Ripple if it's approved.`;
  return { text: 'Your promotion case was sent.', blocks: [section(text)] };
}

/** To the proposer and the manager once the person sent it: the case as it went, evidence included. */
export function sentNoticeMessage(view: CaseView, to: Destination): Message {
  const c = view.case;
  const text = `<@${c.userId}> sent their promotion case on to ${destinationWords(to)}.${c.personNote ? ' They added a note.' : ''}`;
  return { text, blocks: [section(text), ...caseBlocks(view, 'other')] };
}

/** Nobody to send the case to: said to the person; the case stays theirs. */
export function notDeliveredMessage(_why: 'no-admins'): Message {
  const text =
    'There is no Ripple admin to send it to yet, so nothing was sent. An admin can set a promotion channel with `/career admin promotions #channel`; the case stays yours until then.';
  return { text: 'Nothing was sent: there is no admin to send it to.', blocks: [section(text)] };
}

/** The person's case once sent, in place of the one with the buttons. */
export function sentCaseMessage(view: CaseView, to: Destination): Message {
  return {
    text: 'Your promotion case was sent.',
    blocks: [...caseBlocks(view, 'person'), ...sentMessage(view, to).blocks],
  };
}

/** Where an admin approved: in place of the case. */
export function approvedMessage(c: PromotionCase, deciderId: string): Message {
  const text = `:white_check_mark: Approved by <@${deciderId}>: <@${c.userId}>'s new level is recorded from ${day(c.since ?? '')}. They and their manager were told; nothing was posted to any channel.`;
  return { text: `Approved: <@${c.userId}>'s new level is recorded.`, blocks: [section(text)] };
}

/** Where an admin declined. */
export function declinedMessage(c: PromotionCase, managerId: string | null): Message {
  const to = managerId ? `<@${managerId}> only` : 'nobody: they have no manager of record';
  const text = `Declined by <@${c.decidedBy}>. The note went to ${to}; <@${c.userId}>'s record did not change.`;
  return { text: `Declined: <@${c.userId}>'s record did not change.`, blocks: [section(text)] };
}

/** To the manager: the admin's note, theirs alone. */
export function declinedNoticeMessage(c: PromotionCase): Message {
  return {
    text: `The promotion case for <@${c.userId}> was declined.`,
    blocks: [
      section(
        `<@${c.decidedBy}> declined the promotion case for <@${c.userId}>. Their note for you:\n${quote(c.decisionNote ?? '')}`,
      ),
      context(
        `Ripple has not told <@${c.userId}>: what to say, and when, is yours to decide. Their record did not change.`,
      ),
    ],
  };
}

/** Where the case was withdrawn: in place of the copy with the button. */
export function withdrawnMessage(c: PromotionCase): Message {
  const text = `Withdrawn by <@${c.decidedBy}>. <@${c.userId}> was told it was withdrawn, and by whom; nothing else. Their record did not change, and a new case can be proposed.`;
  return { text: `Withdrawn: the promotion case for <@${c.userId}>.`, blocks: [section(text)] };
}

/** To the person (and the proposer, when an admin withdrew): that it was withdrawn, by whom; nothing else. */
export function withdrawnNoticeMessage(c: PromotionCase, reader: 'person' | 'proposer'): Message {
  const text = `<@${c.decidedBy}> withdrew the promotion case for ${reader === 'person' ? 'you' : `<@${c.userId}>`}.`;
  return { text, blocks: [section(text)] };
}

/** To the proposer, once (through the outbox): the person did not send the draft on in time. */
export function draftExpiredMessage(c: PromotionCase): Message {
  const text = `The promotion case you proposed for <@${c.userId}> expired: they did not send it on within ${DRAFT_EXPIRY_DAYS} days. Nothing was recorded; you can propose again when it's time.`;
  return { text: `The promotion case for <@${c.userId}> expired.`, blocks: [section(text)] };
}

/** The reply to a step that cannot be taken. */
export function caseRefusalMessage(r: CaseRefusal): Message {
  const text = refusalText(r);
  return { text, blocks: [section(text), context('Nothing was changed.')] };
}

function refusalText(r: CaseRefusal): string {
  const c = r.case;
  switch (r.reason) {
    case 'not-permitted':
      return "You can't do that with this promotion case: a case is proposed by the person's manager of record or a Ripple admin, read by the person, their manager and (once sent) the admins, and decided by an admin.";
    case 'no-record':
      return "They don't have a career record yet, so there is no next level to propose.";
    case 'top-level':
      return 'Their level has no next level in the framework: there is nothing to propose.';
    case 'open-case':
      return c
        ? `A promotion case for <@${c.userId}> is already open (${c.status === 'draft' ? 'with them to read and send' : 'with the admins'}): one at a time.`
        : 'A promotion case for them is already open: one at a time.';
    case 'gone':
      return 'That promotion case is no longer there.';
    case 'decided':
      return c?.status === 'expired'
        ? `This case expired: it was not sent on within ${DRAFT_EXPIRY_DAYS} days.`
        : c?.decidedBy
          ? `This case was already ${c.status} by <@${c.decidedBy}>.`
          : c?.status === 'proposed'
            ? 'This case was already sent on.'
            : 'This case was already decided.';
    case 'own-case':
      return 'This case is about you: another admin decides it.';
    case 'moved-on':
      return 'Their level changed since the case was proposed, so it no longer says what Approve would do. Nothing was recorded; their manager can propose again.';
    case 'not-a-next-level':
      return "That level isn't their next one any more: open the form again.";
  }
}

const STEP_WORDS: Record<CaseStep['kind'], (s: CaseStep, c: PromotionCase) => string> = {
  proposed: (s) => `proposed by <@${s.by}>`,
  'person-note': () => 'you added a note',
  sent: (_s, c) => `you sent it on${c.sentToChannel ? ` to <#${c.sentToChannel}>` : ' to the Ripple admins'}`,
  approved: (s, c) => `approved by <@${s.by}>: your new level counts from ${day(c.since ?? '')}`,
  declined: (s) => `declined by <@${s.by}> (their note went to your manager)`,
  withdrawn: (s) => `withdrawn by <@${s.by}>`,
  expired: () => `expired: not sent on within ${DRAFT_EXPIRY_DAYS} days`,
};

/** `/career history`: each promotion case and every step it went through. */
export function caseHistoryMessage(cases: readonly { case: PromotionCase; to: string }[]): Message {
  const lines = cases.map(({ case: c, to }) => {
    const steps = caseSteps(c).map((s) => `${longDate(s.at)}: ${STEP_WORDS[s.kind](s, c)}`);
    return `*Promotion case for ${esc(to)}*\n${steps.map((s) => `• ${s}`).join('\n')}`;
  });
  return { text: 'Your promotion cases', blocks: sections('Promotion cases', lines) };
}

/** `/career admin promotions`: where cases go and when Propose is offered. */
export function promotionSettingsMessage(settings: PromotionSettings, changed?: 'channel' | 'threshold'): Message {
  const where = settings.channelId
    ? `to <#${settings.channelId}> (everyone in it sees each case)`
    : "to the Ripple admins by DM (CAREER_ADMINS, or the workspace's Slack admins and owners when none are set)";
  const threshold = settings.threshold ?? DEFAULT_PROMOTION_THRESHOLD;
  const lead = changed ? ':white_check_mark: Saved. ' : '';
  const text = `${lead}Promotion cases go ${where}. A rated check-in offers *Propose a promotion* from *${threshold}%* readiness by the manager's ratings${settings.threshold === null ? ' (the default)' : ''}.`;
  return {
    text: text.replace(/[*:]/g, ''),
    blocks: [
      section(text),
      context(
        '`/career admin promotions #channel` (a private channel Ripple is in) · `/career admin promotions off` (back to DMs) · `/career admin promotions threshold 85`',
      ),
    ],
  };
}

/** The channel cannot take cases: said to the admin, nothing saved. */
export function promotionChannelRefusedMessage(channelId: string, why: 'not-member' | 'public' | 'not-found'): Message {
  const text =
    why === 'not-member'
      ? `Ripple isn't in <#${channelId}>, so it could not post cases there. Invite it (\`/invite @Ripple\` in the channel) and run the command again.`
      : why === 'public'
        ? `<#${channelId}> is a public channel: anyone in the workspace could read promotion cases there. Pick a private channel.`
        : `I can't see <#${channelId}>. Pick a private channel Ripple is in.`;
  return { text: text.replace(/[`*]/g, ''), blocks: [section(text), context('Nothing was changed.')] };
}
