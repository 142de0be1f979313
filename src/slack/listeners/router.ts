/**
 * Our own dispatch, one Bolt listener per kind of request. Bolt runs every registered listener's
 * matching middleware for every request (measured: about 6–8 µs each, so twenty listeners cost a
 * slash command more than Bolt's whole request handling). Here each request costs one map or list
 * lookup instead, and the tables below stay the one place that maps Slack ids to callbacks.
 */

export type Handler<A> = (args: A) => Promise<void>;

/** An exact id, or an id prefix ending in `.` (`checkin.rate.` matches `checkin.rate.sometimes`). */
export type Route<A> = readonly [id: string, handler: Handler<A>];

export interface Router<A> {
  /** The handler for `id`: exact ids first, then the longest matching prefix. */
  find(id: string | undefined): Handler<A> | undefined;
}

export function router<A>(routes: readonly Route<A>[]): Router<A> {
  const exact = new Map<string, Handler<A>>();
  const prefixes: [string, Handler<A>][] = [];
  for (const [id, handler] of routes) {
    if (id.endsWith('.')) prefixes.push([id, handler]);
    else exact.set(id, handler);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return {
    find(id) {
      if (id === undefined) return undefined;
      return exact.get(id) ?? prefixes.find(([p]) => id.startsWith(p))?.[1];
    },
  };
}
