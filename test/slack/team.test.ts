import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { snapshot } from '../support/db.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const DEE = 'U0DEE00001';
const EVE = 'U0EVE00001';
const CHEN = 'U0CHEN0001';
const GONE = 'U0GONE0001';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: DEE, name: 'dee' },
  { id: EVE, name: 'eve' },
  { id: CHEN, name: 'chen' },
  { id: GONE, name: 'gone' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
  await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
  await career(ADMIN, `set ${m(DEE)} engineering 1 since 2026-10-01 manager ${m(MAYA)}`);
  await career(ADMIN, `set ${m(EVE)} marketing 1 since 2026-10-01 manager ${m(CHEN)}`);
  await career(ADMIN, `set ${m(GONE)} marketing 1 since 2026-10-01 manager ${m(MAYA)}`);
  await t.driver.event({ type: 'user_change', user: { id: GONE, name: 'gone', deleted: true } });
});
afterEach(async () => {
  await t.stop();
});

/** What the person saw, as text. */
const career = async (user: string, text: string) => (await runCareer(t, user, text)).shown;

describe('/career team', () => {
  it('lists exactly the caller’s current reports, with level, time at level and window state', async () => {
    const before = snapshot(t.db);
    const shown = await career(MAYA, 'team');
    const listed = [...shown.matchAll(/<@(U[0-9A-Z]+)> ·/g)].map((x) => x[1]);
    expect(listed.sort()).toEqual([BEN, DEE].sort());
    expect(shown).toContain(
      `<@${BEN}> · Marketing Level 2 · Strategist · 10 months at the level · in the expected window`,
    );
    expect(shown).toContain(
      `<@${DEE}> · Engineering Level 1 · Software Engineer · 2 months at the level · window not open yet (from 2027-04-01)`,
    );
    expect(snapshot(t.db)).toEqual(before);
  });

  it('shows a paused report as paused', async () => {
    await career(BEN, 'pause');
    expect(await career(MAYA, 'team')).toContain(
      `<@${BEN}> · Marketing Level 2 · Strategist · 10 months at the level · paused`,
    );
  });

  it('someone with no reports is told how a report is recorded', async () => {
    expect(await career(BEN, 'team')).toContain('nobody has you as their manager of record yet');
  });

  it('an admin may list anyone’s reports; nobody else may', async () => {
    expect(await career(ADMIN, `team ${m(CHEN)}`)).toContain(`<@${EVE}> ·`);
    const refused = await career(BEN, `team ${m(MAYA)}`);
    expect(refused).toContain("Only Ripple admins can list someone else's reports");
    expect(refused).not.toContain(`<@${DEE}>`);
  });

  it('a manager’s Home tab shows the same list', async () => {
    const reply = await t.driver.event({ type: 'app_home_opened', user: MAYA, channel: `D${MAYA}`, tab: 'home' });
    const view = reply.calls.find((c) => c.method === 'views.publish')?.args.view;
    const text = visibleText(view);
    expect(text).toContain('Your reports (2)');
    expect(text).toContain(`<@${BEN}> · Marketing Level 2`);
    expectWithinSlackLimits(reply);
  });
});
