import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { summarize } from '../../src/checkins/summary.js';
import {
  answeredMessage,
  answersModal,
  changeQuestionMessage,
  changeRefusedMessage,
  comparisonMessage,
  continuingMessage,
  evidenceAck,
  evidenceModal,
  evidenceNotSavedMessage,
  fileEvidenceLine,
  historyMessage,
  managerComparisonMessage,
  movedOnMessage,
  noSharedCheckinModal,
  openExistsMessage,
  PRIVACY_LINE,
  pausedMessage,
  questionMessage,
  ratingsModal,
  readinessMadeOf,
  sharedLine,
  sharedWithManagerMessage,
  summaryMessage,
  whichAnswerMessage,
} from '../../src/slack/blocks/checkins.js';
import { notSavedMessage } from '../../src/slack/blocks/errors.js';
import { checkMessage, checkView } from '../../src/slack/limits.js';
import type { CheckinDetail } from '../../src/store/checkins.js';
import { buttonsOf, visibleText } from '../support/blocks.js';

// A level with 40 expectations of 500 characters each, asked together with the next one: 80 questions.
const LONG = `${'Own the outcome & <keep> the *team* moving; '.repeat(12)}`.slice(0, 500);
const RATINGS: Rating[] = ['not-yet', 'sometimes', 'consistently', 'skip'];
const questions = [2, 3].flatMap((n, l) =>
  Array.from({ length: 40 }, (_, i) => ({
    position: l * 40 + i,
    levelId: `level-${n}`,
    levelNumber: n,
    levelTitle: 'A title that is rather long as titles go / Another one',
    expectationId: `e${i}`,
    text: LONG,
    rating: RATINGS[i % 4] as Rating,
  })),
);
const detail: CheckinDetail = {
  id: 12,
  teamId: 'T0TEAM',
  userId: 'U0BEN00001',
  frameworkId: 'marketing',
  levelId: 'level-2',
  targetLevelId: 'level-3',
  status: 'finished',
  version: 81,
  cursor: 80,
  total: 80,
  lastActivityAt: '2026-11-29T15:00:00.000Z',
  startedAt: '2026-11-29T14:00:00.000Z',
  logSince: null,
  finishedAt: '2026-11-29T15:00:00.000Z',
  sharedAt: null,
  sharedWith: null,
  questions,
  managerRatings: questions.map((_, i) => RATINGS[(i + 1) % 4]),
  evidence: [],
};
const result = {
  checkin: detail,
  summary: summarize(questions, 'level-3', { finishedAt: '2026-03-12T10:00:00.000Z', questions }),
};

describe('check-in messages stay within Slack limits with 40 expectations of 500 characters', () => {
  it('a question, with the previous answer', () => {
    const { rating: _r, ...question } = questions[79] as (typeof questions)[number];
    const message = questionMessage({
      checkin: { ...detail, status: 'open', cursor: 79 },
      question,
      previous: { rating: 'sometimes', finishedAt: '2026-03-12T10:00:00.000Z' },
    });
    expect(checkMessage(message)).toEqual([]);
    expect(buttonsOf(message).map((b) => b.text)).toEqual([
      'Not yet',
      'Sometimes',
      'Consistently',
      'Skip',
      'Add evidence',
      'Ask for an example',
      'Finish later',
    ]);
  });

  it('the summary, the comparison and the history', () => {
    expect(checkMessage(summaryMessage(result))).toEqual([]);
    expect(checkMessage(comparisonMessage(result, 'U0MAYA0001'))).toEqual([]);
    const entries = Array.from({ length: 60 }, (_, i) => ({
      id: i,
      finishedAt: '2026-11-29T15:00:00.000Z',
      levels: [
        { levelNumber: 2, levelTitle: 'x' },
        { levelNumber: 3, levelTitle: 'y' },
      ],
      readiness: i,
      shared: i % 2 === 0,
    }));
    expect(checkMessage(historyMessage({ kind: 'history', entries, open: null }))).toEqual([]);
  });

  it('the evidence and ratings modals', () => {
    expect(checkView(evidenceModal(12, 79, questions[79] as (typeof questions)[number]), 'modal')).toEqual([]);
    expect(checkView(ratingsModal(result), 'modal')).toEqual([]);
  });

  it('escapes framework text, so <!channel> can never become a mention', () => {
    const text = JSON.stringify(summaryMessage(result));
    expect(text).not.toContain('<keep>');
    expect(text).toContain('&lt;keep&gt;');
  });
});

