import type { Catalog, Comparison, FrameworkMatch, LevelMatch, LevelRef } from '../frameworks/catalog.js';
import { parseLevelNumber } from '../frameworks/level-ref.js';
import { normalize, wordCount } from '../frameworks/match.js';
import type { Framework, Level } from '../frameworks/schema.js';
import { type CareerCommand, LIMITS, nearestSubcommand, tooManyWords, USAGE } from './grammar.js';

/**
 * A problem the user can act on: what went wrong, what they probably meant, and how to ask.
 * Text here is plain (not mrkdwn); the renderer escapes it.
 */
export interface Problem {
  kind: 'problem';
  message: string;
  /** Things to try, shown as a list (e.g. the valid teams). */
  options?: string[];
  didYouMean?: string;
  /** A whole command the person probably meant (`/career checkin`), for a mistyped subcommand. */
  didYouMeanCommand?: string;
  /** How to fix it, when the message alone does not say. */
  hint?: string;
  /** A command that works, with placeholders (`@person`) rather than anyone's name. */
  example?: string;
  usage?: string;
}

export type LookupResult =
  | { kind: 'level'; framework: Framework; level: Level }
  | { kind: 'titles'; frameworks: Framework[] }
  | { kind: 'frameworks'; frameworks: readonly Framework[] }
  | { kind: 'compare'; comparison: Comparison }
  | { kind: 'title-matches'; query: string; matches: LevelRef[] }
  | Problem;

/** The lookups runLookup answers (help and invalid input are rendered without the catalog). */
type FrameworkQuery = Extract<CareerCommand, { kind: 'level' | 'titles' | 'compare' | 'lookup' | 'frameworks' }>;

/** A framework, or how to find it when (and only when) it is needed. */
export type DefaultFramework = Framework | (() => Framework | undefined);

export interface LookupOptions {
  /**
   * The caller's own framework, used when they leave the team out (`/career level 3`). Pass a
   * function to look it up only then: a lookup that names its team never reads the caller's record.
   */
  defaultFramework?: DefaultFramework;
}

export function runLookup(catalog: Catalog, command: FrameworkQuery, options: LookupOptions = {}): LookupResult {
  switch (command.kind) {
    case 'frameworks':
      return { kind: 'frameworks', frameworks: catalog.frameworks };
    case 'titles': {
      if (command.team === undefined) return { kind: 'titles', frameworks: [...catalog.frameworks] };
      const match = catalog.findFramework(command.team);
      if (!match.ok) return unknownTeam(catalog, command.team, match, USAGE.titles);
      return { kind: 'titles', frameworks: [match.framework] };
    }
    case 'level': {
      const found = resolveTeamAndLevel(catalog, command.words, options.defaultFramework);
      return isProblem(found) ? found : { kind: 'level', ...found };
    }
    case 'compare':
      return compare(catalog, command.words, options.defaultFramework);
    case 'lookup':
      return lookupWords(catalog, command.words, options);
  }
}

/**
 * `runLookup` where the caller's own team is read from the database: read only when the command
 * leaves its team out (a lookup that names its team never reads a record). The pure lookup runs
 * first with no default; only if it asked for one is the team read and the lookup run again.
 */
export async function runLookupWithOwnTeam(
  catalog: Catalog,
  command: FrameworkQuery,
  ownFramework: () => Promise<Framework | undefined>,
): Promise<LookupResult> {
  let asked = false;
  const first = runLookup(catalog, command, {
    defaultFramework: () => {
      asked = true;
      return undefined;
    },
  });
  if (!asked) return first;
  const own = await ownFramework();
  return own ? runLookup(catalog, command, { defaultFramework: own }) : first;
}

/** The teams, as a user types them. */
function teamOptions(catalog: Catalog): string[] {
  return catalog.frameworks.map((fw) => `${fw.id} (${fw.name}, ${fw.levels.length} levels)`);
}

