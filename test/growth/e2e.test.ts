import { describe, expect, it } from 'vitest';
import { runGrowthTick } from '../../src/growth/tick.js';
import { growthTickDeps, reminderEngine } from '../../src/jobs.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { DEFAULT_DELIVERY } from '../../src/reminders/schedule.js';
import { appsAt, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
// Opted in to a celebration.
const IRIS = 'U0IRIS0001';
const IVAN = 'U0IVAN0001';
const INES = 'U0INES0001';
// Not opted in (or opted out again).
const OONA = 'U0OONA0001';
const OTTO = 'U0OTTO0001';
const OLGA = 'U0OLGA0001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi', tz: 'Europe/Paris' },
  { id: MAYA, name: 'maya', tz: 'America/New_York' },
  { id: IRIS, name: 'iris' },
  { id: IVAN, name: 'ivan' },
  { id: INES, name: 'ines' },
  { id: OONA, name: 'oona' },
  { id: OTTO, name: 'otto' },
  { id: OLGA, name: 'olga' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;
const GROWTH = '<#C0GROWTH01|growth>';
const CHANNEL = 'C0GROWTH01';

const career = async (t: TestApp, user: string, text: string): Promise<string> =>
  (await runCareer(t, user, text)).shown;

/** Everything the fake Slack took in the growth channel. */
function channelPosts(t: TestApp): Record<string, unknown>[] {
  return t.api.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && c.response?.ok === true)
    .map((c) => c.args);
}

