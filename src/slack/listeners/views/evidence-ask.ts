import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { ASK_ANSWER_MAX, ASK_CONTEXT_MAX } from '../../../evidence/ask-model.js';
import { answerAsk } from '../../../evidence/asks.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  ASK_INPUT,
  answerBackMessage,
  answerSentMessage,
  askClosedReply,
  askNotYoursReply,
} from '../../blocks/evidence-ask.js';
import type { Message } from '../../blocks/kit.js';
import { askDeps, askOutcomeMessage, colleagueProblem, sendAsk } from '../../evidence-ask.js';
import type { SlackServices } from '../../services.js';
import { callerOf, closed, meta } from './submission.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const askMeta = z.object({ l: z.string().regex(slugPattern), e: z.string().regex(slugPattern) });
const answerMeta = z.object({
  a: z.number().int().positive(),
  ch: z.string().max(40).optional(),
  ts: z.string().max(40).optional(),
});

/**
 * The ask form, submitted. A colleague who cannot be asked (themselves, a bot, someone deactivated) is said in the
 * form, which stays open; otherwise the ask is written with the colleague's DM (see `sendAsk`), and the person hears
 * what happened in their DM with Ripple.
 */
export function askSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger }: Args) => {
    if (closed(body)) return void (await ack());
    const values = view.state.values;
    const colleagueId = values[ASK_INPUT.colleague.block]?.[ASK_INPUT.colleague.action]?.selected_user ?? '';
    const caller = callerOf(body);
    const problem = colleagueId ? await colleagueProblem(services, caller, colleagueId) : 'Pick the colleague to ask.';
    if (problem) {
      await ack({ response_action: 'errors', errors: { [ASK_INPUT.colleague.block]: problem } });
      return;
    }
    await ack();
    services.later('Asking a colleague for an example', async () => {
      const target = meta(askMeta, view.private_metadata);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      if (!target) return dm(askNotYoursReply());
      const context = values[ASK_INPUT.context.block]?.[ASK_INPUT.context.action]?.value
        ?.trim()
        .slice(0, ASK_CONTEXT_MAX);
      const outcome = await sendAsk(
        services,
        caller,
        { colleagueId, levelId: target.l, expectationId: target.e, context: context || null },
        { logger, tell: dm, again: 'submit' },
      );
      if (outcome) await dm(askOutcomeMessage(outcome));
    });
  };
}

/**
 * The colleague's answer, submitted: kept on the ask, and sent to the person (kept in the same unit, sent after it)
 * with Keep it / Don't keep. The colleague's DM says it was sent.
 */
export function answerSubmitted(services: SlackServices) {
  return async ({ ack, view, body, logger, client }: Args) => {
    if (closed(body)) return void (await ack());
    const whole = view.state.values[ASK_INPUT.answer.block]?.[ASK_INPUT.answer.action]?.value?.trim() ?? '';
    if (!whole) {
      await ack({
        response_action: 'errors',
        errors: { [ASK_INPUT.answer.block]: 'Write a sentence, or press Cancel.' },
      });
      return;
    }
    await ack();
    services.later('Sending an example back', async () => {
      const caller = callerOf(body);
      const dm = (m: Message) => services.notifier.dm(caller.teamId, caller.userId, [m]);
      const target = meta(answerMeta, view.private_metadata);
      if (!target) return dm(askNotYoursReply());
      const text = whole.slice(0, ASK_ANSWER_MAX);
      const outcome = await saveAfterAck(
        () =>
          services.reliable.afterAck(
            (repos) => answerAsk(askDeps(services), repos, caller, target.a, text),
            (o) =>
              o.kind === 'answered'
                ? {
                    teamId: caller.teamId,
                    userId: o.ask.userId,
                    kind: 'dm',
                    messages: [answerBackMessage(o.ask.id, caller.userId, o.expectation, o.ask.answer ?? text)],
                  }
                : undefined,
          ),
        { logger, what: 'Sending an example back', tell: dm, again: 'submit' },
      );
      if (!outcome) return;
      if (outcome.kind === 'not-yours') return dm(askNotYoursReply());
      if (outcome.kind === 'closed') return dm(askClosedReply());
      const sent = answerSentMessage(outcome.ask.userId);
      if (target.ch && target.ts)
        await client.chat.update({ channel: target.ch, ts: target.ts, text: sent.text, blocks: sent.blocks });
      else await dm(sent);
    });
  };
}
