import { ApiProperty } from '@nestjs/swagger';
import { dropStatus } from '@app/db';
import type { DropSku } from '../drops.repository';
import type { DropWithSkus } from '../drops.service';
import { DROP_MODES } from './create-drop.request.dto';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class DropSkuResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) category!: string | null;
  @ApiProperty() priceMinor!: number;
  @ApiProperty() stock!: number;
  @ApiProperty() perMemberLimit!: number;
  @ApiProperty({ description: 'Units confirmed (paid)' }) sold!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) soldOutAt!: string | null;

  static from(s: DropSku): DropSkuResponseDto {
    return {
      id: s.id,
      productId: s.productId,
      name: s.name,
      category: s.category,
      priceMinor: s.priceMinor,
      stock: s.stock,
      perMemberLimit: s.perMemberLimit,
      sold: s.sold,
      soldOutAt: iso(s.soldOutAt),
    };
  }
}

export class DropResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty({ type: String, nullable: true }) streamUrl!: string | null;
  @ApiProperty({ enum: dropStatus.enumValues }) status!: string;
  @ApiProperty({ enum: DROP_MODES }) mode!: string;
  @ApiProperty({ type: [String] }) earlyAccessTierIds!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) earlyAccessAt!: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty() holdSeconds!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) raffleOpensAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) raffleClosesAt!:
    string | null;
  @ApiProperty({ description: '+1 on every status change' }) version!: number;
  @ApiProperty({ type: [DropSkuResponseDto] }) skus!: DropSkuResponseDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(d: DropWithSkus): DropResponseDto {
    return {
      id: d.id,
      title: d.title,
      description: d.description,
      hostName: d.hostName,
      streamUrl: d.streamUrl,
      status: d.status,
      mode: d.mode,
      earlyAccessTierIds: d.earlyAccessTierIds,
      earlyAccessAt: iso(d.earlyAccessAt),
      startsAt: d.startsAt.toISOString(),
      endsAt: d.endsAt.toISOString(),
      holdSeconds: d.holdSeconds,
      raffleOpensAt: iso(d.raffleOpensAt),
      raffleClosesAt: iso(d.raffleClosesAt),
      version: d.version,
      skus: d.skus.map((s) => DropSkuResponseDto.from(s)),
      createdAt: d.createdAt.toISOString(),
    };
  }
}

export class DropPageResponseDto {
  @ApiProperty({ type: [DropResponseDto] }) items!: DropResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
