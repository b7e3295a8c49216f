import {
  decodeReviewCursor,
  encodeReviewCursor,
  reviewPage,
  summariseRatings,
} from './review-stats';

describe('summariseRatings', () => {
  it('has every star, a null average and count 0 when there is no review', () => {
    expect(summariseRatings([])).toEqual({
      count: 0,
      average: null,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
  });

  it('averages over the distribution, rounded to two decimals', () => {
    // (5×2 + 4 + 1) / 4 = 3.75; (5 + 4 + 4) / 3 = 4.333… → 4.33; (5 + 5 + 4) / 3 → 4.67
    expect(
      summariseRatings([
        { rating: 5, count: 2 },
        { rating: 4, count: 1 },
        { rating: 1, count: 1 },
      ]),
    ).toEqual({
      count: 4,
      average: 3.75,
      distribution: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 2 },
    });
    expect(
      summariseRatings([
        { rating: 5, count: 1 },
        { rating: 4, count: 2 },
      ]).average,
    ).toBe(4.33);
    expect(
      summariseRatings([
        { rating: 5, count: 2 },
        { rating: 4, count: 1 },
      ]).average,
    ).toBe(4.67);
  });

  it('ignores out-of-range stars and empty rows rather than skewing the average', () => {
    expect(
      summariseRatings([
        { rating: 0, count: 3 },
        { rating: 6, count: 1 },
        { rating: 3, count: 0 },
        { rating: 2, count: 1 },
      ]),
    ).toMatchObject({ count: 1, average: 2 });
  });
});

describe('review cursors', () => {
  const at = '2026-11-25T10:00:00.123456Z';
  const id = '0b7c4f5e-3f0a-4d55-9d2c-9f1d3f0a1b2c';

  it('round-trips a position of its own sort', () => {
    expect(decodeReviewCursor(encodeReviewCursor('newest', { at, id }), 'newest')).toEqual({
      at,
      id,
    });
    expect(
      decodeReviewCursor(encodeReviewCursor('helpful', { helpful: 7, at, id }), 'helpful'),
    ).toEqual({ helpful: 7, at, id });
  });

  it('refuses a cursor of the other sort, a forged one, or garbage (400 validation)', () => {
    const newest = encodeReviewCursor('newest', { at, id });
    expect(() => decodeReviewCursor(newest, 'helpful')).toThrow('Invalid cursor');
    const forged = Buffer.from(JSON.stringify({ s: 'newest', at: "x'; drop", id })).toString(
      'base64url',
    );
    expect(() => decodeReviewCursor(forged, 'newest')).toThrow('Invalid cursor');
    const negative = Buffer.from(JSON.stringify({ s: 'helpful', at, id, h: -1 })).toString(
      'base64url',
    );
    expect(() => decodeReviewCursor(negative, 'helpful')).toThrow('Invalid cursor');
    expect(() => decodeReviewCursor('not-a-cursor', 'newest')).toThrow('Invalid cursor');
  });

  it('pages from limit + 1 rows: the extra row only says there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ id, helpfulCount: 10 - n, cursorAt: at, n }));
    const page = reviewPage(rows, 2, 'helpful');
    expect(page.items.map((r) => r.n)).toEqual([1, 2]);
    expect(page.items[0]).not.toHaveProperty('cursorAt');
    expect(decodeReviewCursor(page.nextCursor as string, 'helpful')).toEqual({
      helpful: 8,
      at,
      id,
    });
    expect(reviewPage(rows.slice(0, 2), 2, 'helpful').nextCursor).toBeNull();
  });
});
