import { addMonths, daysBetween, type IsoDate, isValidTimeZone, parseFriendlyDate } from '../career/dates.js';
import {
  type Action,
  type Actor,
  authorize,
  type Decision,
  PERMISSION_TABLE,
  type Target,
} from '../career/permissions.js';
import { isAdmin } from '../career/roles.js';
import { type PromotionWindow, promotionWindow, type StepStanding, stepStanding } from '../career/window.js';
import type { Mention } from '../commands/grammar.js';
import { USAGE } from '../commands/grammar.js';
import { isProblem, type Problem, resolveTeamAndLevel } from '../commands/lookup.js';
import type { Clock } from '../context.js';
import { type Catalog, findPath } from '../frameworks/catalog.js';
import { placeName, titleAt } from '../frameworks/describe.js';
import { normalize } from '../frameworks/match.js';
import type { Framework, Level } from '../frameworks/schema.js';
import { StateConflictError } from '../ports/errors.js';
import type { Repos, Stores } from '../ports/index.js';
import type { PendingChange, PendingChangeStore, PlannedChange } from '../ports/pending.js';
import type { TeammateExport, TeammateStore } from '../ports/teammates.js';
import type { CachedDirectory, Directory, DirectoryUser } from './directory.js';
import type { HistoryField, Pause, TeammateRecord } from './model.js';
import { type PersonRole, type Refusal, refused } from './refusals.js';
import {
  asOfToday,
  pauseHasEnded,
  type SlackPersonUpdate,
  todayForZone,
  userChangeEffect,
  whyNotATeammate,
} from './rules.js';

/**
 * What `/career set`, `me`, `who`, `pause`, `resume`, `export` and `forget` do, without Slack. Each
 * function takes exactly the dependencies it uses and returns a coded outcome; the Slack layer
 * words and renders it. Every check runs before the single store call that writes, so a refusal
 * changes nothing. Reading never writes.
 */

export interface TeammateDeps {
  teammates: TeammateStore;
  catalog: Catalog;
  clock: Clock;
  /** Who exists in Slack, who is a workspace admin, their time zone. */
  directory: Directory;
  /** Slack user ids from CAREER_ADMINS. Workspace admins and owners are admins too (from the directory). */
  admins: readonly string[];
  /** `set` changes waiting for their Confirm button. */
  pending: PendingChangeStore;
  /** Runs store calls as one transaction: an action's writes all land, or none (and it may run again). */
  unitOfWork: Stores['unitOfWork'];
}

export interface Caller {
  teamId: string;
  userId: string;
}

/** Everything a record card shows. */
export interface Card {
  record: TeammateRecord;
  framework?: Framework;
  level?: Level;
  nextSteps: Level[];
  window: PromotionWindow;
  today: IsoDate;
  daysAtLevel: number;
}

export type Viewer = 'self' | 'manager' | 'admin';

/** Everything a card shows, as of today in the person's time zone. Reads only. */
export async function buildCard(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>,
  stored: TeammateRecord,
  knownPauses?: readonly Pause[],
  today: IsoDate = todayForZone(stored.tz, deps.clock.now()),
): Promise<Card> {
  const storedPauses = knownPauses ?? (await deps.teammates.pauses(stored.teamId, stored.userId));
  const { record, pauses } = asOfToday(stored, storedPauses, today);
  const framework = deps.catalog.get(record.frameworkId);
  const level = framework ? deps.catalog.levelById(framework, record.levelId) : undefined;
  return {
    record,
    framework,
    level,
    nextSteps: framework && level ? deps.catalog.nextSteps(framework, level) : [],
    window: promotionWindow({ since: record.since, timeframe: level?.timeframe ?? null, pauses, today }),
    today,
    daysAtLevel: Math.max(0, daysBetween(record.since, today)),
  };
}

/**
 * Whether the person is a Ripple admin, by the one rule (`isAdmin`): the directory (users.info,
 * cached) is asked only when CAREER_ADMINS does not already name them. Slack unavailable: not an
 * admin, the safe side.
 */
export async function isRippleAdmin(
  deps: Pick<TeammateDeps, 'directory' | 'admins'>,
  userId: string,
): Promise<boolean> {
  if (isAdmin({ userId, configuredAdmins: deps.admins })) return true;
  const found = await deps.directory.user(userId);
  return found.ok && isAdmin({ userId, configuredAdmins: deps.admins, slackUser: found.user.roles });
}

/**
 * `isRippleAdmin` without waiting on Slack: undefined when only users.info can tell and its answer
 * is not in the cache, so a reply that must be quick can know whether it has to wait.
 */
export function isRippleAdminNow(
  deps: Pick<TeammateDeps, 'admins'> & { directory: Pick<CachedDirectory, 'peek'> },
  userId: string,
): boolean | undefined {
  if (isAdmin({ userId, configuredAdmins: deps.admins })) return true;
  const found = deps.directory.peek(userId);
  if (found === undefined) return undefined;
  return found.ok && isAdmin({ userId, configuredAdmins: deps.admins, slackUser: found.user.roles });
}

