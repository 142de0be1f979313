import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Issue 16, item 1: an optional step (Marketing 4 → 5, "nobody is expected to reach Level 5") is a choice on every
 * surface: the person's card, their manager's `/career team`, `who` and Home. Words are pinned in records-blocks.
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const DEE = 'U0DEE00001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: DEE, name: 'dee' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;
const career = async (user: string, text: string) => (await runCareer(t, user, text)).shown;

/** The Home tab `user` sees when they open it. */
async function home(user: string): Promise<string> {
  const reply = await t.driver.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
  expectWithinSlackLimits(reply);
  const publish = reply.calls.find((c) => c.method === 'views.publish' && c.args.user_id === user);
  expect(publish).toBeDefined();
  return visibleText(publish?.args.view);
}

/** The line of `/career team` (or Home) about `user`. */
const rowOf = (shown: string, user: string) => shown.split('\n').find((l) => l.includes(`<@${user}> ·`)) ?? '';

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    // Ben: Marketing level 4 since 2024, his usual window for Level 5 (12–24 months) over since January 2026.
    await career(ADMIN, `set ${m(BEN)} marketing 4 since 2024-01-15 manager ${m(MAYA)}`);
    // Dee: an expected step (Marketing 2 → 3) past its window, the contrast.
    await career(ADMIN, `set ${m(DEE)} marketing 2 since 2025-01-15 manager ${m(MAYA)}`);
  });
  afterEach(async () => {
    await t.stop();
  });

  describe.skipIf(skip)('an optional step past its usual window', () => {
    it('reads as a choice on the person’s own card and Home', async () => {
      for (const shown of [await career(BEN, 'me'), await home(BEN)]) {
        expect(shown).toContain('Head of your area');
        expect(shown).toContain('a step you may or may not want');
        expect(shown).not.toMatch(/\bpast\b/i);
        expect(shown).not.toContain('expected window');
      }
    });

    it('reads as a choice in the manager’s /career team, who and Home; an expected step still reads as past', async () => {
      const team = await career(MAYA, 'team');
      const managerHome = await home(MAYA);
      for (const shown of [team, managerHome]) {
        const ben = rowOf(shown, BEN);
        expect(ben).toContain('next step optional');
        expect(ben).toContain('a step they may or may not want');
        expect(ben).not.toMatch(/\bpast\b/i);
        expect(rowOf(shown, DEE)).toContain('past the window');
      }
      const who = await career(MAYA, `who ${m(BEN)}`);
      expect(who).toContain('Head of their area');
      expect(who).toContain('a step they may or may not want');
      expect(who).not.toMatch(/\bpast\b/i);
    });
  });
});
