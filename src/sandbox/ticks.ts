import type { AppContext } from '../context.js';
import type { Db } from '../db/migrate.js';
import { backgroundJobs } from '../jobs.js';
import type { RecordedCall } from '../offline-slack/fake-slack-api.js';
import type { Offline } from '../offline-slack/offline.js';
import { DEFAULT_DELIVERY, type DeliverySchedule } from '../reminders/schedule.js';
import type { MovableClock } from './clock.js';

/**
 * The sandbox's background jobs: what `npm start` runs on cron in a real workspace (maintenance,
 * check-in expiry, notification retries, growth reminders), run by `/time` for every tick between
 * the old time and the new, so a jump of a month or a year delivers what would have arrived, in
 * order, each at the instant it would have.
 *
 * A year of 15-minute ticks is 35,000 ticks; the sandbox runs far fewer without changing what is
 * delivered: the reminder tick at the next tick instant at or after the engine's earliest planned
 * due time (the plan knows it: nothing can be due before it unless a record changes, and records
 * change only by commands between jumps or by housekeeping, which runs the reminder tick too), and
 * everything else on a coarser grid (see {@link housekeepingStep}).
 */

/** The tick grid of the default `REMINDER_CRON` (`*‌/15 * * * *`). */
export const TICK_MS = 15 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * How often the sandbox runs housekeeping and the weekly growth tick: ending pauses, expiring
 * check-ins and retrying notifications need no finer grain, and a weekly digest or channel post is
 * due through a whole window of delivery hours, so a step shorter than that window always lands in
 * it (a step of 6 hours for the default 10:00–17:00). A three-year `/time` jump is then a few
 * thousand steps, not tens of thousands.
 */
export function housekeepingStep(schedule: DeliverySchedule): number {
  const window = (schedule.hours.end - schedule.hours.start) * HOUR_MS;
  return Math.max(HOUR_MS, Math.min(6 * HOUR_MS, window - HOUR_MS));
}

export interface TickStep {
  /** The instant the ticks ran at. */
  at: Date;
  /** Web API calls the ticks made (the DMs they sent, Home tabs they published). */
  calls: RecordedCall[];
}

export interface SandboxTicks {
  /**
   * Moves the clock to `target` through every tick instant on the way that can matter, running the
   * ticks at each (the first at the current time) and calling `onStep` for each that made Slack calls.
   */
  runUntil(target: Date, onStep: (step: TickStep) => void | Promise<void>): Promise<{ steps: number }>;
}

export function sandboxTicks(options: {
  ctx: AppContext;
  db: Db;
  offline: Offline;
  clock: MovableClock;
  schedule?: DeliverySchedule;
}): SandboxTicks {
  const { ctx, offline, clock } = options;
  const step = housekeepingStep(options.schedule ?? DEFAULT_DELIVERY);
  // The same jobs as src/main.ts, built in the same place.
  const jobs = backgroundJobs({
    ctx,
    slack: offline.slack.services,
    log: offline.slack.app.logger,
    schedule: options.schedule ?? DEFAULT_DELIVERY,
    // A rate limit in the sandbox is waited out on the sandbox clock, not in real time.
    sleep: async (ms) => clock.setTo(new Date(clock.now().getTime() + ms)),
  });

  /** The earliest planned reminder, or null when nobody has one to come. */
  const nextDue = async (): Promise<number | null> => {
    const [first] = await jobs.reminders.reminders.dueBetween(
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T00:00:00.000Z',
      1,
    );
    return first?.dueAt ? Date.parse(first.dueAt) : null;
  };

  const runTicks = async (): Promise<void> => {
    // Every job once, in order: maintenance, then the reminders (whose tick settles ended pauses first), …
    for (const job of jobs.ticks) await job.run();
  };

  return {
    async runUntil(target, onStep) {
      const end = target.getTime();
      let at = clock.now().getTime();
      let steps = 0;
      for (;;) {
        clock.setTo(new Date(at));
        const before = offline.api.calls.length;
        await runTicks();
        steps++;
        const calls = offline.api.calls.slice(before);
        if (calls.length > 0) await onStep({ at: new Date(at), calls });
        if (at >= end) break;
        // Next: the next housekeeping step, or sooner the tick at which a reminder is due.
        let next = Math.floor(at / step) * step + step;
        const due = await nextDue();
        if (due !== null) {
          // Still due now (more than a tick's batch, or deferred): the next tick on the grid.
          const tick = due > at ? Math.ceil(due / TICK_MS) * TICK_MS : Math.floor(at / TICK_MS) * TICK_MS + TICK_MS;
          next = Math.min(next, tick);
        }
        at = Math.min(end, next);
      }
      clock.setTo(target);
      return { steps };
    },
  };
}
