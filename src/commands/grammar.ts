import { FRIENDLY_DATE_FORMS, isDateWord } from '../career/dates.js';
import { closest } from '../frameworks/match.js';
import { plainFromSlack } from '../text/mrkdwn.js';
import { type GrowthCommand, parseAdmin, parseCelebrate, parseDigest } from './growth-grammar.js';
import { type PromotionCommand, parsePromotionsAdmin, parsePropose } from './promotion-grammar.js';

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
  /**
   * `someone`: a person named (`export @eve`), as typed: export is one's own data, so the reply says where another
   * person's comes from (unless the mention is the caller's own).
   */
  | { kind: 'export'; someone?: string }
  /** `/career brag`: the person's year as a Markdown file in their DM (issue 17). */
  | { kind: 'brag' }
  | { kind: 'forget'; user: Mention | 'me' }
  | { kind: 'checkin'; words: string[] }
  | { kind: 'history' }
  | { kind: 'nudges'; turn?: 'on' | 'off'; optional?: boolean }
  | GrowthCommand
  | PromotionCommand
  | { kind: 'team'; user?: Mention }
  /** Issue 17: ask a colleague for an example of one expectation, named by its words or id; list one's asks. */
  | { kind: 'ask'; colleague: Mention; words: string }
  | { kind: 'asks' }
  /** Issue 17: a line of evidence (`text` as typed, Slack's escapes decoded), and the person's log. */
  | { kind: 'win'; text: string }
  | { kind: 'evidence' }
  | { kind: 'invalid'; message: string; usage: string; hint?: string; example?: string };

/**
 * Commands answered from the frameworks alone (plus the caller's own framework), fast enough to
 * reply in the ack; every other kind reads or writes records and may call Slack first.
 */
const ANSWERED_IN_ACK = ['help', 'frameworks', 'level', 'titles', 'compare', 'lookup', 'invalid'] as const;
type AckKind = (typeof ANSWERED_IN_ACK)[number];

export type LookupCommand = Extract<CareerCommand, { kind: AckKind }>;
/** Check-in commands: answered by the check-in listeners (src/slack/checkins.ts). */
export type CheckinCommand = Extract<CareerCommand, { kind: 'checkin' | 'history' }>;
/** `/career win` and `/career evidence`: answered by the evidence listener (src/slack/evidence.ts). */
export type EvidenceCommand = Extract<CareerCommand, { kind: 'win' | 'evidence' }>;
/** `/career nudges [on|off]`: answered by the reminder listener (src/slack/reminders.ts). */
export type NudgesCommand = Extract<CareerCommand, { kind: 'nudges' }>;
/** `/career ask` and `/career asks`: answered by the ask listener (src/slack/evidence-ask.ts). */
export type AskCommand = Extract<CareerCommand, { kind: 'ask' | 'asks' }>;
export type RecordCommand = Exclude<
  CareerCommand,
  {
    kind:
      | AckKind
      | CheckinCommand['kind']
      | 'nudges'
      | GrowthCommand['kind']
      | AskCommand['kind']
      | PromotionCommand['kind']
      | EvidenceCommand['kind'];
  }
>;

export function isAskCommand(command: CareerCommand): command is AskCommand {
  return command.kind === 'ask' || command.kind === 'asks';
}

export function isEvidenceCommand(command: CareerCommand): command is EvidenceCommand {
  return command.kind === 'win' || command.kind === 'evidence';
}

export function isNudgesCommand(command: CareerCommand): command is NudgesCommand {
  return command.kind === 'nudges';
}

export function isCheckinCommand(command: CareerCommand): command is CheckinCommand {
  return command.kind === 'checkin' || command.kind === 'history';
}

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
  set: '/career set @person <team> <level> [since YYYY-MM-DD] [manager @person] [note "…"]',
  pause: '/career pause [until YYYY-MM-DD]',
  resume: '/career resume',
  export: '/career export',
  brag: '/career brag',
  forget: '/career forget me',
  team: '/career team',
  nudges: '/career nudges [on|off]',
  ask: '/career ask @person <expectation words or id>',
  asks: '/career asks',
  win: '/career win <what you did>',
  evidence: '/career evidence',
} as const;

/**
 * The words `parseCommand` reads as a subcommand (aliases included); anything else is a title lookup.
 * A test parses each one, so the list cannot drift from the switch below.
 */
export const SUBCOMMANDS = [
  'help',
  'frameworks',
  'teams',
  'tracks',
  'level',
  'titles',
  'compare',
  'me',
  'who',
  'set',
  'pause',
  'resume',
  'export',
  'brag',
  'team',
  'reports',
  'forget',
  'checkin',
  'history',
  'nudges',
  'reminders',
  'admin',
  'celebrate',
  'ask',
  'asks',
  'propose',
  'win',
  'evidence',
] as const;

