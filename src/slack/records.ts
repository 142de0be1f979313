import type { RecordCommand } from '../commands/grammar.js';
import { parseMention } from '../commands/grammar.js';
import { bragMarkdown } from '../evidence/brag.js';
import { bragData } from '../evidence/brag-service.js';
import * as promotions from '../promotions/service.js';
import type { TeammateExport } from '../store/types.js';
import { peopleIn, readableExport } from '../teammates/export.js';
import * as teammates from '../teammates/service.js';
import { bragComment, bragFailedMessage, bragSentMessage } from './blocks/brag.js';
import type { Message } from './blocks/kit.js';
import {
  cardMessage,
  exportFailedMessage,
  exportMessages,
  exportOthersMessage,
  exportSentMessage,
  exportSummaryMessage,
  farPauseMessage,
  forgetConfirmMessage,
  type HeldDm,
  HOLD_HOURS,
  noRecordMessage,
  otherNoRecordMessage,
  pauseMessage,
  pauseNoticeMessage,
  setMessage,
  setNoticeMessages,
  setPreviewMessage,
} from './blocks/records.js';
import { refusalMessage } from './blocks/refusals.js';
import { teamMessage } from './blocks/team.js';
import { refreshHome } from './home.js';
import { promotionDeps } from './promotions.js';
import type { SlackServices } from './services.js';

export interface RecordCaller {
  teamId: string;
  userId: string;
}

/** What a record command shows the caller, as soon as it is known; the caller's own card offers a check-in. */
export function readOutcomeMessage(outcome: teammates.ReadOutcome): Message {
  if (outcome.kind === 'refused') return refusalMessage(outcome);
  if (outcome.kind === 'no-record') return outcome.self ? noRecordMessage() : otherNoRecordMessage(outcome.userId);
  return cardMessage(outcome.card, outcome.viewer, outcome.viewer === 'self');
}

/**
 * The reply to a `set` (typed, or confirmed with the preview's button); after a change, the DMs to
 * everyone it concerns and the person's Home tab go out through `services.later`, after the reply.
 * `hold`: the person's DM waits in the outbox until their manager sends it, or for {@link HOLD_HOURS} hours
 * (the outbox's background job then sends it, once, whichever instance runs it).
 */
export function setOutcomeReply(
  services: SlackServices,
  caller: RecordCaller,
  outcome: teammates.SetOutcome,
  hold = false,
): Message {
  if (outcome.kind === 'refused') return refusalMessage(outcome);
  if (outcome.kind === 'unchanged') return setMessage(outcome.card, 'unchanged', false);
  if (outcome.kind === 'preview') return setPreviewMessage(outcome.preview);
  const target = outcome.card.record.userId;
  const managerId = outcome.card.record.managerId;
  const holding = hold && managerId !== null && outcome.levelChange === 'lower';
  services.later('Telling people about a changed career record', async () => {
    const notice = { ...outcome, changed: outcome.changed };
    let held: HeldDm | undefined;
    if (holding) {
      const now = services.ctx.clock.now();
      const until = new Date(now.getTime() + HOLD_HOURS * 3_600_000).toISOString();
      const message = setNoticeMessages(notice).get(target);
      if (message) {
        const id = await services.ctx.stores.outbox.enqueue(
          { teamId: caller.teamId, userId: target, kind: 'dm', messages: [message] },
          now.toISOString(),
          until,
        );
        held = { id, until };
      }
    }
    const notices = setNoticeMessages(notice, held);
    // The manager who is to speak first hears of it even when they made the change themselves.
    const told = held && managerId && !outcome.told.includes(managerId) ? [...outcome.told, managerId] : outcome.told;
    for (const userId of told) {
      if (held && userId === target) continue;
      const message = notices.get(userId);
      if (message) await services.reliable.dm(caller.teamId, userId, [message]);
    }
    await refreshHome(services, caller.teamId, target);
    for (const userId of told) if (userId !== target) await refreshHome(services, caller.teamId, userId);
  });
  return setMessage(outcome.card, outcome.changed, outcome.before === null, holding ? managerId : null);
}

/**
 * `/career export`: a short summary in the DM with the full data as a JSON file. Other people are
 * named (looked up in Slack); if the file cannot be shared, the JSON follows as messages instead.
 */
