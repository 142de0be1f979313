import { parseFriendlyDate } from '../career/dates.js';
import { type Action, authorize, type Decision, PERMISSION_TABLE, type Target } from '../career/permissions.js';
import type { Rating } from '../checkins/machine.js';
import type { CheckinDetail } from '../checkins/model.js';
import type { Framework, Level } from '../frameworks/schema.js';
import type { CheckinStore } from '../ports/checkins.js';
import type { EvidenceEntry, EvidenceStore } from '../ports/evidence.js';
import {
  OPEN_CHECK_MAX,
  type PromotionCase,
  type PromotionSettings,
  type PromotionStore,
} from '../ports/promotions.js';
import type { TeammateRecord } from '../teammates/model.js';
import { type Refusal, refused } from '../teammates/refusals.js';
import { todayForZone } from '../teammates/rules.js';
import {
  applyConfirmed,
  buildCard,
  type Caller,
  type Card,
  isRippleAdmin,
  recordFingerprint,
  type SetOutcome,
  type TeammateDeps,
} from '../teammates/service.js';
import { DEFAULT_PROMOTION_THRESHOLD, isOpen, managerReadiness, mayWithdraw, offersProposal } from './rules.js';

/**
 * The promotion case (issue 17, item 5), without Slack: propose, the person's note and send, approve or decline.
 * Every check runs before the one guarded write of each step, so a refusal changes nothing; approval records the new
 * level through the teammate service's confirmed path (`applyConfirmed`), as Confirm on a `/career set` preview does.
 */

export interface PromotionDeps {
  /** The record, the directory (admins, time zones) and the confirmed path a decision takes. */
  teammates: TeammateDeps;
  promotions: PromotionStore;
  checkins: Pick<CheckinStore, 'detail' | 'latestShared'>;
  evidence: Pick<EvidenceStore, 'forExpectation'>;
}

/** Evidence shown under each expectation of a case: the newest few (the person's `/career evidence` lists all). */
export const CASE_EVIDENCE_PER_EXPECTATION = 3;

export type CaseRefusal = {
  kind: 'case-refused';
  reason:
    | 'not-permitted'
    | 'no-record'
    | 'top-level'
    | 'open-case'
    | 'gone'
    | 'decided'
    | 'own-case'
    | 'moved-on'
    | 'not-a-next-level';
  /** The case the refusal is about, when there is one (an open case, a case already decided). */
  case?: PromotionCase;
};

const refuse = (reason: CaseRefusal['reason'], c?: PromotionCase): CaseRefusal => ({
  kind: 'case-refused',
  reason,
  ...(c ? { case: c } : {}),
});

/** One expectation of the next level in a case: both ratings (when rated) and the newest evidence for it. */
export interface CaseExpectation {
  id: string;
  text: string;
  self?: Rating;
  manager?: Rating;
  evidence: EvidenceEntry[];
}

/** Everything a case shows, read when it is shown (the evidence and the record as they are now). */
export interface CaseView {
  case: PromotionCase;
  framework: Framework | undefined;
  to: Level | undefined;
  /** The person's card as of today: their level, time at it and the window. */
  card: Card;
  /** The check-in whose ratings are shown, if one was rated. */
  checkin: Pick<CheckinDetail, 'id' | 'finishedAt' | 'sharedWith'> | null;
  expectations: CaseExpectation[];
}

async function caseDecision(deps: PromotionDeps, action: Action, callerId: string, target: Target): Promise<Decision> {
  const first = authorize(action, { userId: callerId, isAdmin: false }, target);
  if (first.allowed || !PERMISSION_TABLE[action].admin) return first;
  return authorize(action, { userId: callerId, isAdmin: await isRippleAdmin(deps.teammates, callerId) }, target);
}

const caseTarget = (c: PromotionCase, record: TeammateRecord | null): Target => ({
  userId: c.userId,
  managerId: record?.managerId ?? null,
  caseSent: c.status !== 'draft',
});

