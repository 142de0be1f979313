/**
 * `npm run import -- people.csv [--team T0123ABCD] [--dry-run] [--no-lookup] [--batch-size N] [--notify]` or
 * `npm run import -- --resume`: bulk onboarding from a CSV file.
 * The command itself is src/bulk/import-command.ts; this runs it with the process's arguments,
 * environment and streams, and exits with its status.
 */
import { runImportCommand } from '../src/bulk/import-command.js';
import { queueWelcomes } from '../src/slack/welcome.js';

process.exitCode = await runImportCommand(
  process.argv.slice(2),
  { env: process.env, stdout: process.stdout, stderr: process.stderr },
  // --notify: the welcome DMs are Slack messages, rendered by the Slack adapter.
  { queueWelcomes },
);
