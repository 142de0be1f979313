import { authorize } from '../career/permissions.js';
import type { Clock } from '../context.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { Framework } from '../frameworks/schema.js';
import { StateConflictError } from '../ports/errors.js';
import type { EvidenceCount } from '../ports/evidence.js';
import type { Repos, UnitOfWork } from '../ports/index.js';
import type { TeammateRecord } from '../teammates/model.js';
import type { EvidenceCursor, EvidenceEntry, EvidenceTarget } from './model.js';
import {
  type EvidenceChoice,
  expectationChoices,
  type GroupedEvidence,
  groupByExpectation,
  suggestExpectation,
} from './rules.js';

// The picker's rule lives in rules.ts (pure, shared with the asks); re-exported for the Slack adapter.
export { type EvidenceChoice, expectationChoices };

/**
 * The evidence log's user actions (issue 17, "Save and log"): save a Slack message, save a win, edit, delete, and the
 * log grouped by expectation. No Slack here: the adapter gathers what Slack says first (the message's permalink) and
 * renders what comes back. Each action that writes is one unit of work, retried whole while the database is busy.
 * Only the person's own log is ever read or written (`save-evidence`, `read-evidence`: self only); a manager or an
 * admin sees evidence only through a shared check-in or a proposed case.
 */

export interface EvidenceDeps {
  unitOfWork: UnitOfWork<Repos>;
  /** Read outside a unit (the form, the list); writes go through `unitOfWork`. */
  repos: Pick<Repos, 'teammates' | 'evidence'>;
  catalog: Catalog;
  clock: Clock;
}

export interface Caller {
  teamId: string;
  userId: string;
}

/** The most a saved line holds (a win typed, or a message quoted): the store keeps up to 3,000. */
export const EVIDENCE_TEXT_MAX = 3000;

/** The choice an expectation id names among `choices`, or undefined (another level's, or made up). */
export function choiceOf(choices: readonly EvidenceChoice[], expectationId: string): EvidenceChoice | undefined {
  return choices.find((c) => c.expectationId === expectationId);
}

/** What the person picked in a form: one of their choices, "no particular one" (null), or something not offered. */
export type Picked = { expectationId: string } | null;

function targetOf(choices: readonly EvidenceChoice[], picked: Picked): EvidenceTarget | null | 'not-offered' {
  if (picked === null) return null;
  const choice = choiceOf(choices, picked.expectationId);
  return choice ? { levelId: choice.levelId, expectationId: choice.expectationId } : 'not-offered';
}

interface Own {
  record: TeammateRecord;
  framework: Framework;
  choices: EvidenceChoice[];
}

async function ownOf(
  repos: Pick<Repos, 'teammates'>,
  catalog: Catalog,
  caller: Caller,
  action: 'save-evidence' | 'read-evidence',
): Promise<Own | undefined> {
  const record = await repos.teammates.get(caller.teamId, caller.userId);
  const framework = record ? catalog.get(record.frameworkId) : undefined;
  if (!record || !framework) return undefined;
  // Self only: the table is consulted although every action here is on the caller's own log.
  const decision = authorize(
    action,
    { userId: caller.userId, isAdmin: false },
    { userId: record.userId, managerId: record.managerId },
  );
  if (!decision.allowed) return undefined;
  return { record, framework, choices: expectationChoices(framework, record) };
}

const unit = <T>(deps: EvidenceDeps, work: (repos: Repos) => Promise<T>) => deps.unitOfWork.run(work);

/** The Save as evidence form: the choices, the one suggested, and the entry when the message was kept before. */
export type MessageFormOutcome =
  | { kind: 'no-record' }
  | { kind: 'form'; choices: EvidenceChoice[]; suggested: EvidenceChoice | null; kept: EvidenceEntry | null };

export async function messageForm(
  deps: EvidenceDeps,
  caller: Caller,
  message: { channelId: string; ts: string; text: string },
): Promise<MessageFormOutcome> {
  const own = await ownOf(deps.repos, deps.catalog, caller, 'save-evidence');
  if (!own) return { kind: 'no-record' };
  const kept = await deps.repos.evidence.byMessage(caller.teamId, caller.userId, message.channelId, message.ts);
  const suggested = kept?.target
    ? (choiceOf(own.choices, kept.target.expectationId) ?? null)
    : suggestExpectation(message.text, own.choices);
  return { kind: 'form', choices: own.choices, suggested, kept };
}

