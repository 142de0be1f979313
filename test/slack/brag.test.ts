import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { clickRating, lastQuestion, type Posted } from '../support/checkin-dm.js';
import { runCareer } from '../support/command.js';
import { CHEN, keepEvidence, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';

/**
 * Issue 17, item 6, through the offline Slack: `/career brag` sends the person a Markdown file of their last 12
 * months (evidence by expectation, check-ins' readiness, level changes) and nothing to anyone else; `/career export`
 * carries the whole evidence log. The log is filled through the store: saving it is issue 17's first part.
 */

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  apps = [];
});

const PERMALINK = 'https://example.slack.com/archives/C0LAUNCH/p1764842400000500';

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  async function start() {
    const t = await startTestApp({
      users: USERS_AND_CHEN,
      admins: [ADMIN],
      engine,
      now: '2025-11-01T10:00:00.000Z',
    });
    apps.push(t);
    return t;
  }

  const keep = keepEvidence;

  async function checkin(t: TestApp) {
    let q = lastQuestion(await t.driver.command('checkin', { user: BEN })) as Posted | undefined;
    while (q) q = lastQuestion(await clickRating(t, BEN, q, 'consistently'));
  }

  /** The Markdown files Ripple shared in this app, with the channel each went to. */
  const files = (t: TestApp) => [...t.api.files.values()].filter((f) => f.filename.endsWith('.md'));

  describe.skipIf(skip)('the brag file and the export', () => {
    it('brag: a Markdown file of the last 12 months in the DM, grouped by expectation, escaped, nothing older', async () => {
      const t = await start();
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2025-10-01 manager <@${MAYA}|maya>`, {
        user: ADMIN,
      });
      await t.driver.command(`set <@${MAYA}|maya> marketing 4 since 2025-01-15`, { user: ADMIN });
      await keep(t, 'Thirteen months ago: the old launch', 'ship-regularly');
      await checkin(t);

      t.clock.set('2026-02-02T10:00:00.000Z');
      await keep(
        t,
        'Shipped the *site* & <!channel> [launch](http://evil.example)\n# not a heading',
        'ship-regularly',
        {
          note: 'Two weeks early',
        },
      );
      await keep(t, 'Ben shipped the campaign site on time', 'ship-regularly', {
        source: 'message',
        authorId: CHEN,
        message: { channelId: 'C0LAUNCH', ts: '1764842400.000500', permalink: PERMALINK },
      });
      await keep(t, 'Took the webinar from idea to launch', 'ideas-into-shipped-projects');
      await keep(t, 'Helped onboarding, for no expectation', null);
      await keep(t, 'Maya’s own entry', 'ship-regularly', { userId: MAYA });
      t.clock.set('2026-06-10T10:00:00.000Z');
      await checkin(t);
      t.clock.set('2026-09-01T10:00:00.000Z');
      await t.driver.command(`set <@${BEN}|ben> marketing 3`, { user: ADMIN });

      t.clock.set('2026-12-04T10:00:00.000Z');
      t.api.reset();
      const { shown, reply } = await runCareer(t, BEN, 'brag');
      expect(shown).toContain('Your brag file is in our direct messages');
      const [file] = files(t);
      expect(files(t)).toHaveLength(1);
      expect(file?.channel).toBe(`D${BEN}`);
      expect(file?.filename).toBe('ripple-brag-2026-12-04.md');
      // Nothing reached any channel, nor anyone else's DM.
      const posts = reply.calls.filter((c) => c.method === 'chat.postMessage');
      expect(posts.every((c) => c.args.channel === `D${BEN}`)).toBe(true);
      expect(
        reply.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => c.args.channel_id),
      ).toEqual([`D${BEN}`]);

      const md = file?.data ?? '';
      expect(md).toContain('# My year in Ripple');
      expect(md).toContain('4 December 2025 to 4 December 2026');
      expect(md).toContain('**Now:** Marketing · Level 3 · Coordinator since 2026-09-01');
      // Grouped by expectation: the person's level (now 3), then the next.
      expect(md).toContain('### Level 3 · Coordinator (your level)');
      expect(md).toContain('### Level 4');
      expect(md.indexOf('#### Translate ideas into projects')).toBeGreaterThan(
        md.indexOf('### Level 3 · Coordinator (your level)'),
      );
      expect(md).toContain('Took the webinar from idea to launch');
      // Level 2's entries, kept before the promotion, are the rest.
      expect(md).toContain('### Other evidence');
      expect(md).toContain('Ben shipped the campaign site on time');
      expect(md).toContain('— @chen');
      expect(md).toContain(`[The message in Slack](<${PERMALINK}>)`);
      expect(md).toContain('Helped onboarding, for no expectation');
      // People's words are escaped: no heading, link, mention or HTML of theirs.
      expect(md).toContain(
        'Shipped the \\*site\\* \\& \\<!channel\\> \\[launch\\](http://evil.example)\\\n  \\# not a heading',
      );
      expect(md).toContain('_Note:_ Two weeks early');
      expect(md).not.toMatch(/^# not a heading/m);
      // Nothing older than 12 months, nothing of anyone else's.
      expect(md).not.toContain('Thirteen months ago');
      expect(md).not.toContain('Maya’s own entry');
      // Check-ins in the period, with readiness; the level change.
      expect(md).toContain('## Check-ins');
      expect(md).toContain('- 10 June 2026: readiness 100% for Level 3');
      expect(md).not.toContain('1 November 2025');
      expect(md).toContain('## Level changes');
      expect(md).toContain('- 1 September 2026: Level 2 · Strategist → Level 3 · Coordinator');
      // The DM says what it covers.
      expect(JSON.stringify(reply.calls.find((c) => c.method === 'files.completeUploadExternal')?.args)).toContain(
        '4 pieces of evidence, 1 check-in, 1 level change',
      );
    });

    it('brag without a record: the no-record message; with a name after it: says it is one’s own; no file either way', async () => {
      const t = await start();
      const { shown } = await runCareer(t, MAYA, 'brag');
      expect(shown).toContain("You don't have a career record yet");
      // Someone else's year is not for the asking.
      expect((await runCareer(t, MAYA, `brag <@${BEN}|ben>`)).shown).toContain('`/career brag` takes nothing after it');
      expect(files(t)).toEqual([]);
    });

    it('export carries the whole evidence log: words, note, expectation, source, author, link and dates', async () => {
      const t = await start();
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2025-10-01`, { user: ADMIN });
      await keep(t, 'Ben shipped the campaign site on time', 'ship-regularly', {
        source: 'message',
        authorId: CHEN,
        note: 'From the launch channel',
        message: { channelId: 'C0LAUNCH', ts: '1764842400.000500', permalink: PERMALINK },
      });
      t.clock.advanceDays(400);
      await keep(t, 'A win with no expectation', null);
      t.api.reset();
      const { shown } = await runCareer(t, BEN, 'export');
      expect(shown).toContain("I've sent everything Ripple holds about you");
      const file = [...t.api.files.values()].find((f) => f.filename.endsWith('.json'));
      const json = /\{[\s\S]*\}/.exec(file?.data ?? '')?.[0] ?? '';
      const data = JSON.parse(json);
      expect(data.evidence).toEqual([
        {
          text: 'Ben shipped the campaign site on time',
          note: 'From the launch channel',
          expectation: 'Level 2 · Strategist: Ship regularly, with guidance and oversight.',
          source: 'a saved Slack message',
          author: '@chen',
          permalink: PERMALINK,
          savedAt: '2025-11-01T10:00:00.000Z',
          updatedAt: '2025-11-01T10:00:00.000Z',
        },
        {
          text: 'A win with no expectation',
          note: null,
          expectation: 'no particular one',
          source: 'a win you logged',
          author: null,
          permalink: null,
          savedAt: '2026-12-06T10:00:00.000Z',
          updatedAt: '2026-12-06T10:00:00.000Z',
        },
      ]);
      // Still no internal ids but the person's own: not Chen's, not the channel's, not the message's.
      for (const id of [CHEN, '"channelId"', '1764842400.000500', '"id"']) expect(json).not.toContain(id);
    });
  });
});
