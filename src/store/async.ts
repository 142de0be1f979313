/**
 * A store's methods as the rest of Ripple calls them: every one returns a promise, so the same
 * callers work on SQLite (which answers at once) and PostgreSQL (which answers over the network).
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Wraps a synchronous store so each method returns a settled promise (a throw becomes a rejection). */
export function asAsync<T extends object>(store: T): Async<T> {
  const wrapped: Record<string, unknown> = {};
  let proto: object | null = store;
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name in wrapped) continue;
      const value = (store as Record<string, unknown>)[name];
      if (typeof value !== 'function') continue;
      const method = value as (...args: unknown[]) => unknown;
      wrapped[name] = async (...args: unknown[]) => method.apply(store, args);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return wrapped as Async<T>;
}
