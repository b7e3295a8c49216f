import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class CreateReservationRequestDto {
  @ApiProperty({ example: 'SNKR-42' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  skuId!: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @ApiProperty({
    description: 'Client-chosen key (1–200 visible ASCII): a retry returns the same reservation',
  })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,200}$/)
  idempotencyKey!: string;
}
