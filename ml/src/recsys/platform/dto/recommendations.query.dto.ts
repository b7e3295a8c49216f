import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Query-string booleans: true/1 and false/0; anything else stays as is and fails validation. */
const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class SimilarQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only items of this category' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  category?: string;

  @ApiPropertyOptional({
    name: 'in_stock_only',
    description: 'Skip products marked out of stock (attributes.inStock false or stock ≤ 0)',
    default: false,
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  in_stock_only?: boolean;
}

export class RecommendationsQueryDto extends SimilarQueryDto {
  @ApiPropertyOptional({
    name: 'exclude_purchased',
    description: 'Skip products the member already bought (discovery only)',
    default: false,
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  exclude_purchased?: boolean;
}