async function sendExport(
  services: SlackServices,
  caller: RecordCaller,
  data: TeammateExport,
  exportedAt: string,
): Promise<Message> {
  const names = new Map<string, string>();
  for (const id of peopleIn(data)) {
    const found = await services.directory.user(id);
    if (found.ok) names.set(id, found.user.name);
  }
  const preferences = await services.ctx.stores.growth.preferences(caller.teamId, caller.userId);
  const doc = readableExport(data, services.ctx.catalog, names, exportedAt, preferences);
  const json = JSON.stringify(doc, null, 2);
  const summary = exportSummaryMessage(doc);
  const filed = await services.notifier.dmFile(caller.teamId, caller.userId, {
    filename: `ripple-export-${exportedAt.slice(0, 10)}.json`,
    title: 'Your Ripple data',
    content: json,
    comment: summary.text,
  });
  if (filed) {
    const sent = await services.notifier.dm(caller.teamId, caller.userId, [summary]);
    return sent ? exportSentMessage() : exportFailedMessage();
  }
  const sent = await services.notifier.dm(caller.teamId, caller.userId, [summary, ...exportMessages(doc)]);
  return sent ? exportSentMessage() : exportFailedMessage();
}

/**
 * `/career brag`: the person's last 12 months as a Markdown file in their DM (files.uploadV2), the people in it named
 * as Slack names them. Nothing is sent anywhere else.
 */
async function sendBrag(services: SlackServices, caller: RecordCaller): Promise<Message> {
  const { ctx } = services;
  const outcome = await bragData({ unitOfWork: ctx.stores.unitOfWork, catalog: ctx.catalog, clock: ctx.clock }, caller);
  if (outcome.kind === 'no-record') return NO_DATA;
  const names = new Map<string, string>();
  for (const id of outcome.authors) {
    const found = await services.directory.user(id);
    if (found.ok) names.set(id, `@${found.user.name}`);
  }
  const filed = await services.notifier.dmFile(caller.teamId, caller.userId, {
    filename: `ripple-brag-${outcome.input.to.slice(0, 10)}.md`,
    title: 'My year in Ripple',
    content: bragMarkdown({ ...outcome.input, names }),
    comment: bragComment(outcome.input),
  });
  return filed ? bragSentMessage() : bragFailedMessage();
}

/** The reply to pause or resume; after either, the manager is told and both Home tabs refresh. */
export function pauseOutcomeReply(
  services: SlackServices,
  caller: RecordCaller,
  outcome: teammates.PauseOutcome,
): Message {
  if (outcome.kind === 'refused') return refusalMessage(outcome);
  if (outcome.kind === 'confirm-pause') return farPauseMessage(caller.userId, outcome.until);
  const { kind, card } = outcome;
  const managerId = card.record.managerId;
  services.later('Telling the manager and refreshing the Home tab', async () => {
    // The manager is told that their report is away or back (not why): their list shows it too.
    if (managerId) {
      await services.notifier.dm(caller.teamId, managerId, [pauseNoticeMessage(kind, card)]);
      await refreshHome(services, caller.teamId, managerId);
    }
    await refreshHome(services, caller.teamId, caller.userId);
  });
  return pauseMessage(kind, card);
}

const NO_DATA: Message = { text: 'Ripple holds no data about you.', blocks: noRecordMessage().blocks };

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
    case 'set':
      return [setOutcomeReply(services, caller, await teammates.setRecord(deps, caller, command))];
    case 'me':
      return [readOutcomeMessage(await teammates.showMe(deps, caller))];
    case 'who':
      return [readOutcomeMessage(await teammates.showWho(deps, caller, command.user))];
    case 'pause':
    case 'resume': {
      const outcome =
        command.kind === 'pause'
          ? await teammates.pause(deps, caller, command.until)
          : await teammates.resume(deps, caller);
      return [pauseOutcomeReply(services, caller, outcome)];
    }
    case 'export': {
      if (command.someone !== undefined && parseMention(command.someone)?.userId !== caller.userId)
        return [exportOthersMessage()];
      const outcome = await teammates.exportData(deps, caller);
      if (outcome.kind === 'no-record') return [NO_DATA];
      return [await sendExport(services, caller, outcome.data, outcome.exportedAt)];
    }
    case 'brag':
      return [await sendBrag(services, caller)];
    case 'team': {
      const outcome = await teammates.showTeam(deps, caller, command.user);
      if (outcome.kind === 'refused') return [refusalMessage(outcome)];
      // The manager's own list offers Propose a promotion on each report with a next level and no open case.
      const proposable = outcome.self
        ? await promotions.proposableAmong(promotionDeps(services), caller, outcome.reports)
        : undefined;
      return [teamMessage(outcome.reports, outcome.managerId, outcome.self, proposable)];
    }
    case 'forget': {
      const targetId = command.user === 'me' ? caller.userId : command.user.userId;
      const check = await teammates.checkForget(deps, caller, targetId);
      if (check.kind === 'refused') return [refusalMessage(check)];
      if (check.kind === 'no-record') return [check.self ? NO_DATA : otherNoRecordMessage(targetId)];
      return [forgetConfirmMessage(targetId, check.self)];
    }
  }
}
