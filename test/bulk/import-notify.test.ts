import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImportCommand } from '../../src/bulk/import-command.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { queueWelcomes } from '../../src/slack/welcome.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';

/**
 * `npm run import -- people.csv --notify`: people given a first record get Ripple's welcome, sent by the running
 * app from its outbox; without --notify, and for people who already had a record, nothing is sent.
 */

const ADMIN = 'U0ADMIN001';
const OLD = 'U0OLDHAND1';
const NEW = 'U0NEWHIRE1';

let dir: string;
let app: TestApp;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ripple-import-notify-'));
  app = await startTestApp({
    databasePath: join(dir, 'career.db'),
    admins: [ADMIN],
    users: [
      { id: ADMIN, name: 'adi' },
      { id: OLD, name: 'olga' },
      { id: NEW, name: 'nia' },
    ],
  });
  await app.driver.command(`set <@${OLD}> marketing 2 since 2026-01-15`, { user: ADMIN });
  app.api.reset();
});
afterEach(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function importPeople(extra: string[]): Promise<string> {
  const file = join(dir, 'people.csv');
  writeFileSync(
    file,
    `user,framework,level,since,manager\n${OLD},marketing,3,2026-06-01,\n${NEW},marketing,2,2026-01-15,${OLD}\n`,
  );
  let out = '';
  const io = {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: join(dir, 'career.db') },
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
      isTTY: false,
    },
    stderr: { write: (_s: string) => true, isTTY: false },
  };
  expect(await runImportCommand([file, '--team', app.api.teamId, ...extra], io, { queueWelcomes })).toBe(0);
  // The script runs on the real clock: the app's job looks a minute after it.
  app.clock.set(new Date(Date.now() + 60_000).toISOString());
  return out;
}

const dms = () =>
  app.api.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));

describe('npm run import --notify', () => {
  it('welcomes each person given a first record, once, and nobody else', async () => {
    expect(await importPeople(['--notify'])).toContain('1 welcome DM queued');
    expect((await deliverPending(app.slack.services.outbox)).sent).toBe(1);
    const sent = dms();
    expect(sent.map((c) => c.args.channel)).toEqual([`D${NEW}`]);
    expect(visibleText(sent[0]?.args)).toContain('Welcome to Ripple');
    expect(visibleText(sent[0]?.args)).toContain('What Level 2 (Strategist) expects');
    expect(buttonsOf(sent[0]?.args).map((b) => b.text)).toContain('Start a check-in');
    expect((await deliverPending(app.slack.services.outbox)).sent).toBe(0);
  });

  it('without --notify, nobody is messaged', async () => {
    expect(await importPeople([])).not.toContain('welcome');
    expect((await deliverPending(app.slack.services.outbox)).sent).toBe(0);
    expect(dms()).toEqual([]);
  });
});
