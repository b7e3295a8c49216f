import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule } from '@app/common';
import { ReviewsModule, ReviewsService } from '@app/community';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, type MemberPrincipal, MembersService } from '@app/identity';
import {
  CouponTemplatesService,
  CouponsService,
  EarningRulesService,
  InvalidRuleError,
  LedgerInvariants,
  LedgerService,
} from '@app/loyalty';
import { OutboxModule, OutboxPublisher } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import {
  type BrandFixture,
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  unique,
  uniqueEmail,
} from '../../../../test/support/factories';
import { buildDrainer, countRows } from '../../../../test/support/outbox-testing';
import { insertPurchase } from '../../../../test/support/review-factories';
import { UgcRewardsConsumer } from './ugc-rewards.consumer';

describe('UGC rewards consumer: approvals award once within caps, removals reverse (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let fixture: BrandFixture;
  let brandId: string;
  let reviews: ReviewsService;
  let ledger: LedgerService;
  let coupons: CouponsService;
  let templateId: string;
  const get = <T>(type: new (...args: never[]) => T): T => moduleRef.get(type, { strict: false });

  const drain = async () => {
    const kit = buildDrainer(ctx.config, ctx.db, [moduleRef.get(UgcRewardsConsumer)]);
    for (let r = await kit.drainer.drainOnce(); r.claimed; r = await kit.drainer.drainOnce()) {
      // until nothing is left
    }
    await kit.drainer.stop();
  };
  /** Every message delivered again, with the consumer's processed markers gone. */
  const redeliverAll = async () => {
    await ctx.db.pool.query(
      'update outbox_messages set delivered_at = null, available_at = now() where brand_id = $1',
      [brandId],
    );
    await ctx.db.pool.query('delete from processed_messages');
    await drain();
  };
  const publish = (topic: string, payload: Record<string, unknown>) =>
    ctx.db.transaction((tx) => get(OutboxPublisher).publish(tx, brandId, { topic, payload }));
  const newMember = async (): Promise<MemberPrincipal> => {
    const m = await get(MembersService).register(brandId, {
      email: uniqueEmail('m'),
      firstName: 'R',
      password: DEFAULT_PASSWORD,
    });
    return { type: 'member', brandId, id: m.id };
  };
  const reviewBought = async (member: MemberPrincipal) => {
    const purchase = await insertPurchase(ctx.db, brandId, member.id, [{ productId: 'SKU-1' }]);
    return reviews.create(member, {
      orderId: purchase.orderId,
      lineNo: 1,
      rating: 5,
      body: `Review ${unique()}`,
    });
  };
  const balance = (member: MemberPrincipal) => ledger.balance(brandId, member.id);
  const couponsOf = async (member: MemberPrincipal) =>
    (
      await ctx.db.pool.query<{ source_id: string; status: string; code: string }>(
        `select source_id, status, code from coupons where brand_id = $1 and member_id = $2
          and source = 'review' order by issued_at`,
        [brandId, member.id],
      )
    ).rows;
  const incentivised = async (id: string) =>
    (
      await ctx.db.pool.query<{ incentivised: boolean }>(
        'select incentivised from reviews where brand_id = $1 and id = $2',
        [brandId, id],
      )
    ).rows[0].incentivised;
  /** What a moderator's removal does to the review row before its event is delivered. */
  const removeReview = async (reviewId: string, memberId: string) => {
    await ctx.db.pool.query(
      `update reviews set status = 'removed' where brand_id = $1 and id = $2`,
      [brandId, reviewId],
    );
    await publish('review.removed', { reviewId, memberId, productId: 'SKU-1', reason: 'spam' });
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        ReviewsModule,
      ],
      providers: [UgcRewardsConsumer],
    }).compile();
    await moduleRef.init();
    fixture = await createBrandWithOwner(get(BrandsService));
    brandId = fixture.brand.id;
    reviews = get(ReviewsService);
    ledger = get(LedgerService);
    coupons = get(CouponsService);
    templateId = (
      await get(CouponTemplatesService).create(
        { brandId, id: fixture.owner.id },
        { name: 'Thanks for the review', kind: 'amount_off', value: 500, validDays: 30 },
      )
    ).id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  afterEach(async () => {
    expect(await get(LedgerInvariants).check(brandId)).toEqual([]);
  });

  it('a review_approved rule may name a coupon template of the brand, and only that rule kind', async () => {
    const rules = get(EarningRulesService);
    await expect(
      rules.create(brandId, {
        kind: 'review_approved',
        name: 'Unknown template',
        points: 1,
        config: { couponTemplateId: '00000000-0000-4000-8000-000000000000' },
      }),
    ).rejects.toBeInstanceOf(InvalidRuleError);
    await expect(
      rules.create(brandId, {
        kind: 'review_approved',
        name: 'Not a uuid',
        points: 1,
        config: { couponTemplateId: 'abc' },
      }),
    ).rejects.toBeInstanceOf(InvalidRuleError);
    await expect(
      rules.create(brandId, {
        kind: 'post_approved',
        name: 'Posts do not get coupons',
        points: 1,
        config: { couponTemplateId: templateId },
      }),
    ).rejects.toBeInstanceOf(InvalidRuleError);
    expect(
      await countRows(ctx.db, 'select 1 from earning_rules where brand_id = $1', [brandId]),
    ).toBe(0);
  });

  it('approved reviews earn points and a coupon within the daily cap, once under redelivery and repeated approvals', async () => {
    const rules = get(EarningRulesService);
    await rules.create(brandId, {
      kind: 'review_approved',
      name: 'Review reward',
      points: 20,
      caps: { perDay: 2 },
      config: { couponTemplateId: templateId },
    });
    await rules.create(brandId, { kind: 'post_approved', name: 'Post reward', points: 5 });
    const member = await newMember();
    const [a, b, c] = [
      await reviewBought(member),
      await reviewBought(member),
      await reviewBought(member),
    ];
    await drain();
    // Two reviews within the cap (whichever the drainer delivered first): 2 × 20 points and
    // their two coupons; the third earns nothing and carries no badge.
    expect((await balance(member)).balance).toBe(40);
    const rewarded = [];
    for (const r of [a, b, c]) if (await incentivised(r.id)) rewarded.push(r.id);
    expect(rewarded).toHaveLength(2);
    expect((await couponsOf(member)).map((x) => [x.source_id, x.status]).sort()).toEqual(
      rewarded.map((id) => [id, 'issued']).sort(),
    );
    await redeliverAll();
    await publish('review.approved', { reviewId: rewarded[0], memberId: member.id }); // approved again
    await drain();
    expect((await balance(member)).balance).toBe(40);
    expect(await couponsOf(member)).toHaveLength(2);
    expect(
      await countRows(
        ctx.db,
        `select 1 from ledger_entries where brand_id = $1 and dedupe_key = $2`,
        [brandId, `rule:review_approved:${rewarded[0]}`],
      ),
    ).toBe(1);
  });

  it('a removed review loses its points (never below zero: the rest is debt) and its unredeemed coupon; a redeemed coupon stays', async () => {
    const member = await newMember();
    const spent = await reviewBought(member);
    const redeemed = await reviewBought(member);
    await drain();
    expect((await balance(member)).balance).toBe(40);
    await ledger.spend(brandId, member.id, {
      points: 35,
      reason: 'redeemed',
      source: 'redemption',
      actor: { type: 'system' },
      dedupeKey: `spend:${unique()}`,
    });
    const code = (await couponsOf(member)).find((x) => x.source_id === redeemed.id)?.code;
    await coupons.redeem(brandId, {
      code: code as string,
      memberId: member.id,
      orderSubtotalMinor: 10_000,
      orderId: `SO-${unique()}`,
    });

    await removeReview(spent.id, member.id);
    await drain();
    // 5 points were left: all taken, the other 15 become debt (programme policy `debt`).
    expect(await balance(member)).toMatchObject({ balance: 0, debt: 15 });
    await removeReview(redeemed.id, member.id);
    await drain();
    expect(await balance(member)).toMatchObject({ balance: 0, debt: 35 });
    const statuses = Object.fromEntries(
      (await couponsOf(member)).map((x) => [x.source_id, x.status]),
    );
    expect(statuses).toEqual({ [spent.id]: 'void', [redeemed.id]: 'redeemed' });
    await redeliverAll();
    expect(await balance(member)).toMatchObject({ balance: 0, debt: 35 });
    // Removed reviews still count against the daily cap: deleting and re-posting farms nothing.
    const again = await reviewBought(member);
    await drain();
    expect(await balance(member)).toMatchObject({ balance: 0, debt: 35 });
    expect(await incentivised(again.id)).toBe(false);
  });

  it('a coupon the template refuses (exhausted) leaves the points and the badge', async () => {
    await ctx.db.pool.query(
      'update coupon_templates set max_issued = issued_count where brand_id = $1 and id = $2',
      [brandId, templateId],
    );
    try {
      const member = await newMember();
      const review = await reviewBought(member);
      await drain();
      expect((await balance(member)).balance).toBe(20);
      expect(await couponsOf(member)).toEqual([]);
      expect(await incentivised(review.id)).toBe(true);
    } finally {
      await ctx.db.pool.query(
        'update coupon_templates set max_issued = null where brand_id = $1 and id = $2',
        [brandId, templateId],
      );
    }
  });

  it('approved posts earn the post rule (not shared-review posts); removal reverses; a post removed before delivery earns nothing', async () => {
    const member = await newMember();
    const community = await ctx.db.pool.query<{ id: string }>(
      `insert into communities (brand_id, slug, name) values ($1, $2, 'Fans') returning id`,
      [brandId, `c-${unique()}`],
    );
    const communityId = community.rows[0].id;
    const insertPost = async (status: string, reviewId: string | null = null) =>
      (
        await ctx.db.pool.query<{ id: string }>(
          `insert into posts (brand_id, community_id, author_id, body, status, text_hash, review_id)
           values ($1, $2, $3, 'hello', $4, $5, $6) returning id`,
          [brandId, communityId, member.id, status, unique(), reviewId],
        )
      ).rows[0].id;
    const kept = await insertPost('published');
    const removedFirst = await insertPost('removed');
    const review = await reviewBought(member);
    const sharedPost = await insertPost('published', review.id);
    for (const postId of [kept, removedFirst, sharedPost])
      await publish('post.approved', { postId, communityId, memberId: member.id });
    await drain();
    // 20 for the review, 5 for the one post that earns.
    expect((await balance(member)).balance).toBe(25);
    const postAwards = await ctx.db.pool.query<{ dedupe_key: string }>(
      `select dedupe_key from ledger_entries where brand_id = $1 and member_id = $2
        and dedupe_key like 'rule:post_approved:%'`,
      [brandId, member.id],
    );
    expect(postAwards.rows.map((r) => r.dedupe_key)).toEqual([`rule:post_approved:${kept}`]);

    await ctx.db.pool.query(`update posts set status = 'removed' where brand_id = $1 and id = $2`, [
      brandId,
      kept,
    ]);
    await publish('post.removed', { postId: kept, communityId, memberId: member.id, reason: 'x' });
    await drain();
    expect((await balance(member)).balance).toBe(20);
    await redeliverAll();
    expect((await balance(member)).balance).toBe(20);
  });
});
