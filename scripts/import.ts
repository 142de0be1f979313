/**
 * Bulk onboarding: `npm run import -- people.csv [--team T0123ABCD] [--dry-run]`.
 *
 * Reads a CSV of `user,framework,level,since,manager`, checks every row and looks every person up in
 * Slack, and only then writes, all rows in one transaction. Any problem in any row means nothing is
 * written and every problem is listed with its line. Exit status: 0 imported (or valid, with
 * --dry-run), 1 problems or an error, 2 wrong usage.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { todayIn } from '../src/career/dates.js';
import { type Config, parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/migrate.js';
import { Catalog } from '../src/frameworks/catalog.js';
import { loadFrameworks } from '../src/frameworks/load.js';
import { parseCsv } from '../src/people/csv.js';
import { formatProblem, planImport, type ResolveResult, type ResolveUser } from '../src/people/import.js';
import { createProgress, type Progress } from '../src/people/progress.js';
import { createStores, InvalidInputError } from '../src/store/index.js';

const USAGE = 'usage: npm run import -- <people.csv> [--team T0123ABCD] [--dry-run]';
const TEAM_ID = /^[TE][A-Z0-9]{6,}$/;

/** A failure explained in one line for the person at the terminal; anything else is a bug. */
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
  file: string;
  team?: string;
  dryRun: boolean;
}

const OPTIONS = { team: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } as const;

function readArgs(argv: string[]): Args {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // Node's message goes on about '--' for positionals; its first sentence is what matters here.
    throw new CliError(`${(error as Error).message.split('. ')[0]}. ${USAGE}`, 2);
  }
  const [file, ...rest] = parsed.positionals;
  if (file === undefined || rest.length > 0) throw new CliError(USAGE, 2);
  const team = parsed.values.team?.trim();
  if (team !== undefined && !TEAM_ID.test(team)) {
    throw new CliError(`--team "${team}" is not a Slack team id (like T0123ABCD)`, 2);
  }
  return { file, team, dryRun: parsed.values['dry-run'] };
}

function readConfig(env: NodeJS.ProcessEnv): Config {
  // NOTE: parseConfig chooses how the *app* receives events and wants a signing secret or an app token
  // beside the bot token. This script only calls the Web API, so it stands in a placeholder rather
  // than make an admin set a secret it never uses.
  const bot = env.SLACK_BOT_TOKEN?.trim();
  const partnered =
    bot && !env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim()
      ? { ...env, SLACK_SIGNING_SECRET: 'unused-by-the-import' }
      : env;
  const result = parseConfig(partnered);
  if (!result.ok) throw new CliError(`bad settings (environment variables): ${result.errors.join('; ')}`);
  return result.config;
}

/** The file as text. Spreadsheets sometimes save UTF-16 or a legacy code page: say so instead of importing mojibake. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CliError(`${file} is saved as UTF-16: save it as "CSV UTF-8" and try again`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${file} is not UTF-8 text: save it as "CSV UTF-8" and try again`);
  }
}

function loadCatalog(dir: string): Catalog {
  try {
    return new Catalog(loadFrameworks(dir));
  } catch (error) {
    throw new CliError(`cannot load the frameworks in ${dir}: ${(error as Error).message.split('\n').join(' ')}`);
  }
}

function slackErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } };
  return e?.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

/** One line for a Slack failure that no row can fix: the token, a scope, or the network. */
function slackFailure(method: string, error: unknown): CliError {
  const code = slackErrorCode(error);
  if (code === 'missing_scope') {
    const needed = (error as { data?: { needed?: unknown } }).data?.needed;
    return new CliError(
      `Slack refused ${method}: the bot token lacks the ${typeof needed === 'string' ? needed : 'needed'} scope; add it under OAuth & Permissions and reinstall the app`,
    );
  }
  if (code && ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(code)) {
    return new CliError(`Slack refused the bot token (${code}): check SLACK_BOT_TOKEN`);
  }
  if (code) return new CliError(`Slack ${method} failed: ${code}`);
  return new CliError(
    `cannot reach Slack for ${method} (check SLACK_API_URL and the network): ${(error as Error).message}`,
  );
}

type SlackUser = { id?: string; deleted?: boolean; is_bot?: boolean };

function checkPerson(user: SlackUser | undefined, byEmail: boolean): ResolveResult {
  if (!user?.id) return { ok: false, reason: 'Slack answered without a user' };
  const who = byEmail ? `the Slack account with this email (${user.id})` : 'this Slack user';
  if (user.deleted) return { ok: false, reason: `${who} is deactivated` };
  // NOTE: Slackbot (USLACKBOT) is not flagged is_bot, but it is no more a person than the other bots.
  if (user.is_bot || user.id === 'USLACKBOT') return { ok: false, reason: `${who} is a bot, not a person` };
  return { ok: true, userId: user.id };
}

/**
 * Looks people up in Slack: emails with users.lookupByEmail, ids with users.info, so a typo in an id
 * or a deactivated account is caught here rather than becoming a record nobody can reach.
 */
