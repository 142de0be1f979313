/**
 * Bulk onboarding: `npm run import -- people.csv [--team T0123ABCD] [--dry-run] [--no-lookup]
 * [--batch-size N] [--notify]`, and `npm run import -- --resume`. With --notify, each person given a first record
 * gets Ripple's welcome DM (see `queueWelcomes`); without it, nobody is messaged.
 *
 * Reads a CSV of `user,framework,level,since,manager`, checks every row and looks every person up in
 * Slack (unless --no-lookup), and only then writes, in short batches a running Ripple can share
 * (src/bulk/import-writer.ts). Any problem in any row means nothing is written and every problem is
 * listed with its line. An import that stops part-way is finished by --resume. Exit status: 0
 * imported (or valid, with --dry-run), 1 problems or an error, 2 wrong usage.
 *
 * `scripts/import.ts` runs it with the process's arguments, environment and streams; tests call
 * runImportCommand directly.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { todayIn } from '../career/dates.js';
import { Catalog } from '../frameworks/catalog.js';
import { loadFrameworks } from '../frameworks/load.js';
import type { Stores } from '../ports/index.js';
import { checkImportRows, type ImportRun, InvalidInputError } from '../store/index.js';
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
import { parseCsv } from './csv.js';
import { formatProblem, planImport, type ResolveResult, type ResolveUser } from './import.js';
import {
  DEFAULT_BATCH_ROWS,
  discardStaged,
  ImportNotStagedError,
  ImportStoppedError,
  MAX_BATCH_ROWS,
  stagedRows,
  writeImport,
  writeStaged,
} from './import-writer.js';
import { createProgress, formatDuration, type Progress } from './progress.js';

const USAGE =
  'usage: npm run import -- <people.csv> [--team T0123ABCD] [--dry-run] [--no-lookup] [--batch-size N] [--notify], or npm run import -- --resume';
/** Besides --team, which parseCliArgs adds. */
const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  'no-lookup': { type: 'boolean', default: false },
  'batch-size': { type: 'string' },
  notify: { type: 'boolean', default: false },
} as const;

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

type SlackUser = { id?: string; deleted?: boolean; is_bot?: boolean; tz?: string };

