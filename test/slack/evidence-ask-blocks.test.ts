import { describe, expect, it } from 'vitest';
import {
  alreadyAskedReply,
  alreadySettledReply,
  answerBackMessage,
  answerModal,
  answerSentMessage,
  askButton,
  askClosedReply,
  askedReply,
  askModal,
  askNoMatchReply,
  askNoRecordReply,
  askNotYoursReply,
  askSeveralReply,
  asksMessage,
  askUnknownExpectationReply,
  declinedMessage,
  discardedMessage,
  keptMessage,
  parseAskId,
  parseAskTarget,
  requestMessage,
} from '../../src/slack/blocks/evidence-ask.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/** The exact words of "Ask for an example" (issue 17), pinned once here; the end-to-end tests assert key facts. */

const EVIL = '<!channel> & <@U0EVIL0001>';
const CHOICE = {
  levelId: 'level-3',
  expectationId: 'ideas-into-shipped-projects',
  text: 'Translate ideas into projects.',
};
const REQUEST = { askId: 42, askerId: 'U0BEN00001', expectation: 'Translate ideas into projects.', context: null };

describe('ask for an example: wording', () => {
  it('the ask form names the expectation in words, asks who and offers a line of context', () => {
    const view = askModal(CHOICE);
    expect(view.title).toEqual({ type: 'plain_text', text: 'Ask for an example' });
    expect(view.private_metadata).toBe('{"l":"level-3","e":"ideas-into-shipped-projects"}');
    expect([view.submit?.text, view.close?.text]).toEqual(['Ask', 'Cancel']);
    expect(visibleText(view).split('\n')).toEqual([
      'Ask a colleague for one sentence showing how you:',
      '>Translate ideas into projects.',
      'Who saw it?',
      'A line of context for them',
      'They see your name and this expectation, nothing else: not your level, your record or your other evidence. What they send comes to you, and you decide whether to keep it.',
    ]);
    expect(JSON.stringify(view)).toContain('"type":"users_select"');
    expectWithinSlackLimits([view]);
  });

  it('the button carries <levelId>:<expectationId>, and only that parses', () => {
    expect(askButton(CHOICE)).toMatchObject({
      action_id: 'evidence_ask_open',
      value: 'level-3:ideas-into-shipped-projects',
      text: { text: 'Ask for an example' },
    });
    expect(parseAskTarget('level-3:ideas-into-shipped-projects')).toEqual({
      levelId: 'level-3',
      expectationId: 'ideas-into-shipped-projects',
    });
    for (const bad of [undefined, '', 'level-3', 'a:b:c', 'Level-3:x', 'level 3:x'])
      expect(parseAskTarget(bad)).toBeUndefined();
    expect(parseAskId('42')).toBe(42);
    for (const bad of [undefined, '', '-1', '4.2', 'x', '1'.repeat(16)]) expect(parseAskId(bad)).toBeUndefined();
  });

  it("the colleague's DM: who asked, the one expectation, their context escaped, and two buttons", () => {
    const message = requestMessage({ ...REQUEST, context: EVIL });
    expect(message.text).toBe('<@U0BEN00001> asked you for an example');
    expect(visibleText(message).split('\n')).toEqual([
      '<@U0BEN00001> is gathering examples of their work and asked you for one, about:',
      '>Translate ideas into projects.',
      '<@U0BEN00001> adds: “<!channel> & <@U0EVIL0001>”',
      'A sentence or two about something you saw them do is plenty. Only <@U0BEN00001> sees it, and they decide whether to keep it. *Not this time* closes it and they are not told.',
      'Write an example',
      'Not this time',
    ]);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(buttonsOf(message)).toEqual([
      { text: 'Write an example', actionId: 'evidence_ask_answer', value: '42', blockId: undefined },
      { text: 'Not this time', actionId: 'evidence_ask_decline', value: '42', blockId: undefined },
    ]);
    expectWithinSlackLimits([message]);
  });

  it("the colleague's answer form, and what their DM becomes", () => {
    const view = answerModal(REQUEST, { channel: 'D0CHEN0001', ts: '1.000100' });
    expect(view.private_metadata).toBe('{"a":42,"ch":"D0CHEN0001","ts":"1.000100"}');
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual(['Write an example', 'Send', 'Cancel']);
    expect(visibleText(view).split('\n')).toEqual([
      'For <@U0BEN00001>, an example of:',
      '>Translate ideas into projects.',
      'What did you see them do?',
      'Only <@U0BEN00001> sees this, and they decide whether to keep it.',
    ]);
    expect(visibleText(answerSentMessage('U0BEN00001'))).toBe('You sent <@U0BEN00001> an example. Thank you!');
    expect(visibleText(declinedMessage('U0BEN00001'))).toBe('No example sent. <@U0BEN00001> is not told.');
    expectWithinSlackLimits([view]);
  });

  it('the answer back to the person: the sentence escaped, Keep it and Don’t keep', () => {
    const message = answerBackMessage(42, 'U0CHEN0001', 'Translate ideas into projects.', EVIL);
    expect(visibleText(message).split('\n')).toEqual([
      '<@U0CHEN0001> sent you an example of:',
      '>Translate ideas into projects.',
      '“<!channel> & <@U0EVIL0001>”',
      'It is yours: keep it in your evidence, or not. <@U0CHEN0001> is not told which.',
      'Keep it',
      'Don’t keep',
    ]);
    expect(JSON.stringify(message)).not.toContain('<@U0EVIL0001>');
    expect(buttonsOf(message).map((b) => [b.actionId, b.value])).toEqual([
      ['evidence_ask_keep', '42'],
      ['evidence_ask_discard', '42'],
    ]);
    expect(visibleText(keptMessage('U0CHEN0001', 'Translate ideas.', 'Shipped it.'))).toBe(
      '*Kept in your evidence* for “Translate ideas.”:\n“Shipped it.” (<@U0CHEN0001>)',
    );
    expect(visibleText(discardedMessage('Translate ideas.'))).toBe(
      'Not kept: the example for “Translate ideas.” is gone from Ripple.',
    );
  });

  it('replies to the person and to clicks that change nothing', () => {
    expect(visibleText(askedReply('U0CHEN0001', 'Translate ideas.')).split('\n')).toEqual([
      'Asked <@U0CHEN0001> for an example of:',
      '>Translate ideas.',
      'When they answer, it comes to your DM with Ripple, to keep or not.',
      'They saw your name and this expectation only. An ask nobody answers closes after 14 days; `/career asks` lists yours.',
    ]);
    expect(visibleText(alreadyAskedReply('U0CHEN0001', 'Translate ideas.'))).toBe(
      'You already asked <@U0CHEN0001> about this: “Translate ideas.”. Nothing new was sent; you can ask again once that ask has closed (see `/career asks`).',
    );
    expect(visibleText(askClosedReply())).toBe(
      'This ask is no longer open: it was answered, declined, or is more than 14 days old. Nothing was changed.',
    );
    expect(visibleText(askNotYoursReply())).toBe('That ask is not open to you: nothing was changed.');
    expect(visibleText(askUnknownExpectationReply())).toBe(
      'That expectation is not in your framework any more: nothing was sent.',
    );
    expect(visibleText(askNoRecordReply())).toBe(
      'You need a career record before you can ask for examples: your manager or a Ripple admin can set it up.',
    );
    expect(visibleText(alreadySettledReply('kept'))).toBe('Already kept in your evidence: nothing was changed.');
    expect(visibleText(alreadySettledReply('not-kept'))).toBe(
      'You already chose not to keep this example: it is gone from Ripple.',
    );
    expect(visibleText(alreadySettledReply('no-example'))).toBe('This ask has closed: nothing was changed.');
  });

  it('none or several matching: the expectations to choose from, with their ids', () => {
    const two = [CHOICE, { levelId: 'level-2', expectationId: 'ship-regularly', text: 'Ship regularly.' }];
    expect(visibleText(askNoMatchReply('juggling', two)).split('\n')).toEqual([
      'No expectation of your current or next level matches “juggling”. Say a few of its words or its id, e.g. `/career ask @chen ideas-into-shipped-projects`. The ones you can ask about:',
      '• Translate ideas into projects. (`ideas-into-shipped-projects`)',
      '• Ship regularly. (`ship-regularly`)',
    ]);
    expect(visibleText(askSeveralReply('ship', two)).split('\n')[0]).toBe(
      '“ship” matches 2 expectations: say which with more of its words, or its id:',
    );
  });

  it('the list of asks: declined and unanswered read alike, without the colleague', () => {
    const at = '2026-12-04T10:00:00.000Z';
    const line = { expectation: 'Ship regularly.', createdAt: at };
    const message = asksMessage([
      { ...line, askId: 1, colleagueId: 'U0CHEN0001', seenAs: 'waiting' },
      { ...line, askId: 2, colleagueId: 'U0CHEN0001', seenAs: 'answered' },
      { ...line, askId: 3, colleagueId: 'U0CHEN0001', seenAs: 'kept' },
      { ...line, askId: 4, colleagueId: 'U0CHEN0001', seenAs: 'not-kept' },
      { ...line, askId: 5, colleagueId: null, seenAs: 'no-example' },
    ]);
    expect(visibleText(message).split('\n')).toEqual([
      '*Your asks for examples*',
      '• “Ship regularly.” · 4 December 2026 · asked <@U0CHEN0001>, waiting for an answer',
      '• “Ship regularly.” · 4 December 2026 · <@U0CHEN0001> answered: keep it or not from your DM',
      '• “Ship regularly.” · 4 December 2026 · <@U0CHEN0001> answered: kept in your evidence',
      '• “Ship regularly.” · 4 December 2026 · <@U0CHEN0001> answered: not kept',
      '• “Ship regularly.” · 4 December 2026 · no example came back',
      'An ask closes after 14 days without an answer; a declined ask looks the same (“no example came back”), so nobody is told who declined. Closed asks are deleted 30 days after they close.',
    ]);
    expect(visibleText(asksMessage([]))).toBe(
      'You have not asked anyone for an example yet. Try `/career ask @person <expectation words>`.',
    );
  });
});
