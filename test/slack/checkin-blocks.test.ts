import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { summarize } from '../../src/checkins/summary.js';
import {
  comparisonMessage,
  continuingMessage,
  evidenceAck,
  evidenceModal,
  evidenceNotSavedMessage,
  fileEvidenceLine,
  historyMessage,
  movedOnMessage,
  openExistsMessage,
  questionMessage,
  ratingsModal,
  summaryMessage,
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
    expect(evidenceAck(q).text).toBe(':memo: Noted as evidence for question 5 (“Ships on time”).');
    expect(evidenceAck(q, { shortened: true }).text).toBe(
      ':memo: Noted as evidence for question 5 (“Ships on time”). It was long, so the first 3,000 characters were kept.',
    );
    expect(evidenceAck(q, { fileOnly: true }).text).toBe(
      ":memo: Noted as evidence for question 5 (“Ships on time”). Ripple keeps the file's name and link, not what is in it: send a line about it if you want the evidence to say more.",
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