function checkPerson(user: SlackUser | undefined, byEmail: boolean): ResolveResult {
  if (!user?.id) return { ok: false, reason: 'Slack answered without a user' };
  const who = byEmail ? `the Slack account with this email (${user.id})` : 'this Slack user';
  if (user.deleted) return { ok: false, reason: `${who} is deactivated` };
  // NOTE: Slackbot (USLACKBOT) is not flagged is_bot, but it is no more a person than the other bots.
  if (user.is_bot || user.id === 'USLACKBOT') return { ok: false, reason: `${who} is a bot, not a person` };
  return typeof user.tz === 'string' && user.tz !== ''
    ? { ok: true, userId: user.id, tz: user.tz }
    : { ok: true, userId: user.id };
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

/** Without lookups, ids are taken on trust and emails cannot be resolved. */
function resolverWithoutSlack(why: string): ResolveUser {
  return async (key) => (key.includes('@') ? { ok: false, reason: why } : { ok: true, userId: key });
}

/** `changedBy` on every history row: the store accepts letters, digits and `_.:-`, at most 64. */
function actorFor(file: string): string {
  return `import:${basename(file).replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 64);
}

/** The rows per write transaction from `--batch-size`, or the default. */
function batchRowsFrom(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BATCH_ROWS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_ROWS) {
    throw new CliError(`--batch-size "${value}" must be a whole number from 1 to ${MAX_BATCH_ROWS}`, 2);
  }
  return n;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function importedLine(run: ImportRun): string {
  return `Imported ${count(run.total, 'teammate')} (${run.created} new, ${run.updated} updated, ${run.unchanged} unchanged).\n`;
}

/** The import that must be finished before another starts, and how. */
function unfinishedMessage(run: ImportRun): string {
  const where = run.status === 'writing' ? `stopped after ${run.done} of ${run.total} rows` : 'stopped while preparing';
  return `the import of ${run.file} started ${run.at} ${where}: finish it first with "npm run import -- --resume" (nothing else was changed)`;
}

/** One line for an import that stopped part-way: what is kept, and how to finish it. */
function stoppedMessage(error: ImportStoppedError): CliError {
  const { run } = error;
  const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
  return new CliError(
    `the import stopped after ${run.done} of ${run.total} rows (${reason.split('\n').join(' ')}). ` +
      `The ${count(run.done, 'row')} written are kept and the other ${run.total - run.done} are saved in the database: ` +
      'run "npm run import -- --resume" to write them (no file and no Slack lookups needed)',
  );
}

/**
 * Slack's users.info and users.lookupByEmail are Tier 4: at least 100 calls a minute. A slower pace
 * is what an estimate before the first lookup can promise; the progress bar then shows the real one.
 */
const LOOKUPS_PER_MINUTE = 100;

/**
 * Keeps the welcome DM of each person the import gave a first record, for the running app to send (`--notify`);
 * returns how many. The Slack adapter's (src/slack/welcome.ts), handed in by scripts/import.ts: the import
 * itself never renders Slack messages.
 */
export type QueueWelcomes = (
  stores: Pick<Stores, 'teammates' | 'outbox' | 'unitOfWork'>,
  catalog: Catalog,
  teamId: string,
  userIds: readonly string[],
  at: string,
  now: Date,
) => Promise<number>;

export interface ImportOptions {
  queueWelcomes?: QueueWelcomes;
}

async function main(argv: string[], io: CommandIo, options: ImportOptions): Promise<number> {
  if (argv.includes('--resume')) return resume(argv, io);
  const { env, stdout, stderr } = io;
  const { path: file, team, values } = parseCliArgs(argv, OPTIONS, USAGE);
  const batchRows = batchRowsFrom(values['batch-size']);
  const { queueWelcomes } = options;
  if (values.notify && !queueWelcomes) throw new CliError('--notify is not available in this build', 2);
  const lookup = !values['no-lookup'];
  const config = readCliConfig(env, 'import');
  const name = basename(file);
  const csv = parseCsv(readText(file));
  if (!csv.ok) throw new CliError(`${name} line ${csv.line}: ${csv.message}`);
  const catalog = loadCatalog(config.frameworksDir);

  let progress: Progress | undefined;
  let resolveUser: ResolveUser;
  let teamId = team;
  const client = slackClientFor(config, {
    onRateLimited: (seconds) => {
      const left = Math.max(progress?.remainingMs() ?? 0, seconds * 1000);
      progress?.note(
        `Slack asked to slow down: waiting ${seconds} s before the next lookups; about ${formatDuration(left)} left at this pace.`,
      );
    },
  });
  if (client) {
    teamId = await teamOf(client, team, { verify: true, failure: (error) => slackFailure('auth.test', error) });
  } else if (teamId === undefined) {
    throw new CliError('SLACK_BOT_TOKEN is not set: set it, or pass --team T0123ABCD to import user ids without Slack');
  }
  if (client && lookup) {
    resolveUser = slackResolver(client);
  } else if (client) {
    stderr.write('--no-lookup: user ids are imported without checking them in Slack, and no time zone is stored.\n');
    resolveUser = resolverWithoutSlack(
      'emails are looked up in Slack: write the Slack user id, or leave out --no-lookup',
    );
  } else {
    stderr.write('SLACK_BOT_TOKEN is not set: user ids are imported without checking them in Slack.\n');
    resolveUser = resolverWithoutSlack(
      'emails are looked up in Slack, which needs SLACK_BOT_TOKEN; write the Slack user id instead',
    );
  }
  const slackLookups = client !== undefined && lookup;

  const started = performance.now();
  const plan = await planImport({
    rows: csv.records,
    teamId,
    catalog,
    resolveUser,
    today: todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone, new Date()),
    // Without Slack nothing is looked up and the check is instant: no bar.
    onProgress: (done, total) => {
      if (total === 0 || !slackLookups) return;
      if (progress === undefined && total > LOOKUPS_PER_MINUTE) {
        stderr.write(
          `${count(total, 'person', 'people')} to look up in Slack. Slack allows at least ${LOOKUPS_PER_MINUTE} lookups a minute, ` +
            `so this takes up to about ${formatDuration((total / LOOKUPS_PER_MINUTE) * 60_000)}; ` +
            'the bar shows the real pace. For ids already checked, --no-lookup skips it.\n',
        );
      }
      progress ??= createProgress(stderr, 'Looking up people in Slack', total);
      progress.update(done, total);
      if (done === total) progress.finish();
    },
  }).finally(() => progress?.finish('Lookups stopped.'));
  const planMs = performance.now() - started;

  if (!plan.ok) {
    for (const problem of plan.problems) stderr.write(`${formatProblem(problem, name)}\n`);
    const lines = new Set(plan.problems.map((p) => p.line)).size;
    const n = plan.problems.length;
    stderr.write(
      `${n} problem${n === 1 ? '' : 's'} on ${lines} line${lines === 1 ? '' : 's'}. Nothing was imported.\n`,
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

  const at = new Date().toISOString();
  const actor = actorFor(file);
  try {
    // The store's own checks, on the whole plan, before the first row is written.
    checkImportRows(plan.changes, actor, at);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new CliError(`the database refused the import, nothing was imported: ${error.problems.join('; ')}`);
    }
    throw error;
  }

  // Opened only now, so a file with problems never creates or migrates the database.
  return withCliStores(config, async (stores) => {
    const open = await stores.imports.unfinished();
    if (open) throw new CliError(unfinishedMessage(open));
    try {
      const run = await writeImport(
        stores,
        { teamId, file: name, changedBy: actor, at, total: n },
        stagedRows(plan.changes, plan.zones),
        { batchRows, progress: stderr, now: () => new Date().toISOString() },
      );
      stdout.write(importedLine(run));
      if (values.notify && queueWelcomes) {
        const ids = plan.changes.map((c) => c.userId);
        const n = await queueWelcomes(stores, catalog, teamId, ids, at, new Date());
        stdout.write(
          `--notify: ${count(n, 'welcome DM')} queued for the people given a first record; the running Ripple sends them within minutes.\n`,
        );
      }
      return 0;
    } catch (error) {
      if (error instanceof ImportStoppedError) throw stoppedMessage(error);
      if (error instanceof ImportNotStagedError) {
        const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
        throw new CliError(`the import could not be prepared, nothing was imported: ${reason.split('\n').join(' ')}`);
      }
      throw error;
    }
  });
}

/** `npm run import -- --resume`: finishes the import that stopped part-way, from what it staged. */
async function resume(argv: string[], { env, stdout, stderr }: CommandIo): Promise<number> {
  let values: { 'batch-size'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: { resume: { type: 'boolean' }, 'batch-size': { type: 'string' } },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('. ')[0]}. ${USAGE}`, 2);
  }
  const batchRows = batchRowsFrom(values['batch-size']);
  const config = readCliConfig(env, 'import');
  return withCliStores(
    config,
    async (stores) => {
      const run = await stores.imports.unfinished();
      if (run === null) {
        stdout.write('No import is unfinished: nothing to resume.\n');
        return 0;
      }
      if (run.status === 'staging') {
        await discardStaged(stores, run.id);
        throw new CliError(
          `the import of ${run.file} started ${run.at} stopped before writing any teammate: nothing of it was imported, and what it had prepared is removed. Run it again.`,
        );
      }
      stderr.write(
        `Resuming the import of ${run.file} started ${run.at}: ${run.done} of ${run.total} rows were written.\n`,
      );
      try {
        const done = await writeStaged(stores, run, {
          batchRows,
          progress: stderr,
          now: () => new Date().toISOString(),
        });
        stdout.write(importedLine(done));
        return 0;
      } catch (error) {
        if (error instanceof ImportStoppedError) throw stoppedMessage(error);
        throw error;
      }
    },
    { mustExist: 'nothing to resume' },
  );
}

/**
 * `npm run import` with these arguments (after `--`), environment and streams. Returns the exit
 * status; a failure is one line on `io.stderr`, never an exception.
 */
export function runImportCommand(argv: string[], io: CommandIo, options: ImportOptions = {}): Promise<number> {
  return runCli('import', io.stderr, () => main(argv, io, options));
}
