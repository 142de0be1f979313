import { withRequestId } from '../request-context.js';

/**
 * Counts work in progress inside the app (listeners still running after their ack, jobs) so the
 * offline harness and graceful shutdown can wait until everything started has finished.
 */
export class Activity {
  #running = 0;
  #waiters: (() => void)[] = [];

  get running(): number {
    return this.#running;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** Resolves once nothing is running (at once if nothing is). Safe to pass around unbound. */
  idle = (): Promise<void> => {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  };
}

/** Minimal surface of a Bolt App that {@link trackListeners} needs. */
export interface ProcessesEvents {
  processEvent(event: never): Promise<void>;
}

/**
 * Counts every request in `activity`. Bolt's receivers hand each request to `app.processEvent`,
 * which runs from before its ack to after its last listener; events are acked before middleware
 * runs, so counting here (not in middleware) is what makes "idle" exact.
 */
export function trackListeners(app: ProcessesEvents, activity: Activity = new Activity()): Activity {
  const target = app as unknown as { processEvent: (event: unknown) => Promise<void> };
  const original = target.processEvent.bind(app);
  // Each request gets an id for its log lines; Slack's event_id where there is one.
  target.processEvent = (event) => {
    const eventId = (event as { body?: { event_id?: unknown } })?.body?.event_id;
    return withRequestId(
      () => activity.track(() => original(event)),
      typeof eventId === 'string' ? eventId : undefined,
    );
  };
  return activity;
}
