import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

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

async function career(user: string, text: string) {
  const reply = await t.driver.command(text, { user });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  return [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');
}

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
    expect(me).toContain('Paused until 2027-02-01');
    expect(me).toContain('Paused: time away does not count');
    expect(me).not.toContain('In the expected window now');
  });

  it('a timeframe the team has not confirmed says so on the card', async () => {
    await career(ADMIN, `set ${m(EVE)} happiness 1 since 2026-05-01`);
    const me = await career(EVE, 'me');
    expect(me).toContain('The team has not confirmed this timeframe yet');
  });
});
