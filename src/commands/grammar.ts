import { plainFromSlack } from '../slack/mrkdwn.js';

/**
 * The `/career` command language. Pure: text in, a typed command out. Names of teams and levels
 * are kept as the words the user typed; resolving them against the frameworks is the lookup's job.
 */

export interface Mention {
  userId: string;
  /** The display name Slack put in the escaped mention (`<@U123|ana>`), when it did. */
  name?: string;
}

export type CareerCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'frameworks' }
  | { kind: 'level'; words: string[] }
  | { kind: 'titles'; team?: string }
  | { kind: 'compare'; words: string[] }
  | { kind: 'lookup'; words: string[] }
  | { kind: 'me' }
  | { kind: 'who'; user: Mention }
  | {
      kind: 'set';
      user: Mention;
      words: string[];
      since?: string;
      manager?: Mention | null;
      note?: string;
    }
  | { kind: 'pause'; until?: string }
  | { kind: 'resume' }
  | { kind: 'export' }
  | { kind: 'forget'; user: Mention | 'me' }
  | { kind: 'invalid'; message: string; usage: string; hint?: string };

/**
 * Commands answered from the frameworks alone (plus the caller's own framework), fast enough to
 * reply in the ack; every other kind reads or writes records and may call Slack first.
 */
const ANSWERED_IN_ACK = ['help', 'frameworks', 'level', 'titles', 'compare', 'lookup', 'invalid'] as const;
type AckKind = (typeof ANSWERED_IN_ACK)[number];

export type LookupCommand = Extract<CareerCommand, { kind: AckKind }>;
export type RecordCommand = Exclude<CareerCommand, { kind: AckKind }>;

export function isLookupCommand(command: CareerCommand): command is LookupCommand {
  return (ANSWERED_IN_ACK as readonly string[]).includes(command.kind);
}

/** Usage lines, shared by help and by error replies so they never disagree. */
export const USAGE = {
  help: '/career help',
  frameworks: '/career frameworks',
  level: '/career level <number> <team>',
  titles: '/career titles [team]',
  compare: '/career compare <team> <level> <level>',
  lookup: '/career <title>',
  me: '/career me',
  who: '/career who @person',
  set: '/career set @person <team> <level> [since YYYY-MM-DD] [manager @person]',
  pause: '/career pause [until YYYY-MM-DD]',
  resume: '/career resume',
  export: '/career export',
  forget: '/career forget me',
} as const;

const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|([^>]*))?>$/;

export function parseMention(token: string): Mention | undefined {
  const m = MENTION.exec(token);
  if (!m) return undefined;
  return m[2] ? { userId: m[1] as string, name: m[2] } : { userId: m[1] as string };
}