function unknownTeam(catalog: Catalog, query: string, match: FrameworkMatch, usage: string): Problem {
  if (!match.ok && match.reason === 'ambiguous') {
    return {
      kind: 'problem',
      message: `"${query}" could be more than one team.`,
      options: match.candidates.map((fw) => fw.id),
      usage,
    };
  }
  return {
    kind: 'problem',
    message: `I don't know a team called "${query}".`,
    didYouMean: !match.ok && match.reason === 'unknown' ? match.suggestion?.id : undefined,
    options: teamOptions(catalog),
    usage,
  };
}

function levelProblem(framework: Framework, query: string, match: LevelMatch, usage: string): Problem {
  if (match.ok) throw new Error('levelProblem called with a match');
  switch (match.reason) {
    case 'out-of-range':
      return {
        kind: 'problem',
        message: `${framework.name} has levels ${match.range.min} to ${match.range.max}; there is no level ${match.number}.`,
        usage,
      };
    case 'ambiguous':
      return {
        kind: 'problem',
        message: `"${query}" matches more than one ${framework.name} level.`,
        options: match.candidates.map((l) => `${l.number} · ${l.titles.join(' / ')}`),
        usage,
      };
    case 'unknown':
      return {
        kind: 'problem',
        message: `${framework.name} has no level "${query}".`,
        didYouMean: match.suggestion ? match.suggestion.titles[0] : undefined,
        options: framework.levels.map((l) => `${l.number} · ${l.titles.join(' / ')}`),
        usage,
      };
  }
}

type TeamAndLevel = { framework: Framework; level: Level };

export function isProblem(x: object): x is Problem {
  return 'kind' in x && x.kind === 'problem';
}

/** The grammar's word limit, for callers that build word lists themselves. */
function tooManyWordsProblem(words: readonly string[], usage: string): Problem | undefined {
  if (words.length <= LIMITS.words) return undefined;
  const { message } = tooManyWords(words.length, usage);
  return { kind: 'problem', message, usage };
}

/**
 * `at(i, j)` is how many words (as `normalize` counts them) `words[i..j)` holds: `normalize` works on
 * each word alone, so the counts add up. Lets a lookup skip a reading without joining its words.
 */
function wordCounter(words: readonly string[]): (from: number, to: number) => number {
  const before = [0];
  for (const word of words) before.push((before.at(-1) as number) + wordCount(word));
  return (from, to) => (before[to] as number) - (before[from] as number);
}

/**
 * Finds a team and a level in a list of words, in either order (`3 marketing`, `marketing 3`,
 * `engineering staff engineer`). When several readings fail, the reply explains the most specific
 * failure: a known team with a bad level beats an unknown team.
 *
 * Only readings whose team part is no longer than the catalog's longest team name are tried, so the
 * work grows with words × that length, not words²; the result is the same as trying every split.
 */
