import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, Logger, SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  isAskCommand,
  isCheckinCommand,
  isEvidenceCommand,
  isLookupCommand,
  isNudgesCommand,
  type LookupCommand,
  parseCommand,
  type RecordCommand,
} from '../../../commands/grammar.js';
import { isGrowthCommand } from '../../../commands/growth-grammar.js';
import { runLookupWithOwnTeam } from '../../../commands/lookup.js';
import { isPromotionCommand } from '../../../commands/promotion-grammar.js';
import { DatabaseBusyError } from '../../../db/busy.js';
import type { Framework } from '../../../frameworks/schema.js';
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
import { runEvidenceCommand } from '../../evidence.js';
import { runAskCommand } from '../../evidence-ask.js';
import { runGrowthCommand } from '../../growth.js';
import { runPromotionCommand } from '../../promotions.js';
import { readOutcomeMessage, runRecordCommand } from '../../records.js';
import { nudgesReply } from '../../reminders.js';
import type { SlackServices } from '../../services.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * Each person sees the commands they can use. A Slack workspace admin not in CAREER_ADMINS is known
 * from users.info: local when its answer is cached, else help waits on Slack and answers in the ack
 * when quick, like `who`.
 */
async function helpReply(
  services: SlackServices,
  caller: Caller,
  admin: boolean,
  kept: Kept<Message> = (_key, render) => render(),
): Promise<Message> {
  const { catalog, stores } = services.ctx;
  const manager = await stores.teammates.isManager(caller.teamId, caller.userId);
  // Only a member who is neither admin nor manager may get the short help: only then is the record read.
  const hasRecord = admin || manager || (await stores.teammates.get(caller.teamId, caller.userId)) !== null;
  const audience = { admin, manager, hasRecord };
  // What the caller is is read every time; the rendering is a pure function of it (and the frameworks, loaded once).
  return kept(JSON.stringify(audience), () => deepFreeze(helpMessage(catalog.frameworks, audience)));
}

/** The caller's own team, for a lookup that leaves it out: most lookups never ask, and never touch the database. */
function ownFrameworkOf(services: SlackServices, teamId: string, userId: string) {
  return async (): Promise<Framework | undefined> => {
    const own = await services.ctx.stores.teammates.get(teamId, userId);
    return own ? services.ctx.catalog.get(own.frameworkId) : undefined;
  };
}

