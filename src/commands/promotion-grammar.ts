import { type ChannelRef, parseChannel } from './growth-grammar.js';

/**
 * The promotion part of the `/career` language (issue 17): `propose @person` and `admin promotions …`. Pure: tokens
 * in, a typed command out.
 */

export type PromotionCommand =
  | { kind: 'propose'; userId: string }
  | { kind: 'promotions'; action: 'show' }
  | { kind: 'promotions'; action: 'channel'; channel: ChannelRef }
  | { kind: 'promotions'; action: 'channel-off' }
  | { kind: 'promotions'; action: 'threshold'; threshold: number | null };

type Invalid = { kind: 'invalid'; message: string; usage: string; hint?: string; example?: string };

export const PROMOTION_USAGE = {
  propose: '/career propose @person',
  promotions: '/career admin promotions [#channel | off | threshold <1–100> | threshold default]',
} as const;

export function isPromotionCommand(command: { kind: string }): command is PromotionCommand {
  return command.kind === 'propose' || command.kind === 'promotions';
}

/** `propose <@U…>`, given the user id a mention parsed to (or undefined when the word was not a mention). */
export function parsePropose(userId: string | undefined, token: string | undefined): PromotionCommand | Invalid {
  if (userId) return { kind: 'propose', userId };
  return {
    kind: 'invalid',
    message: token
      ? `"${token}" isn't a Slack mention of the person to propose.`
      : 'Say who: mention the person to propose.',
    usage: PROMOTION_USAGE.propose,
    example: '/career propose @alice',
  };
}

/** `/career admin promotions …`, given the words after `promotions` with channel references kept whole. */
export function parsePromotionsAdmin(args: readonly string[]): PromotionCommand | Invalid {
  const [first, second, ...more] = args;
  if (first === undefined) return { kind: 'promotions', action: 'show' };
  const word = first.toLowerCase();
  if (args.length === 1 && word === 'off') return { kind: 'promotions', action: 'channel-off' };
  const channel = parseChannel(first);
  if (channel && args.length === 1) return { kind: 'promotions', action: 'channel', channel };
  if (word === 'threshold' && second !== undefined && more.length === 0) {
    if (second.toLowerCase() === 'default') return { kind: 'promotions', action: 'threshold', threshold: null };
    const n = /^(\d{1,3})%?$/.exec(second)?.[1];
    if (n !== undefined && Number(n) >= 1 && Number(n) <= 100)
      return { kind: 'promotions', action: 'threshold', threshold: Number(n) };
    return {
      kind: 'invalid',
      message: `The threshold is a whole percent from 1 to 100 ("${second}" isn't).`,
      usage: PROMOTION_USAGE.promotions,
      example: '/career admin promotions threshold 85',
    };
  }
  return {
    kind: 'invalid',
    message: 'Pick a channel from the # menu, say `off` to send cases to the admins by DM, or set the threshold.',
    usage: PROMOTION_USAGE.promotions,
    example: '/career admin promotions #promotions',
  };
}
