import { type IsoDate, parseIsoDate } from '../career/dates.js';
import type { Catalog } from '../frameworks/catalog.js';
import { numberRange } from '../frameworks/catalog.js';
import { titleAt } from '../frameworks/describe.js';
import { closest } from '../frameworks/match.js';
import type { Framework, Level } from '../frameworks/schema.js';
import type { ImportRow } from '../store/teammates.js';
import type { CsvRecord } from './csv.js';

/**
 * Plans a bulk import of teammates from CSV records: checks every row and resolves every person
 * before anything is written, so the caller either gets the complete list of changes or the complete
 * list of problems. Talks to nothing itself: people are resolved through the injected `resolveUser`
 * (the CLI asks Slack), and "today" is a parameter.
 */

/** The required columns, in the order they are written by the export and listed in messages. */
export const COLUMNS = ['user', 'framework', 'level', 'since', 'manager'] as const;
/**
 * Columns a file may leave out. `title`: the person's own title where a level has several
 * ("Social Media Marketer") or names an area ("Head of Content"); empty keeps the stored one.
 */
export const OPTIONAL_COLUMNS = ['title'] as const;
export type Column = (typeof COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Header spellings accepted for each column (compared after lowercasing and trimming). */
const HEADER_NAMES: Record<string, Column> = {
  user: 'user',
  user_id: 'user',
  email: 'user',
  framework: 'framework',
  level: 'level',
  since: 'since',
  manager: 'manager',
  manager_id: 'manager',
  manager_email: 'manager',
  title: 'title',
};

/** How many people are looked up at once: enough to overlap round trips, few enough to stay under Slack's limits. */
export const DEFAULT_CONCURRENCY = 4;

/** `tz`: the person's Slack time zone, when the lookup returned one (the import stores it). */
export type ResolveResult = { ok: true; userId: string; tz?: string } | { ok: false; reason: string };

/**
 * Turns what the file says about a person (a Slack user id, or an email in lowercase) into a Slack
 * user id. `{ ok: false }` is a problem with that row (no such account, deactivated); throwing means
 * nothing can be resolved (bad token, Slack unreachable) and aborts the whole plan.
 */
export type ResolveUser = (idOrEmail: string) => Promise<ResolveResult>;

export interface ImportProblem {
  /** Physical line in the file (1-based). */
  line: number;
  /** What is wrong and, where it helps, what would be right. Does not repeat the line number. */
  message: string;
}

/**
 * `zones`: the Slack time zone of each person looked up (users and managers), by user id, for the
 * import to store; empty when nothing was looked up.
 */
export type ImportPlan =
  | { ok: true; changes: ImportRow[]; zones: ReadonlyMap<string, string> }
  | { ok: false; problems: ImportProblem[] };

export interface PlanImportInput {
  /** Every record of the file, header first, as read by `parseCsv`. */
  rows: readonly CsvRecord[];
  /** The workspace the records belong to. */
  teamId: string;
  catalog: Catalog;
  resolveUser: ResolveUser;
  /** Dates after this day are refused: nobody reached a level in the future. */
  today: IsoDate;
  /** Called after each lookup with how many of the distinct people are resolved so far. */
  onProgress?: (done: number, total: number) => void;
  concurrency?: number;
}

// Slack shows ids in capitals (U0123ABCD, W… on Enterprise Grid); a lowercase one is a name typed by mistake.
const USER_ID = /^[UW][A-Z0-9]{6,}$/;
// NOTE: deliberately loose: Slack is the judge of whether an address exists; this only tells an
// email apart from an id or a name typed by mistake.
const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

type Reference = { ok: true; key: string } | { ok: false; message: string };

/** A person as written in the file, normalized to the key it is looked up by. */
export function parseUserReference(column: 'user' | 'manager', raw: string): Reference {
  const value = raw.trim();
  if (value === '') {
    return { ok: false, message: `${column} is empty: give a Slack user id (like U0123ABCD) or an email` };
  }
  if (USER_ID.test(value)) return { ok: true, key: value };
  if (EMAIL.test(value)) return { ok: true, key: value.toLowerCase() };
  return {
    ok: false,
    message: `${column} "${value}" is neither a Slack user id (like U0123ABCD) nor an email address`,
  };
}

function list(words: readonly string[]): string {
  return words.map((w) => `"${w}"`).join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

type HeaderResult =
  | {
      ok: true;
      index: Record<Column, number>;
      /** Columns up to the last named one: every row needs at least these. */
      width: number;
      /** Columns including the header's trailing unnamed ones (spreadsheet padding): no row may have more. */
      allowed: number;
    }
  | { ok: false; problems: string[] };

/** Maps each column to its position. Columns may come in any order; every one is required. */
export function readHeader(fields: readonly string[]): HeaderResult {
  const problems: string[] = [];
  const found = new Map<Column, { index: number; name: string }>();
  fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') {
      // A spreadsheet's trailing empty columns; a blank between named columns is still a problem.
      if (fields.slice(index).every((f) => f.trim() === '')) return;
      problems.push(`column ${index + 1} has no name: the header must name every column (${COLUMNS.join(',')})`);
      return;
    }
    const column = HEADER_NAMES[name];
    if (column === undefined) {
      const near = closest(name, Object.keys(HEADER_NAMES));
      const hint = near ? ` (did you mean "${near}"?)` : '';
      problems.push(`unknown column "${raw.trim()}"${hint}: the columns are ${COLUMNS.join(', ')}`);
      return;
    }
    const first = found.get(column);
    if (first !== undefined) {
      const same = first.name === name ? `"${name}"` : `"${first.name}" and "${name}"`;
      problems.push(`column ${column} is given twice (${same}, columns ${first.index + 1} and ${index + 1})`);
      return;
    }
    found.set(column, { index, name });
  });
  const missing = COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    const which = missing.length === 1 ? `column ${missing[0]}` : `columns ${missing.join(', ')}`;
    problems.push(
      `missing ${which}: the first line must be the header ${COLUMNS.join(',')} (manager may be empty on a row, but the column is required)`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  const index = Object.fromEntries(
    [...COLUMNS, ...OPTIONAL_COLUMNS].map((c) => [c, found.get(c)?.index ?? -1]),
  ) as Record<Column, number>;
  return { ok: true, index, width: Math.max(...Object.values(index)) + 1, allowed: fields.length };
}

