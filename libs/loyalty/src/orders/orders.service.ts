import { Inject, Injectable, Optional } from '@nestjs/common';
import { MicroBatcher, type Settled } from '@app/common';
import { AppConfig } from '@app/config';
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
  type EarningRule,
  type LineRefundUpdate,
  type MemberForOrder,
  type Order,
  type OrderLine,
  OrdersRepository,
  type Refund,
} from './orders.repository';
import { PURCHASE_BOOSTS, type PurchaseBoost, type PurchaseBoosts } from './purchase-boosts';
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

/** A validated order waiting for its batch. */
interface IngestItem {
  input: OrderInput;
  lines: (IngestLineInput & { lineNo: number })[];
  actor: Actor;
  now: Date;
}

/** An order of a batch to insert (`id` once inserted). */
interface Create {
  index: number;
  item: IngestItem;
  member: MemberForOrder;
  rule: EarningRule | null;
  evaluation: ReturnType<typeof evaluatePurchase>;
  /** The boost applied and the points it added on top of the tier's multiplier. */
  boost: (PurchaseBoost & { points: number }) | null;
  id: string;
}

/**
 * Orders from storefronts: ingestion (idempotent on the storefront's order id) awarding purchase
 * points, the referrer's referral award, and refunds clawing back the refunded lines' points —
 * each in one transaction with its outbox events.
 */
