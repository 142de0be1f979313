import { describe, expect, it } from 'vitest';
import { parseClockCommand } from '../../src/sandbox/clock.js';
import { runSandboxLines } from '../support/sandbox.js';

const sandbox = runSandboxLines;

describe('the local sandbox', () => {
  it('starts as a teammate with a record and shows their window', async () => {
    const { output, code } = await sandbox(['/career me']);
    expect(code).toBe(0);
    expect(output).toContain('You are @ben');
    expect(output).toContain('Marketing · Level 2 · Strategist');
    expect(output).toContain('Expected window for Level 3 (Coordinator): 29 July 2026 to 29 January 2027');
  });

  it('acts as another person with /as, and mentions by @name work like Slack', async () => {
    const { output } = await sandbox(['/as maya', '/career who @ben', '/as chen', '/career who @ben']);
    expect(output).toContain('You are now @maya');
    expect(output).toContain('Career record of @ben');
    expect(output).toContain('Only @ben, their manager and Ripple admins can see their career record.');
  });

  it('an admin records a level for the new hire', async () => {
    const { output, ctx } = await sandbox(['/as ana', '/career set @eve marketing 1', '/as eve', '/career me']);
    expect(output).toContain('Recorded @eve at Marketing · Level 1');
    expect(output).toContain('DM from Ripple to @eve');
    expect(output).toContain('@ana recorded your career level');
    expect((await ctx.stores.teammates.get('T0RIPPLE01', 'U0SBEVE001'))?.levelId).toBe('level-1');
  });

  it('presses numbered buttons and explains a number with no button', async () => {
    const { output } = await sandbox(['/career level 1 marketing', '7', '1']);
    expect(output).toContain('There is no button 7: pick 1 to 1.');
    expect(output).toContain('(pressed "Level 2 · Strategist ▶")');
    expect(output).toContain('Marketing · Level 2 · Strategist');
  });

  // Three years of sandbox time: some 4,500 steps of every background job, on a real database. About 5 s alone;
  // the suite runs it beside PostgreSQL servers and child processes on two cores, so it gets room.
  it('moves the clock forward with /time, and the window moves on', { timeout: 60_000 }, async () => {
    const { output } = await sandbox([
      '/as dee',
      '/career me',
      '/time +300d',
      '/career me',
      '/time 2030-01-01',
      '/time nonsense',
    ]);
    expect(output).toContain('Sandbox time: 2027-09-25 12:00 UTC');
    expect(output).toMatch(/The expected window starts in .*\.[\s\S]*In the expected window now/);
    expect(output).toContain('Sandbox time: 2030-01-01 12:00 UTC');
    expect(output).toContain('Try /time +30d');
  });

  it('lists people, opens the Home tab, answers a DM, and refuses other slash commands', async () => {
    const { output } = await sandbox(['/people', '/home', 'hello there', '/remind me']);
    expect(output).toContain('@eve: no career record yet');
    expect(output).toContain('App Home of you');
    expect(output).toContain('DM from Ripple to you');
    expect(output).toContain('I answer to /career for now');
    expect(output).toContain('"/remind" isn\'t one');
  });

  it('stops at /quit without reading further', async () => {
    const { output, code } = await sandbox(['/quit', '/career me']);
    expect(code).toBe(0);
    expect(output).not.toContain('Your career record');
  });
});

describe('sandbox polish (issue 8)', () => {
  it('/as describes people as they are now, after changes', async () => {
    const { output } = await sandbox(['/as eve', '/as ana', '/career set @eve marketing 1', '/as eve']);
    expect(output).toContain('You are now @eve (no career record yet).');
    expect(output).toContain(
      'You are now @eve (Marketing · Level 1 · Content Crafter / Press Crafter / Social Media Marketer, 0 days at the level).',
    );
  });

  it('prints a Home tab when asked or changed, after the reply', async () => {
    const { output } = await sandbox(['/home', '/home', '/as ana', '/career set @eve marketing 1', '/career me']);
    expect(output.match(/── App Home of you/g)).toHaveLength(2);
    const set = output.slice(output.indexOf('Recorded @eve'));
    expect(set.indexOf('App Home of @eve')).toBeGreaterThan(set.indexOf('DM from Ripple to @eve'));
  });
});

describe('/time', () => {
  it.each([
    ['', { kind: 'show' }],
    ['+30d', { kind: 'advance', days: 30 }],
    ['+2w', { kind: 'advance', days: 14 }],
    ['-1d', { kind: 'advance', days: -1 }],
    ['+3 months', { kind: 'advance', days: 90 }],
    ['+1y', { kind: 'advance', days: 365 }],
    ['+2 years', { kind: 'advance', days: 730 }],
    ['2027-01-15', { kind: 'jump', date: '2027-01-15' }],
    ['tomorrow', { kind: 'invalid' }],
  ])('"%s"', (text, expected) => {
    expect(parseClockCommand(text)).toEqual(expected);
  });

  it('a whole check-in: buttons by number, evidence by typing, and the manager rates through the form', async () => {
    // Each answered question keeps a Change button ([1]), so from the second question on the ratings are [2]–[5].
    const answers = Array.from({ length: 13 }, () => '4');
    answers[0] = '3';
    answers[1] = '3'; // Sometimes
    const { output } = await sandbox([
      '/career checkin',
      'I wrote the Q3 launch plan',
      ...answers,
      '2', // Share with my manager (after the last question's Change)
      '/as maya',
      '4', // Add my ratings, on Maya's copy (after the summary's three buttons)
      '1', // not yet, for the first expectation
      'x', // not a choice: asked again
      '3',
      '-', // left empty
      ...Array.from({ length: 10 }, () => '3'),
      'Great plan', // the note for Ben
    ]);
    expect(output).toContain('1 of 13');
    expect(output).toContain('Noted as evidence for question 1');
    expect(output).toContain('Level 2 · Strategist: Consistently: 5 · Sometimes: 1 · Not yet: 0 · Skipped: 0');
    expect(output).toContain('Readiness for Level 3: 100%');
    expect(output).toContain('form: Your ratings');
    expect(output).toContain('Pick 1 to 4.');
    expect(output).toContain('@maya added their ratings to your check-in');
    expect(output).toContain('You: Consistently · @maya: Not yet');
    expect(output).toContain('>Great plan');
  });
});
