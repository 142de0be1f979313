import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';

/** Issue 8, "Replies people can trust": each quoted problem, as the person saw it. */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const EVE = 'U0EVE00001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: EVE, name: 'eve' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
});
afterEach(async () => {
  await t.stop();
});

/** What the person saw, as text. */
const career = async (user: string, text: string) => (await runCareer(t, user, text)).shown;

describe('windows read as guides', () => {
  it('past the window is a prompt for a conversation, not "Closed 1 year 4 months ago"', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2024-06-01 manager ${m(MAYA)}`);
    const me = await career(BEN, 'me');
    expect(me).toContain('Past the expected window: a good topic for your next 1:1.');
    expect(me).not.toMatch(/\bclose[sd]?\b|Closed|\d+ ?%/);
  });

  it('an open window never says when it "closes"', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15`);
    const me = await career(BEN, 'me');
    expect(me).toContain('In the expected window now');
    expect(me).not.toMatch(/closes in|\d+ ?%/);
  });

  it('paused shows as paused', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15`);
    await career(BEN, 'pause until 2027-02-01');
    const me = await career(BEN, 'me');
    expect(me).toContain('Paused until 1 February 2027');
    expect(me).toContain('Paused: time away does not count');
    expect(me).not.toContain('In the expected window now');
  });

  it('a timeframe the team has not confirmed says so on the card', async () => {
    await career(ADMIN, `set ${m(EVE)} happiness 1 since 2026-05-01`);
    const me = await career(EVE, 'me');
    expect(me).toContain('The team has not confirmed this timeframe yet');
  });
});

describe('errors that read well', () => {
  /** The raw mrkdwn of what was shown, to see escaping. */
  async function raw(user: string, text: string) {
    const reply = await t.driver.command(text, { user });
    return JSON.stringify([reply.ack, ...reply.responses]);
  }

  it('an example is an example, not "Did you mean For example: since 2026-01-15?"', async () => {
    const shown = await career(ADMIN, `set ${m(BEN)} marketing 2 since`);
    expect(shown).not.toContain('Did you mean');
    expect(shown).toContain('Example: `/career set @person marketing 2 since 2026-01-15`');
  });

  it('a fix is a fix, not "Did you mean Pick the person from Slack\'s @-menu …?"', async () => {
    const shown = await career(ADMIN, 'set @ben marketing 2');
    expect(shown).not.toContain('Did you mean');
    expect(shown).toContain("Pick the person from Slack's @-menu");
  });

  it('the example names a placeholder, never the caller', async () => {
    const shown = await career(ADMIN, `set ${m(BEN)}`);
    expect(shown).toContain('@person');
    expect(shown).not.toMatch(/@ana\b/);
  });

  it('no repeated usage line ("Usage: /career help · /career help lists everything.")', async () => {
    const shown = await career(BEN, 'blorp');
    expect(shown).not.toContain('Usage: `/career help`');
    expect(shown.match(/\/career help/g)).toHaveLength(1);
  });

  it('people are mentions, not raw ids ("<@U0SBEVE001> is still active.")', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2`);
    const text = await raw(ADMIN, `forget ${m(BEN)}`);
    expect(text).toContain(`<@${BEN}> is still active`);
    expect(text).not.toContain(`&lt;@${BEN}&gt;`);
  });

  it.each([
    ['2026/01/15', '2026-01-15'],
    ['15 Jan 2026', '2026-01-15'],
    ['Jan 15, 2026', '2026-01-15'],
    ['Jan 2026', '2026-01-01'],
    ['today', '2026-11-29'],
    ['yesterday', '2026-11-28'],
  ])('since %s is %s', async (typed, stored) => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 since ${typed}`);
    expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.since).toBe(stored);
  });

  it('an unreadable date gets the accepted forms', async () => {
    const shown = await career(ADMIN, `set ${m(BEN)} marketing 2 since 15/01/2026`);
    expect(shown).toContain('I can\'t read "15/01/2026" as a date.');
    expect(shown).toContain('15 Jan 2026');
    expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toBeNull();
  });

  it('pause until takes the same dates', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2`);
    expect(await career(BEN, 'pause until 1 Feb 2027')).toContain('Paused until 1 February 2027');
  });
});

describe('compare', () => {
  it('/career compare 2 3 uses the caller’s own framework, like level does', async () => {
    await career(ADMIN, `set ${m(BEN)} engineering 1`);
    const shown = await career(BEN, 'compare 2 3');
    expect(shown).toContain('Engineering: Level 2 → Software Engineer III');
    expect(shown).toContain('*Before:*');
  });
});