/**
 * The subcommand a word is a plausible typo of (`chekin` → `checkin`), for "Did you mean". Words of
 * fewer than four letters are left alone: one edit away from `me`, `who` or `set` is almost anything.
 */
export function nearestSubcommand(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 4 || (SUBCOMMANDS as readonly string[]).includes(w)) return undefined;
  const candidates = SUBCOMMANDS.filter((c) => c.length >= 4);
  // Two letters swapped (`hlep`) is one slip of the fingers, though it is two edits.
  return candidates.find((c) => isSwap(w, c)) ?? closest(w, candidates);
}

/** True when `a` is `b` with two neighbouring letters swapped. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((ch, k) => ch !== b[k]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|([^>]*))?>$/;

export function parseMention(token: string): Mention | undefined {
  const m = MENTION.exec(token);
  if (!m) return undefined;
  return m[2] ? { userId: m[1] as string, name: m[2] } : { userId: m[1] as string };
}

/**
 * The most a `/career` command may hold. Every valid command is far shorter (the longest, `set` with
 * two mentions, a title and a date, is about 120 characters and 12 words); the limits stop one long
 * message from holding up everyone else's replies.
 */
export const LIMITS = { characters: 500, words: 30 } as const;

const EXAMPLE = 'Commands are a few words, like /career level 3 marketing.';

/** The reply to a command with more than {@link LIMITS.words} words. */
export function tooManyWords(count: number, usage: string = USAGE.help): Extract<CareerCommand, { kind: 'invalid' }> {
  return {
    kind: 'invalid',
    message: `That's too many words for a /career command (${count} words; the most is ${LIMITS.words}). ${EXAMPLE}`,
    usage,
  };
}

/** How far a too-long command is counted: past this, "more than" says enough. */
const COUNTED = 2 * LIMITS.characters;

function tooLong(count: number): Extract<CareerCommand, { kind: 'invalid' }> {
  const length = count > COUNTED ? `more than ${COUNTED.toLocaleString('en-US')}` : String(count);
  return {
    kind: 'invalid',
    message: `That's too long for a /career command (${length} characters; the most is ${LIMITS.characters}). ${EXAMPLE}`,
    usage: USAGE.help,
  };
}

/**
 * Characters as the user sees them: Unicode code points (an emoji or an accented letter is one),
 * with Slack's escapes `&amp;`, `&lt;` and `&gt;` counted as the one character they stand for, and
 * leading and trailing spaces left out. Counting stops once past `atMost` (the answer is then
 * `atMost + 1`), so a huge text costs no more than a long one; the scan is native unless the text
 * has an `&` or an astral character (emoji).
 */
export function commandLength(text: string, atMost = Number.POSITIVE_INFINITY): number {
  const s = text.trim();
  const first = s.search(/[&\uD800-\uDBFF]/);
  if (first === -1 || first > atMost) return Math.min(first === -1 ? s.length : first, atMost + 1);
  let count = first;
  for (let i = first; i < s.length && count <= atMost; i++) {
    const code = s.charCodeAt(i);
    if (code === AMPERSAND) {
      if (s.startsWith('amp;', i + 1)) i += 4;
      else if (s.startsWith('lt;', i + 1) || s.startsWith('gt;', i + 1)) i += 3;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++; // a surrogate pair: one code point
    }
    count++;
  }
  return count;
}

const AMPERSAND = 0x26;

/** True for the characters JavaScript's `\s` matches (`code` is NaN past the end of the text: false). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * The first `char` at or after a position, for positions that only move forward: each part of the
 * text is searched at most once, so a text full of unclosed quotes or `<` stays one pass.
 */
function forwardFinder(text: string, char: string): (from: number) => number {
  let searchedFrom = Number.POSITIVE_INFINITY;
  let found = -1;
  return (from) => {
    if (from < searchedFrom || (found !== -1 && found < from)) {
      searchedFrom = from;
      found = text.indexOf(char, from);
    }
    return found;
  };
}

/**
 * Splits on whitespace, keeping "quoted words" and Slack's `<...>` tokens whole.
 * Slack escapes &, < and > in command text, so entities are decoded here once.
 *
 * A hand-written scanner, linear in the length of the text (a regex for the same tokens backtracks
 * quadratically on `<|||…`). At each word: a `<` starts a Slack token that runs to the `>` that ends
 * its first whitespace-free stretch, or, when that stretch holds a `|` (a label may have spaces, as
 * in `<@U1|ana de la cruz>`), to the first `>` after it; a `"` or `“` starts a quoted word that runs
 * to the closing quote; anything else, or a token that is never closed, is a word up to the next
 * whitespace.
 */
