import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/bulk/csv.js';
import { exportCsv } from '../../src/bulk/export.js';
import {
  formatProblem,
  type ImportPlan,
  type ImportProblem,
  planImport,
  type ResolveResult,
} from '../../src/bulk/import.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { Framework } from '../../src/frameworks/schema.js';

const frameworks = loadFrameworks('frameworks');
const catalog = new Catalog(frameworks);
const TEAM = 'T0TEAM0001';
const TODAY = '2026-03-01';
const HEADER = 'user,framework,level,since,manager';

const pad = (n: number) => String(n).padStart(10, '0');
const idOf = (n: number) => `U${pad(n)}`;
const emailOf = (n: number) => `person${n}@example.com`;

/**
 * The fake directory: U0000000001… exist, `personN@example.com` is UN, plus a few special accounts.
 * Counts lookups per key and the most in flight at once.
 */
function fakeDirectory(opts: { delayMs?: number } = {}) {
  const lookups = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const special: Record<string, ResolveResult> = {
    U0GONE0001: { ok: false, reason: 'this Slack user is deactivated' },
    'gone@example.com': { ok: false, reason: 'the Slack account with this email (U0GONE0002) is deactivated' },
    UNOSUCHUSER: { ok: false, reason: 'no Slack user in this workspace has this id' },
    'nobody@example.com': { ok: false, reason: 'no Slack account in this workspace has this email' },
  };
  const resolveUser = async (key: string): Promise<ResolveResult> => {
    lookups.set(key, (lookups.get(key) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Answers later, as Slack would. Without a delay, on the next turn of the event loop: a
    // setTimeout of 0 waits at least 1 ms, which over a 1,000-row file's lookups adds up.
    await new Promise((resolve) => (opts.delayMs ? setTimeout(resolve, opts.delayMs) : setImmediate(resolve)));
    inFlight--;
    const known = special[key];
    if (known) return known;
    const byEmail = /^person(\d+)@example\.com$/.exec(key);
    if (byEmail) return { ok: true, userId: idOf(Number(byEmail[1])) };
    if (/^U\d{10}$/.test(key)) return { ok: true, userId: key };
    return { ok: false, reason: 'no Slack user in this workspace has this id' };
  };
  return { resolveUser, lookups, maxInFlight: () => maxInFlight };
}

async function plan(text: string, opts: { catalog?: Catalog; today?: string } = {}): Promise<ImportPlan> {
  const csv = parseCsv(text);
  if (!csv.ok) throw new Error(`test CSV does not parse: ${csv.message}`);
  return planImport({
    rows: csv.records,
    teamId: TEAM,
    catalog: opts.catalog ?? catalog,
    resolveUser: fakeDirectory().resolveUser,
    today: opts.today ?? TODAY,
  });
}

async function problemsOf(text: string, opts: { catalog?: Catalog } = {}): Promise<ImportProblem[]> {
  const result = await plan(text, opts);
  if (result.ok) throw new Error('expected problems, the plan succeeded');
  return result.problems;
}

/** Just the messages of a one-row file (the row is on line 2). */
async function rowProblems(row: string, opts: { catalog?: Catalog } = {}): Promise<string[]> {
  const problems = await problemsOf(`${HEADER}\n${row}\n`, opts);
  for (const p of problems) expect(p.line).toBe(2);
  return problems.map((p) => p.message);
}

const SPELLINGS: Record<string, { framework: string[]; level: (n: number, fw: Framework) => string }> = {
  engineering: { framework: ['engineering', 'eng', 'Engineering'], level: (n) => String(n) },
  happiness: { framework: ['happiness', 'support', 'HAPPINESS'], level: (n) => `L${n}` },
  marketing: { framework: ['marketing', 'mkt', 'Marketing'], level: (n, fw) => fw.levels[n - 1]?.titles[0] ?? '' },
};

/**
 * 1,000 people spread over the three frameworks in every spelling; every tenth by email; managers by
 * id or email. Row i is on line i + 1. `bad` replaces rows by row number.
 */
function thousandRows(bad: Record<number, string> = {}): string {
  const ids = ['engineering', 'happiness', 'marketing'];
  const lines = [HEADER];
  for (let i = 1; i <= 1000; i++) {
    if (bad[i] !== undefined) {
      lines.push(bad[i] as string);
      continue;
    }
    const fwId = ids[i % 3] as string;
    const fw = catalog.get(fwId) as Framework;
    const spelling = SPELLINGS[fwId] as (typeof SPELLINGS)[string];
    const user = i % 10 === 0 ? emailOf(i) : idOf(i);
    const level = spelling.level((i % fw.levels.length) + 1, fw);
    const since = `202${i % 6}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const manager = i === 1 ? '' : i % 5 === 0 ? emailOf(1) : idOf(1 + (i % 50 === 0 ? 1 : 0));
    lines.push([user, spelling.framework[i % 3], level, since, manager].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('planImport: a 1,000-row file', () => {
  const BAD = {
    17: `${idOf(17)},sales,3,2024-01-15,${idOf(1)}`,
    500: `${idOf(500)},marketing,9,2024-01-15,${idOf(1)}`,
    998: `${idOf(998)},engineering,2,2026-03-02,${idOf(1)}`,
  };

  it('with 3 bad rows reports exactly those 3, by line, and plans nothing', async () => {
    const directory = fakeDirectory();
    const csv = parseCsv(thousandRows(BAD));
    if (!csv.ok) throw new Error(csv.message);
    const result = await planImport({
      rows: csv.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 18, message: 'framework "sales" is not known: the frameworks are engineering, happiness, marketing' },
        { line: 501, message: 'level "9" — Marketing has levels 1 to 5' },
        { line: 999, message: 'since 2026-03-02 is in the future (today is 2026-03-01)' },
      ],
    });
  });

  it('fixed, plans 1,000 changes in file order with ids resolved and levels stored by id', async () => {
    const directory = fakeDirectory();
    const csv = parseCsv(thousandRows());
    if (!csv.ok) throw new Error(csv.message);
    const progress: [number, number][] = [];
    const result = await planImport({
      rows: csv.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
      onProgress: (done, total) => progress.push([done, total]),
    });
    if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join('\n'));
    expect(result.changes).toHaveLength(1000);
    expect(result.changes.map((c) => c.userId)).toEqual(Array.from({ length: 1000 }, (_, i) => idOf(i + 1)));
    expect(result.changes[0]).toEqual({
      teamId: TEAM,
      userId: idOf(1),
      frameworkId: 'happiness',
      levelId: 'happiness-hero-ii',
      since: '2021-02-02',
      managerId: null,
    });
    // Row 10 is by email, framework "mkt", level by title (Strategist = 2), manager by email.
    expect(result.changes[9]).toMatchObject({ userId: idOf(10), frameworkId: 'happiness', managerId: idOf(1) });
    expect([...new Set(result.changes.map((c) => c.frameworkId))].sort()).toEqual([
      'engineering',
      'happiness',
      'marketing',
    ]);
    // 1,000 users, person1@example.com is also U0000000001 but is a different key; U0000000002 is a manager too.
    expect(directory.lookups.size).toBe(1001);
    expect([...directory.lookups.values()].every((n) => n === 1)).toBe(true);
    expect(progress[0]).toEqual([0, 1001]);
    expect(progress.at(-1)).toEqual([1001, 1001]);
  });
});

describe('planImport: the header', () => {
  const cases: { name: string; header: string; messages: string[] }[] = [
    {
      name: 'an unknown column, with the likely one',
      header: 'user,framework,levl,since,manager',
      messages: [
        'unknown column "levl" (did you mean "level"?): the columns are user, framework, level, since, manager',
        'missing column level: the first line must be the header user,framework,level,since,manager (manager may be empty on a row, but the column is required)',
      ],
    },
    {
      name: 'missing columns',
      header: 'user,framework,level',
      messages: [
        'missing columns since, manager: the first line must be the header user,framework,level,since,manager (manager may be empty on a row, but the column is required)',
      ],
    },
    {
      name: 'a column given twice under two names',
      header: 'email,framework,level,since,manager,user_id',
      messages: ['column user is given twice ("email" and "user_id", columns 1 and 6)'],
    },
    {
      name: 'a column without a name between named ones',
      header: 'user,,framework,level,since,manager',
      messages: ['column 2 has no name: the header must name every column (user,framework,level,since,manager)'],
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name} on line 1 and checks no row`, async () => {
      const problems = await problemsOf(`${c.header}\nnot,a,valid,row\n`);
      expect(problems).toEqual(c.messages.map((message) => ({ line: 1, message })));
    });
  }

  it('accepts the other names, any case, in any order, with trailing empty columns', async () => {
    const result = await plan(`Manager_Email,SINCE,Level,Framework,Email,,\n,2024-01-15,3,eng,${emailOf(7)},,\n`);
    expect(result).toEqual({
      ok: true,
      changes: [
        {
          teamId: TEAM,
          userId: idOf(7),
          frameworkId: 'engineering',
          levelId: 'software-engineer-iii',
          since: '2024-01-15',
          managerId: null,
        },
      ],
      zones: new Map(),
    });
  });

  it('reports an empty file', async () => {
    expect(await problemsOf('')).toEqual([
      { line: 1, message: 'the file is empty: the first line must be the header user,framework,level,since,manager' },
    ]);
  });

  it('reports a header without rows', async () => {
    expect(await problemsOf(`${HEADER}\n\n,,,,\n`)).toEqual([
      { line: 1, message: 'the file has a header but no rows: nothing to import' },
    ]);
  });
});

