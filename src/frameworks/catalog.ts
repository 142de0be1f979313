import { parseLevelNumber } from './level-ref.js';
import { closest, normalize, wordCount } from './match.js';
import type { Framework, Level, Timeframe } from './schema.js';

/** A level together with the framework it belongs to. */
export interface LevelRef {
  framework: Framework;
  level: Level;
}

export type FrameworkMatch =
  | { ok: true; framework: Framework }
  | { ok: false; reason: 'unknown'; suggestion?: Framework }
  | { ok: false; reason: 'ambiguous'; candidates: Framework[] };

export type LevelMatch =
  | { ok: true; level: Level }
  | { ok: false; reason: 'out-of-range'; number: number; range: { min: number; max: number } }
  | { ok: false; reason: 'ambiguous'; candidates: Level[] }
  | { ok: false; reason: 'unknown'; suggestion?: Level };

/** What the higher of two levels adds over the lower one. */
export interface Comparison {
  framework: Framework;
  lower: Level;
  higher: Level;
  scope: { from: Level['scope']; to: Level['scope'] };
  ownership: { from: Level['ownership']; to: Level['ownership'] };
  /** Expectations of the higher level (criteria are written per level, so all of them are "new"). */
  adds: Level['expectations'];
  /** The steps from lower to higher along `next`, both ends included; undefined when not on one path. */
  path?: Level[];
  /** Sum of the timeframes along the path, when every step on it has one. */
  typical?: { min: number; max?: number };
}

/**
 * The loaded frameworks and every lookup on them. Pure: built once from validated data and never
 * mutated, so one instance is shared by every request.
 */
export class Catalog {
  readonly frameworks: readonly Framework[];
  readonly #byWord = new Map<string, Framework>();
  /**
   * The most words (as {@link normalize} counts them) that {@link findFramework} can match: the
   * longest team id, alias or name. Longer text is never a team, so lookups need not try it.
   */
  readonly longestTeamName: number;
  /**
   * The most words that {@link findLevel} can match: the longest title or level id, or a spelled-out
   * number (`level 3`, two words). Longer text is never a level.
   */
  readonly longestLevelName: number;
  /** Each level's titles, normalized once: every lookup compares against them. */
  readonly #titles = new Map<Level, readonly string[]>();
  /** Every level of every framework, in order. */
  readonly #levels: readonly LevelRef[];

