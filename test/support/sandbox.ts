import { PassThrough } from 'node:stream';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { MovableClock } from '../../src/sandbox/clock.js';
import { runSandbox } from '../../src/sandbox/sandbox.js';
import { seedSandbox } from '../../src/sandbox/seed.js';
import { createStores } from '../../src/store/index.js';

/** When every sandbox test starts: Sunday 29 November 2026, 12:00 UTC. */
export const SANDBOX_START = '2026-11-29T12:00:00Z';

/**
 * Runs the local sandbox in process on `lines` as piped input, seeded as `npm start` seeds it, on a
 * movable clock starting at {@link SANDBOX_START}; returns everything it printed, its exit code and
 * its context (to look at the database after).
 */
export async function runSandboxLines(lines: string[]): Promise<{ output: string; code: number; ctx: AppContext }> {
  const db = openDatabase(':memory:');
  const clock = new MovableClock(() => Date.parse(SANDBOX_START));
  const ctx: AppContext = {
    catalog: new Catalog(loadFrameworks('frameworks')),
    stores: createStores(db),
    admins: [],
    clock,
  };
  const seed = await seedSandbox(ctx);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => {
    printed += d.toString();
  });
  input.end(`${lines.join('\n')}\n`);
  const code = await runSandbox({
    ctx,
    db,
    input,
    output,
    people: seed.people,
    intro: seed.intro,
    messages: seed.messages,
    clock,
  });
  return { output: printed, code, ctx };
}
