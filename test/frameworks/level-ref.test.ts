import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLevelNumber } from '../../src/frameworks/level-ref.js';

const WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** Roman numerals the way the parser accepts them (1 to 39). */
function roman(n: number): string {
  const ones = ['', 'i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix'];
  return 'x'.repeat(Math.floor(n / 10)) + (ones[n % 10] ?? '');
}

describe('parseLevelNumber', () => {
  it.each<[string, number]>([
    ['3', 3],
    ['03', 3],
    ['99', 99],
    ['  3  ', 3],
    ['L3', 3],
    ['l3', 3],
    ['L 3', 3],
    ['lv3', 3],
    ['lvl3', 3],
    ['lvl 3', 3],
    ['level3', 3],
    ['level 3', 3],
    ['Level  3', 3],
    ['LEVEL 3', 3],
    ['level-3', 3],
    ['level.3', 3],
    ['level #3', 3],
    ['#3', 3],
    ['three', 3],
    ['Three', 3],
    ['twenty', 20],
    ['level three', 3],
    ['III', 3],
    ['iii', 3],
    ['IV', 4],
    ['ix', 9],
    ['XX', 20],
    ['xxxix', 39],
    ['lvl III', 3],
    ['1st', 1],
    ['2nd', 2],
    ['3rd', 3],
    ['4th', 4],
    ['11th', 11],
    ['level 3rd', 3],
  ])('reads "%s" as %i', (input, expected) => {
    expect(parseLevelNumber(input)).toBe(expected);
  });

  // NOTE: "0" is a number, so lookups can answer "there is no level 0" with the valid range.
  it('reads "0" as 0 so the range can be explained', () => {
    expect(parseLevelNumber('0')).toBe(0);
  });

  it.each([
    '',
    '   ',
    'garbage',
    'senior',
    'L',
    'lvl',
    'level',
    'IIII',
    'VV',
    'XL',
    'zero',
    'twenty one',
    '100',
    '003',
    '3.5',
    '-3',
    '+3',
    'three engineers',
  ])('refuses "%s"', (input) => {
    expect(parseLevelNumber(input)).toBeUndefined();
  });

  it('reads every number 1-99 as digits, with L and with "level"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), (n) => {
        expect(parseLevelNumber(String(n))).toBe(n);
        expect(parseLevelNumber(`L${n}`)).toBe(n);
        expect(parseLevelNumber(`level ${n}`)).toBe(n);
      }),
    );
  });

  it('reads every Roman numeral 1-39 in either case', () => {
    for (let n = 1; n <= 39; n++) {
      expect(parseLevelNumber(roman(n)), roman(n)).toBe(n);
      expect(parseLevelNumber(roman(n).toUpperCase()), roman(n)).toBe(n);
    }
  });

  it('reads the number words one to ten', () => {
    WORDS.forEach((word, i) => {
      expect(parseLevelNumber(word), word).toBe(i + 1);
    });
  });
});
