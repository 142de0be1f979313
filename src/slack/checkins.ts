import type { RespondFn } from '@slack/bolt';
import { readTypedAnswer } from '../checkins/ask.js';
import type { CheckinRecord } from '../checkins/model.js';
import * as checkins from '../checkins/service.js';
import type { CheckinCommand } from '../commands/grammar.js';
import { DEFAULT_CHECKIN_EXPIRY_DAYS } from '../config.js';
import { AFTER_ACK_RETRY_DELAYS_MS } from '../db/busy.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Repos } from '../ports/index.js';
import { type AfterAck, saveAfterAck } from './after-ack.js';
import {
  answeredMessage,
  choosePathMessage,
  EVIDENCE_MAX_CHARS,
  evidenceAck,
  expiredNote,
  fileEvidenceLine,
  historyMessage,
  idleNudgeMessage,
  movedOnMessage,
  openExistsMessage,
  questionMessage,
  startedReply,
  startProblemMessage,
  summaryMessage,
  whichAnswerMessage,
} from './blocks/checkins.js';
import type { Message } from './blocks/kit.js';
import { checkinDmFailedMessage } from './blocks/reach.js';
import { casesHistoryReply } from './promotions.js';
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
    evidence: ctx.stores.evidence,
  };
}

/** The service's dependencies bound to one unit of work's repositories. */
function unitDeps(services: SlackServices, repos: Repos): checkins.CheckinDeps {
  return {
    ...checkinDeps(services),
    checkins: repos.checkins,
    teammates: repos.teammates,
    evidence: repos.evidence,
  };
}

/**
 * A check-in write after the ack (for `saveAfterAck`) as one unit of work: the service's reads and writes in
 * one transaction, run again whole while another connection holds the lock (about 8.5 s), then
 * DatabaseBusyError, having written nothing. The check-in repository joins the unit, so no store method
 * retries on its own inside it.
 */
export function checkinUnit<T>(
  services: SlackServices,
  write: (deps: checkins.CheckinDeps) => T | Promise<T>,
): Promise<T> {
  return services.ctx.stores.unitOfWork.run(async (repos) => await write(unitDeps(services, repos)), {
    delays: AFTER_ACK_RETRY_DELAYS_MS,
  });
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
    case 'started': {
      // "It's in our DM" only once it is: an uninstalled workspace or a refused DM says so instead.
      // Through the outbox: a Slack blip must not leave a started check-in with no question.
      const sent = await services.reliable.dm(caller.teamId, caller.userId, [questionMessage(outcome.view)]);
      await reply(sent ? startedReply(outcome, deps.expiryDays) : checkinDmFailedMessage());
      return;
    }
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
  logger: AfterAck['logger'],
): Promise<void> {
  const deps = checkinDeps(services);
  const reply = (m: Message) => respond({ response_type: 'ephemeral', ...m });
  if (command.kind === 'history') {
    await reply(historyMessage(await checkins.history(deps, caller)));
    // Every step of the person's promotion cases follows, when they have any.
    const cases = await casesHistoryReply(services, caller);
    if (cases) await reply(cases);
    return;
  }
  const start = () => checkinUnit(services, (d) => checkins.start(d, caller, { words: command.words }));
  const outcome = await saveAfterAck(start, {
    logger,
    what: 'Starting a check-in (/career checkin)',
    tell: reply,
    again: 'run',
  });
  if (outcome) await showStart(services, caller, outcome, reply);
}

/** A DM to Ripple, as Slack sends it: words, and files when it is a `file_share`. */
export interface DirectMessage {
  teamId: string;
  userId: string;
  channel: string;
  text: string;
  files: readonly { name: string; permalink?: string }[];
}

/**
 * A line typed in the DM that names an answer ("consistently", "3", "skip", a close misspelling) answers the
 * question being asked, as its button would: the answer is echoed with Change, then the next question (or the
 * summary) follows; a line close to two answers asks which. False when it is not an answer (it is evidence,
 * or there is no check-in asking).
 */
async function answerFromDm(services: SlackServices, logger: AfterAck['logger'], dm: DirectMessage): Promise<boolean> {
  if (dm.files.length > 0 || readTypedAnswer(dm.text).kind === 'evidence') return false;
  const caller = { teamId: dm.teamId, userId: dm.userId };
  const say = (m: Message) => services.notifier.postToChannel(dm.teamId, dm.channel, m);
  const outcome = await saveAfterAck(() => checkinUnit(services, (d) => checkins.answerTyped(d, caller, dm.text)), {
    logger,
    what: 'Recording a typed check-in answer',
    tell: say,
    again: 'send',
  });
  if (!outcome) return true;
  const dmThem = (messages: Message[]) => services.reliable.dm(caller.teamId, caller.userId, messages);
  switch (outcome.kind) {
    case 'not-an-answer':
    case 'not-found':
      return false;
    case 'ambiguous':
      await dmThem([whichAnswerMessage(outcome.view, outcome.candidates)]);
      return true;
    case 'next':
      await dmThem([answeredOf(outcome), questionMessage(outcome.view)]);
      return true;
    case 'finished':
      await dmThem([answeredOf(outcome), summaryMessage(outcome.result, services.ctx.catalog)]);
      return true;
    case 'expired':
      await dmThem([expiredNote(outcome.checkin, checkinDeps(services).expiryDays)]);
      return true;
    case 'moved-on':
      await dmThem([movedOnMessage(outcome.current)]);
      return true;
  }
}

