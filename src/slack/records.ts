import type { Logger, webApi } from '@slack/bolt';
import type { RecordCommand } from '../commands/grammar.js';
import type { AppContext } from '../context.js';
import * as records from '../teammates/service.js';
import type { Message } from './blocks/kit.js';
import {
  cardMessage,
  changedNoticeMessage,
  exportMessages,
  exportSentMessage,
  forgetConfirmMessage,
  noRecordMessage,
  pauseMessage,
  refusalMessage,
  setMessage,
} from './blocks/records.js';
import { slackDirectory } from './directory.js';
import { publishHome } from './home.js';

export interface RecordCaller {
  teamId: string;
  userId: string;
  client: webApi.WebClient;
  logger: Logger;
}

/**
 * Sends a DM from the bot; returns false (and logs) when Slack refuses, or when the workspace has
 * uninstalled Ripple (nothing is sent to a workspace that said goodbye).
 */
export async function sendDm(
  ctx: AppContext,
  caller: Pick<RecordCaller, 'teamId' | 'client' | 'logger'>,
  userId: string,
  messages: readonly Message[],
): Promise<boolean> {
  const { client, logger } = caller;
  if (!ctx.stores.workspaces.isActive(caller.teamId)) return false;
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) return false;
    for (const m of messages) await client.chat.postMessage({ channel, text: m.text, blocks: m.blocks });
    return true;
  } catch (err) {
    logger.warn(`Could not send a DM to ${userId}`, (err as Error).message);
    return false;
  }
}

/** The record commands: run the service, render the outcome, and refresh what it touched. */
export async function runRecordCommand(
  ctx: AppContext,
  command: RecordCommand,
  caller: RecordCaller,
): Promise<Message[]> {
  const directory = slackDirectory(caller.client);
  const who = { teamId: caller.teamId, userId: caller.userId };
  switch (command.kind) {
    case 'set': {
      const outcome = await records.setRecord(ctx, directory, who, command);
      if (outcome.kind === 'problem') return [refusalMessage(outcome)];
      if (outcome.kind === 'unchanged') return [setMessage(outcome.card, 'unchanged', false)];
      const target = outcome.card.record.userId;
      if (target !== caller.userId)
        await sendDm(ctx, caller, target, [changedNoticeMessage(outcome.card, caller.userId)]);
      await publishHome(ctx, caller.client, caller.teamId, target, caller.logger);
      return [setMessage(outcome.card, outcome.changed, outcome.before === null)];
    }
    case 'me':
    case 'who': {
      const outcome =
        command.kind === 'me'
          ? await records.showMe(ctx, directory, who)
          : await records.showWho(ctx, directory, who, command.user);
      if (outcome.kind === 'problem') return [refusalMessage(outcome)];
      if (outcome.kind === 'no-record')
        return [noRecordMessage(outcome.self, command.kind === 'who' ? command.user.userId : undefined)];
      return [cardMessage(outcome.card, outcome.viewerRelation)];
    }
    case 'pause':
    case 'resume': {
      const outcome =
        command.kind === 'pause'
          ? await records.pause(ctx, directory, who, command.until)
          : await records.resume(ctx, directory, who);
      if (outcome.kind === 'problem') return [refusalMessage(outcome)];
      await publishHome(ctx, caller.client, caller.teamId, caller.userId, caller.logger);
      return [pauseMessage(outcome.kind, outcome.card)];
    }
    case 'export': {
      const outcome = records.exportData(ctx, who);
      if (outcome.kind === 'no-record') {
        return [{ text: 'Ripple holds no data about you.', blocks: noRecordMessage(true).blocks }];
      }
      const sent = await sendDm(
        ctx,
        caller,
        caller.userId,
        exportMessages(outcome.data, ctx.clock.now().toISOString()),
      );
      if (!sent) {
        return [
          refusalMessage({
            kind: 'problem',
            message: "I couldn't open a direct message with you, so nothing was sent. Please try again in a minute.",
          }),
        ];
      }
      return [exportSentMessage()];
    }
    case 'forget': {
      const targetId = command.user === 'me' ? caller.userId : command.user.userId;
      const check = await records.checkForget(ctx, directory, who, targetId);
      if (check.kind === 'problem') return [refusalMessage(check)];
      if (check.kind === 'no-record') {
        return [
          check.self
            ? { text: 'Ripple holds no data about you.', blocks: noRecordMessage(true).blocks }
            : noRecordMessage(false, targetId),
        ];
      }
      return [forgetConfirmMessage(targetId, check.self)];
    }
  }
}