/** The case as it is shown: the next level's expectations, the ratings side by side and the evidence for each. */
export async function caseView(deps: PromotionDeps, c: PromotionCase, record: TeammateRecord): Promise<CaseView> {
  const framework = deps.teammates.catalog.get(c.frameworkId);
  const to = framework ? deps.teammates.catalog.levelById(framework, c.toLevelId) : undefined;
  const checkin = await ratedCheckin(deps, c, record);
  const expectations: CaseExpectation[] = [];
  for (const e of to?.expectations ?? []) {
    const q = checkin?.questions.find((x) => x.levelId === c.toLevelId && x.expectationId === e.id);
    const manager = q ? checkin?.managerRatings[q.position] : undefined;
    const evidence = await deps.evidence.forExpectation(c.teamId, c.userId, e.id, {
      limit: CASE_EVIDENCE_PER_EXPECTATION,
    });
    expectations.push({
      id: e.id,
      text: e.text,
      ...(q?.rating ? { self: q.rating } : {}),
      ...(manager ? { manager } : {}),
      evidence,
    });
  }
  return {
    case: c,
    framework,
    to,
    card: await buildCard(deps.teammates, record),
    checkin: checkin ? { id: checkin.id, finishedAt: checkin.finishedAt, sharedWith: checkin.sharedWith } : null,
    expectations,
  };
}

/** The check-in whose ratings the case shows: the one it was proposed from, else the latest shared with the manager. */
async function ratedCheckin(
  deps: PromotionDeps,
  c: PromotionCase,
  record: TeammateRecord,
): Promise<CheckinDetail | null> {
  if (c.checkinId !== null) {
    const detail = await deps.checkins.detail(c.teamId, c.checkinId);
    // Only a check-in the person shared: its ratings are already their manager's to show.
    return detail && detail.userId === c.userId && detail.sharedWith ? detail : null;
  }
  return record.managerId ? await deps.checkins.latestShared(c.teamId, c.userId, record.managerId) : null;
}

export type ProposalOffer = { offer: boolean; readiness: number | null; threshold: number };

/**
 * Whether the manager's rated view of a shared check-in offers Propose: readiness by their ratings at or above the
 * workspace's threshold, a next level to propose, and no case already open for the person.
 */
export async function proposalOffer(
  deps: PromotionDeps,
  caller: Caller,
  checkin: CheckinDetail,
): Promise<ProposalOffer> {
  const threshold = (await deps.promotions.settings(caller.teamId)).threshold ?? DEFAULT_PROMOTION_THRESHOLD;
  const readiness = managerReadiness(checkin);
  if (!offersProposal(readiness, threshold)) return { offer: false, readiness, threshold };
  const form = await proposalForm(deps, caller, checkin.userId, checkin.id);
  return { offer: form.kind === 'form', readiness, threshold };
}

/**
 * Which of the caller's reports `/career team` offers **Propose a promotion** for: the caller may propose them (the
 * `propose-promotion` row), they have a next level, and no case is open. Reads one statement per 200 rows shown; the
 * form checks everything again when pressed.
 */
export async function proposableAmong(
  deps: PromotionDeps,
  caller: Caller,
  cards: readonly Card[],
): Promise<Set<string>> {
  const candidates = cards
    .filter(
      (card) =>
        card.record.userId !== caller.userId &&
        authorize(
          'propose-promotion',
          { userId: caller.userId, isAdmin: false },
          {
            userId: card.record.userId,
            managerId: card.record.managerId,
          },
        ).allowed &&
        card.nextSteps.length > 0,
    )
    .map((card) => card.record.userId);
  const open = new Set<string>();
  for (let i = 0; i < candidates.length; i += OPEN_CHECK_MAX)
    for (const id of await deps.promotions.openAmong(caller.teamId, candidates.slice(i, i + OPEN_CHECK_MAX)))
      open.add(id);
  return new Set(candidates.filter((id) => !open.has(id)));
}

export type FormOutcome =
  | { kind: 'form'; userId: string; checkinId: number | null; from: Level; choices: Level[] }
  | CaseRefusal;

