import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** The ack body of a lookup: ephemeral, with blocks and a fallback text. */
async function lookup(text: string) {
  const reply = await t.driver.command(text, { user: 'U0ANA00001' });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  const ack = reply.ack as { response_type: string; text: string; blocks: unknown[] };
  expect(ack.response_type).toBe('ephemeral');
  expect(ack.text.length).toBeGreaterThan(0);
  return { reply, ack, text: visibleText(ack) };
}

describe('/career level', () => {
  it('shows Marketing level 3 as the seed describes it', async () => {
    const { text, ack } = await lookup('level 3 marketing');
    expect(text).toContain('Marketing · Level 3 · Coordinator');
    expect(text).toContain('Focus:* Results');
    expect(text).toContain('Drive results with little or no supervision');
    expect(text).toContain('Translate ideas into projects and see to it that they ship.');
    expect(text).toContain('Begin to set strategy and vision for your area, with coaching and advice.');
    expect(text).toContain('accountable for results in your area');
    expect(text).toContain('Next step:* Level 4 (Senior), typically after 1–2 years');
    expect(ack.text).toContain('1–2 years');
    // Previous and next steps are buttons.
    expect(buttonsOf(ack).map((b) => b.text)).toEqual(['◀ Level 2 · Strategist', 'Level 4 · Senior ▶']);
    expect(t.errors).toEqual([]);
  });

  it.each([
    'marketing 3',
    'level marketing 3',
    'level three marketing',
    'level III mkt',
    'level L3 Marketing',
    'MARKETING level 3',
    'level coordinator marketing',
  ])('understands "%s"', async (input) => {
    const { text } = await lookup(input);
    expect(text).toContain('Marketing · Level 3 · Coordinator');
  });

  it('finds a level by title alone', async () => {
    const { text } = await lookup('Staff Engineer');
    // Past the fork after Senior its file number (6) is not a rung: the title alone.
    expect(text).toContain('Engineering · Staff Engineer');
    expect(text).not.toContain('Level 6');
    expect(text).toContain('3+ years');
  });

  it('shows the fork after Senior Engineer as two next steps', async () => {
    const { ack, text } = await lookup('level 4 engineering');
    expect(text).toContain('Next steps (the path forks)');
    const next = buttonsOf(ack).filter((b) => b.text.endsWith('▶'));
    expect(next.map((b) => b.text)).toEqual(['Senior Engineer II ▶', 'Staff Engineer ▶']);
    expect(text).toContain('Senior Engineer II or Staff Engineer');
    expect(text).not.toMatch(/Level [56]/);
    expect(text).toContain('2+ years');
    expect(text).toContain('optional');
  });

  it('steps to the next level by updating the message in place', async () => {
    const { ack } = await lookup('level 3 marketing');
    const next = buttonsOf(ack).find((b) => b.text.endsWith('▶'));
    expect(next).toBeDefined();
    const pressed = await t.driver.action({ user: 'U0ANA00001', actionId: next?.actionId ?? '', value: next?.value });
    expect(pressed.status).toBe(200);
    expect(pressed.responses).toHaveLength(1);
    const update = pressed.responses[0] as { replace_original: boolean };
    expect(update.replace_original).toBe(true);
    expect(visibleText(update)).toContain('Marketing · Level 4 · Senior');
    expectWithinSlackLimits(pressed);
  });

  it('explains a level out of range with the valid range', async () => {
    const { text } = await lookup('level 9 marketing');
    expect(text).toContain('Marketing has levels 1 to 5; there is no level 9.');
  });

  it('names the teams and the closest match for an unknown team', async () => {
    const { text } = await lookup('level 3 marketting');
    expect(text).toContain('I don\'t know a team called "marketting"');
    expect(text).toContain('Did you mean *marketing*?');
    expect(text).toContain('engineering (Engineering, 8 levels)');
    expect(text).toContain('happiness');
  });

  it('asks which team when only a number is given and the caller has no record', async () => {
    const { text } = await lookup('level 3');
    expect(text).toContain('Level 3 of which team?');
  });

  it('a button whose level no longer exists gets an explanation, not an error', async () => {
    const pressed = await t.driver.action({
      user: 'U0ANA00001',
      actionId: 'career.level.view.0',
      value: JSON.stringify({ f: 'marketing', l: 'gone' }),
    });
    expect(visibleText(pressed.responses[0])).toContain('no longer in the framework');
    const garbled = await t.driver.action({ user: 'U0ANA00001', actionId: 'career.level.view.0', value: 'not json' });
    expect(garbled.status).toBe(200);
    expect(visibleText(garbled.responses[0])).toContain('no longer in the framework');
  });
});