/**
 * The permission table's decision for the caller. The admin flag may cost a directory lookup, so it
 * is asked for only when the caller's other relations do not already decide.
 */
async function decide(
  deps: Pick<TeammateDeps, 'directory' | 'admins'>,
  action: Action,
  callerId: string,
  target: Target,
): Promise<Decision> {
  const first = authorize(action, { userId: callerId, isAdmin: false }, target);
  if (first.allowed || !PERMISSION_TABLE[action].admin) return first;
  const actor: Actor = { userId: callerId, isAdmin: await isRippleAdmin(deps, callerId) };
  return authorize(action, actor, target);
}

function targetOf(userId: string, record: TeammateRecord | null): Target {
  return { userId, managerId: record?.managerId ?? null, status: record?.status };
}

type Found = { ok: true; user: DirectoryUser } | { ok: false; refusal: Refusal };

/** A person named in a command, who must be a real teammate (active, human) to take `role`. */
async function teammateNamed(directory: Directory, mention: Mention, role: PersonRole): Promise<Found> {
  const found = await directory.user(mention.userId);
  if (!found.ok) {
    return {
      ok: false,
      refusal:
        found.reason === 'not-found'
          ? refused({ code: 'user-not-found', user: mention, role })
          : refused({ code: 'slack-unavailable', user: mention }),
    };
  }
  const why = whyNotATeammate(found.user);
  if (why !== null) return { ok: false, refusal: refused({ code: 'not-a-teammate', user: mention, role, why }) };
  return { ok: true, user: found.user };
}

const TZ_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Keeps the stored time zone current (it decides "today" and reminder times): the record as it is
 * after, read again only when the zone was written.
 */
export async function rememberTimeZone(
  deps: Pick<TeammateDeps, 'teammates' | 'clock'>,
  record: TeammateRecord,
  tz: string | null,
): Promise<TeammateRecord> {
  if (tz === null || !isValidTimeZone(tz)) return record;
  const fresh = record.tzFetchedAt && deps.clock.now().getTime() - Date.parse(record.tzFetchedAt) < TZ_MAX_AGE_MS;
  if (record.tz === tz && fresh) return record;
  await deps.teammates.setTimeZone(record.teamId, record.userId, tz, deps.clock.now().toISOString());
  return (await deps.teammates.get(record.teamId, record.userId)) ?? record;
}

/**
 * What a change means for the person: their first record, a step forward on their path, a lower level (or a
 * step across to a track not reached from here), another team's framework, or the same level (only the manager,
 * the date or the title changed).
 */
export type LevelChange = 'first' | 'up' | 'lower' | 'other-team' | 'same';

/** The one rule for "is this a promotion": forward along the framework's own paths. */
export function levelChangeOf(
  catalog: Catalog,
  before: Pick<TeammateRecord, 'frameworkId' | 'levelId'> | null,
  after: Pick<TeammateRecord, 'frameworkId' | 'levelId'>,
): LevelChange {
  if (!before) return 'first';
  if (before.frameworkId !== after.frameworkId) return 'other-team';
  if (before.levelId === after.levelId) return 'same';
  const framework = catalog.get(after.frameworkId);
  const from = framework ? catalog.levelById(framework, before.levelId) : undefined;
  const to = framework ? catalog.levelById(framework, after.levelId) : undefined;
  return framework && from && to && findPath(framework, from, to) !== undefined ? 'up' : 'lower';
}

/** Why a `set` waits for a confirmation: each can erase time or move someone without them noticing a typo. */
export type PreviewReason = 'lower-level' | 'other-team' | 'since-reset' | 'manager';

/** What a `set` that needs a confirmation would do, shown before anything is written. */
export interface SetPreview {
  /** The pending change's id, for the Confirm and Cancel buttons. */
  id: string;
  userId: string;
  before: Card;
  after: { framework: Framework; level: Level; since: IsoDate; managerId: string | null };
  reasons: PreviewReason[];
  /** Who gets a DM once it is confirmed (the person, their manager, a new manager, a former one), never the caller. */
  told: string[];
  /** The note for the person, as typed (`note "…"`). */
  note?: string;
}

export type SetOutcome =
  | {
      kind: 'set';
      before: TeammateRecord | null;
      card: Card;
      changed: HistoryField[];
      actorId: string;
      /** Who gets a DM about it, never the caller: the person, their manager, a new manager, a former one. */
      told: string[];
      /** What the change means for the person, for the words of their DM. */
      levelChange: LevelChange;
      /** The note the person making the change wrote for them (`note "…"`), if any. */
      note?: string;
    }
  | { kind: 'unchanged'; card: Card }
  | { kind: 'preview'; preview: SetPreview }
  | Refusal;

export interface SetCommand {
  user: Mention;
  words: string[];
  since?: string;
  manager?: Mention | null;
  note?: string;
}

/**
 * The team, the level and, where the person holds one of several titles or a title naming their
 * area, that title: `marketing "Social Media Marketer"`, `marketing 5 "Head of Content"`.
 */
