import { createHash } from 'node:crypto';
import { addDays, type IsoDate, maxDate } from '../career/dates.js';
import { isPastExpectedWindow, promotionWindow, titlesForPeople } from '../career/window.js';
import type { Clock } from '../context.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { Level } from '../frameworks/schema.js';
import type { Delivery, Notice, NoticeSender } from '../notify/port.js';
import type { CheckinStore } from '../ports/checkins.js';
import type { GrowthStore } from '../ports/growth.js';
import type { LedgerEntry, PlanInput, ReminderKey, ReminderStore, SentMark } from '../ports/reminders.js';
import type { ChangeCursor, TeammateStore } from '../ports/teammates.js';
import type { Pause, TeammateRecord, Timestamp } from '../teammates/model.js';
import { asOfToday } from '../teammates/rules.js';
import {
  DEFAULT_DELIVERY,
  DEFAULT_POLICY,
  type DeliverySchedule,
  localDate,
  type NextReminder,
  nextDeliveryInstant,
  nextReminder,
  type ReminderPolicy,
} from './schedule.js';
import type { ReminderView } from './views.js';

/**
 * The reminder engine: each tick re-plans the teammates whose record changed, then reads what is
 * due through the plan's index and sends it. Every send is claimed in the ledger first, under a key
 * unique per (workspace, person, kind, window), so a reminder goes out at most once whatever
 * happens to the process; a failure is handled per message and never holds up the others.
 */

