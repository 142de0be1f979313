import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/**
 * Issue 17, item 8: the whole flow offline, typed as a person would, from a sample message saved as evidence to the
 * promotion recorded: the forms print what the person must read before answering (the quoted message, the ask, the
 * case being proposed), and a reply's picker shows what it selected.
 */
describe('the sandbox: from evidence to a recorded promotion', () => {
  it('save a message, a win, an example from /as chen, a check-in that shows them, ratings, the case, /as ana approves', async () => {
    const { output, ctx } = await runSandboxLines([
      '/messages',
      '/shortcut 1',
      '', // keeps the preselected expectation
      'The spring campaign',
      '/career win Shipped the partner newsletter every week with guidance',
      '/career ask @chen ship regularly',
      '/as chen',
      '1', // Write an example
      'Ben shipped the newsletter every week.',
      '/as ben',
      '1', // Keep it
      '/career checkin',
      ...Array.from({ length: 13 }, () => 'consistently'),
      '2', // Share with my manager
      '/as maya',
      '4', // Add my ratings
      ...Array.from({ length: 13 }, () => '3'), // Consistently
      'A strong year.',
      '1', // Propose a promotion
      '', // Level 3, the one next level
      'Ran the spring campaign end to end.',
      '/as ben',
      '2', // Send it on
      '/as ana',
      '1', // Approve
      '/as ben',
      '/career me',
    ]);
    const at = (from: string) => output.slice(output.indexOf(from));

    // The shortcut's form quotes the message above its picker.
    expect(at('── form: Save as evidence')).toMatch(
      /^── form: Save as evidence ─+\n\(no reply\)\n\nFrom @maya:\n>Huge thanks to @ben/,
    );
    expect(output).toContain('Saved as evidence for Translate ideas into projects');
    // The win's reply shows the expectation its picker chose.
    expect(output).toMatch(
      /Saved your win:\n>Shipped the partner newsletter every week with guidance\nIt shows:\n {2}▾ Level 2 · Ship regularly/,
    );

    // Chen's form names whom and what for; Ben keeps the answer.
    expect(at('── form: Write an example')).toContain(
      'For @ben, an example of:\n>Ship regularly, with guidance and oversight.',
    );
    expect(output).toContain('(pressed "Keep it")');

    // The check-in shows each piece under its own question.
    expect(output).toMatch(
      /Do you ship regularly, with guidance and oversight\?\n:card_index: In your evidence log so far\n>Ben shipped the newsletter every week\. — @chen\n>Shipped the partner newsletter every week with guidance\n/,
    );
    expect(output).toMatch(
      /Do you translate ideas into projects and see to it that they ship\?\n:card_index: In your evidence log so far\n>Huge thanks to @ben for turning our ideas into shipped projects/,
    );
    expect(output).toContain('Shared with @maya on 29 November 2026.');

    // Maya's forms say what she is filling in; her ratings offer the case, which Ben reads first.
    expect(at('── form: Your ratings')).toContain('Rate @ben on the same expectations.');
    expect(output).toContain('By your ratings, @ben is 100% ready for their next level');
    expect(at('── form: Propose a promotion')).toContain('A promotion case for @ben:');
    const theCase = at(':seedling: @maya proposed you for a promotion.');
    expect(theCase).toContain('Promotion case for @ben: Marketing · Level 3 · Coordinator');
    expect(theCase).toContain('>Ran the spring campaign end to end.');
    expect(output).toContain('(pressed "Send it on")');
    expect(output).toContain('Sent to the Ripple admins: @ana.');

    // Ana approves: Ben is congratulated, Maya told, and his record shows the new level.
    expect(output).toContain('(pressed "Approve")');
    expect(output).toMatch(/DM from Ripple to @ben ─+\n:tada: Congratulations on Coordinator!/);
    expect(output).toContain('@ana promoted @ben to Marketing · Level 3 · Coordinator');
    const me = output.slice(output.lastIndexOf('You are now @ben'));
    expect(me).toContain('You are now @ben (Marketing · Level 3 · Coordinator');
    expect(me).toMatch(/Your career record\nMarketing · Level 3 · Coordinator/);
    // Nothing was posted in a channel.
    expect(output).not.toMatch(/── in #/);

    const team = 'T0RIPPLE01';
    expect((await ctx.stores.teammates.get(team, 'U0SBBEN001'))?.levelId).toBe('level-3');
    expect((await ctx.stores.evidence.all(team, 'U0SBBEN001')).map((e) => e.source).sort()).toEqual([
      'colleague',
      'message',
      'win',
    ]);
  });
});
