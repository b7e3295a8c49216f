import { ErrorKind } from '@app/common';
import { requireIdempotencyKey } from './idempotency-key';
import { RewardsErrorCode } from './rewards.errors';

describe('requireIdempotencyKey', () => {
  it('accepts 1–200 visible ASCII characters (first value of a repeated header)', () => {
    expect(requireIdempotencyKey('a')).toBe('a');
    expect(requireIdempotencyKey('0f8c6c2e-4b5d-4d7e-9a61-3b7c1d2e9f00')).toBe(
      '0f8c6c2e-4b5d-4d7e-9a61-3b7c1d2e9f00',
    );
    expect(requireIdempotencyKey('x'.repeat(200))).toHaveLength(200);
    expect(requireIdempotencyKey(['k1', 'k2'])).toBe('k1');
  });

  it.each([undefined, '', ' ', 'has space', 'x'.repeat(201), 'tab\there', 'ünïcode', 42])(
    'rejects %p with 400 loyalty.idempotency_key_required',
    (value) => {
      expect(() => requireIdempotencyKey(value)).toThrow(
        expect.objectContaining({
          code: RewardsErrorCode.IdempotencyKeyRequired,
          kind: ErrorKind.Invalid,
        }),
      );
    },
  );
});
