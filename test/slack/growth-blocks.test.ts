import { describe, expect, it } from 'vitest';
import {
  channelPostMessage,
  channelWelcomeMessage,
  type DigestLine,
  digestMessage,
  notInChannelMessage,
  nudgedMessage,
  scheduleMessage,
} from '../../src/slack/blocks/growth.js';
import { splitMessage } from '../../src/slack/blocks/kit.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const EVIL = '<!channel> & <@U0EVIL0001>';

describe('growth wording', () => {
  it('escapes framework text in the channel post, and mentions only people who opted in', () => {
    const message = channelPostMessage({
      prompt: { examples: [{ team: EVIL, level: EVIL, expectation: EVIL }] },
      aggregates: { openThisMonth: 4, openingSoon: null },
      celebrations: [{ userId: 'U0IRIS0001', title: EVIL }],
      slot: { weekday: 5, time: '10:00', tz: 'Europe/Paris', next: '2026-12-11T09:00:00.000Z' },
    });
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U0EVIL0001>');
    expect(json.match(/<@U[0-9A-Z]+>/g)).toEqual(['<@U0IRIS0001>']);
    expect(visibleText(message)).toContain('4 teammates have a window open this month.');
    expect(visibleText(message)).not.toContain('opening in the next four weeks');
    expectWithinSlackLimits([message]);
  });

  it('the channel post asks everyone about the shared axes, gives each team an example, and offers See my level', () => {
    const message = channelPostMessage({
      prompt: {
        examples: [
          { team: 'Engineering', level: 'Level 3 · Senior Engineer', expectation: 'Leads projects end to end' },
          { team: 'Marketing', level: 'Level 2 · Strategist', expectation: 'Owns a channel' },
          { team: 'Marketing', level: 'Level 5 · Head of …', expectation: 'Make the plan.' },
        ],
      },
      aggregates: { openThisMonth: null, openingSoon: null },
      celebrations: [],
      slot: { weekday: 5, time: '10:00', tz: 'Europe/Paris', next: '2026-12-11T09:00:00.000Z' },
    });
    const shown = visibleText(message);
    expect(message.text).toBe(
      'Growth prompt of the week: where could you widen your scope of influence or take more ownership?',
    );
    expect(shown).toContain(
      'Every team grows along the same two lines: *scope of influence* (who your work reaches) and *ownership* (what you carry from start to finish). Where could you widen one of them this week?',
    );
    expect(shown).toContain('• *Engineering* (Level 3 · Senior Engineer): Leads projects end to end');
    expect(shown).toContain('• *Marketing* (Level 2 · Strategist): Owns a channel');
    // In a channel nobody's area is "your": an open-area title is "Head of an area".
    expect(shown).toContain('• *Marketing* (Level 5 · Head of an area): Make the plan.');
    expect(shown).not.toContain('…');
    // The time with its zone, and in Slack's date formatting for each reader's own zone.
    expect(shown).toContain(
      'Ripple posts here every Friday at 10:00 Europe/Paris time (next: <!date^1796979600^{date_long_pretty} at {time}|Friday 11 December 2026, 10:00 Europe/Paris>, shown in your time zone).',
    );
    expect(buttonsOf(message).map((b) => [b.text, b.actionId])).toEqual([['See my level', 'growth.my-level']]);
    expectWithinSlackLimits([message]);
  });

  it('the welcome and the nudge-now reply give the time with its zone, in Slack date formatting', () => {
    const slot = { weekday: 1, time: '09:30', tz: 'America/Sao_Paulo', next: '2026-12-07T12:30:00.000Z' };
    expect(visibleText(channelWelcomeMessage(slot))).toContain(
      'Ripple will post a growth prompt here every Monday at 09:30 America/Sao_Paulo time (next: <!date^1796646600^{date_long_pretty} at {time}|Monday 7 December 2026, 09:30 America/Sao_Paulo>, shown in your time zone).',
    );
    const nudged = nudgedMessage('C0GROWTH01', slot);
    expect(nudged.text).toBe(
      "Posted this week's growth prompt in <#C0GROWTH01>: it counts as this week's post, so it is not repeated.",
    );
    expect(visibleText(nudged)).toContain('The next one comes <!date^1796646600^{date_long_pretty} at {time}|');
  });

  it('a digest of 300 reports splits into messages within Slack limits, every report listed', () => {
    const reports: DigestLine[] = Array.from({ length: 300 }, (_, i) => ({
      userId: `U0R${String(i).padStart(7, '0')}`,
      level: `${EVIL} · Level 2 · ${'Very long title '.repeat(5)}`,
      daysAtLevel: 400,
      standing: i % 3 === 0 ? 'past' : 'open',
      optional: false,
      next: EVIL,
      opensOn: '2026-07-15',
      closesOn: '2027-01-15',
      shared: { count: 1, last: '2026-06-01' },
    }));
    const rate = Array.from({ length: 12 }, (_, i) => ({
      userId: `U0R${String(i).padStart(7, '0')}`,
      checkinId: 100 + i,
      sharedOn: '2026-08-01',
    }));
    const parts = splitMessage(digestMessage({ awaitingRatings: rate, windowsOpening: [], levelChanges: [], reports }));
    expectWithinSlackLimits(parts);
    const text = parts.map(visibleText).join('\n');
    for (const r of reports) expect(text).toContain(`<@${r.userId}> ·`);
    expect(JSON.stringify(parts)).not.toContain('<!channel>');
    expect(parts[0]?.text).toBe('Your team this week: 12 check-ins wait for your ratings.');
    // Ten buttons, the rest counted.
    expect(JSON.stringify(parts).match(/"Add ratings"/g)).toHaveLength(10);
    expect(text).toContain('2 more shared check-ins wait for your ratings.');
    expect(text).toContain('1 check-in shared with you, last 1 June 2026');
  });

  it('leads the digest with the action, words each need, and an optional step as a choice', () => {
    const line = (userId: string, over: Partial<DigestLine>): DigestLine => ({
      userId,
      level: 'Marketing · Level 4 · Senior',
      daysAtLevel: 800,
      standing: 'open',
      optional: false,
      next: 'Coordinator',
      opensOn: '2025-01-01',
      closesOn: '2026-01-01',
      shared: { count: 0, last: null },
      ...over,
    });
    const message = digestMessage({
      awaitingRatings: [{ userId: 'U0BEN00001', checkinId: 42, sharedOn: '2026-08-04' }],
      windowsOpening: [
        { userId: 'U0DEE00001', next: 'Happiness Hero III', opensOn: '2026-08-06', optional: false },
        { userId: 'U0MAX00001', next: 'Head of their area', opensOn: '2026-08-07', optional: true },
      ],
      levelChanges: [
        { userId: 'U0CY000001', level: 'Marketing · Level 3 · Coordinator', on: '2026-07-29', up: true },
        { userId: 'U0EVE00001', level: 'Marketing · Level 2 · Strategist', on: '2026-07-30', up: false },
      ],
      reports: [
        line('U0OPT00001', { optional: true, standing: 'choice', next: 'Head of their area' }),
        line('U0PAST0001', { standing: 'past' }),
      ],
    });
    expectWithinSlackLimits([message]);
    expect(message.text).toBe(
      'Your team this week: <@U0BEN00001> shared a check-in for your ratings; 2 windows open this week; 2 level changes.',
    );
    // The first thing after the header is the check-in to rate, with its button.
    expect(message.blocks[1]).toMatchObject({
      type: 'section',
      text: { text: '*<@U0BEN00001> shared a check-in with you on 4 August 2026*: it is waiting for your ratings.' },
      accessory: { type: 'button', action_id: 'checkin.review.42', value: '42', text: { text: 'Add ratings' } },
    });
    const shown = visibleText(message);
    expect(shown).toContain(
      "<@U0DEE00001>'s window for *Happiness Hero III* opens on 6 August 2026: a good topic for your next 1:1.",
    );
    expect(shown).toContain(
      "<@U0MAX00001>'s usual window for *Head of their area* opens on 7 August 2026: a step they may or may not want, worth a word if they want it.",
    );
    expect(shown).toContain('<@U0CY000001> moved up to *Marketing · Level 3 · Coordinator* on 29 July 2026.');
    expect(shown).toContain("<@U0EVE00001>'s level changed to *Marketing · Level 2 · Strategist* on 30 July 2026.");
    // An optional step is never past: not in "Past their window", and worded as a choice.
    expect(shown).toContain('*Past their window:* <@U0PAST0001>.');
    expect(shown).not.toMatch(/Past their window:[^\n]*U0OPT00001/);
    expect(shown).toContain(
      '<@U0OPT00001> · Marketing · Level 4 · Senior · 2 years 2 months at the level · next step optional, a step they may or may not want (usual window 1 January 2025 to 1 January 2026) · no check-ins shared with you',
    );
    expect(shown).not.toContain('…');
    expect(shown).toContain('`/career digest off` stops this digest.');
  });

  it('the schedule counts each kind per day, names the sample given and counts the rest', () => {
    const ids = Array.from({ length: 15 }, (_, i) => `U0P${String(i).padStart(7, '0')}`);
    const none = { count: 0, perDay: [0, 0, 0], sample: [] };
    const message = scheduleMessage({
      days: 7,
      dates: ['2026-08-02', '2026-08-03', '2026-08-04'],
      tz: 'Europe/Paris',
      reminders: [
        { stage: 'open', count: 40, perDay: [0, 30, 10], sample: ids },
        { stage: 'past', ...none },
      ],
      digests: { count: 2, perDay: [2, 0, 0], sample: ['U0MAYA0001', 'U0MAX00001'] },
      unknownZones: 1,
      channel: null,
    });
    const shown = visibleText(message);
    expect(shown).toContain(
      `*Window opens*: 40 (Mon 3 Aug 30, Tue 4 Aug 10) — ${ids.map((id) => `<@${id}>`).join(', ')} and 25 more`,
    );
    expect(shown).toContain('*Manager digest*: 2 (today 2) — <@U0MAYA0001>, <@U0MAX00001>');
    expect(shown).not.toContain('Past the window');
    expect(shown).toContain('Days are in your time zone (Europe/Paris).');
    expect(shown).toContain("1 manager's time zone is not stored yet, so their digest is placed by UTC here.");
    expect(shown).toContain('goes out only if something needs that manager that week');
    expect(message.text).toBe('The next 7 days: 42 direct messages.');
    expectWithinSlackLimits([message]);
  });

  it('says how to invite the bot, with the channel name escaped', () => {
    const message = notInChannelMessage({ id: 'C0GROWTH01', name: '<b>' });
    expect(message.text).toContain('invite @Ripple to #&lt;b&gt; first (type `/invite @Ripple` there)');
    expect(JSON.stringify(message)).not.toContain('#<b>');
  });
});
