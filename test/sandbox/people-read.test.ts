import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/**
 * Issue 16, "also": no message a person receives prints a framework's open-area title literally ("Head of …") or
 * an arrow between levels or dates. The sandbox walks every sample person through their card and Home, @maya
 * through a check-in that reaches Level 5 (Head of …) and a promotion to it, an admin through setting records, and
 * six months of reminders and notes. Only `/career titles` (the framework's own title list) names "Head of …".
 */

/** Everything the people saw, as the sandbox printed it (messages, DMs, Home tabs, modals). */
async function walk(): Promise<string> {
  const { output, code } = await runSandboxLines([
    '/people',
    ...['ben', 'maya', 'ana', 'chen', 'dee', 'eve'].flatMap((p) => [`/as ${p}`, '/career me', '/home']),
    '/as maya',
    '/career team',
    '/career checkin',
    // Thirteen answers: six about Level 4, seven about Level 5 (Head of …); the third button of each question.
    ...Array.from({ length: 13 }, () => '3'),
    '2', // Share with my manager (@ana)
    '/as ana',
    '/career team',
    `/career who @maya`,
    '/career set @maya marketing 5',
    '/career set @eve marketing 5 manager @maya',
    '/as maya',
    '/career team',
    '/home',
    '/time +6m',
    '/career me',
    '/as ana',
    '/career team',
  ]);
  expect(code).toBe(0);
  return output;
}

describe('what people read in the sandbox', () => {
  it('names "Head of …" as the reader’s area, and never puts an arrow between levels or dates', {
    timeout: 30_000,
  }, async () => {
    const output = await walk();
    // The walk reached every place that names Level 5: the check-in's questions and summary, the promotion, the
    // welcome, the cards and lists of the person, their manager and the admin.
    expect(output).toContain('Level 5 · Head of your area · 7 of 13');
    expect(output).toContain('Level 5 · Head of your area: Consistently: 0 · Sometimes: 7');
    expect(output).toContain('Level 5 · Head of their area: Consistently: 0 · Sometimes: 7'); // @ana's shared DM
    expect(output).toContain('Congratulations on Head of your area!');
    expect(output).toContain(
      ':wave: Welcome to Ripple. @ana recorded your career level: Marketing · Level 5 · Head of your area',
    );
    expect(output).toContain('Recorded @eve at Marketing · Level 5 · Head of their area');
    expect(output).toContain('@eve · Marketing · Level 5 · Head of their area');
    expect(output).toContain('@maya · Marketing · Level 5 · Head of their area');
    expect(output).not.toMatch(/Head of (…|\.\.\.)/);
    expect(output).not.toContain('→');
  });

  it('leaves the framework’s own title list as the framework writes it', async () => {
    const { output } = await runSandboxLines(['/career titles marketing']);
    expect(output).toContain('Head of …');
  });
});
