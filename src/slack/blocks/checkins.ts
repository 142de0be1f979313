import type { types } from '@slack/bolt';
import { formatLongDate, utcDateOf } from '../../career/dates.js';
import { areasForPeople, type Whose } from '../../career/window.js';
import { asQuestion } from '../../checkins/ask.js';
import type { Question, Rating } from '../../checkins/machine.js';
import { type CheckinRecord, evidenceAt } from '../../checkins/model.js';
import type {
  ContinueOutcome,
  HistoryOutcome,
  QuestionView,
  StartOutcome,
  SummaryView,
} from '../../checkins/service.js';
import type { AnsweredQuestion } from '../../checkins/summary.js';
import type { Catalog } from '../../frameworks/catalog.js';
import { type AskedLevel, askedLevelName, askedStepName, levelName as nameIn } from '../../frameworks/describe.js';
import type { ShownEvidence } from '../../ports/evidence.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, escapeKeepingMentions, truncate } from '../mrkdwn.js';
import { type NotSavedReason, notSavedMessage } from './errors.js';
import { askButton } from './evidence-ask.js';
import { actions, type Block, button, context, header, type Message, modal, section, sections } from './kit.js';
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
  /** Change on an answered question: asks it again in place (value `id:position`). */
  change: 'checkin.change',
  /** An answer given through Change: + '.' + rating (value `id:position`). */
  changeTo: 'checkin.change-to',
  /** View answers: a finished check-in's answers and evidence in a modal (value: the check-in id). */
  answers: 'checkin.answers',
  /**
   * View check-in on a report's row: their latest check-in shared with the manager. + '.' + the row's index
   * (action ids are unique in a view); value: the report's id.
   */
  report: 'checkin.report',
  /** Done, under the summary: its buttons go (value: the check-in id). */
  done: 'checkin.done',
  /** View Level N, under the summary: the level in a modal, the summary left as it is (value: `framework/level`). */
  level: 'checkin.level',
} as const;

export const CHECKIN_VIEW = {
  evidence: 'checkin.evidence',
  ratings: 'checkin.ratings',
  answers: 'checkin.answers',
} as const;

export const EVIDENCE_INPUT = { block: 'evidence', action: 'text' } as const;

/** The ratings form's note for the report. */
export const NOTE_INPUT = { block: 'note', action: 'text' } as const;

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

/** A check-in level as its reader names it: an open area ("Head of …") is theirs ('your') or a report's ('their'). */
const levelName = (q: AskedLevel, whose: Whose = 'your') => esc(areasForPeople(askedLevelName(q), whose));

function questionText(q: Question, total: number): string {
  return `*${levelName(q)}* · ${q.position + 1} of ${total}\n>${esc(q.text).replace(/\n/g, '\n>')}`;
}

/** The question being asked: the expectation asked of the person ("Are you self-directed…?"). */
function askedText(q: Question, total: number, asked = asQuestion(q.text)): string {
  return `*${levelName(q)}* · ${q.position + 1} of ${total}\n*${esc(asked)}*`;
}

/** How much of one piece of evidence is shown where space is short (the summary, the ratings form). */
const EVIDENCE_SHORT = 280;

/** Evidence as quoted lines, each piece cut to `max` characters. */
function quoted(evidence: readonly string[], max: number): string {
  return evidence.map((e) => `>${esc(truncate(e, max)).replace(/\n/g, '\n>')}`).join('\n');
}

/** The evidence under an answered question: all of it, as far as a section holds. */
function evidenceBlock(evidence: readonly string[]): Block[] {
  if (evidence.length === 0) return [];
  return [section(truncate(`:memo: *Your evidence*\n${quoted(evidence, EVIDENCE_MAX_CHARS)}`, LIMITS.sectionText))];
}

/** Said wherever the check-in shows or keeps evidence from the log: it stays the person's until they share. */
export const LOG_PRIVACY_LINE = ':lock: Your manager sees these with your answers only if you share.';

/** How much of one entry of the log is shown under a question. */
const LOG_ENTRY_SHORT = 280;

/**
 * An entry of the log as a quoted line: its words, and who wrote it when it was someone else. A saved message keeps
 * its bare mentions (`<@U…>`), shown as names as in `/career evidence`: these lines go only to DMs and modals.
 */