export interface MessageToSave {
  channelId: string;
  ts: string;
  /** As quoted in the form (already trimmed to fit). */
  text: string;
  /** Who wrote it; null for a bot's message. */
  authorId: string | null;
  permalink: string | null;
  picked: Picked;
  note: string | null;
}

export type SaveOutcome =
  | { kind: 'saved'; entry: EvidenceEntry; choice: EvidenceChoice | null }
  /** The message was kept before: the first entry now has this expectation and note. */
  | { kind: 'edited'; entry: EvidenceEntry; choice: EvidenceChoice | null }
  | { kind: 'no-record' }
  | { kind: 'not-offered' };

/** Save as evidence, submitted: one unit. A message kept before is not kept twice: the first entry is edited. */
export function saveMessage(deps: EvidenceDeps, caller: Caller, message: MessageToSave): Promise<SaveOutcome> {
  return unit(deps, async (repos) => {
    const own = await ownOf(repos, deps.catalog, caller, 'save-evidence');
    if (!own) return { kind: 'no-record' } as const;
    const target = targetOf(own.choices, message.picked);
    if (target === 'not-offered') return { kind: 'not-offered' } as const;
    const choice = target ? (choiceOf(own.choices, target.expectationId) ?? null) : null;
    const at = deps.clock.now().toISOString();
    const note = message.note?.trim() || null;
    const kept = await repos.evidence.byMessage(caller.teamId, caller.userId, message.channelId, message.ts);
    if (kept) {
      const entry = await repos.evidence.edit(caller.teamId, caller.userId, kept.id, { target, note, at });
      if (entry) return { kind: 'edited', entry, choice } as const;
    }
    try {
      const entry = await repos.evidence.add({
        teamId: caller.teamId,
        userId: caller.userId,
        source: 'message',
        text: message.text.slice(0, EVIDENCE_TEXT_MAX),
        note,
        frameworkId: own.record.frameworkId,
        target,
        authorId: message.authorId,
        message: { channelId: message.channelId, ts: message.ts, permalink: message.permalink },
        at,
      });
      return { kind: 'saved', entry, choice } as const;
    } catch (err) {
      // NOTE: a second submit racing this one on another instance kept it first; this unit wrote nothing.
      if (err instanceof StateConflictError && err.conflict === 'evidence-exists') {
        const first = await repos.evidence.byMessage(caller.teamId, caller.userId, message.channelId, message.ts);
        const entry =
          first && (await repos.evidence.edit(caller.teamId, caller.userId, first.id, { target, note, at }));
        if (entry) return { kind: 'edited', entry, choice } as const;
      }
      throw err;
    }
  });
}

export type WinOutcome =
  | { kind: 'saved'; entry: EvidenceEntry; choices: EvidenceChoice[]; choice: EvidenceChoice | null }
  | { kind: 'no-record' };

/** `/career win <text>`: the line kept under the expectation it most likely shows, the person may change it after. */
export function saveWin(deps: EvidenceDeps, caller: Caller, text: string): Promise<WinOutcome> {
  return unit(deps, async (repos) => {
    const own = await ownOf(repos, deps.catalog, caller, 'save-evidence');
    if (!own) return { kind: 'no-record' } as const;
    const choice = suggestExpectation(text, own.choices);
    const entry = await repos.evidence.add({
      teamId: caller.teamId,
      userId: caller.userId,
      source: 'win',
      text: text.slice(0, EVIDENCE_TEXT_MAX),
      frameworkId: own.record.frameworkId,
      target: choice ? { levelId: choice.levelId, expectationId: choice.expectationId } : null,
      at: deps.clock.now().toISOString(),
    });
    return { kind: 'saved', entry, choices: own.choices, choice } as const;
  });
}

export type EditOutcome =
  | { kind: 'edited'; entry: EvidenceEntry; choice: EvidenceChoice | null; choices: EvidenceChoice[] }
  | { kind: 'not-found' }
  | { kind: 'no-record' }
  | { kind: 'not-offered' };

/**
 * Changes one of the person's entries (the expectation; the note when given). Another person's entry id finds
 * nothing: `not-found`, nothing written.
 */
