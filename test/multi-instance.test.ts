import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dmWith, FakeSlackApi } from '../src/offline-slack/fake-slack-api.js';
import { createStores } from '../src/store/index.js';
import { openPostgres, postgresServer, type TestPostgresEngine } from './support/postgres.js';
import { childPort, cleanEnv } from './support/spawn.js';

/**
 * Three Ripple processes, started as a deploy starts them, on one PostgreSQL database and one
 * (offline) Slack, with a reminder tick every 2 seconds: every process plans and sends, and the
 * claims decide who sends what. Each person due a reminder gets exactly one.
 */

const PEOPLE = 30;
const ZONES = ['Europe/Lisbon', 'Asia/Tokyo', 'America/Adak', 'Pacific/Kiritimati', 'America/Sao_Paulo'];
const person = (i: number) => `U0MI${String(i).padStart(6, '0')}`;
const server = postgresServer();

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

function startInstance(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  // tsx, not the build: other test files rebuild dist/ while this one runs.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => output, exited };
}

describe.skipIf(server.skip)('three instances on one PostgreSQL', () => {
  it('send each reminder exactly once, with a 2-second tick in every instance', { timeout: 90_000 }, async () => {
    const api = await FakeSlackApi.start();
    const engine: TestPostgresEngine = await openPostgres();
    try {
      const stores = createStores(engine);
      const at = new Date().toISOString();
      for (let i = 0; i < PEOPLE; i++) {
        const tz = ZONES[i % ZONES.length] as string;
        api.addUser({ id: person(i), name: `person${i}`, tz });
        // Marketing level 2 since 2020: long past its window, so each is due the one "past" reminder.
        await stores.teammates.upsert({
          teamId: api.teamId,
          userId: person(i),
          frameworkId: 'marketing',
          levelId: 'level-2',
          since: '2020-01-15',
          managerId: null,
          changedBy: 'U0ADMIN',
          at,
        });
        await stores.teammates.setTimeZone(api.teamId, person(i), tz, at);
      }
      // Three ports side by side, all below the system's own range (childPort).
      const port = childPort();
      const instances = [0, 1, 2].map((n) =>
        startInstance({
          SLACK_BOT_TOKEN: 'xoxb-multi-instance',
          SLACK_SIGNING_SECRET: 'multi-instance-secret',
          SLACK_API_URL: api.apiUrl,
          PORT: String(port + n),
          DATABASE_URL: `${engine.serverUrl}${engine.databaseName}`,
          REMINDER_CRON: '*/2 * * * * *',
          // Every hour of every day, so the test does not depend on when it runs.
          REMINDER_HOURS: '0-24',
          REMINDER_DAYS: 'mon-sun',
        }),
      );
      const dmsTo = (id: string) =>
        api.calls.filter((c) => c.method === 'chat.postMessage' && dmWith(id)(c) && c.response?.ok === true);
      const everyone = Array.from({ length: PEOPLE }, (_, i) => person(i));
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && !everyone.every((id) => dmsTo(id).length > 0)) {
        await new Promise((r) => setTimeout(r, 250));
      }
      // Three more ticks of every instance: a second send would show by now.
      await new Promise((r) => setTimeout(r, 6_000));
      const logs = instances.map((i) => i.output()).join('\n');
      expect(
        everyone.map((id) => dmsTo(id).length),
        logs.slice(-4_000),
      ).toEqual(everyone.map(() => 1));
      // All three were up and ticking the whole time.
      for (const i of instances) expect(i.output()).toContain('Slack accepted the bot token');
      for (const i of instances) i.child.kill('SIGTERM');
      expect(await Promise.all(instances.map((i) => i.exited))).toEqual([0, 0, 0]);
    } finally {
      await engine.close();
      await api.close();
    }
  });
});