/** Lookups read only the frameworks and the caller's own record: fast enough to answer in the ack. */
async function lookupReply(
  services: SlackServices,
  command: Exclude<LookupCommand, { kind: 'help' }>,
  teamId: string,
  userId: string,
  ownFramework: () => Promise<Framework | undefined> = ownFrameworkOf(services, teamId, userId),
): Promise<Message> {
  const { catalog } = services.ctx;
  switch (command.kind) {
    case 'invalid':
      return problemMessage({
        kind: 'problem',
        message: command.message,
        usage: command.usage,
        hint: command.hint,
        example: command.example,
      });
    default:
      return lookupMessage(catalog, await runLookupWithOwnTeam(catalog, command, ownFramework));
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
  replies: { me: Renderings<Message[]>; help: Kept<Message>; lookups: LookupReplies },
  text: string,
  parsed: ReturnType<typeof parseCommand>,
  caller: Caller,
): Promise<Message[] | undefined> {
  if (parsed.kind === 'help') {
    const admin = isRippleAdminNow({ admins: services.ctx.admins, directory: services.directory }, caller.userId);
    return admin === undefined ? undefined : splitMessage(await helpReply(services, caller, admin, replies.help));
  }
  if (isLookupCommand(parsed)) {
    const { teamId, userId } = caller;
    return replies.lookups(text, ownFrameworkOf(services, teamId, userId), (own) =>
      lookupReply(services, parsed, teamId, userId, own),
    );
  }
  if (parsed.kind === 'me') {
    const own = await readOwn(services.teammates, caller);
    if (own.kind === 'answered') return splitMessage(readOutcomeMessage(own.outcome));
    // The card is read every time and rendered only when what it shows changed (a new day, a new record).
    return replies.me(`${caller.teamId}/${caller.userId}`, ownCardKey(services.teammates, own), async () =>
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

/** A bounded store of renderings by key: `render` runs only for a key not kept (the oldest is dropped first). */
type Kept<T> = (key: string, render: () => T) => T;

function kept<T>(max: number): Kept<T> {
  const values = new Map<string, T>();
  return (key, render) => {
    const hit = values.get(key);
    if (hit !== undefined) return hit;
    const value = render();
    values.set(key, value);
    if (values.size > max) values.delete(values.keys().next().value as string);
    return value;
  };
}

/** Lookup texts whose replies are kept, and the longest text kept (longer ones are rendered every time). */
const LOOKUP_REPLIES_KEPT = 200;
const LOOKUP_TEXT_KEPT_MAX = 100;

/**
 * The reply to a lookup (`level 3 marketing`, `titles`, a mistake), rendered once per command text: a lookup is a
 * pure function of its text and the frameworks, which are loaded once per process. Under a burst the rendering was
 * most of what a lookup cost beyond Bolt's own work. A lookup that leaves its team out (`/career level 3`) also
 * depends on the caller's team: its replies are kept per team, and the caller's record is still read every time.
 */
type LookupReplies = (
  text: string,
  ownFramework: () => Promise<Framework | undefined>,
  render: (ownFramework: () => Promise<Framework | undefined>) => Promise<Message>,
) => Promise<Message[]>;

type KeptLookup = { kind: 'reply'; reply: Message[] } | { kind: 'own-team'; byTeam: Map<string, Message[]> };

function lookupReplies(max: number): LookupReplies {
  const replies = new Map<string, KeptLookup>();
  return async (text, ownFramework, render) => {
    if (text.length > LOOKUP_TEXT_KEPT_MAX) return splitMessage(await render(ownFramework));
    const known = replies.get(text);
    if (known?.kind === 'reply') return known.reply;
    // Whether the lookup asked for the caller's team, and which it was ('' for none): read at most once.
    let used: { team: string; framework: Framework | undefined } | undefined;
    const own = async () => {
      if (!used) {
        const framework = await ownFramework();
        used = { team: framework?.id ?? '', framework };
      }
      return used.framework;
    };
    if (known) {
      await own();
      const hit = known.byTeam.get(used?.team ?? '');
      if (hit) return hit;
    }
    const reply = deepFreeze(splitMessage(await render(own)));
    if (used === undefined) replies.set(text, { kind: 'reply', reply });
    else {
      const byTeam = known?.byTeam ?? new Map<string, Message[]>();
      byTeam.set(used.team, reply);
      if (!known) replies.set(text, { kind: 'own-team', byTeam });
    }
    if (replies.size > max) replies.delete(replies.keys().next().value as string);
    return reply;
  };
}

/** A reply kept for reuse is never changed by whoever sends it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** `/career …`: parse, run, reply ephemerally. Replies too long for one message follow as more. */
export function careerCommand(services: SlackServices) {
  // One app's renderings: another app in the process may have other frameworks or admins.
  const rendered = {
    me: renderings<Message[]>(ME_RENDERINGS_KEPT),
    // One per audience (admin or not, manager or not).
    help: kept<Message>(8),
    lookups: lookupReplies(LOOKUP_REPLIES_KEPT),
  };
  return async ({ command, ack, respond, logger, client }: CommandArgs): Promise<void> => {
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
    if (isPromotionCommand(parsed)) {
      await ack();
      services.later('Replying to /career propose or admin promotions', async () => {
        try {
          await runPromotionCommand(services, parsed, caller, {
            respond,
            client,
            triggerId: command.trigger_id,
            logger,
          });
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
    if (isAskCommand(parsed)) {
      await ack();
      services.later('Replying to /career ask', async () => {
        try {
          await runAskCommand(services, parsed, caller, respond, logger);
        } catch (err) {
          for (const m of failure(logger, err)) await respond({ response_type: 'ephemeral', ...m });
        }
      });
      return;
    }
    if (isEvidenceCommand(parsed)) {
      await ack();
      services.later(`Replying to /career ${parsed.kind}`, async () => {
        try {
          await runEvidenceCommand(services, parsed, caller, respond, logger);
        } catch (err) {
          for (const m of failure(logger, err)) await respond({ response_type: 'ephemeral', ...m });
        }
      });
      return;
    }
    const run = async (): Promise<Message[]> => {
      try {
        if (parsed.kind === 'help')
          return splitMessage(
            await helpReply(services, caller, await isRippleAdmin(services.teammates, caller.userId), rendered.help),
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
      local = await localReply(services, rendered, command.text ?? '', parsed, caller);
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
