import { ApiProperty } from '@nestjs/swagger';
import type { OrderResult, RefundResult } from '../orders.service';
import type { BehaviourAward } from '../rules/earning-rules.service';

export class OrderLineResponseDto {
  @ApiProperty() lineNo!: number;
  @ApiProperty() productId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() paidMinor!: number;
  @ApiProperty({ description: "This line's share of the order's points" }) points!: number;
}

export class OrderResponseDto {
  @ApiProperty({ description: "The storefront's order id" }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ enum: ['paid', 'partially_refunded', 'refunded'] }) status!: string;
  @ApiProperty() pointsAwarded!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The purchase rule that fired (null: the default 1 point per currency unit)',
  })
  ruleId!: string | null;
  @ApiProperty({ type: [OrderLineResponseDto] }) lines!: OrderLineResponseDto[];
  @ApiProperty({ description: "The member's spendable balance now" }) balance!: number;

  static from(result: OrderResult): OrderResponseDto {
    return {
      orderId: result.orderId,
      id: result.id,
      memberId: result.memberId,
      status: result.status,
      pointsAwarded: result.pointsAwarded,
      ruleId: result.ruleId,
      lines: result.lines,
      balance: result.balance,
    };
  }
}

export class RefundLineResponseDto {
  @ApiProperty() lineNo!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty() amountMinor!: number;
}

export class RefundResponseDto {
  @ApiProperty() refundId!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty({ description: 'Points clawed back (taken from lots + recorded as debt)' })
  pointsReversed!: number;
  @ApiProperty({ type: [RefundLineResponseDto] }) lines!: RefundLineResponseDto[];
  @ApiProperty({ enum: ['paid', 'partially_refunded', 'refunded'] }) orderStatus!: string;
  @ApiProperty() balance!: number;

  static from(result: RefundResult): RefundResponseDto {
    return {
      refundId: result.refundId,
      id: result.id,
      orderId: result.orderId,
      amountMinor: result.amountMinor,
      pointsReversed: result.pointsReversed,
      lines: result.lines,
      orderStatus: result.orderStatus,
      balance: result.balance,
    };
  }
}

export class BehaviourEventResponseDto {
  @ApiProperty() awarded!: boolean;
  @ApiProperty({ required: false }) points?: number;
  @ApiProperty({ required: false, format: 'uuid' }) ruleId?: string;
  @ApiProperty({ required: false, description: 'Why nothing was awarded: no_rule, cap_reached' })
  reason?: string;

  static from(award: BehaviourAward): BehaviourEventResponseDto {
    return award.awarded
      ? { awarded: true, points: award.points, ruleId: award.ruleId }
      : { awarded: false, reason: award.reason, ...(award.ruleId ? { ruleId: award.ruleId } : {}) };
  }
}
