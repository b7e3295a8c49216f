import { Inject, Injectable } from '@nestjs/common';
import { type Page } from '@app/common';
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
import { LoyaltyProgramService } from '../../ledger/loyalty-program.service';
import {
  CouponCurrencyMismatchError,
  CouponMemberCapReachedError,
  CouponTemplateExhaustedError,
  CouponTemplateInactiveError,
  CouponTemplateNotFoundError,
  IdempotencyConflictError,
  couponRejectionError,
} from '../rewards.errors';
import {
  type CouponIssuedPayload,
  type CouponRedeemedPayload,
  MEMBER_REALTIME_HEADERS,
  RewardsTopics,
} from '../rewards.events';
import { generateCouponCode, normalizeCouponCode } from './coupon-code';
import {
  type CouponRejection,
  type OrderLineInput,
  couponExpiry,
  evaluateCoupon,
} from './coupon-rules';
import { type CouponTemplate, CouponTemplatesRepository } from './coupon-templates.repository';
import { type Coupon, type CouponListStatus, CouponsRepository } from './coupons.repository';

const CODE_ATTEMPTS = 8;

export interface IssueCouponInput {
  templateId: string;
  memberId?: string | null;
  /** What issues it: 'reward', 'campaign', 'staff', … */
  source: string;
  /** The source's own id: issuing is idempotent on (source, sourceId). */
  sourceId: string;
  /** Hold the member's `coupon.issued` notification until then (e.g. a campaign's quiet hours). */
  notifyAt?: Date;
}

export interface CheckoutRequest {
  code: string;
  memberId?: string;
  orderSubtotalMinor: number;
  lines?: OrderLineInput[];
  /** ISO 4217; when given it must be the programme currency (400 otherwise). */
  currency?: string;
}

export interface CouponValidation {
  valid: boolean;
  discountMinor: number;
  reason: CouponRejection | null;
  coupon: Coupon | null;
  template: CouponTemplate | null;
}

export interface CouponRedemption {
  coupon: Coupon;
  template: CouponTemplate;
  discountMinor: number;
  /** true when this order had already redeemed this code (a retry). */
  duplicate: boolean;
}

/** Internal: a concurrent redeemer won; the transaction rolls back and the outcome is re-read. */
class LostRace extends Error {}

