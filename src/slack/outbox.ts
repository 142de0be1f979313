import type { Clock } from '../context.js';
import type { OutboxStore } from '../store/outbox.js';
import type { Message } from './blocks/kit.js';
import type { Notifier } from './notifier.js';

/**
 * Notifications that must not be lost to a short Slack outage (the DM telling someone their level
 * was recorded, a Home tab refresh): tried once at once, and on failure kept in the outbox, which
 * the background job works through with growing pauses. After the last attempt it gives up and logs.
 */

/** Minutes to wait before each retry: five tries over about four hours. */
export const RETRY_MINUTES: readonly number[] = [1, 5, 15, 60, 180];

export interface ReliableNotifier {
  dm(teamId: string, userId: string, messages: readonly Message[]): Promise<boolean>;
  /** Publishes the Home tab built by `view` now (and rebuilt from the database on a retry). */
  home(teamId: string, userId: string): Promise<boolean>;
}

export interface OutboxDeps {
  notifier: Notifier;
  outbox: OutboxStore;
  clock: Clock;
  /** The person's Home tab as it is now. */
  homeView: (teamId: string, userId: string) => Parameters<Notifier['publishHome']>[2];
  logger: { warn(...args: unknown[]): void };
}

function minutesAfter(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

export function reliableNotifier(deps: OutboxDeps): ReliableNotifier {
  const keep = (n: Parameters<OutboxStore['enqueue']>[0]) => {
    const now = deps.clock.now();
    deps.outbox.enqueue(n, now.toISOString(), minutesAfter(now, RETRY_MINUTES[0] ?? 1));
  };
  return {
    async dm(teamId, userId, messages) {
      const sent = await deps.notifier.dm(teamId, userId, messages);
      if (!sent) keep({ teamId, userId, kind: 'dm', messages });
      return sent;
    },
    async home(teamId, userId) {
      const sent = await deps.notifier.publishHome(teamId, userId, deps.homeView(teamId, userId));
      if (!sent) keep({ teamId, userId, kind: 'home' });
      return sent;
    },
  };
}

export interface OutboxReport {
  sent: number;
  retryLater: number;
  gaveUp: number;
}

/** The background job: tries what is due, in order; one failure never stops the rest. */
export async function deliverPending(deps: OutboxDeps, limit = 100): Promise<OutboxReport> {
  const report: OutboxReport = { sent: 0, retryLater: 0, gaveUp: 0 };
  const now = deps.clock.now();
  for (const n of deps.outbox.due(now.toISOString(), limit)) {
    const sent =
      n.kind === 'dm'
        ? await deps.notifier.dm(n.teamId, n.userId, n.messages as Message[])
        : await deps.notifier.publishHome(n.teamId, n.userId, deps.homeView(n.teamId, n.userId));
    if (sent) {
      deps.outbox.remove(n.id);
      report.sent++;
      continue;
    }
    const wait = RETRY_MINUTES[n.attempts + 1];
    if (wait === undefined) {
      deps.outbox.remove(n.id);
      deps.logger.warn(`Gave up on a ${n.kind} notification to ${n.userId} after ${n.attempts + 1} attempts`);
      report.gaveUp++;
    } else {
      deps.outbox.retryLater(n.id, minutesAfter(now, wait), 'Slack did not take it');
      report.retryLater++;
    }
  }
  return report;
}