function resolveSetWords(catalog: Catalog, words: readonly string[]): (TeamAndLevel & { title?: string }) | Problem {
  const found = resolveTeamAndLevel(catalog, words, undefined, USAGE.set);
  if (!isProblem(found)) {
    if (found.level.titles.length < 2) return found;
    // The words named one title of several: that is the person's.
    const typed = normalize(words.join(' '));
    const title = found.level.titles.find((t) => typed.endsWith(normalize(t)) || typed.startsWith(normalize(t)));
    return title ? { ...found, title } : found;
  }
  const last = words.at(-1);
  if (words.length < 3 || last === undefined) return found;
  const head = resolveTeamAndLevel(catalog, words.slice(0, -1), undefined, USAGE.set);
  if (isProblem(head)) return found;
  const title = titleAt(head.level, last);
  if (title) return { ...head, title };
  return {
    kind: 'problem',
    message: `"${last}" isn't a title of ${placeName(head.framework, head.level)}.`,
    hint: head.level.titles.some((t) => /(…|\.\.\.)$/.test(t))
      ? `Its title names the area: ${head.level.titles.join(' / ').replace(/\s*(…|\.\.\.)/, ' <area>')}.`
      : `Its titles: ${head.level.titles.join(', ')}.`,
    usage: USAGE.set,
  };
}

type TeamAndLevel = { framework: Framework; level: Level };

/** `set @x manager @y` names no team or level: the record's own, title included; a first record needs them. */
function keptLevel(catalog: Catalog, existing: TeammateRecord | null): (TeamAndLevel & { title?: string }) | Problem {
  const framework = existing ? catalog.get(existing.frameworkId) : undefined;
  const level = existing && framework ? catalog.levelById(framework, existing.levelId) : undefined;
  if (existing && framework && level) return { framework, level, ...(existing.title ? { title: existing.title } : {}) };
  return {
    kind: 'problem',
    message: existing
      ? 'Their level is no longer in the framework files, so say which team and level to record.'
      : "They don't have a career record yet: a first record needs a team and a level.",
    usage: USAGE.set,
    example: '/career set @person marketing 2 manager @manager',
  };
}

/** A `set` resolved and checked, not yet written. */
interface PlannedSet {
  existing: TeammateRecord | null;
  framework: Framework;
  level: Level;
  change: PlannedChange;
  targetTz: string | null;
}

/** What a preview was based on: a record whose fields differ now makes the preview wrong. */
export function recordFingerprint(record: TeammateRecord | null): string | null {
  if (!record) return null;
  return JSON.stringify([
    record.frameworkId,
    record.levelId,
    record.since,
    record.managerId,
    record.status,
    record.title,
  ]);
}

/** How long a preview's Confirm button works. */
export const PENDING_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

/** Every check of `set`, in order, with no write: a refusal, or the change to make. */
async function planSet(deps: TeammateDeps, caller: Caller, command: SetCommand): Promise<PlannedSet | Refusal> {
  const existing = await deps.teammates.get(caller.teamId, command.user.userId);
  const decision = await decide(deps, 'set-record', caller.userId, targetOf(command.user.userId, existing));
  if (!decision.allowed) {
    return command.user.userId === caller.userId
      ? refused({ code: 'set-own-level' })
      : refused({ code: 'set-not-permitted', user: command.user });
  }
  const target = await teammateNamed(deps.directory, command.user, 'teammate');
  if (!target.ok) return target.refusal;

  const found =
    command.words.length === 0 ? keptLevel(deps.catalog, existing) : resolveSetWords(deps.catalog, command.words);
  if (isProblem(found)) return refused({ code: 'lookup', problem: found });

  const callerFound = await deps.directory.user(caller.userId);
  const today = todayForZone(callerFound.ok ? callerFound.user.tz : null, deps.clock.now());
  // "since" moves only when the level does, or when it is given: changing only the manager must not
  // restart someone's window.
  const sameLevel = existing?.frameworkId === found.framework.id && existing.levelId === found.level.id;
  let since: IsoDate = sameLevel && existing ? existing.since : today;
  if (command.since !== undefined) {
    const parsed = parseFriendlyDate(command.since, today);
    if (!parsed.ok) return refused({ code: 'invalid-date', input: command.since, error: parsed.error, command: 'set' });
    if (parsed.date > today) return refused({ code: 'future-since', date: parsed.date, today });
    since = parsed.date;
  }

  let managerId: string | null | undefined;
  if (command.manager === null) managerId = null;
  else if (command.manager !== undefined) {
    if (command.manager.userId === command.user.userId) return refused({ code: 'own-manager' });
    const manager = await teammateNamed(deps.directory, command.manager, 'manager');
    if (!manager.ok) return manager.refusal;
    managerId = command.manager.userId;
  }
  return {
    existing,
    framework: found.framework,
    level: found.level,
    targetTz: target.user.tz,
    change: {
      frameworkId: found.framework.id,
      levelId: found.level.id,
      since,
      ...(managerId !== undefined ? { managerId } : {}),
      ...(found.title ? { title: found.title } : {}),
      ...(command.note ? { note: command.note } : {}),
      basedOn: recordFingerprint(existing),
    },
  };
}