describe('/career titles, frameworks, compare, help', () => {
  it('lists the eight engineering titles in order', async () => {
    const { text } = await lookup('titles engineering');
    const titles = [
      'Software Engineer',
      'Software Engineer II',
      'Software Engineer III',
      'Senior Engineer',
      'Senior Engineer II',
      'Staff Engineer',
      'Principal Engineer',
      'Engineer of Distinction',
    ];
    const lines = text.split('\n').filter((l) => /^(\d\.|•) /.test(l));
    expect(lines.map((l) => l.replace(/^(\d\.|•) /, '').replace(/ → then .*$/, ''))).toEqual(titles);
    // Numbered while a number counts rungs; from the first fork on, bullets (no "5." and "6." for two paths).
    expect(lines.filter((l) => /^\d\. /.test(l))).toHaveLength(2);
  });

  it('lists every team with titles when no team is given', async () => {
    const { text } = await lookup('titles');
    for (const name of ['Engineering', 'Happiness', 'Marketing', 'Coordinator', 'Tech Hero', 'Happiness Lead']) {
      expect(text).toContain(name);
    }
  });

  it('lists the frameworks', async () => {
    const { text } = await lookup('frameworks');
    expect(text).toMatch(/Engineering\* · `engineering` · 8 levels/);
    expect(text).toMatch(/Marketing\* · `marketing` · 5 levels/);
  });

  it('compares two levels: scope, ownership and what the higher one expects', async () => {
    const { text } = await lookup('compare marketing 4 3');
    expect(text).toContain('Marketing: Level 3 → Level 4');
    expect(text).toContain('●●●○○ → ●●●●○');
    expect(text).toContain('Results → Strategy');
    expect(text).toContain('New at Level 4');
    expect(text).toContain('Act as a resource to unblock and enable the whole team');
    expect(text).toContain('1–2 years');
  });

  it('compares across several steps and sums the timeframes', async () => {
    const { text } = await lookup('compare marketing 1 3');
    expect(text).toContain('9–18 months (2 steps)');
  });

  it('compares levels given by title', async () => {
    const { text } = await lookup('compare engineering senior engineer vs staff engineer');
    expect(text).toContain('Engineering: Senior Engineer → Staff Engineer');
  });

  it('says when two levels are on different tracks', async () => {
    const { text } = await lookup('compare happiness "Happiness Lead" "Tech Hero"');
    expect(text).toContain('not on one path');
  });

  it('gives help for empty text and for help', async () => {
    for (const input of ['', '   ', 'help']) {
      const { text } = await lookup(input);
      expect(text).toContain('/career level <number> <team>');
      expect(text).toContain('/career titles [team]');
      expect(text).toContain('/career compare <team> <level> <level>');
    }
  });

  it.each([
    ['chekin', '/career checkin'],
    ['checkni 3', '/career checkin 3'],
    ['hlep', '/career help'],
    ['histroy', '/career history'],
    ['nudge off', '/career nudges off'],
  ])('"/career %s" asks: did you mean `%s`?', async (typed, meant) => {
    const { text } = await lookup(typed);
    expect(text).toContain(`Did you mean \`${meant}\`?`);
  });

  it('keeps a mistyped title a title: no command is suggested for it', async () => {
    const { text } = await lookup('Coordinater');
    expect(text).not.toContain('Did you mean `/career');
  });

  it('explains a compare with too few words', async () => {
    const { text } = await lookup('compare 3');
    expect(text).toContain('Compare needs two levels, and a team unless it is your own.');
    expect(text).toContain('Example: `/career compare engineering 4 6`');
  });
});

