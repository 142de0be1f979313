/**
 * The growth-nudge part of the `/career` language (issue 10): `admin channel|nudge-now|schedule`,
 * `celebrate`, `digest`, and `nudges optional`. Pure: tokens in, a typed command out.
 */

export interface ChannelRef {
  id: string;
  /** The name Slack put in the escaped reference (`<#C123|growth>`), when it did. */
  name?: string;
}

export type GrowthCommand =
  | { kind: 'admin'; action: 'channel'; channel: ChannelRef; weekday?: number; time?: string }
  | { kind: 'admin'; action: 'channel-off' }
  | { kind: 'admin'; action: 'nudge-now' }
  | { kind: 'admin'; action: 'schedule' }
  /** `page`: which page of Slack's member list, from the Next page button (its `cursor`, 2 and on); the first by default. */
  | { kind: 'admin'; action: 'people'; page?: { cursor: string; number: number } }
  | { kind: 'celebrate'; turn?: 'on' | 'off' }
  | { kind: 'digest'; turn?: 'on' | 'off' };

type Invalid = { kind: 'invalid'; message: string; usage: string; hint?: string; example?: string };

export const GROWTH_USAGE = {
  adminChannel: '/career admin channel #channel [day] [HH:MM]',
  adminChannelOff: '/career admin channel off',
  nudgeNow: '/career admin nudge-now',
  schedule: '/career admin schedule',
  people: '/career admin people',
  celebrate: '/career celebrate [on|off]',
  digest: '/career digest [on|off]',
  nudgesOptional: '/career nudges optional on|off',
} as const;

const ADMIN_USAGE = `${GROWTH_USAGE.adminChannel} · ${GROWTH_USAGE.nudgeNow} · ${GROWTH_USAGE.schedule} · ${GROWTH_USAGE.people}`;

export function isGrowthCommand(command: { kind: string }): command is GrowthCommand {
  return command.kind === 'admin' || command.kind === 'celebrate' || command.kind === 'digest';
}

const CHANNEL = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/;

export function parseChannel(token: string): ChannelRef | undefined {
  const m = CHANNEL.exec(token);
  if (!m) return undefined;
  return m[2] ? { id: m[1] as string, name: m[2] } : { id: m[1] as string };
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `fri`, `Friday`, `thurs`: 1 = Monday … 7 = Sunday; at least three letters. */
export function parseWeekday(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const i = DAYS.findIndex((d) => d.startsWith(w));
  return i < 0 ? undefined : i + 1;
}

/** `10:00`, `9:30`, `10am`, `3pm`, `3:30pm` → 'HH:MM' (24-hour). */
export function parseTime(word: string): string | undefined {
  const m = /^(\d{1,2})(?::([0-5]\d))?\s*(am|pm)?$/i.exec(word);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] ?? '00';
  const meridiem = m[3]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (hour > 23) return undefined;
  return `${String(hour).padStart(2, '0')}:${minute}`;
}

/** `/career admin …`, given the words after `admin` with channel references kept whole. */
export function parseAdmin(args: readonly string[]): GrowthCommand | Invalid {
  const [sub, ...rest] = args;
  switch (sub?.toLowerCase()) {
    case 'channel':
      return parseChannelCommand(rest);
    case 'nudge-now':
    case 'nudge': {
      const now =
        sub.toLowerCase() === 'nudge-now' ? rest.length === 0 : rest.length === 1 && rest[0]?.toLowerCase() === 'now';
      if (now) return { kind: 'admin', action: 'nudge-now' };
      return { kind: 'invalid', message: '`nudge-now` takes nothing after it.', usage: GROWTH_USAGE.nudgeNow };
    }
    case 'schedule':
      if (rest.length > 0) {
        return { kind: 'invalid', message: '`schedule` takes nothing after it.', usage: GROWTH_USAGE.schedule };
      }
      return { kind: 'admin', action: 'schedule' };
    case 'people':
      if (rest.length > 0) {
        return { kind: 'invalid', message: '`people` takes nothing after it.', usage: GROWTH_USAGE.people };
      }
      return { kind: 'admin', action: 'people' };
  }
  return {
    kind: 'invalid',
    message: sub ? `I don't know the admin command "${sub}".` : 'Which admin command?',
    usage: ADMIN_USAGE,
    example: '/career admin channel #growth fri 10:00',
  };
}

function parseChannelCommand(args: readonly string[]): GrowthCommand | Invalid {
  const [first, ...rest] = args;
  if (first?.toLowerCase() === 'off' && rest.length === 0) return { kind: 'admin', action: 'channel-off' };
  const channel = first ? parseChannel(first) : undefined;
  if (!channel) {
    return {
      kind: 'invalid',
      message: first ? `"${first}" isn't a Slack channel link.` : 'Say which channel: type # and pick it.',
      usage: GROWTH_USAGE.adminChannel,
      hint: first?.startsWith('#')
        ? `Pick the channel from Slack's #-menu so it turns into a link; plain text like "${first}" can't be matched to a channel.`
        : 'Type # and pick the channel from the menu. `/career admin channel off` stops the weekly post.',
      example: '/career admin channel #growth fri 10:00',
    };
  }
  let weekday: number | undefined;
  let time: string | undefined;
  for (const word of rest) {
    const day = parseWeekday(word);
    const at = day === undefined ? parseTime(word) : undefined;
    if (day !== undefined && weekday === undefined) weekday = day;
    else if (at !== undefined && time === undefined) time = at;
    else {
      return {
        kind: 'invalid',
        message: `I can't read "${word}" as a day or a time.`,
        usage: GROWTH_USAGE.adminChannel,
        hint: 'Give at most one day (mon … sun) and one time (10:00, 9:30, 3pm), in your time zone.',
        example: '/career admin channel #growth fri 10:00',
      };
    }
  }
  return {
    kind: 'admin',
    action: 'channel',
    channel,
    ...(weekday !== undefined ? { weekday } : {}),
    ...(time !== undefined ? { time } : {}),
  };
}

/** A personal switch, `/career <kind> [on|off]`: alone it shows the setting. */
function parseSwitch(kind: 'celebrate' | 'digest', args: readonly string[]): GrowthCommand | Invalid {
  if (args.length === 0) return { kind };
  const turn = args[0]?.toLowerCase();
  if (args.length === 1 && (turn === 'on' || turn === 'off')) return { kind, turn };
  return {
    kind: 'invalid',
    message: `Say \`on\` or \`off\` after ${kind}, or nothing to see your setting.`,
    usage: GROWTH_USAGE[kind],
  };
}

/** `/career celebrate [on|off]`. */
export function parseCelebrate(args: readonly string[]): GrowthCommand | Invalid {
  return parseSwitch('celebrate', args);
}

/** `/career digest [on|off]`: the caller's weekly manager digest. */
export function parseDigest(args: readonly string[]): GrowthCommand | Invalid {
  return parseSwitch('digest', args);
}
