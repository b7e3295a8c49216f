import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start of the window (inclusive); default 90 days before `to`',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'End of the window (exclusive); default now',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}
