import { ApiProperty } from '@nestjs/swagger';
import { reservationStatus } from '@app/db';
import type { Reservation } from '../reservations.repository';

export class ReservationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) dropId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: reservationStatus.enumValues }) status!: Reservation['status'];
  @ApiProperty({ format: 'date-time', description: 'When a held reservation lapses' })
  expiresAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) orderId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'When it left held; on a held reservation, when its confirmation started',
  })
  settledAt!: string | null;

  static from(r: Reservation): ReservationResponseDto {
    return {
      id: r.id,
      dropId: r.dropId,
      skuId: r.skuId,
      quantity: r.quantity,
      status: r.status,
      expiresAt: r.expiresAt.toISOString(),
      orderId: r.orderId,
      createdAt: r.createdAt.toISOString(),
      settledAt: r.settledAt?.toISOString() ?? null,
    };
  }
}

export class ConfirmationResponseDto extends ReservationResponseDto {
  @ApiProperty({ description: 'Points the order earned (the same on a repeated confirmation)' })
  pointsAwarded!: number;
}

export class ReservationPageResponseDto {
  @ApiProperty({ type: [ReservationResponseDto] }) items!: ReservationResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