function logLine(entry: ShownEvidence['entries'][number], max: number, ownerId: string): string {
  const by = entry.authorId && entry.authorId !== ownerId ? ` — <@${entry.authorId}>` : '';
  return `>${escapeKeepingMentions(truncate(entry.text, max)).replace(/\n/g, '\n>')}${by}`;
}

/** What the log holds for a question: the newest entries, and how many more (`more`: false hides the count). */
function logLines(log: ShownEvidence, ownerId: string, max: number, more = true): string[] {
  const lines = log.entries.map((e) => logLine(e, max, ownerId));
  const rest = log.total - log.entries.length;
  if (more && rest > 0) lines.push(`_and ${rest} more in \`/career evidence\`_`);
  return lines;
}

/** The log under the question being asked: kept since the last check-in, private until shared. */
function logBlocks(view: QuestionView): Block[] {
  if (!view.log) return [];
  const since = view.log.since ? `since your check-in of ${longDate(view.log.since)}` : 'so far';
  const body = logLines(view.log, view.checkin.userId, LOG_ENTRY_SHORT).join('\n');
  return [
    section(truncate(`:card_index: *In your evidence log ${since}*\n${body}`, LIMITS.sectionText)),
    context(LOG_PRIVACY_LINE),
  ];
}

/**
 * One expectation, asked: its text exactly as the framework states it, what the evidence log holds for it since the
 * last check-in, and the buttons (the four answers; Add evidence, Ask for an example, Finish later).
 */
export function questionMessage(view: QuestionView): Message {
  const { checkin, question } = view;
  const value = buttonValue(checkin.id, checkin.version);
  const asked = asQuestion(question.text);
  const blocks: Block[] = [section(askedText(question, checkin.total, asked))];
  if (view.previous) {
    blocks.push(context(`Last time (${longDate(view.previous.finishedAt)}): *${RATING_LABELS[view.previous.rating]}*`));
  }
  blocks.push(
    ...logBlocks(view),
    ...actions(
      RATING_ORDER.map((r) => button(RATING_LABELS[r], `${CHECKIN_ACTION.rate}.${r}`, value)),
      `checkin-${checkin.id}-${checkin.version}-rate`,
    ),
    ...actions(
      [
        button('Add evidence', CHECKIN_ACTION.evidence, value),
        askButton(question),
        button('Finish later', CHECKIN_ACTION.later, value),
      ],
      `checkin-${checkin.id}-${checkin.version}-more`,
    ),
  );
  return {
    text: truncate(`Check-in ${question.position + 1} of ${checkin.total}: ${asked}`, 300),
    blocks,
  };
}

/** A typed answer close to more than one: which was meant, with the question's own buttons for those. */
export function whichAnswerMessage(view: QuestionView, candidates: readonly Rating[]): Message {
  const { checkin, question } = view;
  const value = buttonValue(checkin.id, checkin.version);
  const names = candidates.map((r) => `*${RATING_LABELS[r]}*`).join(' or ');
  const line = `Did you mean ${names} for question ${question.position + 1}?`;
  return {
    text: line,
    blocks: [
      section(`${line}\n>${esc(truncate(asQuestion(question.text), 600))}`),
      ...actions(
        candidates.map((r) => button(RATING_LABELS[r], `${CHECKIN_ACTION.rate}.${r}`, value)),
        `checkin-${checkin.id}-${checkin.version}-which`,
      ),
    ],
  };
}

/**
 * The question once answered: the choice shown, the evidence kept for it, the rating buttons gone; Change
 * asks it again until the summary is shared (`changeable`: false once it is, or for a typed answer's echo).
 */
export function answeredMessage(
  q: Question,
  total: number,
  rating: Rating,
  evidence: readonly string[] = [],
  change?: { checkinId: number },
): Message {
  const blocks: Block[] = [
    section(questionText(q, total)),
    context(`Your answer: *${RATING_LABELS[rating]}*`),
    ...evidenceBlock(evidence),
  ];
  if (change)
    blocks.push(
      ...actions(
        [button('Change', CHECKIN_ACTION.change, `${change.checkinId}:${q.position}`)],
        `checkin-change-${change.checkinId}-${q.position}`,
      ),
    );
  return { text: `${q.position + 1} of ${total}: ${RATING_LABELS[rating]}`, blocks };
}

