import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Transaction } from '@app/db';
import { MemberNotFoundError } from '@app/identity';
import { type OutboxMessageInput, OutboxPublisher } from '@app/outbox';
import { LedgerService, type LoyaltyProgram, LoyaltyProgramService } from '../ledger';
import {
  CurrencyMismatchError,
  DuplicateLineNoError,
  MemberReferenceRequiredError,
  OrderNotFoundError,
  PlacedInFutureError,
  RefundEmptyError,
  RefundExceedsRemainingError,
  RefundIdConflictError,
  RefundLineUnknownError,
  TotalsMismatchError,
} from './orders.errors';
import { ORDER_TOPICS, pointsEarnedMessage } from './orders.events';
import {
  type LineRefundUpdate,
  type Order,
  type OrderLine,
  OrdersRepository,
  type Refund,
} from './orders.repository';
import { EarningRulesService } from './rules/earning-rules.service';
import {
  DEFAULT_PURCHASE_CONFIG,
  evaluatePurchase,
  minorDigits,
  proportionalShare,
} from './rules/rule-engine';

/** How far in the future a storefront's placedAt may be (clock skew). */
export const PLACED_AT_SKEW_MS = 5 * 60_000;
/** How long a process reuses a brand's programme settings on the ingestion path. */
export const PROGRAM_CACHE_MS = 5_000;

export interface IngestLineInput {
  lineNo?: number;
  productId: string;
  category?: string;
  quantity: number;
  unitPriceMinor: number;
  paidMinor: number;
}

export interface OrderInput {
  orderId: string;
  memberId?: string;
  memberExternalId?: string;
  lines: IngestLineInput[];
  paidTotalMinor: number;
  currency: string;
  channel: 'online' | 'offline';
  storeId?: string;
  placedAt: Date;
}

export interface OrderResult {
  orderId: string;
  id: string;
  memberId: string;
  status: Order['status'];
  pointsAwarded: number;
  ruleId: string | null;
  lines: {
    lineNo: number;
    productId: string;
    quantity: number;
    paidMinor: number;
    points: number;
  }[];
  /** The member's spendable balance when this response was made. */
  balance: number;
  created: boolean;
}

export interface RefundInput {
  refundId: string;
  full?: boolean;
  lines?: { lineNo: number; quantity: number }[];
}

export interface RefundResult {
  refundId: string;
  id: string;
  orderId: string;
  amountMinor: number;
  pointsReversed: number;
  lines: LineRefundUpdate[];
  orderStatus: Order['status'];
  balance: number;
  created: boolean;
}

export const purchaseDedupeKey = (orderUuid: string) => `order:${orderUuid}:purchase`;
export const referralDedupeKey = (refereeId: string) => `referral:${refereeId}`;
export const refundDedupeKey = (refundUuid: string) => `refund:${refundUuid}`;

type Actor = { type: 'storefront'; id: string };

/**
 * Orders from storefronts: ingestion (idempotent on the storefront's order id) awarding purchase
 * points, the referrer's referral award, and refunds clawing back the refunded lines' points —
 * each in one transaction with its outbox events.
 */
