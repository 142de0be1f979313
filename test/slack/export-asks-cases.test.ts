import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { CHEN, USERS_AND_CHEN } from '../support/evidence.js';
import { ADMIN, BEN, MAYA } from '../support/people.js';
import { engines } from '../support/postgres.js';

/**
 * `/career export` is the person's data: with the evidence log, their asks to colleagues (where each stands as
 * `/career asks` says it, a decline reading as waiting; never an answer's words) and their promotion cases as they
 * may see them (steps, dates, their note and the proposer's; never the admin's decline note, which is the manager's).
 */

const DECLINE_NOTE = 'Not this cycle: the budget is frozen';

let t: TestApp;

type Calls = { calls: { method: string; args: Record<string, unknown> }[] };
const pressIn = async (user: string, message: unknown, text: string) => {
  const button = buttonsOf(message).find((b) => b.text === text);
  expect(button, text).toBeDefined();
  return await t.driver.action({ user, actionId: button?.actionId ?? '', value: button?.value, channel: `D${user}` });
};
const dmTo = (reply: Calls, user: string) =>
  reply.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}`)?.args;
const formOf = (reply: Calls) =>
  reply.calls.find((c) => c.method === 'views.open')?.args.view as { callback_id: string; private_metadata: string };
const submit = (user: string, form: ReturnType<typeof formOf>, values: Record<string, Record<string, unknown>>) =>
  t.driver.viewSubmission({ user, callbackId: form.callback_id, privateMetadata: form.private_metadata, values });
const typed = (value: string) => ({ type: 'plain_text_input', value });

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    t = await startTestApp({ engine, users: USERS_AND_CHEN, admins: [ADMIN], now: '2026-12-04T10:00:00.000Z' });
    await runCareer(t, ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`);
  });
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  it.skipIf(skip)('carries the asks and the cases as the person may see them, exactly', async () => {
    // Chen answers and Ben keeps it; Maya declines hers, which Ben sees only as waiting.
    const toChen = await runCareer(t, BEN, `ask <@${CHEN}|chen> ship regularly`);
    t.clock.advanceDays(1);
    const chenForm = formOf(await pressIn(CHEN, dmTo(toChen.reply, CHEN), 'Write an example'));
    const answered = await submit(CHEN, chenForm, { ask_answer: { text: typed('Ben shipped every Friday') } });
    await pressIn(BEN, dmTo(answered, BEN), 'Keep it');
    const toMaya = await runCareer(t, BEN, `ask <@${MAYA}|maya> ship regularly`);
    await pressIn(MAYA, dmTo(toMaya.reply, MAYA), 'Not this time');

    // A case: proposed with Maya's note, Ben's note added, sent, declined with a note for Maya only.
    t.clock.advanceDays(1);
    const proposeForm = formOf((await runCareer(t, MAYA, `propose <@${BEN}|ben>`)).reply);
    const proposed = await submit(MAYA, proposeForm, {
      level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } },
      note: { text: typed('Led the autumn launch') },
    });
    const caseDm = dmTo(proposed, BEN);
    const noteForm = formOf(await pressIn(BEN, caseDm, 'Add a note'));
    await submit(BEN, noteForm, { note: { text: typed('I also mentored two new hires') } });
    t.clock.advanceDays(1);
    const sent = await pressIn(BEN, caseDm, 'Send it on');
    const declineForm = formOf(await pressIn(ADMIN, dmTo(sent, ADMIN), 'Decline with a note'));
    await submit(ADMIN, declineForm, { note: { text: typed(DECLINE_NOTE) } });

    t.api.reset();
    expect((await runCareer(t, BEN, 'export')).shown).toContain("I've sent everything Ripple holds about you");
    const file = [...t.api.files.values()].find((f) => f.filename.endsWith('.json'));
    const json = /\{[\s\S]*\}/.exec(file?.data ?? '')?.[0] ?? '';
    const data = JSON.parse(json);
    const ship = 'Level 2 · Strategist: Ship regularly, with guidance and oversight.';
    expect(data.asks).toEqual([
      {
        colleague: '@chen',
        expectation: ship,
        context: null,
        status: 'answered and kept in your evidence log',
        askedAt: '2026-12-04T10:00:00.000Z',
        answeredAt: '2026-12-05T10:00:00.000Z',
        closedAt: '2026-12-05T10:00:00.000Z',
      },
      // Maya declined: Ben is not told who ignored or declined what, so it reads as waiting, with no dates after.
      {
        colleague: '@maya',
        expectation: ship,
        context: null,
        status: 'waiting for an answer',
        askedAt: '2026-12-05T10:00:00.000Z',
        answeredAt: null,
        closedAt: null,
      },
    ]);
    expect(data.promotionCases).toEqual([
      {
        for: 'Level 3 · Coordinator',
        from: 'Level 2 · Strategist',
        proposedBy: '@maya',
        status: 'declined',
        proposersNote: 'Led the autumn launch',
        yourNote: 'I also mentored two new hires',
        since: null,
        steps: [
          { step: 'proposed', at: '2026-12-06T10:00:00.000Z', by: '@maya' },
          { step: 'you added a note', at: '2026-12-06T10:00:00.000Z', by: 'you' },
          { step: 'you sent it on', at: '2026-12-07T10:00:00.000Z', by: 'you' },
          { step: 'declined', at: '2026-12-07T10:00:00.000Z', by: '@ana' },
        ],
      },
    ]);
    // The kept answer is in the evidence log (its author Chen), once; its words nowhere else.
    expect(data.evidence.map((e: { text: string; author: string }) => [e.text, e.author])).toEqual([
      ['Ben shipped every Friday', '@chen'],
    ]);
    expect(json.split('Ben shipped every Friday')).toHaveLength(2);
    expect(json).not.toContain(DECLINE_NOTE);
    expect(json).not.toContain(CHEN);
    expect(json).not.toContain(MAYA);
    expect(t.errors).toEqual([]);
  });
});
