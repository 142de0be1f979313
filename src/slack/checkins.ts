import type { RespondFn } from '@slack/bolt';
import * as checkins from '../checkins/service.js';
import type { CheckinCommand } from '../commands/grammar.js';
import { DEFAULT_CHECKIN_EXPIRY_DAYS } from '../config.js';
import {
  choosePathMessage,
  expiredNote,
  historyMessage,
  openExistsMessage,
  questionMessage,
  startedReply,
  startProblemMessage,
} from './blocks/checkins.js';
import type { Message } from './blocks/kit.js';
import type { SlackServices } from './services.js';

/** The check-in service's dependencies, from the app's context. */
export function checkinDeps(services: SlackServices): checkins.CheckinDeps {
  const { ctx } = services;
  return {
    checkins: ctx.stores.checkins,
    teammates: ctx.stores.teammates,
    catalog: ctx.catalog,
    clock: ctx.clock,
    expiryDays: ctx.checkinExpiryDays ?? DEFAULT_CHECKIN_EXPIRY_DAYS,
  };
}

export interface Caller {
  teamId: string;
  userId: string;
}

/**
 * What a start outcome shows where the person asked (`reply`: ephemeral or in place), and in the
 * DM: a started check-in's first question goes to the DM with Ripple.
 */
export async function showStart(
  services: SlackServices,
  caller: Caller,
  outcome: checkins.StartOutcome,
  reply: (m: Message) => Promise<unknown>,
): Promise<void> {
  const deps = checkinDeps(services);
  switch (outcome.kind) {
    case 'started':
      await reply(startedReply(outcome, deps.expiryDays));
      await services.notifier.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]);
      return;
    case 'open-exists':
      await reply(openExistsMessage(outcome.checkin));
      return;
    case 'choose-path':
      await reply(choosePathMessage(outcome));
      return;
    default:
      await reply(startProblemMessage(outcome));
  }
}

/** `/career checkin [level]` and `/career history`. */
export async function runCheckinCommand(
  services: SlackServices,
  command: CheckinCommand,
  caller: Caller,
  respond: RespondFn,
): Promise<void> {
  const deps = checkinDeps(services);
  const reply = (m: Message) => respond({ response_type: 'ephemeral', ...m });
  if (command.kind === 'history') {
    await reply(historyMessage(checkins.history(deps, caller)));
    return;
  }
  await showStart(services, caller, checkins.start(deps, caller, { words: command.words }), reply);
}

/** The maintenance step's Slack half: expire idle check-ins and tell each person in one line. */
export async function expireIdleCheckins(services: SlackServices): Promise<number> {
  const deps = checkinDeps(services);
  const expired = checkins.expireIdle(deps);
  for (const c of expired) await services.background.dm(c.teamId, c.userId, [expiredNote(c, deps.expiryDays)]);
  return expired.length;
}
