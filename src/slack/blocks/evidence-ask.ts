import type { types } from '@slack/bolt';
import { formatLongDate, utcDateOf } from '../../career/dates.js';
import { ASK_ANSWER_MAX, ASK_CONTEXT_MAX, ASK_OPEN_DAYS } from '../../evidence/ask-model.js';
import type { AskChoice } from '../../evidence/ask-rules.js';
import type { AskLine, AskRequestView } from '../../evidence/asks.js';
import { idValue } from '../button-value.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc, truncate } from '../mrkdwn.js';
import { actions, type Block, button, context, type Message, modal, section, sections } from './kit.js';

/**
 * "Ask for an example" (issue 17), in words: the ask form, the colleague's DM and answer form, the answer back to the
 * person with Keep it / Don't keep, and the person's list of asks. Pure; the exact words are pinned in
 * test/slack/evidence-ask-blocks.test.ts.
 */

/**
 * `evidence_ask_open` is the contract with the other parts of issue 17 (value `<levelId>:<expectationId>`): the button
 * under a gap in `/career evidence` and under a check-in question.
 */
export const ASK_ACTION = {
  open: 'evidence_ask_open',
  answer: 'evidence_ask_answer',
  decline: 'evidence_ask_decline',
  keep: 'evidence_ask_keep',
  discard: 'evidence_ask_discard',
} as const;

export const ASK_VIEW = { ask: 'evidence_ask', answer: 'evidence_ask_answer' } as const;

export const ASK_INPUT = {
  colleague: { block: 'ask_colleague', action: 'user' },
  context: { block: 'ask_context', action: 'text' },
  answer: { block: 'ask_answer', action: 'text' },
} as const;

/** The "Ask for an example" button for one expectation (for the parts that show expectations). */
export function askButton(target: { levelId: string; expectationId: string }): types.Button {
  return button('Ask for an example', ASK_ACTION.open, `${target.levelId}:${target.expectationId}`);
}