/**
 * Why the planned change needs a confirmation; empty when it may go straight through (a new record,
 * a step forward on the person's path, a date or a manager given for the first time).
 */
export function previewReasons(
  catalog: Catalog,
  existing: TeammateRecord | null,
  plan: PlannedChange,
): PreviewReason[] {
  if (!existing) return [];
  const reasons: PreviewReason[] = [];
  const change = levelChangeOf(catalog, existing, plan);
  if (change === 'other-team') reasons.push('other-team');
  else if (change === 'same') {
    if (existing.since !== plan.since) reasons.push('since-reset');
  } else if (change === 'lower') reasons.push('lower-level');
  if (plan.managerId !== undefined && plan.managerId !== existing.managerId) reasons.push('manager');
  return reasons;
}

/**
 * Who is told about a change, never the person who made it: the person; their manager when their level or team
 * changes; a new manager and a former one.
 */
function toldAbout(
  callerId: string,
  userId: string,
  managerBefore: string | null,
  managerAfter: string | null,
  levelChanged: boolean,
) {
  const told = [userId];
  if (levelChanged && managerAfter) told.push(managerAfter);
  if (managerAfter !== managerBefore) {
    if (managerAfter) told.push(managerAfter);
    if (managerBefore) told.push(managerBefore);
  }
  return [...new Set(told)].filter((id) => id !== callerId);
}

async function applyPlan(
  deps: TeammateDeps,
  caller: Caller,
  userId: string,
  change: PlannedChange,
  targetTz: string | null,
): Promise<SetOutcome> {
  const { basedOn: _basedOn, ...fields } = change;
  // One unit: the record and its zone together. A lock met by the second write used to leave the first
  // written, and the retry then answered "unchanged" and told nobody.
  const { result, after } = await deps.unitOfWork.run(async (repos) => {
    const inUnit = { ...deps, teammates: repos.teammates };
    const result = await repos.teammates.upsert({
      teamId: caller.teamId,
      userId,
      ...fields,
      changedBy: caller.userId,
      at: deps.clock.now().toISOString(),
    });
    return { result, after: await rememberTimeZone(inUnit, result.after, targetTz) };
  });
  const card = await buildCard(deps, after);
  if (result.changed.length === 0) return { kind: 'unchanged', card };
  const levelChange = levelChangeOf(deps.catalog, result.before, after);
  const levelChanged = levelChange !== 'same' && levelChange !== 'first';
  const told = toldAbout(caller.userId, userId, result.before?.managerId ?? null, after.managerId, levelChanged);
  return {
    kind: 'set',
    before: result.before,
    card,
    changed: result.changed,
    actorId: caller.userId,
    told,
    levelChange,
    ...(change.note ? { note: change.note } : {}),
  };
}

/**
 * `/career set`. A change that could erase time or move someone by mistake (a lower level, another
 * team, a new "since" on the same level, another manager) is kept as pending and returned as a
 * preview; {@link confirmSet} applies it. Anything else is written at once.
 */
export async function setRecord(deps: TeammateDeps, caller: Caller, command: SetCommand): Promise<SetOutcome> {
  const plan = await planSet(deps, caller, command);
  if ('kind' in plan) return plan;
  const userId = command.user.userId;
  const reasons = previewReasons(deps.catalog, plan.existing, plan.change);
  if (reasons.length === 0 || !plan.existing) return applyPlan(deps, caller, userId, plan.change, plan.targetTz);
  const existing = plan.existing;
  const managerAfter = plan.change.managerId === undefined ? existing.managerId : plan.change.managerId;
  const id = await deps.pending.add({
    teamId: caller.teamId,
    requestedBy: caller.userId,
    userId,
    change: plan.change,
    createdAt: deps.clock.now().toISOString(),
  });
  return {
    kind: 'preview',
    preview: {
      id,
      userId,
      before: await buildCard(deps, existing),
      after: { framework: plan.framework, level: plan.level, since: plan.change.since, managerId: managerAfter },
      reasons,
      told: toldAbout(
        caller.userId,
        userId,
        existing.managerId,
        managerAfter,
        levelChangeOf(deps.catalog, existing, plan.change) !== 'same',
      ),
      ...(plan.change.note ? { note: plan.change.note } : {}),
    },
  };
}

/**
 * Confirm on a preview: works once, for the person who asked, while the record is as it was when the
 * preview was shown. Permission and the people involved are checked again: the click may come late.
 */
export async function confirmSet(deps: TeammateDeps, caller: Caller, pendingId: string): Promise<SetOutcome> {
  // Looked at, not taken: Slack is asked first, then the change is taken and applied in one unit, so a
  // lock met on the way leaves the change waiting and a retry applies it (it used to say "already
  // confirmed or cancelled" and lose it).
  const taken = await waitingPending(deps, caller, pendingId);
  if ('kind' in taken) return taken;
  const existing = await deps.teammates.get(caller.teamId, taken.userId);
  if (recordFingerprint(existing) !== taken.change.basedOn) return refused({ code: 'pending-outdated' });
  const decision = await decide(deps, 'set-record', caller.userId, targetOf(taken.userId, existing));
  if (!decision.allowed) return refused({ code: 'set-not-permitted', user: { userId: taken.userId } });
  return applyConfirmed(deps, caller, taken.userId, taken.change, async (repos) => {
    const now = await takePending({ ...deps, pending: repos.pending }, caller, pendingId);
    return 'kind' in now ? now : null;
  });
}

