import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { SegmentName } from '../predictions.repository';

export const SEGMENT_NAMES: readonly SegmentName[] = ['likely-7d', 'likely-28d', 'at-risk'];

export class SegmentParamsDto {
  @ApiProperty({
    enum: SEGMENT_NAMES,
    description:
      'likely-7d: P(buy in 7 d) ≥ 0.5, most likely first; likely-28d: P(buy in 28 d) ≥ 0.5; at-risk: P(alive) < 0.5, largest value at stake first',
  })
  @IsIn(SEGMENT_NAMES)
  segment!: SegmentName;
}