/** `<levelId>:<expectationId>`, both framework slugs; undefined for anything else. */
export function parseAskTarget(value: string | undefined): { levelId: string; expectationId: string } | undefined {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*):([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(value ?? '');
  return m ? { levelId: m[1] as string, expectationId: m[2] as string } : undefined;
}

/** An ask's id, as its buttons carry it. */
export function parseAskId(value: string | undefined): number | undefined {
  return idValue(value, 15);
}

const quote = (text: string) => `>${esc(text).replace(/\n/g, '\n>')}`;
const PRIVACY =
  'They see your name and this expectation, nothing else: not your level, your record or your other evidence. What they send comes to you, and you decide whether to keep it.';

/** The ask form: the expectation in words (never the level), who to ask, and an optional line of context. */
export function askModal(choice: AskChoice): types.ModalView {
  return modal({
    callbackId: ASK_VIEW.ask,
    metadata: JSON.stringify({ l: choice.levelId, e: choice.expectationId }),
    title: 'Ask for an example',
    submit: 'Ask',
    close: 'Cancel',
    blocks: [
      section(truncate(`Ask a colleague for one sentence showing how you:\n${quote(choice.text)}`, LIMITS.sectionText)),
      {
        type: 'input',
        block_id: ASK_INPUT.colleague.block,
        label: { type: 'plain_text', text: 'Who saw it?' },
        element: {
          type: 'users_select',
          action_id: ASK_INPUT.colleague.action,
          placeholder: { type: 'plain_text', text: 'A colleague' },
        },
      },
      {
        type: 'input',
        block_id: ASK_INPUT.context.block,
        optional: true,
        label: { type: 'plain_text', text: 'A line of context for them' },
        element: {
          type: 'plain_text_input',
          action_id: ASK_INPUT.context.action,
          max_length: ASK_CONTEXT_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. the spring launch we worked on together' },
        },
      },
      context(PRIVACY),
    ],
  });
}

/** Said in the form (or to the command) when the person picked themselves. */
export const ASK_SELF = 'Pick someone else: an example of your work comes from a colleague who saw it.';
/** Said in the form when the person picked a bot or an app. */
export const ASK_BOT = 'That is a bot or an app: pick a person.';
/** Said in the form when the person picked someone deactivated or unknown to Slack. */
export const ASK_NOBODY = 'Slack does not know that person (or their account is deactivated): pick someone else.';

const line = (m: string): Message => ({ text: m, blocks: [section(m)] });

export function askedReply(colleagueId: string, expectation: string): Message {
  return {
    text: `Asked <@${colleagueId}> for an example`,
    blocks: [
      section(
        `Asked <@${colleagueId}> for an example of:\n${quote(truncate(expectation, 600))}\nWhen they answer, it comes to your DM with Ripple, to keep or not.`,
      ),
      context(
        `They saw your name and this expectation only. An ask nobody answers closes after ${ASK_OPEN_DAYS} days; \`/career asks\` lists yours.`,
      ),
    ],
  };
}

export function alreadyAskedReply(colleagueId: string, expectation: string): Message {
  return line(
    `You already asked <@${colleagueId}> about this: “${esc(truncate(expectation, 600))}”. Nothing new was sent; you can ask again once that ask has closed (see \`/career asks\`).`,
  );
}

export const askNoRecordReply = (): Message =>
  line('You need a career record before you can ask for examples: your manager or a Ripple admin can set it up.');

export const askUnknownExpectationReply = (): Message =>
  line('That expectation is not in your framework any more: nothing was sent.');

const choiceLine = (c: AskChoice) => `• ${esc(truncate(c.text, 300))} (\`${c.expectationId}\`)`;

export function askNoMatchReply(words: string, choices: readonly AskChoice[]): Message {
  const head = `No expectation of your current or next level matches “${esc(truncate(words, 100))}”. Say a few of its words or its id, e.g. \`/career ask @chen ${choices[0]?.expectationId ?? 'ship-regularly'}\`. The ones you can ask about:`;
  return { text: 'No expectation matches', blocks: sections(undefined, [head, ...choices.map(choiceLine)]) };
}

export function askSeveralReply(words: string, choices: readonly AskChoice[]): Message {
  const head = `“${esc(truncate(words, 100))}” matches ${choices.length} expectations: say which with more of its words, or its id:`;
  return { text: 'Several expectations match', blocks: sections(undefined, [head, ...choices.map(choiceLine)]) };
}

/** The colleague's DM: who asked and the one expectation, in words; Write an example or Not this time. */
export function requestMessage(view: AskRequestView): Message {
  const blocks: Block[] = [
    section(
      `<@${view.askerId}> is gathering examples of their work and asked you for one, about:\n${quote(truncate(view.expectation, 600))}`,
    ),
  ];
  if (view.context) blocks.push(context(`<@${view.askerId}> adds: “${esc(view.context)}”`));
  blocks.push(
    section(
      `A sentence or two about something you saw them do is plenty. Only <@${view.askerId}> sees it, and they decide whether to keep it. *Not this time* closes it and they are not told.`,
    ),
    ...actions([
      button('Write an example', ASK_ACTION.answer, String(view.askId), 'primary'),
      button('Not this time', ASK_ACTION.decline, String(view.askId)),
    ]),
  );
  return { text: `<@${view.askerId}> asked you for an example`, blocks };
}

/** Where the answer form came from: the colleague's DM, updated once they send. */
export interface AskOrigin {
  channel?: string;
  ts?: string;
}

/** The colleague's answer form. */
export function answerModal(view: AskRequestView, origin: AskOrigin): types.ModalView {
  return modal({
    callbackId: ASK_VIEW.answer,
    metadata: JSON.stringify({
      a: view.askId,
      ...(origin.channel && origin.ts ? { ch: origin.channel, ts: origin.ts } : {}),
    }),
    title: 'Write an example',
    submit: 'Send',
    close: 'Cancel',
    blocks: [
      section(truncate(`For <@${view.askerId}>, an example of:\n${quote(view.expectation)}`, LIMITS.sectionText)),
      {
        type: 'input',
        block_id: ASK_INPUT.answer.block,
        label: { type: 'plain_text', text: 'What did you see them do?' },
        element: {
          type: 'plain_text_input',
          action_id: ASK_INPUT.answer.action,
          multiline: true,
          max_length: ASK_ANSWER_MAX,
          placeholder: { type: 'plain_text', text: 'A moment, a result, what it changed…' },
        },
      },
      context(`Only <@${view.askerId}> sees this, and they decide whether to keep it.`),
    ],
  });
}

/** The colleague's DM once they sent an example, in place of its buttons. */
export const answerSentMessage = (askerId: string): Message => line(`You sent <@${askerId}> an example. Thank you!`);

/** The colleague's DM once they said Not this time. */
export const declinedMessage = (askerId: string): Message => line(`No example sent. <@${askerId}> is not told.`);

/** A colleague's click on an ask no longer waiting for them. */
export const askClosedReply = (): Message =>
  line('This ask is no longer open: it was answered, declined, or is more than 14 days old. Nothing was changed.');

/** A click on an ask that is not the clicker's (a forged or mistaken id). */
export const askNotYoursReply = (): Message => line('That ask is not open to you: nothing was changed.');

/** The answer, back to the person: theirs to keep or not. */
export function answerBackMessage(askId: number, colleagueId: string, expectation: string, answer: string): Message {
  return {
    text: `<@${colleagueId}> sent you an example`,
    blocks: [
      section(`<@${colleagueId}> sent you an example of:\n${quote(truncate(expectation, 600))}`),
      section(truncate(`“${esc(answer)}”`, LIMITS.sectionText)),
      context(`It is yours: keep it in your evidence, or not. <@${colleagueId}> is not told which.`),
      ...actions([
        button('Keep it', ASK_ACTION.keep, String(askId), 'primary'),
        button('Don’t keep', ASK_ACTION.discard, String(askId)),
      ]),
    ],
  };
}

/** In place of Keep it / Don't keep, once kept. */
export function keptMessage(colleagueId: string, expectation: string, answer: string): Message {
  return {
    text: 'Kept in your evidence',
    blocks: [
      section(
        truncate(
          `*Kept in your evidence* for “${esc(truncate(expectation, 300))}”:\n“${esc(answer)}” (<@${colleagueId}>)`,
          LIMITS.sectionText,
        ),
      ),
    ],
  };
}

/** In place of Keep it / Don't keep, once let go. */
export const discardedMessage = (expectation: string): Message =>
  line(`Not kept: the example for “${esc(truncate(expectation, 300))}” is gone from Ripple.`);

/** A second press of Keep it or Don't keep (or one after the answer closed by itself). */
export function alreadySettledReply(seenAs: string): Message {
  if (seenAs === 'kept') return line('Already kept in your evidence: nothing was changed.');
  if (seenAs === 'not-kept') return line('You already chose not to keep this example: it is gone from Ripple.');
  return line('This ask has closed: nothing was changed.');
}

const SEEN_AS: Record<AskLine['seenAs'], (l: AskLine) => string> = {
  waiting: (l) => `asked <@${l.colleagueId}>, waiting for an answer`,
  answered: (l) => `<@${l.colleagueId}> answered: keep it or not from your DM`,
  kept: (l) => `<@${l.colleagueId}> answered: kept in your evidence`,
  'not-kept': (l) => `<@${l.colleagueId}> answered: not kept`,
  'no-example': () => 'no example came back',
};

/** `/career asks`: the person's asks, newest first. */
export function asksMessage(lines: readonly AskLine[]): Message {
  if (lines.length === 0)
    return line('You have not asked anyone for an example yet. Try `/career ask @person <expectation words>`.');
  const bullets = lines.map(
    (l) =>
      `• “${esc(truncate(l.expectation, 200))}” · ${formatLongDate(utcDateOf(l.createdAt))} · ${SEEN_AS[l.seenAs](l)}`,
  );
  return {
    text: 'Your asks for examples',
    blocks: [
      ...sections('Your asks for examples', bullets),
      context(
        `An ask closes after ${ASK_OPEN_DAYS} days without an answer; a declined ask looks the same (“no example came back”), so nobody is told who declined. Closed asks are deleted 30 days after they close.`,
      ),
    ],
  };
}