export function editEntry(
  deps: EvidenceDeps,
  caller: Caller,
  id: number,
  change: { picked: Picked; note?: string | null },
): Promise<EditOutcome> {
  return unit(deps, async (repos) => {
    const own = await ownOf(repos, deps.catalog, caller, 'save-evidence');
    if (!own) return { kind: 'no-record' } as const;
    const target = targetOf(own.choices, change.picked);
    if (target === 'not-offered') return { kind: 'not-offered' } as const;
    const at = deps.clock.now().toISOString();
    const note = change.note === undefined ? undefined : change.note?.trim() || null;
    const entry = await repos.evidence.edit(caller.teamId, caller.userId, id, {
      target,
      ...(note === undefined ? {} : { note }),
      at,
    });
    if (!entry) return { kind: 'not-found' } as const;
    const choice = target ? (choiceOf(own.choices, target.expectationId) ?? null) : null;
    return { kind: 'edited', entry, choice, choices: own.choices } as const;
  });
}

/** One of the person's entries, with the choices it may move to (the Edit form); null when it is not theirs. */
export async function entryToEdit(
  deps: EvidenceDeps,
  caller: Caller,
  id: number,
): Promise<{ entry: EvidenceEntry; choices: EvidenceChoice[] } | null> {
  const own = await ownOf(deps.repos, deps.catalog, caller, 'read-evidence');
  if (!own) return null;
  const entry = await deps.repos.evidence.get(caller.teamId, caller.userId, id);
  return entry ? { entry, choices: own.choices } : null;
}

export type DeleteOutcome = { kind: 'deleted'; entry: EvidenceEntry } | { kind: 'not-found' };

/** Deletes one of the person's entries; another person's id finds nothing and deletes nothing. */
export function deleteEntry(deps: EvidenceDeps, caller: Caller, id: number): Promise<DeleteOutcome> {
  return unit(deps, async (repos) => {
    const entry = await repos.evidence.get(caller.teamId, caller.userId, id);
    if (!entry || !(await repos.evidence.remove(caller.teamId, caller.userId, id)))
      return { kind: 'not-found' } as const;
    return { kind: 'deleted', entry } as const;
  });
}

/** A page of the person's log read against their current and next level's expectations. */
export interface EvidencePage {
  grouped: GroupedEvidence<EvidenceChoice>;
  /** How many entries the person has for each expectation (null: "no particular one"), all pages together. */
  counts: EvidenceCount[];
  total: number;
  /** Entries on the pages before this one. */
  before: number;
  /** Where the next page starts, when there are older entries. */
  next: EvidenceCursor | null;
}

export type ListOutcome = { kind: 'page'; page: EvidencePage; first: boolean } | { kind: 'no-record' };

/**
 * `/career evidence`: at most `limit` entries, newest first (one page read on the person's index), grouped by
 * expectation; the gaps and the totals come from one grouped count, so the cost is what is shown, not the log's age.
 */
export async function listEvidence(
  deps: EvidenceDeps,
  caller: Caller,
  options: {
    /** How many entries fit beside this many expectations (the adapter knows its surface's limits). */
    perPage: (expectations: number) => number;
    after?: EvidenceCursor | null;
    /** Entries shown on the pages before, for "n more". */
    before?: number;
  },
): Promise<ListOutcome> {
  const own = await ownOf(deps.repos, deps.catalog, caller, 'read-evidence');
  if (!own) return { kind: 'no-record' };
  const { evidence } = deps.repos;
  const limit = options.perPage(own.choices.length);
  const [counts, entries] = await Promise.all([
    evidence.counts(caller.teamId, caller.userId),
    // One more than shown: whether an older page exists, without counting.
    evidence.page(caller.teamId, caller.userId, { limit: limit + 1, after: options.after ?? null }),
  ]);
  const shown = entries.slice(0, limit);
  const last = shown.at(-1);
  const grouped = groupByExpectation(shown, own.choices);
  // Gaps are the expectations with nothing at all, not merely nothing on this page.
  const kept = new Set(counts.filter((c) => c.n > 0).map((c) => c.expectationId));
  grouped.gaps = own.choices.filter((c) => !kept.has(c.expectationId));
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  return {
    kind: 'page',
    first: !options.after,
    page: {
      grouped,
      counts,
      total,
      before: options.before ?? 0,
      next: entries.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    },
  };
}
