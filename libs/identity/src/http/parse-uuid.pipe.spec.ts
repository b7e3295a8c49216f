import { ErrorKind, ValidationError } from '@app/common';
import { ParseUuidPipe } from './parse-uuid.pipe';

describe('ParseUuidPipe', () => {
  const pipe = new ParseUuidPipe();
  const meta = { type: 'param' as const, data: 'id' };

  it('passes UUIDs through, lower-cased', () => {
    expect(pipe.transform('7F1C1F0E-2A5B-4C61-9A0E-3F2D8F7B9C10', meta)).toBe(
      '7f1c1f0e-2a5b-4c61-9a0e-3f2d8f7b9c10',
    );
  });

  it.each([
    '123',
    'not-a-uuid',
    '7f1c1f0e-2a5b-4c61-9a0e-3f2d8f7b9c1',
    "' or 1=1 --",
    '',
    undefined,
    42,
  ])('rejects %p as a 400 validation error naming the parameter', (value) => {
    let error: unknown;
    try {
      pipe.transform(value, meta);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).kind).toBe(ErrorKind.Invalid);
    expect((error as ValidationError).details).toEqual({ fields: { id: ['must be a UUID'] } });
  });
});
