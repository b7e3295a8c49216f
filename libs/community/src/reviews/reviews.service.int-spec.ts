import { Test, type TestingModule } from '@nestjs/testing';
import { RedisModule, ValidationError } from '@app/common';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, type MemberPrincipal, MembersService } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import {
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  unique,
  uniqueEmail,
} from '../../../../test/support/factories';
import { countRows } from '../../../../test/support/outbox-testing';
import { type Purchase, insertPurchase } from '../../../../test/support/review-factories';
import { ScreeningService } from '../moderation';
import {
  OwnReviewVoteError,
  ReviewExistsError,
  ReviewLineRefundedError,
  ReviewNotACommunityMemberError,
  ReviewNotAuthorError,
  ReviewNotEditableError,
  ReviewNotPurchasedError,
} from './reviews.errors';
import { ReviewsModule } from './reviews.module';
import { ReviewsService } from './reviews.service';

describe('reviews: verified purchase, once per line, sharing, listing, helpful votes (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let reviews: ReviewsService;
  let brandId: string;

  const newMember = async (firstName = 'Ada', lastName = 'Lovelace'): Promise<MemberPrincipal> => {
    const m = await moduleRef.get(MembersService).register(brandId, {
      email: uniqueEmail('m'),
      firstName,
      lastName,
      password: DEFAULT_PASSWORD,
    });
    return { type: 'member', brandId, id: m.id };
  };
  const buy = (member: MemberPrincipal, ...productIds: string[]): Promise<Purchase> =>
    insertPurchase(
      ctx.db,
      brandId,
      member.id,
      productIds.map((productId) => ({ productId, quantity: 2, paidMinor: 2000 })),
    );
  const count = (query: string, params: unknown[] = []) => countRows(ctx.db, query, params);
  const reviewCount = () => count('select 1 from reviews where brand_id = $1', [brandId]);
  const review = (
    member: MemberPrincipal,
    purchase: Purchase,
    fields: Partial<Parameters<ReviewsService['create']>[1]> = {},
  ) =>
    reviews.create(member, {
      orderId: purchase.orderId,
      lineNo: 1,
      rating: 5,
      body: `Great ${unique()}`,
      ...fields,
    });

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
    }).compile();
    await moduleRef.init();
    reviews = moduleRef.get(ReviewsService);
    brandId = (await createBrandWithOwner(moduleRef.get(BrandsService))).brand.id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('accepts the buyer’s own line, published with its approval event, once', async () => {
    const member = await newMember();
    const purchase = await buy(member, 'SKU-A', 'SKU-B');
    const created = await review(member, purchase, { lineNo: 2, rating: 4, title: ' Nice ' });
    expect(created).toMatchObject({
      productId: 'SKU-B',
      memberId: member.id,
      externalOrderId: purchase.orderId,
      lineNo: 2,
      rating: 4,
      title: 'Nice',
      status: 'published',
      incentivised: false,
      authorName: 'Ada L.',
    });
    expect(created.approvedAt).toBeInstanceOf(Date);
    const topics = await ctx.db.pool.query<{ topic: string; payload: { reviewId: string } }>(
      `select topic, payload from outbox_messages
        where brand_id = $1 and payload->>'reviewId' = $2 order by created_at`,
      [brandId, created.id],
    );
    expect(topics.rows.map((r) => r.topic).sort()).toEqual(['review.approved', 'review.created']);
    await expect(review(member, purchase, { lineNo: 2 })).rejects.toBeInstanceOf(ReviewExistsError);
  });

  it('refuses lines not bought: unknown order or line, another member’s order; and refunded lines — writing nothing', async () => {
    const buyer = await newMember();
    const other = await newMember();
    const purchase = await buy(buyer, 'SKU-A', 'SKU-B');
    const before = await reviewCount();
    await expect(review(other, purchase)).rejects.toBeInstanceOf(ReviewNotPurchasedError);
    await expect(review(buyer, { ...purchase, orderId: 'SO-nope' })).rejects.toBeInstanceOf(
      ReviewNotPurchasedError,
    );
    await expect(review(buyer, purchase, { lineNo: 3 })).rejects.toBeInstanceOf(
      ReviewNotPurchasedError,
    );
    // One of two units refunded: still reviewable; both refunded: not.
    await ctx.db.pool.query(
      `update order_lines set refunded_quantity = case line_no when 1 then 2 else 1 end
        where brand_id = $1 and order_id = $2`,
      [brandId, purchase.id],
    );
    await expect(review(buyer, purchase, { lineNo: 1 })).rejects.toBeInstanceOf(
      ReviewLineRefundedError,
    );
    expect(await reviewCount()).toBe(before);
    await expect(review(buyer, purchase, { lineNo: 2 })).resolves.toMatchObject({ lineNo: 2 });
  });

  it('20 concurrent reviews of one line: exactly one is written, the others get review_exists', async () => {
    const member = await newMember();
    const purchase = await buy(member, 'SKU-RACE');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => review(member, purchase, { body: `Take ${i}` })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((r) => r.reason instanceof ReviewExistsError)).toBe(true);
    expect(
      await count('select 1 from reviews where brand_id = $1 and order_id = $2', [
        brandId,
        purchase.id,
      ]),
    ).toBe(1);
    expect(
      await count(
        `select 1 from outbox_messages o join reviews r on r.id::text = o.payload->>'reviewId'
          where o.brand_id = $1 and r.order_id = $2 and o.topic = 'review.approved'`,
        [brandId, purchase.id],
      ),
    ).toBe(1);
  });

  it('shares into a community the member belongs to (post with review_id, same status) and holds what screening holds', async () => {
    const member = await newMember();
    const community = await ctx.db.pool.query<{ id: string }>(
      `insert into communities (brand_id, slug, name) values ($1, $2, 'Fans') returning id`,
      [brandId, `c-${unique()}`],
    );
    const communityId = community.rows[0].id;
    const [first, second, third] = [
      await buy(member, 'SKU-S'),
      await buy(member, 'SKU-S'),
      await buy(member, 'SKU-S'),
    ];
    await expect(review(member, first, { communityId })).rejects.toBeInstanceOf(
      ReviewNotACommunityMemberError,
    );
    await ctx.db.pool.query(
      'insert into community_members (brand_id, community_id, member_id) values ($1, $2, $3)',
      [brandId, communityId, member.id],
    );
    const shared = await review(member, first, {
      communityId,
      body: 'Shared with the fans',
      photoUrls: ['https://cdn.example.test/a.jpg'],
    });
    const post = await ctx.db.pool.query(
      `select status, body, image_urls, product_ids, community_id from posts
        where brand_id = $1 and review_id = $2`,
      [brandId, shared.id],
    );
    expect(post.rows).toEqual([
      {
        status: 'published',
        body: 'Shared with the fans',
        image_urls: ['https://cdn.example.test/a.jpg'],
        product_ids: ['SKU-S'],
        community_id: communityId,
      },
    ]);
    // A hold rule: the review and its post wait for a moderator, with one open case and no approval.
    await ctx.db.pool.query(
      `insert into moderation_rules (brand_id, name, match, pattern, action)
       values ($1, 'hold', 'keyword', 'suspicious', 'hold')`,
      [brandId],
    );
    moduleRef.get(ScreeningService).invalidate(brandId);
    const held = await review(member, second, { communityId, body: 'Suspicious deal' });
    expect(held.status).toBe('held');
    expect(held.approvedAt).toBeNull();
    expect(
      await count(
        `select 1 from posts where brand_id = $1 and review_id = $2 and status = 'held'`,
        [brandId, held.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `select 1 from moderation_cases where brand_id = $1 and target_type = 'review'
           and target_id = $2 and status = 'open' and reason = 'held'`,
        [brandId, held.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `select 1 from outbox_messages where brand_id = $1 and topic = 'review.approved'
           and payload->>'reviewId' = $2`,
        [brandId, held.id],
      ),
    ).toBe(0);
    // The author deletes: the review and its post go, the community stops counting the post.
    await reviews.delete(member, shared.id);
    expect(
      await count(
        `select 1 from posts where brand_id = $1 and review_id = $2 and status = 'deleted'`,
        [brandId, shared.id],
      ),
    ).toBe(1);
    const counted = await ctx.db.pool.query<{ post_count: number }>(
      'select post_count from communities where brand_id = $1 and id = $2',
      [brandId, communityId],
    );
    expect(counted.rows[0].post_count).toBe(1);
    // A deleted review still holds its line.
    await expect(review(member, first)).rejects.toBeInstanceOf(ReviewExistsError);
    await expect(review(member, third)).resolves.toMatchObject({ status: 'published' });
  });

  it('the author edits (the shared post follows; a hold sends both back to review); others cannot; removed reviews are frozen', async () => {
    const author = await newMember();
    const stranger = await newMember();
    const communityId = (
      await ctx.db.pool.query<{ id: string }>(
        `insert into communities (brand_id, slug, name) values ($1, $2, 'Edits') returning id`,
        [brandId, `c-${unique()}`],
      )
    ).rows[0].id;
    await ctx.db.pool.query(
      'insert into community_members (brand_id, community_id, member_id) values ($1, $2, $3)',
      [brandId, communityId, author.id],
    );
    const created = await review(author, await buy(author, 'SKU-E'), { communityId, rating: 2 });
    const edited = await reviews.update(author, created.id, {
      rating: 4,
      body: 'Better after a week',
      photoUrls: ['https://cdn.example.test/e.jpg'],
    });
    expect(edited).toMatchObject({ rating: 4, body: 'Better after a week', status: 'published' });
    expect(edited.editedAt).toBeInstanceOf(Date);
    const postOf = async () =>
      (
        await ctx.db.pool.query<{ body: string; status: string; image_urls: string[] }>(
          'select body, status, image_urls from posts where brand_id = $1 and review_id = $2',
          [brandId, created.id],
        )
      ).rows[0];
    expect(await postOf()).toEqual({
      body: 'Better after a week',
      status: 'published',
      image_urls: ['https://cdn.example.test/e.jpg'],
    });
    await expect(reviews.update(stranger, created.id, { rating: 1 })).rejects.toBeInstanceOf(
      ReviewNotAuthorError,
    );
    await expect(reviews.update(author, created.id, { rating: 9 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    // 'suspicious' is held by the rule the sharing test created.
    const held = await reviews.update(author, created.id, { body: 'Suspicious now' });
    expect(held.status).toBe('held');
    expect(await postOf()).toMatchObject({ status: 'held', body: 'Suspicious now' });
    await ctx.db.pool.query(
      `update reviews set status = 'removed' where brand_id = $1 and id = $2`,
      [brandId, created.id],
    );
    await expect(reviews.update(author, created.id, { rating: 5 })).rejects.toBeInstanceOf(
      ReviewNotEditableError,
    );
  });

  it('lists a product’s published reviews with average, distribution, sorts and cursor pages; helpful votes are counted exactly', async () => {
    const productId = `SKU-${unique()}`;
    const authors = [await newMember(), await newMember(), await newMember(), await newMember()];
    const ratings = [5, 4, 4, 1];
    const created: Awaited<ReturnType<typeof review>>[] = [];
    for (const [i, author] of authors.entries())
      created.push(await review(author, await buy(author, productId), { rating: ratings[i] }));
    // A held review is not counted.
    await ctx.db.pool.query(`update reviews set status = 'held' where brand_id = $1 and id = $2`, [
      brandId,
      created[3].id,
    ]);
    const voters = await Promise.all(Array.from({ length: 10 }, () => newMember('Vic', 'Voter')));
    await Promise.all(voters.map((v) => reviews.voteHelpful(v, created[1].id)));
    await Promise.all(voters.slice(0, 3).map((v) => reviews.voteHelpful(v, created[1].id))); // again
    await reviews.voteHelpful(voters[0], created[2].id);
    await expect(reviews.voteHelpful(authors[0], created[0].id)).rejects.toBeInstanceOf(
      OwnReviewVoteError,
    );
    expect(await reviews.unvoteHelpful(voters[9], created[1].id)).toMatchObject({
      helpfulCount: 9,
      helpfulByMe: false,
    });
    expect(await reviews.unvoteHelpful(voters[9], created[1].id)).toMatchObject({
      helpfulCount: 9,
    });
    expect(
      await count('select 1 from review_helpful_votes where brand_id = $1 and review_id = $2', [
        brandId,
        created[1].id,
      ]),
    ).toBe(9);

    const reader = { brandId, memberId: voters[0].id };
    const first = await reviews.listForProduct(reader, productId, { sort: 'helpful', limit: 2 });
    expect(first.summary).toEqual({
      count: 3,
      average: 4.33,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 2, '5': 1 },
    });
    expect(first.items.map((r) => [r.id, r.helpfulCount, r.helpfulByMe])).toEqual([
      [created[1].id, 9, true],
      [created[2].id, 1, true],
    ]);
    const second = await reviews.listForProduct(reader, productId, {
      sort: 'helpful',
      limit: 2,
      cursor: first.nextCursor as string,
    });
    expect(second.items.map((r) => [r.id, r.helpfulByMe])).toEqual([[created[0].id, false]]);
    expect(second.nextCursor).toBeNull();
    const newest = await reviews.listForProduct({ brandId, memberId: null }, productId, {});
    expect(newest.items.map((r) => r.id)).toEqual([created[2].id, created[1].id, created[0].id]);
    expect(newest.items.every((r) => !r.helpfulByMe)).toBe(true);
  });
});
