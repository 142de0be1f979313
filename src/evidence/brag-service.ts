import { addMonths, utcDateOf } from '../career/dates.js';
import { authorize } from '../career/permissions.js';
import * as checkins from '../checkins/service.js';
import type { Clock } from '../context.js';
import type { Catalog } from '../frameworks/catalog.js';
import { askedStepName, levelLabel } from '../frameworks/describe.js';
import type { Level } from '../frameworks/schema.js';
import type { EvidenceEntry } from '../ports/evidence.js';
import type { Repos, UnitOfWork } from '../ports/index.js';
import { EVIDENCE_SOURCE_WORDS } from '../teammates/export.js';
import type { BragInput, BragLevel } from './brag.js';

/**
 * `/career brag` without Slack: the person's own year (the last 12 months by the clock) read in one unit of work,
 * named by the framework, for the pure Markdown builder (brag.ts). Cost: the person's own data in the period.
 */

export interface BragDeps {
  unitOfWork: UnitOfWork<Repos>;
  catalog: Catalog;
  clock: Clock;
}

export type BragOutcome =
  /** `authors`: the people whose names the file needs (who wrote saved messages, who gave examples). */
  { kind: 'brag'; input: Omit<BragInput, 'names'>; authors: string[] } | { kind: 'no-record' };

/** Entries read per statement: a year of a person's log is a few hundred. */
const PAGE = 500;

function levelOf(catalog: Catalog, frameworkId: string, levelId: string | null): string | null {
  if (levelId === null) return null;
  const framework = catalog.get(frameworkId);
  const level = framework ? catalog.levelById(framework, levelId) : undefined;
  return level ? levelLabel(level) : levelId;
}

const choicesOf = (level: Level, role: BragLevel['role']): BragLevel => ({
  label: levelLabel(level),
  role,
  choices: level.expectations.map((e) => ({
    levelId: level.id,
    expectationId: e.id,
    text: e.text,
    levelLabel: levelLabel(level),
  })),
});

/** The caller's year, for their brag file; `no-record` when Ripple holds no record of them. */
export async function bragData(deps: BragDeps, caller: { teamId: string; userId: string }): Promise<BragOutcome> {
  const now = deps.clock.now();
  const to = now.toISOString();
  const from = `${addMonths(utcDateOf(now), -12)}${to.slice(10)}`;
  // One consistent read, which waits for no writer (a backup, an import): it only reads.
  return await deps.unitOfWork.run(
    async (repos): Promise<BragOutcome> => {
      const own = await repos.teammates.export(caller.teamId, caller.userId);
      const actor = { userId: caller.userId, isAdmin: false };
      const target = { userId: caller.userId, managerId: own?.record.managerId ?? null, status: own?.record.status };
      // The brag file is the person's own data, as the export is: the same row of the permission table.
      if (!own || !authorize('export-self', actor, target).allowed) return { kind: 'no-record' };
      const { record } = own;

      const evidence: EvidenceEntry[] = [];
      for (;;) {
        const last = evidence.at(-1);
        const page = await repos.evidence.page(caller.teamId, caller.userId, {
          limit: PAGE,
          since: from,
          after: last ? { createdAt: last.createdAt, id: last.id } : null,
        });
        evidence.push(...page);
        if (page.length < PAGE) break;
      }

      const checkinDeps = {
        checkins: repos.checkins,
        teammates: repos.teammates,
        evidence: repos.evidence,
        catalog: deps.catalog,
        clock: deps.clock,
        expiryDays: 0,
      };
      const history = await checkins.history(checkinDeps, caller);
      const finished = history.kind === 'history' ? history.entries.filter((e) => e.finishedAt > from) : [];

      const framework = deps.catalog.get(record.frameworkId);
      const level = framework ? deps.catalog.levelById(framework, record.levelId) : undefined;
      const levels: BragLevel[] =
        framework && level
          ? [choicesOf(level, 'current'), ...deps.catalog.nextSteps(framework, level).map((l) => choicesOf(l, 'next'))]
          : [];
      const authors = [...new Set(evidence.map((e) => e.authorId))].filter(
        (id): id is string => id !== null && id !== caller.userId,
      );
      return {
        kind: 'brag',
        authors,
        input: {
          from,
          to,
          record: `${framework?.name ?? record.frameworkId} · ${levelOf(deps.catalog, record.frameworkId, record.levelId)} since ${record.since}`,
          levels,
          evidence,
          sourceWords: EVIDENCE_SOURCE_WORDS,
          self: caller.userId,
          checkins: finished.reverse().map((e) => ({
            finishedAt: e.finishedAt,
            readiness: e.readiness,
            target:
              e.target && e.levels.length > 0 ? askedStepName(e.levels.at(-1) as (typeof e.levels)[number]) : null,
            shared: e.shared,
          })),
          levelChanges: own.history
            .filter((h) => h.field === 'level' && h.to !== null && h.changedAt > from)
            .map((h) => ({
              at: h.changedAt,
              from: levelOf(deps.catalog, record.frameworkId, h.from),
              to: levelOf(deps.catalog, record.frameworkId, h.to) as string,
            })),
        },
      };
    },
    { readOnly: true },
  );
}
