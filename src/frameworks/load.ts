import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ErrorCode, RippleError } from '../errors.js';
import { type Framework, frameworkSchema } from './schema.js';

/** One thing wrong with one framework file, precise enough to fix without reading code. */
export interface FrameworkProblem {
  file: string;
  /** Where in the file, as `levels[2].timeframe.min`; empty for the whole file. */
  path: string;
  /** 1-based line in the file, when it can be located. */
  line?: number;
  /** 1-based column on that line, when the problem is at one point (a YAML syntax error). */
  column?: number;
  message: string;
}

export class FrameworkLoadError extends RippleError {
  readonly code = ErrorCode.FrameworkLoad;
  readonly problems: readonly FrameworkProblem[];
  constructor(problems: readonly FrameworkProblem[]) {
    super(formatProblems(problems));
    this.name = 'FrameworkLoadError';
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly FrameworkProblem[]): string {
  const files = new Set(problems.map((p) => p.file));
  const lines = problems.map((p) => {
    const position = p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : '';
    const where = [p.file + position, p.path].filter(Boolean).join(' at ');
    return `  - ${where}: ${p.message}`;
  });
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.size} framework file${files.size === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

/** `['levels', 2, 'timeframe', 'min']` → `levels[2].timeframe.min` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // zod's default for a missing key is "expected X, received undefined": say it as a person would.
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required: ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/**
 * Parses and validates one framework file's text. Returns the framework, or every problem found.
 * Pure apart from its inputs, so tests can feed broken text directly.
 */
export function parseFrameworkText(
  file: string,
  source: string,
): { ok: true; framework: Framework } | { ok: false; problems: FrameworkProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // One syntax error (an unclosed `[`) leaves the parser misreading the rest of the file, and every
  // line after it reports an error of its own: only the first one, where the file stops being YAML,
  // is worth reading. The parser lists its errors in the order it meets them, not by position.
  const [first] = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  if (first) {
    // linePos is only filled in when prettyErrors is on, so locate the error from its offset.
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const more = doc.errors.length - 1;
    const after = more > 0 ? ` (and ${more} more after it, most likely caused by this one)` : '';
    return {
      ok: false,
      problems: [
        { file, path: '', line, column: col, message: `not valid YAML: ${first.message.split('\n')[0]}${after}` },
      ],
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return {
      ok: false,
      problems: [{ file, path: '', message: 'the file is empty: a framework needs id, name and levels' }],
    };
  }
  const result = frameworkSchema.safeParse(data);
  if (result.success) return { ok: true, framework: result.data };
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk up to the nearest node that exists (a missing key is reported on its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      file,
      path: formatPath(issue.path),
      line: lineOf(issue.path),
      message: describeIssue(issue),
    })),
  };
}

/** Framework files are the `.yml` / `.yaml` files of the directory; other files are ignored. */
export function listFrameworkFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Loads every framework in `dir`. Any problem in any file throws one {@link FrameworkLoadError}
 * listing all of them, so an admin fixes everything in one pass rather than one error per start.
 */
export function loadFrameworks(dir: string): Framework[] {
  let files: string[];
  try {
    files = listFrameworkFiles(dir);
  } catch (err) {
    throw new FrameworkLoadError([
      { file: dir, path: '', message: `cannot read the frameworks directory (${(err as Error).message})` },
    ]);
  }
  if (files.length === 0) {
    throw new FrameworkLoadError([{ file: dir, path: '', message: 'no framework files (*.yml) found' }]);
  }
  const problems: FrameworkProblem[] = [];
  const frameworks: Framework[] = [];
  const seen = new Map<string, string>();
  for (const path of files) {
    const name = basename(path);
    const result = parseFrameworkText(name, readFileSync(path, 'utf8'));
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const fw = result.framework;
    for (const word of [fw.id, ...fw.aliases]) {
      const owner = seen.get(word);
      if (owner !== undefined && owner !== name) {
        problems.push({
          file: name,
          path: word === fw.id ? 'id' : 'aliases',
          message: `"${word}" is already used by ${owner}`,
        });
      } else seen.set(word, name);
    }
    frameworks.push(fw);
  }
  if (problems.length > 0) throw new FrameworkLoadError(problems);
  return frameworks;
}
