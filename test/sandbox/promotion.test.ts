import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

describe('the promotion case in the sandbox', () => {
  it('maya proposes, ben reads and sends it on, and /as ana approves', async () => {
    const { output, ctx } = await runSandboxLines([
      '/as maya',
      '/career propose @ben',
      '1',
      'Ran the autumn launch',
      '/as ben',
      '2', // Send it on
      '/as ana',
      '1', // Approve
      '/as ben',
      '/career history',
    ]);
    expect(output).toContain('── form: Propose a promotion');
    expect(output).toContain('Promotion case for @ben: Marketing · Level 3 · Coordinator');
    expect(output).toContain('Who sees it when you send it: the Ripple admins: @ana, with your manager.');
    expect(output).toContain('(pressed "Send it on")');
    expect(output).toContain('@ben sent their promotion case for a decision.');
    expect(output).toContain('(pressed "Approve")');
    expect(output).toContain("Approved by @ana: @ben's new level is recorded from 29 November 2026.");
    expect(output).toMatch(/DM from Ripple to @ben ─+\n:tada: Congratulations on Coordinator!/);
    expect(output).toContain('approved by @ana: your new level counts from 29 November 2026');
    expect((await ctx.stores.teammates.get('T0RIPPLE01', 'U0SBBEN001'))?.levelId).toBe('level-3');
  });
});
