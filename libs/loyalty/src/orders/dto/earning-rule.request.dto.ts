import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { ruleKind } from '@app/db';

const KINDS = ruleKind.enumValues;

export class UpdateEarningRuleRequestDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Fixed points (behaviour rules)', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  points?: number;

  @ApiPropertyOptional({
    description:
      'Purchase rules: { pointsPerUnit, minOrderMinor, categoryMultipliers, productMultipliers, excludedCategories, excludedProducts }',
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ description: '{ perDay?, perWeek?, perMonth?, lifetime? } award counts' })
  @IsOptional()
  @IsObject()
  caps?: Record<string, number>;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  validFrom?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  validTo?: Date | null;
}

export class CreateEarningRuleRequestDto extends UpdateEarningRuleRequestDto {
  @ApiProperty({ enum: KINDS })
  @IsIn(KINDS)
  kind!: (typeof KINDS)[number];

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  declare name: string;
}
