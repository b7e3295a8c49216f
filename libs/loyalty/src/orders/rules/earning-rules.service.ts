import { Inject, Injectable } from '@nestjs/common';
import { type Page, decodeCursor, toPage } from '@app/common';
import { DatabaseClient, type Executor, type PurchaseRuleConfig, type RuleCaps } from '@app/db';
import { LedgerRepository, LedgerService, type LedgerActor } from '../../ledger';
import { type AuditActor, AuditLogRepository, MemberNotFoundError } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { CouponTemplatesRepository } from '../../rewards/coupons/coupon-templates.repository';
import { InvalidRuleError, RuleNotFoundError } from '../orders.errors';
import { pointsEarnedMessage } from '../orders.events';
import {
  type EarningRule,
  type NewEarningRule,
  OrdersRepository,
  type RuleKind,
} from '../orders.repository';
import { CAP_PERIODS, capReached, capWindows, ruleInForce } from './rule-engine';

/** How long a process reuses a brand's purchase rules on the ingestion path. */
export const RULE_CACHE_MS = 5_000;

export const BEHAVIOUR_KINDS = [
  'signup',
  'profile_completed',
  'birthday',
  'survey',
  'share',
  'referral',
  'review_approved',
  'post_approved',
] as const satisfies readonly RuleKind[];
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];

export interface RuleInput {
  kind: RuleKind;
  name: string;
  active?: boolean;
  points?: number;
  config?: PurchaseRuleConfig & Record<string, unknown>;
  caps?: RuleCaps;
  validFrom?: Date | null;
  validTo?: Date | null;
}

export type BehaviourAward =
  | { awarded: true; duplicate: boolean; ruleId: string; points: number; entryId: string }
  | {
      awarded: false;
      reason: 'no_rule' | 'unknown_member' | 'cap_reached';
      ruleId?: string;
      cap?: string;
    };

const positiveNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const stringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const multiplierMap = (v: unknown) =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v as Record<string, unknown>).every(
    (x) => positiveNumber(x) && (x as number) <= 100,
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a rule as it would be stored; throws InvalidRuleError listing every problem. */
export function validateRule(rule: RuleInput): void {
  const fields: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  if (!rule.name?.trim()) add('name', 'must not be empty');
  if (rule.kind === 'purchase') {
    const c = rule.config ?? {};
    if (
      c.pointsPerUnit !== undefined &&
      !(positiveNumber(c.pointsPerUnit) && c.pointsPerUnit <= 1000)
    )
      add('config.pointsPerUnit', 'must be a number between 0 and 1000');
    if (
      c.minOrderMinor !== undefined &&
      !(Number.isSafeInteger(c.minOrderMinor) && c.minOrderMinor >= 0)
    )
      add('config.minOrderMinor', 'must be a non-negative integer');
    if (c.categoryMultipliers !== undefined && !multiplierMap(c.categoryMultipliers))
      add('config.categoryMultipliers', 'must map categories to multipliers between 0 and 100');
    if (c.productMultipliers !== undefined && !multiplierMap(c.productMultipliers))
      add('config.productMultipliers', 'must map product ids to multipliers between 0 and 100');
    if (c.excludedCategories !== undefined && !stringList(c.excludedCategories))
      add('config.excludedCategories', 'must be a list of strings');
    if (c.excludedProducts !== undefined && !stringList(c.excludedProducts))
      add('config.excludedProducts', 'must be a list of strings');
  } else if (!(Number.isSafeInteger(rule.points) && (rule.points as number) > 0)) {
    add('points', 'behaviour rules award a positive integer of points');
  }
  // 晒单返券: a review_approved rule may name a coupon template issued with its points.
  const couponTemplateId = rule.config?.couponTemplateId;
  if (couponTemplateId !== undefined) {
    if (rule.kind !== 'review_approved')
      add('config.couponTemplateId', 'only review_approved rules issue a coupon');
    else if (typeof couponTemplateId !== 'string' || !UUID.test(couponTemplateId))
      add('config.couponTemplateId', 'must be the id (uuid) of a coupon template');
  }
  for (const [period, value] of Object.entries(rule.caps ?? {})) {
    if (!CAP_PERIODS.includes(period as (typeof CAP_PERIODS)[number]))
      add(`caps.${period}`, `unknown cap; use ${CAP_PERIODS.join(', ')}`);
    else if (!(Number.isSafeInteger(value) && value >= 0))
      add(`caps.${period}`, 'must be a non-negative integer');
  }
  if (rule.validFrom && rule.validTo && rule.validFrom >= rule.validTo)
    add('validTo', 'must be after validFrom');
  if (Object.keys(fields).length) throw new InvalidRuleError(fields);
}

/**
 * Data-driven earning rules: staff CRUD, the purchase rule in force, and behaviour awards with
 * caps per day / week / month / lifetime counted from the ledger under the member's lock.
 */
@Injectable()
export class EarningRulesService {
  private readonly purchaseCache = new Map<string, { rules: EarningRule[]; until: number }>();
  /** Stateless reader over the same client; only checks that a rule's coupon template exists. */
  private readonly couponTemplates: CouponTemplatesRepository;

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(OrdersRepository) private readonly repository: OrdersRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LedgerRepository) private readonly ledgerRepository: LedgerRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {
    this.couponTemplates = new CouponTemplatesRepository(db);
  }

  async create(
    brandId: string,
    input: RuleInput,
    actor: AuditActor = { type: 'system' },
  ): Promise<EarningRule> {
    validateRule(input);
    const rule = await this.db.transaction(async (tx) => {
      await this.assertCouponTemplate(brandId, input, tx);
      const created = await this.repository.insertRule(brandId, toRow(input), tx);
      await this.auditRule(brandId, actor, 'earning_rule.created', created, tx);
      return created;
    });
    this.purchaseCache.delete(brandId); // after the commit, so no reader re-caches the old rules
    return rule;
  }

  async get(brandId: string, id: string, tx?: Executor): Promise<EarningRule> {
    const rule = await this.repository.findRule(brandId, id, tx);
    if (!rule) throw new RuleNotFoundError();
    return rule;
  }

  async list(brandId: string, limit = 20, cursor?: string): Promise<Page<EarningRule>> {
    const after = cursor ? decodeCursor<{ c: string; id: string }>(cursor, ['c', 'id']) : null;
    const rows = await this.repository.listRules(
      brandId,
      limit + 1,
      after ? { createdAt: new Date(after.c), id: after.id } : null,
    );
    return toPage(rows, limit, (r) => ({ c: r.createdAt.toISOString(), id: r.id }));
  }

  async update(
    brandId: string,
    id: string,
    changes: Partial<Omit<RuleInput, 'kind'>>,
    actor: AuditActor = { type: 'system' },
  ): Promise<EarningRule> {
    const rule = await this.db.transaction(async (tx) => {
      const current = await this.repository.findRule(brandId, id, tx);
      if (!current) throw new RuleNotFoundError();
      const merged: RuleInput = {
        kind: current.kind,
        name: changes.name ?? current.name,
        active: changes.active ?? current.active,
        points: changes.points ?? current.points,
        config: changes.config ?? current.config,
        caps: changes.caps ?? current.caps,
        validFrom: changes.validFrom !== undefined ? changes.validFrom : current.validFrom,
        validTo: changes.validTo !== undefined ? changes.validTo : current.validTo,
      };
      validateRule(merged);
      await this.assertCouponTemplate(brandId, merged, tx);
      const { kind: _kind, ...row } = toRow(merged);
      void _kind;
      const updated = (await this.repository.updateRule(brandId, id, row, tx))!;
      await this.auditRule(brandId, actor, 'earning_rule.updated', updated, tx);
      return updated;
    });
    this.purchaseCache.delete(brandId);
    return rule;
  }

  /** Deletes a rule; past awards keep its id on their ledger entries. */
  async remove(brandId: string, id: string, actor: AuditActor = { type: 'system' }): Promise<void> {
    await this.db.transaction(async (tx) => {
      const current = await this.repository.findRule(brandId, id, tx);
      if (!current || !(await this.repository.deleteRule(brandId, id, tx)))
        throw new RuleNotFoundError();
      await this.auditRule(brandId, actor, 'earning_rule.deleted', current, tx);
    });
    this.purchaseCache.delete(brandId);
  }

  /** A coupon template named by the rule must be one of the brand's. */
  private async assertCouponTemplate(
    brandId: string,
    rule: RuleInput,
    tx: Executor,
  ): Promise<void> {
    const templateId = rule.config?.couponTemplateId;
    if (typeof templateId !== 'string') return;
    if (!(await this.couponTemplates.findById(brandId, templateId, tx)))
      throw new InvalidRuleError({
        'config.couponTemplateId': ['is not a coupon template of this brand'],
      });
  }

  private auditRule(
    brandId: string,
    actor: AuditActor,
    action: string,
    rule: EarningRule,
    tx: Executor,
  ): Promise<void> {
    return this.audit.insert(
      brandId,
      {
        actor,
        action,
        target: { type: 'earning_rule', id: rule.id },
        details: {
          kind: rule.kind,
          name: rule.name,
          active: rule.active,
          points: rule.points,
          config: rule.config,
          caps: rule.caps,
        },
      },
      tx,
    );
  }

  /** `POST /v1/behaviour-events`: a survey answer or share, idempotent on (kind, sourceId). */
  async awardBehaviourEvent(
    brandId: string,
    input: { memberId: string; kind: 'survey' | 'share'; sourceId: string },
    actor: LedgerActor,
  ): Promise<BehaviourAward> {
    const member = await this.repository.findMember(brandId, { id: input.memberId });
    if (!member) throw new MemberNotFoundError();
    const award = await this.awardBehaviour(brandId, member.id, {
      kind: input.kind,
      dedupeKey: `rule:${input.kind}:${input.sourceId}`,
      sourceId: input.sourceId,
      actor,
    });
    if (!award.awarded && award.reason === 'unknown_member') throw new MemberNotFoundError();
    return award;
  }

  /**
   * The purchase rule in force at `at` (newest active one), or null: the default applies. The
   * brand's active purchase rules are cached per process for RULE_CACHE_MS (dropped at once on a
   * change made through this process; other processes see it within the TTL).
   */
  async purchaseRule(brandId: string, at: Date, tx?: Executor): Promise<EarningRule | null> {
    const now = Date.now();
    let cached = this.purchaseCache.get(brandId);
    if (!cached || cached.until <= now) {
      const rules = await this.repository.activeRules(brandId, 'purchase', tx);
      if (this.purchaseCache.size > 10_000) this.purchaseCache.clear();
      cached = { rules, until: now + RULE_CACHE_MS };
      this.purchaseCache.set(brandId, cached);
    }
    return cached.rules.find((r) => ruleInForce(r, at)) ?? null;
  }

  /**
   * Awards the brand's `kind` rule to a member, idempotent on `dedupeKey`, within the rule's caps.
   * Caps are counted from the ledger while holding the member's balance lock, so concurrent awards
   * cannot overshoot them. Runs in `tx` when given (e.g. the order's transaction for referrals).
   */
  async awardBehaviour(
    brandId: string,
    memberId: string,
    input: {
      kind: BehaviourKind;
      dedupeKey: string;
      sourceId?: string;
      actor: LedgerActor;
      at?: Date;
      details?: Record<string, unknown>;
    },
    tx?: Executor,
  ): Promise<BehaviourAward> {
    const at = input.at ?? new Date();
    return this.db.transaction(async (trx) => {
      const rules = await this.repository.activeRules(brandId, input.kind, trx);
      const rule = rules.find((r) => ruleInForce(r, at));
      if (!rule) return { awarded: false, reason: 'no_rule' };
      const dedupeKey = input.dedupeKey;
      // The member's lock first: the cap count and the award are serialised per member.
      const locked = await this.ledgerRepository.lockMember(brandId, memberId, trx);
      if (!locked) return { awarded: false, reason: 'unknown_member' };
      const existing = await this.repository.findEntryIdByDedupeKey(brandId, dedupeKey, trx);
      if (existing)
        return {
          awarded: true,
          duplicate: true,
          ruleId: rule.id,
          points: rule.points,
          entryId: existing,
        };
      const windows = capWindows(rule.caps, at);
      const counts = await this.repository.countRuleAwards(
        brandId,
        memberId,
        rule.id,
        windows.map((w) => w.since),
        trx,
      );
      const cap = capReached(windows, counts);
      if (cap) return { awarded: false, reason: 'cap_reached', ruleId: rule.id, cap };
      const { entry } = await this.ledger.earn(
        brandId,
        memberId,
        {
          points: rule.points,
          reason: input.kind,
          source: 'rule',
          sourceId: input.sourceId,
          ruleId: rule.id,
          actor: input.actor,
          dedupeKey,
          details: { rule: rule.name, ...input.details },
        },
        trx,
      );
      const balance = await this.ledger.balance(brandId, memberId, trx);
      await this.outbox.publish(
        trx,
        brandId,
        pointsEarnedMessage({
          memberId,
          points: rule.points,
          reason: input.kind,
          source: 'rule',
          sourceId: input.sourceId ?? null,
          ruleId: rule.id,
          entryId: entry.id,
          balance: balance.balance,
        }),
      );
      return {
        awarded: true,
        duplicate: false,
        ruleId: rule.id,
        points: rule.points,
        entryId: entry.id,
      };
    }, tx);
  }
}

function toRow(input: RuleInput): NewEarningRule {
  return {
    kind: input.kind,
    name: input.name.trim(),
    active: input.active ?? true,
    points: input.kind === 'purchase' ? 0 : (input.points ?? 0),
    config: input.config ?? {},
    caps: input.caps ?? {},
    validFrom: input.validFrom ?? null,
    validTo: input.validTo ?? null,
  };
}
