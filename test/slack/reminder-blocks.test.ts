import { describe, expect, it } from 'vitest';
import type { ReminderStage } from '../../src/reminders/schedule.js';
import {
  managerPastMessage,
  nudgesMessage,
  type ReminderView,
  reminderMessage,
  reminderText,
  titleList,
} from '../../src/slack/blocks/reminders.js';
import { visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const view: ReminderView = {
  stage: 'heads-up',
  titles: ['Coordinator'],
  opensOn: '2026-07-15',
  closesOn: '2027-01-15',
  optional: false,
  expectations: ['Drive results without supervision.'],
};

describe('reminder wording', () => {
  it.each<[ReminderStage, boolean, string]>([
    ['heads-up', false, 'Your window for Coordinator opens on 15 July 2026.'],
    ['open', false, 'Your window for Coordinator is open: 15 July 2026 to 15 January 2027.'],
    [
      'checkin',
      false,
      'Your window for Coordinator is open (15 July 2026 to 15 January 2027): a good moment for a check-in.',
    ],
    ['past', false, 'Your expected window for Coordinator ended on 15 January 2027: a good topic for your next 1:1.'],
    [
      'open',
      true,
      'Coordinator is a step you may or may not want. Its usual window is open: 15 July 2026 to 15 January 2027.',
    ],
  ])('%s (optional: %s)', (stage, optional, text) => {
    expect(reminderText({ ...view, stage, optional })).toBe(text);
  });

  it('names every next step where the path forks', () => {
    expect(titleList(['Senior', 'Staff', 'Manager'])).toBe('Senior, Staff or Manager');
    expect(reminderText({ ...view, stage: 'open', closesOn: null, titles: ['A', 'B'] })).toBe(
      'Your window for A or B is open: from 15 July 2026, open-ended.',
    );
  });

  it('escapes framework text and stays within Slack limits, however long the text', () => {
    const long: ReminderView = {
      ...view,
      titles: Array.from({ length: 30 }, (_, i) => `<!channel> Title ${i} ${'x'.repeat(200)}`),
      expectations: Array.from({ length: 40 }, () => `<@U123> & ${'y'.repeat(2500)}`),
    };
    const messages = (['heads-up', 'open', 'checkin', 'past'] as const).map((stage) =>
      reminderMessage({ ...long, stage }),
    );
    messages.push(managerPastMessage('U0BEN00001', long));
    messages.push(
      nudgesMessage({
        enabled: true,
        paused: false,
        window: { ...long },
        upcoming: [{ stage: 'open', on: '2026-07-15' }],
      }),
    );
    expectWithinSlackLimits(messages);
    for (const m of messages) {
      expect(JSON.stringify(m)).not.toContain('<!channel>');
      expect(JSON.stringify(m)).not.toContain('<@U123>');
    }
    expect(visibleText(messages[0])).toContain('<!channel> Title 0');
  });
});
