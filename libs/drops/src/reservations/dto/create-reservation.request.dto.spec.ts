import { createValidationPipe, DomainError } from '@app/common';
import {
  CreateReservationRequestDto,
  parseCreateReservationRequest,
} from './create-reservation.request.dto';

const pipe = createValidationPipe();
const valid = { skuId: 'SNKR-42.b_1', quantity: 2, idempotencyKey: 'k-1' };

/** The invalid fields an error names, or null when the input is accepted. */
async function fieldsOf(run: () => unknown): Promise<string[] | null> {
  try {
    await run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation_failed');
    const { fields } = (error as DomainError).details as { fields: Record<string, string[]> };
    return Object.keys(fields).sort();
  }
}

describe('parseCreateReservationRequest', () => {
  const cases: [string, unknown][] = [
    ['a valid body', valid],
    [
      'the largest values',
      { skuId: 'A'.repeat(64), quantity: 1000, idempotencyKey: '~'.repeat(200) },
    ],
    ['quantity 0', { ...valid, quantity: 0 }],
    ['quantity above 1000', { ...valid, quantity: 1001 }],
    ['a fractional quantity', { ...valid, quantity: 1.5 }],
    ['a quantity given as a string', { ...valid, quantity: '2' }],
    ['a missing quantity', { skuId: 'A', idempotencyKey: 'k' }],
    ['a SKU id with a space', { ...valid, skuId: 'A B' }],
    ['a SKU id of 65 characters', { ...valid, skuId: 'A'.repeat(65) }],
    ['an empty SKU id', { ...valid, skuId: '' }],
    ['a numeric SKU id', { ...valid, skuId: 42 }],
    ['an idempotency key with a space', { ...valid, idempotencyKey: 'a b' }],
    ['an idempotency key of 201 characters', { ...valid, idempotencyKey: 'k'.repeat(201) }],
    ['a non-ASCII idempotency key', { ...valid, idempotencyKey: 'clé' }],
    ['an unknown field', { ...valid, price: 1 }],
    ['an unknown field and a bad quantity', { ...valid, quantity: -1, memberId: 'x' }],
    ['an empty object', {}],
    ['no body at all', undefined],
  ];

  it.each(cases)('agrees with the global ValidationPipe on %s', async (_name, body) => {
    const expected = await fieldsOf(() =>
      pipe.transform(body, { type: 'body', metatype: CreateReservationRequestDto }),
    );
    expect(await fieldsOf(() => parseCreateReservationRequest(body))).toEqual(expected);
  });

  it('returns exactly the three fields of a valid body', () => {
    expect(parseCreateReservationRequest({ ...valid })).toEqual(valid);
  });

  it('refuses a body that is not an object', async () => {
    for (const body of [[valid], 'text', 7])
      expect(await fieldsOf(() => parseCreateReservationRequest(body))).toEqual(['body']);
  });
});
