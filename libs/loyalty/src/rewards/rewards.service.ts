import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { DatabaseClient } from '@app/db';
import {
  AuditLogRepository,
  type StaffActor,
  decodePosition,
  keysetPage,
  pageSize,
} from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { LedgerService } from '../ledger/ledger.service';
import { CouponTemplatesRepository } from './coupons/coupon-templates.repository';
import { type Coupon, CouponsRepository } from './coupons/coupons.repository';
import { CouponsService } from './coupons/coupons.service';
import {
  IdempotencyConflictError,
  RewardLimitReachedError,
  RewardNotFoundError,
  RewardOutOfStockError,
  RewardTierTooLowError,
  RewardUnavailableError,
} from './rewards.errors';
import {
  MEMBER_REALTIME_HEADERS,
  type RewardRedeemedPayload,
  RewardsTopics,
} from './rewards.events';
import {
  type NewReward,
  type Reward,
  type RewardChanges,
  type RewardRedemption,
  RewardsRepository,
} from './rewards.repository';

export type RewardType = Reward['type'];

export interface RewardInput {
  type: RewardType;
  name: string;
  description?: string;
  costPoints: number;
  stock?: number | null;
  perMemberLimit?: number | null;
  minTierRank?: number;
  couponTemplateId?: string | null;
  validFrom?: Date | null;
  validTo?: Date | null;
  active?: boolean;
}

export interface AvailableReward extends Reward {
  affordable: boolean;
  /** Redemptions left for this member under the per-member limit (null: unlimited). */
  remainingForMember: number | null;
}

export interface RedemptionResult {
  redemption: RewardRedemption;
  reward: Reward;
  coupon: Coupon | null;
  /** true when this Idempotency-Key had already redeemed (a retry). */
  duplicate: boolean;
}

/** Internal: a concurrent request with the same Idempotency-Key committed first. */
class SameKeyRace extends Error {}

const audit = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

function inWindow(reward: Pick<Reward, 'validFrom' | 'validTo'>, now: Date): boolean {
  return (
    (!reward.validFrom || reward.validFrom.getTime() <= now.getTime()) &&
    (!reward.validTo || reward.validTo.getTime() > now.getTime())
  );
}

