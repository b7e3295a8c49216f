import { type Page, ValidationError, decodeCursor, encodeCursor } from '@app/common';

export type RatingKey = '1' | '2' | '3' | '4' | '5';

export interface RatingSummary {
  /** Published reviews counted. */
  count: number;
  /** Mean rating rounded to two decimals; null when there is no review yet. */
  average: number | null;
  /** Published reviews per star, every star present (0 when none). */
  distribution: Record<RatingKey, number>;
}

/** Summary of a product's ratings from `count(*) group by rating` rows. */
export function summariseRatings(rows: { rating: number; count: number }[]): RatingSummary {
  const distribution: Record<RatingKey, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let count = 0;
  let sum = 0;
  for (const row of rows) {
    const key = String(row.rating) as RatingKey;
    if (!(key in distribution) || row.count <= 0) continue;
    distribution[key] += row.count;
    count += row.count;
    sum += row.rating * row.count;
  }
  // Rounded on integers (sum × 100 / count) so 4.345 style halves do not depend on float noise.
  const average = count ? Math.round((sum * 100) / count) / 100 : null;
  return { count, average, distribution };
}

export const REVIEW_SORTS = ['newest', 'helpful'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

/** Keyset position in a product's review list: (helpful count,) created_at text, id. */
export interface ReviewPosition {
  /** Helpful count of the last row (sort `helpful` only). */
  helpful?: number;
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeReviewCursor(sort: ReviewSort, position: ReviewPosition): string {
  return encodeCursor({
    s: sort,
    at: position.at,
    id: position.id,
    ...(sort === 'helpful' ? { h: position.helpful ?? 0 } : {}),
  });
}

/** Decodes a client cursor; it must come from a page of the same sort (400 otherwise). */
export function decodeReviewCursor(cursor: string, sort: ReviewSort): ReviewPosition {
  const value = decodeCursor<{ s: string; at: string; id: string; h?: number }>(cursor, [
    's',
    'at',
    'id',
  ]);
  const helpfulOk =
    sort !== 'helpful' || (Number.isSafeInteger(value.h) && (value.h as number) >= 0);
  if (value.s !== sort || !AT.test(String(value.at)) || !UUID.test(String(value.id)) || !helpfulOk)
    throw new ValidationError('Invalid cursor', {
      fields: { cursor: ['is not a cursor of this list and sort'] },
    });
  return { at: value.at, id: value.id, ...(sort === 'helpful' ? { helpful: value.h } : {}) };
}

/** A page from `limit + 1` rows in list order; the extra row only says there is more. */
export function reviewPage<T extends { id: string; helpfulCount: number; cursorAt: string }>(
  rows: T[],
  limit: number,
  sort: ReviewSort,
): Page<Omit<T, 'cursorAt'>> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(({ cursorAt: _cursorAt, ...item }) => item),
    nextCursor:
      rows.length > limit && last
        ? encodeReviewCursor(sort, { helpful: last.helpfulCount, at: last.cursorAt, id: last.id })
        : null,
  };
}