function dmsTo(t: TestApp, user: string): Record<string, unknown>[] {
  return t.api.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}` && c.response?.ok === true)
    .map((c) => c.args);
}

/** Growth reminders only, not the DM that says a level was recorded. */
function remindersTo(t: TestApp, user: string): string[] {
  return dmsTo(t, user)
    .map((d) => String(d.text))
    .filter((text) => text.includes('window'));
}

function growthTick(t: TestApp) {
  const deps = growthTickDeps(t.slack.services, {
    warn: () => undefined,
    error: (...a: unknown[]) => t.errors.push(a),
  });
  return () => runGrowthTick(deps);
}

/** Runs the tick every `minutes` (15, as in production; 60 for runs of several weeks) until `until`. */
async function ticksUntil(t: TestApp, tick: () => Promise<unknown>, until: string, minutes = 15): Promise<void> {
  while (t.clock.now().getTime() <= Date.parse(until)) {
    await tick();
    t.clock.set(new Date(t.clock.now().getTime() + minutes * 60_000).toISOString());
  }
}

// Every test here on SQLite and on PostgreSQL (skipped with a reason when there is no server here).
describe.each(engines())('on %s', ({ name: engine, skip }) => {
  const start = appsAt({ engine, users: USERS, admins: [ADMIN] });

  describe.skipIf(skip)('/career admin channel', () => {
    it('sets the channel after posting a welcome there, with the day and local time given', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      const reply = await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      expect(reply).toContain(`Growth nudges will go to <#${CHANNEL}> every Friday at 10:00 (Europe/Paris).`);
      expect(channelPosts(t).map((p) => p.text)).toEqual([
        'Ripple will post a growth prompt here every Friday at 10:00 Europe/Paris time.',
      ]);
      expect(await t.ctx.stores.growth.channel(t.api.teamId)).toMatchObject({
        channelId: CHANNEL,
        weekday: 5,
        time: '10:00',
        tz: 'Europe/Paris',
        setBy: ADMIN,
      });
    });

    it('defaults to Monday at 10:00, and keeps the day and time when only the channel is given again', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      expect(await career(t, ADMIN, `admin channel ${GROWTH}`)).toContain('every Monday at 10:00');
      await career(t, ADMIN, `admin channel ${GROWTH} thursday 3pm`);
      expect(await career(t, ADMIN, `admin channel ${GROWTH}`)).toContain('every Thursday at 15:00');
    });

    it('says to invite the bot first when Slack answers not_in_channel, and changes nothing', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      t.api.failNext('chat.postMessage', { error: 'not_in_channel' });
      const before = await engineSnapshot(t.engine);
      const reply = await career(t, ADMIN, `admin channel ${GROWTH}`);
      expect(reply).toContain('invite @Ripple to #growth first');
      expect(reply).toContain('/invite @Ripple');
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });

    it.each([
      ['a channel typed as plain text', 'admin channel #growth', "Pick the channel from Slack's #-menu"],
      ['no channel', 'admin channel', 'Say which channel'],
      ['a day that is not one', `admin channel ${GROWTH} someday`, 'I can\'t read "someday" as a day or a time.'],
      ['two times', `admin channel ${GROWTH} 10:00 11:00`, 'I can\'t read "11:00"'],
      ['an hour past 23', `admin channel ${GROWTH} 25:00`, 'I can\'t read "25:00"'],
      ['an unknown admin command', 'admin launch', 'I don\'t know the admin command "launch".'],
      ['words after schedule', 'admin schedule please', '`schedule` takes nothing after it.'],
      ['celebrate with a wrong word', 'celebrate maybe', 'Say `on` or `off` after celebrate'],
      ['nudges optional without on or off', 'nudges optional', 'Say `on` or `off` after nudges'],
    ])('refuses %s with a clear reply and changes nothing', async (_, text, words) => {
      const t = await start('2026-08-03T09:00:00Z');
      const before = await engineSnapshot(t.engine);
      expect(await career(t, ADMIN, text)).toContain(words);
      expect(await engineSnapshot(t.engine)).toEqual(before);
      expect(channelPosts(t)).toEqual([]);
    });

    it.each([['admin channel <#C0GROWTH01|growth>'], ['admin channel off'], ['admin nudge-now'], ['admin schedule']])(
      'refuses `%s` to someone who is not an admin, changing and posting nothing',
      async (text) => {
        const t = await start('2026-08-03T09:00:00Z');
        await t.ctx.stores.growth.setChannel({
          teamId: t.api.teamId,
          channelId: CHANNEL,
          weekday: 1,
          time: '10:00',
          tz: null,
          setBy: ADMIN,
          setAt: '2026-08-01T00:00:00.000Z',
        });
        const before = await engineSnapshot(t.engine);
        expect(await career(t, MAYA, text)).toContain('Only Ripple admins can use `/career admin`');
        expect(await engineSnapshot(t.engine)).toEqual(before);
        expect(channelPosts(t)).toEqual([]);
      },
    );

    it('`admin channel off` stops the weekly post', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      await career(t, ADMIN, `admin channel ${GROWTH}`);
      expect(await career(t, ADMIN, 'admin channel off')).toContain('Weekly growth nudges are off');
      expect(await t.ctx.stores.growth.channel(t.api.teamId)).toBeNull();
      expect(await career(t, ADMIN, 'admin channel off')).toContain('No growth channel was set');
    });
  });

  /** Six teammates at Marketing level 2 since 15 January 2026 (windows open since 15 July), managed by Maya. */
  async function team(t: TestApp, since: Record<string, string> = {}): Promise<void> {
    for (const id of [IRIS, IVAN, INES, OONA, OTTO, OLGA]) {
      await career(t, ADMIN, `set ${m(id)} marketing 2 since ${since[id] ?? '2026-01-15'} manager ${m(MAYA)}`);
    }
  }

  describe.skipIf(skip)('channel growth nudges', () => {
    it('`admin nudge-now` needs a channel, then posts a prompt and anonymous counts there', async () => {
      const t = await start('2026-08-05T09:00:00Z');
      await team(t);
      expect(await career(t, ADMIN, 'admin nudge-now')).toContain('No growth channel is set yet');
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      expect(await career(t, ADMIN, 'admin nudge-now')).toContain(`Posted this week's growth prompt in <#${CHANNEL}>`);
      const post = channelPosts(t).at(-1);
      expectWithinSlackLimits([post]);
      const text = visibleText(post);
      expect(text).toContain('*scope of influence*');
      expect(text).toContain('6 teammates have a window open this month.');
      expect(text).not.toMatch(/<@U/);
    });

    it('leaves out a count of fewer than three people', async () => {
      const t = await start('2026-08-05T09:00:00Z');
      for (const id of [IRIS, IVAN]) await career(t, ADMIN, `set ${m(id)} marketing 2 since 2026-01-15`);
      await career(t, ADMIN, `admin channel ${GROWTH}`);
      await career(t, ADMIN, 'admin nudge-now');
      expect(visibleText(channelPosts(t).at(-1))).not.toContain('teammates have a window');
    });

    it('posts once a week on its day and local time, and says nothing about anyone who did not opt in', async () => {
      const t = await start('2026-08-03T08:00:00Z'); // Monday
      await team(t);
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      for (const id of [IRIS, IVAN, INES])
        expect(await career(t, id, 'celebrate on')).toContain('Done: when you reach');
      await career(t, OLGA, 'celebrate on');
      await career(t, OLGA, 'celebrate off'); // changed her mind
      expect(await career(t, OONA, 'celebrate')).toContain('are not celebrated');
      // Level-ups this week: two who opted in, three who did not (one to the same title as an opted-in one).
      await career(t, ADMIN, `set ${m(IRIS)} marketing 3`);
      await career(t, ADMIN, `set ${m(INES)} marketing 3`);
      await career(t, ADMIN, `set ${m(OONA)} marketing 3`);
      await career(t, ADMIN, `set ${m(OTTO)} engineering 2 since 2026-08-01`);
      await career(t, ADMIN, `set ${m(OLGA)} marketing 3`);
      const welcome = channelPosts(t).length;

      const tick = growthTick(t);
      await ticksUntil(t, tick, '2026-08-09T22:00:00Z');
      const weekly = channelPosts(t).slice(welcome);
      expect(weekly).toHaveLength(1);
      const sentAt = (await t.ctx.stores.growth.weekEntries(t.api.teamId)).filter((e) => e.kind === 'channel');
      expect(sentAt).toMatchObject([{ week: '2026-W32', status: 'sent', sentAt: '2026-08-07T08:00:00.000Z' }]);
      await career(t, ADMIN, 'admin nudge-now');
      const posts = channelPosts(t);
      expectWithinSlackLimits(posts);

      const text = visibleText(weekly[0]);
      expect(text).toContain(`:tada: <@${IRIS}> reached *Coordinator*`);
      expect(text).toContain(`:tada: <@${INES}> reached *Coordinator*`);
      // Ivan opted in but did not move: nothing about him.
      for (const post of posts) {
        const all = `${JSON.stringify(post)}`;
        // The week's examples quote framework levels, which are nobody's in particular: left out here.
        const outsidePrompt = visibleText(post)
          .split('\n')
          .filter((line) => !/^• \*(Engineering|Marketing|Happiness)\*/.test(line))
          .join('\n');
        for (const id of [OONA, OTTO, OLGA, IVAN]) expect(all).not.toContain(id);
        for (const name of ['oona', 'otto', 'olga', 'ivan']) expect(all.toLowerCase()).not.toContain(name);
        for (const title of ['Software Engineer', 'Strategist']) expect(outsidePrompt).not.toContain(title);
        for (const date of ['2026-01-15', '15 January', '2026-07-15', '15 July', '2026-08-01', '1 August', '2026-08']) {
          expect(all).not.toContain(date);
        }
      }
    });
  });

  describe.skipIf(skip)('a channel prompt for everyone', () => {
    it('asks about the shared axes with an example from every team, and See my level shows each reader their own', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      await team(t);
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      await career(t, ADMIN, 'admin nudge-now');
      const post = channelPosts(t).at(-1);
      const text = visibleText(post);
      expect(text).toContain('*scope of influence*');
      expect(text).toContain('*ownership*');
      for (const team of ['Engineering', 'Marketing', 'Happiness']) expect(text).toContain(`• *${team}* (`);
      const button = buttonsOf(post).find((b) => b.text === 'See my level');
      expect(button).toBeDefined();
      const clicked = await t.driver.action({
        user: IRIS,
        actionId: button?.actionId ?? '',
        value: button?.value,
        channel: CHANNEL,
        message: post,
      });
      expect(clicked.status).toBe(200);
      // Iris's own card, only to her: the shared post is not replaced.
      expect(clicked.responses).toHaveLength(1);
      expect(clicked.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(visibleText(clicked.responses[0])).toContain('Strategist');
      expect(t.errors).toEqual([]);
    });

    it('names an open-area title for everyone in the channel: "Head of an area", never "Head of …"', async () => {
      // The week of Monday 30 November 2026 gives Marketing's Level 5 (Head of …) as its example.
      const t = await start('2026-11-30T09:00:00Z');
      await team(t);
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      await career(t, ADMIN, 'admin nudge-now');
      const text = visibleText(channelPosts(t).at(-1));
      expect(text).toContain('• *Marketing* (Level 5 · Head of an area)');
      expect(text).not.toMatch(/Head of (…|\.\.\.)|your area|their area/);
    });

    it('is not repeated on its day after `admin nudge-now`; next week it comes as usual', async () => {
      const t = await start('2026-08-03T09:00:00Z'); // Monday
      await team(t);
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      const nudged = await career(t, ADMIN, 'admin nudge-now');
      expect(nudged).toContain("it counts as this week's post");
      // The next is Friday 14 August, 10:00 in Paris, in Slack's date formatting.
      expect(nudged).toContain(`<!date^${Date.parse('2026-08-14T08:00:00Z') / 1000}^`);
      const before = channelPosts(t).length;
      const tick = growthTick(t);
      // Every hour of this week's Friday (the slot, then the catch-up hours), then next week's slot.
      for (let hour = 6; hour <= 16; hour++) {
        t.clock.set(`2026-08-07T${String(hour).padStart(2, '0')}:00:00Z`);
        await tick();
      }
      expect(channelPosts(t).slice(before)).toEqual([]);
      t.clock.set('2026-08-14T08:00:00Z');
      await tick();
      const after = channelPosts(t).slice(before);
      expect(after).toHaveLength(1);
      const entries = (await t.ctx.stores.growth.weekEntries(t.api.teamId)).filter((e) => e.kind === 'channel');
      expect(entries.map((e) => [e.week, e.status, e.sentAt])).toEqual([
        ['2026-W32', 'sent', '2026-08-03T09:00:00.000Z'],
        ['2026-W33', 'sent', '2026-08-14T08:00:00.000Z'],
      ]);
    });

    it('is not welcomed again when only the day or time changes; the welcome gives the time with its zone', async () => {
      const t = await start('2026-08-03T09:00:00Z');
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      const [welcome] = channelPosts(t);
      expect(visibleText(welcome)).toContain('every Friday at 10:00 Europe/Paris time (next: <!date^');
      const moved = await career(t, ADMIN, `admin channel ${GROWTH} mon 9:00`);
      expect(moved).toContain(`Growth nudges will go to <#${CHANNEL}> every Monday at 09:00 (Europe/Paris).`);
      expect(channelPosts(t)).toHaveLength(1);
      expect(await t.ctx.stores.growth.channel(t.api.teamId)).toMatchObject({ weekday: 1, time: '09:00' });
    });
  });

  describe.skipIf(skip)('manager digest: only in a week when something needs the manager', () => {
    const digestsOf = (t: TestApp) => dmsTo(t, MAYA).filter((d) => String(d.text).startsWith('Your team this week'));
    const digestWeeks = async (t: TestApp) =>
      (await t.ctx.stores.growth.weekEntries(t.api.teamId))
        .filter((e) => e.kind === 'digest')
        .map((e) => `${e.week} ${e.status} ${e.sentAt}`);

    /** A finished one-question check-in of `userId`, made through the store (the check-in itself is not what is tested here). */
    async function finishedCheckin(t: TestApp, userId: string): Promise<number> {
      const at = t.clock.now().toISOString();
      const c = await t.ctx.stores.checkins.create({
        teamId: t.api.teamId,
        userId,
        frameworkId: 'marketing',
        levelId: 'level-2',
        targetLevelId: 'level-3',
        questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'E1' }],
        at,
      });
      await t.ctx.stores.checkins.apply(t.api.teamId, c.id, { kind: 'answer', version: 1, rating: 'sometimes', at });
      return c.id;
    }

    it('sends nothing in the install week or a quiet week, and one in the week a window opens; an optional step is a choice, never past', async () => {
      const t = await start('2026-07-27T09:00:00Z'); // Monday of 2026-W31, before 10:00 in New York
      // Iris: Marketing 2 since 5 February, her window opens on Wednesday 5 August (2026-W32).
      await career(t, ADMIN, `set ${m(IRIS)} marketing 2 since 2026-02-05 manager ${m(MAYA)}`);
      // Ivan: Marketing 4 since 2024: the usual window for the optional Level 5 ended on 1 January 2026.
      await career(t, ADMIN, `set ${m(IVAN)} marketing 4 since 2024-01-01 manager ${m(MAYA)}`);
      await ticksUntil(t, growthTick(t), '2026-08-16T23:00:00Z', 60);
      // Nothing in the install week (W31) nor the week after the opening (W33): one digest, in W32.
      expect(await digestWeeks(t)).toEqual(['2026-W32 sent 2026-08-03T14:00:00.000Z']);
      const [digest] = digestsOf(t);
      expectWithinSlackLimits([digest]);
      expect(digest?.text).toBe(`Your team this week: <@${IRIS}>'s window opens this week.`);
      const shown = visibleText(digest);
      expect(shown).toContain(`<@${IRIS}>'s window for *Coordinator* opens on 5 August 2026`);
      // Ivan's next step is optional: worded as a choice, named as the framework means it, never "past".
      expect(shown).toContain(`<@${IVAN}> · Marketing · Level 4 · Senior`);
      expect(shown).toContain('a step they may or may not want');
      expect(shown).not.toContain('Past their window');
      expect(shown).not.toContain('past the window');
      expect(shown).not.toContain('…');
      expect(t.errors).toEqual([]);
    });

    it('leads with a shared check-in waiting for ratings, with a button that opens the form; counts only what was shared', async () => {
      const t = await start('2026-08-02T12:00:00Z'); // Sunday
      await team(t); // six reports, windows open since 15 July: nothing opening
      const kept = await finishedCheckin(t, IRIS); // Iris keeps this one to herself
      const sharedId = await finishedCheckin(t, IRIS);
      await finishedCheckin(t, IVAN); // and Ivan shares nothing
      const share = await t.driver.action({
        user: IRIS,
        actionId: 'checkin.share',
        value: String(sharedId),
        channel: `D${IRIS}`,
      });
      expect(share.status).toBe(200);
      expect(kept).not.toBe(sharedId);
      const tick = growthTick(t);
      await ticksUntil(t, tick, '2026-08-03T15:00:00Z', 60);
      const [digest] = digestsOf(t);
      expectWithinSlackLimits([digest]);
      expect(digest?.text).toBe(`Your team this week: <@${IRIS}> shared a check-in for your ratings.`);
      const shown = visibleText(digest);
      // The action comes first, right under the header.
      expect(shown.split('\n')[1]).toContain(`<@${IRIS}> shared a check-in with you on 2 August 2026`);
      // Counts of shared check-ins only: Iris's private one and Ivan's are not counted.
      expect(shown).toContain(`<@${IRIS}> · Marketing · Level 2 · Strategist`);
      expect(shown).toMatch(new RegExp(`<@${IRIS}> · [^\\n]*· 1 check-in shared with you, last 2 August 2026`));
      expect(shown).toMatch(new RegExp(`<@${IVAN}> · [^\\n]*· no check-ins shared with you`));
      expect(shown).not.toContain('2 check-ins');
      // The button opens Maya's ratings form for that check-in.
      const button = buttonsOf(digest).find((b) => b.text === 'Add ratings');
      expect(button?.value).toBe(String(sharedId));
      const review = await t.driver.action({
        user: MAYA,
        actionId: button?.actionId as string,
        value: button?.value as string,
        channel: `D${MAYA}`,
      });
      const opened = review.calls.find((c) => c.method === 'views.open');
      const view = opened?.args.view;
      expect((typeof view === 'string' ? JSON.parse(view) : view)?.callback_id).toBe('checkin.ratings');
      await t.driver.viewSubmission({
        user: MAYA,
        callbackId: 'checkin.ratings',
        privateMetadata: JSON.stringify({ c: sharedId }),
        values: { q0: { 'rating-0': { type: 'static_select', selected_option: { value: 'consistently' } } } },
      });
      // Rated: nothing needs Maya the next week.
      await ticksUntil(t, tick, '2026-08-10T23:00:00Z', 60);
      expect(await digestWeeks(t)).toEqual(['2026-W32 sent 2026-08-03T14:00:00.000Z']);
      expect(t.errors).toEqual([]);
    });

    it("tells the manager the week after someone else changes a report's level", async () => {
      const t = await start('2026-08-03T16:00:00Z'); // Monday, after this week's digest hour in New York
      await team(t);
      t.clock.set('2026-08-04T12:00:00Z');
      await career(t, ADMIN, `set ${m(IRIS)} marketing 3`);
      await ticksUntil(t, growthTick(t), '2026-08-10T23:00:00Z', 60);
      expect(await digestWeeks(t)).toEqual(['2026-W33 sent 2026-08-10T14:00:00.000Z']);
      const [digest] = digestsOf(t);
      expect(digest?.text).toBe(`Your team this week: <@${IRIS}>'s level changed.`);
      expect(visibleText(digest)).toContain(
        `<@${IRIS}> moved up to *Marketing · Level 3 · Coordinator* on 4 August 2026.`,
      );
    });

    it('has its own switch: `/career digest off` stops it, `/career nudges off` does not, and each says what it changes', async () => {
      const t = await start('2026-07-27T09:00:00Z'); // Monday of 2026-W31
      await career(t, ADMIN, `set ${m(IRIS)} marketing 2 since 2026-02-05 manager ${m(MAYA)}`); // opens 5 August (W32)
      await career(t, ADMIN, `set ${m(MAYA)} marketing 3 since 2025-01-01`);
      const nudges = await career(t, MAYA, 'nudges off');
      expect(nudges).toContain('Growth reminders are off');
      expect(nudges).toContain('your own next step');
      expect(nudges).toContain('`/career digest off` stops it');
      const tick = growthTick(t);
      await ticksUntil(t, tick, '2026-08-03T15:00:00Z', 60);
      expect(digestsOf(t)).toHaveLength(1);

      // Ivan's level changes on Tuesday: next week's digest would tell Maya, but she turns it off.
      t.clock.set('2026-08-04T12:00:00Z');
      await career(t, ADMIN, `set ${m(IVAN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
      await career(t, ADMIN, `set ${m(IVAN)} marketing 3`);
      const off = await career(t, MAYA, 'digest off');
      expect(off).toContain('weekly team digest is off');
      expect(off).toContain('Your own growth reminders are not changed');
      expect(await career(t, MAYA, 'digest')).toContain('Your weekly team digest is off');
      await ticksUntil(t, tick, '2026-08-10T23:00:00Z', 60);
      expect(digestsOf(t)).toHaveLength(1);
      // Her own reminders stay off: the digest switch is about the digest alone.
      expect((await t.ctx.stores.teammates.get(t.api.teamId, MAYA))?.nudges).toBe('off');

      const on = await career(t, MAYA, 'digest on');
      expect(on).toContain('weekly team digest is on');
      expect(on).toContain('only in a week when something needs you');
      expect(await career(t, MAYA, 'digest maybe')).toContain('Say `on` or `off` after digest');
    });
  });

  describe.skipIf(skip)('/career admin schedule', () => {
    it('shows admins the next 7 days: reminders per kind with recipients, digests and the channel post', async () => {
      const t = await start('2026-08-02T12:00:00Z');
      await team(t);
      await career(t, ADMIN, `admin channel ${GROWTH} fri 10:00`);
      const engine = reminderEngine({
        ctx: t.ctx,
        notifier: t.slack.services.notifier,
        schedule: DEFAULT_DELIVERY,
        log: { warn: () => undefined, error: () => undefined },
      });
      await engine.tick(); // plans everyone: "open" reminders due on Monday
      const before = await engineSnapshot(t.engine);
      const lookups = t.api.calls.filter((c) => c.method === 'users.info').length;
      const shown = await career(t, ADMIN, 'admin schedule');
      expect(shown).toContain('The next 7 days: 7 direct messages and the channel post.');
      // Sunday 2 August in Paris: Monday's reminders, and Maya's digest on Monday (Sunday is no working day).
      expect(shown).toContain(
        `*Window opens*: 6 (Mon 3 Aug 6) — ${[INES, IRIS, IVAN, OLGA, OONA, OTTO].map((id) => `<@${id}>`).join(', ')}`,
      );
      expect(shown).toContain(`*Manager digest*: 1 (Mon 3 Aug 1) — <@${MAYA}>`);
      expect(shown).toContain(`*Channel growth prompt* in <#${CHANNEL}>: 2026-08-07 10:00`);
      expect(shown).toContain('The next 7 days: 7 direct messages and the channel post.');
      expect(shown).toContain('Days are in your time zone (Europe/Paris).');
      // Nobody's zone is stored yet (the tick asks Slack when it sends): the preview says so, and asks nothing.
      expect(shown).toContain("1 manager's time zone is not stored yet");
      // No lookup at all (the admin's own, for permission and zone, was cached by the channel command).
      expect(t.api.calls.filter((c) => c.method === 'users.info').length).toBe(lookups);
      expect(await engineSnapshot(t.engine)).toEqual(before);
      // This week's post already in the ledger (claimed by a tick): Friday's is left out, and the next
      // one is past the 7 days.
      await t.ctx.stores.growth.claimWeek(
        { teamId: t.api.teamId, kind: 'channel', subject: CHANNEL, week: '2026-W32' },
        t.clock.now().toISOString(),
      );
      const after = await career(t, ADMIN, 'admin schedule');
      expect(after).not.toContain('Channel growth prompt');
      expect(after).toContain('The next 7 days: 7 direct messages.');
    });

    it('is right on day one: records set minutes ago are counted as the ticks will send them', async () => {
      const t = await start('2026-08-02T12:00:00Z'); // Sunday
      await team(t);
      await career(t, ADMIN, `set ${m(MAYA)} marketing 2 since 2026-07-01`);
      // No reminder tick has run since the records were set.
      const shown = await career(t, ADMIN, 'admin schedule');
      expect(shown).toContain('The next 7 days: 7 direct messages.');
      expect(shown).toContain('*Window opens*: 6 (Mon 3 Aug 6)');
      expect(shown).toContain(`*Manager digest*: 1 (Mon 3 Aug 1) — <@${MAYA}>`);
      // The ticks of the next 7 days send exactly that.
      const engine = reminderEngine({
        ctx: t.ctx,
        notifier: t.slack.services.notifier,
        schedule: DEFAULT_DELIVERY,
        log: { warn: () => undefined, error: (...a: unknown[]) => t.errors.push(a) },
      });
      const growth = growthTick(t);
      const before = t.api.calls.length;
      await ticksUntil(
        t,
        async () => {
          await engine.tick();
          if (t.clock.now().getUTCMinutes() === 0) await growth();
        },
        '2026-08-09T11:45:00Z',
      );
      const sent = t.api.calls
        .slice(before)
        .filter(
          (c) => c.method === 'chat.postMessage' && c.response?.ok === true && String(c.args.channel).startsWith('D'),
        );
      // Every reminder counted goes out; the digest counted is one that may go out, and the preview says so: nothing
      // needs Maya this week (no check-in to rate, no window opening, no level change), so it is not sent.
      expect(shown).toContain('goes out only if something needs that manager');
      expect(sent).toHaveLength(6);
      expect(sent.every((c) => !String(c.args.text).startsWith('Your team this week'))).toBe(true);
      expect(t.errors).toEqual([]);
    });

    it('names the first 15 in send order, counts the rest per day, and leaves out digests already sent', async () => {
      const t = await start('2026-08-03T06:00:00Z'); // Monday 08:00 in Paris
      await team(t);
      const teamId = t.api.teamId;
      // The team's records planned by a tick (nothing is due yet), then their rows dropped: only the rows
      // written below are counted.
      await reminderEngine({
        ctx: t.ctx,
        notifier: t.slack.services.notifier,
        schedule: DEFAULT_DELIVERY,
        log: { warn: () => undefined, error: () => undefined },
      }).tick();
      for (const id of [IRIS, IVAN, INES, OONA, OTTO, OLGA]) await t.ctx.stores.reminders.dropPlan(teamId, id);
      const people = Array.from({ length: 40 }, (_, i) => `U0PP${String(i).padStart(6, '0')}`);
      // Planned sends on three days, another workspace's plan, and one beyond the 7 days.
      await t.ctx.stores.reminders.setPlans([
        ...people.map((userId, i) => ({
          teamId,
          userId,
          dueAt: `2026-08-0${[3, 4, 6][i % 3]}T${String(8 + (i % 5)).padStart(2, '0')}:00:00.000Z`,
          kind: i % 2 === 0 ? 'open' : `checkin-${1 + (i % 3)}`,
          windowKey: 'marketing/x/2026-01-01',
          plannedAt: '2026-08-03T06:00:00.000Z',
        })),
        {
          teamId: 'T0ELSEWHERE',
          userId: 'U0ELSE0001',
          dueAt: '2026-08-04T09:00:00.000Z',
          kind: 'open',
          windowKey: 'k',
          plannedAt: '2026-08-03T06:00:00.000Z',
        },
        {
          teamId,
          userId: 'U0LATE0001',
          dueAt: '2026-08-11T09:00:00.000Z',
          kind: 'open',
          windowKey: 'k',
          plannedAt: '2026-08-03T06:00:00.000Z',
        },
      ]);
      const opens = people.filter((_, i) => i % 2 === 0);
      const shownFirst = (
        await Promise.all(
          opens.map(async (id) => ({ id, at: (await t.ctx.stores.reminders.getPlan(teamId, id))?.dueAt ?? '' })),
        )
      )
        .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
        .slice(0, 15)
        .map((p) => `<@${p.id}>`);
      const shown = await career(t, ADMIN, 'admin schedule');
      expect(shown).toContain(
        `*Window opens*: 20 (today 7, Tue 4 Aug 6, Thu 6 Aug 7) — ${shownFirst.join(', ')} and 5 more`,
      );
      expect(shown).toContain('*Check-in prompt*: 20 (today 7, Tue 4 Aug 7, Thu 6 Aug 6) — ');
      expect(shown).toContain(`*Manager digest*: 1 (today 1) — <@${MAYA}>`);
      expect(shown).toContain('The next 7 days: 41 direct messages.');
      expect(shown).not.toContain('U0ELSE0001');
      expect(shown).not.toContain('U0LATE0001');
      // This week's digest is in the ledger: the next one is next Monday, past the 7 days.
      await t.ctx.stores.growth.claimWeek(
        { teamId, kind: 'digest', subject: MAYA, week: '2026-W32' },
        '2026-08-03T06:00:00.000Z',
      );
      const after = await career(t, ADMIN, 'admin schedule');
      expect(after).not.toContain('Manager digest');
      expect(after).toContain('The next 7 days: 40 direct messages.');
    });
  });

  describe.skipIf(skip)('optional steps and celebrations, per person', () => {
    it('`/career nudges optional off` stops reminders about an optional step alone, and `on` brings them back', async () => {
      // Marketing level 4 → 5 is optional ("if the person chooses to increase influence").
      const t = await start('2026-06-01T00:00:00Z');
      await career(t, ADMIN, `set ${m(IRIS)} marketing 4 since 2025-06-01 manager ${m(MAYA)}`);
      await career(t, ADMIN, `set ${m(IVAN)} marketing 2 since 2025-12-01 manager ${m(MAYA)}`);
      for (const id of [IRIS, IVAN]) {
        expect(await career(t, id, 'nudges optional off')).toContain('Reminders about optional next steps are off');
      }
      expect((await t.ctx.stores.growth.preferences(t.api.teamId, IRIS)).optionalNudges).toBe('off');
      const nudges = await career(t, IRIS, 'nudges');
      expect(nudges).toContain('Reminders about this optional step are *off*');
      expect(nudges).toContain('Your window for *Head of your area*');
      const engine = reminderEngine({
        ctx: t.ctx,
        notifier: t.slack.services.notifier,
        schedule: DEFAULT_DELIVERY,
        log: { warn: () => undefined, error: () => undefined },
      });
      await ticksUntil(t, engine.tick, '2026-06-02T23:00:00Z');
      expect(remindersTo(t, IRIS)).toEqual([]);
      // Ivan's next step is not optional: his reminder still comes.
      expect(remindersTo(t, IVAN)).toEqual(['Your window for Coordinator is open: 1 June 2026 to 1 December 2026.']);
      await career(t, IRIS, 'nudges optional on');
      await ticksUntil(t, engine.tick, '2026-06-03T23:00:00Z');
      expect(remindersTo(t, IRIS)).toEqual([
        'Head of your area is a step you may or may not want. Its usual window is open: 1 June 2026 to 1 June 2027.',
      ]);
    });

    it('`/career celebrate` without a record says so and changes nothing', async () => {
      const t = await start('2026-06-01T00:00:00Z');
      const before = await engineSnapshot(t.engine);
      expect(await career(t, OONA, 'celebrate on')).toContain("You don't have a career record yet");
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });
  });
});