export function tokenize(text: string, options: { keepChannels?: boolean } = {}): string[] {
  const tokens: string[] = [];
  const nextGt = forwardFinder(text, '>');
  const nextQuote = forwardFinder(text, '"');
  const nextCurly = forwardFinder(text, '”');
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let word: string | undefined;
    let end = -1;
    if (ch === '<') {
      let j = i + 1;
      let bar = -1;
      while (j < text.length && text[j] !== '>' && !isSpace(text.charCodeAt(j))) {
        if (text[j] === '|') bar = j;
        j++;
      }
      if (text[j] === '>') end = j + 1;
      else if (bar !== -1) {
        const gt = nextGt(j);
        if (gt !== -1) end = gt + 1;
      }
      if (end !== -1) word = text.slice(i, end);
    } else if (ch === '"' || ch === '“') {
      const close = (ch === '"' ? nextQuote : nextCurly)(i + 1);
      if (close !== -1) {
        word = text.slice(i + 1, close);
        end = close + 1;
      }
    }
    if (word === undefined) {
      end = i + 1;
      while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
      word = text.slice(i, end);
    }
    i = end;
    word = word.trim();
    if (!word) continue;
    // Slack markup arrives raw (what the user typed was escaped); mentions stay whole for parseMention.
    const keep = word.startsWith('<@') || (options.keepChannels === true && word.startsWith('<#'));
    tokens.push(word.startsWith('<') && !keep ? plainFromSlack(word) : decodeEntities(word));
  }
  return tokens;
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

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

/** The most a `/career win` line holds, in characters as the person sees them. */
export const WIN_MAX_CHARS = 400;

const WIN = /^\s*win(?:\s|$)/i;

/**
 * `/career win <text>`: the rest of the command as typed, a sentence rather than words (so the word limit does not
 * apply); blank or longer than {@link WIN_MAX_CHARS}, a reply that says what to do instead.
 */
function parseWin(text: string): CareerCommand {
  const raw = text.replace(WIN, '');
  const length = commandLength(raw, COUNTED);
  if (length === 0)
    return {
      kind: 'invalid',
      message: 'Say what you did after `win`: one line, kept as evidence for your career framework.',
      usage: USAGE.win,
      example: '/career win Ran the spring launch retro and wrote up what we changed',
    };
  if (length > WIN_MAX_CHARS) {
    const shown = length > COUNTED ? `more than ${COUNTED.toLocaleString('en-US')}` : String(length);
    return {
      kind: 'invalid',
      message: `That win is too long to keep as one line (${shown} characters; the most is ${WIN_MAX_CHARS}).`,
      usage: USAGE.win,
      hint: 'Keep the line short, with a link to the details, or use *Save as evidence* on the Slack message itself.',
    };
  }
  // Mentions and links as the person saw them (`@chen`, not `<@U123|chen>`): the line is kept as plain text.
  return { kind: 'win', text: plainFromSlack(raw).trim() };
}

