import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { INFLUENCE_SCALE, isNumbered, levelName, OWNERSHIP_SCALE, stepName } from '../../src/frameworks/describe.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { compareMessage, levelMessage, titlesMessage } from '../../src/slack/blocks/lookup.js';
import { checkMessage } from '../../src/slack/limits.js';
import { visibleText } from '../support/blocks.js';

const catalog = new Catalog(loadFrameworks('frameworks'));
const cards = catalog.frameworks.flatMap((framework) =>
  framework.levels.map((level) => ({ name: `${framework.id} ${level.number} ${level.titles[0]}`, framework, level })),
);

/** A card fits one laptop screen: at most this many lines of text (buttons aside). */
const LINE_BUDGET = 22;

/** The card's text without its buttons: what a person reads. */
function readable(message: ReturnType<typeof levelMessage>): string {
  return visibleText({ blocks: message.blocks.filter((b) => b.type !== 'actions') });
}

function sentences(text: string): string[] {
  return text
    .split(/\n|(?<=[.!?])\s+/)
    .map((s) => s.replace(/^[•*_\s]+|[*_\s]+$/g, '').trim())
    .filter((s) => s.length > 12);
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('every level card of the default frameworks', () => {
  it('covers the three frameworks', () => {
    expect(catalog.frameworks.map((f) => f.id).sort()).toEqual(['engineering', 'happiness', 'marketing']);
    expect(cards).toHaveLength(20);
  });

  it.each(cards)('$name: one voice, one screen, within Slack limits', ({ framework, level }) => {
    const message = levelMessage(catalog, framework, level);
    const text = readable(message);
    expect(checkMessage(message)).toEqual([]);
    expect(text.split('\n').length).toBeLessThanOrEqual(LINE_BUDGET);

    const all = sentences(text);
    expect(all.filter((s, i) => all.indexOf(s) !== i)).toEqual([]);

    // One scope and one ownership sentence: the level's own; the shared scale is only the dots.
    expect(count(text, level.scope.text)).toBe(1);
    expect(count(text, level.ownership.text)).toBe(1);
    const lines = text.split('\n').map((l) => l.replace(/^_|_$/g, '').trim());
    expect(lines).not.toContain(INFLUENCE_SCALE[level.scope.scale]);
    expect(lines).not.toContain(OWNERSHIP_SCALE[level.ownership.scale]);

    // The header once; each next step named once in the text (its button is the only other place).
    expect(count(text, `${framework.name} · ${levelName(framework.levels, level)}`)).toBe(1);
    // A side-track level, or one past a fork, is named by its title: its number counts the file, not rungs.
    if (!isNumbered(framework.levels, level)) expect(text).not.toContain(`Level ${level.number}`);
    expect(count(text, `${framework.name}*`)).toBe(0);
    const nextLine = text.split('\n').find((l) => l.startsWith('*Next step')) ?? '';
    for (const next of catalog.nextSteps(framework, level)) {
      expect(nextLine).toContain(stepName(framework.levels, next));
      if (!isNumbered(framework.levels, next)) expect(text).not.toContain(`Level ${next.number}`);
    }

    // Notes for framework authors stay in the file; an unconfirmed timeframe says so, once.
    if (level.timeframe?.assumed && level.timeframe.note) expect(text).not.toContain(level.timeframe.note);
    expect(count(text, 'not confirmed')).toBe(level.timeframe?.assumed ? 1 : 0);
    expect(text).not.toMatch(/nothing wider|widest scope/);
    // Tracks, not a ladder: a side track counts its own levels.
    expect(text).not.toMatch(new RegExp(`level ${level.number} of ${framework.levels.length}\\b`));
  });

  it('a side track reads as a track, not a rung (Onboarding and Education Specialist II)', () => {
    const happiness = catalog.get('happiness');
    const level = happiness?.levels.find((l) => l.id === 'onboarding-specialist-ii');
    const text = readable(levelMessage(catalog, happiness as never, level as never));
    expect(text).toContain('Level 2 of 2 on the Onboarding and Education track');
  });
});

describe('titles shows tracks and forks', () => {
  it('the engineering fork is visible', () => {
    const text = visibleText(titlesMessage([catalog.get('engineering') as never]));
    expect(text).toContain('Senior Engineer → then Senior Engineer II or Staff Engineer');
  });

  it('side tracks are listed apart, with where they are entered from', () => {
    const text = visibleText(titlesMessage([catalog.get('happiness') as never]));
    expect(text).not.toContain('4. Onboarding and Education Specialist I');
    expect(text).toContain(
      'Onboarding and Education track, entered from Happiness Hero I, Happiness Hero II, Happiness Hero III',
    );
    expect(text).toContain('1. Onboarding and Education Specialist I');
  });
});

describe('compare shows before and after', () => {
  it('each axis says what it was and what it becomes', () => {
    const marketing = catalog.get('marketing');
    if (!marketing) throw new Error('no marketing');
    const [two, three] = [marketing.levels[1], marketing.levels[2]] as const;
    if (!two || !three) throw new Error('levels');
    const text = visibleText(compareMessage(catalog.compare(marketing, two, three)));
    expect(text).toContain(`*Before:* ${two.scope.text}`);
    expect(text).toContain(`*After:* ${three.scope.text}`);
    expect(text).toContain(`*Before:* ${two.ownership.text}`);
    expect(text).toContain(`*After:* ${three.ownership.text}`);
    expect(text).toContain('New at Level 3');
  });
});
