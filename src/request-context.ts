import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work belongs to, carried across awaits, so every log line a request
 * causes (in Bolt, the Web API client or Ripple) can be found together by its `req` id.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();
let counter = 0;

/** Runs `work` as request `id` (default: a fresh short id unique in this process). */
export function withRequestId<T>(work: () => T, id?: string): T {
  counter = (counter + 1) % 1_000_000_000;
  return storage.run({ requestId: id ?? `r${Date.now().toString(36)}${counter.toString(36)}` }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