describe('planImport: one problem of each kind', () => {
  const engagement: Framework = {
    ...(catalog.get('marketing') as Framework),
    id: 'engagement',
    name: 'Engagement',
    aliases: [],
  };
  const withEngagement = new Catalog([...frameworks, engagement]);

  const cases: { name: string; row: string; messages: string[]; catalog?: Catalog }[] = [
    {
      name: 'too few values',
      row: `${idOf(2)},eng,3`,
      messages: ['3 values, but the header has 5 columns (a value containing a comma must be in double quotes)'],
    },
    {
      name: 'too many values (an unquoted comma)',
      row: `${idOf(2)},eng,Senior Engineer, II,2024-01-15,`,
      messages: ['6 values, but the header has 5 columns (a value containing a comma must be in double quotes)'],
    },
    {
      name: 'user empty',
      row: ',eng,3,2024-01-15,',
      messages: ['user is empty: give a Slack user id (like U0123ABCD) or an email'],
    },
    {
      name: 'user neither an id nor an email',
      row: 'Ann Smith,eng,3,2024-01-15,',
      messages: ['user "Ann Smith" is neither a Slack user id (like U0123ABCD) nor an email address'],
    },
    {
      name: 'user id unknown to Slack',
      row: 'UNOSUCHUSER,eng,3,2024-01-15,',
      messages: ['user "UNOSUCHUSER": no Slack user in this workspace has this id'],
    },
    {
      name: 'user email unknown to Slack',
      row: 'nobody@example.com,eng,3,2024-01-15,',
      messages: ['user "nobody@example.com": no Slack account in this workspace has this email'],
    },
    {
      name: 'user deactivated',
      row: 'gone@example.com,eng,3,2024-01-15,',
      messages: ['user "gone@example.com": the Slack account with this email (U0GONE0002) is deactivated'],
    },
    {
      name: 'framework empty',
      row: `${idOf(2)},,3,2024-01-15,`,
      messages: ['framework is empty: one of engineering, happiness, marketing'],
    },
    {
      name: 'framework unknown, with a suggestion',
      row: `${idOf(2)},marketting,3,2024-01-15,`,
      messages: [
        'framework "marketting" is not known (did you mean "marketing"?): the frameworks are engineering, happiness, marketing',
      ],
    },
    {
      name: 'framework ambiguous',
      row: `${idOf(2)},en,3,2024-01-15,`,
      catalog: withEngagement,
      messages: ['framework "en" could be "engagement", "engineering": write the full id'],
    },
    {
      name: 'level empty',
      row: `${idOf(2)},mkt,,2024-01-15,`,
      messages: ['level is empty: a number from 1 to 5, a title, or a level id'],
    },
    {
      name: 'level out of range',
      row: `${idOf(2)},mkt,9,2024-01-15,`,
      messages: ['level "9" — Marketing has levels 1 to 5'],
    },
    {
      name: 'level unknown, with a suggestion',
      row: `${idOf(2)},eng,Staff Enginer,2024-01-15,`,
      messages: [
        'level "Staff Enginer" is not a level of Engineering (did you mean 6 (Staff Engineer)?): use a number from 1 to 8, a title, or a level id',
      ],
    },
    {
      name: 'level ambiguous',
      row: `${idOf(2)},eng,Senior,2024-01-15,`,
      messages: [
        'level "Senior" could be 4 (Senior Engineer) or 5 (Senior Engineer II) in Engineering: write the number',
      ],
    },
    {
      name: 'since empty',
      row: `${idOf(2)},eng,3,,`,
      messages: ['since is empty: the day the person reached this level, as YYYY-MM-DD'],
    },
    {
      name: 'since in another format',
      row: `${idOf(2)},eng,3,1/15/2024,`,
      messages: ['since: expected a date as YYYY-MM-DD (such as 2026-01-15), got "1/15/2024"'],
    },
    {
      name: 'since not a day of the calendar',
      row: `${idOf(2)},eng,3,2024-02-30,`,
      messages: ['since: 2024-02-30 is not a date: February 2024 has 29 days'],
    },
    {
      name: 'since in the future',
      row: `${idOf(2)},eng,3,2026-03-02,`,
      messages: ['since 2026-03-02 is in the future (today is 2026-03-01)'],
    },
    {
      name: 'manager neither an id nor an email',
      row: `${idOf(2)},eng,3,2024-01-15,Bob`,
      messages: ['manager "Bob" is neither a Slack user id (like U0123ABCD) nor an email address'],
    },
    {
      name: 'manager unknown to Slack',
      row: `${idOf(2)},eng,3,2024-01-15,nobody@example.com`,
      messages: ['manager "nobody@example.com": no Slack account in this workspace has this email'],
    },
    {
      name: 'manager deactivated',
      row: `${idOf(2)},eng,3,2024-01-15,U0GONE0001`,
      messages: ['manager "U0GONE0001": this Slack user is deactivated'],
    },
    {
      name: 'manager is the person, by id',
      row: `${idOf(2)},eng,3,2024-01-15,${idOf(2)}`,
      messages: [`manager "${idOf(2)}" is the person themselves: leave manager empty or name their manager`],
    },
    {
      name: 'manager is the person, by email',
      row: `${idOf(2)},eng,3,2024-01-15,${emailOf(2)}`,
      messages: [`manager "${emailOf(2)}" is the person themselves: leave manager empty or name their manager`],
    },
    {
      name: 'every problem of a row, not just the first',
      row: 'Ann,sales,3,someday,Bob',
      messages: [
        'user "Ann" is neither a Slack user id (like U0123ABCD) nor an email address',
        'framework "sales" is not known: the frameworks are engineering, happiness, marketing',
        'since: expected a date as YYYY-MM-DD (such as 2026-01-15), got "someday"',
        'manager "Bob" is neither a Slack user id (like U0123ABCD) nor an email address',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      expect(await rowProblems(c.row, { catalog: c.catalog })).toEqual(c.messages);
    });
  }

  it('a person listed twice is reported on the second line, naming the first', async () => {
    const problems = await problemsOf(
      [HEADER, `${idOf(3)},eng,3,2024-01-15,`, `${idOf(4)},eng,3,2024-01-15,`, `${emailOf(3)},mkt,2,2024-01-15,`].join(
        '\n',
      ),
    );
    expect(problems).toEqual([
      {
        line: 4,
        message: `user "${emailOf(3)}" (${idOf(3)}) is already on line 2: list each person once`,
      },
    ]);
  });

  it('formats a problem with and without the file name', () => {
    const problem = { line: 17, message: 'level "9" — Marketing has levels 1 to 5' };
    expect(formatProblem(problem)).toBe('line 17: level "9" — Marketing has levels 1 to 5');
    expect(formatProblem(problem, 'people.csv')).toBe('people.csv line 17: level "9" — Marketing has levels 1 to 5');
  });
});

