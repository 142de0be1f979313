import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import {
  cardBlocks,
  celebrateReply,
  celebrationPost,
  exportOthersMessage,
  noRecordMessage,
  pauseMessage,
  personNotice,
  type SetNotice,
  setMessage,
  setNoticeMessages,
  welcomeMessage,
} from '../../src/slack/blocks/records.js';
import { refusalMessage } from '../../src/slack/blocks/refusals.js';
import { reportLine } from '../../src/slack/blocks/team.js';
import type { TeammateRecord } from '../../src/teammates/model.js';
import { buildCard, type Card } from '../../src/teammates/service.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/** The words of the record's moments, pinned once here (the end-to-end tests check key facts only). */

const catalog = new Catalog(loadFrameworks('frameworks'));
const BEN = 'U0BEN00001';
const MAYA = 'U0MAYA0001';
const ADI = 'U0ADMIN001';

function record(levelId: string, fields: Partial<TeammateRecord> = {}): TeammateRecord {
  return {
    teamId: 'T0TEAM0001',
    userId: BEN,
    frameworkId: 'marketing',
    levelId,
    since: '2026-01-15',
    managerId: MAYA,
    title: null,
    status: 'active',
    pausedUntil: null,
    tz: null,
    tzFetchedAt: null,
    nudges: 'dm',
    createdAt: '2026-01-15T09:00:00.000Z',
    updatedAt: '2026-01-15T09:00:00.000Z',
    ...fields,
  };
}

const clock = { now: () => new Date('2026-11-29T15:00:00Z') };
const cardOf = (r: TeammateRecord): Promise<Card> =>
  buildCard({ teammates: undefined as never, catalog, clock }, r, [], '2026-11-29');

async function notice(levelChange: SetNotice['levelChange'], levelId: string, note?: string): Promise<SetNotice> {
  const card = await cardOf(record(levelId, { since: '2026-11-29' }));
  return {
    before: levelChange === 'first' ? null : record('level-2'),
    card,
    changed: ['level', 'since'],
    actorId: ADI,
    levelChange,
    note,
  };
}

describe('the words of a record’s moments', () => {
  it('a promotion congratulates by title, with what the level expects, a check-in and an opt-in celebration', async () => {
    const message = personNotice(await notice('up', 'level-3'));
    expectWithinSlackLimits([message]);
    expect(message.text).toBe('Congratulations on Coordinator!');
    const text = visibleText(message);
    expect(text).toContain(
      `:tada: *Congratulations on Coordinator!* <@${ADI}> recorded your new level: *Marketing · Level 3 · Coordinator*, from 29 November 2026.`,
    );
    expect(text).toContain('*What Level 3 (Coordinator) expects* (focus: *');
    expect(text).toContain('nothing is posted unless you press *Celebrate*');
    expect(buttonsOf(message).map((b) => b.text)).toEqual([
      'Start a check-in',
      'Celebrate in the growth channel',
      'What this level expects',
    ]);
  });

  it('a level whose title leaves its area open is the reader’s area: "your" to the person, "their" to others', async () => {
    const up = await notice('up', 'level-5');
    const person = personNotice(up);
    expect(person.text).toBe('Congratulations on Head of your area!');
    expect(visibleText(person)).toContain(
      `recorded your new level: *Marketing · Level 5 · Head of your area*, from 29 November 2026.`,
    );
    expect(visibleText(person)).toContain('*What Level 5 (Head of your area) expects*');
    expect(visibleText(setNoticeMessages(up).get(MAYA))).toContain(
      `<@${ADI}> promoted <@${BEN}> to *Marketing · Level 5 · Head of their area*, from 29 November 2026.`,
    );
    const welcome = visibleText(personNotice(await notice('first', 'level-5')));
    expect(welcome).toContain('recorded your career level: *Marketing · Level 5 · Head of your area*');
    expect(visibleText(setMessage(up.card, ['level'], false))).toContain(
      `Updated <@${BEN}>: level changed. Now *Marketing · Level 5 · Head of their area* since 29 November 2026.`,
    );
    expect(visibleText(celebrationPost(up.card))).toContain(`<@${BEN}> is now *Head of their area* (Marketing)`);
    // Dates read one way on every line: not "since 2026-11-29" here and "29 November 2026" beside it.
    expect(setMessage(up.card, 'unchanged', false).text).toBe(
      `Nothing to change: <@${BEN}> is already at Marketing · Level 5 · Head of their area since 29 November 2026.`,
    );
  });

  it('a lower level is worded with care, with the note, and no arrow', async () => {
    const message = personNotice(await notice('lower', 'level-1', 'As we discussed & agreed'));
    const text = visibleText(message);
    expect(text).toContain(`<@${ADI}> updated your career record: your level is now *Marketing · Level 1 · `);
    // The note is the writer's own text: escaped, so it cannot mention anyone or the channel.
    expect(JSON.stringify(message.blocks)).toContain(`*A note from <@${ADI}>:* As we discussed &amp; agreed`);
    expect(text).toContain('A level describes the work expected of you now, not your worth.');
    expect(text).toContain(`<@${MAYA}> is there to talk it through with you.`);
    expect(text).not.toContain('→');
  });

  it('the manager hears of it, and of a held DM, with a button to send it', async () => {
    const messages = setNoticeMessages(await notice('lower', 'level-1'), {
      id: 7,
      until: '2026-11-30T15:00:00.000Z',
    });
    const toManager = messages.get(MAYA);
    expect(visibleText(toManager)).toContain(`<@${ADI}> moved <@${BEN}> to a lower level: *Marketing · Level 1 · `);
    expect(visibleText(toManager)).toContain(`<@${BEN}>'s DM about it waits for you`);
    expect(buttonsOf(toManager).map((b) => [b.text, b.value])).toEqual([
      ['Send their message now', JSON.stringify({ o: 7, u: BEN, at: '2026-11-30T15:00:00.000Z' })],
    ]);
  });

  it('a first record is a welcome: level, window, privacy, Start a check-in', async () => {
    const message = welcomeMessage(await cardOf(record('level-2')), ADI);
    expectWithinSlackLimits([message]);
    const text = visibleText(message);
    expect(text).toContain(
      `:wave: *Welcome to Ripple.* <@${ADI}> recorded your career level: *Marketing · Level 2 · Strategist*, since 15 January 2026.`,
    );
    expect(text).toContain(
      '*Your window:* the next step usually comes between 15 July 2026 and 15 January 2027: a guide for conversations with your manager, not a deadline.',
    );
    expect(text).toContain('*Privacy:* only you, your manager and Ripple admins see your record.');
    expect(buttonsOf(message).map((b) => b.text)).toEqual(['Start a check-in', 'What this level expects']);
  });

  it('no record: one message, with Ask for a record', () => {
    const message = noRecordMessage();
    expect(visibleText(message)).toContain(":wave: You don't have a career record yet. A Ripple admin adds it");
    expect(buttonsOf(message).map((b) => b.text)).toEqual(['Ask for a record']);
    expect(refusalMessage({ kind: 'refused', code: 'no-record', command: 'pause' })).toEqual(message);
  });

  it('a pause says what the manager is told', async () => {
    const paused = await cardOf(record('level-2', { status: 'paused', pausedUntil: '2027-01-10' }));
    expect(visibleText(pauseMessage('paused', paused))).toContain(
      `I've told <@${MAYA}> that you paused: not why, and not your return date (tell them yourself if you like).`,
    );
    const alone = await cardOf(record('level-2', { status: 'paused', managerId: null }));
    expect(visibleText(pauseMessage('paused', alone))).toContain('Nobody else is told: you have no manager recorded.');
  });

  it('export of someone else, and a level in the future', () => {
    expect(visibleText(exportOthersMessage())).toContain(
      "`/career export` sends you *your own* data, and only yours: nobody can export someone else's through Slack. A Ripple admin with access to the server exports a whole workspace with `npm run export`",
    );
    expect(
      visibleText(refusalMessage({ kind: 'refused', code: 'future-since', date: '2027-01-01', today: '2026-11-29' })),
    ).toContain("A level can't start in the future: 1 January 2027 is after today (29 November 2026).");
  });
});

