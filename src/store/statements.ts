/**
 * Every statement the engine-neutral stores run, gathered for the query-plan audit
 * (test/store/query-plans.test.ts). A store keeps its SQL in one exported constant object
 * (`TEAMMATE_SQL`, …) and passes only those constants to `sql.all/get/run`; it is listed here.
 */
export const STORE_SQL: Record<string, Readonly<Record<string, string>>> = {};

/** The statements of every store listed in STORE_SQL. */
export function storeStatements(): string[] {
  return Object.values(STORE_SQL).flatMap((statements) => Object.values(statements));
}
