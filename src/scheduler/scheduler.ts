import cron from 'node-cron';

export interface Tick {
  name: string;
  /** A node-cron expression: five fields, or six with seconds first. */
  cron: string;
  run(): Promise<unknown> | unknown;
}

export interface Scheduler {
  /** Stops future ticks and waits for a running one to finish. */
  stop(): Promise<void>;
}

/**
 * Runs each tick on its cron schedule in this process. A tick never overlaps itself: if one is
 * still running when the next is due, the next is skipped (the work it would do is still due at
 * the following tick). A failing tick is logged and the schedule goes on.
 */
export function startScheduler(ticks: readonly Tick[], log: { error(...args: unknown[]): void }): Scheduler {
  const running = new Set<Promise<void>>();
  const tasks = ticks.map((tick) => {
    let busy = false;
    return cron.schedule(tick.cron, () => {
      if (busy) return;
      busy = true;
      const run = (async () => {
        try {
          await tick.run();
        } catch (err) {
          log.error(`Scheduled ${tick.name} failed`, err);
        } finally {
          busy = false;
        }
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    });
  });
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.all(running);
    },
  };
}
