import { describe, expect, it } from 'vitest';
import type { DigestLine } from '../../src/growth/views.js';
import type { Notice } from '../../src/notify/port.js';
import type { ReminderView } from '../../src/reminders/views.js';
import { renderNotice } from '../../src/slack/render-notice.js';
import { visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const view: ReminderView = {
  stage: 'open',
  titles: ['Coordinator'],
  opensOn: '2026-07-15',
  closesOn: '2027-01-15',
  optional: false,
  expectations: [],
};

/** The notifier port's notices, as the Slack adapter words them: the first message's fallback text. */
const cases: [string, Notice, string][] = [
  ['a reminder', { kind: 'reminder', view }, 'Your window for Coordinator is open: 15 July 2026 to 15 January 2027.'],
  [
    "a manager's past-window note",
    { kind: 'past-window', reportId: 'U0BEN00001', view: { ...view, stage: 'past' } },
    '<@U0BEN00001> is past the expected window for Coordinator, which ended on 15 January 2027.',
  ],
  [
    'the weekly channel post',
    {
      kind: 'channel-post',
      view: { prompt: null, aggregates: { openThisMonth: null, openingSoon: null }, celebrations: [], slot: null },
    },
    'Growth prompt of the week: where could you widen your scope of influence or take more ownership?',
  ],
  [
    "the channel's welcome",
    {
      kind: 'channel-welcome',
      slot: { weekday: 5, time: '10:00', tz: 'Europe/Paris', next: '2026-12-11T09:00:00.000Z' },
    },
    'Ripple will post a growth prompt here every Friday at 10:00 Europe/Paris time.',
  ],
];

describe('renderNotice', () => {
  it.each(cases)('words %s as one message within Slack limits', (_what, notice, text) => {
    const messages = renderNotice(notice);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe(text);
    expectWithinSlackLimits(messages);
  });

  it("splits a very large team's digest (1,200 reports) into several messages within Slack limits, every report in them", () => {
    const reports: DigestLine[] = Array.from({ length: 1200 }, (_, i) => ({
      userId: `U0R${String(i).padStart(7, '0')}`,
      level: `Marketing · Level 2 · ${'Very long title '.repeat(5)}`,
      daysAtLevel: 400,
      standing: 'open',
      optional: false,
      next: 'Coordinator',
      opensOn: '2026-07-15',
      closesOn: '2027-01-15',
      shared: { count: 0, last: null },
    }));
    const view = {
      awaitingRatings: [],
      windowsOpening: [{ userId: 'U0R0000007', next: 'Coordinator', opensOn: '2026-07-15', optional: false }],
      levelChanges: [],
      reports,
    };
    const messages = renderNotice({ kind: 'digest', view });
    expect(messages.length).toBeGreaterThan(1);
    expectWithinSlackLimits(messages);
    expect(messages[0]?.text).toBe("Your team this week: <@U0R0000007>'s window opens this week.");
    expect(messages[1]?.text).toBe("Your team this week: <@U0R0000007>'s window opens this week. (continued)");
    const text = messages.map(visibleText).join('\n');
    for (const r of reports) expect(text).toContain(`<@${r.userId}> ·`);
  });
});
