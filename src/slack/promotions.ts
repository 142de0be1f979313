import type { Logger, RespondFn, webApi } from '@slack/bolt';
import type { CheckinDetail } from '../checkins/model.js';
import type { PromotionCommand } from '../commands/promotion-grammar.js';
import { placeName } from '../frameworks/describe.js';
import * as promotions from '../promotions/service.js';
import type { Caller } from '../teammates/service.js';
import { saveAfterAck } from './after-ack.js';
import type { Message } from './blocks/kit.js';
import {
  adminCaseMessage,
  caseHistoryMessage,
  caseRefusalMessage,
  promotionChannelRefusedMessage,
  promotionSettingsMessage,
  proposalOfferMessage,
  proposeModal,
} from './blocks/promotions.js';
import type { SlackServices } from './services.js';

/** The promotion service's dependencies, on the app's stores and the teammate service's. */
export function promotionDeps(services: SlackServices): promotions.PromotionDeps {
  const { stores } = services.ctx;
  return {
    teammates: services.teammates,
    promotions: stores.promotions,
    checkins: stores.checkins,
    evidence: stores.evidence,
  };
}

/**
 * After a manager's ratings: the offer to propose, when readiness by their ratings is at or above the workspace's
 * threshold (and there is a next level and no open case); undefined otherwise.
 */
export async function proposalOfferAfterRating(
  services: SlackServices,
  caller: Caller,
  checkin: CheckinDetail,
): Promise<Message | undefined> {
  const offer = await promotions.proposalOffer(promotionDeps(services), caller, checkin);
  if (!offer.offer || offer.readiness === null) return undefined;
  return proposalOfferMessage(checkin.userId, checkin.id, offer.readiness, offer.threshold);
}

/** `/career history`'s part about promotion cases: each case and its steps; undefined when there are none. */
export async function casesHistoryReply(services: SlackServices, caller: Caller): Promise<Message | undefined> {
  const cases = await promotions.ownCases(promotionDeps(services), caller);
  if (cases.length === 0) return undefined;
  const { catalog } = services.ctx;
  return caseHistoryMessage(
    cases.map((c) => {
      const framework = catalog.get(c.frameworkId);
      const level = framework ? catalog.levelById(framework, c.toLevelId) : undefined;
      return { case: c, to: framework && level ? placeName(framework, level) : c.toLevelId };
    }),
  );
}

/** Opens the Propose form, after every check (a refusal is said where they acted instead). */
export async function openProposeForm(
  services: SlackServices,
  caller: Caller,
  userId: string,
  checkinId: number | null,
  triggerId: string,
): Promise<Message | undefined> {
  const form = await promotions.proposalForm(promotionDeps(services), caller, userId, checkinId);
  if (form.kind !== 'form') return caseRefusalMessage(form);
  const record = await services.ctx.stores.teammates.get(caller.teamId, userId);
  const framework = record ? services.ctx.catalog.get(record.frameworkId) : undefined;
  if (!framework) return caseRefusalMessage({ kind: 'case-refused', reason: 'top-level' });
  const opened = await services.notifier.openModal(caller.teamId, triggerId, proposeModal(form, framework));
  if (opened) return undefined;
  const text = "The form didn't open in time: Slack allows three seconds. Please try again.";
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * A sent case to where it goes: the promotion channel, or a DM to each admin. True when at least one copy arrived
 * (the others can read it where it arrived; Slack failing for everyone leaves nobody who could decide).
 */
export async function deliverCase(
  services: SlackServices,
  teamId: string,
  view: promotions.CaseView,
  to: promotions.Destination,
): Promise<boolean> {
  const message = adminCaseMessage(view);
  if (to.kind === 'channel') return services.notifier.postToChannel(teamId, to.channelId, message);
  let any = false;
  for (const admin of to.admins) any = (await services.notifier.dm(teamId, admin, [message])) || any;
  return any;
}

/** Whether Ripple can post promotion cases in a channel: a private channel it is a member of. */
async function channelProblem(
  client: webApi.WebClient,
  channelId: string,
): Promise<'not-member' | 'public' | 'not-found' | null> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    if (!info.channel) return 'not-found';
    if (!info.channel.is_private) return 'public';
    return info.channel.is_member ? null : 'not-member';
  } catch {
    return 'not-found';
  }
}

/** `/career propose @person` and `/career admin promotions …`. */
export async function runPromotionCommand(
  services: SlackServices,
  command: PromotionCommand,
  caller: Caller,
  io: { respond: RespondFn; client: webApi.WebClient; triggerId: string; logger: Logger },
): Promise<void> {
  const say = (m: Message) => io.respond({ response_type: 'ephemeral', ...m });
  if (command.kind === 'propose') {
    const problem = await openProposeForm(services, caller, command.userId, null, io.triggerId);
    if (problem) await say(problem);
    return;
  }
  const deps = promotionDeps(services);
  let change: Parameters<typeof promotions.promotionSettings>[2];
  if (command.action === 'channel') {
    // Only an admin's command reaches Slack: the permission is checked first, without writing.
    const allowed = await promotions.promotionSettings(deps, caller);
    if (allowed.kind === 'case-refused') return void (await say(caseRefusalMessage(allowed)));
    const problem = await channelProblem(io.client, command.channel.id);
    if (problem) return void (await say(promotionChannelRefusedMessage(command.channel.id, problem)));
    change = { channelId: command.channel.id };
  } else if (command.action === 'channel-off') change = { channelId: null };
  else if (command.action === 'threshold') change = { threshold: command.threshold };
  const outcome = await saveAfterAck(() => promotions.promotionSettings(deps, caller, change), {
    logger: io.logger,
    what: '/career admin promotions',
    tell: say,
    again: 'run',
  });
  if (!outcome) return;
  await say(
    outcome.kind === 'case-refused'
      ? caseRefusalMessage(outcome)
      : promotionSettingsMessage(outcome.settings, outcome.changed),
  );
}