describe('new hires and help', () => {
  it('/career me without a record names who can add one, not "/career set @you …"', async () => {
    const me = await t.driver.command('me', { user: EVE });
    const shown = [me.ack, ...me.responses].filter(Boolean).map(visibleText).join('\n');
    expect(shown).not.toContain('@you');
    expect(shown).toContain("You don't have a career record yet. A Ripple admin adds it");
    const [ask] = buttonsOf(me.ack ?? me.responses[0]);
    expect(ask?.text).toBe('Ask for a record');
    const pressed = await t.driver.action({ user: EVE, actionId: ask?.actionId ?? '', value: ask?.value });
    expect(pressed.responses.map(visibleText).join('\n')).toContain(`I've asked <@${ADMIN}> to add your career record`);
    const dm = pressed.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN}`);
    expect(visibleText(dm?.args)).toContain(`<@${EVE}> asked for a career record`);
  });

  it('help shows each person the commands they can use', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 manager ${m(MAYA)}`);
    const teammate = await career(BEN, 'help');
    expect(teammate).not.toContain('/career set');
    expect(teammate).not.toContain('/career team');
    const manager = await career(MAYA, 'help');
    expect(manager).toContain('/career team');
    expect(manager).toContain('/career set');
    expect(manager).not.toContain('/career forget @person');
    expect(await career(ADMIN, 'help')).toContain('/career forget @person');
  });

  it('a manager is told when a report pauses and resumes', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2 manager ${m(MAYA)}`);
    const paused = await t.driver.command('pause until 2027-01-10', { user: BEN });
    const told = paused.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${MAYA}`);
    expect(visibleText(told?.args)).toContain(`<@${BEN}> paused their career record`);
    // Not the dates: the person is told so as they pause.
    expect(visibleText(told?.args)).not.toContain('2027');
    const resumed = await t.driver.command('resume', { user: BEN });
    const back = resumed.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${MAYA}`);
    expect(visibleText(back?.args)).toContain(`<@${BEN}> is back`);
  });
});

describe('a pause far ahead', () => {
  it('more than a year ahead asks first; only Confirm pauses, and only for the person who asked', async () => {
    await career(ADMIN, `set ${m(BEN)} marketing 2`);
    const asked = await t.driver.command('pause until 2028-03-01', { user: BEN });
    const shown = [asked.ack, ...asked.responses].filter(Boolean).map(visibleText).join('\n');
    expect(shown).toContain("That's more than a year away");
    expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.status).toBe('active');
    const [confirm] = buttonsOf(asked.responses[0] ?? asked.ack);
    const other = await t.driver.action({ user: MAYA, actionId: confirm?.actionId ?? '', value: confirm?.value });
    expect(other.responses.map(visibleText).join('\n')).toContain('Only the person who asked');
    expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.status).toBe('active');
    const done = await t.driver.action({ user: BEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
    expect(done.responses.map(visibleText).join('\n')).toContain('Paused until 1 March 2028');
    expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.pausedUntil).toBe('2028-03-01');
  });
});

describe('a person’s actual title', () => {
  it('set records which of several titles, and cards show it', async () => {
    await career(ADMIN, `set ${m(EVE)} marketing "Social Media Marketer"`);
    expect((await t.ctx.stores.teammates.get(t.api.teamId, EVE))?.title).toBe('Social Media Marketer');
    const me = await career(EVE, 'me');
    expect(me).toContain('Marketing · Level 1 · Social Media Marketer');
    expect(me).not.toContain('Content Crafter');
  });

  it('"Head of …" takes the area', async () => {
    await career(ADMIN, `set ${m(MAYA)} marketing 5 "Head of Content"`);
    expect((await t.ctx.stores.teammates.get(t.api.teamId, MAYA))?.title).toBe('Head of Content');
    expect(await career(MAYA, 'me')).toContain('Marketing · Level 5 · Head of Content');
  });

  it('a title the level does not have is refused with its titles, and changes nothing', async () => {
    const shown = await career(ADMIN, `set ${m(MAYA)} marketing 5 "Chief Vibes"`);
    expect(shown).toContain('"Chief Vibes" isn\'t a title of Marketing · Level 5');
    expect(shown).toContain('Its title names the area: Head of <area>.');
    expect(await t.ctx.stores.teammates.get(t.api.teamId, MAYA)).toBeNull();
  });

  it('a new level without a title clears the old one, and the history keeps both', async () => {
    await career(ADMIN, `set ${m(EVE)} marketing "Press Crafter"`);
    await career(ADMIN, `set ${m(EVE)} marketing 2`);
    expect((await t.ctx.stores.teammates.get(t.api.teamId, EVE))?.title).toBeNull();
    const titles = (await t.ctx.stores.teammates.history(t.api.teamId, EVE)).filter((h) => h.field === 'title');
    expect(titles.map((h) => [h.from, h.to])).toEqual([
      [null, 'Press Crafter'],
      ['Press Crafter', null],
    ]);
  });
});
