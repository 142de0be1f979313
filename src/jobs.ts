import { DEFAULT_REMINDER_CRON } from './config.js';
import type { AppContext } from './context.js';
import { growthDepsFrom } from './growth/service.js';
import { type GrowthTickDeps, type GrowthTickReport, runGrowthTick } from './growth/tick.js';
import type { NoticeSender } from './notify/port.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  type ReminderDeps,
  type ReminderSender,
  runReminderTick,
  type TickReport,
} from './reminders/engine.js';
import { DEFAULT_DELIVERY, type DeliverySchedule } from './reminders/schedule.js';
import { type MaintenanceReport, maintenanceDeps, runMaintenance, settlePauses } from './scheduler/maintenance.js';
import type { Tick } from './scheduler/scheduler.js';
import { draftExpiredMessage } from './slack/blocks/promotions.js';
import { expireIdleCheckins, nudgeIdleCheckins } from './slack/checkins.js';
import { deliverPending, type OutboxReport } from './slack/outbox.js';
import type { SlackServices } from './slack/services.js';
import type { Directory } from './teammates/directory.js';

/**
 * Every background job, composed in one place from the context and the Slack adapter's ports: what
 * src/main.ts schedules on cron, and what the sandbox (src/sandbox/ticks.ts) runs at each step of a
 * `/time` jump. The domain jobs (reminders, growth nudges, maintenance) see only the context and the
 * notifier port ({@link NoticeSender}) and the directory port; the Slack adapter's own jobs (check-in
 * expiry notes, notification retries) come from its services.
 */

/** Housekeeping (ended pauses, old event ids, long-expired previews) and check-in expiry. */
export const MAINTENANCE_CRON = '*/15 * * * *';
/** Notifications Slack did not take (an outage) are tried again, with growing pauses. */
export const RETRY_CRON = '* * * * *';

export interface JobLog {
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface ReminderJobOptions {
  ctx: AppContext;
  /** The notifier port: the reminder and the manager's past-window note go through its `deliver`. */
  notifier: ReminderSender;
  schedule: DeliverySchedule;
  log: JobLog;
  /** Waits out a rate limit; the real clock's setTimeout unless a test or the sandbox says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The reminder engine's dependencies from the context, and its tick: ended pauses are written down
 * first (so nobody is planned as paused on the day they are back), then reminders. The rest of the
 * housekeeping is the maintenance job's, once per its own tick.
 */
export function reminderEngine(options: ReminderJobOptions): { deps: ReminderDeps; tick(): Promise<TickReport> } {
  const { ctx } = options;
  const deps: ReminderDeps = {
    teammates: ctx.stores.teammates,
    reminders: ctx.stores.reminders,
    catalog: ctx.catalog,
    clock: ctx.clock,
    sender: options.notifier,
    settings: { ...DEFAULT_REMINDER_SETTINGS, schedule: options.schedule },
    preferences: ctx.stores.growth,
    checkins: ctx.stores.checkins,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: options.log,
  };
  return {
    deps,
    async tick() {
      await settlePauses({ ...ctx.stores, clock: ctx.clock });
      return runReminderTick(deps);
    },
  };
}

/** What the weekly growth tick reaches people through: the notifier port (background) and the directory. */
export interface GrowthPorts {
  ctx: AppContext;
  background: NoticeSender;
  directory: Directory;
}

/** The weekly growth tick's dependencies (channel posts and manager digests). */
export function growthTickDeps(ports: GrowthPorts, log: GrowthTickDeps['log']): GrowthTickDeps {
  const { ctx, background } = ports;
  return {
    ...growthDepsFrom(ctx, { directory: ports.directory, poster: background }),
    sender: background,
    workspaces: ctx.stores.workspaces,
    unitOfWork: ctx.stores.unitOfWork,
    log,
  };
}

export interface JobParts {
  ctx: AppContext;
  /** The Slack app's services: the background notifier, the directory, the outbox. */
  slack: SlackServices;
  log: JobLog;
  /** REMINDER_CRON: the reminder and growth ticks; the default when not given. */
  reminderCron?: string;
  /** The reminder engine's delivery hours and days; the context's (REMINDER_HOURS, REMINDER_DAYS) when not given. */
  schedule?: DeliverySchedule;
  sleep?: ReminderJobOptions['sleep'];
}

export interface BackgroundJobs {
  /** Each job with its cron, in the order one step of the sandbox runs them. */
  ticks: readonly Tick[];
  /** The reminder engine's dependencies: the sandbox reads the plan to skip ticks with nothing due. */
  reminders: ReminderDeps;
  maintenance(): Promise<MaintenanceReport>;
  reminderTick(): Promise<TickReport>;
  growthTick(): Promise<GrowthTickReport>;
  checkinExpiry(): Promise<number>;
  notificationRetries(): Promise<OutboxReport>;
}

/** Builds every background job once; nothing runs until the scheduler (or the sandbox) calls them. */
export function backgroundJobs(parts: JobParts): BackgroundJobs {
  const { ctx, slack, log } = parts;
  // NOTE: jobs send on the background client, so a job's burst or rate limit never queues in front of
  // a person's reply (see src/slack/calls.ts).
  const reminders = reminderEngine({
    ctx,
    notifier: slack.background,
    schedule: parts.schedule ?? ctx.reminderSchedule ?? DEFAULT_DELIVERY,
    log,
    sleep: parts.sleep,
  });
  const growth = growthTickDeps({ ctx, background: slack.background, directory: slack.directory }, log);
  const cron = parts.reminderCron ?? DEFAULT_REMINDER_CRON;
  const jobs = {
    // The proposer of a draft that expired is told in words the Slack adapter owns.
    maintenance: () => runMaintenance({ ...maintenanceDeps(ctx), draftExpiredNotice: draftExpiredMessage }),
    reminderTick: () => reminders.tick(),
    growthTick: () => runGrowthTick(growth),
    // Expired first, so a check-in past its time is never nudged; then a day's notice for those about to be.
    checkinExpiry: async () => {
      const expired = await expireIdleCheckins(slack);
      await nudgeIdleCheckins(slack);
      return expired;
    },
    notificationRetries: () => deliverPending(slack.outbox),
  };
  return {
    ...jobs,
    reminders: reminders.deps,
    ticks: [
      { name: 'maintenance', cron: MAINTENANCE_CRON, run: jobs.maintenance },
      // Growth reminders in each person's local hours (REMINDER_CRON, REMINDER_HOURS, REMINDER_DAYS).
      { name: 'reminders', cron, run: jobs.reminderTick },
      // The weekly growth post in each workspace's channel and each manager's digest, on the same tick.
      { name: 'growth nudges', cron, run: jobs.growthTick },
      // Check-ins left untouched for CHECKIN_EXPIRY_DAYS close, with a one-line note to their owner; a day before,
      // the owner gets one nudge with Continue.
      { name: 'check-in expiry', cron: MAINTENANCE_CRON, run: jobs.checkinExpiry },
      { name: 'notification retries', cron: RETRY_CRON, run: jobs.notificationRetries },
    ],
  };
}
