import type { RespondFn } from '@slack/bolt';
import type { GrowthCommand } from '../commands/growth-grammar.js';
import {
  type AdminOutcome,
  celebrate,
  digestSwitch,
  type GrowthDeps,
  growthDepsFrom,
  runAdmin,
} from '../growth/service.js';
import type { Caller } from '../teammates/service.js';
import {
  celebrateMessage,
  celebrateNoRecordMessage,
  channelOffMessage,
  channelSetMessage,
  channelUnavailableMessage,
  digestSwitchMessage,
  noChannelMessage,
  notAdminMessage,
  notInChannelMessage,
  nudgedMessage,
  scheduleMessage,
  slackUnavailableMessage,
} from './blocks/growth.js';
import type { Message } from './blocks/kit.js';
import { adminPeopleMessage } from './blocks/people.js';
import type { SlackServices } from './services.js';

/** The growth service's dependencies, from the app's context and services (the background jobs': src/jobs.ts). */
export function growthDeps(services: SlackServices): GrowthDeps {
  return growthDepsFrom(services.ctx, { directory: services.directory, poster: services.notifier });
}

export function adminOutcomeMessage(outcome: AdminOutcome): Message {
  switch (outcome.kind) {
    case 'channel-set':
      return channelSetMessage(outcome.channelId, outcome.weekday, outcome.time, outcome.tz);
    case 'channel-off':
      return channelOffMessage(outcome.had);
    case 'nudged':
      return nudgedMessage(outcome.channelId, outcome.next);
    case 'schedule':
      return scheduleMessage(outcome.view);
    case 'people':
      return adminPeopleMessage(outcome.view);
    case 'no-channel':
      return noChannelMessage();
    case 'not-in-channel':
      return notInChannelMessage(outcome.channel);
    case 'channel-unavailable':
      return channelUnavailableMessage(outcome.channel, outcome.error);
    case 'not-admin':
      return notAdminMessage();
    case 'slack-unavailable':
      return slackUnavailableMessage();
  }
}

/** `/career admin …`, `/career celebrate …` and `/career digest …`, after the ack: they may call Slack. */
export async function runGrowthCommand(
  services: SlackServices,
  command: GrowthCommand,
  caller: Caller,
  respond: RespondFn,
): Promise<void> {
  const deps = growthDeps(services);
  let reply: Message;
  if (command.kind === 'celebrate') {
    const outcome = await celebrate(deps, caller, command.turn);
    reply = outcome.kind === 'no-record' ? celebrateNoRecordMessage() : celebrateMessage(outcome.on, outcome.changed);
  } else if (command.kind === 'digest') {
    reply = digestSwitchMessage(await digestSwitch(deps, caller, command.turn));
  } else reply = adminOutcomeMessage(await runAdmin(deps, caller, command));
  await respond({ response_type: 'ephemeral', ...reply });
}