export function resolveTeamAndLevel(
  catalog: Catalog,
  words: readonly string[],
  defaultFrameworkOf?: DefaultFramework,
  usage: string = USAGE.level,
): TeamAndLevel | Problem {
  const tooMany = tooManyWordsProblem(words, usage);
  if (tooMany) return tooMany;
  const count = wordCounter(words);
  const n = words.length;
  let levelFailure: Problem | undefined;
  for (let i = 1; i < n; i++) {
    // Team first then level, then level first then team: [team from, team to, level from, level to].
    const splits: [number, number, number, number][] = [
      [0, i, i, n],
      [i, n, 0, i],
    ];
    for (const [teamFrom, teamTo, levelFrom, levelTo] of splits) {
      const teamWords = count(teamFrom, teamTo);
      if (teamWords === 0 || teamWords > catalog.longestTeamName) continue; // cannot be a team
      // With a failure kept, only a reading that can succeed matters, and a level is never longer.
      if (levelFailure && count(levelFrom, levelTo) > catalog.longestLevelName) continue;
      const framework = catalog.frameworkNamed(words.slice(teamFrom, teamTo).join(' '));
      if (!framework) continue;
      const levelText = words.slice(levelFrom, levelTo).join(' ');
      const level = catalog.findLevel(framework, levelText);
      if (level.ok) return { framework, level: level.level };
      levelFailure ??= levelProblem(framework, levelText, level, usage);
    }
  }
  const all = words.join(' ');
  if (levelFailure) {
    // A whole title can hold a team word ("senior engineer", "engineer of distinction"): read it as the title.
    const titled = catalog.findTitle(all);
    return titled.length === 1 ? (titled[0] as LevelRef) : levelFailure;
  }
  const defaultFramework = typeof defaultFrameworkOf === 'function' ? defaultFrameworkOf() : defaultFrameworkOf;
  if (defaultFramework) {
    const level = catalog.findLevel(defaultFramework, all);
    if (level.ok) return { framework: defaultFramework, level: level.level };
    // A title from another team ("coordinator" asked by an engineer) is still a title.
    const elsewhere = !level.ok && level.reason === 'unknown' ? catalog.findTitle(all) : [];
    if (elsewhere.length === 1) return elsewhere[0] as LevelRef;
    if (words.length === 1 || parseLevelNumber(all) !== undefined) {
      return levelProblem(defaultFramework, all, level, usage);
    }
  }
  if (words.length === 1 && parseLevelNumber(all) !== undefined) {
    return {
      kind: 'problem',
      message: `Level ${parseLevelNumber(all)} of which team?`,
      options: teamOptions(catalog),
      usage,
    };
  }
  const titled = catalog.findTitle(all);
  if (titled.length === 1 && !teamBeatsTitles(catalog, all, titled)) return titled[0] as LevelRef;
  // Name the word that is most likely the team, so the suggestion is about it.
  const teamWord = words.find((w) => parseLevelNumber(w) === undefined) ?? all;
  const team = catalog.findFramework(teamWord);
  if (team.ok) {
    // A known team with no level (`/career level engineering`): ask for the level, not the team.
    return {
      kind: 'problem',
      message: `Which ${team.framework.name} level?`,
      options: team.framework.levels.map((l) => `${l.number} · ${l.titles.join(' / ')}`),
      usage,
    };
  }
  return unknownTeam(catalog, teamWord, team, usage);
}

/**
 * True when `text` is a team's own id, alias or name and `titled` (from `findTitle(text)`) only holds titles that
 * start with it: `eng` and `engineer` mean the team, not "Engineer of Distinction".
 */
function teamBeatsTitles(catalog: Catalog, text: string, titled: readonly LevelRef[]): boolean {
  const q = normalize(text);
  const team = catalog.frameworkNamed(text);
  if (!team) return false;
  const { id, aliases, name } = team;
  if (![id, ...aliases, name].some((word) => normalize(word) === q)) return false;
  return !titled.some(({ level }) => level.titles.some((t) => normalize(t) === q));
}

function compare(catalog: Catalog, words: readonly string[], defaultFrameworkOf?: DefaultFramework): LookupResult {
  const tooMany = tooManyWordsProblem(words, USAGE.compare);
  if (tooMany) return tooMany;
  // The team is the first word(s); the two levels follow, split by "vs"/"and"/"to" or, failing
  // that, at the one point where both halves are levels of the team.
  const count = wordCounter(words);
  for (let i = 1; i < words.length - 1; i++) {
    const teamWords = count(0, i);
    if (teamWords > catalog.longestTeamName) break; // longer prefixes are not teams either
    if (teamWords === 0) continue;
    const framework = catalog.frameworkNamed(words.slice(0, i).join(' '));
    if (!framework) continue;
    const rest = words
      .slice(i)
      .filter((w) => !['vs', 'vs.', 'versus', 'and', 'to', 'with', '→'].includes(w.toLowerCase()));
    return compareLevels(catalog, framework, rest);
  }
  const first = words[0] ?? '';
  // No team named (`/career compare 2 3`): the caller's own framework, as `level` does.
  const own = typeof defaultFrameworkOf === 'function' ? defaultFrameworkOf() : defaultFrameworkOf;
  if (own && !catalog.frameworkNamed(first)) {
    const rest = words.filter((w) => !['vs', 'vs.', 'versus', 'and', 'to', 'with', '→'].includes(w.toLowerCase()));
    const result = compareLevels(catalog, own, rest);
    if (result.kind === 'compare') return result;
  }
  return unknownTeam(catalog, first, catalog.findFramework(first), USAGE.compare);
}