/** What the Propose form offers (the next level, or each of a fork's), after every check; writes nothing. */
export async function proposalForm(
  deps: PromotionDeps,
  caller: Caller,
  userId: string,
  checkinId: number | null,
): Promise<FormOutcome> {
  const record = await deps.teammates.teammates.get(caller.teamId, userId);
  const decision = await caseDecision(deps, 'propose-promotion', caller.userId, {
    userId,
    managerId: record?.managerId ?? null,
  });
  // Refused before saying whether a record exists: that is private too.
  if (!decision.allowed || userId === caller.userId) return refuse('not-permitted');
  if (!record) return refuse('no-record');
  const { catalog } = deps.teammates;
  const framework = catalog.get(record.frameworkId);
  const from = framework ? catalog.levelById(framework, record.levelId) : undefined;
  const choices = framework && from ? catalog.nextSteps(framework, from) : [];
  if (!from || choices.length === 0) return refuse('top-level');
  const open = await deps.promotions.open(caller.teamId, userId);
  if (open) return refuse('open-case', open);
  return { kind: 'form', userId, checkinId, from, choices };
}

export type ProposeOutcome = { kind: 'proposed'; view: CaseView } | CaseRefusal;

/** Propose, submitted: the case is opened as a draft for the person to read, add to and send on. */
export async function propose(
  deps: PromotionDeps,
  caller: Caller,
  input: { userId: string; toLevelId: string; checkinId: number | null; note: string | null },
): Promise<ProposeOutcome> {
  // Checked again: the form may be submitted long after it opened.
  const form = await proposalForm(deps, caller, input.userId, input.checkinId);
  if (form.kind !== 'form') return form;
  if (!form.choices.some((l) => l.id === input.toLevelId)) return refuse('not-a-next-level');
  const record = (await deps.teammates.teammates.get(caller.teamId, input.userId)) as TeammateRecord;
  const c = await deps.promotions.propose({
    teamId: caller.teamId,
    userId: input.userId,
    proposedBy: caller.userId,
    frameworkId: record.frameworkId,
    fromLevelId: record.levelId,
    toLevelId: input.toLevelId,
    checkinId: input.checkinId,
    managerNote: input.note,
    at: deps.teammates.clock.now().toISOString(),
  });
  if (!c) {
    const open = await deps.promotions.open(caller.teamId, input.userId);
    return refuse('open-case', open ?? undefined);
  }
  return { kind: 'proposed', view: await caseView(deps, c, record) };
}

export type ReadOutcome = { kind: 'case'; view: CaseView } | CaseRefusal;

/** A case for someone allowed to read it (`read-case`): the person, their manager; an admin once it was sent on. */
export async function readCase(deps: PromotionDeps, caller: Caller, id: number): Promise<ReadOutcome> {
  const c = await deps.promotions.get(caller.teamId, id);
  if (!c) return refuse('gone');
  const record = await deps.teammates.teammates.get(caller.teamId, c.userId);
  if (!record || !(await caseDecision(deps, 'read-case', caller.userId, caseTarget(c, record))).allowed)
    return refuse('not-permitted');
  return { kind: 'case', view: await caseView(deps, c, record) };
}

export type NoteOutcome = { kind: 'noted'; view: CaseView } | CaseRefusal;

/** The person's own addition to their draft. */
export async function addPersonNote(
  deps: PromotionDeps,
  caller: Caller,
  id: number,
  note: string,
): Promise<NoteOutcome> {
  const c = await deps.promotions.addPersonNote(
    caller.teamId,
    id,
    caller.userId,
    note,
    deps.teammates.clock.now().toISOString(),
  );
  if (!c) return whyNotDraft(deps, caller, id);
  const record = await deps.teammates.teammates.get(caller.teamId, c.userId);
  return record ? { kind: 'noted', view: await caseView(deps, c, record) } : refuse('gone');
}

async function whyNotDraft(deps: PromotionDeps, caller: Caller, id: number): Promise<CaseRefusal> {
  const c = await deps.promotions.get(caller.teamId, id);
  if (!c) return refuse('gone');
  if (c.userId !== caller.userId) return refuse('not-permitted');
  return refuse('decided', c);
}

/** Where a sent case goes: the workspace's promotion channel, else the Ripple admins by DM. */
export type Destination = { kind: 'channel'; channelId: string } | { kind: 'admins'; admins: string[] };

/**
 * Where the person's case would go, said to them before they send it. The admins are CAREER_ADMINS, or when none
 * are set the Slack workspace admins and owners (the one admin rule); never the person themselves.
 */
export async function destinationOf(deps: PromotionDeps, caller: Caller): Promise<Destination> {
  const { channelId } = await deps.promotions.settings(caller.teamId);
  return channelId ? { kind: 'channel', channelId } : await adminsOf(deps, caller);
}