@Injectable()
export class OrdersService {
  private readonly programCache = new Map<string, { program: LoyaltyProgram; until: number }>();

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(OrdersRepository) private readonly repository: OrdersRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(EarningRulesService) private readonly rules: EarningRulesService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async ingest(
    brandId: string,
    input: OrderInput,
    actor: Actor,
    now: Date = new Date(),
  ): Promise<OrderResult> {
    if (Boolean(input.memberId) === Boolean(input.memberExternalId))
      throw new MemberReferenceRequiredError();
    const linesTotal = input.lines.reduce((sum, l) => sum + l.paidMinor, 0);
    if (linesTotal !== input.paidTotalMinor)
      throw new TotalsMismatchError(input.paidTotalMinor, linesTotal);
    if (input.placedAt.getTime() > now.getTime() + PLACED_AT_SKEW_MS)
      throw new PlacedInFutureError();
    const lines = input.lines.map((l, i) => ({ ...l, lineNo: l.lineNo ?? i + 1 }));
    const seen = new Set<number>();
    for (const l of lines) {
      if (seen.has(l.lineNo)) throw new DuplicateLineNoError(l.lineNo);
      seen.add(l.lineNo);
    }
    const program = await this.programOf(brandId);
    if (input.currency !== program.currency)
      throw new CurrencyMismatchError(program.currency, input.currency);

    return this.db.transaction(async (tx) => {
      const member = await this.repository.findMember(
        brandId,
        { id: input.memberId, externalId: input.memberExternalId },
        tx,
      );
      if (!member) throw new MemberNotFoundError();
      const rule = await this.rules.purchaseRule(brandId, input.placedAt, tx);
      const evaluation = evaluatePurchase(rule?.config ?? DEFAULT_PURCHASE_CONFIG, lines, {
        paidTotalMinor: input.paidTotalMinor,
        currencyDigits: minorDigits(program.currency),
        tierMultiplierBp: member.tierMultiplierBp,
      });
      const orderUuid = await this.repository.insertOrder(
        brandId,
        {
          externalId: input.orderId,
          memberId: member.id,
          currency: input.currency,
          paidTotalMinor: input.paidTotalMinor,
          channel: input.channel,
          storeId: input.storeId ?? null,
          placedAt: input.placedAt,
          pointsAwarded: evaluation.points,
          lines: lines.map((l, i) => ({
            lineNo: l.lineNo,
            productId: l.productId,
            category: l.category ?? null,
            quantity: l.quantity,
            unitPriceMinor: l.unitPriceMinor,
            paidMinor: l.paidMinor,
            pointsAwarded: evaluation.linePoints[i],
          })),
        },
        tx,
      );
      if (!orderUuid) return this.existingOrder(brandId, input.orderId, tx);

      let balance: number | null = null;
      const events: OutboxMessageInput[] = [];
      if (evaluation.points > 0) {
        const { entry } = await this.ledger.earn(
          brandId,
          member.id,
          {
            points: evaluation.points,
            reason: 'purchase',
            source: 'order',
            sourceId: orderUuid,
            ruleId: rule?.id,
            actor,
            dedupeKey: purchaseDedupeKey(orderUuid),
            earnedAt: now,
            details: {
              orderId: input.orderId,
              rule: rule ? rule.name : 'default: 1 point per currency unit',
              eligibleMinor: evaluation.eligibleMinor,
              tierMultiplierBp: member.tierMultiplierBp,
            },
          },
          tx,
        );
        balance = (await this.ledger.balance(brandId, member.id, tx)).balance;
        events.push(
          pointsEarnedMessage({
            memberId: member.id,
            points: evaluation.points,
            reason: 'purchase',
            source: 'order',
            sourceId: orderUuid,
            ruleId: rule?.id ?? null,
            entryId: entry.id,
            balance,
          }),
        );
      }
      events.push({
        topic: ORDER_TOPICS.paid,
        key: `member:${member.id}`,
        payload: {
          orderId: orderUuid,
          externalId: input.orderId,
          memberId: member.id,
          paidTotalMinor: input.paidTotalMinor,
          currency: input.currency,
          placedAt: input.placedAt.toISOString(),
          pointsAwarded: evaluation.points,
        },
      });
      // One round trip for both events.
      await this.outbox.publishMany(tx, brandId, events);
      if (
        member.referredBy &&
        !(await this.repository.hasOtherOrder(brandId, member.id, orderUuid, tx))
      ) {
        await this.rules.awardBehaviour(
          brandId,
          member.referredBy,
          {
            kind: 'referral',
            dedupeKey: referralDedupeKey(member.id),
            sourceId: member.id,
            actor,
            at: now,
            details: { refereeId: member.id, orderId: orderUuid },
          },
          tx,
        );
      }
      return {
        orderId: input.orderId,
        id: orderUuid,
        memberId: member.id,
        status: 'paid' as const,
        pointsAwarded: evaluation.points,
        ruleId: rule?.id ?? null,
        lines: lines.map((l, i) => ({
          lineNo: l.lineNo,
          productId: l.productId,
          quantity: l.quantity,
          paidMinor: l.paidMinor,
          points: evaluation.linePoints[i],
        })),
        balance: balance ?? (await this.ledger.balance(brandId, member.id, tx)).balance,
        created: true,
      };
    });
  }

  /**
   * The brand's programme for the currency check, cached for a few seconds per process (the hot
   * path of ingestion; a currency change takes effect within PROGRAM_CACHE_MS).
   */
  private async programOf(brandId: string): Promise<LoyaltyProgram> {
    const now = Date.now();
    const cached = this.programCache.get(brandId);
    if (cached && cached.until > now) return cached.program;
    const program = await this.programs.get(brandId);
    if (this.programCache.size > 10_000) this.programCache.clear();
    this.programCache.set(brandId, { program, until: now + PROGRAM_CACHE_MS });
    return program;
  }

  async get(brandId: string, externalId: string): Promise<OrderResult> {
    return this.db.transaction((tx) => this.existingOrder(brandId, externalId, tx));
  }

  private async existingOrder(
    brandId: string,
    externalId: string,
    tx: Transaction,
  ): Promise<OrderResult> {
    const order = await this.repository.findOrderByExternalId(brandId, externalId, tx);
    if (!order) throw new OrderNotFoundError();
    const lines = await this.repository.findLines(brandId, order.id, tx);
    const ruleEntry = order.pointsAwarded
      ? await this.repository.findEntryIdByDedupeKey(brandId, purchaseDedupeKey(order.id), tx)
      : null;
    const ruleId = ruleEntry ? await this.repository.ruleIdOfEntry(brandId, ruleEntry, tx) : null;
    return {
      orderId: order.externalId,
      id: order.id,
      memberId: order.memberId,
      status: order.status,
      pointsAwarded: order.pointsAwarded,
      ruleId,
      lines: lines.map(lineView),
      balance: (await this.ledger.balance(brandId, order.memberId, tx)).balance,
      created: false,
    };
  }