function describeFramework(
  catalog: Catalog,
  raw: string,
): { ok: true; framework: Framework } | { ok: false; message: string } {
  const value = raw.trim();
  const known = catalog.frameworks.map((fw) => fw.id);
  if (value === '') return { ok: false, message: `framework is empty: one of ${known.join(', ')}` };
  const match = catalog.findFramework(value);
  if (match.ok) return { ok: true, framework: match.framework };
  if (match.reason === 'ambiguous') {
    return {
      ok: false,
      message: `framework "${value}" could be ${list(match.candidates.map((fw) => fw.id))}: write the full id`,
    };
  }
  const hint = match.suggestion ? ` (did you mean "${match.suggestion.id}"?)` : '';
  return { ok: false, message: `framework "${value}" is not known${hint}: the frameworks are ${known.join(', ')}` };
}

function levelLabel(level: Level): string {
  return `${level.number} (${level.titles.join(' / ')})`;
}

function describeLevel(
  catalog: Catalog,
  framework: Framework,
  raw: string,
): { ok: true; level: Level } | { ok: false; message: string } {
  const value = raw.trim();
  const { min, max } = numberRange(framework);
  if (value === '') {
    return { ok: false, message: `level is empty: a number from ${min} to ${max}, a title, or a level id` };
  }
  const match = catalog.findLevel(framework, value);
  if (match.ok) return { ok: true, level: match.level };
  switch (match.reason) {
    case 'out-of-range':
      return { ok: false, message: `level "${value}" — ${framework.name} has levels ${min} to ${max}` };
    case 'ambiguous':
      return {
        ok: false,
        message: `level "${value}" could be ${match.candidates.map(levelLabel).join(' or ')} in ${framework.name}: write the number`,
      };
    case 'unknown': {
      const hint = match.suggestion ? ` (did you mean ${levelLabel(match.suggestion)}?)` : '';
      return {
        ok: false,
        message: `level "${value}" is not a level of ${framework.name}${hint}: use a number from ${min} to ${max}, a title, or a level id`,
      };
    }
  }
}

