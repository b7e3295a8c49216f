import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * Seconds of age worth one order of magnitude of engagement: a post must have ten times the
 * engagement of one 12.5 h younger to rank level with it (docs/adr/0011).
 */
export const HOT_DECAY_SECONDS = 45_000;
/** A comment weighs as much as two reactions: it costs the member more. */
export const COMMENT_WEIGHT = 2;

export function engagement(reactions: number, comments: number): number {
  return reactions + COMMENT_WEIGHT * comments;
}

/** log10(max(1, reactions + 2 × comments)) + epochSeconds(createdAt) / 45000. */
export function hotScore(reactions: number, comments: number, createdAt: Date): number {
  return (
    Math.log10(Math.max(1, engagement(reactions, comments))) +
    createdAt.getTime() / 1000 / HOT_DECAY_SECONDS
  );
}

/**
 * The same formula in SQL over the values a counter UPDATE is about to write (Postgres `log` is
 * base 10), so the score changes in the statement that changes the counters.
 */
export function hotScoreSql(
  reactions: SQL | AnyColumn,
  comments: SQL | AnyColumn,
  createdAt: AnyColumn,
): SQL {
  return sql`log(greatest(1, ${reactions} + ${COMMENT_WEIGHT} * ${comments})::float8) + extract(epoch from ${createdAt})::float8 / ${HOT_DECAY_SECONDS}`;
}
