import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, Logger, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isLookupCommand, type LookupCommand, parseCommand } from '../../../commands/grammar.js';
import { runLookup } from '../../../commands/lookup.js';
import type { AppContext } from '../../../context.js';
import { internalErrorMessage } from '../../blocks/errors.js';
import { helpMessage } from '../../blocks/help.js';
import { type Message, splitMessage } from '../../blocks/kit.js';
import { lookupMessage, problemMessage } from '../../blocks/lookup.js';
import { runRecordCommand } from '../../records.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
/** Lookups read only the frameworks and the caller's own record: fast enough to answer in the ack. */
function lookupReply(ctx: AppContext, command: LookupCommand, teamId: string, userId: string): Message {
  switch (command.kind) {
    case 'help':
      return helpMessage(ctx.catalog.frameworks);
    case 'invalid':
      return problemMessage({
        kind: 'problem',
        message: command.message,
        usage: command.usage,
        didYouMean: command.hint,
      });
    default: {
      const own = ctx.stores.teammates.get(teamId, userId);
      const defaultFramework = own ? ctx.catalog.get(own.frameworkId) : undefined;
      return lookupMessage(ctx.catalog, runLookup(ctx.catalog, command, { defaultFramework }));
    }
  }
}

function failure(logger: Logger, err: unknown): Message[] {
  const reference = randomUUID().slice(0, 8);
  logger.error(`/career failed (reference ${reference})`, err);
  return [internalErrorMessage(reference)];
}

/** `/career …`: parse, run, reply ephemerally. Replies too long for one message follow as more. */
export function careerCommand(ctx: AppContext) {
  return async ({ command, ack, respond, client, logger }: CommandArgs): Promise<void> => {
    const parsed = parseCommand(command.text ?? '');
    if (isLookupCommand(parsed)) {
      let parts: Message[];
      try {
        parts = splitMessage(lookupReply(ctx, parsed, command.team_id, command.user_id));
      } catch (err) {
        parts = failure(logger, err);
      }
      const [first, ...rest] = parts;
      await ack({ response_type: 'ephemeral', ...first });
      for (const part of rest) await respond({ response_type: 'ephemeral', ...part });
      return;
    }
    // Record commands may call Slack (users.info) before answering: ack now, reply when done.
    await ack();
    let parts: Message[];
    try {
      const replies = await runRecordCommand(ctx, parsed, {
        teamId: command.team_id,
        userId: command.user_id,
        client,
        logger,
      });
      parts = replies.flatMap((m) => splitMessage(m));
    } catch (err) {
      parts = failure(logger, err);
    }
    for (const part of parts) await respond({ response_type: 'ephemeral', ...part });
  };
}