/** Two levels of one framework in `words`, split at the one point where both halves are levels. */
function compareLevels(catalog: Catalog, framework: Framework, words: readonly string[]): LookupResult {
  const count = wordCounter(words);
  const total = count(0, words.length);
  const longest = catalog.longestLevelName;
  let first: Problem | undefined;
  // Prefer a level number out of range (`4 9`): its message names the bad one.
  let outOfRange: Problem | undefined;
  const fail = (text: string, match: LevelMatch) => {
    const isOutOfRange = !match.ok && match.reason === 'out-of-range';
    if (first && (outOfRange || !isOutOfRange)) return; // it would not be the answer
    const problem = levelProblem(framework, text, match, USAGE.compare);
    first ??= problem;
    if (isOutOfRange) outOfRange ??= problem;
  };
  for (let j = 1; j < words.length; j++) {
    // After the first reading, a half longer than any level fails, and not as a number out of range
    // (a number is at most two words): only readings with two short halves can change the answer.
    if (first && count(0, j) > longest) continue;
    const aText = words.slice(0, j).join(' ');
    const a = catalog.findLevel(framework, aText);
    if (!a.ok) {
      fail(aText, a);
      continue;
    }
    if (first && total - count(0, j) > longest) continue;
    const bText = words.slice(j).join(' ');
    const b = catalog.findLevel(framework, bText);
    if (!b.ok) {
      fail(bText, b);
      continue;
    }
    if (a.level.id === b.level.id) {
      return {
        kind: 'problem',
        message: 'Those are the same level: pick two different ones.',
        usage: USAGE.compare,
      };
    }
    return { kind: 'compare', comparison: catalog.compare(framework, a.level, b.level) };
  }
  if (words.length < 2 || !first) {
    return { kind: 'problem', message: 'Compare needs two levels after the team.', usage: USAGE.compare };
  }
  return outOfRange ?? first;
}

function lookupWords(catalog: Catalog, words: readonly string[], options: LookupOptions): LookupResult {
  const tooMany = tooManyWordsProblem(words, USAGE.help);
  if (tooMany) return tooMany;
  const all = words.join(' ');
  const titled = catalog.findTitle(all);
  const team = catalog.findFramework(all);
  if (team.ok && teamBeatsTitles(catalog, all, titled)) return { kind: 'titles', frameworks: [team.framework] };
  if (titled.length === 1) return { kind: 'level', ...(titled[0] as LevelRef) };
  if (titled.length > 1) return { kind: 'title-matches', query: all, matches: titled };
  if (team.ok) return { kind: 'titles', frameworks: [team.framework] };
  if (words.length > 1) {
    const found = resolveTeamAndLevel(catalog, words, options.defaultFramework);
    if (!isProblem(found)) return { kind: 'level', ...found };
  }
  const command = nearestSubcommand(words[0] ?? '');
  if (command) {
    return {
      kind: 'problem',
      message: `I don't know "${all}".`,
      didYouMeanCommand: ['/career', command, ...words.slice(1)].join(' '),
      usage: USAGE.help,
    };
  }
  const nearTitle = closestTitle(catalog, all);
  return {
    kind: 'problem',
    message: `I don't know "${all}": it isn't a command, a team or a title.`,
    didYouMean: (!team.ok && team.reason === 'unknown' ? team.suggestion?.id : undefined) ?? nearTitle,
    usage: USAGE.help,
  };
}

function closestTitle(catalog: Catalog, query: string): string | undefined {
  const titles = catalog.allTitles();
  const q = query.toLowerCase();
  return titles.find((t) => t.toLowerCase().includes(q) && q.length >= 4);
}
