/**
 * `npm run export -- out.csv [--team T0123ABCD] [--include-left]`: writes the workspace's teammates
 * in the format `npm run import` reads (user,framework,level,since,manager), sorted by user id.
 * `-` as the file writes to standard output.
 *
 * People who have left are skipped unless --include-left: their accounts are usually deactivated,
 * and the import rightly refuses deactivated accounts, so including them would break export → import.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { type Config, parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/migrate.js';
import { Catalog } from '../src/frameworks/catalog.js';
import { loadFrameworks } from '../src/frameworks/load.js';
import { exportCsv } from '../src/people/export.js';
import { createStores, type TeammateRecord } from '../src/store/index.js';

const USAGE = 'usage: npm run export -- <out.csv | -> [--team T0123ABCD] [--include-left]';
const TEAM_ID = /^[TE][A-Z0-9]{6,}$/;

// NOTE: CliError, readConfig and the auth.test call mirror scripts/import.ts; the two scripts share no
// module because each is an entry point that runs on load.
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface Args {
  out: string;
  team?: string;
  includeLeft: boolean;
}

function readArgs(argv: string[]): Args {
  let values: { team?: string; 'include-left': boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { team: { type: 'string' }, 'include-left': { type: 'boolean', default: false } },
    }));
  } catch (error) {
    // Node's message goes on about '--' for positionals; its first sentence is what matters here.
    throw new CliError(`${(error as Error).message.split('. ')[0]}. ${USAGE}`, 2);
  }
  const [out, ...rest] = positionals;
  if (out === undefined || rest.length > 0) throw new CliError(USAGE, 2);
  const team = values.team?.trim();
  if (team !== undefined && !TEAM_ID.test(team)) {
    throw new CliError(`--team "${team}" is not a Slack team id (like T0123ABCD)`, 2);
  }
  return { out, team, includeLeft: values['include-left'] };
}

function readConfig(env: NodeJS.ProcessEnv): Config {
  // NOTE: see scripts/import.ts: only the Web API is used, so a receiving-side partner is stood in.
  const bot = env.SLACK_BOT_TOKEN?.trim();
  const partnered =
    bot && !env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim()
      ? { ...env, SLACK_SIGNING_SECRET: 'unused-by-the-export' }
      : env;
  const result = parseConfig(partnered);
  if (!result.ok) throw new CliError(`bad settings (environment variables): ${result.errors.join('; ')}`);
  return result.config;
}

/** --team, or the workspace of the bot token (one auth.test call). */
async function teamOf(config: Config, given: string | undefined): Promise<string> {
  const token = config.slack.botToken;
  if (!token) {
    if (given === undefined) throw new CliError('SLACK_BOT_TOKEN is not set: set it, or pass --team T0123ABCD');
    return given;
  }
  if (given !== undefined) return given;
  const client = new webApi.WebClient(token, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: 30_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  try {
    const teamId = (await client.auth.test()).team_id;
    if (!teamId) throw new CliError('Slack auth.test answered without a team id; pass --team T0123ABCD');
    return teamId;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const e = error as { code?: unknown; data?: { error?: unknown } };
    if (e?.code === webApi.ErrorCode.PlatformError) {
      throw new CliError(`Slack refused auth.test (${String(e.data?.error)}): check SLACK_BOT_TOKEN, or pass --team`);
    }
    throw new CliError(
      `cannot reach Slack for auth.test (check SLACK_API_URL, or pass --team): ${(error as Error).message}`,
    );
  }
}

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

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = readArgs(argv);
  const config = readConfig(env);
  let catalog: Catalog;
  try {
    catalog = new Catalog(loadFrameworks(config.frameworksDir));
  } catch (error) {
    throw new CliError(
      `cannot load the frameworks in ${config.frameworksDir}: ${(error as Error).message.split('\n').join(' ')}`,
    );
  }
  // Opening creates a missing file: an export from a database that does not exist is a wrong DATABASE_PATH.
  if (config.databasePath !== ':memory:' && !existsSync(config.databasePath)) {
    throw new CliError(`no database at ${config.databasePath}: check DATABASE_PATH`);
  }
  const teamId = await teamOf(config, args.team);

  const db = openDatabase(config.databasePath);
  let all: TeammateRecord[];
  try {
    all = createStores(db).teammates.listAll(teamId);
  } finally {
    db.close();
  }
  const records = args.includeLeft ? all : all.filter((r) => r.status !== 'left');
  const csv = exportCsv(records, catalog);
  if (args.out === '-') process.stdout.write(csv);
  else writeAtomically(args.out, csv);

  const n = records.length;
  const skipped = all.length - records.length;
  const where = args.out === '-' ? 'standard output' : args.out;
  const note = skipped > 0 ? ` (${skipped} who left skipped; --include-left to add them)` : '';
  // To stderr when the CSV itself goes to stdout, so the two never mix.
  (args.out === '-' ? console.error : console.log)(`Exported ${n} teammate${n === 1 ? '' : 's'} to ${where}${note}.`);
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`export: ${error instanceof CliError ? message : `failed: ${message.split('\n').join(' ')}`}`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  },
);
