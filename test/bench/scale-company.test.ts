import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCompanyDb } from '../../bench/scale/build.js';
import {
  BIG_TEAM_MAX,
  BIG_TEAM_MIN,
  buildCompany,
  TEAM_ID,
  TEAM_MAX,
  TEAM_MIN,
  teamSizes,
} from '../../bench/scale/company.js';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { createStores } from '../../src/store/index.js';

const catalog = new Catalog(loadFrameworks(fileURLToPath(new URL('../../frameworks', import.meta.url))));
const AS_OF = '2027-03-01';

describe('the scale benchmark company (bench/scale/company.ts)', () => {
  it('has the shape issue 14 promises: frameworks, team sizes, check-ins', () => {
    const company = buildCompany(5000, catalog, AS_OF);
    const { people, subjects } = company;
    expect(people).toHaveLength(5000);
    const share = (f: (p: (typeof people)[number]) => boolean) => people.filter(f).length / people.length;
    expect(share((p) => p.frameworkId === 'engineering')).toBeCloseTo(0.45, 1);
    expect(share((p) => p.frameworkId === 'marketing')).toBeCloseTo(0.35, 1);
    expect(share((p) => p.checkin === 'finished' || p.checkin === 'shared')).toBeCloseTo(0.2, 1);

    const sizes = teamSizes(company);
    expect(sizes.get(subjects.manager10)).toBe(10);
    expect(sizes.get(subjects.manager400)).toBe(400);
    expect(sizes.has(subjects.member)).toBe(false);
    expect(sizes.has(subjects.admin)).toBe(false);
    const big = [...sizes.values()].filter((n) => n >= BIG_TEAM_MIN);
    expect(big.every((n) => n <= BIG_TEAM_MAX)).toBe(true);
    const outside = [...sizes.entries()].filter(
      ([m, n]) => m !== people[0]?.userId && n < BIG_TEAM_MIN && (n < TEAM_MIN || n > TEAM_MAX),
    );
    // Only the tree's last manager may get fewer than the minimum (what was left).
    expect(outside.length).toBeLessThanOrEqual(1);
    // Everyone but the top of the tree has a manager who is in the company.
    const ids = new Set(people.map((p) => p.userId));
    expect(people.filter((p) => p.managerId === null)).toHaveLength(1);
    expect(people.every((p) => p.managerId === null || ids.has(p.managerId))).toBe(true);
    expect(people.every((p) => p.since <= AS_OF)).toBe(true);
  });

  it('is the same company every time', () => {
    expect(JSON.stringify(buildCompany(1000, catalog, AS_OF))).toBe(JSON.stringify(buildCompany(1000, catalog, AS_OF)));
  });

  it('is written through the stores: records, reports, check-ins, pauses, the growth channel', async () => {
    const company = buildCompany(1000, catalog, AS_OF);
    const db = openDatabase(':memory:');
    const counts = await buildCompanyDb(db, company, catalog);
    const stores = createStores(db);
    expect(counts.teammates).toBe(1000);
    expect(await stores.teammates.countReports(TEAM_ID, company.subjects.manager400)).toBe(400);
    expect(await stores.teammates.countReports(TEAM_ID, company.subjects.manager10)).toBe(10);
    const member = await stores.checkins.sharedWith(TEAM_ID, company.subjects.member, company.subjects.manager10);
    expect(member).toMatchObject({ shared: 1 });
    const wanted = company.people.filter((p) => p.checkin === 'finished' || p.checkin === 'shared').length;
    expect(counts.finished).toBe(wanted);
    expect(counts.paused).toBe(company.people.filter((p) => p.pausedUntil !== null).length);
    expect((await stores.growth.channel(TEAM_ID))?.weekday).toBe(1);
    db.close();
  });
});