  async refund(
    brandId: string,
    externalOrderId: string,
    input: RefundInput,
    actor: Actor,
  ): Promise<RefundResult> {
    if (!input.full && !input.lines?.length) throw new RefundEmptyError();
    if (input.full && input.lines?.length)
      throw new RefundEmptyError('Send either lines or full: true, not both');
    return this.db.transaction(async (tx) => {
      // The order row lock serialises refunds of one order (remaining quantities stay exact).
      const order = await this.repository.findOrderByExternalId(brandId, externalOrderId, tx, {
        forUpdate: true,
      });
      if (!order) throw new OrderNotFoundError();
      const previous = await this.repository.findRefund(brandId, input.refundId, tx);
      if (previous) return this.refundView(brandId, order, previous, tx, false);
      const lines = await this.repository.findLines(brandId, order.id, tx);
      const byNo = new Map(lines.map((l) => [l.lineNo, l]));
      const requested = new Map<number, number>();
      if (input.full) {
        for (const l of lines) {
          const left = l.quantity - l.refundedQuantity;
          if (left > 0) requested.set(l.lineNo, left);
        }
        if (!requested.size) throw new RefundEmptyError('Nothing is left to refund on this order');
      } else {
        for (const r of input.lines ?? []) {
          requested.set(r.lineNo, (requested.get(r.lineNo) ?? 0) + r.quantity);
        }
      }
      const updates: LineRefundUpdate[] = [];
      let points = 0;
      for (const [lineNo, quantity] of requested) {
        const line = byNo.get(lineNo);
        if (!line) throw new RefundLineUnknownError(lineNo);
        const left = line.quantity - line.refundedQuantity;
        if (quantity > left) throw new RefundExceedsRemainingError(lineNo, quantity, left);
        const after = line.refundedQuantity + quantity;
        updates.push({
          lineNo,
          quantity,
          amountMinor: proportionalShare(
            line.paidMinor,
            line.quantity,
            line.refundedQuantity,
            after,
          ),
        });
        points += proportionalShare(
          line.pointsAwarded,
          line.quantity,
          line.refundedQuantity,
          after,
        );
      }
      updates.sort((a, b) => a.lineNo - b.lineNo);
      const amountMinor = updates.reduce((sum, u) => sum + u.amountMinor, 0);
      const refund = await this.repository.insertRefund(
        brandId,
        {
          externalId: input.refundId,
          orderId: order.id,
          amountMinor,
          lines: updates,
          pointsReversed: 0,
        },
        tx,
      );
      if (!refund) {
        // Inserted concurrently for another order (same order is serialised by the lock above).
        const other = await this.repository.findRefund(brandId, input.refundId, tx);
        if (other && other.orderId === order.id)
          return this.refundView(brandId, order, other, tx, false);
        throw new RefundIdConflictError();
      }
      let reversed = 0;
      let debtAdded = 0;
      if (points > 0) {
        const earnEntryId = await this.repository.findEntryIdByDedupeKey(
          brandId,
          purchaseDedupeKey(order.id),
          tx,
        );
        if (earnEntryId) {
          const result = await this.ledger.clawback(
            brandId,
            order.memberId,
            {
              earnEntryId,
              points,
              reason: 'refund',
              source: 'refund',
              sourceId: refund.id,
              actor,
              dedupeKey: refundDedupeKey(refund.id),
            },
            tx,
          );
          reversed = result.reversed;
          debtAdded = result.debtAdded;
        }
      }
      const pointsReversed = reversed + debtAdded;
      await this.repository.setRefundPoints(brandId, refund.id, pointsReversed, tx);
      const updated = await this.repository.applyRefund(
        brandId,
        order.id,
        updates,
        amountMinor,
        tx,
      );
      await this.outbox.publish(tx, brandId, {
        topic: ORDER_TOPICS.refunded,
        key: `member:${order.memberId}`,
        payload: {
          orderId: order.id,
          externalId: order.externalId,
          refundId: input.refundId,
          memberId: order.memberId,
          amountMinor,
          pointsReversed,
          debtAdded,
          status: updated.status,
          placedAt: order.placedAt.toISOString(),
        },
      });
      return this.refundView(brandId, updated, { ...refund, pointsReversed }, tx, true);
    });
  }

  private async refundView(
    brandId: string,
    order: Order,
    refund: Refund,
    tx: Transaction,
    created: boolean,
  ): Promise<RefundResult> {
    if (refund.orderId !== order.id) throw new RefundIdConflictError();
    return {
      refundId: refund.externalId,
      id: refund.id,
      orderId: order.externalId,
      amountMinor: refund.amountMinor,
      pointsReversed: refund.pointsReversed,
      lines: refund.lines,
      orderStatus: order.status,
      balance: (await this.ledger.balance(brandId, order.memberId, tx)).balance,
      created,
    };
  }
}

function lineView(l: OrderLine) {
  return {
    lineNo: l.lineNo,
    productId: l.productId,
    quantity: l.quantity,
    paidMinor: l.paidMinor,
    points: l.pointsAwarded,
  };
}