/**
 * The one path a confirmed change takes to the record: a set preview's Confirm, and an approved promotion case. The
 * people it names must still be teammates and the level still in the files; then, in one unit of work, `claim` takes
 * the confirmation (once: a refusal from it writes nothing) and the change is applied while the record is still as
 * `change.basedOn` says. The caller checks permission first.
 */
export async function applyConfirmed<Unclaimed extends { kind: string } = Refusal>(
  deps: TeammateDeps,
  caller: Caller,
  userId: string,
  change: PlannedChange,
  claim: (repos: Repos) => Promise<Unclaimed | null>,
): Promise<SetOutcome | Unclaimed> {
  const target = await teammateNamed(deps.directory, { userId }, 'teammate');
  if (!target.ok) return target.refusal;
  if (change.managerId) {
    const manager = await teammateNamed(deps.directory, { userId: change.managerId }, 'manager');
    if (!manager.ok) return manager.refusal;
  }
  const framework = deps.catalog.get(change.frameworkId);
  if (!framework || !deps.catalog.levelById(framework, change.levelId)) return refused({ code: 'pending-outdated' });
  return deps.unitOfWork
    .run(async (repos): Promise<SetOutcome | Unclaimed> => {
      const inUnit = { ...deps, teammates: repos.teammates, pending: repos.pending };
      const claimed = await claim(repos);
      if (claimed) return claimed;
      // Changed by someone else while Slack was asked: what was confirmed no longer says what would happen.
      if (recordFingerprint(await repos.teammates.get(caller.teamId, userId)) !== change.basedOn) {
        throw new ConfirmedChangeOutdated();
      }
      return applyPlan(inUnit, caller, userId, change, target.user.tz);
    })
    .catch((err: unknown) => {
      if (err instanceof ConfirmedChangeOutdated) return refused({ code: 'pending-outdated' });
      throw err;
    });
}

/** Thrown inside the unit so that the claim is rolled back with it: an outdated change keeps its confirmation. */
class ConfirmedChangeOutdated extends Error {}

/** Cancel on a preview: forgets the pending change (only the person who asked may). */
export async function cancelSet(
  deps: Pick<TeammateDeps, 'pending' | 'clock'>,
  caller: Caller,
  pendingId: string,
): Promise<{ kind: 'cancelled' } | Refusal> {
  const taken = await takePending(deps, caller, pendingId);
  return 'kind' in taken ? taken : { kind: 'cancelled' };
}

/** The pending change the caller may still confirm, left where it is; or why not. */
async function waitingPending(
  deps: Pick<TeammateDeps, 'pending' | 'clock'>,
  caller: Caller,
  pendingId: string,
): Promise<PendingChange | Refusal> {
  const waiting = await deps.pending.get(caller.teamId, pendingId);
  if (waiting && waiting.requestedBy === caller.userId && waiting.createdAt >= pendingNotBefore(deps)) return waiting;
  return whyNotPending(deps, caller, pendingId);
}

function pendingNotBefore(deps: Pick<TeammateDeps, 'clock'>): string {
  return new Date(deps.clock.now().getTime() - PENDING_CHANGE_TTL_MS).toISOString();
}

async function takePending(
  deps: Pick<TeammateDeps, 'pending' | 'clock'>,
  caller: Caller,
  pendingId: string,
): Promise<PendingChange | Refusal> {
  const taken = await deps.pending.take(caller.teamId, pendingId, caller.userId, pendingNotBefore(deps));
  if (taken) return taken;
  return whyNotPending(deps, caller, pendingId);
}

async function whyNotPending(deps: Pick<TeammateDeps, 'pending'>, caller: Caller, pendingId: string): Promise<Refusal> {
  const waiting = await deps.pending.get(caller.teamId, pendingId);
  if (waiting && waiting.requestedBy !== caller.userId)
    return refused({ code: 'pending-not-yours', requestedBy: waiting.requestedBy });
  return refused({ code: 'pending-gone' });
}

export type ReadOutcome =
  | { kind: 'card'; card: Card; viewer: Viewer }
  | { kind: 'no-record'; self: boolean; userId: string }
  | Refusal;

/** `/career me`: the caller's own card. Reads the database only, so it can answer at once. */
export async function showMe(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>,
  caller: Caller,
): Promise<ReadOutcome> {
  const own = await readOwn(deps, caller);
  return own.kind === 'found' ? await ownCard(deps, own) : own.outcome;
}

/** The caller's own record and pauses (one read), or what to say instead: no record, or not permitted. */
export type OwnRecord =
  | { kind: 'found'; record: TeammateRecord; pauses: Pause[] }
  | { kind: 'answered'; outcome: ReadOutcome };

