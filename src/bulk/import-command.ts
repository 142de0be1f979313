/**
 * Bulk onboarding: `npm run import -- people.csv [--team T0123ABCD] [--dry-run]`.
 *
 * Reads a CSV of `user,framework,level,since,manager`, checks every row and looks every person up in
 * Slack, and only then writes, all rows in one transaction. Any problem in any row means nothing is
 * written and every problem is listed with its line. Exit status: 0 imported (or valid, with
 * --dry-run), 1 problems or an error, 2 wrong usage.
 *
 * `scripts/import.ts` runs it with the process's arguments, environment and streams; tests call
 * runImportCommand directly.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { webApi } from '@slack/bolt';
import { todayIn } from '../career/dates.js';
import { openDatabase } from '../db/migrate.js';
import { Catalog } from '../frameworks/catalog.js';
import { loadFrameworks } from '../frameworks/load.js';
import { createStores, InvalidInputError } from '../store/index.js';
import { CliError, type CommandIo, parseCliArgs, readCliConfig, runCli, slackClientFor, teamOf } from './cli.js';
import { parseCsv } from './csv.js';
import { formatProblem, planImport, type ResolveResult, type ResolveUser } from './import.js';
import { createProgress, type Progress } from './progress.js';

const USAGE = 'usage: npm run import -- <people.csv> [--team T0123ABCD] [--dry-run]';
/** Besides --team, which parseCliArgs adds. */
const OPTIONS = { 'dry-run': { type: 'boolean', default: false } } as const;

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

/** `changedBy` on every history row: the store accepts letters, digits and `_.:-`, at most 64. */
function actorFor(file: string): string {
  return `import:${basename(file).replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 64);
}

async function main(argv: string[], { env, stdout, stderr }: CommandIo): Promise<number> {
  const { path: file, team, values } = parseCliArgs(argv, OPTIONS, USAGE);
  const config = readCliConfig(env, 'import');
  const name = basename(file);
  const csv = parseCsv(readText(file));
  if (!csv.ok) throw new CliError(`${name} line ${csv.line}: ${csv.message}`);
  const catalog = loadCatalog(config.frameworksDir);

  let progress: Progress | undefined;
  let resolveUser = offlineResolver;
  let teamId = team;
  const client = slackClientFor(config, {
    onRateLimited: (seconds) =>
      progress?.note(`Slack asked to slow down: waiting ${seconds} s before the next lookups.`),
  });
  if (client) {
    teamId = await teamOf(client, team, { verify: true, failure: (error) => slackFailure('auth.test', error) });
    resolveUser = slackResolver(client);
  } else if (teamId === undefined) {
    throw new CliError('SLACK_BOT_TOKEN is not set: set it, or pass --team T0123ABCD to import user ids without Slack');
  } else {
    stderr.write('SLACK_BOT_TOKEN is not set: user ids are imported without checking them in Slack.\n');
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
      if (total === 0 || !client) return;
      progress ??= createProgress(stderr, 'Looking up people in Slack', total);
      progress.update(done, total);
      if (done === total) progress.finish();
    },
  }).finally(() => progress?.finish('Lookups stopped.'));
  const planMs = performance.now() - started;

  if (!plan.ok) {
    for (const problem of plan.problems) stderr.write(`${formatProblem(problem, name)}\n`);
    const lines = new Set(plan.problems.map((p) => p.line)).size;
    const count = plan.problems.length;
    stderr.write(
      `${count} problem${count === 1 ? '' : 's'} on ${lines} line${lines === 1 ? '' : 's'}. Nothing was imported.\n`,
    );
    return 1;
  }
  const n = plan.changes.length;
  if (values['dry-run']) {
    stdout.write(
      `${name} is valid: ${n} teammate${n === 1 ? '' : 's'} would be imported (checked in ${(planMs / 1000).toFixed(1)} s; dry run, nothing written).\n`,
    );
    return 0;
  }

  // Opened only now, so a file with problems never creates or migrates the database.
  // A command-line run may wait for the app's lock: nothing else waits on this process.
  const db = openDatabase(config.databasePath, { busyTimeoutMs: 5_000 });
  try {
    const stores = createStores(db);
    const counts = stores.teammates.importMany(plan.changes, actorFor(file), new Date().toISOString());
    stdout.write(
      `Imported ${n} teammate${n === 1 ? '' : 's'} (${counts.created} new, ${counts.updated} updated, ${counts.unchanged} unchanged).\n`,
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

/**
 * `npm run import` with these arguments (after `--`), environment and streams. Returns the exit
 * status; a failure is one line on `io.stderr`, never an exception.
 */
export function runImportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCli('import', io.stderr, () => main(argv, io));
}
