/**
 * Reads a level number the way people type it: `3`, `L3`, `lvl 3`, `level3`, `three`, `III`, `3rd`.
 * Pure; returns undefined for anything that is not a number word.
 */
const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };

function fromRoman(s: string): number | undefined {
  if (!/^(x{0,3})(ix|iv|v?i{0,3})$/.test(s) || s === '') return undefined;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const cur = ROMAN[s[i] as string] ?? 0;
    const next = ROMAN[s[i + 1] as string] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}

export function parseLevelNumber(input: string): number | undefined {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^(?:level|lvl|lv|l)[\s.#-]*(?=\w)/, '')
    .replace(/^#/, '');
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const ordinal = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(s);
  if (ordinal) return Number(ordinal[1]);
  const word = WORDS.indexOf(s);
  if (word > 0) return word;
  return fromRoman(s);
}
