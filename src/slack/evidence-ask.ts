import type { RespondFn } from '@slack/bolt';
import type { AskCommand } from '../commands/grammar.js';
import { type AskDeps, type AskOutcome, createAsk, findAskTarget, listAsks } from '../evidence/asks.js';
import type { Caller } from '../teammates/service.js';
import { type AfterAck, saveAfterAck } from './after-ack.js';
import {
  ASK_BOT,
  ASK_NOBODY,
  ASK_SELF,
  alreadyAskedReply,
  askedReply,
  askNoMatchReply,
  askNoRecordReply,
  askSeveralReply,
  asksMessage,
  askUnknownExpectationReply,
  requestMessage,
} from './blocks/evidence-ask.js';
import { type Message, section } from './blocks/kit.js';
import type { SlackServices } from './services.js';

/**
 * "Ask for an example" (issue 17), the Slack side shared by the form and `/career ask`: who may be asked, the ask
 * written with the colleague's DM kept in the same unit (sent after it; one Slack does not take waits in the outbox),
 * and the reply to the person.
 */

export const askDeps = (services: SlackServices): AskDeps => ({
  catalog: services.ctx.catalog,
  clock: services.ctx.clock,
});

/** How long the form waits on Slack to learn whether the colleague is a person, before it lets the ask through. */
const LOOKUP_IN_ACK_MS = 1_500;

/**
 * Why this colleague cannot be asked (themselves, a bot or app, someone Slack does not know or deactivated), or
 * undefined. When Slack does not answer in time the ask goes on: the DM then waits in the outbox.
 */
export async function colleagueProblem(
  services: SlackServices,
  caller: Caller,
  colleagueId: string,
): Promise<string | undefined> {
  if (colleagueId === caller.userId) return ASK_SELF;
  let timer: NodeJS.Timeout | undefined;
  const found = await Promise.race([
    services.directory.user(colleagueId),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), LOOKUP_IN_ACK_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!found) return undefined;
  if (found.ok) return found.user.isBot ? ASK_BOT : found.user.deleted ? ASK_NOBODY : undefined;
  return found.reason === 'not-found' ? ASK_NOBODY : undefined;
}

const lineMessage = (text: string): Message => ({ text, blocks: [section(text)] });

/** What the person is told about their ask. */
export function askOutcomeMessage(outcome: AskOutcome): Message {
  switch (outcome.kind) {
    case 'asked':
      return askedReply(outcome.ask.colleagueId, outcome.expectation);
    case 'already':
      return alreadyAskedReply(outcome.colleagueId, outcome.expectation);
    case 'self':
      return lineMessage(ASK_SELF);
    case 'no-record':
      return askNoRecordReply();
    case 'unknown-expectation':
      return askUnknownExpectationReply();
  }
}

/**
 * Writes the ask and keeps the colleague's DM in the same unit (sent once it committed); undefined when nothing was
 * saved and the person was told (`tell`).
 */
export async function sendAsk(
  services: SlackServices,
  caller: Caller,
  ask: { colleagueId: string; levelId: string; expectationId: string; context?: string | null },
  opts: Pick<AfterAck, 'logger' | 'tell' | 'again'>,
): Promise<AskOutcome | undefined> {
  const deps = askDeps(services);
  return saveAfterAck(
    () =>
      services.reliable.afterAck(
        (repos) => createAsk(deps, repos, caller, ask),
        (outcome) =>
          outcome.kind === 'asked'
            ? {
                teamId: caller.teamId,
                userId: outcome.ask.colleagueId,
                kind: 'dm',
                messages: [requestMessage(outcome.request)],
              }
            : undefined,
      ),
    { ...opts, what: 'Asking a colleague for an example' },
  );
}

/** `/career ask @person <words>` and `/career asks`, after the ack. */
export async function runAskCommand(
  services: SlackServices,
  command: AskCommand,
  caller: Caller,
  respond: RespondFn,
  logger: AfterAck['logger'],
): Promise<void> {
  const reply = (m: Message) => respond({ response_type: 'ephemeral', ...m });
  const { stores } = services.ctx;
  const deps = askDeps(services);
  if (command.kind === 'asks') {
    await reply(asksMessage(await listAsks(deps, stores, caller)));
    return;
  }
  const problem = await colleagueProblem(services, caller, command.colleague.userId);
  if (problem) {
    await reply(lineMessage(problem));
    return;
  }
  const found = await findAskTarget(deps, stores, caller, command.words);
  if (found.kind === 'no-record') return void (await reply(askNoRecordReply()));
  if (found.kind === 'several') return void (await reply(askSeveralReply(command.words, found.choices)));
  if (found.kind === 'none') return void (await reply(askNoMatchReply(command.words, found.choices)));
  const outcome = await sendAsk(
    services,
    caller,
    { colleagueId: command.colleague.userId, levelId: found.choice.levelId, expectationId: found.choice.expectationId },
    { logger, tell: reply, again: 'run' },
  );
  if (outcome) await reply(askOutcomeMessage(outcome));
}
