import { ApiProperty } from '@nestjs/swagger';
import type { DropReport } from '../drop-report';

class SkuReportDto {
  @ApiProperty() skuId!: string;
  @ApiProperty() stock!: number;
  @ApiProperty() sold!: number;
  @ApiProperty({ description: 'sold / stock' }) sellThroughRate!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Opening → last unit sold' })
  sellThroughSeconds!: number | null;
}

class ReservationCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() confirmed!: number;
  @ApiProperty() expired!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty({ description: 'Still held when the drop ended' }) held!: number;
}

export class DropReportResponseDto {
  @ApiProperty({ format: 'uuid' }) dropId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: [SkuReportDto] }) skus!: SkuReportDto[];
  @ApiProperty({ type: ReservationCountsDto }) reservations!: ReservationCountsDto;
  @ApiProperty() distinctBuyers!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Buyers per tier code ("none": no tier)',
  })
  tierMix!: Record<string, number>;
  @ApiProperty() peakViewers!: number;
  @ApiProperty() chatMessages!: number;

  static from(report: DropReport): DropReportResponseDto {
    return { ...report };
  }
}
