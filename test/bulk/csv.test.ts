import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, formatCsv, formatField, parseCsv } from '../../src/bulk/csv.js';

function records(text: string): CsvRecord[] {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(`expected to parse, got line ${result.line}: ${result.message}`);
  return result.records;
}

describe('parseCsv', () => {
  const cases: { name: string; text: string; expected: CsvRecord[] }[] = [
    { name: 'empty text', text: '', expected: [] },
    { name: 'one field', text: 'a', expected: [{ line: 1, fields: ['a'] }] },
    {
      name: 'LF line ends',
      text: 'a,b\nc,d\n',
      expected: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    },
    {
      name: 'CRLF line ends',
      text: 'a,b\r\nc,d\r\n',
      expected: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    },
    {
      name: 'lone CR line ends (old Mac spreadsheets)',
      text: 'a,b\rc,d',
      expected: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    },
    { name: 'no line end after the last record', text: 'a,b', expected: [{ line: 1, fields: ['a', 'b'] }] },
    {
      name: 'a byte order mark is dropped',
      text: '\uFEFFuser,level\n',
      expected: [{ line: 1, fields: ['user', 'level'] }],
    },
    {
      name: 'empty fields, leading, middle and trailing',
      text: ',a,,b,\n',
      expected: [{ line: 1, fields: ['', 'a', '', 'b', ''] }],
    },
    { name: 'quoted field', text: '"a",b', expected: [{ line: 1, fields: ['a', 'b'] }] },
    { name: 'comma inside quotes', text: '"Smith, Ann",b', expected: [{ line: 1, fields: ['Smith, Ann', 'b'] }] },
    { name: 'escaped quote', text: '"say ""hi""",b', expected: [{ line: 1, fields: ['say "hi"', 'b'] }] },
    { name: 'empty quoted field', text: 'a,"",b', expected: [{ line: 1, fields: ['a', '', 'b'] }] },
    { name: 'spaces are kept', text: ' a , b ', expected: [{ line: 1, fields: [' a ', ' b '] }] },
    {
      name: 'blank trailing lines give no record',
      text: 'a\n\n\r\n\n',
      expected: [{ line: 1, fields: ['a'] }],
    },
    {
      name: 'blank lines in between are skipped but counted',
      text: 'a\n\nb\n',
      expected: [
        { line: 1, fields: ['a'] },
        { line: 3, fields: ['b'] },
      ],
    },
    {
      name: 'a quoted line break keeps the record on its first line and counts for the next',
      text: 'h\n"one\ntwo",x\nnext\n',
      expected: [
        { line: 1, fields: ['h'] },
        { line: 2, fields: ['one\ntwo', 'x'] },
        { line: 4, fields: ['next'] },
      ],
    },
    {
      name: 'a quoted CRLF counts as one line',
      text: '"a\r\nb\r\nc"\r\nnext\r\n',
      expected: [
        { line: 1, fields: ['a\r\nb\r\nc'] },
        { line: 4, fields: ['next'] },
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(records(c.text)).toEqual(c.expected);
    });
  }

  const errors: { name: string; text: string; line: number; message: RegExp }[] = [
    { name: 'a quote never closed', text: 'a\nb,"c\nd\n', line: 2, message: /never closed/ },
    {
      name: 'a quote inside an unquoted field',
      text: 'a\nb,c"d"\n',
      line: 2,
      message: /quote inside unquoted field 2/,
    },
    { name: 'text after a closing quote', text: 'a\n"b"c,d\n', line: 2, message: /after a closing quote in field 1/ },
    {
      name: 'errors after a multi-line field name the right line',
      text: '"x\ny"\nok\nbad"\n',
      line: 4,
      message: /quote inside unquoted field 1/,
    },
  ];
  for (const c of errors) {
    it(`refuses ${c.name}`, () => {
      const result = parseCsv(c.text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.line).toBe(c.line);
      expect(result.message).toMatch(c.message);
    });
  }
});

describe('formatCsv', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
  ];
  for (const [value, written] of cases) {
    it(`writes ${JSON.stringify(value)} as ${written}`, () => {
      expect(formatField(value)).toBe(written);
    });
  }

  it('ends every line with CRLF by default, LF on request', () => {
    expect(formatCsv([['a', 'b'], ['c']])).toBe('a,b\r\nc\r\n');
    expect(formatCsv([['a', 'b'], ['c']], '\n')).toBe('a,b\nc\n');
  });

  it('round-trips any table whose rows are not a single empty field', () => {
    const row = fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', 'é', 'x') }), {
      minLength: 1,
      maxLength: 5,
    });
    const table = fc.array(
      row.filter((r) => !(r.length === 1 && r[0] === '')),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(table, fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'), (rows, eol) => {
        expect(records(formatCsv(rows, eol)).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
