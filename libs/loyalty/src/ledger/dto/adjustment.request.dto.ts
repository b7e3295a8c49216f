import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotIn, IsString, Length, Max, Min } from 'class-validator';

/** A staff adjustment: signed points and a reason (both recorded and audited). */
export class AdjustmentRequestDto {
  @ApiProperty({ example: 250, description: 'Signed, non-zero; a debit cannot overdraw (409)' })
  @IsInt()
  @IsNotIn([0])
  @Min(-1_000_000)
  @Max(1_000_000)
  points!: number;

  @ApiProperty({ example: 'goodwill: late delivery', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  reason!: string;
}
