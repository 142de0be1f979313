import type { types } from '@slack/bolt';
import { formatLongDate, utcDateOf } from '../../career/dates.js';
import type { Question, Rating } from '../../checkins/machine.js';
import type { CheckinRecord } from '../../checkins/model.js';
import type {
  ContinueOutcome,
  HistoryOutcome,
  QuestionView,
  StartOutcome,
  SummaryView,
} from '../../checkins/service.js';
import type { AnsweredQuestion } from '../../checkins/summary.js';
import { type AskedLevel, askedLevelName, askedStepName, levelName as nameIn } from '../../frameworks/describe.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, truncate } from '../mrkdwn.js';
import { type NotSavedReason, notSavedMessage } from './errors.js';
import { actions, type Block, button, context, header, type Message, section, sections } from './kit.js';
import { noRecordMessage } from './no-record.js';

/**
 * Every word of a check-in conversation, as pure Block Kit builders. Buttons carry only a check-in
 * id and a version (`12:3`); which answer a button gives is its action id, never its value.
 */

export const CHECKIN_ACTION = {
  rate: 'checkin.rate', // + '.' + rating
  evidence: 'checkin.evidence',
  later: 'checkin.later',
  resume: 'checkin.continue',
  startOver: 'checkin.start-over',
  start: 'checkin.start',
  path: 'checkin.path',
  share: 'checkin.share',
  review: 'checkin.review',
} as const;

export const CHECKIN_VIEW = { evidence: 'checkin.evidence', ratings: 'checkin.ratings' } as const;

export const EVIDENCE_INPUT = { block: 'evidence', action: 'text' } as const;

export const RATING_LABELS: Record<Rating, string> = {
  'not-yet': 'Not yet',
  sometimes: 'Sometimes',
  consistently: 'Consistently',
  skip: 'Skip',
};

const RATING_ORDER: readonly Rating[] = ['not-yet', 'sometimes', 'consistently', 'skip'];

/** `12:3`: the check-in id and the version the button was drawn with. */
export function buttonValue(id: number, version: number): string {
  return `${id}:${version}`;
}

export function parseButtonValue(value: string | undefined): { id: number; version: number } | undefined {
  const m = /^(\d{1,12}):(\d{1,9})$/.exec(value ?? '');
  return m ? { id: Number(m[1]), version: Number(m[2]) } : undefined;
}

/** "12 March 2026" from an ISO timestamp (UTC). */
export function longDate(iso: string): string {
  return formatLongDate(utcDateOf(iso));
}

const levelName = (q: AskedLevel) => esc(askedLevelName(q));

function questionText(q: Question, total: number): string {
  return `*${levelName(q)}* · ${q.position + 1} of ${total}\n>${esc(q.text).replace(/\n/g, '\n>')}`;
}

/** One expectation, asked: its text exactly as the framework states it, and the six buttons. */
export function questionMessage(view: QuestionView): Message {
  const { checkin, question } = view;
  const value = buttonValue(checkin.id, checkin.version);
  const blocks: Block[] = [section(questionText(question, checkin.total))];
  if (view.previous) {
    blocks.push(context(`Last time (${longDate(view.previous.finishedAt)}): *${RATING_LABELS[view.previous.rating]}*`));
  }
  blocks.push(
    ...actions(
      RATING_ORDER.map((r) => button(RATING_LABELS[r], `${CHECKIN_ACTION.rate}.${r}`, value)),
      `checkin-${checkin.id}-${checkin.version}-rate`,
    ),
    ...actions(
      [button('Add evidence', CHECKIN_ACTION.evidence, value), button('Finish later', CHECKIN_ACTION.later, value)],
      `checkin-${checkin.id}-${checkin.version}-more`,
    ),
  );
  return {
    text: truncate(`Check-in ${question.position + 1} of ${checkin.total}: ${question.text}`, 300),
    blocks,
  };
}

/** The question once answered: the choice shown, the buttons gone. */
export function answeredMessage(q: Question, total: number, rating: Rating): Message {
  return {
    text: `${q.position + 1} of ${total}: ${RATING_LABELS[rating]}`,
    blocks: [section(questionText(q, total)), context(`Your answer: *${RATING_LABELS[rating]}*`)],
  };
}

export function pausedMessage(q: Question, total: number): Message {
  const line = `Saved at question ${q.position + 1} of ${total}. Type \`/career checkin\` when you want to go on: you'll continue right here.`;
  return { text: line, blocks: [section(questionText(q, total)), context(line)] };
}

