/**
 * What the bulk commands (`npm run import`, `npm run export`) share: usage errors, settings, the
 * Slack client and the workspace they work on, where they write, and the one line an admin sees when
 * a run fails.
 */
import { existsSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { type Config, parseConfig } from '../config.js';
import { isPostgresUrl, openEngine } from '../db/open.js';
import { ErrorCode, RippleError } from '../errors.js';
import { createStores, type Stores } from '../store/index.js';
import type { ProgressStream } from './progress.js';

/** A failure explained in one line for the person at the terminal; anything else is a bug. */
export class CliError extends RippleError {
  readonly code = ErrorCode.Cli;
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

type CliOptions = NonNullable<ParseArgsConfig['options']>;

const TEAM_OPTION = { team: { type: 'string' } } as const;
const TEAM_ID = /^[TE][A-Z0-9]{6,}$/;

/**
 * A command line of exactly one path (a file, or `-`), `--team T0123ABCD` and the script's own
 * `options`. Wrong usage throws a CliError with exit code 2: for an unknown or malformed option the
 * first sentence of Node's message and then `usage`, for a missing or extra path `usage` alone, for a
 * --team that is no Slack team id a line saying so.
 */
export function parseCliArgs<const O extends CliOptions>(argv: string[], options: O, usage: string) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof TEAM_OPTION }>>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...options, ...TEAM_OPTION } });
  } catch (error) {
    // Node's message goes on about '--' for positionals; its first sentence is what matters here.
    throw new CliError(`${(error as Error).message.split('. ')[0]}. ${usage}`, 2);
  }
  const [path, ...rest] = parsed.positionals;
  if (path === undefined || rest.length > 0) throw new CliError(usage, 2);
  // Always a string or absent (TEAM_OPTION), which the generic result type cannot show in here.
  const team = (parsed.values as { team?: string }).team?.trim();
  if (team !== undefined && !TEAM_ID.test(team)) {
    throw new CliError(`--team "${team}" is not a Slack team id (like T0123ABCD)`, 2);
  }
  return { path, team, values: parsed.values };
}

/**
 * The settings from the environment, or a CliError listing what is wrong with them.
 * `purpose` (`import`, `export`) only names the placeholder described below.
 */
export function readCliConfig(env: NodeJS.ProcessEnv, purpose: string): Config {
  // NOTE: parseConfig chooses how the *app* receives events and wants a signing secret or an app token
  // beside the bot token. The scripts only call the Web API, so a placeholder is stood in rather
  // than make an admin set a secret the script never uses.
  const bot = env.SLACK_BOT_TOKEN?.trim();
  const partnered =
    bot && !env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim()
      ? { ...env, SLACK_SIGNING_SECRET: `unused-by-the-${purpose}` }
      : env;
  const result = parseConfig(partnered);
  if (!result.ok) throw new CliError(`bad settings (environment variables): ${result.errors.join('; ')}`);
  return result.config;
}

export interface SlackClientOptions {
  /** Retries of a failed call (default 5). */
  retries?: number;
  /** Called with the seconds to wait when Slack rate-limits a call; the client waits them out. */
  onRateLimited?: (seconds: number) => void;
}

/** A Web API client for the bot token, or undefined when SLACK_BOT_TOKEN is not set. */
export function slackClientFor(config: Config, options: SlackClientOptions = {}): webApi.WebClient | undefined {
  const token = config.slack.botToken;
  if (!token) return undefined;
  const client = new webApi.WebClient(token, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // Wait out 429s (Retry-After) instead of failing a run half-way through.
    rejectRateLimitedCalls: false,
    // The default retries for about 30 minutes; a script someone is watching should give up sooner.
    retryConfig: { retries: options.retries ?? 5, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: 30_000,
    // Its info lines would break a progress bar; rate limits are reported through onRateLimited.
    logLevel: webApi.LogLevel.ERROR,
  });
  if (options.onRateLimited) client.on(webApi.WebClientEvent.RATE_LIMITED, options.onRateLimited);
  return client;
}

/** The default explanation of a failed auth.test. */
function authTestFailure(error: unknown): CliError {
  const e = error as { code?: unknown; data?: { error?: unknown } };
  if (e?.code === webApi.ErrorCode.PlatformError) {
    return new CliError(`Slack refused auth.test (${String(e.data?.error)}): check SLACK_BOT_TOKEN, or pass --team`);
  }
  return new CliError(
    `cannot reach Slack for auth.test (check SLACK_API_URL, or pass --team): ${(error as Error).message}`,
  );
}

export interface TeamOptions {
  /** Call auth.test even when --team is given, and refuse a --team of another workspace. */
  verify?: boolean;
  /** Explains a failed auth.test call in one line. */
  failure?: (error: unknown) => CliError;
}

/**
 * The workspace to work on: `given` (--team), or the workspace of the bot token (one auth.test
 * call). Without a client, --team is required.
 */
export async function teamOf(
  client: webApi.WebClient | undefined,
  given: string | undefined,
  options: TeamOptions = {},
): Promise<string> {
  if (!client) {
    if (given === undefined) throw new CliError('SLACK_BOT_TOKEN is not set: set it, or pass --team T0123ABCD');
    return given;
  }
  if (given !== undefined && !options.verify) return given;
  let teamId: string | undefined;
  try {
    teamId = (await client.auth.test()).team_id;
  } catch (error) {
    throw (options.failure ?? authTestFailure)(error);
  }
  if (!teamId) throw new CliError('Slack auth.test answered without a team id; pass --team T0123ABCD');
  if (given !== undefined && given !== teamId) {
    throw new CliError(`--team ${given} does not match the workspace of SLACK_BOT_TOKEN (${teamId})`);
  }
  return teamId;
}

/** Where a command writes: process.stdout and process.stderr, or a recorder in a test. */
export type TextOut = ProgressStream;

/** What a command gets from the process that runs it, so the same code runs in a test. */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout: TextOut;
  stderr: TextOut;
}

/**
 * Runs a command's `main` and returns its exit status: what main returns, or on a failure the
 * CliError's code (1 for anything else). A failure is one line on `stderr` behind `name: `: a
 * CliError's message alone, anything else as `failed: ` and its message, never a stack.
 */
export async function runCli(name: string, stderr: TextOut, main: () => Promise<number>): Promise<number> {
  try {
    return await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // One line, no stack: this is read by an admin, not a developer.
    stderr.write(`${name}: ${error instanceof CliError ? message : `failed: ${message.split('\n').join(' ')}`}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

/**
 * The database a command-line run works on: PostgreSQL when DATABASE_URL is set, else the SQLite file at
 * DATABASE_PATH. With `mustExist` (what the run cannot do without one), a missing SQLite file is refused
 * rather than created empty: a wrong path, not an empty company. A SQLite run may wait for the app's
 * lock: nothing else waits on this process.
 */
export async function withCliStores<T>(
  config: Config,
  work: (stores: Stores) => Promise<T>,
  options: { mustExist?: string } = {},
): Promise<T> {
  const file = !isPostgresUrl(config.databaseUrl) && config.databasePath !== ':memory:';
  if (options.mustExist && file && !existsSync(config.databasePath)) {
    throw new CliError(`there is no database at ${config.databasePath} (DATABASE_PATH): ${options.mustExist}`);
  }
  const engine = await openEngine({
    databaseUrl: config.databaseUrl,
    databasePath: config.databasePath,
    busyTimeoutMs: 5_000,
  });
  try {
    return await work(createStores(engine));
  } finally {
    await engine.close();
  }
}
