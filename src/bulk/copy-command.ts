/**
 * `npm run copy-db -- --from <sqlite file | postgres://…> --to <postgres://… | sqlite file>`: copies a
 * whole Ripple database into a new, empty one on either engine (src/bulk/copy-database.ts), for moving
 * from SQLite to PostgreSQL when a company wants several instances, or back. Stop Ripple first: a
 * write made during the copy might miss it.
 *
 * `scripts/copy-db.ts` runs it with the process's arguments and streams; tests call runCopyCommand.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isPostgresUrl, openEngine } from '../db/open.js';
import type { Engine } from '../db/sql.js';
import { CliError, type CommandIo, runCli } from './cli.js';
import { copyDatabase } from './copy-database.js';

const USAGE = 'usage: npm run copy-db -- --from <sqlite file | postgres://…> --to <postgres://… | sqlite file>';

/** Where a database is, for messages: a file, or a PostgreSQL URL without its password. */
function describe(where: string): string {
  if (!isPostgresUrl(where)) return where;
  try {
    const url = new URL(where);
    url.password = url.password ? '***' : '';
    return url.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

async function open(where: string, role: 'from' | 'to'): Promise<Engine> {
  if (isPostgresUrl(where)) return openEngine({ databaseUrl: where, databasePath: ':memory:' });
  // Opening creates a missing file: copying from a file that does not exist is a wrong path.
  if (role === 'from' && !existsSync(where)) throw new CliError(`no database at ${where}: check --from`);
  return openEngine({ databasePath: where, busyTimeoutMs: 5_000 });
}

async function main(argv: string[], { stdout }: CommandIo): Promise<number> {
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } } }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const { from, to } = values;
  if (!from || !to) throw new CliError(USAGE, 2);
  if (from === to) throw new CliError('--from and --to are the same database');
  const source = await open(from, 'from');
  try {
    const target = await open(to, 'to');
    try {
      stdout.write(`Copying ${describe(from)} → ${describe(to)}\n`);
      const report = await copyDatabase(source, target, (name, rows) => {
        if (rows > 0) stdout.write(`  ${name}: ${rows}\n`);
      });
      stdout.write(
        `Copied ${report.total} rows in ${report.tables.length} tables; every table counted equal on both sides.\n`,
      );
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export function runCopyCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCli('copy-db', io.stderr, () => main(argv, io));
}
