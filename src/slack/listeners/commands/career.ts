import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, Logger, SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  isCheckinCommand,
  isLookupCommand,
  isNudgesCommand,
  type LookupCommand,
  parseCommand,
  type RecordCommand,
} from '../../../commands/grammar.js';
import { isGrowthCommand } from '../../../commands/growth-grammar.js';
import { runLookupWithOwnTeam } from '../../../commands/lookup.js';
import { DatabaseBusyError } from '../../../db/busy.js';
import {
  type Caller,
  isRippleAdmin,
  isRippleAdminNow,
  ownCard,
  ownCardKey,
  readOwn,
} from '../../../teammates/service.js';
import { saveAfterAck } from '../../after-ack.js';
import { busyMessage, internalErrorMessage } from '../../blocks/errors.js';
import { helpMessage } from '../../blocks/help.js';
import { type Message, splitMessage } from '../../blocks/kit.js';
import { lookupMessage, problemMessage } from '../../blocks/lookup.js';
import { runCheckinCommand } from '../../checkins.js';
import { runGrowthCommand } from '../../growth.js';
import { readOutcomeMessage, runRecordCommand } from '../../records.js';
import { nudgesReply } from '../../reminders.js';
import type { SlackServices } from '../../services.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * Each person sees the commands they can use. A Slack workspace admin not in CAREER_ADMINS is known
 * from users.info: local when its answer is cached, else help waits on Slack and answers in the ack
 * when quick, like `who`.
 */
async function helpReply(services: SlackServices, caller: Caller, admin: boolean): Promise<Message> {
  const { catalog, stores } = services.ctx;
  const manager = await stores.teammates.isManager(caller.teamId, caller.userId);
  // Only a member who is neither admin nor manager may get the short help: only then is the record read.
  const hasRecord = admin || manager || (await stores.teammates.get(caller.teamId, caller.userId)) !== null;
  return helpMessage(catalog.frameworks, { admin, manager, hasRecord });
}

/** Lookups read only the frameworks and the caller's own record: fast enough to answer in the ack. */
async function lookupReply(
  services: SlackServices,
  command: Exclude<LookupCommand, { kind: 'help' }>,
  teamId: string,
  userId: string,
): Promise<Message> {
  const { catalog, stores } = services.ctx;
  switch (command.kind) {
    case 'invalid':
      return problemMessage({
        kind: 'problem',
        message: command.message,
        usage: command.usage,
        hint: command.hint,
        example: command.example,
      });
    default: {
      // Read only when the command leaves its team out: most lookups never touch the database.
      const ownFramework = async () => {
        const own = await stores.teammates.get(teamId, userId);
        return own ? catalog.get(own.frameworkId) : undefined;
      };
      return lookupMessage(catalog, await runLookupWithOwnTeam(catalog, command, ownFramework));
    }
  }
}

function failure(logger: Logger, err: unknown): Message[] {
  if (err instanceof DatabaseBusyError) {
    logger.warn('/career found the database locked through every retry; nothing was changed');
    return [busyMessage()];
  }
  const reference = randomUUID().slice(0, 8);
  logger.error(`/career failed (reference ${reference})`, err);
  return [internalErrorMessage(reference)];
}

/**
 * How long a read-only record command may take before the ack goes out without it. Slack allows
 * three seconds; answering inside the ack saves a second HTTP round trip, and with the directory
 * cached it almost always fits.
 */
const ANSWER_IN_ACK_MS = 1_500;

/** Record commands that only read, and may wait on Slack (who): they answer in the ack when quick. */
const READ_ONLY: ReadonlySet<RecordCommand['kind']> = new Set(['who']);

/**
 * The replies that need nothing but local data (lookups, help, `me`): computed at once, with no
 * timer or promise in the way, since they are most of the traffic. Undefined for other commands.
 */
async function localReply(
  services: SlackServices,
  meReplies: Renderings<Message[]>,
  parsed: ReturnType<typeof parseCommand>,
  caller: Caller,
): Promise<Message[] | undefined> {
  if (parsed.kind === 'help') {
    const admin = isRippleAdminNow({ admins: services.ctx.admins, directory: services.directory }, caller.userId);
    return admin === undefined ? undefined : splitMessage(await helpReply(services, caller, admin));
  }
  if (isLookupCommand(parsed)) return splitMessage(await lookupReply(services, parsed, caller.teamId, caller.userId));
  if (parsed.kind === 'me') {
    const own = await readOwn(services.teammates, caller);
    if (own.kind === 'answered') return splitMessage(readOutcomeMessage(own.outcome));
    // The card is read every time and rendered only when what it shows changed (a new day, a new record).
    return meReplies(`${caller.teamId}/${caller.userId}`, ownCardKey(services.teammates, own), async () =>
      splitMessage(readOutcomeMessage(await ownCard(services.teammates, own))),
    );
  }
  return undefined;
}