describe('planImport: looking people up', () => {
  it('looks each distinct person up once, at most 4 at a time', async () => {
    const directory = fakeDirectory({ delayMs: 2 });
    const rows = [HEADER];
    for (let i = 2; i <= 40; i++) rows.push(`${i % 2 ? emailOf(i) : idOf(i)},eng,3,2024-01-15,${emailOf(1)}`);
    const csv = parseCsv(rows.join('\n'));
    if (!csv.ok) throw new Error(csv.message);
    const result = await planImport({
      rows: csv.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
    });
    expect(result.ok).toBe(true);
    expect(directory.lookups.get(emailOf(1))).toBe(1);
    expect(directory.lookups.size).toBe(40);
    expect(directory.maxInFlight()).toBe(4);
  });

  it('stops at a lookup that throws (bad token, Slack down) and rejects with its error', async () => {
    let calls = 0;
    const rows = [HEADER, ...Array.from({ length: 50 }, (_, i) => `${idOf(i + 2)},eng,3,2024-01-15,`)];
    const csv = parseCsv(rows.join('\n'));
    if (!csv.ok) throw new Error(csv.message);
    const planned = planImport({
      rows: csv.records,
      teamId: TEAM,
      catalog,
      resolveUser: async () => {
        calls++;
        if (calls === 3) throw new Error('invalid_auth');
        return { ok: true, userId: idOf(calls) };
      },
      today: TODAY,
    });
    await expect(planned).rejects.toThrow('invalid_auth');
    expect(calls).toBeLessThan(10);
  });
});

