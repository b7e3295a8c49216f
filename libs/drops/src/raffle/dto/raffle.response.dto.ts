import { ApiProperty } from '@nestjs/swagger';
import type { RaffleEntry } from '../raffle.repository';
import type { RaffleView } from '../raffle.service';

export class RaffleEntryResponseDto {
  @ApiProperty({ format: 'uuid' }) dropId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: ['pending', 'won', 'lost'] }) result!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) reservationId!: string | null;

  static from(e: RaffleEntry): RaffleEntryResponseDto {
    return {
      dropId: e.dropId,
      skuId: e.skuId,
      quantity: e.quantity,
      result: e.result,
      reservationId: e.reservationId,
    };
  }
}

class RaffleEntrantDto {
  @ApiProperty({ description: 'sha256(dropId:memberId), first 16 hex digits' }) entrant!: string;
  @ApiProperty() quantity!: number;
}

class RaffleSkuDto {
  @ApiProperty() skuId!: string;
  @ApiProperty({ type: [RaffleEntrantDto] }) entrants!: RaffleEntrantDto[];
  @ApiProperty({ type: [String] }) winners!: string[];
}

export class RaffleResponseDto {
  @ApiProperty({ format: 'uuid' }) dropId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) opensAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closesAt!: string | null;
  @ApiProperty() entries!: number;
  @ApiProperty({ type: String, nullable: true, description: 'sha256(serverSeed), before the draw' })
  seedCommitment!: string | null;
  @ApiProperty({ type: String, nullable: true }) serverSeed!: string | null;
  @ApiProperty({ type: String, nullable: true }) seed!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) drawnAt!: string | null;
  @ApiProperty() algorithm!: string;
  @ApiProperty({ type: [RaffleSkuDto] }) skus!: RaffleSkuDto[];

  static from(v: RaffleView): RaffleResponseDto {
    return {
      ...v,
      opensAt: v.opensAt?.toISOString() ?? null,
      closesAt: v.closesAt?.toISOString() ?? null,
      drawnAt: v.drawnAt?.toISOString() ?? null,
    };
  }
}
