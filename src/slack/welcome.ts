import type { QueueWelcomes } from '../bulk/import-command.js';
import { buildCard } from '../teammates/service.js';
import { welcomeMessage } from './blocks/records.js';

/** People whose welcome is read and kept per unit of work. */
const WELCOME_SLICE = 200;

/**
 * `npm run import -- people.csv --notify` (scripts/import.ts hands it to the import command): the welcome DM for
 * each person this import gave a first record (their record was created at the import's own time, `at`), kept in
 * the outbox. The running Ripple's notification job
 * sends them (about a hundred a minute, each once, whichever instance claims it), so the import neither waits on
 * Slack nor loses a DM to a restart. People who already had a record get nothing. Returns how many were kept.
 */
export const queueWelcomes: QueueWelcomes = async (stores, catalog, teamId, userIds, at, now) => {
  const clock = { now: () => now };
  let kept = 0;
  for (let i = 0; i < userIds.length; i += WELCOME_SLICE) {
    const slice = userIds.slice(i, i + WELCOME_SLICE);
    kept += await stores.unitOfWork.run(async (repos) => {
      let n = 0;
      for (const userId of slice) {
        const record = await repos.teammates.get(teamId, userId);
        if (!record || record.createdAt !== at) continue;
        const card = await buildCard({ teammates: repos.teammates, catalog, clock }, record);
        const message = welcomeMessage(card, null);
        await repos.outbox.enqueue({ teamId, userId, kind: 'dm', messages: [message] }, now.toISOString(), at);
        n++;
      }
      return n;
    });
  }
  return kept;
};