/** Change, pressed: the question asked again where it was, its answer still shown until another is chosen. */
export function changeQuestionMessage(checkinId: number, q: Question, total: number, rating?: Rating): Message {
  const value = `${checkinId}:${q.position}`;
  const blocks: Block[] = [section(askedText(q, total))];
  if (rating)
    blocks.push(context(`Your answer now: *${RATING_LABELS[rating]}*. Pick another, or the same to keep it.`));
  blocks.push(
    ...actions(
      RATING_ORDER.map((r) => button(RATING_LABELS[r], `${CHECKIN_ACTION.changeTo}.${r}`, value)),
      `checkin-change-to-${checkinId}-${q.position}`,
    ),
  );
  return { text: `Change your answer to question ${q.position + 1}`, blocks };
}

/** The answers are what the manager was shown: they stay. */
export function changeRefusedMessage(outcome: { kind: 'shared'; managerId: string } | { kind: 'closed' }): Message {
  const text =
    outcome.kind === 'shared'
      ? `This check-in was shared with <@${outcome.managerId}>, so its answers stay as they saw them. Your next check-in can say something new.`
      : 'That answer can no longer be changed: the check-in is over. Start a new one with `/career checkin`.';
  return { text, blocks: [section(text)] };
}

/** Finish later: saved, with Continue right here (and `/career checkin` from anywhere). */
export function pausedMessage(q: Question, checkin: Pick<CheckinRecord, 'id' | 'version' | 'total'>): Message {
  const line = `Saved at question ${q.position + 1} of ${checkin.total}. Press *Continue* when you want to go on (or type \`/career checkin\`).`;
  return {
    text: line,
    blocks: [
      section(askedText(q, checkin.total)),
      context(line),
      ...actions([button('Continue', CHECKIN_ACTION.resume, buttonValue(checkin.id, checkin.version), 'primary')]),
    ],
  };
}

/** The ephemeral reply where `/career checkin` was typed. */
export function startedReply(outcome: Extract<StartOutcome, { kind: 'started' }>, expiryDays: number): Message {
  const c = outcome.view.checkin;
  const lines = [
    `:speech_balloon: Your check-in is in our DM: ${c.total} questions, one at a time. Stop whenever you like with *Finish later*.`,
    PRIVACY_LINE,
  ];
  if (outcome.expired) lines.unshift(expiredLine(outcome.expired, expiryDays));
  return { text: lines.join(' '), blocks: lines.map((l) => section(l)) };
}

/** Said when a check-in starts (issue 16, item 9). */
export const PRIVACY_LINE =
  ':lock: Private to you: your manager sees nothing of this check-in, not even that it happened, until you press *Share with my manager* on its summary.';

export function expiredLine(checkin: CheckinRecord, expiryDays: number): string {
  return `Your check-in from ${longDate(checkin.startedAt)} expired after ${expiryDays} days without an answer.`;
}

/** The one-line note sent when a check-in expires. */
export function expiredNote(checkin: CheckinRecord, expiryDays: number): Message {
  const line = `${expiredLine(checkin, expiryDays)} Start a new one any time with \`/career checkin\`.`;
  return { text: line, blocks: [section(line)] };
}

/** A day before an idle check-in expires: where it stopped, when it closes, and Continue. */
export function idleNudgeMessage(checkin: CheckinRecord, expiresAt: string): Message {
  const text = `Your check-in from ${longDate(checkin.startedAt)} is waiting at question ${Math.min(checkin.cursor + 1, checkin.total)} of ${checkin.total}. Left as it is, it closes on ${longDate(expiresAt)}; *Continue* picks it up where you stopped.`;
  return {
    text,
    blocks: [
      section(`:hourglass_flowing_sand: ${text}`),
      ...actions([button('Continue', CHECKIN_ACTION.resume, buttonValue(checkin.id, checkin.version), 'primary')]),
    ],
  };
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
  lines.push(JOINS_LOG_LINE);
  if (note.shortened) lines.push('It was long, so the first 3,000 characters were kept.');
  if (note.fileOnly)
    lines.push(
      "Ripple keeps the file's name and link, not what is in it: send a line about it if you want the evidence to say more.",
    );
  const text = lines.join(' ');
  return { text, blocks: [context(text)] };
}

