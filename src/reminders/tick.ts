import type { AppContext } from '../context.js';
import { settlePauses } from '../scheduler/maintenance.js';
import type { Notifier } from '../slack/notifier.js';
import { DEFAULT_REMINDER_SETTINGS, type ReminderDeps, runReminderTick, type TickReport } from './engine.js';
import type { DeliverySchedule } from './schedule.js';

export interface ReminderTickOptions {
  ctx: AppContext;
  notifier: Pick<Notifier, 'deliver'>;
  schedule: DeliverySchedule;
  log: ReminderDeps['log'];
  /** Waits out a rate limit; the real clock's setTimeout unless a test or the sandbox says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The engine's dependencies from the composition root's parts, and the tick the scheduler runs:
 * housekeeping first (ended pauses count as ended before reminders are decided), then reminders.
 */
export function reminderEngine(options: ReminderTickOptions): { deps: ReminderDeps; tick(): Promise<TickReport> } {
  const deps: ReminderDeps = {
    teammates: options.ctx.stores.teammates,
    reminders: options.ctx.stores.reminders,
    catalog: options.ctx.catalog,
    clock: options.ctx.clock,
    sender: options.notifier,
    settings: { ...DEFAULT_REMINDER_SETTINGS, schedule: options.schedule },
    preferences: options.ctx.stores.growth,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: options.log,
  };
  return {
    deps,
    async tick() {
      await settlePauses({ ...options.ctx.stores, clock: options.ctx.clock });
      return runReminderTick(deps);
    },
  };
}
