import { expect } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import { checkMessage, checkView, type MessageLike } from '../../src/slack/limits.js';

/**
 * Asserts every surface the app produced (a driver Reply's `messages`, or a list of messages/views) is within
 * Slack's Block Kit limits. Views are told apart from messages by their `type` ('modal' | 'home').
 */
export function expectWithinSlackLimits(reply: Reply | unknown[]): void {
  const surfaces = Array.isArray(reply) ? reply : reply.messages;
  const violations: string[] = [];
  surfaces.forEach((surface, i) => {
    if (typeof surface !== 'object' || surface === null) {
      violations.push(`messages[${i}]: not an object (${JSON.stringify(surface)})`);
      return;
    }
    const type = (surface as { type?: unknown }).type;
    const isView = type === 'modal' || type === 'home';
    const problems = isView ? checkView(surface, type) : checkMessage(surface as MessageLike);
    const label = isView ? `messages[${i}] (${type} view)` : `messages[${i}] (message)`;
    for (const p of problems) violations.push(`${label} ${p}`);
  });
  const list = violations.map((v) => `  - ${v}`).join('\n');
  expect(violations, `${violations.length} Block Kit limit violation(s):\n${list}\n`).toEqual([]);
}