/** Evidence added during a check-in joins the log: said when it is kept. */
export const JOINS_LOG_LINE =
  'Also kept in your evidence log; your manager sees it with your answers only if you share.';

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
  return modal({
    callbackId: CHECKIN_VIEW.evidence,
    metadata: JSON.stringify({ c: id, p: position }),
    title: 'Add evidence',
    submit: 'Save',
    close: 'Cancel',
    blocks: [
      section(truncate(`*${levelName(q)}*\n>${esc(q.text)}`, LIMITS.sectionText)),
      {
        type: 'input',
        block_id: EVIDENCE_INPUT.block,
        label: { type: 'plain_text', text: 'What did you do that shows this?' },
        hint: {
          type: 'plain_text',
          text: 'Kept with this answer and in your evidence log. Your manager sees it with your answers only if you share.',
        },
        element: {
          type: 'plain_text_input',
          action_id: EVIDENCE_INPUT.action,
          multiline: true,
          max_length: LIMITS.plainTextInputMaxLength,
          placeholder: { type: 'plain_text', text: 'A project, a result, a link, feedback you got…' },
        },
      },
    ],
  });
}

function countsLine(l: SummaryView['summary']['levels'][number], whose: Whose): string {
  return `*${levelName(l, whose)}:* Consistently: ${l.consistently} · Sometimes: ${l.sometimes} · Not yet: ${l.notYet} · Skipped: ${l.skipped}`;
}

/** What the readiness figure is made of, in words: how many expectations, and how they were rated. */
export function readinessMadeOf(l: SummaryView['summary']['levels'][number]): string {
  const answered = l.consistently + l.sometimes + l.notYet;
  const of = (n: number, word: string) => `${n} ${word}`;
  const skipped = l.skipped > 0 ? `; ${l.skipped} skipped, which count neither way` : '';
  return `Made of the ${answered} answered expectation${answered === 1 ? '' : 's'} of ${askedStepName(l)}: ${of(l.consistently, 'Consistently')} (full), ${of(l.sometimes, 'Sometimes')} (half), ${of(l.notYet, 'Not yet')}${skipped}.`;
}

const bullet = (q: AnsweredQuestion) => `• ${esc(truncate(q.text, 600))} _(${esc(askedStepName(q))})_`;

/** How many questions' evidence the summary shows before View answers takes over. */
const SUMMARY_EVIDENCE_QUESTIONS = 3;

/**
 * The evidence in a summary, collapsed when long: the first few questions' evidence, each piece cut short,
 * and a line saying how much more View answers shows.
 */
function evidenceSummary(result: SummaryView, whose: string): Block[] {
  const { checkin } = result;
  const self = whose === 'Your';
  const withEvidence = checkin.questions.filter(
    (q) => evidenceAt(checkin, q.position).length > 0 || logFor(result, q) !== undefined,
  );
  if (withEvidence.length === 0) return [];
  const shown = withEvidence.slice(0, SUMMARY_EVIDENCE_QUESTIONS);
  let cut = withEvidence.length > shown.length;
  const lines = shown.map((q) => {
    const evidence = evidenceAt(checkin, q.position);
    const log = logFor(result, q);
    if (evidence.some((e) => e.length > EVIDENCE_SHORT)) cut = true;
    if (log?.entries.some((e) => e.text.length > EVIDENCE_SHORT)) cut = true;
    const answer = q.rating ? ` · *${RATING_LABELS[q.rating]}*` : '';
    const parts = [`• ${esc(truncate(q.text, 200))}${answer}`];
    if (evidence.length > 0) parts.push(quoted(evidence, EVIDENCE_SHORT));
    if (log) parts.push(logHeading(self, log), ...logLines(log, checkin.userId, EVIDENCE_SHORT, self));
    return parts.join('\n');
  });
  const blocks = sections(`${whose} evidence`, lines);
  if (cut) {
    const more = withEvidence.length - shown.length;
    blocks.push(
      context(
        `${more > 0 ? `${more} more answer${more === 1 ? '' : 's'} with evidence, and every` : 'Every'} piece in full: *View answers*.`,
      ),
    );
  }
  return blocks;
}

/** What the check-in showed of the log for a question, if anything. */
function logFor(result: SummaryView, q: Pick<Question, 'expectationId'>): ShownEvidence | undefined {
  return result.log?.find((l) => l.expectationId === q.expectationId && l.entries.length > 0);
}

/** Above the log's entries under an answer: whose log, for the person or for the manager it was shared with. */
const logHeading = (self: boolean, log: ShownEvidence) =>
  `_From ${self ? 'your' : 'their'} evidence log${log.since ? ' since the check-in before' : ''}:_`;

