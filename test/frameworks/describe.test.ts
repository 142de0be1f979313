import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import {
  describeTimeframe,
  formatMonths,
  isNumbered,
  levelLabel,
  levelName,
  nextStepSentence,
  placeName,
  scaleDots,
  stepName,
} from '../../src/frameworks/describe.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { Framework, Level } from '../../src/frameworks/schema.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

function framework(id: string): Framework {
  const fw = catalog.get(id);
  if (!fw) throw new Error(`no framework "${id}"`);
  return fw;
}

function level(frameworkId: string, number: number): Level {
  const found = framework(frameworkId).levels.find((l) => l.number === number);
  if (!found) throw new Error(`no level ${number} in ${frameworkId}`);
  return found;
}

describe('formatMonths', () => {
  it.each<[number, number | undefined, string]>([
    [3, 6, '3–6 months'],
    [6, 12, '6–12 months'],
    [9, 18, '9–18 months'],
    [12, 18, '12–18 months'],
    [12, 24, '1–2 years'],
    [12, 36, '1–3 years'],
    [24, 48, '2–4 years'],
    [0, 6, '0–6 months'],
    [6, 6, '6 months'],
    [1, 1, '1 month'],
    [12, 12, '1 year'],
    [24, 24, '2 years'],
    [6, undefined, '6+ months'],
    [12, undefined, '1+ years'],
    [24, undefined, '2+ years'],
    [36, undefined, '3+ years'],
  ])('formats %i to %s months as "%s"', (min, max, expected) => {
    expect(formatMonths(min, max)).toBe(expected);
  });
});

describe('scaleDots', () => {
  it.each<[number, number | undefined, string]>([
    [1, undefined, '●○○○○'],
    [3, undefined, '●●●○○'],
    [5, undefined, '●●●●●'],
    [0, undefined, '○○○○○'],
    [2, 3, '●●○'],
    [4, 3, '●●●●'],
  ])('draws %i of %s as %s', (point, of, expected) => {
    expect(scaleDots(point, of)).toBe(expected);
  });
});

describe('levelLabel and stepName', () => {
  it('joins several titles with a slash', () => {
    expect(levelLabel(level('marketing', 1))).toBe('Level 1 · Content Crafter / Press Crafter / Social Media Marketer');
    expect(stepName(framework('marketing').levels, level('marketing', 4))).toBe('Level 4 (Senior)');
  });
});

describe('levelName: one naming rule for every surface', () => {
  const name = (fwId: string, n: number, title?: string) => levelName(framework(fwId).levels, level(fwId, n), title);

  it.each<[string, string, number, string]>([
    ['a one-track framework numbers every level', 'marketing', 3, 'Level 3 · Coordinator'],
    ['the main track before any fork', 'engineering', 2, 'Level 2 · Software Engineer II'],
    ['past the fork at Software Engineer II, the title alone', 'engineering', 4, 'Senior Engineer'],
    ['a path after Senior, never "Level 5"', 'engineering', 5, 'Senior Engineer II'],
    ['the other path after Senior, never "Level 6"', 'engineering', 6, 'Staff Engineer'],
    ['the main track of a framework with side tracks', 'happiness', 3, 'Level 3 · Happiness Hero III'],
    ['a side track: title and track, never "Level 6"', 'happiness', 6, 'Happiness Lead (Happiness Lead track)'],
    [
      'a side track of two levels',
      'happiness',
      4,
      'Onboarding and Education Specialist I (Onboarding and Education track)',
    ],
  ])('%s', (_, fwId, n, expected) => {
    expect(name(fwId, n)).toBe(expected);
  });

  it("puts a person's own title in place of the level's titles", () => {
    expect(name('marketing', 1, 'Social Media Marketer')).toBe('Level 1 · Social Media Marketer');
    expect(name('marketing', 5, 'Head of Content')).toBe('Level 5 · Head of Content');
    expect(placeName(framework('marketing'), level('marketing', 2), null)).toBe('Marketing · Level 2 · Strategist');
  });

  it('numbers only levels whose number counts rungs', () => {
    const numbered = (fwId: string) =>
      framework(fwId)
        .levels.filter((l) => isNumbered(framework(fwId).levels, l))
        .map((l) => l.number);
    expect(numbered('marketing')).toEqual([1, 2, 3, 4, 5]);
    expect(numbered('engineering')).toEqual([1, 2]);
    expect(numbered('happiness')).toEqual([1, 2, 3]);
  });

  it('names the steps after a fork by title, and a side track with its track', () => {
    const steps = (fwId: string, n: number) =>
      nextStepSentence(framework(fwId).levels, level(fwId, n), catalog.nextSteps(framework(fwId), level(fwId, n)));
    expect(steps('engineering', 4)).toMatch(/^Senior Engineer II or Staff Engineer, typically after 2\+ years/);
    expect(steps('happiness', 2)).toContain('Onboarding and Education Specialist I (Onboarding and Education track)');
    expect(steps('marketing', 3)).toMatch(/^Level 4 \(Senior\), typically after/);
  });
});

describe('describeTimeframe', () => {
  const steps = (fwId: string, n: number) => catalog.nextSteps(framework(fwId), level(fwId, n));

  it.each<[string, string, number, { heading: string; value: string; notes: string[] }]>([
    ['a single next step', 'marketing', 3, { heading: 'Timeframe to Level 4 (Senior)', value: '1–2 years', notes: [] }],
    [
      'the one step named by `to`',
      'engineering',
      2,
      { heading: 'Timeframe to Senior Engineer', value: '1–3 years', notes: [] },
    ],
    [
      'an optional fork with a note',
      'engineering',
      4,
      {
        heading: 'Timeframe to Senior Engineer II or Staff Engineer',
        value: '2+ years',
        notes: [
          'optional: a choice, not an expectation',
          'If the person chooses to increase influence, deeper in one team or broader across teams.',
        ],
      },
    ],
    [
      'an assumed default',
      'happiness',
      1,
      {
        heading: 'Timeframe to Level 2 (Happiness Hero II)',
        value: '6–12 months',
        notes: [
          'Assumed default for the time to Happiness Hero II; the team has not confirmed it yet.',
          'a default the team has not reviewed yet',
        ],
      },
    ],
    [
      'an optional, assumed step to every side track',
      'happiness',
      3,
      {
        heading:
          'Timeframe to Onboarding and Education Specialist I (Onboarding and Education track) or Happiness Lead (Happiness Lead track) or Tech Hero (Tech Hero track)',
        value: '1–2 years',
        notes: [
          'optional: a choice, not an expectation',
          "Assumed default; a move to a side track is the person's choice, not an expectation.",
          'a default the team has not reviewed yet',
        ],
      },
    ],
  ])('describes %s', (_, fwId, n, expected) => {
    expect(describeTimeframe(framework(fwId).levels, level(fwId, n), steps(fwId, n))).toEqual(expected);
  });

  it('returns nothing for a level without a timeframe', () => {
    expect(describeTimeframe(framework('engineering').levels, level('engineering', 8), [])).toBeUndefined();
    expect(
      describeTimeframe(framework('engineering').levels, level('engineering', 7), steps('engineering', 7)),
    ).toBeUndefined();
  });

  it('says "the next step" when the next steps are not given', () => {
    expect(describeTimeframe(framework('marketing').levels, level('marketing', 1), [])?.heading).toBe(
      'Timeframe to the next step',
    );
  });
});
