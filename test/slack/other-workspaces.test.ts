import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { visibleText } from '../support/blocks.js';
import { snapshot } from '../support/db.js';
import { inGridOrg, ORG, sendSlackRequest } from '../support/slack-requests.js';

/**
 * Issue 13, item 4, and the request shapes of item 10: people of other workspaces (Slack Connect,
 * a sibling workspace of the same Grid org) are told whom Ripple serves and nothing else happens;
 * other bots get no reply; Grid-shaped requests from our own workspace work as usual.
 */

const ADMIN = 'W0ADMIN0001';
const BEN = 'W0BEN000001';
const KAI = 'W0KAI000001'; // in Grid, a person keeps one W id in every workspace of the org
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana', tz: 'Europe/Lisbon' },
  { id: BEN, name: 'ben', tz: 'Europe/London' },
  { id: KAI, name: 'kai', tz: 'Europe/Berlin' },
];
const SERVES = 'Ripple serves the Ripple Sandbox workspace only.';

const started: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of started.splice(0)) await stop();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp({ users: USERS, admins: [ADMIN], offline: { prepareApi: inGridOrg }, ...options });
  started.push(() => app.stop());
  // Ben has a record with a manager; Kai has one too (so a wrong "left" or admin would show).
  await app.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${KAI}|kai>`, { user: ADMIN });
  await app.driver.command(`set <@${KAI}|kai> marketing 3 since 2026-01-15`, { user: ADMIN });
  return app;
}

/** Every table but the ledger of event ids already handled (Slack's retries): what a person's data holds. */
function data(t: TestApp) {
  const { processed_events: _handled, ...rest } = snapshot(t.db);
  return rest;
}

const shownIn = (reply: { ack: unknown; responses: unknown[] }) =>
  [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');

describe('a person of another workspace', () => {
  it('a Grid sibling workspace running /career gets one ephemeral line, and nothing else happens', async () => {
    const t = await start();
    const before = snapshot(t.db);
    const reply = await sendSlackRequest(t, 'grid-sibling-command', { user: BEN, enterprise: ORG });
    expect(reply.status).toBe(200);
    expect(reply.ack).toMatchObject({ response_type: 'ephemeral', text: SERVES });
    expect(visibleText(reply.ack)).toBe('Ripple serves the *Ripple Sandbox* workspace only.');
    expect(reply.responses).toEqual([]);
    expect(reply.calls).toEqual([]);
    expect(snapshot(t.db)).toEqual(before);
  });

  it('a Slack Connect partner clicking a button is told the same, and no admin is asked for anything', async () => {
    const t = await start();
    const before = snapshot(t.db);
    const reply = await sendSlackRequest(t, 'slack-connect-block-actions', { user: 'U0PARTNER01' });
    expect(reply.status).toBe(200);
    expect(reply.responses).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: SERVES }),
    ]);
    expect(reply.calls).toEqual([]);
    expect(snapshot(t.db)).toEqual(before);
  });

  it('a Slack Connect partner using Save as evidence is told the same: no form, nothing saved (issue 17)', async () => {
    const t = await start();
    const before = snapshot(t.db);
    const reply = await sendSlackRequest(t, 'slack-connect-message-action', { user: 'U0PARTNER01' });
    expect(reply.status).toBe(200);
    expect(reply.responses).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: SERVES }),
    ]);
    expect(reply.calls).toEqual([]);
    expect(snapshot(t.db)).toEqual(before);
  });

  it('a workspace that is not ours at all is still refused in silence', async () => {
    const t = await start();
    const before = snapshot(t.db);
    const reply = await sendSlackRequest(t, 'grid-sibling-command', { user: BEN, enterprise: 'E0OTHERORG1' });
    expect(reply.status).toBe(200);
    expect(reply.ack).toBeUndefined();
    expect(reply.responses).toEqual([]);
    expect(reply.calls).toEqual([]);
    expect(snapshot(t.db)).toEqual(before);
  });

  it.each([
    ['a Slack Connect partner', { partner: 'T0PARTNER01' }],
    ['a sibling workspace of the Grid org', { partner: 'T0SIBLING01' }],
  ])('a user_change from %s changes nothing: no admin, no "left", no time zone', async (_label, vars) => {
    const t = await start();
    const before = snapshot(t.db);
    // Kai is an admin and deactivated over there, and in Tokyo.
    const reply = await sendSlackRequest(t, 'foreign-user-change', { user: KAI, ...vars });
    expect(reply.status).toBe(200);
    expect(snapshot(t.db)).toEqual(before);
    expect((await t.ctx.stores.teammates.get(t.api.teamId, KAI))?.status).toBe('active');
    // Not an admin here: Kai may read Ben's record only as his manager, not the admin's.
    const other = await t.driver.command(`who <@${ADMIN}|ana>`, { user: KAI });
    expect(shownIn(other)).toContain('Only');
    expect(shownIn(other)).not.toContain('Level');
  });
});

describe('other bots', () => {
  it("another app's bot DMing Ripple gets no reply", async () => {
    const t = await start();
    const before = data(t);
    const reply = await sendSlackRequest(t, 'other-bot-message-im');
    expect(reply.status).toBe(200);
    expect(reply.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(data(t)).toEqual(before);
  });

  it('a legacy bot_message in the DM gets no reply', async () => {
    const t = await start();
    const reply = await sendSlackRequest(t, 'bot-message-subtype-im');
    expect(reply.status).toBe(200);
    expect(reply.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });
});

describe('Grid-shaped requests from our own workspace work as usual', () => {
  it('/career me with enterprise_id and is_enterprise_install false', async () => {
    const t = await start();
    const reply = await sendSlackRequest(t, 'grid-command', { user: BEN, enterprise: ORG });
    expect(reply.status).toBe(200);
    expect(shownIn(reply)).toContain('Marketing · Level 2');
  });

  it('a button with team.enterprise_id and enterprise set', async () => {
    const t = await start();
    const reply = await sendSlackRequest(t, 'grid-block-actions', { user: 'W0NEWHIRE01', enterprise: ORG });
    expect(reply.status).toBe(200);
    expect(reply.responses.map(visibleText).join('\n')).toContain(`I've asked <@${ADMIN}> to add your career record`);
  });

  it('a DM with context ids and several authorizations (ours not first) gets the usual answer', async () => {
    const t = await start();
    const reply = await sendSlackRequest(t, 'grid-message-im', { user: BEN, enterprise: ORG });
    expect(reply.status).toBe(200);
    const posted = reply.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(visibleText(posted[0]?.args)).toContain('/career me');
    expect(t.errors).toEqual([]);
  });

  it('an edited DM (message_changed) gets no reply and changes nothing', async () => {
    const t = await start();
    const before = data(t);
    const reply = await sendSlackRequest(t, 'message-changed-im', { user: BEN, enterprise: ORG });
    expect(reply.status).toBe(200);
    expect(reply.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(data(t)).toEqual(before);
    expect(t.errors).toEqual([]);
  });
});