describe('exportCsv', () => {
  const record = (userId: string, frameworkId: string, levelId: string, managerId: string | null = null) => ({
    userId,
    frameworkId,
    levelId,
    since: '2024-01-15',
    managerId,
  });

  it('writes the import header, then one row per person by user id, levels as numbers', () => {
    const csv = exportCsv(
      [
        record('U0000000003', 'marketing', 'level-2', 'U0000000001'),
        record('U0000000001', 'engineering', 'senior-engineer'),
        record('U0000000002', 'happiness', 'tech-hero', 'U0000000001'),
      ],
      catalog,
    );
    expect(csv).toBe(
      'user,framework,level,since,manager,title\r\n' +
        'U0000000001,engineering,4,2024-01-15,,\r\n' +
        'U0000000002,happiness,7,2024-01-15,U0000000001,\r\n' +
        'U0000000003,marketing,2,2024-01-15,U0000000001,\r\n',
    );
  });

  it("carries a person's own title both ways, and refuses a title the level does not have", async () => {
    const csv = exportCsv(
      [{ ...record('U0000000001', 'marketing', 'level-1'), title: 'Social Media Marketer' }],
      catalog,
    );
    expect(csv).toBe(
      'user,framework,level,since,manager,title\r\nU0000000001,marketing,1,2024-01-15,,Social Media Marketer\r\n',
    );
    const parsed = parseCsv(csv);
    if (!parsed.ok) throw new Error(parsed.message);
    const directory = fakeDirectory();
    const plan = await planImport({
      rows: parsed.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
    });
    expect(plan).toMatchObject({ ok: true, changes: [{ userId: 'U0000000001', title: 'Social Media Marketer' }] });

    const area = parseCsv(
      'user,framework,level,since,manager,title\nU0000000001,marketing,5,2024-01-15,,head of content\n',
    );
    if (!area.ok) throw new Error(area.message);
    const headOf = await planImport({
      rows: area.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
    });
    expect(headOf).toMatchObject({ ok: true, changes: [{ title: 'Head of content' }] });

    const wrong = parseCsv('user,framework,level,since,manager,title\nU0000000001,marketing,2,2024-01-15,,Tech Hero\n');
    if (!wrong.ok) throw new Error(wrong.message);
    const refused = await planImport({
      rows: wrong.records,
      teamId: TEAM,
      catalog,
      resolveUser: directory.resolveUser,
      today: TODAY,
    });
    expect(refused).toEqual({
      ok: false,
      problems: [{ line: 2, message: 'title "Tech Hero" is not one of Marketing level 2\'s titles: "Strategist"' }],
    });
  });

  it('keeps the stored ids of a level no longer in the framework files, so the import reports it', async () => {
    const csv = exportCsv([record('U0000000001', 'engineering', 'distinguished-engineer')], catalog);
    expect(csv).toContain('U0000000001,engineering,distinguished-engineer,2024-01-15,');
    expect(await problemsOf(csv)).toEqual([
      {
        line: 2,
        message:
          'level "distinguished-engineer" is not a level of Engineering: use a number from 1 to 8, a title, or a level id',
      },
    ]);
  });

  it('round-trips: export of a planned import plans the same changes', async () => {
    const first = await plan(thousandRows());
    if (!first.ok) throw new Error('the 1,000-row file should plan');
    const csv = exportCsv(
      first.changes.map((c) => ({ ...c, managerId: c.managerId ?? null })),
      catalog,
    );
    const second = await plan(csv);
    if (!second.ok) throw new Error(second.problems.map((p) => formatProblem(p)).join('\n'));
    expect(second.changes).toEqual(first.changes);
  });
});
