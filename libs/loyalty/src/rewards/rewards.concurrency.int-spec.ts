import { Test, type TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { ConfigModule } from '@app/config';
import {
  DbModule,
  couponTemplates,
  coupons,
  ledgerEntries,
  outboxMessages,
  rewardRedemptions,
  rewards,
} from '@app/db';
import { type DomainError } from '@app/common';
import { BrandsService, MembersService } from '@app/identity';
import { OutboxModule, realtimeRooms } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import {
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  uniqueEmail,
} from '../../../../test/support/factories';
import { LedgerInvariants } from '../ledger/ledger.invariants';
import { LedgerService } from '../ledger/ledger.service';
import { CouponTemplatesService } from './coupons/coupon-templates.service';
import { CouponsService } from './coupons/coupons.service';
import { RewardsModule } from './rewards.module';
import { RewardsService } from './rewards.service';

const codeOf = (error: unknown) => (error as DomainError).code;

describe('rewards and coupons under concurrency (Postgres, separate connections)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let ledger: LedgerService;
  let invariants: LedgerInvariants;
  let rewardsService: RewardsService;
  let couponsService: CouponsService;
  let templates: CouponTemplatesService;
  let brandId: string;
  let staff: { brandId: string; id: string };

  const member = async (points = 0): Promise<string> => {
    const created = await moduleRef
      .get(MembersService)
      .register(brandId, { email: uniqueEmail('m'), firstName: 'T', password: DEFAULT_PASSWORD });
    if (points)
      await ledger.earn(brandId, created.id, {
        points,
        reason: 'purchase',
        source: 'order',
        actor: { type: 'system' },
        dedupeKey: `seed:${created.id}`,
      });
    return created.id;
  };
  const members = async (n: number, points: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 20)
      ids.push(
        ...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => member(points)))),
      );
    return ids;
  };
  const settle = <T>(work: Promise<T>[]) => Promise.allSettled(work);
  const rejections = (results: PromiseSettledResult<unknown>[]) =>
    results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => codeOf(r.reason));

  beforeAll(async () => {
    ctx = await createTestContext({ DB_POOL_MAX: '16' });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, RewardsModule],
    }).compile();
    await moduleRef.init();
    ledger = moduleRef.get(LedgerService);
    invariants = moduleRef.get(LedgerInvariants);
    rewardsService = moduleRef.get(RewardsService);
    couponsService = moduleRef.get(CouponsService);
    templates = moduleRef.get(CouponTemplatesService);
    const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = fixture.brand.id;
    staff = { brandId, id: fixture.owner.id };
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('200 concurrent redemptions of a reward with stock 50: exactly 50 succeed', async () => {
    const ids = await members(200, 100);
    const reward = await rewardsService.create(staff, {
      type: 'product',
      name: 'Tote bag',
      costPoints: 40,
      stock: 50,
    });
    const results = await settle(
      ids.map((memberId, i) => rewardsService.redeem(brandId, memberId, reward.id, `k-${i}`)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(50);
    expect(rejections(results)).toEqual(Array(150).fill('loyalty.reward_out_of_stock'));

    const [row] = await ctx.db.db
      .select({ stock: rewards.stock })
      .from(rewards)
      .where(and(eq(rewards.brandId, brandId), eq(rewards.id, reward.id)));
    expect(row.stock).toBe(0);
    const [spends] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int`, total: sql<number>`sum(amount)::int` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.brandId, brandId), eq(ledgerEntries.source, 'redemption')));
    expect(spends).toEqual({ n: 50, total: -50 * 40 });
    const [redemptions] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(rewardRedemptions)
      .where(
        and(eq(rewardRedemptions.brandId, brandId), eq(rewardRedemptions.rewardId, reward.id)),
      );
    expect(redemptions.n).toBe(50);
    const [events] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.brandId, brandId), eq(outboxMessages.topic, 'reward.redeemed')));
    expect(events.n).toBe(50);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('the same Idempotency-Key sent 10× concurrently: one redemption, one spend', async () => {
    const memberId = await member(500);
    const reward = await rewardsService.create(staff, {
      type: 'service',
      name: 'Free shipping',
      costPoints: 30,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        rewardsService.redeem(brandId, memberId, reward.id, 'same-key'),
      ),
    );
    expect(new Set(results.map((r) => r.redemption.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const spends = await ctx.db.db
      .select()
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.brandId, brandId),
          eq(ledgerEntries.memberId, memberId),
          eq(ledgerEntries.source, 'redemption'),
        ),
      );
    expect(spends).toHaveLength(1);
    expect((await ledger.balance(brandId, memberId)).balance).toBe(470);
    // The key is bound to its reward: reusing it for another reward is a conflict.
    const other = await rewardsService.create(staff, {
      type: 'donation',
      name: 'Trees',
      costPoints: 5,
    });
    await expect(
      rewardsService.redeem(brandId, memberId, other.id, 'same-key'),
    ).rejects.toMatchObject({
      code: 'loyalty.idempotency_conflict',
    });
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('per-member limit holds under concurrent redemptions with different keys', async () => {
    const memberId = await member(1000);
    const reward = await rewardsService.create(staff, {
      type: 'experience',
      name: 'Workshop',
      costPoints: 10,
      perMemberLimit: 2,
    });
    const results = await settle(
      Array.from({ length: 10 }, (_, i) =>
        rewardsService.redeem(brandId, memberId, reward.id, `lim-${i}`),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(rejections(results)).toEqual(Array(8).fill('loyalty.reward_limit_reached'));
    expect((await ledger.balance(brandId, memberId)).balance).toBe(980);
  });

  it('insufficient points and tier too low leave nothing behind', async () => {
    const poor = await member(5);
    const reward = await rewardsService.create(staff, {
      type: 'product',
      name: 'Mug',
      costPoints: 50,
      stock: 3,
    });
    await expect(rewardsService.redeem(brandId, poor, reward.id, 'p-1')).rejects.toMatchObject({
      code: 'loyalty.insufficient_points',
    });
    const vip = await rewardsService.create(staff, {
      type: 'product',
      name: 'VIP',
      costPoints: 1,
      minTierRank: 2,
    });
    await expect(rewardsService.redeem(brandId, poor, vip.id, 'p-2')).rejects.toMatchObject({
      code: 'loyalty.reward_tier_too_low',
    });
    const [row] = await ctx.db.db
      .select()
      .from(rewards)
      .where(and(eq(rewards.brandId, brandId), eq(rewards.id, reward.id)));
    expect(row.stock).toBe(3);
    const left = await ctx.db.db
      .select()
      .from(rewardRedemptions)
      .where(and(eq(rewardRedemptions.brandId, brandId), eq(rewardRedemptions.memberId, poor)));
    expect(left).toEqual([]);
    expect((await ledger.balance(brandId, poor)).balance).toBe(5);
  });

  it('a coupon reward issues one code to the member (source reward, idempotent)', async () => {
    const memberId = await member(100);
    const template = await templates.create(staff, {
      name: '€5',
      kind: 'amount_off',
      value: 500,
      validDays: 30,
    });
    const reward = await rewardsService.create(staff, {
      type: 'coupon',
      name: '€5 voucher',
      costPoints: 60,
      couponTemplateId: template.id,
    });
    const first = await rewardsService.redeem(brandId, memberId, reward.id, 'c-1');
    const again = await rewardsService.redeem(brandId, memberId, reward.id, 'c-1');
    expect(first.coupon).toMatchObject({
      memberId,
      source: 'reward',
      sourceId: first.redemption.id,
    });
    expect(again).toMatchObject({ duplicate: true, coupon: { id: first.coupon!.id } });
    expect(first.redemption.couponId).toBe(first.coupon!.id);
    // reward.redeemed goes to the member's socket room (and, by topic, to the brand's webhooks).
    const [message] = await ctx.db.db
      .select()
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.brandId, brandId),
          eq(outboxMessages.topic, 'reward.redeemed'),
          sql`${outboxMessages.payload}->>'redemptionId' = ${first.redemption.id}`,
        ),
      );
    expect(message.payload).toMatchObject({
      memberId,
      rewardId: reward.id,
      points: 60,
      couponId: first.coupon!.id,
    });
    expect(realtimeRooms({ ...message, attempts: 1 }).rooms).toEqual([`member:${memberId}`]);
    const validation = await couponsService.validate(brandId, {
      code: first.coupon!.code,
      memberId,
      orderSubtotalMinor: 2000,
    });
    expect(validation).toMatchObject({ valid: true, discountMinor: 500 });
  });

  it('50 concurrent redeems of one code on different orders: exactly one succeeds', async () => {
    const template = await templates.create(staff, {
      name: '10%',
      kind: 'percent_off',
      value: 1000,
    });
    const { coupon } = await couponsService.issue(brandId, {
      templateId: template.id,
      source: 'test',
      sourceId: 'single-use',
    });
    const results = await settle(
      Array.from({ length: 50 }, (_, i) =>
        couponsService.redeem(brandId, {
          code: coupon.code,
          orderId: `order-${i}`,
          orderSubtotalMinor: 1999,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    expect(rejections(results)).toEqual(Array(49).fill('loyalty.coupon_already_redeemed'));
    const winner = (ok[0] as PromiseFulfilledResult<{ coupon: { redeemedOrderId: string | null } }>)
      .value;
    // The winning order may retry: same result, nothing spent twice.
    const retry = await couponsService.redeem(brandId, {
      code: coupon.code,
      orderId: winner.coupon.redeemedOrderId!,
      orderSubtotalMinor: 1999,
    });
    expect(retry).toMatchObject({ duplicate: true, discountMinor: 199 });
    const [t] = await ctx.db.db
      .select()
      .from(couponTemplates)
      .where(and(eq(couponTemplates.brandId, brandId), eq(couponTemplates.id, template.id)));
    expect(t.spentMinor).toBe(199);
  });

  it('the budget is never exceeded under concurrent redeems of different codes', async () => {
    const template = await templates.create(staff, {
      name: '€3 off',
      kind: 'amount_off',
      value: 300,
      budgetMinor: 1000,
    });
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        couponsService.issue(brandId, {
          templateId: template.id,
          source: 'test',
          sourceId: `budget-${i}`,
        }),
      ),
    );
    const results = await settle(
      codes.map(({ coupon }, i) =>
        couponsService.redeem(brandId, {
          code: coupon.code,
          orderId: `b-order-${i}`,
          orderSubtotalMinor: 5000,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejections(results)).toEqual(Array(17).fill('loyalty.coupon_budget_exhausted'));
    const [t] = await ctx.db.db
      .select()
      .from(couponTemplates)
      .where(and(eq(couponTemplates.brandId, brandId), eq(couponTemplates.id, template.id)));
    expect(t.spentMinor).toBe(900);
    const [redeemed] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int`, total: sql<number>`sum(discount_minor)::int` })
      .from(coupons)
      .where(
        and(
          eq(coupons.brandId, brandId),
          eq(coupons.templateId, template.id),
          eq(coupons.status, 'redeemed'),
        ),
      );
    expect(redeemed).toEqual({ n: 3, total: 900 });
  });

  it('per-member cap and max issued hold under concurrent issues; same source issues once', async () => {
    const memberId = await member();
    const capped = await templates.create(staff, {
      name: 'cap',
      kind: 'amount_off',
      value: 100,
      perMemberCap: 3,
    });
    const capResults = await settle(
      Array.from({ length: 20 }, (_, i) =>
        couponsService.issue(brandId, {
          templateId: capped.id,
          memberId,
          source: 'test',
          sourceId: `cap-${i}`,
        }),
      ),
    );
    expect(capResults.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejections(capResults)).toEqual(Array(17).fill('loyalty.coupon_member_cap_reached'));

    const limited = await templates.create(staff, {
      name: 'max',
      kind: 'amount_off',
      value: 100,
      maxIssued: 5,
    });
    const maxResults = await settle(
      Array.from({ length: 20 }, (_, i) =>
        couponsService.issue(brandId, {
          templateId: limited.id,
          source: 'test',
          sourceId: `max-${i}`,
        }),
      ),
    );
    expect(maxResults.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(rejections(maxResults)).toEqual(Array(15).fill('loyalty.coupon_template_exhausted'));

    const once = await Promise.all(
      Array.from({ length: 10 }, () =>
        couponsService.issue(brandId, {
          templateId: capped.id,
          memberId: null,
          source: 'test',
          sourceId: 'once',
        }),
      ),
    );
    expect(new Set(once.map((r) => r.coupon.id)).size).toBe(1);
    expect(once.filter((r) => !r.duplicate)).toHaveLength(1);
    const [t] = await ctx.db.db
      .select()
      .from(couponTemplates)
      .where(and(eq(couponTemplates.brandId, brandId), eq(couponTemplates.id, capped.id)));
    expect(t.issuedCount).toBe(4);
  });
  it('the expiry sweep marks issued codes past their expiry, in batches, idempotently', async () => {
    const memberId = await member();
    const template = await templates.create(staff, {
      name: 'short',
      kind: 'amount_off',
      value: 100,
      validDays: 1,
    });
    const issued = await Promise.all(
      [0, 1, 2].map((i) =>
        couponsService.issue(brandId, {
          templateId: template.id,
          memberId,
          source: 'test',
          sourceId: `exp-${i}`,
        }),
      ),
    );
    const past = issued.slice(0, 2).map((r) => r.coupon.id);
    await ctx.db.db
      .update(coupons)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(
        and(
          eq(coupons.brandId, brandId),
          sql`${coupons.id} in (${sql.join(
            past.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        ),
      );
    expect(await couponsService.expireDue({ batchSize: 1 })).toEqual({ expired: 2 });
    expect(await couponsService.expireDue()).toEqual({ expired: 0 });
    const rows = await ctx.db.db
      .select({ id: coupons.id, status: coupons.status })
      .from(coupons)
      .where(and(eq(coupons.brandId, brandId), eq(coupons.templateId, template.id)));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [past[0]]: 'expired',
      [past[1]]: 'expired',
      [issued[2].coupon.id]: 'issued',
    });
    const listed = await couponsService.listForMember(brandId, memberId, { status: 'expired' });
    expect(listed.items.map((c) => c.id).sort()).toEqual([...past].sort());
    // Cursor pagination walks every code once, newest first.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await couponsService.listForMember(brandId, memberId, { limit: 1, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(issued.map((r) => r.coupon.id).sort());
    await expect(
      couponsService.redeem(brandId, {
        code: issued[0].coupon.code,
        memberId,
        orderId: 'late',
        orderSubtotalMinor: 1000,
      }),
    ).rejects.toMatchObject({ code: 'loyalty.coupon_expired' });
  });
});
