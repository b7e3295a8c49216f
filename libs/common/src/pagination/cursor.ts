import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ValidationError } from '../errors/domain-error';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  keys: (keyof T)[],
): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
    if (value && typeof value === 'object' && keys.every((key) => key in value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('Invalid cursor', {
    fields: { cursor: ['is not a cursor from this API'] },
  });
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is a next page. */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => Record<string, string | number>,
): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor =
    rows.length > limit && items.length ? encodeCursor(cursorOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
