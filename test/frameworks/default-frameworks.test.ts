import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { Framework, Level } from '../../src/frameworks/schema.js';

const frameworks = loadFrameworks('frameworks');

function framework(id: string): Framework {
  const fw = frameworks.find((f) => f.id === id);
  if (!fw) throw new Error(`no framework "${id}" in frameworks/`);
  return fw;
}

function level(fw: Framework, id: string): Level {
  const found = fw.levels.find((l) => l.id === id);
  if (!found) throw new Error(`no level "${id}" in ${fw.id}`);
  return found;
}

describe('default frameworks', () => {
  it('loads every file in frameworks/', () => {
    const files = readdirSync('frameworks').filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual(['engineering.yml', 'happiness.yml', 'marketing.yml']);
    expect(frameworks.map((f) => f.id).sort()).toEqual(['engineering', 'happiness', 'marketing']);
  });

  it('uses stable, unique expectation ids and reachable steps in every framework', () => {
    for (const fw of frameworks) {
      const ids = fw.levels.flatMap((l) => l.expectations.map((e) => e.id));
      expect(new Set(ids).size, fw.id).toBe(ids.length);
      // Every level but the first is reachable from some other level.
      const targets = new Set(fw.levels.flatMap((l) => l.next));
      for (const l of fw.levels.slice(1)) expect(targets.has(l.id), `${fw.id}: ${l.id} is unreachable`).toBe(true);
    }
  });

  describe('marketing', () => {
    const mkt = framework('marketing');

    it('has the five levels with the seed titles and focus words', () => {
      expect(mkt.levels.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
      expect(mkt.levels.map((l) => l.titles)).toEqual([
        ['Content Crafter', 'Press Crafter', 'Social Media Marketer'],
        ['Strategist'],
        ['Coordinator'],
        ['Senior'],
        ['Head of …'],
      ]);
      expect(mkt.levels.map((l) => l.focus)).toEqual(['Learning', 'Shipping', 'Results', 'Strategy', 'Influence']);
      for (const l of mkt.levels) {
        expect(l.scope.scale).toBe(l.number);
        expect(l.ownership.scale).toBe(l.number);
      }
    });

    it('level 1: yourself and your tasks, drive results with some support, 3-6 months', () => {
      const l1 = level(mkt, 'level-1');
      expect(l1.scope.text).toBe('Yourself and your tasks');
      expect(l1.summary).toBe('Drive results with some support');
      expect(l1.ownership.text).toContain('No ownership responsibility');
      expect(l1.timeframe).toMatchObject({ min: 3, max: 6, optional: false, assumed: false });
      expect(l1.next).toEqual(['level-2']);
      expect(l1.expectations).toHaveLength(4);
    });

    it('level 3 is Coordinator: Results, 12-24 months, accountable for results', () => {
      const l3 = level(mkt, 'level-3');
      expect(l3.number).toBe(3);
      expect(l3.titles).toEqual(['Coordinator']);
      expect(l3.focus).toBe('Results');
      expect(l3.timeframe).toMatchObject({ min: 12, max: 24, optional: false });
      expect(l3.ownership.text).toContain('accountable for results');
      expect(l3.expectations.some((e) => /drive results with little or no supervision/i.test(e.text))).toBe(true);
      expect(l3.expectations).toHaveLength(7);
    });

    it('level 4 to 5 is optional, and level 5 is the end of the path', () => {
      const l4 = level(mkt, 'level-4');
      expect(l4.timeframe).toEqual({
        min: 12,
        max: 24,
        optional: true,
        note: 'If the person chooses to increase influence.',
        assumed: false,
      });
      const l5 = level(mkt, 'level-5');
      expect(l5.timeframe).toBeNull();
      expect(l5.next).toEqual([]);
      expect(l5.expectations.map((e) => e.text)).toContain('Make the plan.');
    });

    it('has the expected timeframes from level to level', () => {
      expect(mkt.levels.map((l) => (l.timeframe ? [l.timeframe.min, l.timeframe.max] : null))).toEqual([
        [3, 6],
        [6, 12],
        [12, 24],
        [12, 24],
        null,
      ]);
    });
  });

  describe('engineering', () => {
    const eng = framework('engineering');

    it('has the eight titles in order', () => {
      expect(eng.levels.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(eng.levels.map((l) => l.titles[0])).toEqual([
        'Software Engineer',
        'Software Engineer II',
        'Software Engineer III',
        'Senior Engineer',
        'Senior Engineer II',
        'Staff Engineer',
        'Principal Engineer',
        'Engineer of Distinction',
      ]);
      for (const l of eng.levels) expect(l.expectations.length).toBeGreaterThanOrEqual(3);
    });

    it('forks after Senior Engineer: deeper (Senior Engineer II) or broader (Staff Engineer)', () => {
      const senior = level(eng, 'senior-engineer');
      expect(senior.next).toEqual(['senior-engineer-ii', 'staff-engineer']);
      expect(senior.timeframe).toMatchObject({ min: 24, optional: true });
      expect(senior.timeframe?.max).toBeUndefined();
      expect(level(eng, 'senior-engineer-ii').next).toEqual(['staff-engineer']);
    });

    it('Software Engineer II can go to III or straight to Senior, 1-3 years to Senior', () => {
      const se2 = level(eng, 'software-engineer-ii');
      expect(se2.next).toEqual(['software-engineer-iii', 'senior-engineer']);
      expect(se2.timeframe).toMatchObject({ min: 12, max: 36, to: 'senior-engineer' });
    });

    it('has the timeframes of the table', () => {
      const tf = (id: string) => level(eng, id).timeframe;
      expect(tf('software-engineer')).toMatchObject({ min: 6, max: 12, optional: false });
      expect(tf('software-engineer-iii')).toMatchObject({ min: 12, max: 36 });
      expect(tf('senior-engineer-ii')).toMatchObject({ min: 24, optional: true });
      expect(tf('staff-engineer')).toMatchObject({ min: 36, optional: true });
      expect(tf('staff-engineer')?.max).toBeUndefined();
      expect(tf('principal-engineer')).toBeNull();
      expect(tf('engineer-of-distinction')).toBeNull();
      expect(level(eng, 'engineer-of-distinction').next).toEqual([]);
    });

    it('never narrows scope or ownership along the main path, and mentions the management track', () => {
      for (const l of eng.levels) {
        for (const nextId of l.next) {
          const n = level(eng, nextId);
          expect(n.scope.scale, `${l.id} -> ${n.id}`).toBeGreaterThanOrEqual(l.scope.scale);
          expect(n.ownership.scale, `${l.id} -> ${n.id}`).toBeGreaterThanOrEqual(l.ownership.scale);
        }
      }
      expect(eng.description).toMatch(/management track branches off after Software Engineer III/);
    });
  });

  describe('happiness', () => {
    const hap = framework('happiness');
    const enteredFrom = (id: string) =>
      hap.levels
        .filter((l) => l.next.includes(id))
        .map((l) => l.id)
        .sort();

    it('has the Happiness Hero track I-III and the side tracks', () => {
      expect(hap.levels.map((l) => [l.number, l.titles[0], l.track])).toEqual([
        [1, 'Happiness Hero I', 'Happiness Hero'],
        [2, 'Happiness Hero II', 'Happiness Hero'],
        [3, 'Happiness Hero III', 'Happiness Hero'],
        [4, 'Onboarding and Education Specialist I', 'Onboarding and Education'],
        [5, 'Onboarding and Education Specialist II', 'Onboarding and Education'],
        [6, 'Happiness Lead', 'Happiness Lead'],
        [7, 'Tech Hero', 'Tech Hero'],
      ]);
    });

    it('enters each side track from the right Hero levels', () => {
      expect(enteredFrom('onboarding-specialist-i')).toEqual([
        'happiness-hero-i',
        'happiness-hero-ii',
        'happiness-hero-iii',
      ]);
      expect(enteredFrom('onboarding-specialist-ii')).toEqual(['onboarding-specialist-i']);
      expect(enteredFrom('happiness-lead')).toEqual(['happiness-hero-ii', 'happiness-hero-iii']);
      expect(enteredFrom('tech-hero')).toEqual(['happiness-hero-iii']);
      expect(level(hap, 'happiness-hero-i').next).toEqual(['happiness-hero-ii', 'onboarding-specialist-i']);
      expect(level(hap, 'happiness-hero-ii').next).toEqual([
        'happiness-hero-iii',
        'onboarding-specialist-i',
        'happiness-lead',
      ]);
      expect(level(hap, 'happiness-hero-iii').next).toEqual(['onboarding-specialist-i', 'happiness-lead', 'tech-hero']);
    });

    it('marks every timeframe as an assumed default for the team to review', () => {
      const timeframes = hap.levels.flatMap((l) => (l.timeframe ? [l.timeframe] : []));
      expect(timeframes.length).toBeGreaterThan(0);
      for (const tf of timeframes) expect(tf.assumed).toBe(true);
    });
  });

  it('aliases do not collide across frameworks', () => {
    const words = frameworks.flatMap((f) => [f.id, ...f.aliases]);
    expect(new Set(words).size).toBe(words.length);
  });
});