  constructor(frameworks: readonly Framework[]) {
    this.frameworks = [...frameworks].sort((a, b) => a.name.localeCompare(b.name));
    for (const fw of this.frameworks) {
      for (const word of [fw.id, ...fw.aliases, fw.name]) this.#byWord.set(normalize(word), fw);
    }
    this.longestTeamName = Math.max(0, ...[...this.#byWord.keys()].map(wordCount));
    this.#levels = this.frameworks.flatMap((framework) => framework.levels.map((level) => ({ framework, level })));
    for (const { level } of this.#levels) this.#titles.set(level, level.titles.map(normalize));
    const levelNames = this.frameworks.flatMap((fw) => fw.levels.flatMap((l) => [l.id, ...l.titles]));
    this.longestLevelName = Math.max(2, ...levelNames.map(wordCount));
  }

  /** By id, alias or display name (any case), or an unambiguous prefix of one. */
  findFramework(query: string): FrameworkMatch {
    const q = normalize(query);
    if (!q) return { ok: false, reason: 'unknown' };
    const named = this.#named(q);
    if (named.length === 1) return { ok: true, framework: named[0] as Framework };
    if (named.length > 1) return { ok: false, reason: 'ambiguous', candidates: named };
    const words = [...this.#byWord.keys()];
    const near = closest(q, words, words);
    return { ok: false, reason: 'unknown', suggestion: near ? this.#byWord.get(near) : undefined };
  }

  /**
   * The framework `query` names, as {@link findFramework} reads it, without looking for a suggestion
   * when it names none: for trying many readings of a command cheaply.
   */
  frameworkNamed(query: string): Framework | undefined {
    const q = normalize(query);
    if (!q) return undefined;
    const named = this.#named(q);
    return named.length === 1 ? named[0] : undefined;
  }

  /** The framework whose word `q` (normalized) is, or every framework with a word starting with it. */
  #named(q: string): Framework[] {
    const exact = this.#byWord.get(q);
    if (exact) return [exact];
    const prefixed = new Set<Framework>();
    for (const [word, fw] of this.#byWord) if (word.startsWith(q)) prefixed.add(fw);
    return [...prefixed];
  }

  get(frameworkId: string): Framework | undefined {
    return this.frameworks.find((fw) => fw.id === frameworkId);
  }

  levelById(framework: Framework, levelId: string): Level | undefined {
    return framework.levels.find((l) => l.id === levelId);
  }

  /** A level by number in any spelling (`3`, `L3`, `three`, `III`), by title, or by its id. */
  findLevel(framework: Framework, query: string): LevelMatch {
    const n = parseLevelNumber(query);
    if (n !== undefined) {
      const level = framework.levels.find((l) => l.number === n);
      if (level) return { ok: true, level };
      return { ok: false, reason: 'out-of-range', number: n, range: numberRange(framework) };
    }
    const q = normalize(query);
    const byId = framework.levels.find((l) => l.id === query.trim().toLowerCase());
    if (byId) return { ok: true, level: byId };
    const exact = framework.levels.filter((l) => this.#titlesOf(l).some((t) => t === q));
    if (exact.length === 1) return { ok: true, level: exact[0] as Level };
    if (q) {
      const prefixed = framework.levels.filter((l) => this.#titlesOf(l).some((t) => t.startsWith(q)));
      if (prefixed.length === 1) return { ok: true, level: prefixed[0] as Level };
      if (prefixed.length > 1) return { ok: false, reason: 'ambiguous', candidates: prefixed };
    }
    const titles = framework.levels.flatMap((l) => l.titles);
    const near = closest(
      query,
      titles,
      framework.levels.flatMap((l) => this.#titlesOf(l)),
    );
    const suggestion = near ? framework.levels.find((l) => l.titles.includes(near)) : undefined;
    return { ok: false, reason: 'unknown', suggestion };
  }

  /**
   * Levels across all frameworks whose title is `query` (any case). Falls back to levels whose
   * title starts with it when nothing matches exactly.
   */
  findTitle(query: string): LevelRef[] {
    const q = normalize(query);
    if (!q) return [];
    const all = this.#levels;
    const exact = all.filter(({ level }) => this.#titlesOf(level).some((t) => t === q));
    if (exact.length > 0) return exact;
    return all.filter(({ level }) => this.#titlesOf(level).some((t) => t.startsWith(q)));
  }

  /** Normalized titles; computed here for a level from outside this catalog. */
  #titlesOf(level: Level): readonly string[] {
    return this.#titles.get(level) ?? level.titles.map(normalize);
  }

  /** Every title a user might type, for suggestions. */
  allTitles(): string[] {
    return this.frameworks.flatMap((fw) => fw.levels.flatMap((l) => l.titles));
  }

  nextSteps(framework: Framework, level: Level): Level[] {
    return level.next.map((id) => this.levelById(framework, id)).filter((l): l is Level => l !== undefined);
  }

  /** Levels that lead to `level` (several where side tracks are entered from more than one level). */
  previousSteps(framework: Framework, level: Level): Level[] {
    return framework.levels.filter((l) => l.next.includes(level.id));
  }

  compare(framework: Framework, a: Level, b: Level): Comparison {
    const forward = findPath(framework, a, b);
    const backward = forward ? undefined : findPath(framework, b, a);
    // With no path either way (two side tracks), the higher is the one listed later.
    const [lower, higher] = backward || (!forward && b.number < a.number) ? [b, a] : [a, b];
    const path = forward ?? backward;
    return {
      framework,
      lower,
      higher,
      scope: { from: lower.scope, to: higher.scope },
      ownership: { from: lower.ownership, to: higher.ownership },
      adds: higher.expectations,
      path,
      typical: path ? sumTimeframes(path) : undefined,
    };
  }
}

export function numberRange(framework: Framework): { min: number; max: number } {
  const numbers = framework.levels.map((l) => l.number);
  return { min: Math.min(...numbers), max: Math.max(...numbers) };
}

/** Shortest path along `next` from one level to another, both included (breadth-first). */
export function findPath(framework: Framework, from: Level, to: Level): Level[] | undefined {
  if (from.id === to.id) return undefined;
  const byId = new Map(framework.levels.map((l) => [l.id, l]));
  const cameFrom = new Map<string, string>();
  const queue = [from.id];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (id === to.id) {
      const path = [to];
      let cur = id;
      while (cameFrom.has(cur)) {
        cur = cameFrom.get(cur) as string;
        path.unshift(byId.get(cur) as Level);
      }
      return path;
    }
    for (const next of byId.get(id)?.next ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** Timeframes are per step and not cumulative, so a multi-step path adds them up. */
export function sumTimeframes(path: readonly Level[]): { min: number; max?: number } | undefined {
  let min = 0;
  let max: number | undefined = 0;
  for (const [i, level] of path.slice(0, -1).entries()) {
    const tf: Timeframe | null = level.timeframe;
    if (!tf) return undefined;
    // A timeframe with `to` is the time to that one next step, not to the others the level leads to.
    if (tf.to !== undefined && tf.to !== path[i + 1]?.id) return undefined;
    min += tf.min;
    max = max === undefined || tf.max === undefined ? undefined : max + tf.max;
  }
  return { min, max };
}
