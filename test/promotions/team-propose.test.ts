import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * Propose where managers are: `/career team` offers **Propose a promotion** on each report with a next level and no
 * open case, and it opens the same form as `/career propose`.
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const CY = 'U0CY000001';
const DEE = 'U0DEE00001';
const USERS = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: CY, name: 'cy' },
  { id: DEE, name: 'dee' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;

/** The Propose buttons of a `/career team` reply, each with the report its value names. */
const proposeButtons = (reply: Reply) =>
  reply.responses
    .flatMap((r) => buttonsOf(r))
    .filter((b) => b.text === 'Propose a promotion')
    .map((b) => ({ ...b, for: (JSON.parse(b.value ?? '{}') as { u?: string }).u }));

async function submitProposal(metadata: string) {
  return await t.driver.viewSubmission({
    user: MAYA,
    callbackId: 'promotion.propose.form',
    privateMetadata: metadata,
    values: { level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } } },
  });
}

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    await runCareer(t, ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    await runCareer(t, ADMIN, `set ${m(CY)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    await runCareer(t, ADMIN, `set ${m(DEE)} marketing 5 since 2026-01-15 manager ${m(MAYA)}`);
    t.api.reset();
  });
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  it.skipIf(skip)('offers Propose on reports with a next level and no open case; it opens the form', async () => {
    // Cy already has a case open.
    const asked = await runCareer(t, MAYA, `propose ${m(CY)}`);
    const cyForm = asked.reply.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
    await submitProposal(cyForm.private_metadata);

    const team = await runCareer(t, MAYA, 'team');
    expectWithinSlackLimits(team.reply);
    // Dee is at the top of the framework; Cy's case is open: only Ben is offered.
    expect(proposeButtons(team.reply).map((b) => b.for)).toEqual([BEN]);
    expect(team.shown).toContain(`<@${DEE}>`);

    const [propose] = proposeButtons(team.reply);
    const pressed = await t.driver.action({
      user: MAYA,
      actionId: propose?.actionId ?? '',
      value: propose?.value,
      channel: `D${MAYA}`,
    });
    const form = pressed.calls.find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(form.callback_id).toBe('promotion.propose.form');
    expect(visibleText(form)).toContain('For which level');
    const proposed = await submitProposal(form.private_metadata);
    const benDm = proposed.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`);
    expect(visibleText(benDm?.args)).toContain(`Promotion case for <@${BEN}>`);

    // Now his case is open too: nobody is offered.
    expect(proposeButtons((await runCareer(t, MAYA, 'team')).reply)).toEqual([]);
    // Not on someone else's list, even for an admin.
    expect(proposeButtons((await runCareer(t, ADMIN, `team ${m(MAYA)}`)).reply)).toEqual([]);
    expect(t.errors).toEqual([]);
  });

  it.skipIf(skip)('a pressed button is checked again: a report whose case opened since is refused', async () => {
    const team = await runCareer(t, MAYA, 'team');
    const ben = proposeButtons(team.reply).find((b) => b.for === BEN);
    const asked = await runCareer(t, MAYA, `propose ${m(BEN)}`);
    const form = asked.reply.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
    await submitProposal(form.private_metadata);
    const late = await t.driver.action({ user: MAYA, actionId: ben?.actionId ?? '', value: ben?.value });
    expect(late.responses.map(visibleText).join('\n')).toContain('already open');
    expect(late.calls.filter((c) => c.method === 'views.open')).toEqual([]);
  });
});
