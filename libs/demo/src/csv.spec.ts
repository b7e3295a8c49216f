import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CsvError, parseCsv, parseCsvRecords, readCsvFile } from './csv';

describe('parseCsv', () => {
  it('splits plain records and ignores the final newline', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv('1,,\n,2,\n')).toEqual([
      ['1', '', ''],
      ['', '2', ''],
    ]);
  });

  it('handles quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('id,name\n1,"Ice, crushed"\n2,"12"" pizza"\n3,"two\nlines"\n4,""\n')).toEqual([
      ['id', 'name'],
      ['1', 'Ice, crushed'],
      ['2', '12" pizza'],
      ['3', 'two\nlines'],
      ['4', ''],
    ]);
  });

  it('accepts CRLF, a BOM and no final newline', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x\r\ny",2')).toEqual([
      ['a', 'b'],
      ['x\r\ny', '2'],
    ]);
  });

  it('rejects an unterminated quote and a stray quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\nab"c')).toThrow(CsvError);
  });
});

describe('parseCsvRecords / readCsvFile', () => {
  it('maps records by header and rejects ragged rows', () => {
    expect(parseCsvRecords('x,y\n1,"a,b"\n')).toEqual([{ x: '1', y: 'a,b' }]);
    expect(() => parseCsvRecords('x,y\n1\n')).toThrow(/record 2 has 1 fields/);
  });

  it('reads gzip-compressed files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    const path = join(dir, 'sample.csv.gz');
    writeFileSync(path, gzipSync('household_id,sales_value\n7,"3.86"\n'));
    expect(readCsvFile(path)).toEqual([{ household_id: '7', sales_value: '3.86' }]);
  });
});

describe('parseCsv edge cases', () => {
  it('skips blank lines and keeps a trailing empty field', () => {
    expect(parseCsv('a,b\n\n1,\r\n\r\n2,x')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['2', 'x'],
    ]);
    expect(parseCsv('a,')).toEqual([['a', '']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"ab"c,d')).toThrow(CsvError);
  });
});
