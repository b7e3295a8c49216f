import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ValidationError } from '@app/common';

const SKU_ID = /^[A-Za-z0-9._-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const QUANTITY_MIN = 1;
const QUANTITY_MAX = 1000;

export class CreateReservationRequestDto {
  @ApiProperty({ example: 'SNKR-42' })
  @IsString()
  @Matches(SKU_ID)
  skuId!: string;

  @ApiProperty({ minimum: QUANTITY_MIN, maximum: QUANTITY_MAX })
  @IsInt()
  @Min(QUANTITY_MIN)
  @Max(QUANTITY_MAX)
  quantity!: number;

  @ApiProperty({
    description: 'Client-chosen key (1–200 visible ASCII): a retry returns the same reservation',
  })
  @IsString()
  @Matches(IDEMPOTENCY_KEY)
  idempotencyKey!: string;
}

const FIELDS = new Set(['skuId', 'quantity', 'idempotencyKey']);

/**
 * The reservation route's validator (it runs outside Nest's pipes, ADR 0025): the same rules as
 * the decorators above, and the same `validation_failed` error as the global ValidationPipe —
 * unknown fields included. The spec beside it checks both agree on every case.
 */
export function parseCreateReservationRequest(body: unknown): CreateReservationRequestDto {
  // A missing body is validated as `{}`, as the pipe does.
  body ??= {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError('Request validation failed', {
      fields: { body: ['body must be a JSON object'] },
    });
  const input = body as Record<string, unknown>;
  const fields: Record<string, string[]> = {};
  for (const key of Object.keys(input))
    if (!FIELDS.has(key)) fields[key] = [`property ${key} should not exist`];
  const { skuId, quantity, idempotencyKey } = input;
  if (typeof skuId !== 'string' || !SKU_ID.test(skuId))
    fields.skuId = [`skuId must match ${String(SKU_ID)} regular expression`];
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < QUANTITY_MIN ||
    quantity > QUANTITY_MAX
  )
    fields.quantity = [`quantity must be an integer from ${QUANTITY_MIN} to ${QUANTITY_MAX}`];
  if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey))
    fields.idempotencyKey = [
      `idempotencyKey must match ${String(IDEMPOTENCY_KEY)} regular expression`,
    ];
  if (Object.keys(fields).length)
    throw new ValidationError('Request validation failed', { fields });
  return {
    skuId: skuId as string,
    quantity: quantity as number,
    idempotencyKey: idempotencyKey as string,
  };
}