describe('an optional step reads as a choice on the card and in a manager’s list', () => {
  // Marketing 4 → 5 is optional (12–24 months, "nobody is expected to reach Level 5").
  it('once its usual window has passed: a choice, never "past"', async () => {
    const card = await cardOf(record('level-4', { since: '2024-01-15' }));
    const own = visibleText({ blocks: cardBlocks(card, 'self') });
    expect(own).toContain(
      '*Usual window for Level 5 (Head of your area):* 15 January 2025 to 15 January 2026 · 1–2 years, optional',
    );
    expect(own).toContain('The usual window has passed: a step you may or may not want, with no deadline.');
    const managers = visibleText({ blocks: cardBlocks(card, 'manager') });
    expect(managers).toContain('*Usual window for Level 5 (Head of their area):*');
    expect(managers).toContain('The usual window has passed: a step they may or may not want, with no deadline.');
    expect(reportLine(card)).toBe(
      `• <@${BEN}> · Marketing · Level 4 · Senior · 2 years 10 months at the level · next step optional, a step they may or may not want (usual window 15 January 2025 to 15 January 2026)`,
    );
    for (const text of [own, managers, reportLine(card)]) expect(text).not.toMatch(/\bpast\b|expected window/i);
  });

  it('before and in its usual window: usual, and a choice', async () => {
    const before = await cardOf(record('level-4', { since: '2026-06-01' }));
    expect(visibleText({ blocks: cardBlocks(before, 'self') })).toContain(
      'The usual window starts in 6 months: a step you may or may not want.',
    );
    expect(reportLine(before)).toContain('· optional next step, usual window 1 June 2027 to 1 June 2028');
    const open = await cardOf(record('level-4', { since: '2025-06-01' }));
    expect(visibleText({ blocks: cardBlocks(open, 'self') })).toContain(
      'In the usual window now: a step you may or may not want, worth a word at your next 1:1.',
    );
    expect(reportLine(open)).toContain('· in the usual window for an optional step (1 June 2026 to 1 June 2027)');
  });

  it('an expected step past its window still says so', async () => {
    const card = await cardOf(record('level-2', { since: '2025-01-15' }));
    expect(visibleText({ blocks: cardBlocks(card, 'self') })).toContain(
      '*Expected window for Level 3 (Coordinator):* 15 July 2025 to 15 January 2026 · 6–12 months',
    );
    expect(visibleText({ blocks: cardBlocks(card, 'self') })).toContain(
      'Past the expected window: a good topic for your next 1:1.',
    );
    expect(reportLine(card)).toContain('· past the window (15 July 2025 to 15 January 2026)');
  });
});

describe('the replies to Celebrate', () => {
  it('says what happened, in one line each', () => {
    expect(celebrateReply('posted', 'C0GROWTH01').text).toBe(':tada: Posted in <#C0GROWTH01>.');
    expect(celebrateReply('already').text).toBe('Already posted: it goes to the channel once.');
    expect(celebrateReply('expired').text).toBe(
      'Celebrate works for a day after a new level is recorded, so nothing was posted now.',
    );
    expect(celebrateReply('moved-on').text).toBe('Your level changed since this message, so nothing was posted.');
  });
});
