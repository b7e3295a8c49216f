import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { type Page, ValidationError, decodeCursor, encodeCursor } from '@app/common';

/**
 * Keyset position "after (created_at, id)" for newest-first listings. The timestamp travels as
 * Postgres text with microseconds: a JS Date would truncate to milliseconds and skip rows.
 */
export interface CreatedAtPosition {
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The exact created_at of a row as UTC text with microseconds, for the next cursor. */
export const cursorAt = (column: AnyColumn): SQL<string> =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `(created_at, id) < (at, id)`: the rows after a position in newest-first order. */
export const olderThan = (createdAt: AnyColumn, id: AnyColumn, after: CreatedAtPosition): SQL =>
  sql`(${createdAt}, ${id}) < (${after.at}::timestamptz, ${after.id}::uuid)`;

export function encodePosition(position: CreatedAtPosition): string {
  return encodeCursor({ at: position.at, id: position.id });
}

/** Decodes and checks a client-supplied cursor so nothing malformed reaches SQL. */
export function decodePosition(cursor: string): CreatedAtPosition {
  const { at, id } = decodeCursor<{ at: string; id: string }>(cursor, ['at', 'id']);
  if (typeof at !== 'string' || typeof id !== 'string' || !AT.test(at) || !UUID.test(id)) {
    throw new ValidationError('Invalid cursor', {
      fields: { cursor: ['is not a cursor from this API'] },
    });
  }
  return { at, id };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

/** Builds a page from `limit + 1` rows fetched in (created_at, id) order; drops the cursor column. */
export function keysetPage<T extends { id: string; cursorAt: string }>(
  rows: T[],
  limit: number,
): Page<Omit<T, 'cursorAt'>> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(({ cursorAt: _cursorAt, ...item }) => item),
    nextCursor:
      rows.length > limit && last ? encodePosition({ at: last.cursorAt, id: last.id }) : null,
  };
}
