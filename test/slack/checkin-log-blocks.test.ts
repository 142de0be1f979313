import { describe, expect, it } from 'vitest';
import type { Rating } from '../../src/checkins/machine.js';
import { summarize } from '../../src/checkins/summary.js';
import type { EvidenceEntry, ShownEvidence } from '../../src/ports/evidence.js';
import {
  answersModal,
  evidenceModal,
  LOG_PRIVACY_LINE,
  questionMessage,
  ratingsModal,
  SHARE_LOG_LINE,
  sharedWithManagerMessage,
  summaryMessage,
} from '../../src/slack/blocks/checkins.js';
import { checkMessage, checkView } from '../../src/slack/limits.js';
import type { CheckinDetail } from '../../src/store/checkins.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { CHEN } from '../support/evidence.js';

/**
 * Issue 17, item 4: what a check-in shows of the evidence log, worded once (exact wording pinned here), and within
 * Slack's limits with the longest entries a log can hold.
 */

const BEN = 'U0BEN00001';
const RATINGS: Rating[] = ['not-yet', 'sometimes', 'consistently', 'skip'];
const questions = Array.from({ length: 40 }, (_, i) => ({
  position: i,
  levelId: i < 20 ? 'level-2' : 'level-3',
  levelNumber: i < 20 ? 2 : 3,
  levelTitle: 'Strategist',
  expectationId: `e${i}`,
  text: `Expectation ${i} & <more>`,
  rating: RATINGS[i % 4] as Rating,
}));

