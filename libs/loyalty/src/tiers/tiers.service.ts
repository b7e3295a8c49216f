import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Page } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import {
  AuditLogRepository,
  MembersService,
  type StaffActor,
  decodePosition,
  keysetPage,
  pageSize,
} from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import {
  DEFAULT_TIER_POLICY,
  type QualifyingStats,
  type TierPolicy,
  type TierProgress,
  addMonths,
  entryTier,
  progressToNext,
  qualifyingTier,
  upgradeTarget,
  windowStart,
} from './tier-maths';
import { TIER_EVENTS, tierMessage, tierSummary } from './tiers.events';
import {
  EntryTierRequiredError,
  EntryTierThresholdsError,
  TierConflictError,
  TierInUseError,
  TierNotFoundError,
  TiersNotConfiguredError,
} from './tiers.errors';
import {
  type MemberTier,
  type Tier,
  type TierHistoryRow,
  type TierValues,
  TiersRepository,
} from './tiers.repository';

/** Injection token of the review policy (period, grace); defaults to DEFAULT_TIER_POLICY. */
export const TIER_POLICY = Symbol('TIER_POLICY');

export type CreateTierInput = Omit<
  TierValues,
  'minSpendMinor' | 'minOrders' | 'minEngagementPoints' | 'multiplierBp' | 'perks'
> &
  Partial<
    Pick<
      TierValues,
      'minSpendMinor' | 'minOrders' | 'minEngagementPoints' | 'multiplierBp' | 'perks'
    >
  >;
export type UpdateTierInput = Partial<TierValues>;

export interface EvaluationResult {
  tier: Tier | null;
  previous: Tier | null;
  upgraded: boolean;
  /** The member had no tier row and was enrolled on the entry tier. */
  enrolled: boolean;
}

export interface MemberTierStatus {
  tier: Tier;
  since: Date;
  nextReviewAt: Date;
  downgradeWarnedAt: Date | null;
  /** The tier the member would keep at the next review (set while a warning is pending). */
  atRiskTo: Tier | null;
  windowStart: Date;
  stats: QualifyingStats;
  progress: TierProgress<Tier> | null;
}

const auditActor = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

