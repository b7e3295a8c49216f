import type { ArgumentMetadata, PipeTransform, Type, ValidationPipe } from '@nestjs/common';
import { createValidationPipe } from '@app/common';

/** Distinct query strings remembered; past this the memo starts over (arbitrary `category` values). */
const MAX_ENTRIES = 1_000;

/**
 * Validates a query string against `dto` with the application's validation pipe once per distinct
 * query, then answers from memory: storefronts send the same few query strings (`?limit=10`) at
 * every page view, and class-transformer + class-validator cost each request ~15 KB of garbage and
 * a few percent of CPU (docs/adr/0024). The outcome is the same as the global pipe's — same
 * transform, same errors (which are not memoised) — and the DTO handed out is frozen because
 * requests share it.
 *
 * The recommendations route (a Fastify-level route, ADR 0026) calls it directly. On a controller,
 * use it with a parameter typed by an interface (so the global ValidationPipe, which skips
 * `Object`, does not validate it a second time) and document the query with
 * `@ApiQuery({ type: dto })`.
 */
export class MemoizedQueryPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  private readonly pipe: ValidationPipe = createValidationPipe();
  private readonly memo = new Map<string, T>();

  constructor(private readonly dto: Type<T>) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<T> {
    const key = JSON.stringify(value ?? null);
    const known = this.memo.get(key);
    if (known) return known;
    const dto = Object.freeze(
      (await this.pipe.transform(value, { ...metadata, metatype: this.dto })) as T,
    );
    if (this.memo.size >= MAX_ENTRIES) this.memo.clear();
    this.memo.set(key, dto);
    return dto;
  }
}
