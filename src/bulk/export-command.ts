/**
 * `npm run export -- out.csv [--team T0123ABCD] [--include-left]`: writes the workspace's teammates
 * in the format `npm run import` reads (user,framework,level,since,manager), sorted by user id.
 * `-` as the file writes to standard output.
 *
 * People who have left are skipped unless --include-left: their accounts are usually deactivated,
 * and the import rightly refuses deactivated accounts, so including them would break export → import.
 *
 * `scripts/export.ts` runs it with the process's arguments, environment and streams; tests call
 * runExportCommand directly.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { Catalog } from '../frameworks/catalog.js';
import { loadFrameworks } from '../frameworks/load.js';
import {
  CliError,
  type CommandIo,
  parseCliArgs,
  readCliConfig,
  runCli,
  slackClientFor,
  teamOf,
  withCliStores,
} from './cli.js';
import { exportCsv } from './export.js';

const USAGE = 'usage: npm run export -- <out.csv | -> [--team T0123ABCD] [--include-left]';
/** Besides --team, which parseCliArgs adds. */
const OPTIONS = { 'include-left': { type: 'boolean', default: false } } as const;

/** Through a temporary file and a rename, so an interrupted export never leaves half a CSV under the real name. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

async function main(argv: string[], { env, stdout, stderr }: CommandIo): Promise<number> {
  const { path: out, team, values } = parseCliArgs(argv, OPTIONS, USAGE);
  const config = readCliConfig(env, 'export');
  let catalog: Catalog;
  try {
    catalog = new Catalog(loadFrameworks(config.frameworksDir));
  } catch (error) {
    throw new CliError(
      `cannot load the frameworks in ${config.frameworksDir}: ${(error as Error).message.split('\n').join(' ')}`,
    );
  }
  // --team is taken as given; without it, one auth.test call names the workspace.
  const teamId = await teamOf(slackClientFor(config, { retries: 3 }), team);
  const all = await withCliStores(config, (stores) => stores.teammates.listAll(teamId), {
    mustExist: 'nothing to export',
  });
  const records = values['include-left'] ? all : all.filter((r) => r.status !== 'left');
  const csv = exportCsv(records, catalog);
  if (out === '-') stdout.write(csv);
  else writeAtomically(out, csv);

  const n = records.length;
  const skipped = all.length - records.length;
  const where = out === '-' ? 'standard output' : out;
  const note = skipped > 0 ? ` (${skipped} who left skipped; --include-left to add them)` : '';
  // To stderr when the CSV itself goes to stdout, so the two never mix.
  (out === '-' ? stderr : stdout).write(`Exported ${n} teammate${n === 1 ? '' : 's'} to ${where}${note}.\n`);
  return 0;
}

/**
 * `npm run export` with these arguments (after `--`), environment and streams. Returns the exit
 * status; a failure is one line on `io.stderr`, never an exception.
 */
export function runExportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCli('export', io.stderr, () => main(argv, io));
}
