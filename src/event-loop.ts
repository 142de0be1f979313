/**
 * Resolves on the next turn of the event loop, after the I/O waiting now (Slack's requests, their answers) has
 * been handled: what a long job awaits between its slices, so no slice holds up a request.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