function entry(n: number, text: string, authorId: string | null = null): EvidenceEntry {
  return {
    id: n,
    teamId: 'T0TEAM',
    userId: BEN,
    source: authorId ? 'message' : 'win',
    text,
    note: null,
    frameworkId: 'marketing',
    target: { levelId: 'level-2', expectationId: 'e0' },
    authorId,
    message: authorId ? { channelId: 'C0LAUNCH', ts: '1764842400.000100', permalink: null } : null,
    checkinId: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

const LONGEST = `${'Shipped the <!channel> launch & *more*; '.repeat(80)}`.slice(0, 3000);
const log = (expectationId: string, total = 5): ShownEvidence => ({
  expectationId,
  entries: [entry(1, LONGEST, CHEN), entry(2, LONGEST), entry(3, 'Ran the spring review')],
  total,
  since: '2026-09-01T12:00:00.000Z',
});

const detail: CheckinDetail = {
  id: 12,
  teamId: 'T0TEAM',
  userId: BEN,
  frameworkId: 'marketing',
  levelId: 'level-2',
  targetLevelId: 'level-3',
  status: 'finished',
  version: 41,
  cursor: 40,
  total: 40,
  lastActivityAt: '2026-12-01T15:00:00.000Z',
  startedAt: '2026-12-01T14:00:00.000Z',
  logSince: null,
  finishedAt: '2026-12-01T15:00:00.000Z',
  sharedAt: null,
  sharedWith: null,
  questions,
  managerRatings: [],
  evidence: questions.map((q) => ({ position: q.position, text: LONGEST, addedAt: '2026-12-01T14:30:00.000Z' })),
};
const result = {
  checkin: detail,
  summary: summarize(questions, 'level-3'),
  log: questions.map((q) => log(q.expectationId)),
};

describe('the evidence log in a check-in (wording pinned once)', () => {
  const { rating: _r, ...question } = questions[0] as (typeof questions)[number];
  const open = { ...detail, status: 'open' as const, cursor: 0, finishedAt: null };

  it('a question shows the newest entries since the last check-in, how many more, who wrote them, and who sees them', () => {
    const message = questionMessage({ checkin: open, question, log: log('e0') });
    expect(checkMessage(message)).toEqual([]);
    const text = visibleText(message);
    expect(text).toContain(':card_index: *In your evidence log since your check-in of 1 September 2026*');
    expect(text).toContain(`— <@${CHEN}>`);
    expect(text).toContain('>Ran the spring review');
    expect(text).toContain('_and 2 more in `/career evidence`_');
    expect(text).toContain(LOG_PRIVACY_LINE);
    expect(LOG_PRIVACY_LINE).toBe(':lock: Your manager sees these with your answers only if you share.');
    // People's words are escaped: no mention reaches Slack.
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(JSON.stringify(message)).toContain('&lt;!channel&gt;');
    expect(buttonsOf(message).find((b) => b.text === 'Ask for an example')).toMatchObject({
      actionId: 'evidence_ask_open',
      value: 'level-2:e0',
    });
  });

  it('a saved message keeps its bare mentions as names, as /career evidence does; links and @channel stay escaped', () => {
    const mentioned: ShownEvidence = {
      expectationId: 'e0',
      since: null,
      total: 1,
      entries: [entry(1, `Thanks <@${BEN}> for the <!channel> launch <https://x.test|notes>`, CHEN)],
    };
    const message = JSON.stringify(questionMessage({ checkin: open, question, log: mentioned }));
    expect(message).toContain(`>Thanks <@${BEN}> for the &lt;!channel&gt; launch &lt;https://x.test|notes&gt;`);
  });

  it('a first check-in says "so far"; no log, no log block and no privacy line, but still Ask for an example', () => {
    const first = questionMessage({ checkin: open, question, log: { ...log('e0', 3), since: null } });
    expect(visibleText(first)).toContain('*In your evidence log so far*');
    expect(visibleText(first)).not.toContain('more in');
    const none = questionMessage({ checkin: open, question });
    expect(visibleText(none)).not.toContain('evidence log');
    expect(buttonsOf(none).map((b) => b.text)).toContain('Ask for an example');
  });

  it('the summary shows the log under each answer and says what sharing shows; the manager’s copy has no count', () => {
    const mine = summaryMessage(result);
    expect(checkMessage(mine)).toEqual([]);
    expect(visibleText(mine)).toContain('_From your evidence log since the check-in before:_');
    expect(visibleText(mine)).toContain(SHARE_LOG_LINE);
    expect(SHARE_LOG_LINE).toBe(
      ':lock: *Share with my manager* shows them your answers with the evidence above from your log, and nothing else of your log.',
    );
    // A first check-in's log has no "since".
    const first = { ...result, log: result.log.map((l) => ({ ...l, since: null })) };
    expect(visibleText(summaryMessage(first))).toContain('_From your evidence log:_');
    const shared = { ...result, checkin: { ...detail, sharedWith: 'U0MAYA0001', sharedAt: detail.finishedAt } };
    expect(visibleText(summaryMessage(shared))).not.toContain(SHARE_LOG_LINE);
    const theirs = sharedWithManagerMessage(shared);
    expect(checkMessage(theirs)).toEqual([]);
    expect(visibleText(theirs)).toContain('_From their evidence log since the check-in before:_');
    expect(visibleText(theirs)).not.toContain('/career evidence');
  });

  it('View answers, the ratings form and the evidence form stay within a modal’s limits', () => {
    expect(checkView(answersModal(result, BEN), 'modal')).toEqual([]);
    expect(visibleText(answersModal(result, BEN))).toContain('_and 2 more in `/career evidence`_');
    const forManager = answersModal(result, 'U0MAYA0001');
    expect(checkView(forManager, 'modal')).toEqual([]);
    expect(visibleText(forManager)).toContain('_From their evidence log since the check-in before:_');
    expect(visibleText(forManager)).not.toContain('more in');
    expect(checkView(ratingsModal(result), 'modal')).toEqual([]);
    const form = evidenceModal(12, 0, question);
    expect(checkView(form, 'modal')).toEqual([]);
    expect(JSON.stringify(form)).toContain(
      'Kept with this answer and in your evidence log. Your manager sees it with your answers only if you share.',
    );
  });
});
