import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../src/db/postgres.js';
import { SlackDriver } from '../src/offline-slack/driver.js';
import { dmWith, FakeSlackApi, type RecordedCall } from '../src/offline-slack/fake-slack-api.js';
import { buttonsOf, visibleText } from './support/blocks.js';
import { ADMIN, BEN, MAYA } from './support/people.js';
import { createPostgresDatabase, dropDatabase, postgresServer } from './support/postgres.js';
import { childPort, cleanEnv } from './support/spawn.js';

/**
 * `DATABASE_URL=postgres://… npm start` runs the whole product on PostgreSQL: one Ripple process in
 * HTTP mode, started as a deploy starts it, on a fresh PostgreSQL database and the offline Slack.
 * Commands, a check-in, a reminder and the Home tab all work, every record lands in PostgreSQL, and
 * no SQLite file is written: not at DATABASE_PATH, not at the default data/career.db of its working
 * directory (a temp directory of its own).
 */

const server = postgresServer();
const SECRET = 'postgres-process-secret';
/** A teammate long past their window: the reminder tick has a reminder due for them at once. */
const CHEN = 'U0CHEN0001';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** A day `days` before today, as YYYY-MM-DD: the record's dates hold whatever day the test runs. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** Waits until `found` gives something (the process works after its ack, as Bolt does). */
async function waitFor<T>(
  what: string,
  found: () => T | undefined | Promise<T | undefined>,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within 10 s\n${output().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ok = (c: RecordedCall) => c.status === 200 && c.response?.ok === true;

describe.skipIf(server.skip)('DATABASE_URL=postgres://… runs the whole product', () => {
  it('commands, a check-in click, a reminder and the Home tab, all kept in PostgreSQL, no SQLite file written', {
    timeout: 60_000,
  }, async () => {
    const url = server.url as string;
    const api = await FakeSlackApi.start();
    for (const [id, name] of [
      [ADMIN, 'ana'],
      [MAYA, 'maya'],
      [BEN, 'ben'],
      [CHEN, 'chen'],
    ] as const) {
      api.addUser({ id, name, tz: 'Europe/London' });
    }
    const database = await createPostgresDatabase(url, { migrated: false });
    const engine = new PostgresEngine(`${url}${database}`);
    const cwd = mkdtempSync(join(tmpdir(), 'ripple-pg-process-'));
    const databasePath = join(cwd, 'ripple.db');
    try {
      const port = childPort();
      // tsx, not the build: other test files rebuild dist/ while this one runs. Resolved to a file here,
      // since the process runs in its own directory, where there is no node_modules.
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const child = spawn(process.execPath, ['--import', tsx, resolve('src/main.ts')], {
        cwd,
        env: cleanEnv({
          SLACK_BOT_TOKEN: 'xoxb-postgres-process',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: api.apiUrl,
          PORT: String(port),
          DATABASE_URL: `${url}${database}`,
          DATABASE_PATH: databasePath,
          FRAMEWORKS_DIR: resolve('frameworks'),
          CAREER_ADMINS: ADMIN,
          // A tick every second, every hour of every day, so the reminder does not depend on when the test runs.
          REMINDER_CRON: '* * * * * *',
          REMINDER_HOURS: '0-24',
          REMINDER_DAYS: 'mon-sun',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      const log = () => output;
      const exited = new Promise<number | null>((done) => child.on('close', done));

      // Up, on a database it migrated itself.
      await waitFor('/healthz 200', () => (output.includes('Ripple is ready') ? true : undefined), log);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      const slack = new SlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, api });
      const said = (from: number) =>
        api.responses
          .slice(from)
          .map((r) => visibleText(r.body))
          .join('\n');

      // /career set by the admin: kept in PostgreSQL, and Ben is told in his DM.
      let responses = api.responses.length;
      const set = await slack.command(`set <@${BEN}|ben> marketing 2 since ${daysAgo(30)} manager <@${MAYA}|maya>`, {
        user: ADMIN,
      });
      expect(set.status).toBe(200);
      await waitFor('the set reply', () => (said(responses).includes('Recorded') ? true : undefined), log);
      expect(said(responses)).toContain(`Recorded <@${BEN}> at *Marketing · Level 2 · Strategist*`);
      expect(
        await engine.sql.get(
          'SELECT framework_id, level_id, manager_id FROM teammates WHERE team_id = ? AND user_id = ?',
          [api.teamId, BEN],
        ),
      ).toEqual({ framework_id: 'marketing', level_id: 'level-2', manager_id: MAYA });
      await waitFor(
        'the DM to Ben',
        () => api.calls.find((c) => ok(c) && c.method === 'chat.postMessage' && dmWith(BEN)(c)),
        log,
      );

      // /career me shows it (in the ack, or by response_url once the record is read).
      responses = api.responses.length;
      const me = await slack.command('me', { user: BEN });
      const card = () => `${visibleText(me.ack)}\n${said(responses)}`;
      await waitFor('the card', () => (card().includes('Strategist') ? true : undefined), log);
      expect(card()).toContain('Marketing · Level 2 · Strategist');

      // /career checkin: the first question in Ben's DM; a click answers it and asks the next.
      const before = api.calls.length;
      await slack.command('checkin', { user: BEN });
      const question = await waitFor(
        'the first question',
        () =>
          api.calls
            .slice(before)
            .find((c) => ok(c) && c.method === 'chat.postMessage' && visibleText(c.args).includes('1 of 13')),
        log,
      );
      expect(question.args.channel).toBe(`D${BEN}`);
      const rate = buttonsOf(question.args).find((b) => b.actionId === 'checkin.rate.consistently');
      expect(rate?.value).toBeDefined();
      const clicked = api.calls.length;
      await slack.action({
        user: BEN,
        actionId: 'checkin.rate.consistently',
        value: rate?.value,
        channel: `D${BEN}`,
        message: { ts: question.response?.ts },
      });
      await waitFor(
        'the second question',
        () =>
          api.calls
            .slice(clicked)
            .find((c) => ok(c) && c.method === 'chat.postMessage' && visibleText(c.args).includes('2 of 13')),
        log,
      );
      expect(api.calls.slice(clicked).some((c) => ok(c) && c.method === 'chat.update')).toBe(true);
      const answers = () => engine.sql.all("SELECT position, rating FROM checkin_answers WHERE rater = 'self'");
      await waitFor('the answer kept', async () => ((await answers()).length > 0 ? true : undefined), log);
      expect(await answers()).toEqual([{ position: 0, rating: 'consistently' }]);

      // A record long past its window: the reminder tick (every second here) sends Chen one reminder.
      await slack.command(`set <@${CHEN}|chen> marketing 2 since ${daysAgo(800)}`, { user: ADMIN });
      const reminder = await waitFor(
        'the reminder to Chen',
        () =>
          api.calls.find(
            (c) =>
              ok(c) &&
              c.method === 'chat.postMessage' &&
              dmWith(CHEN)(c) &&
              /window for Coordinator ended on/.test(String(c.args.text)),
          ),
        log,
      );
      expect(String(reminder.args.text)).toMatch(/^Your expected window for Coordinator ended on /);
      // Kept as sent once Slack took it (the ledger's update follows the post by a moment).
      const ledger = () =>
        engine.sql.all<{ user_id: string; status: string }>(
          'SELECT user_id, status FROM reminder_ledger WHERE team_id = ?',
          [api.teamId],
        );
      await waitFor(
        'the reminder kept as sent',
        async () => ((await ledger()).some((r) => r.status === 'sent') ? true : undefined),
        log,
      );
      expect(await ledger()).toEqual([{ user_id: CHEN, status: 'sent' }]);

      // The Home tab.
      const published = api.callsTo('views.publish').length;
      await slack.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' });
      const home = await waitFor(
        'views.publish',
        () =>
          api
            .callsTo('views.publish')
            .slice(published)
            .find((c) => ok(c) && c.args.user_id === BEN),
        log,
      );
      expect(visibleText(home.args.view)).toContain('Marketing · Level 2 · Strategist');

      child.kill('SIGTERM');
      expect(await exited, output.slice(-3_000)).toBe(0);
      expect(output).not.toContain('"level":"error"');
      // Nothing of SQLite anywhere: not the file DATABASE_PATH names, nor data/ in the working directory.
      expect(existsSync(databasePath)).toBe(false);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      await engine.close();
      await dropDatabase(url, database);
      await api.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