function describeSince(raw: string, today: IsoDate): { ok: true; date: IsoDate } | { ok: false; message: string } {
  const value = raw.trim();
  if (value === '') {
    return { ok: false, message: 'since is empty: the day the person reached this level, as YYYY-MM-DD' };
  }
  const parsed = parseIsoDate(value);
  if (!parsed.ok) return { ok: false, message: `since: ${parsed.error}` };
  if (parsed.date > today) {
    return { ok: false, message: `since ${parsed.date} is in the future (today is ${today})` };
  }
  return { ok: true, date: parsed.date };
}

/**
 * Runs `task` over `items` with at most `limit` running at once, calling `onDone` after each. The
 * first rejection stops new tasks from starting and is re-thrown once the running ones settle.
 */
async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  onDone: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
        return;
      }
      done++;
      onDone(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}

/** A data row, checked field by field before any lookup. */
interface CheckedRow {
  line: number;
  problems: string[];
  user?: string;
  manager?: string | null;
  framework?: Framework;
  level?: Level;
  since?: IsoDate;
  /** The person's own title; undefined keeps the stored one. */
  title?: string;
}

function checkRow(
  record: CsvRecord,
  header: Extract<HeaderResult, { ok: true }>,
  catalog: Catalog,
  today: IsoDate,
): CheckedRow {
  const row: CheckedRow = { line: record.line, problems: [] };
  const { fields } = record;
  const { index, width, allowed } = header;
  // NOTE: a row longer than the header is refused even when its extra cells are empty: "Senior
  // Engineer, II" unquoted with no manager yields exactly one empty extra cell, and reading that row
  // by position would shift every value after the comma into the wrong column.
  const padding = fields.slice(width);
  if (fields.length < width || fields.length > allowed || padding.some((f) => f.trim() !== '')) {
    row.problems.push(
      `${plural(fields.length, 'value')}, but the header has ${plural(allowed, 'column')}` +
        ' (a value containing a comma must be in double quotes)',
    );
    return row;
  }
  const cell = (column: Column): string => (index[column] < 0 ? '' : (fields[index[column]] ?? ''));

  const user = parseUserReference('user', cell('user'));
  if (user.ok) row.user = user.key;
  else row.problems.push(user.message);

  const framework = describeFramework(catalog, cell('framework'));
  if (framework.ok) {
    row.framework = framework.framework;
    const level = describeLevel(catalog, framework.framework, cell('level'));
    if (level.ok) row.level = level.level;
    else row.problems.push(level.message);
    const typed = cell('title').trim();
    if (typed !== '' && level.ok) {
      const title = titleAt(level.level, typed);
      if (title !== undefined) row.title = title;
      else
        row.problems.push(
          `title "${typed}" is not one of ${framework.framework.name} level ${level.level.number}'s titles: ${list(level.level.titles)}`,
        );
    }
  } else {
    row.problems.push(framework.message);
  }

  const since = describeSince(cell('since'), today);
  if (since.ok) row.since = since.date;
  else row.problems.push(since.message);

  if (cell('manager').trim() === '') {
    row.manager = null;
  } else {
    const manager = parseUserReference('manager', cell('manager'));
    if (manager.ok) row.manager = manager.key;
    else row.problems.push(manager.message);
  }
  return row;
}

