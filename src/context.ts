import type { Catalog } from './frameworks/catalog.js';
import type { Stores } from './ports/index.js';
import type { DeliverySchedule } from './reminders/schedule.js';

/** Time is a dependency like any other: tests and the sandbox move it; production reads the clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Everything a listener may use, built once in the composition root (`src/main.ts`, or the offline
 * harness) and handed to `createSlackApp`. Nothing here is imported as a singleton.
 */
export interface AppContext {
  catalog: Catalog;
  stores: Stores;
  /** Slack user ids from CAREER_ADMINS. Workspace admins and owners are admins too (see roles). */
  admins: readonly string[];
  clock: Clock;
  /** CHECKIN_EXPIRY_DAYS: days without an answer after which an open check-in expires; default 14. */
  checkinExpiryDays?: number;
  /** LEDGER_RETENTION_MONTHS: how long the reminder and weekly ledgers remember a send; default 13. */
  ledgerRetentionMonths?: number;
  /** REMINDER_HOURS and REMINDER_DAYS: when DMs from background jobs may arrive; the defaults if unset. */
  reminderSchedule?: DeliverySchedule;
}
