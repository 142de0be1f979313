import type { Database as SqliteHandle } from 'better-sqlite3';
import { openDatabase } from '../db/migrate.js';
import type { Engine, SqlValue } from '../db/sql.js';
import { CliError } from './cli.js';

/**
 * Copies every row of one Ripple database into another, on either engine: SQLite to PostgreSQL when a
 * company outgrows one box, or back. Both are migrated to this Ripple's schema first (the two schemas
 * have the same tables and columns: test/db/pg-schema.test.ts), so each table is copied column for
 * column, ids included: records, their history and pauses, check-ins with their answers and evidence,
 * pending notifications, reminder and weekly ledgers, imports.
 *
 * The target must be empty (a freshly migrated database). Each batch of rows is one transaction on
 * the target; when the copy ends, every table is counted on both sides and must agree.
 */

/** Rows read and written per statement. */
export const COPY_BATCH = 500;

interface Table {
  name: string;
  columns: string[];
  /** Primary key columns, in key order: the copy pages through them. */
  key: string[];
  /** Rows a fresh migration leaves in it (replaced by the source's). */
  seeded: boolean;
}

/**
 * The tables to copy, parents before children (foreign keys), read from this Ripple's own schema: a
 * fresh in-memory SQLite database, so the plan is the same whichever engines are involved.
 */
export function copyPlan(): Table[] {
  const db = openDatabase(':memory:');
  try {
    const names = (
      db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
    const parents = new Map(names.map((n) => [n, parentsOf(db, n)]));
    const ordered: string[] = [];
    const visit = (name: string, path: Set<string>) => {
      if (ordered.includes(name) || path.has(name)) return;
      path.add(name);
      for (const parent of parents.get(name) ?? []) if (parent !== name) visit(parent, path);
      ordered.push(name);
    };
    // Tables no other table's rows depend on first (workspaces, digest_plan, …): a row a trigger derives from
    // a later table then finds the copied one in place rather than the other way round.
    const roots = names.filter((n) => (parents.get(n) ?? []).length === 0);
    for (const name of [...roots, ...names]) visit(name, new Set());
    return ordered.map((name) => {
      const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; pk: number }[];
      const key = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const seeded = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n > 0;
      return { name, columns: info.map((c) => c.name), key, seeded };
    });
  } finally {
    db.close();
  }
}

function parentsOf(db: SqliteHandle, table: string): string[] {
  return (db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string }[]).map((f) => f.table);
}

export interface CopyReport {
  /** Rows copied per table, in the order copied. */
  tables: { name: string; rows: number }[];
  total: number;
}

const quote = (name: string) => `"${name}"`;

/** Source rows after `after` (by primary key), at most `limit`; the whole table when it has no key. */
async function page(source: Engine, t: Table, after: SqlValue[] | null): Promise<Record<string, SqlValue>[]> {
  const cols = t.columns.map(quote).join(', ');
  if (t.key.length === 0) {
    return after === null ? source.sql.all(`SELECT ${cols} FROM ${quote(t.name)}`) : [];
  }
  const key = t.key.map(quote).join(', ');
  const where = after === null ? '' : ` WHERE (${key}) > (${t.key.map(() => '?').join(', ')})`;
  return source.sql.all(
    `SELECT ${cols} FROM ${quote(t.name)}${where} ORDER BY ${key} LIMIT ${COPY_BATCH}`,
    after === null ? [] : after,
  );
}

async function count(engine: Engine, table: string): Promise<number> {
  const row = await engine.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${quote(table)}`);
  return Number(row?.n ?? 0);
}

/**
 * Copies `source` into `target` (both open and migrated). Refuses, writing nothing, when the target
 * already holds records of its own.
 */
export async function copyDatabase(
  source: Engine,
  target: Engine,
  onTable: (name: string, rows: number) => void = () => undefined,
): Promise<CopyReport> {
  const plan = copyPlan();
  for (const t of plan) {
    if (t.seeded) continue;
    const rows = await count(target, t.name);
    if (rows > 0) {
      throw new CliError(
        `The target database is not empty (${t.name} has ${rows} row(s)). Copy into a new, empty database; nothing was written.`,
      );
    }
  }
  const report: CopyReport = { tables: [], total: 0 };
  // Rows a migration put there (the change counter) are the source's to say.
  await target.transaction(async (sql) => {
    for (const t of plan.filter((p) => p.seeded)) await sql.run(`DELETE FROM ${quote(t.name)}`);
  });
  for (const t of plan) {
    let copied = 0;
    const insert = (n: number) =>
      `INSERT INTO ${quote(t.name)} (${t.columns.map(quote).join(', ')}) VALUES ${Array.from(
        { length: n },
        () => `(${t.columns.map(() => '?').join(', ')})`,
      ).join(', ')}`;
    for (let after: SqlValue[] | null = null; ; ) {
      const rows = await page(source, t, after);
      if (rows.length === 0) break;
      await target.transaction(async (sql) => {
        await sql.run(
          insert(rows.length),
          rows.flatMap((r) => t.columns.map((c) => r[c] ?? null)),
        );
      });
      copied += rows.length;
      const last = rows.at(-1) as Record<string, SqlValue>;
      after = t.key.map((k) => last[k] ?? null);
      if (t.key.length === 0 || rows.length < COPY_BATCH) break;
    }
    report.tables.push({ name: t.name, rows: copied });
    report.total += copied;
    onTable(t.name, copied);
  }
  if (target.dialect === 'postgres') await resetIdentities(target, plan);
  for (const t of plan) {
    const [from, to] = [await count(source, t.name), await count(target, t.name)];
    if (from !== to)
      throw new Error(`After the copy, ${t.name} has ${to} row(s) in the target and ${from} in the source`);
  }
  return report;
}

/**
 * PostgreSQL's identity columns hand out ids from a sequence that an explicit id does not move: each
 * one is set past the largest id copied, so the next row written gets a new id.
 */
async function resetIdentities(target: Engine, plan: Table[]): Promise<void> {
  const identities = await target.sql.all<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'",
  );
  const known = new Set(plan.map((t) => t.name));
  for (const { table_name: table, column_name: column } of identities) {
    if (!known.has(table)) continue;
    await target.sql.get(
      `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), COALESCE((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
    );
  }
}