/** The ephemeral reply where `/career checkin` was typed. */
export function startedReply(outcome: Extract<StartOutcome, { kind: 'started' }>, expiryDays: number): Message {
  const c = outcome.view.checkin;
  const lines = [
    `:speech_balloon: Your check-in is in our DM: ${c.total} questions, one at a time. Stop whenever you like with *Finish later*.`,
  ];
  if (outcome.expired) lines.unshift(expiredLine(outcome.expired, expiryDays));
  return { text: lines.join(' '), blocks: lines.map((l) => section(l)) };
}

export function expiredLine(checkin: CheckinRecord, expiryDays: number): string {
  return `Your check-in from ${longDate(checkin.startedAt)} expired after ${expiryDays} days without an answer.`;
}

/** The one-line note sent when a check-in expires. */
export function expiredNote(checkin: CheckinRecord, expiryDays: number): Message {
  const line = `${expiredLine(checkin, expiryDays)} Start a new one any time with \`/career checkin\`.`;
  return { text: line, blocks: [section(line)] };
}

export function openExistsMessage(checkin: CheckinRecord): Message {
  const text = `You have a check-in in progress: question ${Math.min(checkin.cursor + 1, checkin.total)} of ${checkin.total}, started ${longDate(checkin.startedAt)}.`;
  return {
    text,
    blocks: [
      section(text),
      ...actions([
        // With the version, so a second press finds it moved on and the question is asked once.
        button('Continue', CHECKIN_ACTION.resume, buttonValue(checkin.id, checkin.version), 'primary'),
        button('Start over', CHECKIN_ACTION.startOver, String(checkin.id)),
      ]),
    ],
  };
}

export function choosePathMessage(outcome: Extract<StartOutcome, { kind: 'choose-path' }>): Message {
  const text = `After ${esc(outcome.level.titles.join(' / '))} the path forks. Which step do you want to hold your work up against?`;
  return {
    text,
    blocks: [
      section(text),
      // One action id per button (Slack rejects a block with two alike): the listener matches the prefix.
      ...actions(
        outcome.paths.map((l, i) => button(nameIn(outcome.framework.levels, l), `${CHECKIN_ACTION.path}.${i}`, l.id)),
      ),
    ],
  };
}

export function startProblemMessage(
  outcome: Exclude<StartOutcome, { kind: 'started' | 'open-exists' | 'choose-path' }>,
): Message {
  let text: string;
  switch (outcome.kind) {
    case 'no-record':
      // The one no-record message, with Ask for a record (src/slack/blocks/records.ts).
      return noRecordMessage();
    case 'unknown-level':
      text = `"${esc(outcome.input)}" isn't a level of ${esc(outcome.framework.name)}. Try a number, like \`/career checkin 3\`, or \`/career titles ${outcome.framework.id}\`.`;
      break;
    case 'not-permitted':
      text = 'Only you can check in on your own record.';
      break;
  }
  return { text, blocks: [section(text)] };
}

/**
 * A click on a question the check-in has moved past (answered, paused, asked again). The question
 * waiting now comes with it, with working buttons: the DM message it was sent in may never have
 * arrived (a Slack outage), so never point at it.
 */
export function movedOnMessage(current?: QuestionView): Message {
  if (!current) {
    const text =
      'This check-in has moved on, and no question of it is waiting for you. Start a new one any time with `/career checkin`.';
    return { text, blocks: [section(text)] };
  }
  const line = 'This check-in has moved on. The question waiting for you:';
  const question = questionMessage(current);
  return { text: `${line} ${question.text}`, blocks: [context(line), ...question.blocks] };
}

/** Continue, pressed: the question is (or is on its way) in the DM. */
export function continuingMessage(): Message {
  const text = 'Continuing in our DM.';
  return { text, blocks: [section(text)] };
}

export function continueProblemMessage(
  outcome: Exclude<ContinueOutcome, { kind: 'question' }>,
  expiryDays: number,
): Message {
  if (outcome.kind === 'expired') return expiredNote(outcome.checkin, expiryDays);
  const text = 'That check-in is already over. Start a new one with `/career checkin`.';
  return { text, blocks: [section(text)] };
}

/** Evidence is kept up to this many characters (the form's max_length; Slack's section limit). */
export const EVIDENCE_MAX_CHARS = LIMITS.plainTextInputMaxLength;

/**
 * The one line acknowledging evidence. `shortened`: only the first 3,000 characters were kept.
 * `fileOnly`: a file came with no words, so only its name and link were kept.
 */
export function evidenceAck(q: Question, note: { shortened?: boolean; fileOnly?: boolean } = {}): Message {
  const lines = [`:memo: Noted as evidence for question ${q.position + 1} (“${esc(truncate(q.text, 80))}”).`];
  if (note.shortened) lines.push('It was long, so the first 3,000 characters were kept.');
  if (note.fileOnly)
    lines.push(
      "Ripple keeps the file's name and link, not what is in it: send a line about it if you want the evidence to say more.",
    );
  const text = lines.join(' ');
  return { text, blocks: [context(text)] };
}