function slackResolver(client: webApi.WebClient): ResolveUser {
  return async (key) => {
    const byEmail = key.includes('@');
    const method = byEmail ? 'users.lookupByEmail' : 'users.info';
    try {
      const answer = byEmail
        ? await client.users.lookupByEmail({ email: key })
        : await client.users.info({ user: key });
      return checkPerson(answer.user, byEmail);
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'users_not_found') return { ok: false, reason: 'no Slack account in this workspace has this email' };
      if (code === 'user_not_found') return { ok: false, reason: 'no Slack user in this workspace has this id' };
      throw slackFailure(method, error);
    }
  };
}

/** Without a token, ids are taken on trust and emails cannot be looked up. */
const offlineResolver: ResolveUser = async (key) =>
  key.includes('@')
    ? {
        ok: false,
        reason: 'emails are looked up in Slack, which needs SLACK_BOT_TOKEN; write the Slack user id instead',
      }
    : { ok: true, userId: key };

function createClient(config: Config, token: string, onRateLimited: (seconds: number) => void): webApi.WebClient {
  const client = new webApi.WebClient(token, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // Wait out 429s (Retry-After) instead of failing the import half-way through the lookups.
    rejectRateLimitedCalls: false,
    // The default retries for about 30 minutes; a script someone is watching should give up sooner.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: 30_000,
    // Its info lines would break the progress bar; rate limits are reported through onRateLimited.
    logLevel: webApi.LogLevel.ERROR,
  });
  client.on(webApi.WebClientEvent.RATE_LIMITED, onRateLimited);
  return client;
}

async function teamOf(client: webApi.WebClient, given: string | undefined): Promise<string> {
  let teamId: string | undefined;
  try {
    teamId = (await client.auth.test()).team_id;
  } catch (error) {
    throw slackFailure('auth.test', error);
  }
  if (!teamId) throw new CliError('Slack auth.test answered without a team id; pass --team T0123ABCD');
  if (given !== undefined && given !== teamId) {
    throw new CliError(`--team ${given} does not match the workspace of SLACK_BOT_TOKEN (${teamId})`);
  }
  return teamId;
}

/** `changedBy` on every history row: the store accepts letters, digits and `_.:-`, at most 64. */
function actorFor(file: string): string {
  return `import:${basename(file).replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 64);
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = readArgs(argv);
  const config = readConfig(env);
  const name = basename(args.file);
  const csv = parseCsv(readText(args.file));
  if (!csv.ok) throw new CliError(`${name} line ${csv.line}: ${csv.message}`);
  const catalog = loadCatalog(config.frameworksDir);

  let progress: Progress | undefined;
  let resolveUser = offlineResolver;
  let teamId = args.team;
  const token = config.slack.botToken;
  if (token) {
    const client = createClient(config, token, (seconds) =>
      progress?.note(`Slack asked to slow down: waiting ${seconds} s before the next lookups.`),
    );
    teamId = await teamOf(client, args.team);
    resolveUser = slackResolver(client);
  } else if (teamId === undefined) {
    throw new CliError('SLACK_BOT_TOKEN is not set: set it, or pass --team T0123ABCD to import user ids without Slack');
  } else {
    console.error('SLACK_BOT_TOKEN is not set: user ids are imported without checking them in Slack.');
  }

  const started = performance.now();
  const plan = await planImport({
    rows: csv.records,
    teamId,
    catalog,
    resolveUser,
    today: todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone, new Date()),
    // Without a token nothing is looked up and the check is instant: no bar.
    onProgress: (done, total) => {
      if (total === 0 || !token) return;
      progress ??= createProgress(process.stderr, 'Looking up people in Slack', total);
      progress.update(done, total);
      if (done === total) progress.finish();
    },
  }).finally(() => progress?.finish('Lookups stopped.'));
  const planMs = performance.now() - started;

  if (!plan.ok) {
    for (const problem of plan.problems) console.error(formatProblem(problem, name));
    const lines = new Set(plan.problems.map((p) => p.line)).size;
    const count = plan.problems.length;
    console.error(
      `${count} problem${count === 1 ? '' : 's'} on ${lines} line${lines === 1 ? '' : 's'}. Nothing was imported.`,
    );
    return 1;
  }
  const n = plan.changes.length;
  if (args.dryRun) {
    console.log(
      `${name} is valid: ${n} teammate${n === 1 ? '' : 's'} would be imported (checked in ${(planMs / 1000).toFixed(1)} s; dry run, nothing written).`,
    );
    return 0;
  }

  // Opened only now, so a file with problems never creates or migrates the database.
  const db = openDatabase(config.databasePath);
  try {
    const stores = createStores(db);
    const counts = stores.teammates.importMany(plan.changes, actorFor(args.file), new Date().toISOString());
    console.log(
      `Imported ${n} teammate${n === 1 ? '' : 's'} (${counts.created} new, ${counts.updated} updated, ${counts.unchanged} unchanged).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new CliError(`the database refused the import, nothing was imported: ${error.problems.join('; ')}`);
    }
    throw error;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // One line, no stack: this is read by an admin, not a developer.
    console.error(`import: ${error instanceof CliError ? message : `failed: ${message.split('\n').join(' ')}`}`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  },
);
