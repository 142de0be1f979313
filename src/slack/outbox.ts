import type { Clock } from '../context.js';
import type { Repos, UnitOfWork } from '../store/index.js';
import type { NewNotification, OutboxStore, PendingNotification } from '../store/outbox.js';
import type { Message } from './blocks/kit.js';
import type { Notifier } from './notifier.js';

/**
 * Notifications that must not be lost to a short Slack outage (the DM telling someone their level
 * was recorded, a Home tab refresh): tried once at once, and on failure kept in the outbox, which
 * the background job works through with growing pauses. After the last attempt it gives up and logs.
 *
 * An event is answered before anything is sent (Slack wants its 200 within 3 s, and a slow Slack
 * must not make us miss it): what it sends is kept first, in the event's transaction, and sent
 * right after the answer (`afterAck`).
 */

/** How long notifications taken by one run of the job are left to it before another may take them. */
const CLAIM_LEASE_MINUTES = 30;

/** Minutes to wait before each retry: five tries over about four hours. */
export const RETRY_MINUTES: readonly number[] = [1, 5, 15, 60, 180];

export interface ReliableNotifier {
  dm(teamId: string, userId: string, messages: readonly Message[]): Promise<boolean>;
  /** Publishes the Home tab built by `view` now (and rebuilt from the database on a retry). */
  home(teamId: string, userId: string): Promise<boolean>;
  /**
   * For an event, which must be answered before anything is sent: runs `write` (the event's database work,
   * synchronous) and keeps what `toSend` says to send about its result, in one transaction, then sends that once the
   * event has been answered. What Slack does not take stays for the background job. Throws what `write` throws (or a
   * lock), with nothing kept, so the event answers 500 and Slack retries it.
   * NOTE: the handler's last step: a failure after it would answer 500 with the notification already on its way.
   */
  afterAck<T>(
    write: (repos: Repos) => Promise<T>,
    toSend: (result: T) => Outgoing | readonly Outgoing[] | undefined,
  ): Promise<T>;
}

/** What an event sends after its answer (see {@link ReliableNotifier.afterAck}). */
export type Outgoing = NewNotification;

export interface OutboxDeps {
  notifier: Notifier;
  outbox: OutboxStore;
  /** The event's writes and what it sends are one unit. */
  unitOfWork: UnitOfWork<Repos>;
  clock: Clock;
  /** The person's Home tab as it is now. */
  homeView: (teamId: string, userId: string) => Promise<Parameters<Notifier['publishHome']>[2]>;
  logger: { warn(...args: unknown[]): void };
}

/** Sends one kept notification (the Home tab built fresh); true when Slack took it. */
async function send(deps: OutboxDeps, n: PendingNotification): Promise<boolean> {
  switch (n.kind) {
    case 'dm':
      return deps.notifier.dm(n.teamId, n.userId, n.messages as Message[]);
    case 'home':
      return deps.notifier.publishHome(n.teamId, n.userId, await deps.homeView(n.teamId, n.userId));
    case 'post':
      return postAll(deps.notifier, n.teamId, n.channelId, n.messages as Message[]);
  }
}

async function postAll(notifier: Notifier, teamId: string, channelId: string, messages: readonly Message[]) {
  for (const m of messages) if (!(await notifier.postToChannel(teamId, channelId, m))) return false;
  return true;
}

function minutesAfter(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/**
 * @param later runs work after the current request has been answered (`SlackServices.later`).
 */
export function reliableNotifier(
  deps: OutboxDeps,
  later: (what: string, work: () => Promise<unknown>) => void = (_what, work) => void work().catch(() => undefined),
): ReliableNotifier {
  const keep = async (n: Parameters<OutboxStore['enqueue']>[0]) => {
    const now = deps.clock.now();
    await deps.outbox.enqueue(n, now.toISOString(), minutesAfter(now, RETRY_MINUTES[0] ?? 1));
  };
  /** The first attempt at a kept notification; on failure it stays as it is, due for the job's first retry. */
  // NOTE: run through `later`, which starts work only in a turn of its own: the event's answer has gone first.
  const sendKept = async (id: number): Promise<void> => {
    const n = await deps.outbox.get(id);
    if (n && (await send(deps, n))) await deps.outbox.remove(id);
  };
  return {
    async afterAck(write, toSend) {
      const now = deps.clock.now();
      // NOTE: the job's first try is a minute away, longer than this first attempt can last (each call gives up
      // after the Web API timeout), so the job never sends a notification while it is being sent.
      const { result, ids } = await deps.unitOfWork.run(async (repos) => {
        const result = await write(repos);
        const out = toSend(result);
        const ids: number[] = [];
        for (const n of out === undefined ? [] : Array.isArray(out) ? out : [out as Outgoing]) {
          ids.push(await repos.outbox.enqueue(n, now.toISOString(), minutesAfter(now, RETRY_MINUTES[0] ?? 1)));
        }
        return { result, ids };
      });
      for (const id of ids) later('Sending what an event answered', () => sendKept(id));
      return result;
    },
    async dm(teamId, userId, messages) {
      const sent = await deps.notifier.dm(teamId, userId, messages);
      if (!sent) await keep({ teamId, userId, kind: 'dm', messages });
      return sent;
    },
    async home(teamId, userId) {
      const sent = await deps.notifier.publishHome(teamId, userId, await deps.homeView(teamId, userId));
      if (!sent) await keep({ teamId, userId, kind: 'home' });
      return sent;
    },
  };
}

/**
 * "Send their message now" on a DM held for a manager, step one: taken by its key while still held (so the job, a
 * second click or another instance cannot send it too). Undefined: already sent, taken, or its hold is over.
 */
export async function claimHeld(
  deps: Pick<OutboxDeps, 'outbox' | 'clock'>,
  held: { id: number; userId: string; until: string },
): Promise<PendingNotification | undefined> {
  const now = deps.clock.now();
  return deps.outbox.claimHeld(
    held.id,
    held.userId,
    held.until,
    now.toISOString(),
    minutesAfter(now, CLAIM_LEASE_MINUTES),
  );
}

/** Step two: sends what `claimHeld` took; one Slack does not take goes back to the job's retries. */
export async function sendClaimed(deps: OutboxDeps, n: PendingNotification): Promise<boolean> {
  if (await send(deps, n)) {
    await deps.outbox.remove(n.id);
    return true;
  }
  await deps.outbox.retryLater(n.id, minutesAfter(deps.clock.now(), RETRY_MINUTES[0] ?? 1), 'Slack did not take it');
  return false;
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
  // Claimed, not just read: two instances on one database never send the same notification. The lease outlasts the
  // claimed batch's sends (each gives up after the Web API timeout).
  for (const n of await deps.outbox.claimDue(now.toISOString(), minutesAfter(now, CLAIM_LEASE_MINUTES), limit)) {
    const sent = await send(deps, n);
    if (sent) {
      await deps.outbox.remove(n.id);
      report.sent++;
      continue;
    }
    const wait = RETRY_MINUTES[n.attempts + 1];
    if (wait === undefined) {
      await deps.outbox.remove(n.id);
      deps.logger.warn(`Gave up on a ${n.kind} notification to ${n.userId} after ${n.attempts + 1} attempts`);
      report.gaveUp++;
    } else {
      await deps.outbox.retryLater(n.id, minutesAfter(now, wait), 'Slack did not take it');
      report.retryLater++;
    }
  }
  return report;
}
