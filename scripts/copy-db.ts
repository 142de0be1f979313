/**
 * `npm run copy-db -- --from data/career.db --to postgres://…`: a whole Ripple database into a new,
 * empty one on either engine. The command itself is src/bulk/copy-command.ts.
 */
import { runCopyCommand } from '../src/bulk/copy-command.js';

process.exitCode = await runCopyCommand(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