export function parseCommand(text: string): CareerCommand {
  if (WIN.test(text)) return parseWin(text);
  // Measured before any parsing, so an oversized command costs one pass over its text.
  const length = commandLength(text, COUNTED);
  if (length > LIMITS.characters) return tooLong(length);
  const tokens = tokenize(text);
  if (tokens.length > LIMITS.words) return tooManyWords(tokens.length);
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
      if (rest.length < 2) {
        return {
          kind: 'invalid',
          message: 'Compare needs two levels, and a team unless it is your own.',
          usage: USAGE.compare,
          example: '/career compare engineering 4 6',
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
    case 'export': {
      return rest.length > 0 ? { kind: 'export', someone: rest.join(' ') } : { kind: 'export' };
    }
    case 'brag':
      // A brag file is one's own year: nothing after the word picks anything else.
      return rest.length > 0
        ? {
            kind: 'invalid',
            message: '`/career brag` takes nothing after it: it sends you your own year, in our DM.',
            usage: USAGE.brag,
          }
        : { kind: 'brag' };
    case 'team':
    case 'reports': {
      if (rest.length === 0) return { kind: 'team' };
      const user = needMention(rest[0], USAGE.team, 'the manager whose reports to list (admins only)');
      if ('kind' in user) return user;
      return { kind: 'team', user };
    }
    case 'forget': {
      if (rest[0]?.toLowerCase() === 'me') return { kind: 'forget', user: 'me' };
      const user = needMention(rest[0], USAGE.forget, 'the person whose data to delete, or say "me"');
      if ('kind' in user) return user;
      return { kind: 'forget', user };
    }
    case 'checkin':
    case 'check-in':
      return { kind: 'checkin', words: rest };
    case 'history':
      return { kind: 'history' };
    case 'nudges':
    case 'reminders': {
      const turn = rest[0]?.toLowerCase();
      if (rest.length === 0) return { kind: 'nudges' };
      if (rest.length === 1 && (turn === 'on' || turn === 'off')) return { kind: 'nudges', turn };
      const optionalTurn = rest[1]?.toLowerCase();
      if (turn === 'optional' && rest.length === 2 && (optionalTurn === 'on' || optionalTurn === 'off')) {
        return { kind: 'nudges', turn: optionalTurn, optional: true };
      }
      return {
        kind: 'invalid',
        message: 'Say `on` or `off` after nudges, or nothing to see your upcoming reminders.',
        usage: USAGE.nudges,
      };
    }
    case 'admin': {
      // Channel references stay whole here (`<#C123|growth>`): the id is what gets stored.
      const words = tokenize(text, { keepChannels: true }).slice(1);
      if (words[0]?.toLowerCase() === 'promotions') return parsePromotionsAdmin(words.slice(1));
      return parseAdmin(words);
    }
    case 'propose':
      return parsePropose(rest[0] ? parseMention(rest[0])?.userId : undefined, rest[0]);
    case 'celebrate':
      return parseCelebrate(rest);
    case 'digest':
      return parseDigest(rest);
    case 'ask': {
      const colleague = needMention(rest[0], USAGE.ask, 'the colleague to ask for an example');
      if ('kind' in colleague) return colleague;
      if (rest.length < 2)
        return {
          kind: 'invalid',
          message: 'Say which expectation to ask about: a few of its words, or its id.',
          usage: USAGE.ask,
          example: '/career ask @chen ship regularly',
        };
      return { kind: 'ask', colleague, words: rest.slice(1).join(' ') };
    }
    case 'asks':
      return { kind: 'asks' };
    case 'evidence':
      return { kind: 'evidence' };
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
  let note: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const token = args[i] as string;
    const key = token.toLowerCase();
    if (key === 'since' || key === 'from') {
      // A date may be several words ("15 Jan 2026"); the service reads it, knowing what today is.
      const taken: string[] = [];
      while (taken.length < 3 && i + 1 < args.length && isDateWord(args[i + 1] as string))
        taken.push(args[++i] as string);
      if (taken.length === 0) {
        const value = args[i + 1];
        return {
          kind: 'invalid',
          message: value ? `I can't read "${value}" as a date.` : '"since" needs a date.',
          usage: USAGE.set,
          hint: `Dates can be written ${FRIENDLY_DATE_FORMS}.`,
          example: '/career set @person marketing 2 since 2026-01-15',
        };
      }
      since = taken.join(' ');
    } else if (key === 'manager' || key === 'reports-to') {
      const value = args[++i];
      if (value?.toLowerCase() === 'none') {
        manager = null;
        continue;
      }
      const m = needMention(value, USAGE.set, 'the manager (or "manager none")');
      if ('kind' in m) return m;
      manager = m;
    } else if (key === 'note' && i + 1 < args.length) {
      // A note for the person, in quotes: it goes in their DM and the record's history.
      note = (args[++i] as string).trim() || undefined;
    } else {
      words.push(token);
    }
  }
  // Only the manager (or a note with it): the team and level stay as they are.
  if (words.length === 0 && manager !== undefined && since === undefined)
    return { kind: 'set', user, words, manager, ...(note ? { note } : {}) };
  if (words.length < 2) {
    return {
      kind: 'invalid',
      message: 'Say which team and which level.',
      usage: USAGE.set,
      example: '/career set @person marketing 3 since 2026-01-15',
    };
  }
  return { kind: 'set', user, words, since, manager, ...(note ? { note } : {}) };
}

function parsePause(args: string[]): CareerCommand {
  if (args.length === 0) return { kind: 'pause' };
  const rest = args.slice(1);
  if (args[0]?.toLowerCase() === 'until' && rest.length > 0 && rest.length <= 3 && rest.every(isDateWord)) {
    return { kind: 'pause', until: rest.join(' ') };
  }
  return {
    kind: 'invalid',
    message: `I couldn't read "${args.join(' ')}" as a return date.`,
    usage: USAGE.pause,
    hint: `Say "until" and a date: ${FRIENDLY_DATE_FORMS}.`,
    example: '/career pause until 2027-03-01',
  };
}