export async function readOwn(deps: Pick<TeammateDeps, 'teammates'>, caller: Caller): Promise<OwnRecord> {
  const found = await deps.teammates.getWithPauses(caller.teamId, caller.userId);
  if (!found) return { kind: 'answered', outcome: { kind: 'no-record', self: true, userId: caller.userId } };
  const { record, pauses } = found;
  const decision = authorize('read-record', { userId: caller.userId, isAdmin: false }, targetOf(caller.userId, record));
  if (!decision.allowed) {
    return { kind: 'answered', outcome: refused({ code: 'read-not-permitted', user: { userId: caller.userId } }) };
  }
  return { kind: 'found', record, pauses };
}

/** The caller's card from what `readOwn` found. */
export async function ownCard(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>,
  own: Extract<OwnRecord, { kind: 'found' }>,
): Promise<ReadOutcome> {
  return { kind: 'card', card: await buildCard(deps, own.record, own.pauses), viewer: 'self' };
}

/**
 * Everything the caller's card depends on besides the frameworks (loaded once): the record, its pauses and the
 * day in the person's zone. Two equal keys make the same card, so its rendering may be reused.
 */
export function ownCardKey(deps: Pick<TeammateDeps, 'clock'>, own: Extract<OwnRecord, { kind: 'found' }>): string {
  return `${todayForZone(own.record.tz, deps.clock.now())}|${JSON.stringify(own.record)}|${JSON.stringify(own.pauses)}`;
}

export async function showWho(deps: TeammateDeps, caller: Caller, user: Mention): Promise<ReadOutcome> {
  const record = await deps.teammates.get(caller.teamId, user.userId);
  const decision = await decide(deps, 'read-record', caller.userId, targetOf(user.userId, record));
  // Refuse before saying whether a record exists: that a record exists is itself private.
  if (!decision.allowed) return refused({ code: 'read-not-permitted', user });
  if (!record) return { kind: 'no-record', self: user.userId === caller.userId, userId: user.userId };
  return { kind: 'card', card: await buildCard(deps, record), viewer: decision.as === 'other' ? 'admin' : decision.as };
}

/**
 * Where a person stands with their window, in a word, for every surface (card, `/career team`, Home, digest): a
 * pause first, then the one rule of `stepStanding`, so an optional step past its usual window is a 'choice',
 * never 'past'.
 */
export type WindowState = StepStanding | 'paused';

export function windowState(card: Card): WindowState {
  if (card.record.status === 'paused') return 'paused';
  return stepStanding(card.window, isOptionalStep(card));
}

/** Whether the card's next step is optional (the framework's `timeframe.optional`): a choice, not an expectation. */
export function isOptionalStep(card: Card): boolean {
  return card.level?.timeframe?.optional ?? false;
}

export type TeamOutcome = { kind: 'team'; managerId: string; self: boolean; reports: Card[] } | Refusal;

/**
 * `/career team [@manager]`: the manager's reports (people who have left Slack are left out), each
 * as a card. A manager lists their own; an admin anyone's (the `read-team` row).
 */
export async function showTeam(deps: TeammateDeps, caller: Caller, manager?: Mention): Promise<TeamOutcome> {
  const managerId = manager?.userId ?? caller.userId;
  const decision = await decide(deps, 'read-team', caller.userId, { userId: managerId, managerId: null });
  if (!decision.allowed) return refused({ code: 'team-not-permitted' });
  return {
    kind: 'team',
    managerId,
    self: managerId === caller.userId,
    reports: await reportsOf(deps, caller.teamId, managerId),
  };
}

/**
 * The cards of a manager's current reports, in order of their ids: the first `limit`, or all. Reads only, in one
 * statement, and works out each time zone's "today" once: a list of 400 costs what it shows.
 */
export async function reportsOf(
  deps: Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>,
  teamId: string,
  managerId: string,
  limit?: number,
): Promise<Card[]> {
  const now = deps.clock.now();
  const todays = new Map<string | null, IsoDate>();
  const todayOf = (tz: string | null) => {
    const known = todays.get(tz);
    if (known !== undefined) return known;
    const today = todayForZone(tz, now);
    todays.set(tz, today);
    return today;
  };
  const reports = await deps.teammates.reports(teamId, managerId, limit);
  return Promise.all(reports.map(({ record, pauses }) => buildCard(deps, record, pauses, todayOf(record.tz))));
}

export type PauseOutcome =
  | { kind: 'paused' | 'resumed'; card: Card }
  /** A return date more than a year ahead, likely a typo for a nearer one: asked about first. */
  | { kind: 'confirm-pause'; until: IsoDate }
  | Refusal;

/** How far ahead a return date may be without a confirmation. */
export const FAR_RETURN_MONTHS = 12;

type PauseDeps = Pick<TeammateDeps, 'teammates' | 'catalog' | 'clock'>;