/** The summary body, shared by the teammate's and the manager's messages. */
export function summaryBlocks(result: SummaryView, whose = 'Your'): Block[] {
  const { checkin, summary } = result;
  const reader: Whose = whose === 'Your' ? 'your' : 'their';
  const blocks: Block[] = [
    ...sections(
      undefined,
      summary.levels.map((l) => countsLine(l, reader)),
    ),
  ];
  const target = summary.levels.find((l) => l.levelId === summary.targetLevelId);
  if (target) {
    blocks.push(
      section(
        summary.readiness === null
          ? `*Readiness for ${esc(askedStepName(target))}:* not measured (every expectation was skipped).`
          : `*Readiness for ${esc(askedStepName(target))}:* ${summary.readiness}%`,
      ),
    );
    if (summary.readiness !== null) blocks.push(context(readinessMadeOf(target)));
  }
  if (summary.strongest.length > 0) blocks.push(...sections('Strongest', summary.strongest.map(bullet)));
  if (summary.focus.length > 0) blocks.push(...sections('Focus on next', summary.focus.map(bullet)));
  blocks.push(...evidenceSummary(result, whose));
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

/** "Shared with @maya on 4 December 2026": what the Share button becomes. */
export function sharedLine(checkin: Pick<CheckinRecord, 'sharedWith' | 'sharedAt'>): string | undefined {
  if (!checkin.sharedWith) return undefined;
  return `:handshake: Shared with <@${checkin.sharedWith}>${checkin.sharedAt ? ` on ${longDate(checkin.sharedAt)}` : ''}.`;
}

/**
 * The level a summary offers to look at (View Level N): the one the check-in measured readiness for, else the
 * person's own. Undefined when the framework file no longer has it.
 */
function levelToView(catalog: Catalog | undefined, checkin: CheckinRecord) {
  const framework = catalog?.get(checkin.frameworkId);
  const level = framework ? catalog?.levelById(framework, checkin.targetLevelId ?? checkin.levelId) : undefined;
  return framework && level ? { framework, level } : undefined;
}

/**
 * The teammate's summary. Its buttons follow what was done: Share becomes "Shared with @maya on …"; View
 * answers shows every answer with its evidence; View Level N and Done end it (`done`: they are gone).
 */
export function summaryMessage(result: SummaryView, catalog?: Catalog, done = false): Message {
  const id = String(result.checkin.id);
  const shared = sharedLine(result.checkin);
  const buttons = [
    ...(shared ? [] : [button('Share with my manager', CHECKIN_ACTION.share, id, 'primary')]),
    button('View answers', CHECKIN_ACTION.answers, id),
  ];
  const next = done ? undefined : levelToView(catalog, result.checkin);
  if (next)
    buttons.push(
      button(
        `View ${areasForPeople(nameIn(next.framework.levels, next.level))}`,
        CHECKIN_ACTION.level,
        `${next.framework.id}/${next.level.id}`,
      ),
    );
  if (!done) buttons.push(button('Done', CHECKIN_ACTION.done, id));
  // Said before Share is pressed: what sharing shows of the log, and that it shows nothing else of it.
  const disclosure = !shared && result.log?.some((l) => l.entries.length > 0) ? [context(SHARE_LOG_LINE)] : [];
  return {
    text: 'Your check-in summary',
    blocks: [
      header('Your check-in summary'),
      ...summaryBlocks(result),
      context(READINESS_NOTE),
      ...(shared ? [context(shared)] : disclosure),
      ...actions(buttons),
    ],
  };
}

/** Under a summary that shows evidence from the log, before it is shared. */
export const SHARE_LOG_LINE =
  ':lock: *Share with my manager* shows them your answers with the evidence above from your log, and nothing else of your log.';

/** Share, pressed on a summary already shared with this manager (an old copy, another device). */
export function alreadySharedReply(managerId: string): Message {
  const text = `Already shared with <@${managerId}>.`;
  return { text, blocks: [section(text)] };
}

export function noManagerReply(): Message {
  const text =
    "There's no manager on your record to share with. Your manager or a Ripple admin can add one with `/career set`.";
  return { text, blocks: [section(text)] };
}

/** True once the manager has added their ratings. */
const isRated = (checkin: SummaryView['checkin']) => checkin.managerRatings.some((r) => r !== undefined);

/**
 * What the manager gets in their DM when a teammate shares: the summary with its evidence, View answers (every
 * answer and all its evidence) and Add my ratings, which becomes "Rated" once they have.
 */
export function sharedWithManagerMessage(result: SummaryView): Message {
  const who = `<@${result.checkin.userId}>`;
  const id = String(result.checkin.id);
  const rated = isRated(result.checkin);
  return {
    text: `${who} shared a check-in with you`,
    blocks: [
      section(`${who} shared their check-in with you.`),
      ...summaryBlocks(result, 'Their'),
      ...(rated ? [context(':white_check_mark: *Rated*: they see your ratings beside theirs.')] : []),
      ...actions([
        ...(rated ? [] : [button('Add my ratings', CHECKIN_ACTION.review, id, 'primary')]),
        button('View answers', CHECKIN_ACTION.answers, id),
      ]),
    ],
  };
}

/** Where the manager's shared message is, so saving the ratings can turn its button into "Rated". */
export interface MessageRef {
  ch: string;
  ts: string;
}

/**
 * The manager's modal: the same expectations, the same four answers, each select under the report's own answer
 * and evidence; an optional note for the report at the end.
 */
export function ratingsModal(result: SummaryView, from?: MessageRef): types.ModalView {
  const { checkin } = result;
  // A context and an input per question, the intro and the note: within the modal's 100 blocks.
  const questions = checkin.questions.slice(0, Math.floor((LIMITS.modalBlocks - 2) / 2));
  const options = RATING_ORDER.map((r) => ({
    text: { type: 'plain_text' as const, text: RATING_LABELS[r] },
    value: r,
  }));
  const who = `<@${checkin.userId}>`;
  return modal({
    callbackId: CHECKIN_VIEW.ratings,
    metadata: JSON.stringify(from ? { c: checkin.id, ...from } : { c: checkin.id }),
    title: 'Your ratings',
    submit: 'Save ratings',
    close: 'Cancel',
    blocks: [
      context(`Rate ${who} on the same expectations. Leave one empty to skip it.`),
      ...questions.flatMap((q): Block[] => {
        const evidence = evidenceAt(checkin, q.position);
        const log = logFor(result, q);
        const lines = [`${who}: *${q.rating ? RATING_LABELS[q.rating] : '—'}*`];
        if (evidence.length > 0) lines.push(quoted(evidence, 600));
        if (log) lines.push(logHeading(false, log), ...logLines(log, checkin.userId, 300, false));
        return [
          context(truncate(lines.join('\n'), LIMITS.sectionText)),
          {
            type: 'input',
            block_id: `q${q.position}`,
            optional: true,
            label: {
              type: 'plain_text',
              text: truncate(`${q.position + 1}. ${askedStepName(q)}: ${q.text}`, LIMITS.inputLabel),
            },
            element: { type: 'static_select', action_id: `rating-${q.position}`, options },
          },
        ];
      }),
      {
        type: 'input',
        block_id: NOTE_INPUT.block,
        optional: true,
        label: { type: 'plain_text', text: `A note for them (optional)` },
        hint: { type: 'plain_text', text: 'Sent with your ratings, side by side with theirs.' },
        element: {
          type: 'plain_text_input',
          action_id: NOTE_INPUT.action,
          multiline: true,
          max_length: LIMITS.plainTextInputMaxLength,
        },
      },
    ],
  });
}

/** Questions where both rated and the answers differ. */
function differing(checkin: SummaryView['checkin']): number {
  return checkin.questions.filter((q, i) => {
    const theirs = checkin.managerRatings[i];
    return theirs !== undefined && q.rating !== undefined && theirs !== q.rating;
  }).length;
}

/** Both ratings, one line per expectation; a difference is marked. `self`/`manager` name the two columns. */
function sideBySide(checkin: SummaryView['checkin'], names: { self: string; manager: string }): string[] {
  return checkin.questions.map((q, i) => {
    const mine = q.rating ? RATING_LABELS[q.rating] : '—';
    const theirs = checkin.managerRatings[i];
    const differs = theirs !== undefined && q.rating !== undefined && theirs !== q.rating;
    return `${differs ? ':large_orange_diamond:' : '•'} ${esc(truncate(q.text, 500))}\n   ${names.self}: *${mine}* · ${names.manager}: *${theirs ? RATING_LABELS[theirs] : '—'}*`;
  });
}

const agreement = (n: number) =>
  n === 0 ? 'You agree on everything rated.' : `:large_orange_diamond: ${n} differ: good topics for your next 1:1.`;

/** Both ratings side by side, for the teammate; the manager's note, when they wrote one, first. */
export function comparisonMessage(result: SummaryView, managerId: string, note?: string): Message {
  const { checkin } = result;
  const blocks: Block[] = [
    section(`<@${managerId}> added their ratings to your check-in. ${agreement(differing(checkin))}`),
  ];
  if (note)
    blocks.push(
      section(truncate(`*A note from <@${managerId}>:*\n>${esc(note).replace(/\n/g, '\n>')}`, LIMITS.sectionText)),
    );
  blocks.push(...sections(undefined, sideBySide(checkin, { self: 'You', manager: `<@${managerId}>` })));
  return {
    text: `<@${managerId}> added their ratings to your check-in`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

/** The same side by side, for the manager who just rated. */
export function managerComparisonMessage(result: SummaryView): Message {
  const { checkin } = result;
  const who = `<@${checkin.userId}>`;
  const text = `Saved. ${who} now sees your ratings beside theirs.`;
  return {
    text,
    blocks: [
      section(`${text} ${agreement(differing(checkin))}`),
      ...sections(undefined, sideBySide(checkin, { self: who, manager: 'You' })),
    ].slice(0, LIMITS.messageBlocks),
  };
}

/**
 * View answers: every answer of a finished check-in with all its evidence (and the manager's rating, once
 * given), for the person or the manager it was shared with. A section per question, within the modal's 100
 * blocks and each section's 3,000 characters.
 */
export function answersModal(result: SummaryView, viewerId: string): types.ModalView {
  const { checkin, summary } = result;
  const self = viewerId === checkin.userId;
  const who = self ? 'You' : `<@${checkin.userId}>`;
  const manager = checkin.sharedWith ? (checkin.sharedWith === viewerId ? 'You' : `<@${checkin.sharedWith}>`) : '';
  const target = summary.levels.find((l) => l.levelId === summary.targetLevelId);
  const intro = [
    `${self ? 'Your' : `<@${checkin.userId}>’s`} check-in of ${longDate(checkin.finishedAt ?? checkin.startedAt)}`,
    ...(target && summary.readiness !== null ? [`Readiness for ${askedStepName(target)}: ${summary.readiness}%`] : []),
  ].join(' · ');
  const perQuestion = checkin.questions.slice(0, LIMITS.modalBlocks - 2).map((q) => {
    const theirs = checkin.managerRatings[q.position];
    const answer = `${who}: *${q.rating ? RATING_LABELS[q.rating] : '—'}*${theirs ? ` · ${manager}: *${RATING_LABELS[theirs]}*` : ''}`;
    const head = `*${q.position + 1}. ${esc(askedStepName(q))}:* ${esc(truncate(q.text, 600))}\n${answer}`;
    const evidence = evidenceAt(checkin, q.position);
    const log = logFor(result, q);
    const pieces = evidence.length + (log?.entries.length ?? 0);
    // Every piece shares what is left of the section.
    const room = Math.max(100, Math.floor((LIMITS.sectionText - head.length - 120) / Math.max(1, pieces)) - 25);
    const lines = [head];
    if (evidence.length > 0) lines.push(quoted(evidence, room));
    if (log) lines.push(logHeading(self, log), ...logLines(log, checkin.userId, room, self));
    return section(truncate(lines.join('\n'), LIMITS.sectionText));
  });
  return modal({
    callbackId: CHECKIN_VIEW.answers,
    title: 'Check-in answers',
    close: 'Close',
    blocks: [context(intro), ...perQuestion],
  });
}

/** View Level N pressed after the framework file dropped that level. */
export function levelGoneMessage(): Message {
  const text =
    'That level is no longer in the framework: it was renamed or removed since this summary was sent. `/career titles` lists the levels now.';
  return { text, blocks: [section(text)] };
}

/** View check-in on a report's row when they have shared none with the caller. */
export function noSharedCheckinModal(reportId: string): types.ModalView {
  return modal({
    callbackId: CHECKIN_VIEW.answers,
    title: 'Check-in answers',
    close: 'Close',
    blocks: [
      section(
        `<@${reportId}> has not shared a check-in with you yet. Check-ins are private until the person shares one; the latest one they share shows here.`,
      ),
    ],
  });
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
    const readiness =
      e.readiness === null || !e.target
        ? 'readiness —'
        : `readiness ${e.readiness}% (${e.target.consistently} Consistently, ${e.target.sometimes} Sometimes, ${e.target.notYet} Not yet)`;
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
