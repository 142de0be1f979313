import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/** Issue 17, item 8's part for "Ask for an example": the whole ask answered offline, the colleague as `/as chen`. */
describe('the sandbox: asking a colleague for an example', () => {
  it('@ben asks, /as chen answers from the DM, /as ben keeps it in the evidence log', async () => {
    const { output, ctx } = await runSandboxLines([
      '/career ask @chen ship regularly',
      '/as chen',
      '1',
      'Ben shipped the newsletter every week.',
      '/as ben',
      '1',
      '/career asks',
    ]);
    expect(output).toContain('DM from Ripple to @chen');
    expect(output).toContain('@ben is gathering examples of their work');
    expect(output).toContain('(pressed "Write an example")');
    expect(output).toContain('You sent @ben an example. Thank you!');
    expect(output).toContain('@chen sent you an example of:');
    expect(output).toContain('(pressed "Keep it")');
    expect(output).toContain('Kept in your evidence');
    expect(output).toContain('@chen answered: kept in your evidence');
    const log = await ctx.stores.evidence.all('T0RIPPLE01', 'U0SBBEN001');
    expect(log).toMatchObject([
      { source: 'colleague', authorId: 'U0SBCHEN01', text: 'Ben shipped the newsletter every week.' },
    ]);
  });

  it('/as chen declines: @ben hears nothing and his list still says waiting', async () => {
    const { output } = await runSandboxLines([
      '/career ask @chen ship regularly',
      '/as chen',
      '2',
      '/as ben',
      '/career asks',
    ]);
    expect(output).toContain('No example sent. @ben is not told.');
    expect(output).not.toContain('DM from Ripple to @ben');
    expect(output).toContain('asked @chen, waiting for an answer');
  });
});