@Injectable()
export class RewardsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(RewardsRepository) private readonly rewards: RewardsRepository,
    @Inject(CouponTemplatesRepository) private readonly templates: CouponTemplatesRepository,
    @Inject(CouponsRepository) private readonly couponRows: CouponsRepository,
    @Inject(CouponsService) private readonly coupons: CouponsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  // ---- staff catalogue ----------------------------------------------------------------------

  private async assertValid(brandId: string, r: NewReward): Promise<void> {
    const fields: Record<string, string[]> = {};
    const add = (field: string, message: string) => (fields[field] ??= []).push(message);
    if (r.type === 'coupon' && !r.couponTemplateId)
      add('couponTemplateId', 'is required for coupon rewards');
    if (r.type !== 'coupon' && r.couponTemplateId)
      add('couponTemplateId', 'is only allowed for coupon rewards');
    if (r.couponTemplateId && !(await this.templates.findById(brandId, r.couponTemplateId)))
      add('couponTemplateId', 'is not a coupon template of this brand');
    if (r.validFrom && r.validTo && r.validFrom.getTime() >= r.validTo.getTime())
      add('validTo', 'must be after validFrom');
    if (Object.keys(fields).length) throw new ValidationError('Invalid reward', { fields });
  }

  async create(actor: StaffActor, input: RewardInput): Promise<Reward> {
    const values: NewReward = {
      type: input.type,
      name: input.name.trim(),
      description: input.description ?? '',
      costPoints: input.costPoints,
      stock: input.stock ?? null,
      perMemberLimit: input.perMemberLimit ?? null,
      minTierRank: input.minTierRank ?? 0,
      couponTemplateId: input.couponTemplateId?.toLowerCase() ?? null,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
      active: input.active ?? true,
    };
    await this.assertValid(actor.brandId, values);
    return this.db.transaction(async (tx) => {
      const created = await this.rewards.insert(actor.brandId, values, tx);
      await this.audit.insert(
        actor.brandId,
        {
          actor: audit(actor),
          action: 'reward.created',
          target: { type: 'reward', id: created.id },
          details: { type: created.type, costPoints: created.costPoints, stock: created.stock },
        },
        tx,
      );
      return created;
    });
  }

  async update(actor: StaffActor, id: string, changes: Partial<RewardInput>): Promise<Reward> {
    return this.db.transaction(async (tx) => {
      const existing = await this.rewards.findById(actor.brandId, id, tx);
      if (!existing) throw new RewardNotFoundError();
      const patch: RewardChanges = Object.fromEntries(
        Object.entries({
          ...changes,
          name: changes.name?.trim(),
          couponTemplateId: changes.couponTemplateId?.toLowerCase() ?? changes.couponTemplateId,
        }).filter(([, v]) => v !== undefined),
      );
      await this.assertValid(actor.brandId, { ...existing, ...patch });
      const updated = await this.rewards.update(actor.brandId, id, patch, tx);
      if (!updated) throw new RewardNotFoundError();
      await this.audit.insert(
        actor.brandId,
        {
          actor: audit(actor),
          action: 'reward.updated',
          target: { type: 'reward', id },
          details: { changes: Object.keys(patch) },
        },
        tx,
      );
      return updated;
    });
  }

  /** Retires a reward (`active: false`); history and issued coupons stay. Idempotent. */
  async deactivate(actor: StaffActor, id: string): Promise<Reward> {
    return this.update(actor, id, { active: false });
  }

  async getById(brandId: string, id: string): Promise<Reward> {
    const found = await this.rewards.findById(brandId, id);
    if (!found) throw new RewardNotFoundError();
    return found;
  }

  async list(brandId: string, query: { limit?: number; cursor?: string }): Promise<Page<Reward>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(await this.rewards.list(brandId, { limit, after }), limit);
  }

  async listRedemptions(
    brandId: string,
    rewardId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<RewardRedemption>> {
    await this.getById(brandId, rewardId);
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(
      await this.rewards.listRedemptions(brandId, rewardId, { limit, after }),
      limit,
    );
  }

  // ---- member -------------------------------------------------------------------------------

  /** What this member can redeem now: active, in window, in stock, tier allowed; with `affordable`. */
  async availableFor(
    brandId: string,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<AvailableReward> & { balance: number }> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const [rank, { balance }] = await Promise.all([
      this.rewards.tierRank(brandId, memberId),
      this.ledger.balance(brandId, memberId),
    ]);
    const page = keysetPage(
      await this.rewards.list(brandId, {
        limit,
        after,
        availableAt: new Date(),
        maxTierRank: rank,
      }),
      limit,
    );
    const counts = await this.rewards.countsByReward(
      brandId,
      memberId,
      page.items.map((r) => r.id),
    );
    return {
      balance,
      nextCursor: page.nextCursor,
      items: page.items.map((r) => {
        const remainingForMember =
          r.perMemberLimit === null
            ? null
            : Math.max(0, r.perMemberLimit - (counts.get(r.id) ?? 0));
        return {
          ...r,
          remainingForMember,
          affordable: r.costPoints <= balance && remainingForMember !== 0,
        };
      }),
    };
  }

  /**
   * Redeems a reward for points in ONE transaction: the redemption row (unique on the member's
   * Idempotency-Key), the member lock, tier gate, per-member limit (counted under the lock), the
   * points spend at the price read before the transaction (dedupe `redemption:<id>`), one unit
   * of stock (guarded UPDATE), the coupon for coupon rewards, and the `reward.redeemed` outbox
   * message. Lock order everywhere: member → reward → coupon template. A retry with the same key returns
   * the same redemption; a failure leaves nothing behind.
   */
  async redeem(
    brandId: string,
    memberId: string,
    rewardId: string,
    idempotencyKey: string,
  ): Promise<RedemptionResult> {
    const previous = await this.rewards.findRedemptionByKey(brandId, memberId, idempotencyKey);
    if (previous) return this.replay(brandId, previous, rewardId);
    const reward = await this.rewards.findById(brandId, rewardId);
    if (!reward) throw new RewardNotFoundError();
    const now = new Date();
    if (!reward.active || !inWindow(reward, now)) throw new RewardUnavailableError();
    // Fast refusal once sold out; the guarded UPDATE below is what actually protects the stock.
    if (reward.stock === 0) throw new RewardOutOfStockError();
    try {
      return await this.db.transaction(async (tx) => {
        const redemption = await this.rewards.insertRedemption(
          brandId,
          { rewardId, memberId, points: reward.costPoints, idempotencyKey },
          tx,
        );
        if (!redemption) throw new SameKeyRace();
        await this.rewards.lockMember(brandId, memberId, tx);
        if ((await this.rewards.tierRank(brandId, memberId, tx)) < reward.minTierRank)
          throw new RewardTierTooLowError();
        if (reward.perMemberLimit !== null) {
          const used = await this.rewards.countRedemptions(
            brandId,
            memberId,
            rewardId,
            redemption.id,
            tx,
          );
          if (used >= reward.perMemberLimit)
            throw new RewardLimitReachedError(reward.perMemberLimit);
        }
        const { entry } = await this.ledger.spend(
          brandId,
          memberId,
          {
            points: reward.costPoints,
            reason: 'reward_redeemed',
            source: 'redemption',
            sourceId: redemption.id,
            actor: { type: 'member', id: memberId },
            dedupeKey: `redemption:${redemption.id}`,
            details: { rewardId, rewardName: reward.name },
          },
          tx,
        );
        // Stock last: the reward row stays locked (by this UPDATE) only from here to commit, so
        // concurrent redeemers of one reward serialise on the shortest possible section.
        const taken = await this.rewards.takeStock(brandId, rewardId, tx);
        if (!taken) throw new RewardOutOfStockError();
        let coupon: Coupon | null = null;
        if (taken.type === 'coupon' && taken.couponTemplateId) {
          ({ coupon } = await this.coupons.issue(
            brandId,
            {
              templateId: taken.couponTemplateId,
              memberId,
              source: 'reward',
              sourceId: redemption.id,
            },
            tx,
          ));
        }
        const completed = await this.rewards.completeRedemption(
          brandId,
          redemption.id,
          { ledgerEntryId: entry.id, couponId: coupon?.id ?? null },
          tx,
        );
        const payload: RewardRedeemedPayload = {
          memberId,
          redemptionId: completed.id,
          rewardId,
          rewardType: taken.type,
          rewardName: taken.name,
          points: completed.points,
          couponId: coupon?.id ?? null,
          couponCode: coupon?.code ?? null,
          at: completed.createdAt.toISOString(),
        };
        await this.outbox.publish(tx, brandId, {
          topic: RewardsTopics.RewardRedeemed,
          key: `member:${memberId}`,
          headers: { ...MEMBER_REALTIME_HEADERS },
          payload,
        });
        return { redemption: completed, reward: taken, coupon, duplicate: false };
      });
    } catch (error) {
      if (!(error instanceof SameKeyRace)) throw error;
      const winner = await this.rewards.findRedemptionByKey(brandId, memberId, idempotencyKey);
      if (!winner) throw error;
      return this.replay(brandId, winner, rewardId);
    }
  }

  private async replay(
    brandId: string,
    redemption: RewardRedemption,
    rewardId: string,
  ): Promise<RedemptionResult> {
    if (redemption.rewardId !== rewardId) throw new IdempotencyConflictError();
    const reward = await this.rewards.findById(brandId, rewardId);
    if (!reward) throw new RewardNotFoundError();
    const coupon = redemption.couponId
      ? await this.couponRows.findById(brandId, redemption.couponId)
      : null;
    return { redemption, reward, coupon, duplicate: true };
  }
}