/** The caller's record for pause/resume, as of today (a pause whose return date came is over). */
async function ownRecordToday(
  deps: PauseDeps,
  caller: Caller,
): Promise<{ record: TeammateRecord; today: IsoDate } | null> {
  const stored = await deps.teammates.get(caller.teamId, caller.userId);
  if (!stored) return null;
  const today = todayForZone(stored.tz, deps.clock.now());
  await settleIfEnded(deps, stored, today);
  return { record: (await deps.teammates.get(caller.teamId, caller.userId)) ?? stored, today };
}

export async function pause(
  deps: PauseDeps,
  caller: Caller,
  until?: string,
  farReturnConfirmed = false,
): Promise<PauseOutcome> {
  const own = await ownRecordToday(deps, caller);
  if (!own) return refused({ code: 'no-record', command: 'pause' });
  if (!authorize('pause-self', { userId: caller.userId, isAdmin: false }, targetOf(caller.userId, own.record)).allowed)
    return refused({ code: 'read-not-permitted', user: { userId: caller.userId } });
  let untilDate: IsoDate | undefined;
  if (until !== undefined) {
    const parsed = parseFriendlyDate(until, own.today);
    if (!parsed.ok) return refused({ code: 'invalid-date', input: until, error: parsed.error, command: 'pause' });
    if (parsed.date <= own.today)
      return refused({ code: 'return-not-after-today', date: parsed.date, today: own.today });
    untilDate = parsed.date;
    if (!farReturnConfirmed && untilDate > addMonths(own.today, FAR_RETURN_MONTHS))
      return { kind: 'confirm-pause', until: untilDate };
  }
  try {
    const after = await deps.teammates.pause(caller.teamId, caller.userId, {
      start: own.today,
      ...(untilDate ? { until: untilDate } : {}),
      changedBy: caller.userId,
      at: deps.clock.now().toISOString(),
    });
    return { kind: 'paused', card: await buildCard(deps, after) };
  } catch (err) {
    if (err instanceof StateConflictError)
      return refused({ code: 'state-conflict', conflict: err.conflict, command: 'pause' });
    throw err;
  }
}

export async function resume(deps: PauseDeps, caller: Caller): Promise<PauseOutcome> {
  const own = await ownRecordToday(deps, caller);
  if (!own) return refused({ code: 'no-record', command: 'resume' });
  if (!authorize('pause-self', { userId: caller.userId, isAdmin: false }, targetOf(caller.userId, own.record)).allowed)
    return refused({ code: 'read-not-permitted', user: { userId: caller.userId } });
  try {
    const after = await deps.teammates.resume(caller.teamId, caller.userId, {
      on: own.today,
      changedBy: caller.userId,
      at: deps.clock.now().toISOString(),
    });
    return { kind: 'resumed', card: await buildCard(deps, after) };
  } catch (err) {
    if (err instanceof StateConflictError)
      return refused({ code: 'state-conflict', conflict: err.conflict, command: 'resume' });
    throw err;
  }
}

/** Writes the end of a pause whose return date has come (see `asOfToday` for the same rule, read-only). */
async function settleIfEnded(
  deps: Pick<TeammateDeps, 'teammates' | 'clock'>,
  record: TeammateRecord,
  today: IsoDate,
): Promise<boolean> {
  if (!pauseHasEnded(record, today)) return false;
  await deps.teammates.resume(record.teamId, record.userId, {
    on: record.pausedUntil,
    changedBy: 'ripple:pause-ended',
    at: deps.clock.now().toISOString(),
    note: `Back on ${record.pausedUntil}, the date given when pausing`,
  });
  return true;
}

/**
 * The maintenance step that writes what `asOfToday` already shows: every pause whose return date has
 * come, in each person's own time zone, is ended on that date; every one, or (with `page`) one slice
 * of at most `page.limit` after `page.after`. `last` is the last record read, the next slice's `after`.
 */
export async function settleEndedPauses(
  deps: Pick<TeammateDeps, 'teammates' | 'clock'>,
  page?: { after: TeammateRecord | null; limit: number },
): Promise<{ settled: number; read: number; last: TeammateRecord | null }> {
  const now = deps.clock.now();
  // The latest "today" anywhere on Earth (UTC+14) bounds the query; each record is then checked in its own zone.
  const latestToday = todayForZone('Pacific/Kiritimati', now);
  let settled = 0;
  const paused = await deps.teammates.pausedWithReturnBy(latestToday, page);
  for (const record of paused) {
    if (await settleIfEnded(deps, record, todayForZone(record.tz, now))) settled++;
  }
  return { settled, read: paused.length, last: paused.at(-1) ?? null };
}

/** What a `user_change` from Slack means for the person's record: a new time zone, leaving, or nothing. */
export async function applySlackPersonUpdate(
  deps: Pick<TeammateDeps, 'teammates' | 'clock'>,
  person: Caller,
  update: SlackPersonUpdate,
): Promise<{ tzChanged: boolean; left: boolean }> {
  const record = await deps.teammates.get(person.teamId, person.userId);
  if (!record) return { tzChanged: false, left: false };
  const effect = userChangeEffect(record, update);
  const at = deps.clock.now().toISOString();
  if (effect.tz !== undefined) await deps.teammates.setTimeZone(person.teamId, person.userId, effect.tz, at);
  if (effect.leave) {
    await deps.teammates.setStatus(person.teamId, person.userId, {
      status: 'left',
      changedBy: 'slack:user_change',
      at,
      note: 'Deactivated in Slack',
    });
  }
  return { tzChanged: effect.tz !== undefined, left: effect.leave };
}

