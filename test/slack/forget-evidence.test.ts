import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { CHEN, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';

/**
 * `/career forget` removes everything issue 17 added about the person, through the offline Slack on both engines:
 * after a line of evidence, an ask to a colleague (answered and kept), and a promotion case, no row in any table
 * names them (their id in any column, or inside any stored text).
 */

let t: TestApp;

/** Every row, in any table, whose values hold the id (alone, in a mention, in stored JSON). */
function rowsNaming(snapshot: Record<string, unknown[]>, userId: string): string[] {
  return Object.entries(snapshot).flatMap(([table, rows]) =>
    rows.filter((row) => JSON.stringify(row).includes(userId)).map((row) => `${table}: ${JSON.stringify(row)}`),
  );
}

const pressIn = async (user: string, message: unknown, text: string) => {
  const button = buttonsOf(message).find((b) => b.text === text);
  expect(button, text).toBeDefined();
  return await t.driver.action({ user, actionId: button?.actionId ?? '', value: button?.value, channel: `D${user}` });
};
const dmTo = (reply: { calls: { method: string; args: Record<string, unknown> }[] }, user: string) =>
  reply.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}`)?.args;
const formOf = (reply: { calls: { method: string; args: Record<string, unknown> }[] }) =>
  reply.calls.find((c) => c.method === 'views.open')?.args.view as { callback_id: string; private_metadata: string };

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    t = await startTestApp({ engine, users: USERS_AND_CHEN, admins: [ADMIN], now: '2026-12-04T10:00:00.000Z' });
    await runCareer(t, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
  });
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  it.skipIf(skip)('after evidence, a kept answer to an ask and a promotion case, no row names the person', async () => {
    expect((await runCareer(t, BEN, 'win Shipped the partner newsletter')).shown).toContain('Saved');

    const asked = await runCareer(t, BEN, `ask <@${CHEN}|chen> ship regularly`);
    const request = dmTo(asked.reply, CHEN);
    const write = await pressIn(CHEN, request, 'Write an example');
    const answerForm = formOf(write);
    const answered = await t.driver.viewSubmission({
      user: CHEN,
      callbackId: answerForm.callback_id,
      privateMetadata: answerForm.private_metadata,
      values: { ask_answer: { text: { type: 'plain_text_input', value: 'Ben shipped every Friday' } } },
    });
    await pressIn(BEN, dmTo(answered, BEN), 'Keep it');

    const proposeForm = formOf((await runCareer(t, MAYA, `propose <@${BEN}|ben>`)).reply);
    const proposed = await t.driver.viewSubmission({
      user: MAYA,
      callbackId: proposeForm.callback_id,
      privateMetadata: proposeForm.private_metadata,
      values: { level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } } },
    });
    await pressIn(BEN, dmTo(proposed, BEN), 'Send it on');
    // Before: the three tables issue 17 added all name him (the kept answer is a line of his evidence).
    const before = rowsNaming(await engineSnapshot(t.engine), BEN).map((r) => r.split(':')[0]);
    for (const table of ['evidence', 'evidence_asks', 'promotion_cases']) expect(before).toContain(table);

    const forget = await runCareer(t, BEN, 'forget me');
    await pressIn(BEN, forget.reply.responses[0], 'Delete my data');
    expect(rowsNaming(await engineSnapshot(t.engine), BEN)).toEqual([]);
    expect(t.errors).toEqual([]);
  });
});