@Injectable()
export class TiersService {
  private readonly policy: TierPolicy;

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(TiersRepository) private readonly repository: TiersRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(MembersService) private readonly members: MembersService,
    @Optional() @Inject(TIER_POLICY) policy?: Partial<TierPolicy>,
  ) {
    this.policy = { ...DEFAULT_TIER_POLICY, ...policy };
  }

  get reviewPolicy(): TierPolicy {
    return this.policy;
  }

  // ---- staff CRUD ----------------------------------------------------------------------------

  list(brandId: string): Promise<Tier[]> {
    return this.repository.listTiers(brandId);
  }

  async get(brandId: string, id: string): Promise<Tier> {
    const tier = await this.repository.findTier(brandId, id);
    if (!tier) throw new TierNotFoundError();
    return tier;
  }

  async create(actor: StaffActor, input: CreateTierInput): Promise<Tier> {
    const values: TierValues = {
      code: input.code,
      name: input.name,
      rank: input.rank,
      minSpendMinor: input.minSpendMinor ?? 0,
      minOrders: input.minOrders ?? 0,
      minEngagementPoints: input.minEngagementPoints ?? 0,
      multiplierBp: input.multiplierBp ?? 10_000,
      perks: input.perks ?? {},
    };
    assertEntryThresholds(values);
    return this.db.transaction(async (tx) => {
      await this.repository.lockBrandTiers(actor.brandId, tx);
      const existing = await this.repository.listTiers(actor.brandId, tx);
      if (values.rank > 0 && !existing.some((tier) => tier.rank === 0)) {
        throw new EntryTierRequiredError();
      }
      const clash = await this.repository.clash(actor.brandId, values, null, tx);
      if (clash) throw new TierConflictError(clash);
      const created = await this.repository.insertTier(actor.brandId, values, tx);
      if (!created) throw new TierConflictError('code');
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'tier.created',
          target: { type: 'tier', id: created.id },
          details: { ...values },
        },
        tx,
      );
      return created;
    });
  }

  async update(actor: StaffActor, id: string, changes: UpdateTierInput): Promise<Tier> {
    return this.db.transaction(async (tx) => {
      await this.repository.lockBrandTiers(actor.brandId, tx);
      const current = await this.repository.findTier(actor.brandId, id, tx);
      if (!current) throw new TierNotFoundError();
      const merged = { ...current, ...stripUndefined(changes) };
      if (current.rank === 0 && merged.rank !== 0) {
        throw new EntryTierRequiredError('The entry tier keeps rank 0');
      }
      assertEntryThresholds(merged);
      const clash = await this.repository.clash(actor.brandId, merged, id, tx);
      if (clash) throw new TierConflictError(clash);
      const updated = await this.repository.updateTier(
        actor.brandId,
        id,
        stripUndefined(changes),
        tx,
      );
      if (!updated) throw new TierNotFoundError();
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'tier.updated',
          target: { type: 'tier', id },
          details: { changes: stripUndefined(changes) },
        },
        tx,
      );
      return updated;
    });
  }

  async remove(actor: StaffActor, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.repository.lockBrandTiers(actor.brandId, tx);
      const current = await this.repository.findTier(actor.brandId, id, tx);
      if (!current) throw new TierNotFoundError();
      const others = (await this.repository.listTiers(actor.brandId, tx)).filter(
        (t) => t.id !== id,
      );
      if (current.rank === 0 && others.length) {
        throw new EntryTierRequiredError('The entry tier can only be deleted last');
      }
      const holders = await this.repository.countMembersOnTier(actor.brandId, id, tx);
      if (holders) throw new TierInUseError(holders);
      await this.repository.deleteTier(actor.brandId, id, tx);
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'tier.deleted',
          target: { type: 'tier', id },
          details: { code: current.code, rank: current.rank },
        },
        tx,
      );
    });
  }

  // ---- member tier ---------------------------------------------------------------------------

  /**
   * The member's tier without writing anything: their row's tier, else the entry tier (what
   * they get on first evaluation). Null when the brand has no tiers. Safe inside any caller's
   * transaction (e.g. to read the earning multiplier).
   */
  async currentTier(brandId: string, memberId: string, tx?: Executor): Promise<Tier | null> {
    const all = await this.repository.listTiers(brandId, tx);
    const row = await this.repository.findMemberTier(brandId, memberId, tx);
    return (row && all.find((tier) => tier.id === row.tierId)) ?? entryTier(all);
  }

  /**
   * Re-evaluates a member on the rolling window ending at `asOf` and upgrades at once when they
   * qualify for a higher tier; never downgrades (only the review does). Holds the member's
   * member_tiers row lock (created on the entry tier when missing), so concurrent evaluations
   * serialise and write one upgrade.
   */
  async evaluate(
    brandId: string,
    memberId: string,
    options: { asOf?: Date; cause?: Record<string, unknown> } = {},
    tx?: Executor,
  ): Promise<EvaluationResult> {
    const asOf = options.asOf ?? new Date();
    return this.db.transaction(async (trx) => {
      const all = await this.repository.listTiers(brandId, trx);
      const entry = entryTier(all);
      if (!entry) return { tier: null, previous: null, upgraded: false, enrolled: false };
      const enrolled = await this.repository.insertMemberTierIfMissing(
        brandId,
        memberId,
        {
          tierId: entry.id,
          since: asOf,
          nextReviewAt: addMonths(asOf, this.policy.reviewPeriodMonths),
        },
        trx,
      );
      if (enrolled) {
        await this.repository.insertHistory(
          brandId,
          { memberId, fromTierId: null, toTierId: entry.id, reason: 'enrolled', createdAt: asOf },
          trx,
        );
      }
      const row = await this.repository.findMemberTier(brandId, memberId, trx, { forUpdate: true });
      if (!row) throw new Error(`member tier row of ${memberId} vanished`);
      const current = all.find((tier) => tier.id === row.tierId) ?? entry;
      const stats = await this.repository.stats(brandId, memberId, windowStart(asOf), asOf, trx);
      const target = upgradeTarget(all, current.rank, stats);
      if (!target) return { tier: current, previous: current, upgraded: false, enrolled };
      await this.moveTo(brandId, row, current, target, 'upgrade', asOf, stats, trx, options.cause);
      return { tier: target, previous: current, upgraded: true, enrolled };
    }, tx);
  }

  /** Applies a tier change: row, history and the member-facing event, in `tx`. */
  async moveTo(
    brandId: string,
    row: MemberTier,
    from: Tier,
    to: Tier,
    reason: 'upgrade' | 'review_downgrade',
    asOf: Date,
    stats: QualifyingStats,
    tx: Executor,
    cause?: Record<string, unknown>,
  ): Promise<void> {
    const nextReviewAt = addMonths(asOf, this.policy.reviewPeriodMonths);
    await this.repository.updateMemberTier(
      brandId,
      row.memberId,
      { tierId: to.id, since: asOf, downgradeWarnedAt: null, nextReviewAt },
      tx,
    );
    await this.repository.insertHistory(
      brandId,
      {
        memberId: row.memberId,
        fromTierId: from.id,
        toTierId: to.id,
        reason,
        details: { stats, ...(cause ? { cause } : {}) },
        createdAt: asOf,
      },
      tx,
    );
    const topic = reason === 'upgrade' ? TIER_EVENTS.upgraded : TIER_EVENTS.downgraded;
    await this.outbox.publish(
      tx,
      brandId,
      tierMessage(topic, row.memberId, {
        from: tierSummary(from),
        to: tierSummary(to),
        at: asOf.toISOString(),
        nextReviewAt: nextReviewAt.toISOString(),
        stats,
      }),
    );
  }

  /** GET /v1/me/tier and its staff twin: the tier, the window's figures and the way up. */
  async status(brandId: string, memberId: string, asOf = new Date()): Promise<MemberTierStatus> {
    let row = await this.repository.findMemberTier(brandId, memberId);
    if (!row) {
      await this.evaluate(brandId, memberId, { asOf });
      row = await this.repository.findMemberTier(brandId, memberId);
    }
    const all = await this.repository.listTiers(brandId);
    const tier = row && all.find((candidate) => candidate.id === row.tierId);
    if (!row || !tier) throw new TiersNotConfiguredError();
    const from = windowStart(asOf);
    const stats = await this.repository.stats(brandId, memberId, from, asOf);
    const qualifies = qualifyingTier(all, stats);
    return {
      tier,
      since: row.since,
      nextReviewAt: row.nextReviewAt,
      downgradeWarnedAt: row.downgradeWarnedAt,
      atRiskTo: row.downgradeWarnedAt && qualifies && qualifies.rank < tier.rank ? qualifies : null,
      windowStart: from,
      stats,
      progress: progressToNext(all, tier.rank, stats),
    };
  }

  /** Staff view: the member must belong to the brand (404 otherwise, also across tenants). */
  async statusForStaff(brandId: string, memberId: string): Promise<MemberTierStatus> {
    await this.members.getById(brandId, memberId);
    return this.status(brandId, memberId);
  }

  async history(
    brandId: string,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<Omit<TierHistoryRow & { cursorAt: string }, 'cursorAt'>>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(
      await this.repository.listHistory(brandId, memberId, { limit, after }),
      limit,
    );
  }

  async historyForStaff(
    brandId: string,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ) {
    await this.members.getById(brandId, memberId);
    return this.history(brandId, memberId, query);
  }
}

function assertEntryThresholds(
  values: Pick<TierValues, 'rank' | 'minSpendMinor' | 'minOrders' | 'minEngagementPoints'>,
): void {
  if (
    values.rank === 0 &&
    (values.minSpendMinor !== 0 || values.minOrders !== 0 || values.minEngagementPoints !== 0)
  ) {
    throw new EntryTierThresholdsError();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
