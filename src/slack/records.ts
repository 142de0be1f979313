import type { RecordCommand } from '../commands/grammar.js';
import * as teammates from '../teammates/service.js';
import type { Message } from './blocks/kit.js';
import {
  cardMessage,
  changedNoticeMessage,
  exportFailedMessage,
  exportMessages,
  exportSentMessage,
  forgetConfirmMessage,
  noRecordMessage,
  pauseMessage,
  setMessage,
} from './blocks/records.js';
import { refusalMessage } from './blocks/refusals.js';
import { refreshHome } from './home.js';
import type { SlackServices } from './services.js';

export interface RecordCaller {
  teamId: string;
  userId: string;
}

/** What a record command shows the caller, as soon as it is known. */
export function readOutcomeMessage(outcome: teammates.ReadOutcome, whoId?: string): Message {
  if (outcome.kind === 'refused') return refusalMessage(outcome);
  if (outcome.kind === 'no-record') return noRecordMessage(outcome.self, whoId);
  return cardMessage(outcome.card, outcome.viewer);
}

const NO_DATA: Message = { text: 'Ripple holds no data about you.', blocks: noRecordMessage(true).blocks };

/**
 * The record commands: run the service, render the outcome. Notifications that follow a change
 * (the teammate's DM, Home refreshes) are handed to `services.later`, after the reply.
 */
export async function runRecordCommand(
  services: SlackServices,
  command: RecordCommand,
  caller: RecordCaller,
): Promise<Message[]> {
  const deps = services.teammates;
  switch (command.kind) {
    case 'set': {
      const outcome = await teammates.setRecord(deps, caller, command);
      if (outcome.kind === 'refused') return [refusalMessage(outcome)];
      if (outcome.kind === 'unchanged') return [setMessage(outcome.card, 'unchanged', false)];
      const target = outcome.card.record.userId;
      services.later('Telling a teammate about their new level', async () => {
        if (target !== caller.userId)
          await services.notifier.dm(caller.teamId, target, [changedNoticeMessage(outcome.card, caller.userId)]);
        await refreshHome(services, caller.teamId, target);
      });
      return [setMessage(outcome.card, outcome.changed, outcome.before === null)];
    }
    case 'me':
      return [readOutcomeMessage(teammates.showMe(deps, caller))];
    case 'who':
      return [readOutcomeMessage(await teammates.showWho(deps, caller, command.user), command.user.userId)];
    case 'pause':
    case 'resume': {
      const outcome =
        command.kind === 'pause' ? teammates.pause(deps, caller, command.until) : teammates.resume(deps, caller);
      if (outcome.kind === 'refused') return [refusalMessage(outcome)];
      services.later('Refreshing the Home tab', () => refreshHome(services, caller.teamId, caller.userId));
      return [pauseMessage(outcome.kind, outcome.card)];
    }
    case 'export': {
      const outcome = teammates.exportData(deps, caller);
      if (outcome.kind === 'no-record') return [NO_DATA];
      const sent = await services.notifier.dm(
        caller.teamId,
        caller.userId,
        exportMessages(outcome.data, outcome.exportedAt),
      );
      return [sent ? exportSentMessage() : exportFailedMessage()];
    }
    case 'forget': {
      const targetId = command.user === 'me' ? caller.userId : command.user.userId;
      const check = await teammates.checkForget(deps, caller, targetId);
      if (check.kind === 'refused') return [refusalMessage(check)];
      if (check.kind === 'no-record') return [check.self ? NO_DATA : noRecordMessage(false, targetId)];
      return [forgetConfirmMessage(targetId, check.self)];
    }
  }
}
