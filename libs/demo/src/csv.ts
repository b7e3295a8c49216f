import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 CSV: fields separated by commas, records by LF or CRLF; a field in double quotes may
 * hold commas, quotes (doubled) and line breaks. A leading UTF-8 BOM and blank lines are ignored.
 * Fields are sliced out of the text, not built character by character (75k lines in ~100 ms).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row: string[] = [];
  while (i < n) {
    // At the start of a field.
    let c = text.charCodeAt(i);
    if (row.length === 0 && (c === LF || c === CR)) {
      i += 1; // blank line
      continue;
    }
    let value: string;
    if (c === QUOTE) {
      value = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1)
          throw new CsvError(`unterminated quoted field in record ${rows.length + 1}`);
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      c = text.charCodeAt(i);
      if (i < n && c !== COMMA && c !== LF && c !== CR) {
        throw new CsvError(`text after a closing quote in record ${rows.length + 1}`);
      }
    } else {
      let end = i;
      while (end < n) {
        c = text.charCodeAt(end);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE)
          throw new CsvError(`stray quote inside an unquoted field in record ${rows.length + 1}`);
        end += 1;
      }
      value = text.slice(i, end);
      i = end;
    }
    row.push(value);
    if (i >= n) break;
    if (c === COMMA) {
      i += 1;
      if (i >= n) row.push(''); // "a,b," ends with an empty field
      continue;
    }
    rows.push(row);
    row = [];
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
  if (row.length) rows.push(row);
  return rows;
}

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Parses a CSV with a header line into one object per record; every record must have every column. */
export function parseCsvRecords<K extends string = string>(text: string): Record<K, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((values, index) => {
    if (values.length !== header.length) {
      throw new CsvError(
        `record ${index + 2} has ${values.length} fields, header has ${header.length}`,
      );
    }
    const record = {} as Record<K, string>;
    header.forEach((name, column) => {
      record[name as K] = values[column];
    });
    return record;
  });
}

/** Reads a `.csv.gz` (or plain `.csv`) file into records. */
export function readCsvFile<K extends string = string>(path: string): Record<K, string>[] {
  const buffer = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(buffer) : buffer).toString('utf8');
  return parseCsvRecords<K>(text);
}
