import { IdempotencyKeyRequiredError } from './rewards.errors';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The `Idempotency-Key` header, checked: 1–200 visible ASCII characters, else 400. */
export function requireIdempotencyKey(header: unknown): string {
  const value = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof value !== 'string' || !KEY.test(value)) throw new IdempotencyKeyRequiredError();
  return value;
}
