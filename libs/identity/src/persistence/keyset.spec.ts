import { ValidationError, encodeCursor } from '@app/common';
import { decodePosition, encodePosition, keysetPage, pageSize } from './keyset';

describe('keyset cursors', () => {
  const position = {
    at: '2026-01-02T03:04:05.123456Z',
    id: '7f1c1f0e-2a5b-4c61-9a0e-3f2d8f7b9c10',
  };

  it('round-trips a position', () => {
    expect(decodePosition(encodePosition(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not-base64-json'],
    ['missing id', encodeCursor({ at: position.at })],
    ['id not a uuid', encodeCursor({ at: position.at, id: "x'; drop table members; --" })],
    [
      'timestamp without microseconds',
      encodeCursor({ at: '2026-01-02T03:04:05Z', id: position.id }),
    ],
    ['numbers', encodeCursor({ at: 1, id: 2 })],
  ])('rejects a cursor with %s as a validation error', (_label, cursor) => {
    expect(() => decodePosition(cursor)).toThrow(ValidationError);
  });
});

describe('keysetPage', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    cursorAt: `2026-01-0${n}T00:00:00.000000Z`,
    name: `row ${n}`,
  }));

  it('returns limit items and a cursor at the last kept row when more exist', () => {
    const page = keysetPage(rows, 2);
    expect(page.items).toEqual([
      { id: rows[0].id, name: 'row 1' },
      { id: rows[1].id, name: 'row 2' },
    ]);
    expect(decodePosition(page.nextCursor!)).toEqual({ at: rows[1].cursorAt, id: rows[1].id });
  });

  it('has no cursor on the last page', () => {
    expect(keysetPage(rows, 3).nextCursor).toBeNull();
    expect(keysetPage([], 3)).toEqual({ items: [], nextCursor: null });
  });

  it('clamps page sizes to 1..100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(1);
    expect(pageSize(1000)).toBe(100);
  });
});