/**
 * Checks every row of an import and resolves every person in it. Every problem in every row is
 * reported (sorted by line), so one run of the file shows everything to fix; no problem at all gives
 * the changes, in file order, ready for `TeammateStore.importMany`.
 *
 * Each distinct person (a user or a manager, by id or by email) is looked up once, with at most
 * `concurrency` lookups in flight. A lookup that throws aborts the plan with that error.
 */
export async function planImport(input: PlanImportInput): Promise<ImportPlan> {
  const { rows, teamId, catalog, resolveUser, today, onProgress } = input;
  const [header, ...data] = rows;
  if (header === undefined) {
    return {
      ok: false,
      problems: [{ line: 1, message: `the file is empty: the first line must be the header ${COLUMNS.join(',')}` }],
    };
  }
  const head = readHeader(header.fields);
  if (!head.ok) return { ok: false, problems: head.problems.map((message) => ({ line: header.line, message })) };

  // A row of empty cells (",,,,") is what spreadsheets write for a blank line.
  const records = data.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const checked = records.map((r) => checkRow(r, head, catalog, today));

  const keys = new Set<string>();
  for (const row of checked) {
    if (row.user !== undefined) keys.add(row.user);
    if (typeof row.manager === 'string') keys.add(row.manager);
  }
  const pending = [...keys];
  const resolved = new Map<string, ResolveResult>();
  onProgress?.(0, pending.length);
  await runBounded(
    pending,
    input.concurrency ?? DEFAULT_CONCURRENCY,
    async (key) => {
      resolved.set(key, await resolveUser(key));
    },
    (done) => onProgress?.(done, pending.length),
  );

  const problems: ImportProblem[] = [];
  const changes: ImportRow[] = [];
  const firstLine = new Map<string, number>();
  for (const row of checked) {
    const messages = [...row.problems];
    let userId: string | undefined;
    if (row.user !== undefined) {
      const who = resolved.get(row.user);
      if (who?.ok) userId = who.userId;
      else messages.unshift(`user "${row.user}": ${who?.reason ?? 'not looked up'}`);
    }
    let managerId: string | null | undefined = row.manager === null ? null : undefined;
    if (typeof row.manager === 'string') {
      const who = resolved.get(row.manager);
      if (who?.ok) managerId = who.userId;
      else messages.push(`manager "${row.manager}": ${who?.reason ?? 'not looked up'}`);
    }
    if (userId !== undefined) {
      const first = firstLine.get(userId);
      const named = row.user === userId ? userId : `"${row.user}" (${userId})`;
      if (first !== undefined) messages.unshift(`user ${named} is already on line ${first}: list each person once`);
      else firstLine.set(userId, row.line);
      if (managerId !== undefined && managerId === userId) {
        messages.push(`manager "${row.manager}" is the person themselves: leave manager empty or name their manager`);
      }
    }
    if (messages.length > 0) {
      for (const message of messages) problems.push({ line: row.line, message });
      continue;
    }
    // Every field is set when the row has no problem.
    if (userId === undefined || row.framework === undefined || row.level === undefined || row.since === undefined) {
      throw new Error(`planImport: line ${row.line} has no problem but is incomplete`);
    }
    changes.push({
      teamId,
      userId,
      frameworkId: row.framework.id,
      levelId: row.level.id,
      since: row.since,
      managerId: managerId ?? null,
      ...(row.title !== undefined ? { title: row.title } : {}),
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (changes.length === 0) {
    return {
      ok: false,
      problems: [{ line: header.line, message: 'the file has a header but no rows: nothing to import' }],
    };
  }
  const zones = new Map<string, string>();
  for (const who of resolved.values()) if (who.ok && who.tz) zones.set(who.userId, who.tz);
  return { ok: true, changes, zones };
}

/** `line 17: …`, or `people.csv line 17: …` when a file name is given. */
export function formatProblem(problem: ImportProblem, file?: string): string {
  return `${file ? `${file} ` : ''}line ${problem.line}: ${problem.message}`;
}
