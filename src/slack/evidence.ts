import { randomUUID } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { EvidenceCommand } from '../commands/grammar.js';
import type { EvidenceCursor } from '../evidence/model.js';
import * as evidence from '../evidence/service.js';
import { type AfterAck, saveAfterAck } from './after-ack.js';
import { internalErrorMessage } from './blocks/errors.js';
import { entriesPerPage, evidenceListMessage, winSavedMessage } from './blocks/evidence.js';
import type { Message } from './blocks/kit.js';
import { noRecordMessage } from './blocks/no-record.js';
import type { SlackServices } from './services.js';

/**
 * The evidence log's Slack side (issue 17, "Save and log"): the service's dependencies from the app's context, the
 * `/career win` and `/career evidence` commands, and the pieces the shortcut, buttons and forms share.
 */

/**
 * The evidence service's dependencies. Each write is a unit retried for about 1.6 s; `saveAfterAck` runs it again
 * within its own budget of about 8.5 s (one wait, not one inside the other).
 */
export function evidenceDeps(services: SlackServices): evidence.EvidenceDeps {
  const { ctx } = services;
  return {
    unitOfWork: ctx.stores.unitOfWork,
    repos: ctx.stores,
    catalog: ctx.catalog,
    clock: ctx.clock,
  };
}

/** One page of the person's log as a message (the first unless `after`); the no-record message without a record. */
export async function evidencePageMessage(
  services: SlackServices,
  caller: evidence.Caller,
  options: { after?: EvidenceCursor | null; before?: number; notice?: string } = {},
): Promise<Message> {
  const outcome = await evidence.listEvidence(evidenceDeps(services), caller, {
    perPage: entriesPerPage,
    after: options.after ?? null,
    before: options.before ?? 0,
  });
  if (outcome.kind === 'no-record') return noRecordMessage();
  return evidenceListMessage(outcome.page, {
    userId: caller.userId,
    first: outcome.first,
    ...(options.notice ? { notice: options.notice } : {}),
  });
}

/** `/career win <text>` and `/career evidence`, after the ack. */
export async function runEvidenceCommand(
  services: SlackServices,
  command: EvidenceCommand,
  caller: evidence.Caller,
  respond: RespondFn,
  logger: AfterAck['logger'],
): Promise<void> {
  const reply = (m: Message) => respond({ response_type: 'ephemeral', ...m });
  if (command.kind === 'evidence') {
    await reply(await evidencePageMessage(services, caller));
    return;
  }
  const outcome = await saveAfterAck(() => evidence.saveWin(evidenceDeps(services), caller, command.text), {
    logger,
    what: 'Saving a win (/career win)',
    tell: reply,
    again: 'run',
  });
  if (!outcome) return;
  await reply(
    outcome.kind === 'no-record' ? noRecordMessage() : winSavedMessage(outcome.entry, outcome.choices, outcome.choice),
  );
}

/**
 * Posts `message` to a response_url outside Bolt's `respond()` (a form's submission carries none: the shortcut's or
 * the button's url travels in the form's private_metadata). Bounded like every Slack call.
 */
export async function postToResponseUrl(
  url: string,
  message: Message & { replace_original?: boolean; response_type?: 'ephemeral' },
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/**
 * Runs the work after an ack that reads (opening a form, a page of the log): a failure is logged with a reference and
 * said where the person acted, never silent and never a stack trace. Writes go through `saveAfterAck`.
 */
export async function orSayWhy(
  work: () => Promise<unknown>,
  opts: Pick<AfterAck, 'logger' | 'what' | 'tell'>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    const reference = randomUUID().slice(0, 8);
    opts.logger.error(`${opts.what} failed (reference ${reference})`, err);
    await opts.tell(internalErrorMessage(reference));
  }
}