describe('what a check-in says when something is not saved or has moved on (exact wording, pinned once)', () => {
  it.each([
    ['busy', 'press', 'Ripple is busy, nothing was saved: press it again in a moment.'],
    ['busy', 'run', 'Ripple is busy, nothing was saved: run the command again in a moment.'],
    [
      'cannot-write',
      'press',
      "Ripple can't save anything right now, so nothing was saved: press it again later, and tell your Ripple admin if it keeps happening.",
    ],
  ] as const)('%s, %s', (reason, again, text) => {
    const message = notSavedMessage(reason, again);
    expect(message.text).toBe(text);
    expect(visibleText(message)).toBe(`:warning: ${text}`);
  });

  it('the evidence form, not saved, gives the text back, escaped and within limits', () => {
    const message = evidenceNotSavedMessage('busy', `<!channel> ${'x'.repeat(3_000)}`);
    expect(message.text).toBe('Ripple is busy, nothing was saved: submit it again in a moment.');
    expect(checkMessage(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt;');
  });

  it('a click on an old question shows the question waiting, with its buttons; with none waiting, says so', () => {
    const { rating: _r, ...question } = questions[1] as (typeof questions)[number];
    const current = { checkin: { ...detail, status: 'open' as const, cursor: 1, version: 3 }, question };
    const moved = movedOnMessage(current);
    expect(checkMessage(moved)).toEqual([]);
    expect(visibleText(moved)).toMatch(/^This check-in has moved on\. The question waiting for you:\n\*Level 2 · /);
    expect(buttonsOf(moved).find((b) => b.text === 'Sometimes')?.value).toBe('12:3');
    expect(movedOnMessage().text).toBe(
      'This check-in has moved on, and no question of it is waiting for you. Start a new one any time with `/career checkin`.',
    );
  });

  it('evidence is acknowledged, saying when it was shortened or only a file was kept', () => {
    const { rating: _r, ...question } = questions[4] as (typeof questions)[number];
    const q = { ...question, text: 'Ships on time' };
    expect(evidenceAck(q).text).toBe(
      ':memo: Noted as evidence for question 5 (“Ships on time”). Also kept in your evidence log; your manager sees it with your answers only if you share.',
    );
    expect(evidenceAck(q, { shortened: true }).text).toBe(
      ':memo: Noted as evidence for question 5 (“Ships on time”). Also kept in your evidence log; your manager sees it with your answers only if you share. It was long, so the first 3,000 characters were kept.',
    );
    expect(evidenceAck(q, { fileOnly: true }).text).toBe(
      ":memo: Noted as evidence for question 5 (“Ships on time”). Also kept in your evidence log; your manager sees it with your answers only if you share. Ripple keeps the file's name and link, not what is in it: send a line about it if you want the evidence to say more.",
    );
    expect(fileEvidenceLine({ name: 'plan.pdf', permalink: 'https://x.slack.com/files/U1/F1/plan.pdf' })).toBe(
      'File: plan.pdf (https://x.slack.com/files/U1/F1/plan.pdf)',
    );
  });

  it('Continue carries the version it was drawn with; pressed, it says where the question is', () => {
    const message = openExistsMessage({ ...detail, status: 'open', cursor: 3, version: 7 });
    expect(buttonsOf(message).find((b) => b.text === 'Continue')?.value).toBe('12:7');
    expect(continuingMessage().text).toBe('Continuing in our DM.');
  });
});

// The same check-in with two pieces of evidence of 3,000 characters under every question, and a note as long.
const HUGE = `${'Shipped <the> launch & *more*; '.repeat(100)}`.slice(0, 3000);
const withEvidence = {
  ...result,
  checkin: {
    ...detail,
    sharedWith: 'U0MAYA0001',
    sharedAt: '2026-11-30T09:00:00.000Z',
    evidence: questions.flatMap((q) => [
      { position: q.position, text: HUGE, addedAt: detail.finishedAt as string },
      { position: q.position, text: HUGE, addedAt: detail.finishedAt as string },
    ]),
  },
};

describe('evidence everywhere, within Slack limits with 80 questions and 6,000 characters of evidence each', () => {
  const { rating: _r, ...question } = questions[79] as (typeof questions)[number];
  it('under the answered question, in the summary, the manager message, the side by side and a note', () => {
    const answered = answeredMessage(question, 80, 'sometimes', [HUGE, HUGE], { checkinId: 12 });
    expect(checkMessage(answered)).toEqual([]);
    expect(buttonsOf(answered).map((b) => b.text)).toEqual(['Change']);
    expect(checkMessage(summaryMessage(withEvidence))).toEqual([]);
    expect(checkMessage(sharedWithManagerMessage(withEvidence))).toEqual([]);
    expect(checkMessage(comparisonMessage(withEvidence, 'U0MAYA0001', HUGE))).toEqual([]);
    expect(checkMessage(managerComparisonMessage(withEvidence))).toEqual([]);
    expect(checkMessage(changeQuestionMessage(12, question, 80, 'skip'))).toEqual([]);
  });

  it('View answers and the ratings form (the modal’s 100 blocks, each section’s 3,000 characters)', () => {
    expect(checkView(answersModal(withEvidence, 'U0MAYA0001'), 'modal')).toEqual([]);
    expect(checkView(ratingsModal(withEvidence, { ch: 'D0MAYA', ts: '1.2' }), 'modal')).toEqual([]);
    expect(checkView(noSharedCheckinModal('U0BEN00001'), 'modal')).toEqual([]);
    // The evidence is escaped wherever it is shown.
    const shown = JSON.stringify([answersModal(withEvidence, 'U0BEN00001'), summaryMessage(withEvidence)]);
    expect(shown).not.toContain('<the>');
    expect(shown).toContain('&lt;the&gt;');
  });

  it('the summary collapses long evidence and points at View answers', () => {
    const shown = visibleText(summaryMessage(withEvidence));
    expect(shown).toContain('*Your evidence*');
    expect(shown).toContain('77 more answers with evidence, and every piece in full: *View answers*.');
    expect(visibleText(sharedWithManagerMessage(withEvidence))).toContain('*Their evidence*');
  });
});

describe('the growth loop’s words (exact wording, pinned once)', () => {
  const { rating: _r, ...question } = questions[0] as (typeof questions)[number];
  it('the start says the manager sees nothing until shared', () => {
    expect(PRIVACY_LINE).toBe(
      ':lock: Private to you: your manager sees nothing of this check-in, not even that it happened, until you press *Share with my manager* on its summary.',
    );
  });

  it('readiness says what it is made of', () => {
    expect(
      readinessMadeOf({
        levelId: 'level-3',
        levelNumber: 3,
        levelTitle: 'x',
        consistently: 2,
        sometimes: 3,
        notYet: 1,
        skipped: 1,
      }),
    ).toBe(
      'Made of the 6 answered expectations of Level 3: 2 Consistently (full), 3 Sometimes (half), 1 Not yet; 1 skipped, which count neither way.',
    );
  });

  it('Share becomes who and when; the summary ends with View Level and Done', () => {
    expect(sharedLine({ sharedWith: 'U0MAYA0001', sharedAt: '2026-11-30T09:00:00.000Z' })).toBe(
      ':handshake: Shared with <@U0MAYA0001> on 30 November 2026.',
    );
    expect(sharedLine({ sharedWith: null, sharedAt: null })).toBeUndefined();
    expect(buttonsOf(summaryMessage(result)).map((b) => b.text)).toEqual([
      'Share with my manager',
      'View answers',
      'Done',
    ]);
    expect(buttonsOf(summaryMessage(withEvidence, undefined, true)).map((b) => b.text)).toEqual(['View answers']);
  });

  it('history says what readiness is made of', () => {
    const entry = {
      id: 1,
      finishedAt: '2026-11-29T15:00:00.000Z',
      levels: [{ levelNumber: 2, levelTitle: 'x' }],
      readiness: 57,
      target: { consistently: 3, sometimes: 2, notYet: 2 },
      shared: true,
    };
    expect(visibleText(historyMessage({ kind: 'history', entries: [entry], open: null }))).toContain(
      '• 29 November 2026 · Level 2 · readiness 57% (3 Consistently, 2 Sometimes, 2 Not yet) · shared',
    );
  });

  it('a typed answer close to two asks which; Change refused once shared; Finish later offers Continue', () => {
    const which = whichAnswerMessage({ checkin: { ...detail, status: 'open', cursor: 0 }, question }, [
      'sometimes',
      'consistently',
    ]);
    expect(which.text).toBe('Did you mean *Sometimes* or *Consistently* for question 1?');
    expect(changeRefusedMessage({ kind: 'shared', managerId: 'U0MAYA0001' }).text).toBe(
      'This check-in was shared with <@U0MAYA0001>, so its answers stay as they saw them. Your next check-in can say something new.',
    );
    const paused = pausedMessage(question, { id: 12, version: 7, total: 80 });
    expect(paused.text).toBe(
      'Saved at question 1 of 80. Press *Continue* when you want to go on (or type `/career checkin`).',
    );
    expect(buttonsOf(paused)).toEqual([
      expect.objectContaining({ text: 'Continue', actionId: 'checkin.continue', value: '12:7' }),
    ]);
  });
});

describe('a check-in level whose title leaves its area open', () => {
  // Marketing 4 → 5: Level 5's title is "Head of …", the area each person names.
  const asked = [4, 5].map((n, position) => ({
    position,
    levelId: `level-${n}`,
    levelNumber: n,
    levelTitle: n === 5 ? 'Head of …' : 'Senior',
    expectationId: `e${n}`,
    text: 'Make the plan.',
    rating: 'sometimes' as Rating,
  }));
  const headOf = {
    checkin: { ...detail, levelId: 'level-4', targetLevelId: 'level-5', total: 2, cursor: 2, questions: asked },
    summary: summarize(asked, 'level-5', undefined),
  };

  it('is the person’s own area in their question and summary, and their area to the manager', () => {
    const { rating: _r, ...question } = asked[1] as (typeof asked)[number];
    const ask = visibleText(questionMessage({ checkin: { ...headOf.checkin, status: 'open', cursor: 1 }, question }));
    expect(ask).toContain('*Level 5 · Head of your area* · 2 of 2');
    expect(visibleText(summaryMessage(headOf))).toContain('*Level 5 · Head of your area:* Consistently: 0');
    expect(visibleText(sharedWithManagerMessage(headOf))).toContain('*Level 5 · Head of their area:* Consistently: 0');
    for (const m of [summaryMessage(headOf), sharedWithManagerMessage(headOf)]) {
      expect(visibleText(m)).not.toContain('Head of …');
    }
  });
});