/** The Ripple admins a case goes to by DM: never the person it is about. */
export async function adminsOf(deps: PromotionDeps, caller: Caller): Promise<Extract<Destination, { kind: 'admins' }>> {
  const configured =
    deps.teammates.admins.length > 0 ? deps.teammates.admins : await deps.teammates.directory.workspaceAdmins();
  return { kind: 'admins', admins: (configured ?? []).filter((id) => id !== caller.userId) };
}

export type SendOutcome = { kind: 'sent'; view: CaseView; to: Destination } | CaseRefusal;

/** The person sends their draft on to `to`: once. */
export async function sendCase(deps: PromotionDeps, caller: Caller, id: number, to: Destination): Promise<SendOutcome> {
  const channelId = to.kind === 'channel' ? to.channelId : null;
  const c = await deps.promotions.send(
    caller.teamId,
    id,
    caller.userId,
    channelId,
    deps.teammates.clock.now().toISOString(),
  );
  if (!c) return whyNotDraft(deps, caller, id);
  const record = await deps.teammates.teammates.get(caller.teamId, c.userId);
  return record ? { kind: 'sent', view: await caseView(deps, c, record), to } : refuse('gone');
}

/** Checks shared by Approve and Decline: the case is sent and open, the caller an admin and not the person. */
async function decidable(
  deps: PromotionDeps,
  caller: Caller,
  id: number,
): Promise<{ c: PromotionCase; record: TeammateRecord } | CaseRefusal> {
  const c = await deps.promotions.get(caller.teamId, id);
  if (!c) return refuse('gone');
  if (!isOpen(c)) return refuse('decided', c);
  const record = await deps.teammates.teammates.get(caller.teamId, c.userId);
  if (!record) return refuse('gone');
  const decision = await caseDecision(deps, 'decide-case', caller.userId, caseTarget(c, record));
  if (!decision.allowed) return refuse(decision.reason === 'own-case' ? 'own-case' : 'not-permitted');
  if (c.status !== 'proposed') return refuse('not-permitted');
  // Someone recorded another level since the case was proposed: it no longer says what Approve would do.
  if (record.frameworkId !== c.frameworkId || record.levelId !== c.fromLevelId) return refuse('moved-on', c);
  return { c, record };
}

/** Whether the caller may decide the case now (Decline checks before opening its form); reads only. */
export async function checkDecidable(deps: PromotionDeps, caller: Caller, id: number): Promise<CaseRefusal | null> {
  const found = await decidable(deps, caller, id);
  return 'kind' in found ? found : null;
}

export type ApproveOutcome =
  | { kind: 'approved'; case: PromotionCase; set: SetOutcome }
  | CaseRefusal
  /** The person or a manager is no longer a teammate in Slack, or Slack could not say: nothing was recorded. */
  | Refusal;

/**
 * Approve: the case is claimed (once, whichever instance) and the new level recorded in the same unit of work,
 * through the confirmed path `/career set` takes; since = the decision date in the admin's time zone, or the date they give.
 */
export async function approveCase(
  deps: PromotionDeps,
  caller: Caller,
  id: number,
  /** The date the new level counts from, as typed ("2026-11-01", "1 Nov 2026"); the decision date when left out. */
  sinceText?: string,
): Promise<ApproveOutcome> {
  const found = await decidable(deps, caller, id);
  if ('kind' in found) return found;
  const { c, record } = found;
  const callerFound = await deps.teammates.directory.user(caller.userId);
  const now = deps.teammates.clock.now();
  const today = todayForZone(callerFound.ok ? callerFound.user.tz : null, now);
  let since = today;
  if (sinceText !== undefined) {
    // The rules of `/career set since`: a date read as it reads them, never in the future.
    const parsed = parseFriendlyDate(sinceText, today);
    if (!parsed.ok) return refused({ code: 'invalid-date', input: sinceText, error: parsed.error, command: 'set' });
    if (parsed.date > today) return refused({ code: 'future-since', date: parsed.date, today });
    since = parsed.date;
  }
  let decided: PromotionCase | null = null;
  const set = await applyConfirmed<CaseRefusal>(
    deps.teammates,
    caller,
    c.userId,
    { frameworkId: c.frameworkId, levelId: c.toLevelId, since, basedOn: recordFingerprint(record) },
    async (repos) => {
      decided = await repos.promotions.decide(caller.teamId, id, {
        status: 'approved',
        by: caller.userId,
        at: now.toISOString(),
        since,
      });
      return decided ? null : refuse('decided', (await repos.promotions.get(caller.teamId, id)) ?? undefined);
    },
  );
  if (set.kind === 'case-refused') return set;
  if (set.kind === 'refused') return set.code === 'pending-outdated' ? refuse('moved-on', c) : set;
  if (!decided) return refuse('moved-on', c);
  return { kind: 'approved', case: decided, set };
}

