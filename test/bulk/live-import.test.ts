import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { visibleText } from '../support/blocks.js';

/**
 * An import into the database of a running Ripple: the real script in a process of its own (as an
 * admin runs it), on the app's SQLite file, while signed requests keep arriving through the offline
 * Slack. The scale benchmark does the same with 100,000 rows.
 */

const ADMIN = 'U0ADMIN001';
const BEN = 'U0BEN00001';
const ROWS = 3_000;
const BATCH = 50;
const NEWCOMERS = 400;
const newcomer = (i: number) => `U0NEW${String(i).padStart(5, '0')}`;

const dir = mkdtempSync(join(tmpdir(), 'ripple-live-import-'));
let app: TestApp | undefined;
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function people(count: number): string {
  const id = (i: number) => `U${String(i).padStart(10, '0')}`;
  const lines = ['user,framework,level,since,manager'];
  for (let i = 1; i <= count; i++)
    lines.push(`${id(i)},marketing,${(i % 5) + 1},2024-01-15,${i <= 10 ? '' : id(i % 10 || 10)}`);
  return `${lines.join('\n')}\n`;
}

/** `npm run import`'s script, through tsx (test/startup.test.ts rebuilds dist/ while other files run). */
function importScript(args: string[], databasePath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/import.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: databasePath }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

const shownIn = (reply: Reply) => [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');

describe('an import into the database of a running app', { timeout: 60_000 }, () => {
  it('every request during it is answered, none with 500 or "busy", and the app writes between its batches', async () => {
    const databasePath = join(dir, 'career.db');
    app = await startTestApp({
      databasePath,
      admins: [ADMIN],
      users: [
        { id: ADMIN, name: 'ana', tz: 'Europe/Lisbon' },
        { id: BEN, name: 'ben', tz: 'Europe/London' },
        ...Array.from({ length: NEWCOMERS }, (_, i) => ({ id: newcomer(i), name: `newcomer${i}` })),
      ],
    });
    const live = app;
    // Each a new record: written at once, with history rows (no confirmation step).
    const set = (i: number) =>
      live.driver.command(`set <@${newcomer(i)}> marketing 1 since 2026-01-15`, { user: ADMIN });
    expect(shownIn(await set(0))).toContain('Recorded');
    expect(shownIn(await live.driver.command(`set <@${BEN}> marketing 2 since 2026-01-15`, { user: ADMIN }))).toContain(
      'Recorded',
    );
    const file = join(dir, 'people.csv');
    writeFileSync(file, people(ROWS));

    let running = true;
    const imported = importScript(
      [file, '--team', live.api.teamId, '--batch-size', String(BATCH)],
      databasePath,
    ).finally(() => {
      running = false;
    });
    const replies: { what: string; reply: Reply }[] = [];
    // Three people at once, as Slack sends them: an admin's writes, Slack's events (a write each), a lookup.
    const senders: [string, (i: number) => Promise<Reply>][] = [
      ['set', (i) => set((i % (NEWCOMERS - 1)) + 1)],
      [
        'user_change',
        (i) =>
          live.driver
            .another()
            .event({ type: 'user_change', user: { id: BEN, tz: i % 2 ? 'Asia/Tokyo' : 'Europe/London' } }),
      ],
      ['me', () => live.driver.another().command('me', { user: BEN })],
    ];
    await Promise.all(
      senders.map(async ([what, send]) => {
        for (let i = 0; running; i++) replies.push({ what, reply: await send(i) });
      }),
    );

    const result = await imported;
    expect(result).toMatchObject({
      code: 0,
      stdout: `Imported ${ROWS} teammates (${ROWS} new, 0 updated, 0 unchanged).\n`,
    });
    expect(result.stderr).toContain(`Writing teammates: ${ROWS} rows in ${ROWS / BATCH} batches of at most ${BATCH}`);

    for (const { what, reply } of replies) {
      expect({ what, status: reply.status }).toEqual({ what, status: 200 });
      expect(shownIn(reply)).not.toMatch(/busy|nothing was (changed|saved)/i);
    }
    expect(live.errors).toEqual([]);
    const everyone = await live.ctx.stores.teammates.listAll(live.api.teamId);
    expect(everyone.filter((r) => /^U\d{10}$/.test(r.userId))).toHaveLength(ROWS);

    // The admin's changes landed while the import was writing, between its batches: its history rows
    // have ids inside the range of the import's.
    const span = live.db
      .prepare<[], { first: number; last: number }>(
        "SELECT min(id) AS first, max(id) AS last FROM teammate_history WHERE changed_by = 'import:people.csv'",
      )
      .get();
    const between = live.db
      .prepare<[string, number, number], { n: number }>(
        'SELECT count(*) AS n FROM teammate_history WHERE changed_by = ? AND id BETWEEN ? AND ?',
      )
      .get(ADMIN, span?.first ?? 0, span?.last ?? 0);
    expect(between?.n).toBeGreaterThan(0);
  });
});
