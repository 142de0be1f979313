/**
 * A small RFC 4180 CSV reader and writer, enough for the people import/export and nothing more.
 * Pure and dependency-free.
 *
 * Reading is slightly more forgiving than the RFC in the ways spreadsheets need: LF, CRLF or a lone
 * CR end a line, a UTF-8 byte order mark (Excel writes one) is dropped, and blank lines are skipped.
 * It is strict where leniency would hide a mistake: a quote inside an unquoted field, text after a
 * closing quote, or a quote never closed is an error naming the line, rather than a guess.
 */

/** One record and the physical line (1-based) it starts on, so errors can point into the file. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const BOM = '\uFEFF';

/**
 * Parses CSV text into records. Blank lines (anywhere, including trailing ones) produce no record.
 * A quoted field may span lines; the record then keeps the line it starts on.
 */
export function parseCsv(text: string): CsvParseResult {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    // One record: fields separated by commas, up to an end of line or the end of the text.
    for (;;) {
      let field = '';
      if (src[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            return {
              ok: false,
              line: quoteLine,
              message: 'a quoted field is never closed: add the closing quote (") or remove the opening one',
            };
          }
          const c = src[i] as string;
          if (c === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r' || c === '\n') {
            // Inside quotes a line break is data; count it so later records keep true line numbers.
            if (c === '\r' && src[i + 1] === '\n') {
              field += '\r\n';
              i += 2;
            } else {
              field += c;
              i++;
            }
            line++;
            continue;
          }
          field += c;
          i++;
        }
        if (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          return {
            ok: false,
            line,
            message: `unexpected text after a closing quote in field ${fields.length + 1}: a quote inside a quoted field must be doubled ("")`,
          };
        }
      } else {
        const start = i;
        while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"') {
            return {
              ok: false,
              line,
              message: `a quote inside unquoted field ${fields.length + 1}: put the whole field in quotes and double the quote ("")`,
            };
          }
          i++;
        }
        field = src.slice(start, i);
      }
      fields.push(field);
      if (i < n && src[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // At an end of line or the end of the text.
    if (src[i] === '\r') i += src[i + 1] === '\n' ? 2 : 1;
    else if (src[i] === '\n') i++;
    line++;
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: recordLine, fields });
  }
  return { ok: true, records };
}

/** Quotes a field only when it must be: it holds a comma, a quote, a line break, or edge spaces. */
export function formatField(value: string): string {
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** Writes records as CSV, one line each, ending every line (the last too) with `eol` (CRLF, per RFC 4180). */
export function formatCsv(rows: readonly (readonly string[])[], eol: '\r\n' | '\n' = '\r\n'): string {
  return rows.map((row) => row.map(formatField).join(',') + eol).join('');
}