export type DeclineOutcome = { kind: 'declined'; case: PromotionCase; managerId: string | null } | CaseRefusal;

/** Decline with a note: the record stays as it is; the note is for the manager, who decides what to tell the person. */
export async function declineCase(
  deps: PromotionDeps,
  caller: Caller,
  id: number,
  note: string,
): Promise<DeclineOutcome> {
  const found = await decidable(deps, caller, id);
  if ('kind' in found) return found;
  const decided = await deps.promotions.decide(caller.teamId, id, {
    status: 'declined',
    by: caller.userId,
    at: deps.teammates.clock.now().toISOString(),
    note,
  });
  if (!decided) return refuse('decided', (await deps.promotions.get(caller.teamId, id)) ?? undefined);
  return { kind: 'declined', case: decided, managerId: found.record.managerId };
}

export type WithdrawOutcome = { kind: 'withdrawn'; case: PromotionCase } | CaseRefusal;

/**
 * Withdraw (the proposer, or an admin; never the person): an open case ends, once whichever instance takes the click,
 * so it no longer blocks a new proposal. The record does not change.
 */
export async function withdrawCase(deps: PromotionDeps, caller: Caller, id: number): Promise<WithdrawOutcome> {
  const c = await deps.promotions.get(caller.teamId, id);
  if (!c) return refuse('gone');
  const admin = caller.userId !== c.proposedBy && (await isRippleAdmin(deps.teammates, caller.userId));
  if (!mayWithdraw(c, caller.userId, admin)) return refuse('not-permitted');
  if (!isOpen(c)) return refuse('decided', c);
  const withdrawn = await deps.promotions.withdraw(
    caller.teamId,
    id,
    caller.userId,
    deps.teammates.clock.now().toISOString(),
  );
  if (!withdrawn) return refuse('decided', (await deps.promotions.get(caller.teamId, id)) ?? undefined);
  return { kind: 'withdrawn', case: withdrawn };
}

/** The caller's own cases, oldest first (the newest ten), for `/career history`. */
export async function ownCases(deps: PromotionDeps, caller: Caller): Promise<PromotionCase[]> {
  return deps.promotions.forPerson(caller.teamId, caller.userId, 10);
}

export type SettingsOutcome =
  | { kind: 'settings'; settings: PromotionSettings; changed?: 'channel' | 'threshold' }
  | CaseRefusal;

/**
 * `/career admin promotions`: where sent cases go and the threshold, shown or changed by an admin (the `decide-case`
 * row, on the workspace: the people who decide cases choose where they arrive). A channel is checked in Slack first.
 */
export async function promotionSettings(
  deps: PromotionDeps,
  caller: Caller,
  change?: { channelId: string | null } | { threshold: number | null },
): Promise<SettingsOutcome> {
  const admin = await isRippleAdmin(deps.teammates, caller.userId);
  // The target is the workspace: no person, so "not their own" always holds.
  if (!authorize('decide-case', { userId: caller.userId, isAdmin: admin }, { userId: '', managerId: null }).allowed)
    return refuse('not-permitted');
  const at = deps.teammates.clock.now().toISOString();
  if (change && 'channelId' in change)
    await deps.promotions.setChannel(caller.teamId, change.channelId, caller.userId, at);
  if (change && 'threshold' in change)
    await deps.promotions.setThreshold(caller.teamId, change.threshold, caller.userId, at);
  const settings = await deps.promotions.settings(caller.teamId);
  if (!change) return { kind: 'settings', settings };
  return { kind: 'settings', settings, changed: 'channelId' in change ? 'channel' : 'threshold' };
}
