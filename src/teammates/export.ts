import { type AskSeenAs, askSeenAs } from '../evidence/ask-rules.js';
import type { EvidenceSource, EvidenceTarget } from '../evidence/model.js';
import type { Catalog } from '../frameworks/catalog.js';
import { levelLabel } from '../frameworks/describe.js';
import type { CaseStatus } from '../ports/promotions.js';
import type { TeammateExport } from '../ports/teammates.js';
import { type CaseStepKind, caseSteps, DRAFT_EXPIRY_DAYS } from '../promotions/rules.js';

/**
 * "Export my data" as a person can read it: teams and levels by name, other people by name, and no
 * internal ids (no database row ids, no workspace id) other than the person's own Slack id. Pure: the
 * names of the people involved are looked up by the caller and passed in.
 */
export interface ReadableExport {
  exportedAt: string;
  /** The person's own Slack member id: the one id the export keeps. */
  person: string;
  record: Record<string, unknown>;
  history: Record<string, unknown>[];
  pauses: { firstDayAway: string; firstDayBack: string | null }[];
  checkins: unknown[];
  /** The evidence log, oldest first: each entry's words, note, expectation, source, author, link and dates. */
  evidence: ReadableEvidence[];
  /**
   * The person's asks to colleagues, oldest first: who, which expectation, their line of context, where it stands (as
   * `/career asks` says it: a decline reads as waiting) and when. Never an answer's words: a kept one is in `evidence`
   * already (author: the colleague), and one not kept (or not yet kept) stays the colleague's words the person has not
   * chosen to keep; the export is not a way around that choice.
   */
  asks: ReadableAsk[];
  /**
   * The promotion cases about the person, oldest first, as the case showed them: the level, who proposed it, each
   * step, their own note and the proposer's note. Never an admin's decline note (it goes to the manager only).
   */
  promotionCases: ReadableCase[];
  /** Reminder and channel choices: optional-step reminders, a celebration opt-in. */
  preferences?: Record<string, unknown>;
}

/** One ask to a colleague, as the export shows it (no row or colleague ids). */
export interface ReadableAsk {
  colleague: string | null;
  expectation: string;
  context: string | null;
  status: string;
  askedAt: string;
  /** When the answer came, for an answer the person has seen; never for a decline. */
  answeredAt: string | null;
  closedAt: string | null;
}

/** One promotion case, as the person may see it. */
export interface ReadableCase {
  for: string | null;
  from: string | null;
  proposedBy: string | null;
  status: string;
  proposersNote: string | null;
  yourNote: string | null;
  /** Approved: the date the new level counts from. */
  since: string | null;
  steps: { step: string; at: string; by: string | null }[];
}

/** Where an ask stands, in words, as `/career asks` sees it. */
export const ASK_STATUS_WORDS: Record<AskSeenAs, string> = {
  waiting: 'waiting for an answer',
  answered: 'answered: yours to keep or not',
  kept: 'answered and kept in your evidence log',
  'not-kept': 'answered, not kept',
  'no-example': 'closed without an example',
};

const CASE_STATUS_WORDS: Record<CaseStatus, string> = {
  draft: 'with you to read and send on',
  proposed: 'with the admins',
  approved: 'approved',
  declined: 'declined',
  withdrawn: 'withdrawn',
  expired: `expired: not sent on within ${DRAFT_EXPIRY_DAYS} days`,
};

const CASE_STEP_WORDS: Record<CaseStepKind, string> = {
  proposed: 'proposed',
  'person-note': 'you added a note',
  sent: 'you sent it on',
  approved: 'approved',
  declined: 'declined',
  withdrawn: 'withdrawn',
  expired: 'expired',
};

/** One entry of the evidence log, as the export shows it (no row, channel or message ids). */
export interface ReadableEvidence {
  text: string;
  note: string | null;
  /** "Level 3 · Coordinator: Take ideas …", or "no particular one". */
  expectation: string;
  source: string;
  /** Who wrote the message or gave the example; null for the person's own words. */
  author: string | null;
  permalink: string | null;
  savedAt: string;
  updatedAt: string;
}

/** Where an entry came from, in words. */
export const EVIDENCE_SOURCE_WORDS: Record<EvidenceSource, string> = {
  message: 'a saved Slack message',
  win: 'a win you logged',
  colleague: 'an example a colleague gave',
  checkin: 'added during a check-in',
};

/** The expectation an entry shows, in words: its level and its text, as the framework file says them now. */
export function expectationWords(catalog: Catalog, frameworkId: string, target: EvidenceTarget | null): string {
  if (!target) return 'no particular one';
  const framework = catalog.get(frameworkId);
  const level = framework ? catalog.levelById(framework, target.levelId) : undefined;
  const expectation = level?.expectations.find((e) => e.id === target.expectationId);
  if (!level || !expectation) return `${target.expectationId} (no longer in the framework file)`;
  return `${levelLabel(level)}: ${expectation.text}`;
}