@Injectable()
export class OrdersService {
  private readonly programCache = new Map<string, { program: LoyaltyProgram; until: number }>();
  /** Group commit: concurrent orders of a brand share a transaction (docs/adr/0012). */
  private readonly batcher: MicroBatcher<string, IngestItem, OrderResult>;

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(OrdersRepository) private readonly repository: OrdersRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(EarningRulesService) private readonly rules: EarningRulesService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AppConfig) config: AppConfig,
    @Optional() @Inject(PURCHASE_BOOSTS) private readonly boosts?: PurchaseBoosts,
  ) {
    this.batcher = new MicroBatcher((brandId, items) => this.ingestBatch(brandId, items), {
      maxBatch: config.ingest.batchMax,
      maxInFlight: config.ingest.batchInFlight,
    });
  }

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
    return this.batcher.submit(brandId, { input, lines, actor, now });
  }

  /**
   * One batch of validated orders of a brand (see MicroBatcher): written in one transaction; if
   * that transaction fails as a whole (a deadlock with a concurrent batch, say), each order is
   * retried alone so one order's failure is never another's.
   */
  private async ingestBatch(brandId: string, items: IngestItem[]): Promise<Settled<OrderResult>[]> {
    try {
      return await this.writeBatch(brandId, items);
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      return Promise.all(
        items.map((item) =>
          this.writeBatch(brandId, [item]).then(
            ([one]) => one,
            (e: unknown) => ({ ok: false as const, error: e }),
          ),
        ),
      );
    }
  }

  /**
   * Writes a batch in a constant number of statements: members looked up together, orders and
   * lines inserted together (idempotent on the storefront's order id), points credited with
   * `LedgerService.earnMany`, every event in one outbox insert. An order already stored (a retry,
   * or the same order twice in the batch) is read back after the commit.
   */
  private async writeBatch(brandId: string, items: IngestItem[]): Promise<Settled<OrderResult>[]> {
    const program = await this.programOf(brandId);
    const results = new Array<Settled<OrderResult> | 'existing'>(items.length);
    await this.db.transaction(async (tx) => {
      const members = await this.repository.findMembers(
        brandId,
        {
          ids: items.flatMap((i) => (i.input.memberId ? [i.input.memberId] : [])),
          externalIds: items.flatMap((i) =>
            i.input.memberExternalId ? [i.input.memberExternalId] : [],
          ),
        },
        tx,
      );
      const byId = new Map(members.map((m) => [m.id, m]));
      const byExternalId = new Map(members.map((m) => [m.externalId, m]));
      const memberOf = (input: OrderInput) =>
        input.memberId
          ? byId.get(input.memberId)
          : byExternalId.get(input.memberExternalId ?? null);
      const boosts = await this.boostsFor(brandId, items, memberOf, tx);
      const creates: Create[] = [];
      const orderIds = new Set<string>();
      for (const [index, item] of items.entries()) {
        const { input } = item;
        const member = memberOf(input);
        if (!member) {
          results[index] = { ok: false, error: new MemberNotFoundError() };
          continue;
        }
        if (orderIds.has(input.orderId)) {
          results[index] = 'existing';
          continue;
        }
        orderIds.add(input.orderId);
        const rule = await this.rules.purchaseRule(brandId, input.placedAt, tx);
        const evaluate = (multiplierBp: number) =>
          evaluatePurchase(rule?.config ?? DEFAULT_PURCHASE_CONFIG, item.lines, {
            paidTotalMinor: input.paidTotalMinor,
            currencyDigits: minorDigits(program.currency),
            tierMultiplierBp: multiplierBp,
          });
        const boost = boosts[index];
        const evaluation = evaluate(
          boost
            ? Math.round((member.tierMultiplierBp * boost.multiplierBp) / 10_000)
            : member.tierMultiplierBp,
        );
        const boosted = boost
          ? { ...boost, points: evaluation.points - evaluate(member.tierMultiplierBp).points }
          : null;
        creates.push({ index, item, member, rule, evaluation, boost: boosted, id: '' });
      }
      const inserted = await this.repository.insertOrders(
        brandId,
        creates.map(({ item: { input, lines }, member, evaluation }) => ({
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
        })),
        tx,
      );
      const created: Create[] = [];
      for (const c of creates) {
        const id = inserted.get(c.item.input.orderId);
        if (id) created.push({ ...c, id });
        else results[c.index] = 'existing';
      }
      const earning = created.filter((c) => c.evaluation.points > 0);
      const earned = await this.ledger.earnMany(
        brandId,
        earning.map((c) => ({
          memberId: c.member.id,
          input: {
            points: c.evaluation.points,
            reason: 'purchase',
            source: 'order' as const,
            sourceId: c.id,
            ruleId: c.rule?.id,
            actor: c.item.actor,
            dedupeKey: purchaseDedupeKey(c.id),
            earnedAt: c.item.now,
            details: {
              orderId: c.item.input.orderId,
              rule: c.rule ? c.rule.name : 'default: 1 point per currency unit',
              eligibleMinor: c.evaluation.eligibleMinor,
              tierMultiplierBp: c.member.tierMultiplierBp,
              ...(c.boost ? { boost: c.boost } : {}),
            },
          },
        })),
        { tx, program, freshKeys: true },
      );
      // Members who earned nothing in this batch have no locked row yet: read theirs.
      const rows = new Map(earned.map((e) => [e.row.memberId, e.row]));
      const balances = await this.ledger.balances(
        brandId,
        created.map((c) => c.member.id),
        tx,
        rows,
      );
      const balanceOf = (memberId: string) => balances.get(memberId)?.balance ?? 0;
      const events: OutboxMessageInput[] = earning.map((c, i) =>
        pointsEarnedMessage({
          memberId: c.member.id,
          points: c.evaluation.points,
          reason: 'purchase',
          source: 'order',
          sourceId: c.id,
          ruleId: c.rule?.id ?? null,
          entryId: earned[i].entry.id,
          balance: balanceOf(c.member.id),
        }),
      );
      for (const c of created) {
        events.push({
          topic: ORDER_TOPICS.paid,
          key: `member:${c.member.id}`,
          payload: {
            orderId: c.id,
            externalId: c.item.input.orderId,
            memberId: c.member.id,
            paidTotalMinor: c.item.input.paidTotalMinor,
            currency: c.item.input.currency,
            placedAt: c.item.input.placedAt.toISOString(),
            pointsAwarded: c.evaluation.points,
          },
        });
      }
      await this.outbox.publishMany(tx, brandId, events);
      const boosted = created.flatMap((c) =>
        c.boost && c.boost.points > 0 ? [{ source: c.boost.source, points: c.boost.points }] : [],
      );
      if (boosted.length) await this.boosts?.recordAwarded(brandId, boosted, tx);
      await this.awardReferrals(brandId, created, tx);
      for (const c of created) {
        results[c.index] = {
          ok: true,
          value: {
            orderId: c.item.input.orderId,
            id: c.id,
            memberId: c.member.id,
            status: 'paid',
            pointsAwarded: c.evaluation.points,
            ruleId: c.rule?.id ?? null,
            lines: c.item.lines.map((l, i) => ({
              lineNo: l.lineNo,
              productId: l.productId,
              quantity: l.quantity,
              paidMinor: l.paidMinor,
              points: c.evaluation.linePoints[i],
            })),
            balance: balanceOf(c.member.id),
            created: true,
          },
        };
      }
    });
    return Promise.all(
      results.map((r, index) =>
        r === 'existing'
          ? this.get(brandId, items[index].input.orderId).then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            )
          : Promise.resolve(r),
      ),
    );
  }

  /** The boost in force for each order's member at the order's time (none without a provider). */
  private async boostsFor(
    brandId: string,
    items: IngestItem[],
    memberOf: (input: OrderInput) => MemberForOrder | undefined,
    tx: Transaction,
  ): Promise<(PurchaseBoost | null)[]> {
    if (!this.boosts) return items.map(() => null);
    const asked = items.flatMap((item, index) => {
      const member = memberOf(item.input);
      return member ? [{ index, memberId: member.id, at: item.input.placedAt }] : [];
    });
    const found = asked.length ? await this.boosts.activeFor(brandId, asked, tx) : [];
    const result: (PurchaseBoost | null)[] = items.map(() => null);
    asked.forEach((a, i) => (result[a.index] = found[i] ?? null));
    return result;
  }

  /** The referrer's award when a referred member's first order is paid (rare: one per member). */
  private async awardReferrals(brandId: string, created: Create[], tx: Transaction): Promise<void> {
    const referred = new Map<string, Create[]>();
    for (const c of created) {
      if (c.member.referredBy) referred.set(c.member.id, [...(referred.get(c.member.id) ?? []), c]);
    }
    for (const [memberId, orders] of referred) {
      const ids = orders.map((c) => c.id);
      if (await this.repository.hasOtherOrder(brandId, memberId, ids, tx)) continue;
      const first = orders[0];
      await this.rules.awardBehaviour(
        brandId,
        first.member.referredBy as string,
        {
          kind: 'referral',
          dedupeKey: referralDedupeKey(memberId),
          sourceId: memberId,
          actor: first.item.actor,
          at: first.item.now,
          details: { refereeId: memberId, orderId: first.id },
        },
        tx,
      );
    }
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