/** An answered question as it stays in the DM: the answer, its evidence, and Change. */
export function answeredOf(outcome: Extract<checkins.AnswerOutcome, { kind: 'next' | 'finished' }>): Message {
  const checkin = outcome.kind === 'next' ? outcome.view.checkin : outcome.result.checkin;
  return answeredMessage(outcome.answered, checkin.total, outcome.rating, outcome.evidence, { checkinId: checkin.id });
}

/**
 * A DM during a check-in answers the question being asked when it names an answer (`answerFromDm`); otherwise
 * it is evidence for the question being asked: its words, and each shared
 * file's name and link (Ripple never downloads a file). Kept up to 3,000 characters, and
 * acknowledged in the DM; when it cannot be saved the person is told there. False when there is no
 * check-in to add it to (nothing was written).
 */
export async function evidenceFromDm(
  services: SlackServices,
  logger: AfterAck['logger'],
  dm: DirectMessage,
): Promise<boolean> {
  const parts = [dm.text.trim(), ...dm.files.map(fileEvidenceLine)].filter((p) => p.length > 0);
  if (parts.length === 0) return false;
  if (await answerFromDm(services, logger, dm)) return true;
  const whole = parts.join('\n');
  const text = whole.slice(0, EVIDENCE_MAX_CHARS);
  const say = (m: Message) => services.notifier.postToChannel(dm.teamId, dm.channel, m);
  const caller = { teamId: dm.teamId, userId: dm.userId };
  // The acknowledgement is kept with the evidence, in one transaction, and sent from the outbox.
  const outcome = await saveAfterAck(
    async () =>
      await services.reliable.afterAck(
        (repos) => checkins.addEvidence(unitDeps(services, repos), caller, text),
        (added) =>
          added.kind === 'evidence'
            ? {
                kind: 'post',
                ...caller,
                channelId: dm.channel,
                messages: [
                  evidenceAck(added.question, {
                    shortened: whole.length > text.length,
                    fileOnly: dm.text.trim().length === 0,
                  }),
                ],
              }
            : undefined,
      ),
    { logger, what: 'Saving check-in evidence from a DM', tell: say, again: 'send' },
  );
  // Not saved: the person has been told, so the DM is handled.
  if (!outcome) return true;
  return outcome.kind === 'evidence';
}

/** The maintenance step's Slack half: expire idle check-ins and tell each person in one line. */
export async function expireIdleCheckins(services: SlackServices): Promise<number> {
  const deps = checkinDeps(services);
  let total = 0;
  for (let after: CheckinRecord | null = null; ; ) {
    // One commit for the slice; the DMs go after it.
    const slice = await services.ctx.stores.unitOfWork.run((repos) =>
      checkins.expireIdle({ ...deps, checkins: repos.checkins }, { after, limit: checkins.EXPIRY_BATCH }),
    );
    for (const c of slice.expired) await services.background.dm(c.teamId, c.userId, [expiredNote(c, deps.expiryDays)]);
    total += slice.expired.length;
    if (slice.read < checkins.EXPIRY_BATCH) return total;
    after = slice.last;
    // One slice at a time: Slack's requests are answered between them.
    await yieldToEventLoop();
  }
}

/**
 * The idle nudge's Slack half: a day before an idle check-in expires, one DM with Continue. Each slice claims its
 * check-ins and keeps their DMs in the outbox in one transaction (so several instances send each once, and a Slack
 * blip leaves it to the retry job), then sends them; it yields to the event loop between slices.
 */
export async function nudgeIdleCheckins(services: SlackServices): Promise<number> {
  const deps = checkinDeps(services);
  const { outbox } = services.ctx.stores;
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const retryAt = new Date(now.getTime() + 60_000).toISOString();
    const kept = await services.ctx.stores.unitOfWork.run(async (repos) => {
      const claimed = await checkins.claimIdleNudges({ ...deps, checkins: repos.checkins });
      const ids: { id: number; teamId: string; userId: string; message: Message }[] = [];
      for (const { checkin, expiresAt } of claimed) {
        const message = idleNudgeMessage(checkin, expiresAt);
        const n = { teamId: checkin.teamId, userId: checkin.userId, kind: 'dm' as const, messages: [message] };
        ids.push({ id: await repos.outbox.enqueue(n, now.toISOString(), retryAt), ...n, message });
      }
      return ids;
    });
    // Sent at once; what Slack does not take waits in the outbox for the retry job (a minute away, at the earliest).
    for (const n of kept) if (await services.background.dm(n.teamId, n.userId, [n.message])) await outbox.remove(n.id);
    total += kept.length;
    if (kept.length < checkins.NUDGE_BATCH) return total;
    await yieldToEventLoop();
  }
}
