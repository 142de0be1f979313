import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/**
 * `/time` runs the background ticks it skips over: the reminders due on the way arrive as DMs, in
 * order, each labelled with the local time it would arrive at. The sandbox starts on Sunday
 * 29 November 2026, 12:00 UTC; @ben (Europe/London) has been Marketing level 2 for 10 months, so his
 * window (6–12 months: 29 July 2026 to 29 January 2027) is open and he has had no reminder yet.
 */
async function sandbox(lines: string[]): Promise<string> {
  return (await runSandboxLines(lines)).output;
}

/** Each DM the ticks printed: recipient, local time label, and the first line of text. */
function dms(output: string): { to: string; when: string; text: string }[] {
  return [...output.matchAll(/── DM from Ripple to (\S+) · (.+?) ─*\n(.*)\n/g)].map((m) => ({
    to: m[1] as string,
    when: (m[2] as string).trim(),
    text: m[3] as string,
  }));
}

describe('/time runs the ticks in between', () => {
  it('/time +60d delivers @ben his reminders at 10:00 London time, in order, from Monday', async () => {
    const output = await sandbox(['/time +60d']);
    const ben = dms(output).filter((d) => d.to === 'you');
    // Sunday is not a delivery day: the window's "open" reminder (never the missed heads-up) comes first.
    expect(ben[0]).toEqual({
      to: 'you',
      when: 'Mon 30 Nov 2026 10:00 Europe/London',
      text: 'Your window for Coordinator is open: 29 July 2026 to 29 January 2027.',
    });
    expect(ben.length).toBeGreaterThan(1);
    for (const d of ben) expect(d.when).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d+ \w+ 202[67] 10:00 Europe\/London$/);
    // The next check-in prompt six weeks after the last one (not two days later, on 2 December).
    expect(ben.map((d) => d.when)).toEqual([
      'Mon 30 Nov 2026 10:00 Europe/London',
      'Mon 11 Jan 2027 10:00 Europe/London',
    ]);
    expect(ben.at(-1)?.text).toBe(
      'Your window for Coordinator is open (29 July 2026 to 29 January 2027): a good moment for a check-in.',
    );
    // Nothing after the new time: the window closes on 29 January, the past reminder is for later.
    expect(output).not.toMatch(/Feb 2027/);
    expect(output).toContain('Sandbox time: 2027-01-28 12:00 UTC');
  });

  it('delivers to everyone it is due for, each in their own zone, in the order they arrive', async () => {
    const all = dms(await sandbox(['/time +60d']));
    // Reminders for @ben, @chen and @maya. No manager digest: nothing in these weeks needed @maya or @ana
    // (test/sandbox/digest-months.test.ts has the weeks that do).
    expect(new Set(all.map((d) => d.to))).toEqual(new Set(['you', '@maya', '@chen']));
    expect(all.find((d) => d.to === '@chen')?.when).toBe('Mon 30 Nov 2026 10:00 Asia/Singapore');
    expect(all.find((d) => d.to === '@maya')?.when).toBe('Mon 30 Nov 2026 10:00 Europe/Stockholm');
    // Printed in the order they arrive: Singapore's 10:00 comes before Stockholm's, before London's.
    const firstOfEach = [...new Set(all.map((d) => d.to))];
    expect(firstOfEach.slice(0, 3)).toEqual(['@chen', '@maya', 'you']);
  });

  it('a reminder sent on the way is not sent again, and going back in time sends nothing', async () => {
    const output = await sandbox(['/time +30d', '/time -30d', '/time +30d']);
    const opens = dms(output).filter((d) => d.to === 'you' && d.text.includes('is open: '));
    expect(opens).toHaveLength(1);
  });

  it('a jump to a date works the same way, and the reminder button starts a check-in', async () => {
    const output = await sandbox(['/time 2026-12-01', '1']);
    expect(dms(output).find((d) => d.to === 'you')).toMatchObject({ when: 'Mon 30 Nov 2026 10:00 Europe/London' });
    expect(output).toContain('(pressed "Start a check-in")');
  });

  it('a #channel typed in the sandbox is a channel link: an admin sets the growth channel, and /time brings the weekly post', async () => {
    const output = await sandbox([
      '/as ana',
      '/career admin channel #growth mon 10:00',
      '/career admin nudge-now',
      '/time +8d',
    ]);
    expect(output).toContain('── in #growth');
    expect(output).toContain('Growth nudges will go to #growth every Monday at 10:00');
    expect(output.match(/Growth prompt of the week/g)?.length).toBeGreaterThanOrEqual(2);
    // The managers' digests do not: nothing needed them this week.
    expect(output).not.toContain('Your team this week');
  });
});