/** The most asks and promotion cases an export carries (the newest): far above what a person keeps. */
export const EXPORTED_ASKS_MAX = 1000;
export const EXPORTED_CASES_MAX = 100;

export type ExportOutcome =
  | { kind: 'export'; data: TeammateExport; exportedAt: string }
  | { kind: 'no-record'; self: true; userId: string };

export async function exportData(
  deps: Pick<TeammateDeps, 'clock' | 'unitOfWork'>,
  caller: Caller,
): Promise<ExportOutcome> {
  // One unit: the record, its history, its pauses, its check-ins, the evidence log, the asks and the cases as one
  // consistent read, which waits for no writer (a backup, an import): it only reads.
  const data = await deps.unitOfWork.run(
    async (repos): Promise<TeammateExport | null> => {
      const own = await repos.teammates.export(caller.teamId, caller.userId);
      return (
        own && {
          ...own,
          checkins: await repos.checkins.all(caller.teamId, caller.userId),
          evidence: await repos.evidence.all(caller.teamId, caller.userId),
          // Asks are deleted 30 days after they close and a person has one case open at a time: both stay small.
          asks: (await repos.evidenceAsks.page(caller.teamId, caller.userId, EXPORTED_ASKS_MAX)).reverse(),
          cases: await repos.promotions.forPerson(caller.teamId, caller.userId, EXPORTED_CASES_MAX),
        }
      );
    },
    { readOnly: true },
  );
  const allowed =
    data !== null &&
    authorize('export-self', { userId: caller.userId, isAdmin: false }, targetOf(caller.userId, data.record)).allowed;
  return data && allowed
    ? { kind: 'export', data, exportedAt: deps.clock.now().toISOString() }
    : { kind: 'no-record', self: true, userId: caller.userId };
}

export type ForgetCheck =
  | { kind: 'confirm'; targetId: string; self: boolean }
  | { kind: 'no-record'; self: boolean; userId: string }
  | Refusal;

/** Whether the caller may delete the target's data; the deletion itself waits for a confirmation. */
export async function checkForget(
  deps: Pick<TeammateDeps, 'teammates' | 'directory' | 'admins'>,
  caller: Caller,
  targetId: string,
): Promise<ForgetCheck> {
  const self = targetId === caller.userId;
  const record = await deps.teammates.get(caller.teamId, targetId);
  const action = self ? 'forget-self' : 'forget-other';
  const decision = await decide(deps, action, caller.userId, targetOf(targetId, record));
  if (!decision.allowed && decision.reason === 'not-permitted') return refused({ code: 'forget-not-permitted' });
  if (!record) return { kind: 'no-record', self, userId: targetId };
  if (!decision.allowed) return refused({ code: 'forget-target-not-left', userId: targetId, status: record.status });
  return { kind: 'confirm', targetId, self };
}

export async function forget(
  deps: Pick<TeammateDeps, 'teammates' | 'directory' | 'admins' | 'pending' | 'unitOfWork'>,
  caller: Caller,
  targetId: string,
): Promise<{ kind: 'forgotten'; deleted: number; self: boolean } | ForgetCheck> {
  // Checked again on confirmation: the button may be pressed long after it was shown.
  const check = await checkForget(deps, caller, targetId);
  if (check.kind !== 'confirm') return check;
  // One unit: everything Ripple holds about the person, on either engine. The check-ins, the record (its
  // history and pauses), the changes still waiting for Confirm (they name the person too), the reminder
  // plan and ledger, growth preferences, the evidence log, promotion cases about them, the digests sent to them and the zone their digest plan kept.
  // Apart, a lock met by a later write left the rest behind and the retry answered "no record". Check-ins
  // first: they refer to the record.
  const deleted = await deps.unitOfWork.run(async (repos) => {
    const checkins = await repos.checkins.forget(caller.teamId, targetId);
    const evidence = await repos.evidence.forgetUser(caller.teamId, targetId);
    // Their asks to colleagues, with any answer not yet kept (asks they were asked are the askers').
    const asks = await repos.evidenceAsks.forgetUser(caller.teamId, targetId);
    const cases = await repos.promotions.forgetUser(caller.teamId, targetId);
    const { deleted: own } = await repos.teammates.forget(caller.teamId, targetId);
    await repos.pending.forgetUser(caller.teamId, targetId);
    const reminders = await repos.reminders.forget(caller.teamId, targetId);
    const growth = await repos.growth.forget(caller.teamId, targetId);
    return checkins + evidence + asks + cases + own + reminders + growth;
  });
  return { kind: 'forgotten', deleted, self: check.self };
}
