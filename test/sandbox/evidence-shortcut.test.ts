import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/** Issue 17, item 8 (the shortcut's part): Save as evidence on a sample message, offline, in the sandbox. */
describe('the sandbox: Save as evidence on a sample message', () => {
  it('lists the sample messages, runs the shortcut on one, fills the form and lists the log', async () => {
    const { output, ctx } = await runSandboxLines([
      '/messages',
      '/shortcut 1',
      // Nothing: keeps the expectation the form preselected (the one sharing the most words with the message).
      '',
      'The spring campaign',
      '/career evidence',
      '/shortcut 9',
    ]);
    expect(output).toContain('[1] #launches · @maya: Huge thanks to @ben for turning our ideas into shipped projects');
    expect(output).toContain('[3] #launches · a bot: Deploy finished');
    expect(output).toContain('── form: Save as evidence');
    expect(output).toContain(
      'type a number, or nothing to keep "Level 3 · Translate ideas into projects and see to it that they ship."',
    );
    expect(output).toContain(
      'Saved as evidence for Translate ideas into projects and see to it that they ship. (Level 3)',
    );
    expect(output).toContain('Level 3 · 1 kept');
    expect(output).toContain('Pick a message: /shortcut 1 to 4 (see /messages).');
    const [entry, ...rest] = await ctx.stores.evidence.all('T0RIPPLE01', 'U0SBBEN001');
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      source: 'message',
      authorId: 'U0SBMAYA01',
      note: 'The spring campaign',
      target: { levelId: 'level-3', expectationId: 'ideas-into-shipped-projects' },
    });
    expect(entry?.message?.permalink).toMatch(
      /^https:\/\/ripple-sandbox\.slack\.com\/archives\/C\w+\/p1700000001000100$/,
    );
  });

  it('someone without a record gets the no-record message', async () => {
    const { output, ctx } = await runSandboxLines(['/as eve', '/shortcut 2']);
    expect(output).toContain("You don't have a career record yet");
    expect(await ctx.stores.evidence.all('T0RIPPLE01', 'U0SBEVE001')).toEqual([]);
  });
});