export interface ReminderSettings {
  schedule: DeliverySchedule;
  policy: ReminderPolicy;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { schedule: DEFAULT_DELIVERY, policy: DEFAULT_POLICY };

/** How reminders reach people: the notifier port's `deliver`. */
export type ReminderSender = Pick<NoticeSender, 'deliver'>;

export interface ReminderDeps {
  teammates: Pick<TeammateStore, 'get' | 'pauses'>;
  reminders: ReminderStore;
  catalog: Catalog;
  clock: Clock;
  sender: ReminderSender;
  settings: ReminderSettings;
  /** Per-person growth preferences: `/career nudges optional off` stops reminders about an optional step. */
  preferences?: Pick<GrowthStore, 'preferences'>;
  /** When the person last finished a check-in: it counts as a prompt (see `nextPromptOn`). */
  checkins: Pick<CheckinStore, 'lastFinishedAt'>;
  /** Waits out a rate limit; tests pass one that moves their clock instead. */
  sleep(ms: number): Promise<void>;
  log: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

/** Slack errors that mean the person cannot be reached: mark them and move on. */
export const UNREACHABLE_ERRORS: ReadonlySet<string> = new Set([
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
]);

/** People read per tick; the rest wait for the next tick (they stay due, earliest first). */
export const TICK_BATCH = 500;
/**
 * Reminders delivered whose "sent" and next plan are written in one commit (each commit waits for the
 * disk). Until then the claim stands for the send: a crash in between sends nothing twice, and the
 * person's plan, still due, is looked at again by the next tick.
 */
export const SENT_BATCH = 50;
/** Rate limits waited out for one message before it is left for a later tick. */
export const MAX_RATE_LIMIT_WAITS = 3;
/**
 * Records planned between yields to the event loop: a full pass over a million teammates takes
 * minutes, and Slack's requests must still be answered meanwhile.
 */
const PLAN_BATCH = 125;
/** The ledger kind of the manager's private note that goes with a report's past-window reminder. */
export const MANAGER_NOTE_KIND = 'past-manager';
/** After a failed send: 15 minutes, doubling, at most 12 hours. */
const RETRY_BASE_MS = 15 * 60 * 1000;
const RETRY_MAX_MS = 12 * 60 * 60 * 1000;

export interface TickReport {
  planned: number;
  due: number;
  sent: number;
  /** Due rows that turned out to be for later (a time zone change, the daily limit, a claim lost). */
  deferred: number;
  unreachable: number;
  /** Failed and left for a later tick. */
  retrying: number;
  rateLimitWaits: number;
}

/** What the engine should do about one person now. */
export type Evaluation =
  | { action: 'none' }
  | { action: 'wait'; dueAt: Date; kind: string | null; windowKey: string | null }
  | {
      action: 'send';
      key: ReminderKey;
      today: IsoDate;
      view: ReminderView;
      managerId: string | null;
    }
  | {
      /** The manager's note about a report past their window: owed until it is sent or undeliverable. */
      action: 'notify-manager';
      key: ReminderKey;
      today: IsoDate;
      view: ReminderView;
      managerId: string;
    };

export function windowKeyOf(record: Pick<TeammateRecord, 'frameworkId' | 'levelId' | 'since'>): string {
  return `${record.frameworkId}/${record.levelId}/${record.since}`;
}

function cycleOf(kind: string): number | undefined {
  const m = /^checkin-(\d+)$/.exec(kind);
  return m ? Number(m[1]) : undefined;
}

/** The next steps a window leads to: the one it names (`to`), else every next step. */
export function windowSteps(catalog: Catalog, record: TeammateRecord): { level: Level; steps: Level[] } | null {
  const framework = catalog.get(record.frameworkId);
  const level = framework ? catalog.levelById(framework, record.levelId) : undefined;
  if (!framework || !level?.timeframe) return null;
  const all = catalog.nextSteps(framework, level);
  const to = level.timeframe.to;
  const steps = to === undefined ? all : all.filter((l) => l.id === to);
  return { level, steps: steps.length > 0 ? steps : all };
}

/** What the ledger says about one person: the kinds of the window sent, and the days that pace the next. */
export interface LedgerFacts {
  sent: Set<string>;
  /** The local day the window's latest check-in prompt was sent or claimed. */
  lastPromptOn: IsoDate | null;
  /** The latest local day the person was sent (or claimed for) any reminder: at most one a day. */
  lastLocalDate: IsoDate | null;
}

/** Reads the person's ledger rows once (their key's prefix) and sums them up for one window. */
export async function ledgerFacts(
  reminders: Pick<ReminderStore, 'entries'>,
  teamId: string,
  userId: string,
  windowKey: string,
): Promise<LedgerFacts> {
  return factsOf(await reminders.entries(teamId, userId), windowKey);
}

function factsOf(entries: readonly Pick<LedgerEntry, 'kind' | 'windowKey' | 'localDate'>[], windowKey: string) {
  const facts: LedgerFacts = { sent: new Set(), lastPromptOn: null, lastLocalDate: null };
  for (const e of entries) {
    if (facts.lastLocalDate === null || e.localDate > facts.lastLocalDate) facts.lastLocalDate = e.localDate;
    if (e.windowKey !== windowKey) continue;
    facts.sent.add(e.kind);
    const prompt = e.kind === 'open' || cycleOf(e.kind) !== undefined;
    if (prompt && (facts.lastPromptOn === null || e.localDate > facts.lastPromptOn)) facts.lastPromptOn = e.localDate;
  }
  return facts;
}

/** The local day the person last finished a check-in, or null: one read of their own check-ins. */
export async function lastCheckinOn(
  checkins: Pick<CheckinStore, 'lastFinishedAt'>,
  record: Pick<TeammateRecord, 'teamId' | 'userId' | 'tz'>,
): Promise<IsoDate | null> {
  return dayOf(await checkins.lastFinishedAt(record.teamId, record.userId), record.tz);
}

function dayOf(finishedAt: Timestamp | null, tz: string | null): IsoDate | null {
  return finishedAt === null ? null : localDate(new Date(finishedAt), tz);
}

/**
 * What evaluating one person read from the stores, kept for the next look at the same person in the
 * same tick (after the send: the claim is added to `entries` as the ledger now holds it), so a
 * reminder costs one set of reads, not two. A field not yet read is read when needed.
 */
export interface PersonReads {
  pauses?: Pause[];
  optionalOff?: boolean;
  entries?: Pick<LedgerEntry, 'kind' | 'windowKey' | 'localDate'>[];
  lastFinishedAt?: Timestamp | null;
}

/** The record as of today and what its window asks for next, or why there is nothing. */
export async function reminderFor(
  deps: Pick<ReminderDeps, 'teammates' | 'reminders' | 'catalog' | 'settings' | 'preferences' | 'checkins'>,
  stored: TeammateRecord,
  now: Date,
  reads: PersonReads = {},
): Promise<{
  today: IsoDate;
  record: TeammateRecord;
  pauses: Pause[];
  next: NextReminder | null;
  windowKey: string;
  ledger: LedgerFacts;
} | null> {
  if (stored.status === 'left' || stored.nudges === 'off') return null;
  const today = localDate(now, stored.tz);
  const { teamId, userId } = stored;
  reads.pauses ??= await deps.teammates.pauses(teamId, userId);
  const { record, pauses } = asOfToday(stored, reads.pauses, today);
  const found = windowSteps(deps.catalog, record);
  if (found === null) return null;
  if (found.level.timeframe?.optional) {
    reads.optionalOff ??= (await deps.preferences?.preferences(teamId, userId))?.optionalNudges === 'off';
    if (reads.optionalOff) return null;
  }
  const windowKey = windowKeyOf(record);
  reads.entries ??= await deps.reminders.entries(teamId, userId);
  const ledger = factsOf(reads.entries, windowKey);
  if (reads.lastFinishedAt === undefined) reads.lastFinishedAt = await deps.checkins.lastFinishedAt(teamId, userId);
  const next = nextReminder(
    {
      since: record.since,
      timeframe: found.level.timeframe,
      pauses,
      today,
      sent: ledger.sent,
      lastPromptOn: ledger.lastPromptOn,
      lastCheckinOn: dayOf(reads.lastFinishedAt, record.tz),
    },
    deps.settings.policy,
  );
  return { today, record, pauses, next, windowKey, ledger };
}

function viewOf(
  deps: Pick<ReminderDeps, 'catalog'>,
  record: TeammateRecord,
  reminder: Pick<NextReminder, 'stage' | 'kind' | 'opensOn' | 'closesOn'>,
): ReminderView {
  const steps = windowSteps(deps.catalog, record);
  return {
    stage: reminder.stage,
    // Named as the person reads them: "Head of your area", never "Head of …" (src/career/window.ts).
    titles: (steps?.steps ?? []).map((l) => titlesForPeople(l.titles, 'your')),
    opensOn: reminder.opensOn,
    closesOn: reminder.closesOn,
    optional: steps?.level.timeframe?.optional ?? false,
    expectations: (steps?.steps[0]?.expectations ?? []).map((e) => e.text),
    cycle: cycleOf(reminder.kind),
  };
}

/** The manager's zone from their own record; the report's when the manager has no record or no zone. */
async function managerZone(deps: Pick<ReminderDeps, 'teammates'>, record: TeammateRecord): Promise<string | null> {
  if (record.managerId === null) return record.tz;
  return (await deps.teammates.get(record.teamId, record.managerId))?.tz ?? record.tz;
}

/** Decides, for one person at `now`: send a reminder, wait until an instant, or nothing to do. */
export async function evaluate(
  deps: Omit<ReminderDeps, 'sender' | 'sleep' | 'log'>,
  stored: TeammateRecord,
  now: Date,
  reads: PersonReads = {},
): Promise<Evaluation> {
  const schedule = deps.settings.schedule;
  const found = await reminderFor(deps, stored, now, reads);
  if (found === null) return { action: 'none' };
  const { today, record, pauses, next, windowKey, ledger } = found;
  const sent = ledger.sent;
  if (record.status === 'paused') {
    // While away the window moves a day each day: look again the day they are back.
    if (record.pausedUntil === null) return { action: 'none' };
    return {
      action: 'wait',
      dueAt: nextDeliveryInstant(now, record.tz, schedule, record.pausedUntil),
      kind: null,
      windowKey,
    };
  }
  // NOTE: the manager's note is owed from the moment the person's past-window reminder is in the
  // ledger until the note is too (sent, undeliverable, or claimed by a tick sending it). A failure
  // worth retrying gives its claim back, so the next look at the person finds it owed again: retried
  // like the person's own reminder, never lost, never sent twice.
  if (record.managerId !== null && sent.has('past') && !sent.has(MANAGER_NOTE_KIND)) {
    const timeframe = windowSteps(deps.catalog, record)?.level.timeframe ?? null;
    const window = promotionWindow({ since: record.since, timeframe, pauses, today });
    // A window no longer closing (its timeframe edited to open-ended) has no "past" to tell about, and an
    // optional step is never past its window (src/career/window.ts): no note to the manager about a choice.
    if (
      window.phase !== 'none' &&
      window.closesOn !== null &&
      isPastExpectedWindow(window, timeframe?.optional ?? false)
    ) {
      // The note goes out in the manager's working hours, not the report's: every DM is sent in its
      // recipient's own hours (their record's zone; the report's when the manager has none).
      const at = nextDeliveryInstant(now, await managerZone(deps, record), schedule);
      if (at.getTime() > now.getTime()) return { action: 'wait', dueAt: at, kind: MANAGER_NOTE_KIND, windowKey };
      const past = { stage: 'past', kind: 'past', opensOn: window.opensOn, closesOn: window.closesOn } as const;
      return {
        action: 'notify-manager',
        key: { teamId: record.teamId, userId: record.userId, kind: MANAGER_NOTE_KIND, windowKey },
        today,
        view: viewOf(deps, record, past),
        managerId: record.managerId,
      };
    }
  }
  if (next === null) return { action: 'none' };
  const last = ledger.lastLocalDate;
  const notBefore = last === null ? next.on : maxDate(next.on, addDays(last, 1));
  const at = nextDeliveryInstant(now, record.tz, schedule, notBefore);
  if (at.getTime() > now.getTime()) return { action: 'wait', dueAt: at, kind: next.kind, windowKey };

  return {
    action: 'send',
    key: { teamId: record.teamId, userId: record.userId, kind: next.kind, windowKey },
    today,
    view: viewOf(deps, record, next),
    managerId: record.managerId,
  };
}

function planRow(teamId: string, userId: string, e: Evaluation, now: Date): PlanInput {
  const base = { teamId, userId, plannedAt: now.toISOString() };
  switch (e.action) {
    case 'none':
      return { ...base, dueAt: null, kind: null, windowKey: null };
    case 'wait':
      return { ...base, dueAt: e.dueAt.toISOString(), kind: e.kind, windowKey: e.windowKey };
    case 'send':
    case 'notify-manager':
      return { ...base, dueAt: now.toISOString(), kind: e.key.kind, windowKey: e.key.windowKey };
  }
}

/** A digest of every timeframe: when a framework file changes them, every plan is rebuilt. */
export function catalogDigest(catalog: Catalog): string {
  const timeframes = catalog.frameworks.map((fw) => [fw.id, fw.levels.map((l) => [l.id, l.timeframe, l.next])]);
  return createHash('sha256').update(JSON.stringify(timeframes)).digest('hex').slice(0, 16);
}

/** Where the planner's cursor is kept: the last (change_seq, team, user) planned, as JSON. */
const CURSOR_STATE = 'cursor.change';

/**
 * Re-plans every teammate whose record changed since the last tick (a record, a pause or a time zone:
 * each write stamps change_seq), in batches from a saved cursor over (change_seq, team, user). The
 * first run, a run after a framework's timeframes changed, and the first run after db/017 plan
 * everyone. change_seq grows in commit order, so a record committed late by another writer or
 * instance is still ahead of the cursor, never behind it.
 */
export async function planChanged(deps: PlanningDeps, now: Date): Promise<number> {
  return (await planBatches(deps, now, Number.POSITIVE_INFINITY)).planned;
}

/** What planning reads: the engine's dependencies without the sender. */
export type PlanningDeps = Omit<ReminderDeps, 'sender' | 'sleep' | 'log'>;

/**
 * {@link planChanged}, at most `maxRecords` records (rounded up to a batch): what a preview runs
 * before it counts the plan, so it counts what the next tick would send. `done` is false when
 * changes were left for the tick.
 */
export async function planPending(
  deps: PlanningDeps,
  now: Date,
  maxRecords: number,
): Promise<{ planned: number; done: boolean }> {
  return planBatches(deps, now, Math.max(1, Math.ceil(maxRecords / PLAN_BATCH)));
}

async function planBatches(
  deps: PlanningDeps,
  now: Date,
  maxBatches: number,
): Promise<{ planned: number; done: boolean }> {
  const digest = catalogDigest(deps.catalog);
  if ((await deps.reminders.getState('catalog')) !== digest) {
    await deps.reminders.setState(CURSOR_STATE, '');
    await deps.reminders.setState('catalog', digest);
  }
  let planned = 0;
  const saved = await deps.reminders.getState(CURSOR_STATE);
  let cursor: ChangeCursor | null = saved ? (JSON.parse(saved) as ChangeCursor) : null;
  for (let batch = 0; ; batch++) {
    if (batch >= maxBatches) return { planned, done: false };
    const changed = await deps.reminders.changedSince(cursor, PLAN_BATCH);
    if (changed.length === 0) break;
    const rows: PlanInput[] = [];
    for (const { teamId, userId } of changed) {
      const record = await deps.teammates.get(teamId, userId);
      if (record !== null) rows.push(planRow(teamId, userId, await evaluate(deps, record, now), now));
    }
    await deps.reminders.setPlans(rows);
    planned += rows.length;
    cursor = changed[changed.length - 1] as ChangeCursor;
    await deps.reminders.setState(CURSOR_STATE, JSON.stringify(cursor));
    if (changed.length < PLAN_BATCH) break;
    await yieldToEventLoop();
  }
  return { planned, done: true };
}

function retryDelay(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Sends, waiting out rate limits up to {@link MAX_RATE_LIMIT_WAITS} times. */
async function deliverWithWaits(
  deps: ReminderDeps,
  teamId: string,
  userId: string,
  notice: Notice,
  report: TickReport,
): Promise<Delivery> {
  let result = await deps.sender.deliver(teamId, userId, notice);
  for (let waits = 0; !result.ok && result.error === 'ratelimited' && waits < MAX_RATE_LIMIT_WAITS; waits++) {
    report.rateLimitWaits++;
    await deps.sleep((result.retryAfterSec ?? 1) * 1000);
    result = await deps.sender.deliver(teamId, userId, notice);
  }
  return result;
}

/**
 * Handles one due person: never throws for a Slack failure, and leaves their plan row current, or
 * (a reminder delivered) its "sent" and next plan in `sent`, for the tick to write with others.
 */
async function processPerson(
  deps: ReminderDeps,
  teamId: string,
  userId: string,
  report: TickReport,
  sent: SentMark[],
): Promise<void> {
  const now = deps.clock.now();
  const record = await deps.teammates.get(teamId, userId);
  if (record === null) {
    await deps.reminders.dropPlan(teamId, userId);
    return;
  }
  const reads: PersonReads = {};
  const e = await evaluate(deps, record, now, reads);
  if (e.action === 'notify-manager') {
    await notifyManager(deps, record, e, report, reads);
    return;
  }
  if (e.action !== 'send') {
    report.deferred++;
    await deps.reminders.setPlan(planRow(teamId, userId, e, now));
    return;
  }
  if (!(await deps.reminders.claim(e.key, e.today, now.toISOString()))) {
    // Another tick or instance took it, or the person already had today's reminder: the ledger is read again.
    report.deferred++;
    const again = await evaluate(deps, record, now, { ...reads, entries: undefined });
    const fallback = {
      action: 'wait',
      dueAt: nextDeliveryInstant(now, record.tz, deps.settings.schedule, addDays(e.today, 1)),
      kind: null,
      windowKey: null,
    } as const;
    await deps.reminders.setPlan(planRow(teamId, userId, again.action === 'send' ? fallback : again, now));
    return;
  }
  const result = await deliverWithWaits(deps, teamId, userId, { kind: 'reminder', view: e.view }, report);
  const after = deps.clock.now();
  if (result.ok) {
    report.sent++;
    // The claim already counts as sent for planning, so the next plan can be written with "sent".
    const next = await evaluate(deps, record, after, claimedIn(reads, e));
    const mark = { key: e.key, at: after.toISOString(), nextPlan: planRow(teamId, userId, next, after) };
    if (next.action !== 'notify-manager') {
      sent.push(mark);
      return;
    }
    // A past-window reminder makes the manager's note owed: it goes now, with it (after "sent", which
    // the note's own plan writes follow).
    await deps.reminders.markSent(mark.key, mark.at, mark.nextPlan);
    await notifyManager(deps, record, next, report, reads);
    return;
  }
  if (UNREACHABLE_ERRORS.has(result.error)) {
    await deps.reminders.markUndeliverable(e.key, result.error, after.toISOString());
    report.unreachable++;
    await deps.reminders.setPlan({
      ...planRow(teamId, userId, { action: 'none' }, after),
      unreachable: result.error,
    });
    return;
  }
  const retryAt = await retryLater(deps, record, e.key, after, report);
  deps.log.warn(`Reminder to ${userId} not delivered (${result.error}); trying again at ${retryAt.toISOString()}`);
}

/**
 * After a failure worth trying again (rate limited past our waits, a 5xx, Slack unreachable,
 * workspace inactive): the claim is given back and the person's plan brings the key back later,
 * 15 minutes after a first failure and doubling, inside delivery hours.
 */
async function retryLater(
  deps: ReminderDeps,
  record: TeammateRecord,
  key: ReminderKey,
  after: Date,
  report: TickReport,
  tz: string | null = record.tz,
): Promise<Date> {
  const { teamId, userId } = record;
  await deps.reminders.release(key);
  report.retrying++;
  const attempts = ((await deps.reminders.getPlan(teamId, userId))?.attempts ?? 0) + 1;
  const retryAt = nextDeliveryInstant(new Date(after.getTime() + retryDelay(attempts)), tz, deps.settings.schedule);
  await deps.reminders.setPlan({
    ...planRow(teamId, userId, { action: 'wait', dueAt: retryAt, kind: key.kind, windowKey: key.windowKey }, after),
    attempts,
  });
  return retryAt;
}

/**
 * The reads of a person after `e`'s key was claimed: the ledger with the claim, without reading it
 * again. What another writer changed meanwhile is caught later: a record or check-in change stamps
 * the record for the planner, and a key someone else holds makes the next claim fail (then re-read).
 */
function claimedIn(reads: PersonReads, e: { key: ReminderKey; today: IsoDate }): PersonReads {
  if (reads.entries === undefined) return reads;
  const claimed = { kind: e.key.kind, windowKey: e.key.windowKey, localDate: e.today };
  return { ...reads, entries: [...reads.entries, claimed] };
}

/** The private note to the manager when a report is past their window; once per window. */
async function notifyManager(
  deps: ReminderDeps,
  record: TeammateRecord,
  e: Extract<Evaluation, { action: 'notify-manager' }>,
  report: TickReport,
  reads: PersonReads,
): Promise<void> {
  const { teamId, userId } = record;
  const now = deps.clock.now();
  if (!(await deps.reminders.claim(e.key, e.today, now.toISOString(), { perDay: false }))) {
    // Another tick or instance is sending it, or it was sent meanwhile: the ledger is read again.
    report.deferred++;
    await deps.reminders.setPlan(planRow(teamId, userId, await evaluate(deps, record, now), now));
    return;
  }
  const held = claimedIn(reads, e);
  const replan = async (at: Date) => planRow(teamId, userId, await evaluate(deps, record, at, held), at);
  const result = await deliverWithWaits(
    deps,
    teamId,
    e.managerId,
    { kind: 'past-window', reportId: userId, view: e.view },
    report,
  );
  const after = deps.clock.now();
  if (result.ok) {
    await deps.reminders.markSent(e.key, after.toISOString(), await replan(after));
    return;
  }
  if (UNREACHABLE_ERRORS.has(result.error)) {
    await deps.reminders.markUndeliverable(e.key, result.error, after.toISOString());
    await deps.reminders.setPlan(await replan(after));
    return;
  }
  const retryAt = await retryLater(deps, record, e.key, after, report, await managerZone(deps, record));
  deps.log.warn(
    `Past-window note to ${e.managerId} about ${userId} not delivered (${result.error}); trying again at ${retryAt.toISOString()}`,
  );
}

/**
 * One tick: re-plan what changed, then send what is due (at most {@link TICK_BATCH} people, earliest
 * first). A failure with one person is logged and the others go on.
 */
export async function runReminderTick(deps: ReminderDeps): Promise<TickReport> {
  const report: TickReport = {
    planned: 0,
    due: 0,
    sent: 0,
    deferred: 0,
    unreachable: 0,
    retrying: 0,
    rateLimitWaits: 0,
  };
  const now = deps.clock.now();
  report.planned = await planChanged(deps, now);
  const due = await deps.reminders.due(now.toISOString(), TICK_BATCH);
  report.due = due.length;
  const sent: SentMark[] = [];
  const recordSent = async () => {
    const batch = sent.splice(0);
    if (batch.length === 0) return;
    try {
      await deps.reminders.markSentMany(batch);
    } catch (err) {
      // Their claims stand (nothing is sent twice) and their plans, still due, are looked at again next tick.
      deps.log.error(`${batch.length} reminders delivered but not recorded as sent`, err);
    }
  };
  for (const row of due) {
    try {
      await processPerson(deps, row.teamId, row.userId, report, sent);
      if (sent.length >= SENT_BATCH) await recordSent();
    } catch (err) {
      report.retrying++;
      deps.log.error(`Reminder for ${row.userId} failed`, err);
      const later = new Date(deps.clock.now().getTime() + RETRY_MAX_MS).toISOString();
      await deps.reminders.setPlan({ ...row, dueAt: later, plannedAt: deps.clock.now().toISOString() });
    }
  }
  await recordSent();
  return report;
}