@Injectable()
export class CouponsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(CouponTemplatesRepository) private readonly templates: CouponTemplatesRepository,
    @Inject(CouponsRepository) private readonly coupons: CouponsRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(MembersService) private readonly members: MembersService,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
  ) {}

  /** Amounts are minor units of the programme currency: a cart in another one is malformed. */
  private async assertCurrency(brandId: string, currency: string | undefined): Promise<void> {
    if (currency === undefined) return;
    const expected = (await this.programs.get(brandId)).currency;
    if (currency !== expected) throw new CouponCurrencyMismatchError(expected, currency);
  }

  /**
   * Staff hands a member a code (owner/marketer, audited). Idempotent on the caller's
   * Idempotency-Key per template: a retry returns the same code; the same key for another member
   * is a 409.
   */
  async issueByStaff(
    actor: StaffActor,
    templateId: string,
    memberId: string,
    idempotencyKey: string,
  ): Promise<{ coupon: Coupon; duplicate: boolean }> {
    await this.members.getById(actor.brandId, memberId);
    return this.db.transaction(async (tx) => {
      const issued = await this.issue(
        actor.brandId,
        { templateId, memberId, source: 'staff', sourceId: `${templateId}:${idempotencyKey}` },
        tx,
      );
      if (!issued.duplicate)
        await this.audit.insert(
          actor.brandId,
          {
            actor: { type: 'staff', id: actor.id, requestId: actor.requestId },
            action: 'coupon.issued',
            target: { type: 'coupon', id: issued.coupon.id },
            details: { templateId, memberId },
          },
          tx,
        );
      return issued;
    });
  }

  /**
   * Issues one code of a template. Atomic caps: `max_issued` by a guarded UPDATE of the template
   * row, the per-member cap counted under an advisory lock on (template, member). Idempotent on
   * (source, sourceId): a retry returns the code issued the first time (`duplicate: true`).
   * Joins the caller's transaction when given one (reward redemption issues inside its own).
   */
  async issue(
    brandId: string,
    input: IssueCouponInput,
    tx?: Executor,
  ): Promise<{ coupon: Coupon; duplicate: boolean }> {
    return this.db.transaction(async (trx) => {
      await this.coupons.lock(brandId, `coupon-source:${input.source}:${input.sourceId}`, trx);
      const existing = await this.coupons.findBySource(brandId, input.source, input.sourceId, trx);
      if (existing) {
        if (
          existing.templateId !== input.templateId ||
          existing.memberId !== (input.memberId ?? null)
        )
          throw new IdempotencyConflictError();
        return { coupon: existing, duplicate: true };
      }
      const template = await this.templates.findById(brandId, input.templateId, trx);
      if (!template) throw new CouponTemplateNotFoundError();
      const now = new Date();
      if (!template.active || (template.validTo && template.validTo.getTime() <= now.getTime()))
        throw new CouponTemplateInactiveError();
      if (input.memberId && template.perMemberCap !== null) {
        await this.coupons.lock(brandId, `coupon-cap:${template.id}:${input.memberId}`, trx);
        const held = await this.coupons.countForMember(brandId, template.id, input.memberId, trx);
        if (held >= template.perMemberCap)
          throw new CouponMemberCapReachedError(template.perMemberCap);
      }
      if (!(await this.templates.incrementIssued(brandId, template.id, trx)))
        throw new CouponTemplateExhaustedError();
      const expiresAt = couponExpiry(template, now);
      for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt += 1) {
        const coupon = await this.coupons.insert(
          brandId,
          {
            templateId: template.id,
            code: generateCouponCode(),
            memberId: input.memberId ?? null,
            source: input.source,
            sourceId: input.sourceId,
            issuedAt: now,
            expiresAt,
          },
          trx,
        );
        if (!coupon) continue; // code collision (the source is ours under the lock): draw again
        const payload: CouponIssuedPayload = {
          memberId: coupon.memberId,
          couponId: coupon.id,
          templateId: template.id,
          source: coupon.source,
          expiresAt: coupon.expiresAt?.toISOString() ?? null,
          at: now.toISOString(),
        };
        if (coupon.memberId)
          await this.outbox.publish(trx, brandId, {
            topic: RewardsTopics.CouponIssued,
            key: `member:${coupon.memberId}`,
            headers: { ...MEMBER_REALTIME_HEADERS },
            payload,
            availableAt: input.notifyAt,
          });
        return { coupon, duplicate: false };
      }
      throw new Error(`could not draw a free coupon code in ${CODE_ATTEMPTS} attempts`);
    }, tx);
  }

  /**
   * Takes back the code issued for (source, sourceId) while it is unredeemed (e.g. the reward of
   * a review removed for a violation); a redeemed code stays, its discount was given. Idempotent:
   * null when there is no such code or it is no longer `issued`.
   */
  async voidBySource(
    brandId: string,
    source: string,
    sourceId: string,
    tx?: Executor,
  ): Promise<Coupon | null> {
    return this.db.transaction(async (trx) => {
      const coupon = await this.coupons.findBySource(brandId, source, sourceId, trx);
      return coupon ? this.coupons.markVoid(brandId, coupon.id, trx) : null;
    }, tx);
  }

  /**
   * Marks issued codes past their expiry as `expired`, in batches (worker job). Checkout already
   * refuses them by date; this keeps stored statuses true for lists and analytics.
   */
  async expireDue(options: { asOf?: Date; batchSize?: number } = {}): Promise<{ expired: number }> {
    const now = options.asOf ?? new Date();
    const batch = Math.min(Math.max(options.batchSize ?? 1000, 1), 10_000);
    let expired = 0;
    for (;;) {
      const n = await this.coupons.expireDue(now, batch);
      expired += n;
      if (n < batch) return { expired };
    }
  }

  /** Checkout pre-flight: never writes; business rejections come back as `valid: false`. */
  async validate(brandId: string, input: CheckoutRequest): Promise<CouponValidation> {
    await this.assertCurrency(brandId, input.currency);
    const code = normalizeCouponCode(input.code);
    const coupon = code ? await this.coupons.findByCode(brandId, code) : null;
    const template = coupon ? await this.templates.findById(brandId, coupon.templateId) : null;
    if (!coupon || !template)
      return { valid: false, discountMinor: 0, reason: 'not_found', coupon: null, template: null };
    const result = evaluateCoupon(coupon, template, input, new Date());
    return {
      valid: result.valid,
      discountMinor: result.discountMinor,
      reason: result.valid ? null : result.reason,
      coupon,
      template,
    };
  }

  /**
   * Redeems a code on a storefront order, once. In one transaction: the code moves from `issued`
   * to `redeemed` (guarded UPDATE, so concurrent redeemers of one code cannot both win) and the
   * discount is taken from the template's budget (guarded UPDATE); both or neither. Idempotent on
   * the order: the same order redeeming the same code again gets the first result; another order
   * gets 409 `loyalty.coupon_already_redeemed`.
   */
  async redeem(
    brandId: string,
    input: CheckoutRequest & { orderId: string },
  ): Promise<CouponRedemption> {
    await this.assertCurrency(brandId, input.currency);
    const code = normalizeCouponCode(input.code);
    if (!code) throw couponRejectionError('not_found');
    try {
      return await this.db.transaction(async (tx) => {
        const coupon = await this.coupons.findByCode(brandId, code, tx);
        const template = coupon
          ? await this.templates.findById(brandId, coupon.templateId, tx)
          : null;
        if (!coupon || !template) throw couponRejectionError('not_found');
        const replay = this.replayOf(coupon, template, input);
        if (replay) return replay;
        const now = new Date();
        const result = evaluateCoupon(coupon, template, input, now);
        if (!result.valid) throw couponRejectionError(result.reason);
        const redeemed = await this.coupons.markRedeemed(
          brandId,
          coupon.id,
          { orderId: input.orderId, discountMinor: result.discountMinor, at: now },
          tx,
        );
        if (!redeemed) throw new LostRace();
        let spentTemplate = template;
        if (result.discountMinor > 0) {
          const spent = await this.templates.spendBudget(
            brandId,
            template.id,
            result.discountMinor,
            tx,
          );
          if (!spent) throw couponRejectionError('budget_exhausted');
          spentTemplate = spent;
        }
        const payload: CouponRedeemedPayload = {
          memberId: redeemed.memberId,
          couponId: redeemed.id,
          templateId: template.id,
          orderId: input.orderId,
          discountMinor: result.discountMinor,
          at: now.toISOString(),
        };
        await this.outbox.publish(tx, brandId, {
          topic: RewardsTopics.CouponRedeemed,
          key: redeemed.memberId ? `member:${redeemed.memberId}` : `coupon:${redeemed.id}`,
          headers: redeemed.memberId ? { ...MEMBER_REALTIME_HEADERS } : {},
          payload,
        });
        return {
          coupon: redeemed,
          template: spentTemplate,
          discountMinor: result.discountMinor,
          duplicate: false,
        };
      });
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      // Another transaction redeemed the code between our read and our update: report its outcome.
      const coupon = await this.coupons.findByCode(brandId, code);
      const template = coupon ? await this.templates.findById(brandId, coupon.templateId) : null;
      const replay = coupon && template ? this.replayOf(coupon, template, input) : null;
      if (replay) return replay;
      throw couponRejectionError(coupon?.status === 'redeemed' ? 'already_redeemed' : 'inactive');
    }
  }

  /** The stored outcome when this order already redeemed this code; throws for other orders. */
  private replayOf(
    coupon: Coupon,
    template: CouponTemplate,
    input: { orderId: string; memberId?: string },
  ): CouponRedemption | null {
    if (coupon.status !== 'redeemed') return null;
    if (coupon.memberId && coupon.memberId !== input.memberId)
      throw couponRejectionError('wrong_member');
    if (coupon.redeemedOrderId !== input.orderId) throw couponRejectionError('already_redeemed');
    return { coupon, template, discountMinor: coupon.discountMinor ?? 0, duplicate: true };
  }

  async listForMember(
    brandId: string,
    memberId: string,
    query: { status?: CouponListStatus; limit?: number; cursor?: string },
  ): Promise<Page<Coupon & { template: CouponTemplate | null }>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const now = new Date();
    const page = keysetPage(
      await this.coupons.listForMember(brandId, memberId, {
        status: query.status,
        limit,
        after,
        now,
      }),
      limit,
    );
    const templates = new Map<string, CouponTemplate | null>();
    for (const item of page.items)
      if (!templates.has(item.templateId))
        templates.set(item.templateId, await this.templates.findById(brandId, item.templateId));
    return {
      items: page.items.map((item) => ({
        ...item,
        status:
          item.status === 'issued' && item.expiresAt && item.expiresAt.getTime() <= now.getTime()
            ? 'expired'
            : item.status,
        template: templates.get(item.templateId) ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
