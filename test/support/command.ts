import { expect } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import type { TestApp } from './app.js';
import { visibleText } from './blocks.js';
import { expectWithinSlackLimits } from './slack-limits.js';

/**
 * Runs a `/career` command as `user` through the offline Slack. The request must be answered with
 * 200 and every surface must fit Slack's limits; `shown` is what the person saw, the ack and the
 * response_url replies, as text.
 */
export async function runCareer(
  t: Pick<TestApp, 'driver'>,
  user: string,
  text: string,
): Promise<{ reply: Reply; shown: string }> {
  const reply = await t.driver.command(text, { user });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  const shown = [reply.ack, ...reply.responses].filter(Boolean).map(visibleText).join('\n');
  return { reply, shown };
}