/** Every Slack user id the export would name, so the caller can look up their names. */
export function peopleIn(data: TeammateExport): string[] {
  const ids = new Set<string>();
  for (const e of data.evidence ?? []) if (e.authorId) ids.add(e.authorId);
  for (const a of data.asks ?? []) ids.add(a.colleagueId);
  for (const c of data.cases ?? []) for (const s of caseSteps(c)) if (s.by) ids.add(s.by);
  if (data.record.managerId) ids.add(data.record.managerId);
  for (const h of data.history) {
    ids.add(h.changedBy);
    if (h.field === 'manager') for (const v of [h.from, h.to]) if (v) ids.add(v);
  }
  ids.delete(data.record.userId);
  return [...ids].filter((id) => /^[UW][A-Z0-9]+$/.test(id));
}

/** System actors in the history, in words. */
const ACTORS: Record<string, string> = {
  'ripple:pause-ended': 'Ripple (the return date given when pausing)',
  'slack:user_change': 'Slack (account deactivated)',
};

export function readableExport(
  data: TeammateExport,
  catalog: Catalog,
  names: ReadonlyMap<string, string>,
  exportedAt: string,
  preferences?: { optionalNudges: 'on' | 'off'; celebrate: boolean; digest?: 'on' | 'off' },
): ReadableExport {
  const self = data.record.userId;
  const person = (id: string | null): string | null => {
    if (id === null) return null;
    if (id === self) return 'you';
    if (ACTORS[id]) return ACTORS[id] as string;
    if (id.startsWith('import:')) return `bulk import (${id.slice('import:'.length)})`;
    const name = names.get(id);
    return name ? `@${name}` : 'a teammate';
  };
  const framework = catalog.get(data.record.frameworkId);
  const level = (levelId: string | null, frameworkId = data.record.frameworkId): string | null => {
    if (levelId === null) return null;
    const fw = catalog.get(frameworkId) ?? framework;
    const found = fw ? catalog.levelById(fw, levelId) : undefined;
    return found ? levelLabel(found) : `${levelId} (no longer in the framework file)`;
  };
  const value = (field: string, v: string | null): string | null => {
    if (v === null) return null;
    if (field === 'manager') return person(v);
    if (field === 'framework') return catalog.get(v)?.name ?? v;
    if (field === 'level') return level(v);
    return v;
  };
  const r = data.record;
  return {
    exportedAt,
    person: self,
    record: {
      team: framework?.name ?? r.frameworkId,
      level: level(r.levelId),
      title: r.title,
      since: r.since,
      manager: person(r.managerId),
      status: r.status,
      pausedUntil: r.pausedUntil,
      timeZone: r.tz,
      reminders: r.nudges,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    },
    history: data.history.map((h) => ({
      changed: h.field,
      from: value(h.field, h.from),
      to: value(h.field, h.to),
      by: person(h.changedBy),
      at: h.changedAt,
      ...(h.note ? { note: h.note } : {}),
    })),
    pauses: data.pauses.map((p) => ({ firstDayAway: p.start, firstDayBack: p.end })),
    checkins: withoutIds(data.checkins ?? []) as unknown[],
    evidence: (data.evidence ?? []).map((e) => ({
      text: e.text,
      note: e.note,
      expectation: expectationWords(catalog, e.frameworkId, e.target),
      source: EVIDENCE_SOURCE_WORDS[e.source],
      author: person(e.authorId),
      permalink: e.message?.permalink ?? null,
      savedAt: e.createdAt,
      updatedAt: e.updatedAt,
    })),
    asks: (data.asks ?? []).map((a) => {
      const seen = askSeenAs(a.status);
      const answered = seen === 'answered' || seen === 'kept' || seen === 'not-kept';
      return {
        colleague: person(a.colleagueId),
        expectation: expectationWords(catalog, a.frameworkId, a.target),
        context: a.context,
        status: ASK_STATUS_WORDS[seen],
        askedAt: a.createdAt,
        answeredAt: answered ? a.answeredAt : null,
        closedAt: seen === 'waiting' ? null : a.closedAt,
      };
    }),
    promotionCases: (data.cases ?? []).map((c) => ({
      for: level(c.toLevelId, c.frameworkId),
      from: level(c.fromLevelId, c.frameworkId),
      proposedBy: person(c.proposedBy),
      status: CASE_STATUS_WORDS[c.status],
      proposersNote: c.managerNote,
      yourNote: c.personNote,
      since: c.since,
      steps: caseSteps(c).map((s) => ({ step: CASE_STEP_WORDS[s.kind], at: s.at, by: person(s.by) })),
    })),
    ...(preferences
      ? {
          preferences: {
            remindersAboutOptionalSteps: preferences.optionalNudges,
            celebrateLevelUpsInTheGrowthChannel: preferences.celebrate,
            ...(preferences.digest ? { weeklyTeamDigest: preferences.digest } : {}),
          },
        }
      : {}),
  };
}

/** Drops row ids and workspace or person ids (`id`, `teamId`, `userId`, `…Id`) from nested data. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== 'id' && !/Id$/.test(key))
      .map(([key, v]) => [key, withoutIds(v)]),
  );
}