/** A file shared in the DM, as it is kept in the evidence: its name and its link in Slack. */
export function fileEvidenceLine(file: { name: string; permalink?: string }): string {
  return file.permalink ? `File: ${file.name} (${file.permalink})` : `File: ${file.name}`;
}

/** The evidence form's text could not be saved: said in the DM, with the text, so it is not lost. */
export function evidenceNotSavedMessage(reason: NotSavedReason, text: string): Message {
  const failed = notSavedMessage(reason, 'submit');
  return {
    text: failed.text,
    blocks: [
      ...failed.blocks,
      context('What you wrote, to add again:'),
      section(truncate(esc(text), LIMITS.sectionText)),
    ],
  };
}

export function evidenceModal(id: number, position: number, q: Question): types.ModalView {
  return {
    type: 'modal',
    callback_id: CHECKIN_VIEW.evidence,
    private_metadata: JSON.stringify({ c: id, p: position }),
    title: { type: 'plain_text', text: 'Add evidence' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(truncate(`*${levelName(q)}*\n>${esc(q.text)}`, LIMITS.sectionText)),
      {
        type: 'input',
        block_id: EVIDENCE_INPUT.block,
        label: { type: 'plain_text', text: 'What did you do that shows this?' },
        element: {
          type: 'plain_text_input',
          action_id: EVIDENCE_INPUT.action,
          multiline: true,
          max_length: LIMITS.plainTextInputMaxLength,
          placeholder: { type: 'plain_text', text: 'A project, a result, a link, feedback you got…' },
        },
      },
    ],
  };
}

function countsLine(l: SummaryView['summary']['levels'][number]): string {
  return `*${levelName(l)}:* Consistently: ${l.consistently} · Sometimes: ${l.sometimes} · Not yet: ${l.notYet} · Skipped: ${l.skipped}`;
}

const bullet = (q: AnsweredQuestion) => `• ${esc(truncate(q.text, 600))} _(${esc(askedStepName(q))})_`;

/** The summary body, shared by the teammate's and the manager's messages. */
export function summaryBlocks({ checkin, summary }: SummaryView): Block[] {
  const blocks: Block[] = [...sections(undefined, summary.levels.map(countsLine))];
  const target = summary.levels.find((l) => l.levelId === summary.targetLevelId);
  if (target) {
    blocks.push(
      section(
        summary.readiness === null
          ? `*Readiness for ${esc(askedStepName(target))}:* not measured (every expectation was skipped).`
          : `*Readiness for ${esc(askedStepName(target))}:* ${summary.readiness}%`,
      ),
    );
  }
  if (summary.strongest.length > 0) blocks.push(...sections('Strongest', summary.strongest.map(bullet)));
  if (summary.focus.length > 0) blocks.push(...sections('Focus on next', summary.focus.map(bullet)));
  if (summary.change) {
    const n = summary.change.toConsistently;
    blocks.push(context(`${n} moved to Consistently since ${longDate(summary.change.since)}.`));
  }
  blocks.push(
    context(`Check-in of ${longDate(checkin.finishedAt ?? checkin.startedAt)} · ${checkin.total} expectations`),
  );
  return blocks;
}

const READINESS_NOTE =
  'Readiness = (Consistently + ½ × Sometimes) ÷ answered, over the next level’s expectations; skips do not count.';

export function summaryMessage(result: SummaryView): Message {
  const id = String(result.checkin.id);
  return {
    text: 'Your check-in summary',
    blocks: [
      header('Your check-in summary'),
      ...summaryBlocks(result),
      context(READINESS_NOTE),
      ...actions([
        button('Share with my manager', CHECKIN_ACTION.share, id, 'primary'),
        button('Start a new check-in', CHECKIN_ACTION.start, 'new'),
      ]),
    ],
  };
}

export function sharedReply(managerId: string, already: boolean): Message {
  const text = already
    ? `Already shared with <@${managerId}>.`
    : `:handshake: Shared with <@${managerId}>. They'll see this summary and can add their own ratings.`;
  return { text, blocks: [section(text)] };
}

export function noManagerReply(): Message {
  const text =
    "There's no manager on your record to share with. Your manager or a Ripple admin can add one with `/career set`.";
  return { text, blocks: [section(text)] };
}

/** What the manager gets in their DM when a teammate shares. */
export function sharedWithManagerMessage(result: SummaryView): Message {
  const who = `<@${result.checkin.userId}>`;
  return {
    text: `${who} shared a check-in with you`,
    blocks: [
      section(`${who} shared their check-in with you.`),
      ...summaryBlocks(result),
      ...actions([button('Add my ratings', CHECKIN_ACTION.review, String(result.checkin.id), 'primary')]),
    ],
  };
}

