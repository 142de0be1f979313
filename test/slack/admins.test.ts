import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_RULE } from '../../src/career/roles.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';

/**
 * One admin rule (career/roles `isAdmin`): the people in CAREER_ADMINS, plus Slack workspace admins
 * and owners. Every path that asks "is this caller an admin?" answers by it.
 */

const LISTED = 'U0LISTED01';
const SLACK_ADMIN = 'U0SLADMIN1';
const OWNER = 'U0OWNER001';
const BEN = 'U0BEN00001';
const EVE = 'U0EVE00001';
const USERS: FakeUser[] = [
  { id: LISTED, name: 'lia' },
  { id: SLACK_ADMIN, name: 'sam', is_admin: true },
  { id: OWNER, name: 'olu', is_owner: true },
  { id: BEN, name: 'ben' },
  { id: EVE, name: 'eve' },
];
const ADMIN_COMMANDS = ['/career forget @person', '/career admin schedule'];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('one admin rule, through the real app', () => {
  it('/career help shows the admin commands to Slack workspace admins and owners, not only to CAREER_ADMINS', async () => {
    t = await startTestApp({ users: USERS, admins: [LISTED] });
    const app = t;
    const help = async (user: string) => (await runCareer(app, user, 'help')).shown;
    for (const admin of [LISTED, SLACK_ADMIN, OWNER]) {
      const shown = await help(admin);
      for (const command of ADMIN_COMMANDS) expect(shown, `${admin} sees ${command}`).toContain(command);
    }
    const member = await help(BEN);
    for (const command of ADMIN_COMMANDS) expect(member).not.toContain(command);
    expect(t.errors).toEqual([]);
  });

  it('help asks Slack about a caller once an hour: then it answers from the cache, in the ack', async () => {
    t = await startTestApp({ users: USERS, admins: [LISTED] });
    const lookups = (reply: { calls: { method: string }[] }) => reply.calls.filter((c) => c.method === 'users.info');
    const first = await t.driver.command('help', { user: SLACK_ADMIN });
    expect(lookups(first)).toHaveLength(1);
    const again = await t.driver.command('help', { user: SLACK_ADMIN });
    expect(lookups(again)).toEqual([]);
    expect(visibleText(again.ack)).toContain('/career forget @person');
    // CAREER_ADMINS needs no lookup at all.
    expect(lookups(await t.driver.command('help', { user: LISTED }))).toEqual([]);
  });

  it('a Slack workspace admin not in CAREER_ADMINS may set and read records and run /career admin', async () => {
    t = await startTestApp({ users: USERS, admins: [LISTED] });
    const set = await runCareer(t, SLACK_ADMIN, `set <@${BEN}|ben> marketing 2 since 2026-01-15`);
    expect(set.shown).toContain('Recorded');
    expect((await runCareer(t, OWNER, `who <@${BEN}|ben>`)).shown).toContain('Level 2');
    expect((await runCareer(t, SLACK_ADMIN, 'admin schedule')).shown).not.toContain('Only Ripple admins');
    expect((await runCareer(t, EVE, 'admin schedule')).shown).toContain('Only Ripple admins');
    expect((await runCareer(t, EVE, `who <@${BEN}|ben>`)).shown).toContain(
      'Only @ben, their manager and Ripple admins',
    );
  });

  it('without CAREER_ADMINS, a new hire can still ask for a record: the workspace admins and owners are asked', async () => {
    t = await startTestApp({ users: USERS, admins: [] });
    const me = await t.driver.command('me', { user: EVE });
    const shown = [me.ack, ...me.responses].filter(Boolean).map(visibleText).join('\n');
    expect(shown).toContain("You don't have a career record yet. A Ripple admin adds it");
    const [ask] = buttonsOf(me.ack ?? me.responses[0]);
    expect(ask?.text).toBe('Ask for a record');
    const pressed = await t.driver.action({ user: EVE, actionId: ask?.actionId ?? '', value: ask?.value });
    expect(pressed.responses.map(visibleText).join('\n')).toContain(
      `I've asked <@${SLACK_ADMIN}>, <@${OWNER}> to add your career record`,
    );
    const told = pressed.calls
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => c.args.channel)
      .sort();
    expect(told).toEqual([`D${OWNER}`, `D${SLACK_ADMIN}`]);
  });
});

describe('help says the rule, and answers someone without a record in short', () => {
  it('/career help states who the Ripple admins are, to admins and members alike', async () => {
    t = await startTestApp({ users: USERS, admins: [LISTED] });
    await runCareer(t, LISTED, `set <@${BEN}|ben> marketing 2 since 2026-01-15`);
    for (const user of [SLACK_ADMIN, BEN]) {
      const shown = (await runCareer(t, user, 'help')).shown;
      expect(shown).toContain('Slack admins and owners');
      expect(shown).toContain('CAREER_ADMINS');
    }
  });

  it('someone with no record gets what they can do now (look up levels) and can ask for a record from help', async () => {
    t = await startTestApp({ users: USERS, admins: [] });
    const help = await t.driver.command('help', { user: EVE });
    const shown = visibleText(help.ack);
    expect(shown).toContain("You don't have a career record yet");
    expect(shown).toContain('/career level <number> <team>');
    expect(shown).toContain('/career titles');
    // Commands they cannot use yet are not listed.
    for (const later of ['/career pause', '/career export', '/career nudges', '/career set']) {
      expect(shown).not.toContain(later);
    }
    const [ask] = buttonsOf(help.ack);
    expect(ask?.text).toBe('Ask for a record');
    const pressed = await t.driver.action({ user: EVE, actionId: ask?.actionId ?? '', value: ask?.value });
    expect(pressed.responses.map(visibleText).join('\n')).toContain(`<@${SLACK_ADMIN}>, <@${OWNER}>`);
    // With a record, the full help again.
    await runCareer(t, SLACK_ADMIN, `set <@${EVE}|eve> marketing 1 since 2026-01-15`);
    expect((await runCareer(t, EVE, 'help')).shown).toContain('/career pause');
  });

  it("a launch day's asks page through users.list once, not once per new hire", async () => {
    t = await startTestApp({ users: USERS, admins: [] });
    const app = t;
    const ask = async (user: string) => {
      const me = await app.driver.command('me', { user });
      const [button] = buttonsOf(me.ack ?? me.responses[0]);
      return app.driver.action({ user, actionId: button?.actionId ?? '', value: button?.value });
    };
    const asked = [await ask(EVE), await ask(BEN)];
    for (const reply of asked) expect(reply.responses.map(visibleText).join()).toContain("I've asked");
    expect(t.api.calls.filter((c) => c.method === 'users.list')).toHaveLength(1);
  });
});

describe('the admin rule lives once', () => {
  /** Every TypeScript file under `dir`. */
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('the README says the rule in the same words as help', () => {
    expect(readFileSync('README.md', 'utf8').replace(/\s+/g, ' ')).toContain(ADMIN_RULE);
  });

  it('no code outside career/roles.ts decides from Slack role flags or the CAREER_ADMINS list', () => {
    const restated = sources('src')
      .filter((path) => !path.endsWith(join('career', 'roles.ts')))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${path}:${i + 1}`, line }))
          .filter(({ line }) => /\bis_(admin|owner|primary_owner)\s*(===|==|\|\||&&)|admins\.includes\(/.test(line)),
      )
      .map(({ where }) => where);
    expect(restated).toEqual([]);
  });
});
