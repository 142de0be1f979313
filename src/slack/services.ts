import type { Logger, webApi } from '@slack/bolt';
import type { AppContext } from '../context.js';
import { type CachedDirectory, cachedDirectory } from '../teammates/directory.js';
import type { TeammateDeps } from '../teammates/service.js';
import type { Activity } from './activity.js';
import { slackDirectory } from './directory.js';
import { homeView } from './home.js';
import { ACTIVE_KEPT_MS, type Notifier, slackNotifier } from './notifier.js';
import { type OutboxDeps, type ReliableNotifier, reliableNotifier } from './outbox.js';

/**
 * What the Slack listeners work with, built once per app on its Web API clients, interactive and background (the bot
 * token is passed per call): the context, the cached directory of Slack users, the notifiers, and the teammate
 * service's dependencies.
 */
export interface SlackServices {
  ctx: AppContext;
  directory: CachedDirectory;
  /** For what people wait on: replies, modals, the DMs after a click (Slack's interactive client, see calls.ts). */
  notifier: Notifier;
  /**
   * The same port on the background client, for jobs (check-in expiry; the outbox job through `outbox`): a job's
   * burst or rate limit never queues in front of a person's reply.
   */
  background: Notifier;
  teammates: TeammateDeps;
  /**
   * DMs and Home refreshes that, when Slack fails, wait in the outbox for the background job; and what an event sends,
   * kept with its write and sent after its answer (`afterAck`).
   */
  reliable: ReliableNotifier;
  /** What the background job needs to work through the outbox (see `deliverPending`); on the background client. */
  outbox: OutboxDeps;
  /**
   * Runs work after a reply has gone out (DMs, Home refreshes), so a slow or failing Slack call
   * never delays what the person is waiting for. Tracked, so shutdown and tests can wait for it;
   * a failure is logged.
   */
  later(what: string, work: () => Promise<unknown>): void;
}

export function createSlackServices(
  ctx: AppContext,
  client: webApi.WebClient,
  token: string,
  activity: Activity,
  logger: Logger,
  /** The client for background sending (see calls.ts); the interactive `client` is used when none is given. */
  backgroundClient: webApi.WebClient = client,
): SlackServices {
  const directory = cachedDirectory(slackDirectory(client, token));
  const workspaces = ctx.stores.workspaces;
  const reporting = backgroundClient === client ? undefined : backgroundClient;
  const notifier = slackNotifier({ client, token, workspaces, logger, reporting, keepActiveMs: ACTIVE_KEPT_MS });
  const background = slackNotifier({ client: backgroundClient, token, workspaces, logger, reporting });
  const teammates: TeammateDeps = {
    teammates: ctx.stores.teammates,
    catalog: ctx.catalog,
    clock: ctx.clock,
    directory,
    admins: ctx.admins,
    pending: ctx.stores.pending,
    unitOfWork: ctx.stores.unitOfWork,
  };
  const outbox: OutboxDeps = {
    notifier: background,
    outbox: ctx.stores.outbox,
    unitOfWork: ctx.stores.unitOfWork,
    clock: ctx.clock,
    homeView: async (teamId, userId) => await homeView(teammates, teamId, userId),
    logger,
  };
  const nextTurn = oneStartATurn();
  const later: SlackServices['later'] = (what, work) => {
    void activity.track(async () => {
      // NOTE: not even the work's first synchronous step runs in the request's own turn: over HTTP the 200 is
      // written when the listener returns, so under a burst every ack would wait on the work started before it.
      await nextTurn();
      try {
        await work();
      } catch (err) {
        logger.error(`${what} failed after the reply`, err);
      }
    });
  };
  return {
    ctx,
    directory,
    notifier,
    background,
    teammates,
    // The first attempt is on the interactive client: someone is waiting for it.
    reliable: reliableNotifier({ ...outbox, notifier }, later),
    outbox,
    later,
  };
}

/**
 * Waits for a turn of the event loop of its own: one waiting piece of work starts a turn, so the requests that
 * arrive meanwhile are read and answered between them. (A plain setImmediate would start every piece queued
 * during a burst in the same turn: 50 team lists of 400 people, ~6 ms each, before the next ack.)
 */
function oneStartATurn(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  const startOne = () => {
    waiting.shift()?.();
    if (waiting.length > 0) setImmediate(startOne);
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 1) setImmediate(startOne);
    });
}