/** People whose last `/career me` rendering is kept; the oldest is dropped first. */
const ME_RENDERINGS_KEPT = 1_000;

/**
 * The last rendering of each person's `/career me`, reused while its key (see `ownCardKey`) is unchanged: under a
 * burst the card's date math and Block Kit were a fifth of the request's cost.
 */
type Renderings<T> = (who: string, key: string, render: () => Promise<T>) => Promise<T>;

function renderings<T>(kept: number): Renderings<T> {
  const last = new Map<string, { key: string; value: T }>();
  return async (who, key, render) => {
    const hit = last.get(who);
    if (hit?.key === key) return hit.value;
    const value = await render();
    last.delete(who);
    last.set(who, { key, value });
    if (last.size > kept) last.delete(last.keys().next().value as string);
    return value;
  };
}

/** `/career …`: parse, run, reply ephemerally. Replies too long for one message follow as more. */
export function careerCommand(services: SlackServices) {
  // One app's renderings: another app in the process may have other frameworks or admins.
  const meReplies = renderings<Message[]>(ME_RENDERINGS_KEPT);
  return async ({ command, ack, respond, logger }: CommandArgs): Promise<void> => {
    const caller = { teamId: command.team_id, userId: command.user_id };
    const parsed = parseCommand(command.text ?? '');
    if (isNudgesCommand(parsed)) {
      // Only local data: answered in the ack.
      let answer: Message[];
      try {
        answer = [await nudgesReply(services, parsed, caller)];
      } catch (err) {
        answer = failure(logger, err);
      }
      await ack({ response_type: 'ephemeral', ...answer[0] });
      return;
    }
    if (isGrowthCommand(parsed)) {
      await ack();
      services.later('Replying to /career admin, celebrate or digest', async () => {
        // celebrate and digest are one write each, made before the reply: safe to run again after a lock. The
        // admin channel command posts to the channel before it writes, so it is not retried (it would post twice).
        if (parsed.kind === 'celebrate' || parsed.kind === 'digest') {
          await saveAfterAck(() => runGrowthCommand(services, parsed, caller, respond), {
            logger,
            what: `/career ${parsed.kind}`,
            tell: (m) => respond({ response_type: 'ephemeral', ...m }),
            again: 'run',
          });
          return;
        }
        try {
          await runGrowthCommand(services, parsed, caller, respond);
        } catch (err) {
          for (const m of failure(logger, err)) await respond({ response_type: 'ephemeral', ...m });
        }
      });
      return;
    }
    if (isCheckinCommand(parsed)) {
      await ack();
      services.later('Replying to /career checkin', () => runCheckinCommand(services, parsed, caller, respond, logger));
      return;
    }
    const run = async (): Promise<Message[]> => {
      try {
        if (parsed.kind === 'help')
          return splitMessage(
            await helpReply(services, caller, await isRippleAdmin(services.teammates, caller.userId)),
          );
        if (isLookupCommand(parsed))
          return splitMessage(await lookupReply(services, parsed, caller.teamId, caller.userId));
        // A command's writes are one unit of work, which runs again by itself when it loses a race for the database.
        const replies = await runRecordCommand(services, parsed, caller);
        return replies.flatMap((m) => splitMessage(m));
      } catch (err) {
        return failure(logger, err);
      }
    };

    const reply = async (parts: readonly Message[]) => {
      for (const part of parts) await respond({ response_type: 'ephemeral', ...part });
    };
    let local: Message[] | undefined;
    try {
      local = await localReply(services, meReplies, parsed, caller);
    } catch (err) {
      local = failure(logger, err);
    }
    if (local) {
      const [first, ...rest] = local;
      await ack({ response_type: 'ephemeral', ...first });
      if (rest.length > 0) services.later('Sending the rest of a long reply', () => reply(rest));
      return;
    }
    if (parsed.kind === 'help' || (!isLookupCommand(parsed) && READ_ONLY.has(parsed.kind))) {
      const work = run();
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        work,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), ANSWER_IN_ACK_MS);
        }),
      ]);
      clearTimeout(timer);
      if (inTime) {
        const [first, ...rest] = inTime;
        await ack({ response_type: 'ephemeral', ...first });
        if (rest.length > 0) services.later('Sending the rest of a long reply', () => reply(rest));
        return;
      }
      await ack();
      services.later('Replying to /career', async () => reply(await work));
      return;
    }
    // Commands that change something may wait on Slack (users.info): ack now, reply when done.
    await ack();
    services.later('Replying to /career', async () => reply(await run()));
  };
}
