import { describe, expect, it } from 'vitest';
import { runSandboxLines } from '../support/sandbox.js';

/**
 * Eight sandbox months (from Sunday 29 November 2026 to 30 July 2027) through `/time`, which runs the
 * background ticks on the way. @maya manages two quiet reports (@ben and @dee: no check-ins); @ana manages
 * @maya and @chen. A manager's digest comes only in a week when something needs them.
 */
function dms(output: string): { to: string; when: string; text: string; body: string }[] {
  return [...output.matchAll(/── DM from Ripple to (\S+) · (.+?) ─*\n([\s\S]*?)(?=\n── |\nSandbox time:)/g)].map(
    (m) => ({
      to: m[1] as string,
      when: (m[2] as string).trim(),
      text: (m[3] as string).split('\n')[0] as string,
      body: m[3] as string,
    }),
  );
}

describe('eight sandbox months of weekly digests', () => {
  it('a manager with two quiet reports gets a digest only in the weeks something needed them', {
    timeout: 60_000,
  }, async () => {
    const { output } = await runSandboxLines([
      '/time 2027-03-01',
      // An admin moves @ben up on Monday 1 March: @maya hears of it in the next week's digest.
      '/as ana',
      '/career set @ben marketing 3',
      '/time 2027-07-30',
    ]);
    const all = dms(output);
    const digests = all.filter((d) => d.text === 'Your team this week');
    // Two weeks in eight months: the level change, and @dee's window opening on 29 July. (Before, every
    // Monday brought one to each manager: about 35 each.)
    expect(digests.map((d) => `${d.to} ${d.when.replace(/ \d\d:\d\d .*/, '')}`)).toEqual([
      '@maya Mon 8 Mar 2027',
      '@maya Mon 26 Jul 2027',
    ]);
    expect(digests[0]?.body).toContain('@ben moved up to Marketing · Level 3 · Coordinator on 1 March 2027.');
    expect(digests[1]?.body).toContain("@dee's window for Happiness Hero III opens on 29 July 2027");
    // @ana's reports needed nothing from her: no digest, and no note about @maya's optional step, whose
    // usual window ended on 29 March 2027 (Marketing 4 → 5, "nobody is expected to reach Level 5").
    expect(all.filter((d) => d.to === '@ana' && d.body.includes('@maya'))).toEqual([]);
    const mayaOwn = all.filter((d) => d.to === '@maya' && d.text.includes('ended on 29 March 2027'));
    expect(mayaOwn.map((d) => d.text)).toEqual([
      'The usual window for Head of your area ended on 29 March 2027: a step you may or may not want, worth a word at your next 1:1.',
    ]);
    expect(output).not.toContain('Head of …');
  });
});
