import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { LoyaltyProgram } from '../ledger.types';

const MODES = ['rolling', 'end_of_month', 'end_of_year', 'never'] as const;
const POLICIES = ['debt', 'cap'] as const;

export class LoyaltyProgramResponseDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ enum: MODES }) expiryMode!: (typeof MODES)[number];
  @ApiProperty({ description: 'Months from earning to expiry' }) expiryMonths!: number;
  @ApiProperty({ enum: POLICIES, description: 'Refund of spent points: record debt, or cap at 0' })
  clawbackPolicy!: (typeof POLICIES)[number];
  @ApiProperty({ description: 'Days purchase points stay pending (return window)' })
  pendingDays!: number;
  @ApiProperty() expiryWarningDays!: number;
  @ApiProperty({ description: 'Estimated cost of one point, minor units × 10,000' })
  pointValueMicros!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'null: defaults' })
  updatedAt!: string | null;

  static from(program: LoyaltyProgram): LoyaltyProgramResponseDto {
    return {
      currency: program.currency,
      expiryMode: program.expiryMode,
      expiryMonths: program.expiryMonths,
      clawbackPolicy: program.clawbackPolicy,
      pendingDays: program.pendingDays,
      expiryWarningDays: program.expiryWarningDays,
      pointValueMicros: program.pointValueMicros,
      updatedAt: program.updatedAt.getTime() === 0 ? null : program.updatedAt.toISOString(),
    };
  }
}

/** Absent fields are unchanged. Changes apply to lots earned from now on. */
export class UpdateLoyaltyProgramRequestDto {
  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ enum: MODES })
  @IsOptional()
  @IsIn(MODES)
  expiryMode?: (typeof MODES)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 600 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  expiryMonths?: number;

  @ApiPropertyOptional({ enum: POLICIES })
  @IsOptional()
  @IsIn(POLICIES)
  clawbackPolicy?: (typeof POLICIES)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  pendingDays?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  expiryWarningDays?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  pointValueMicros?: number;
}
