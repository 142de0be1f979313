import type { Catalog, Comparison, FrameworkMatch, LevelMatch, LevelRef } from '../frameworks/catalog.js';
import { parseLevelNumber } from '../frameworks/level-ref.js';
import { normalize } from '../frameworks/match.js';
import type { Framework, Level } from '../frameworks/schema.js';
import { type CareerCommand, USAGE } from './grammar.js';

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

export interface LookupOptions {
  /** The caller's own framework, used when they leave the team out (`/career level 3`). */
  defaultFramework?: Framework;
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
      return compare(catalog, command.words);
    case 'lookup':
      return lookupWords(catalog, command.words, options);
  }
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

/**
 * Finds a team and a level in a list of words, in either order (`3 marketing`, `marketing 3`,
 * `engineering staff engineer`). When several readings fail, the reply explains the most specific
 * failure: a known team with a bad level beats an unknown team.
 */
export function resolveTeamAndLevel(
  catalog: Catalog,
  words: readonly string[],
  defaultFramework?: Framework,
  usage: string = USAGE.level,
): TeamAndLevel | Problem {
  let levelFailure: Problem | undefined;
  for (let i = 1; i < words.length; i++) {
    const splits: [string, string][] = [
      [words.slice(0, i).join(' '), words.slice(i).join(' ')],
      [words.slice(i).join(' '), words.slice(0, i).join(' ')],
    ];
    for (const [team, levelText] of splits) {
      const fw = catalog.findFramework(team);
      if (!fw.ok) continue;
      const level = catalog.findLevel(fw.framework, levelText);
      if (level.ok) return { framework: fw.framework, level: level.level };
      levelFailure ??= levelProblem(fw.framework, levelText, level, usage);
    }
  }
  const all = words.join(' ');
  if (levelFailure) {
    // A whole title can hold a team word ("senior engineer", "engineer of distinction"): read it as the title.
    const titled = catalog.findTitle(all);
    return titled.length === 1 ? (titled[0] as LevelRef) : levelFailure;
  }
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
  const team = catalog.findFramework(text);
  if (!team.ok) return false;
  const { id, aliases, name } = team.framework;
  if (![id, ...aliases, name].some((word) => normalize(word) === q)) return false;
  return !titled.some(({ level }) => level.titles.some((t) => normalize(t) === q));
}

function compare(catalog: Catalog, words: readonly string[]): LookupResult {
  // The team is the first word(s); the two levels follow, split by "vs"/"and"/"to" or, failing
  // that, at the one point where both halves are levels of the team.
  for (let i = 1; i < words.length - 1; i++) {
    const fw = catalog.findFramework(words.slice(0, i).join(' '));
    if (!fw.ok) continue;
    const rest = words
      .slice(i)
      .filter((w) => !['vs', 'vs.', 'versus', 'and', 'to', 'with', '→'].includes(w.toLowerCase()));
    const problems: Problem[] = [];
    for (let j = 1; j < rest.length; j++) {
      const aText = rest.slice(0, j).join(' ');
      const bText = rest.slice(j).join(' ');
      const a = catalog.findLevel(fw.framework, aText);
      const b = catalog.findLevel(fw.framework, bText);
      if (a.ok && b.ok) {
        if (a.level.id === b.level.id) {
          return {
            kind: 'problem',
            message: 'Those are the same level: pick two different ones.',
            usage: USAGE.compare,
          };
        }
        return { kind: 'compare', comparison: catalog.compare(fw.framework, a.level, b.level) };
      }
      if (!a.ok) problems.push(levelProblem(fw.framework, aText, a, USAGE.compare));
      else if (!b.ok) problems.push(levelProblem(fw.framework, bText, b, USAGE.compare));
    }
    if (rest.length < 2) {
      return { kind: 'problem', message: 'Compare needs two levels after the team.', usage: USAGE.compare };
    }
    // Prefer the reading where the halves are single words (`4 9`): its message names the bad one.
    return problems.find((p) => p.message.includes('there is no level')) ?? (problems[0] as Problem);
  }
  const first = words[0] ?? '';
  return unknownTeam(catalog, first, catalog.findFramework(first), USAGE.compare);
}

function lookupWords(catalog: Catalog, words: readonly string[], options: LookupOptions): LookupResult {
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
  const suggestion = catalog.findFramework(all);
  const nearTitle = closestTitle(catalog, all);
  return {
    kind: 'problem',
    message: `I don't know "${all}": it isn't a command, a team or a title.`,
    didYouMean:
      (!suggestion.ok && suggestion.reason === 'unknown' ? suggestion.suggestion?.id : undefined) ?? nearTitle,
    usage: USAGE.help,
  };
}

function closestTitle(catalog: Catalog, query: string): string | undefined {
  const titles = catalog.allTitles();
  const q = query.toLowerCase();
  return titles.find((t) => t.toLowerCase().includes(q) && q.length >= 4);
}
