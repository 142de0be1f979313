import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { summarize } from '../../src/checkins/summary.js';
import {
  comparisonMessage,
  evidenceModal,
  historyMessage,
  questionMessage,
  ratingsModal,
  summaryMessage,
} from '../../src/slack/blocks/checkins.js';
import { checkMessage, checkView } from '../../src/slack/limits.js';
import type { CheckinDetail } from '../../src/store/checkins.js';
import { buttonsOf } from '../support/blocks.js';

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
