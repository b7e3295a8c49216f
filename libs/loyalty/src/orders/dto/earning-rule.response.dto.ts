import { ApiProperty } from '@nestjs/swagger';
import type { EarningRule } from '../orders.repository';

export class EarningRuleResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() points!: number;
  @ApiProperty({ type: Object }) config!: Record<string, unknown>;
  @ApiProperty({ type: Object }) caps!: Record<string, number>;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validTo!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(rule: EarningRule): EarningRuleResponseDto {
    return {
      id: rule.id,
      kind: rule.kind,
      name: rule.name,
      active: rule.active,
      points: rule.points,
      config: rule.config,
      caps: rule.caps,
      validFrom: rule.validFrom?.toISOString() ?? null,
      validTo: rule.validTo?.toISOString() ?? null,
      createdAt: rule.createdAt.toISOString(),
      updatedAt: rule.updatedAt.toISOString(),
    };
  }
}

export class EarningRulePageResponseDto {
  @ApiProperty({ type: [EarningRuleResponseDto] }) items!: EarningRuleResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
