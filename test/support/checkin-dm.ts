import type { Reply } from '../../src/offline-slack/driver.js';
import type { TestApp } from './app.js';
import { buttonsOf, visibleText } from './blocks.js';

/** A check-in question Ripple posted: its rating buttons' value, where it is, and what it says. */
export interface Posted {
  value: string;
  ts: string;
  channel: string;
  text: string;
  args: Record<string, unknown>;
}

/** The calls of `method` in this reply that Slack accepted. */
export const okCalls = (reply: Reply, method: string) =>
  reply.calls.filter((c) => c.method === method && c.response?.ok === true);

/** The last check-in question Ripple posted in this reply: its buttons' value and the message ts. */
export function lastQuestion(reply: Reply): Posted | undefined {
  for (const call of okCalls(reply, 'chat.postMessage').reverse()) {
    const rate = buttonsOf(call.args).find((b) => b.actionId.startsWith('checkin.rate.'));
    if (rate?.value)
      return {
        value: rate.value,
        ts: String(call.response?.ts),
        channel: String(call.response?.channel ?? call.args.channel),
        text: visibleText(call.args),
        args: call.args,
      };
  }
  return undefined;
}

/** The messages Ripple posted in this reply (to `channel` only, when given). */
export const posted = (reply: Reply, channel?: string) =>
  okCalls(reply, 'chat.postMessage')
    .filter((c) => channel === undefined || c.args.channel === channel)
    .map((c) => c.args);

/** What Ripple changed in place (`chat.update`) and the modals it opened, in this reply. */
export const updated = (reply: Reply) => okCalls(reply, 'chat.update').map((c) => c.args);
export const opened = (reply: Reply) => okCalls(reply, 'views.open').map((c) => c.args.view as Record<string, unknown>);

/** A line `user` types in their DM with Ripple; `n` keeps each message's ts apart. */
export const typedDm = (t: Pick<TestApp, 'driver'>, user: string, text: string, n: number) =>
  t.driver.event({
    type: 'message',
    channel_type: 'im',
    channel: `D${user}`,
    user,
    text,
    ts: `1764842400.0001${String(n).padStart(2, '0')}`,
  });

/** A click on one of a posted question's rating buttons; with `retryNum`, as Slack retries it. */
export const clickRating = (t: Pick<TestApp, 'driver'>, user: string, p: Posted, rating: string, retryNum?: number) =>
  t.driver.action({
    user,
    actionId: `checkin.rate.${rating}`,
    value: p.value,
    channel: p.channel,
    message: { ts: p.ts },
    ...(retryNum === undefined ? {} : { retryNum }),
  });