/**
 * Splits on whitespace, keeping "quoted words" and Slack's `<...>` tokens whole.
 * Slack escapes &, < and > in command text, so entities are decoded here once.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /<[^>\s]*(?:\|[^>]*)?>|"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const m of text.matchAll(re)) {
    const word = (m[1] ?? m[2] ?? m[3] ?? m[0]).trim();
    if (!word) continue;
    // Slack markup arrives raw (what the user typed was escaped); mentions stay whole for parseMention.
    tokens.push(word.startsWith('<') && !word.startsWith('<@') ? plainFromSlack(word) : decodeEntities(word));
  }
  return tokens;
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function mentionHint(token: string | undefined): string | undefined {
  if (token?.startsWith('@')) {
    return `Pick the person from Slack's @-menu so the mention turns blue; plain text like "${token}" can't be matched to a teammate.`;
  }
  return undefined;
}

function needMention(
  token: string | undefined,
  usage: string,
  what: string,
): Mention | Extract<CareerCommand, { kind: 'invalid' }> {
  const mention = token ? parseMention(token) : undefined;
  if (mention) return mention;
  return {
    kind: 'invalid',
    message: token ? `"${token}" isn't a Slack mention of ${what}.` : `Say who: mention ${what}.`,
    usage,
    hint: mentionHint(token),
  };
}

export function parseCommand(text: string): CareerCommand {
  const tokens = tokenize(text);
  const [head, ...rest] = tokens;
  if (head === undefined) return { kind: 'help' };
  switch (head.toLowerCase()) {
    case 'help':
    case '?':
    case '-h':
    case '--help':
      return rest.length ? { kind: 'help', topic: rest.join(' ').toLowerCase() } : { kind: 'help' };
    case 'frameworks':
    case 'teams':
    case 'tracks':
      return { kind: 'frameworks' };
    case 'level':
    case 'lvl':
      if (rest.length === 0) {
        return { kind: 'invalid', message: 'Which level, and of which team?', usage: USAGE.level };
      }
      return { kind: 'level', words: rest };
    case 'titles':
    case 'title':
      return rest.length ? { kind: 'titles', team: rest.join(' ') } : { kind: 'titles' };
    case 'compare':
    case 'diff':
      if (rest.length < 3) {
        return {
          kind: 'invalid',
          message: 'Compare needs a team and two levels.',
          usage: USAGE.compare,
          hint: 'For example: /career compare engineering 4 6',
        };
      }
      return { kind: 'compare', words: rest };
    case 'me':
    case 'mine':
      return { kind: 'me' };
    case 'who':
    case 'whois': {
      const user = needMention(rest[0], USAGE.who, 'the person to look up');
      if ('kind' in user) return user;
      return { kind: 'who', user };
    }
    case 'set':
      return parseSet(rest);
    case 'pause':
      return parsePause(rest);
    case 'resume':
      return { kind: 'resume' };
    case 'export':
      return { kind: 'export' };
    case 'forget': {
      if (rest[0]?.toLowerCase() === 'me') return { kind: 'forget', user: 'me' };
      const user = needMention(rest[0], USAGE.forget, 'the person whose data to delete, or say "me"');
      if ('kind' in user) return user;
      return { kind: 'forget', user };
    }
    default:
      return { kind: 'lookup', words: tokens };
  }
}

function parseSet(args: string[]): CareerCommand {
  const user = needMention(args[0], USAGE.set, 'the person whose level to set');
  if ('kind' in user) return user;
  const words: string[] = [];
  let since: string | undefined;
  let manager: Mention | null | undefined;
  for (let i = 1; i < args.length; i++) {
    const token = args[i] as string;
    const key = token.toLowerCase();
    if (key === 'since' || key === 'from') {
      const value = args[++i];
      if (!value || !DATE.test(value)) {
        return {
          kind: 'invalid',
          message: value ? `"${value}" isn't a date in the form YYYY-MM-DD.` : '"since" needs a date.',
          usage: USAGE.set,
          hint: 'For example: since 2026-01-15',
        };
      }
      since = value;
    } else if (key === 'manager' || key === 'reports-to') {
      const value = args[++i];
      if (value?.toLowerCase() === 'none') {
        manager = null;
        continue;
      }
      const m = needMention(value, USAGE.set, 'the manager (or "manager none")');
      if ('kind' in m) return m;
      manager = m;
    } else {
      words.push(token);
    }
  }
  if (words.length < 2) {
    return {
      kind: 'invalid',
      message: 'Say which team and which level.',
      usage: USAGE.set,
      hint: 'For example: /career set @ana marketing 3 since 2026-01-15',
    };
  }
  return { kind: 'set', user, words, since, manager };
}

function parsePause(args: string[]): CareerCommand {
  if (args.length === 0) return { kind: 'pause' };
  if (args[0]?.toLowerCase() === 'until' && args[1] && DATE.test(args[1]) && args.length === 2) {
    return { kind: 'pause', until: args[1] };
  }
  return {
    kind: 'invalid',
    message: `I couldn't read "${args.join(' ')}" as a return date.`,
    usage: USAGE.pause,
    hint: 'For example: /career pause until 2027-03-01',
  };
}
