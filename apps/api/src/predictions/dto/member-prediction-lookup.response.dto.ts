import { ApiProperty } from '@nestjs/swagger';
import { MemberPredictionResponseDto } from '@app/ml';

/** A member's prediction, or the fact that there is none yet, as a 200. */
export class MemberPredictionLookupResponseDto {
  @ApiProperty({
    description:
      'false: the member exists but has not been scored yet (no paid order, or not rescored since)',
  })
  scored!: boolean;

  @ApiProperty({ type: MemberPredictionResponseDto, nullable: true })
  prediction!: MemberPredictionResponseDto | null;
}
