import { ApiProperty } from '@nestjs/swagger';
import type { LiabilityBucket, LiabilityReport } from '../ledger-query.service';

export class LiabilityBucketResponseDto {
  @ApiProperty({
    example: '2027-03',
    description: 'Expiry month (UTC, `never`) or tier code (`none`)',
  })
  bucket!: string;
  @ApiProperty({ description: 'Spendable points outstanding' }) available!: number;
  @ApiProperty({ description: 'Pending points outstanding' }) pending!: number;
  @ApiProperty() lots!: number;
  @ApiProperty({ description: 'Estimated cost of available + pending, minor units' })
  estimatedCostMinor!: number;

  static from(bucket: LiabilityBucket): LiabilityBucketResponseDto {
    return { ...bucket };
  }
}

export class LiabilityTotalsResponseDto {
  @ApiProperty() available!: number;
  @ApiProperty() pending!: number;
  @ApiProperty({ description: 'Σ members’ debt (owed back by future earns)' }) debt!: number;
  @ApiProperty() estimatedCostMinor!: number;
}

/** Outstanding points the brand owes its members. */
export class LiabilityResponseDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty() pointValueMicros!: number;
  @ApiProperty({ type: LiabilityTotalsResponseDto }) totals!: LiabilityTotalsResponseDto;
  @ApiProperty({ type: [LiabilityBucketResponseDto] }) byExpiryMonth!: LiabilityBucketResponseDto[];
  @ApiProperty({ type: [LiabilityBucketResponseDto] }) byTier!: LiabilityBucketResponseDto[];
  @ApiProperty({ format: 'date-time' }) asOf!: string;

  static from(report: LiabilityReport): LiabilityResponseDto {
    return {
      currency: report.currency,
      pointValueMicros: report.pointValueMicros,
      totals: report.totals,
      byExpiryMonth: report.byExpiryMonth.map((b) => LiabilityBucketResponseDto.from(b)),
      byTier: report.byTier.map((b) => LiabilityBucketResponseDto.from(b)),
      asOf: report.asOf.toISOString(),
    };
  }
}
