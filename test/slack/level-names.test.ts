import { afterEach, describe, expect, it } from 'vitest';
import { digestFor, growthDepsFrom } from '../../src/growth/service.js';
import type { Reply } from '../../src/offline-slack/driver.js';
import { digestMessage } from '../../src/slack/blocks/growth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { ADMIN, BEN, MAYA, USERS } from '../support/people.js';
import { engines } from '../support/postgres.js';

/**
 * Tracks by title (issue 16, item 10): every surface names a side track or a path after a fork by its
 * title, never by the level's number in the file, and says "main track" only where there is another.
 */

const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

/** What Ripple posted to someone's DM in this reply, as text. */
const posted = (reply: Reply) =>
  reply.calls.filter((c) => c.method === 'chat.postMessage' && c.response?.ok === true).map((c) => c.args);

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  const start = () => startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-30T15:00:00Z' });

  describe.skipIf(skip)('a check-in names the paths after a fork by title', () => {
    it('Senior Engineer: the picker offers Senior Engineer II or Staff Engineer; questions and readiness name them', async () => {
      t = await start();
      await runCareer(t, ADMIN, `set ${m(BEN)} engineering 4 since 2024-01-15 manager ${m(MAYA)}`);
      const picker = await runCareer(t, BEN, 'checkin');
      const paths = picker.reply.responses.flatMap((r) => buttonsOf(r));
      expect(paths.map((b) => b.text)).toEqual(['Senior Engineer II', 'Staff Engineer']);
      expect(picker.shown).not.toMatch(/Level [56]/);

      const staff = paths[1];
      let reply = await t.driver.action({ user: BEN, actionId: staff?.actionId ?? '', value: staff?.value });
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        const question = posted(reply).find((p) => buttonsOf(p).some((b) => b.actionId.startsWith('checkin.rate.')));
        seen.push(...posted(reply).map(visibleText));
        if (!question) break;
        const rate = buttonsOf(question).find((b) => b.actionId === 'checkin.rate.consistently');
        reply = await t.driver.action({
          user: BEN,
          actionId: rate?.actionId ?? '',
          value: rate?.value,
          channel: `D${BEN}`,
          message: { ts: '1.1' },
        });
      }
      const all = seen.join('\n');
      expect(all).toContain('*Senior Engineer* · 1 of 9');
      expect(all).toContain('*Staff Engineer* · 6 of 9');
      expect(all).toContain('Readiness for Staff Engineer:* 100%');
      expect(all).not.toMatch(/Level [456]\b/);
      expect(t.errors).toEqual([]);
    });

    it('Happiness Hero III: each side track is offered by its title and track', async () => {
      t = await start();
      await runCareer(t, ADMIN, `set ${m(BEN)} happiness 3 since 2024-01-15`);
      const picker = await runCareer(t, BEN, 'checkin');
      expect(picker.reply.responses.flatMap((r) => buttonsOf(r)).map((b) => b.text)).toEqual([
        'Onboarding and Education Specialist I (Onboarding and Education track)',
        'Happiness Lead (Happiness Lead track)',
        'Tech Hero (Tech Hero track)',
      ]);
      expect(picker.shown).not.toMatch(/Level [4-7]\b/);
    });
  });

  describe.skipIf(skip)('cards, lookups, team and digest', () => {
    it("a side track's card names it by title and track; Marketing's lookup has no main track", async () => {
      t = await start();
      await runCareer(t, ADMIN, `set ${m(BEN)} happiness 6 since 2026-01-15`);
      const me = (await runCareer(t, BEN, 'me')).shown;
      expect(me).toContain('Happiness · Happiness Lead (Happiness Lead track)');
      expect(me).not.toContain('Level 6');

      const marketing = (await runCareer(t, BEN, 'level 1 marketing')).shown;
      expect(marketing).toContain('Level 1 of 5');
      expect(marketing).not.toContain('main track');
      // Happiness has side tracks: there, the main track is named as such.
      expect((await runCareer(t, BEN, 'level 2 happiness')).shown).toContain('Level 2 of 3 on the main track');
    });

    it("one person's title reads the same in /career team and in the manager's digest", async () => {
      t = await start();
      await runCareer(t, ADMIN, `set ${m(BEN)} marketing "Social Media Marketer" since 2026-06-01 manager ${m(MAYA)}`);
      const team = (await runCareer(t, MAYA, 'team')).shown;
      const place = 'Marketing · Level 1 · Social Media Marketer';
      expect(team).toContain(`<@${BEN}> · ${place}`);
      const services = t.slack.services;
      const deps = growthDepsFrom(t.ctx, { directory: services.directory, poster: services.background });
      const digest = visibleText(digestMessage(await digestFor(deps, t.api.teamId, MAYA, null)));
      expect(digest).toContain(`<@${BEN}> · ${place}`);
    });
  });
});