/** The manager's modal: the same expectations, the same four answers. */
export function ratingsModal(result: SummaryView): types.ModalView {
  const questions = result.checkin.questions.slice(0, LIMITS.modalBlocks - 1);
  const options = RATING_ORDER.map((r) => ({
    text: { type: 'plain_text' as const, text: RATING_LABELS[r] },
    value: r,
  }));
  return {
    type: 'modal',
    callback_id: CHECKIN_VIEW.ratings,
    private_metadata: JSON.stringify({ c: result.checkin.id }),
    title: { type: 'plain_text', text: 'Your ratings' },
    submit: { type: 'plain_text', text: 'Save ratings' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context(`Rate <@${result.checkin.userId}> on the same expectations. Leave one empty to skip it.`),
      ...questions.map(
        (q): Block => ({
          type: 'input',
          block_id: `q${q.position}`,
          optional: true,
          label: {
            type: 'plain_text',
            text: truncate(`${q.position + 1}. ${askedStepName(q)}: ${q.text}`, LIMITS.inputLabel),
          },
          element: { type: 'static_select', action_id: `rating-${q.position}`, options },
        }),
      ),
    ],
  };
}

/** Both ratings side by side; a difference is marked as a topic for the next 1:1. */
export function comparisonMessage(result: SummaryView, managerId: string): Message {
  const lines = result.checkin.questions.map((q, i) => {
    const mine = q.rating ? RATING_LABELS[q.rating] : '—';
    const theirs = result.checkin.managerRatings[i];
    const differs = theirs !== undefined && q.rating !== undefined && theirs !== q.rating;
    return `${differs ? ':large_orange_diamond:' : '•'} ${esc(truncate(q.text, 500))}\n   You: *${mine}* · <@${managerId}>: *${theirs ? RATING_LABELS[theirs] : '—'}*`;
  });
  const differ = result.checkin.questions.filter((q, i) => {
    const theirs = result.checkin.managerRatings[i];
    return theirs !== undefined && q.rating !== undefined && theirs !== q.rating;
  }).length;
  return {
    text: `<@${managerId}> added their ratings to your check-in`,
    blocks: [
      section(
        `<@${managerId}> added their ratings to your check-in. ${differ === 0 ? 'You agree on everything rated.' : `:large_orange_diamond: ${differ} differ: good topics for your next 1:1.`}`,
      ),
      ...sections(undefined, lines),
    ].slice(0, LIMITS.messageBlocks),
  };
}

export function ratingsSavedReply(teammateId: string): Message {
  const text = `Saved. <@${teammateId}> now sees your ratings beside theirs.`;
  return { text, blocks: [section(text)] };
}

export function notSharedReply(): Message {
  const text = 'That check-in has not been shared with you.';
  return { text, blocks: [section(text)] };
}

export function historyMessage(outcome: HistoryOutcome): Message {
  if (outcome.kind === 'no-record') return startProblemMessage({ kind: 'no-record' });
  if (outcome.entries.length === 0) {
    const text = outcome.open
      ? 'No finished check-ins yet; one is in progress. Type `/career checkin` to continue it.'
      : 'No check-ins yet. Start one with `/career checkin`.';
    return { text, blocks: [section(text)] };
  }
  const lines = outcome.entries.map((e) => {
    const levels = e.levels.map((l) => esc(askedStepName(l))).join(' + ');
    const readiness = e.readiness === null ? 'readiness —' : `readiness ${e.readiness}%`;
    return `• ${longDate(e.finishedAt)} · ${levels} · ${readiness}${e.shared ? ' · shared' : ''}`;
  });
  const measured = outcome.entries.filter((e) => e.readiness !== null);
  const blocks: Block[] = [header('Your check-ins'), ...sections(undefined, lines)];
  if (measured.length >= 2) {
    const newest = measured[0]?.readiness as number;
    const oldest = measured[measured.length - 1]?.readiness as number;
    const delta = newest - oldest;
    blocks.push(
      context(
        `Trend: ${delta === 0 ? 'steady' : delta > 0 ? `up ${delta} points` : `down ${-delta} points`} since your first measured check-in.`,
      ),
    );
  }
  return { text: 'Your check-ins', blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/** The App Home button. */
export function homeCheckinBlocks(): Block[] {
  return [
    ...sections(undefined, [
      '*Check in:* hold your work up against your level and the next, one expectation at a time.',
    ]),
    ...actions([button('Start a check-in', CHECKIN_ACTION.start, 'home')]),
  ];
}
