/**
 * `npm run export -- out.csv [--team T0123ABCD] [--include-left]`: the workspace's teammates as the
 * CSV `npm run import` reads. The command itself is src/bulk/export-command.ts; this runs it with the
 * process's arguments, environment and streams, and exits with its status.
 */
import { runExportCommand } from '../src/bulk/export-command.js';

process.exitCode = await runExportCommand(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