describe('text a user typed', () => {
  it('is escaped when echoed, so <!channel> never becomes a mention', async () => {
    // With should_escape, Slack sends a typed @channel as <!channel>.
    const { ack } = await lookup('level 3 <!channel> <@U0BOSS0001|boss>');
    const raw = JSON.stringify(ack);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U0BOSS0001');
  });

  it('is escaped in an unknown-word reply', async () => {
    // Slack sends what the user typed escaped (`&lt;`), and a typed @here as <!here>.
    const { ack } = await lookup('<!here> &amp; &lt;script&gt;');
    const raw = JSON.stringify(ack);
    expect(raw).not.toMatch(/<!here>|<script>/);
    expect(raw).toContain('&lt;script&gt;');
    expect(visibleText(ack)).toContain('@here & <script>');
  });
});

describe('lookup replies kept for reuse (rendered once per text)', () => {
  const ANA = 'U0ANA00001';
  const BO = 'U0BO000001';
  const asOf = '2026-12-01T09:00:00.000Z';
  const recordIn = (userId: string, frameworkId: string, levelId: string, managerId?: string) =>
    t.ctx.stores.teammates.upsert({
      teamId: t.api.teamId,
      userId,
      frameworkId,
      levelId,
      since: '2026-01-05',
      ...(managerId ? { managerId } : {}),
      changedBy: 'U0ADMIN001',
      at: asOf,
    });
  const shown = async (userId: string, text: string) =>
    visibleText((await t.driver.command(text, { user: userId })).ack);

  it('`level 3` follows each caller’s own team, and the team a record moves to', async () => {
    expect(await shown(ANA, 'level 3')).toContain('Level 3 of which team?');
    await recordIn(ANA, 'engineering', 'software-engineer');
    await recordIn(BO, 'marketing', 'strategist');
    expect(await shown(ANA, 'level 3')).toContain('Engineering · Software Engineer III');
    expect(await shown(BO, 'level 3')).toContain('Marketing · Level 3 · Coordinator');
    expect(await shown(ANA, 'level 3')).toContain('Engineering · Software Engineer III');
    await recordIn(ANA, 'marketing', 'strategist');
    expect(await shown(ANA, 'level 3')).toContain('Marketing · Level 3 · Coordinator');
    await t.ctx.stores.teammates.forget(t.api.teamId, BO);
    expect(await shown(BO, 'level 3')).toContain('Level 3 of which team?');
  });

  it('reads the caller’s record for every lookup that leaves its team out, and for no other', async () => {
    const reads = vi.spyOn(t.ctx.stores.teammates, 'get');
    try {
      const first = (await t.driver.command('compare marketing 2 3', { user: ANA })).ack;
      const again = (await t.driver.command('compare marketing 2 3', { user: BO })).ack;
      expect(again).toEqual(first);
      expect(reads).not.toHaveBeenCalled();
      for (let i = 0; i < 3; i++) await t.driver.command('compare 2 3', { user: ANA });
      expect(reads).toHaveBeenCalledTimes(3);
    } finally {
      reads.mockRestore();
    }
  });

  it('help lists the manager commands while the caller has a report, and not before or after', async () => {
    const CY = 'U0CY000001';
    const DEE = 'U0DEE00001';
    expect(await shown(CY, 'help')).not.toContain('/career team');
    await recordIn(DEE, 'marketing', 'strategist', CY);
    expect(await shown(CY, 'help')).toContain('/career team');
    expect(await shown(DEE, 'help')).not.toContain('/career team');
    await recordIn(DEE, 'marketing', 'strategist', 'U0OTHER001');
    expect(await shown(CY, 'help')).not.toContain('/career team');
  });
});
