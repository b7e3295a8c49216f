import { ValidationError, decodeCursor, encodeCursor } from '@app/common';
import { type CreatedAtPosition, decodePosition, encodePosition } from '@app/identity';

export type FeedSort = 'new' | 'hot';
export const FEED_SORTS: FeedSort[] = ['new', 'hot'];

/** Keyset position in the hot feed: after (hot_score, id) in descending order. */
export interface HotPosition {
  score: number;
  id: string;
}

export type FeedPosition =
  { sort: 'new'; after: CreatedAtPosition } | { sort: 'hot'; after: HotPosition };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = () =>
  new ValidationError('Invalid cursor', { fields: { cursor: ['is not a cursor of this feed'] } });

/**
 * A hot cursor carries the score as a JSON number: JS prints the shortest string that parses
 * back to the same double, and pg returns float8 the same way, so the keyset comparison is exact.
 */
export function encodeFeedCursor(position: FeedPosition): string {
  return position.sort === 'new'
    ? encodePosition(position.after)
    : encodeCursor({ s: 'hot', h: position.after.score, id: position.after.id });
}

/** Decodes a client cursor for `sort`; a cursor of the other sort is refused (400). */
export function decodeFeedCursor(sort: FeedSort, cursor: string): FeedPosition {
  if (sort === 'new') {
    const raw = decodeCursor<Record<string, string | number>>(cursor, ['id']);
    if ('s' in raw) throw invalid();
    return { sort, after: decodePosition(cursor) };
  }
  const { s, h, id } = decodeCursor<{ s: string; h: number; id: string }>(cursor, ['s', 'h', 'id']);
  if (
    s !== 'hot' ||
    typeof h !== 'number' ||
    !Number.isFinite(h) ||
    typeof id !== 'string' ||
    !UUID.test(id)
  )
    throw invalid();
  return { sort, after: { score: h, id } };
}
