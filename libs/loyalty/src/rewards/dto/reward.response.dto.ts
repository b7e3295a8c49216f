import { ApiProperty } from '@nestjs/swagger';
import type { Reward, RewardRedemption } from '../rewards.repository';
import type { AvailableReward, RedemptionResult, RewardType } from '../rewards.service';
import { CouponResponseDto } from './coupon.response.dto';
import { REWARD_TYPES } from './reward.request.dto';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class RewardResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: REWARD_TYPES }) type!: RewardType;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() costPoints!: number;
  @ApiProperty({ type: Number, nullable: true }) stock!: number | null;
  @ApiProperty({ type: Number, nullable: true }) perMemberLimit!: number | null;
  @ApiProperty() minTierRank!: number;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) couponTemplateId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validTo!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(r: Reward): RewardResponseDto {
    return {
      id: r.id,
      type: r.type,
      name: r.name,
      description: r.description,
      costPoints: r.costPoints,
      stock: r.stock,
      perMemberLimit: r.perMemberLimit,
      minTierRank: r.minTierRank,
      couponTemplateId: r.couponTemplateId,
      validFrom: iso(r.validFrom),
      validTo: iso(r.validTo),
      active: r.active,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class RewardPageResponseDto {
  @ApiProperty({ type: [RewardResponseDto] }) items!: RewardResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AvailableRewardResponseDto extends RewardResponseDto {
  @ApiProperty({ description: 'The member has enough points (and limit left)' })
  affordable!: boolean;
  @ApiProperty({ type: Number, nullable: true }) remainingForMember!: number | null;

  static fromAvailable(r: AvailableReward): AvailableRewardResponseDto {
    return {
      ...RewardResponseDto.from(r),
      affordable: r.affordable,
      remainingForMember: r.remainingForMember,
    };
  }
}

export class AvailableRewardPageResponseDto {
  @ApiProperty({ description: 'The member’s spendable balance' }) balance!: number;
  @ApiProperty({ type: [AvailableRewardResponseDto] }) items!: AvailableRewardResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RedemptionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty() points!: number;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) ledgerEntryId!: string | null;
  @ApiProperty({ type: CouponResponseDto, nullable: true }) coupon!: CouponResponseDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(
    r: RewardRedemption,
    coupon: RedemptionResult['coupon'] = null,
  ): RedemptionResponseDto {
    return {
      id: r.id,
      rewardId: r.rewardId,
      memberId: r.memberId,
      points: r.points,
      status: r.status,
      ledgerEntryId: r.ledgerEntryId,
      coupon: coupon ? CouponResponseDto.from(coupon) : null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class RedemptionPageResponseDto {
  @ApiProperty({ type: [RedemptionResponseDto] }) items!: RedemptionResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
