import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LedgerInvariants } from '@app/loyalty';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { createCommunity, joinCommunity } from '../support/community-factories';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import { countRows, waitFor } from '../support/outbox-testing';
import {
  type ReviewBody,
  buyOverHttp,
  postReview,
  refundOverHttp,
} from '../support/review-factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface ProductReviews {
  productId: string;
  summary: { count: number; average: number | null; distribution: Record<string, number> };
  items: ReviewBody[];
  nextCursor: string | null;
}

/**
 * 晒单 over HTTP with the real api and worker: a member buys (signed storefront order), reviews
 * the line, earns the review rule's points and coupon once the worker drains the outbox; the
 * storefront reads the product's reviews with rating summary and badges; helpful votes.
 */
describe('community reviews and their rewards (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let tenant: Tenant;
  let other: { id: string; token: string };
  const productId = `SKU-${unique()}`;
  const bearer = (token: string) => `Bearer ${token}`;
  const memberToken = () => tenant.memberTokens.accessToken;
  const reviewCount = () =>
    countRows(api.db, 'select 1 from reviews where brand_id = $1', [tenant.brandId]);
  const post = (token: string, body: Record<string, unknown>) =>
    api.http().post('/v1/reviews').set('authorization', bearer(token)).send(body);
  const productReviews = async (query = '', auth: Record<string, string> = {}) => {
    const res = await api
      .http()
      .get(`/v1/products/${productId}/reviews${query}`)
      .set(auth.token ? { authorization: bearer(auth.token) } : { 'x-api-key': tenant.apiKey.key });
    expect(res.status).toBe(200);
    return res.body as ProductReviews;
  };
  /** Waits until the worker has delivered every pending outbox message of the brand. */
  const settled = () =>
    waitFor('the outbox to drain', async () => {
      const { rows } = await api.db.pool.query<{ n: number }>(
        'select count(*)::int as n from outbox_messages where brand_id = $1 and delivered_at is null',
        [tenant.brandId],
      );
      return rows[0].n === 0;
    });
  const myPoints = async (token: string) => {
    const res = await api.http().get('/v1/me/points').set('authorization', bearer(token));
    expect(res.status).toBe(200);
    return res.body as { balance: number };
  };

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '25' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    tenant = await seedTenant(api, 'reviews');
    const second = await registerMember(api, tenant.slug, {
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    other = {
      id: second.id,
      token: (await loginMember(api, tenant.slug, second.email)).accessToken,
    };
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('a bought line is reviewed once; points and the review coupon arrive through the worker; the storefront sees the summary and badges', async () => {
    const owner = bearer(tenant.owner.accessToken);
    const template = await api
      .http()
      .post('/v1/coupon-templates')
      .set('authorization', owner)
      .send({ name: '¥5 off for your review', kind: 'amount_off', value: 500, validDays: 30 });
    expect(template.status).toBe(201);
    const templateId = (template.body as { id: string }).id;
    expectErrorBody(
      await api
        .http()
        .post('/v1/loyalty/rules')
        .set('authorization', owner)
        .send({
          kind: 'review_approved',
          name: 'Bad',
          points: 50,
          config: { couponTemplateId: '00000000-0000-4000-8000-000000000000' },
        }),
      400,
      'loyalty.invalid_rule',
    );
    const rule = await api
      .http()
      .post('/v1/loyalty/rules')
      .set('authorization', owner)
      .send({
        kind: 'review_approved',
        name: '晒单返券',
        points: 50,
        caps: { perDay: 3 },
        config: { couponTemplateId: templateId },
      });
    expect(rule.status).toBe(201);

    const purchase = await buyOverHttp(api, tenant.apiKey.key, tenant.member.id, [
      { productId, paidMinor: 2000 },
      { productId: 'SKU-OTHER', paidMinor: 1000 },
    ]);
    await settled();
    expect((await myPoints(memberToken())).balance).toBe(30);

    const res = await post(memberToken(), {
      orderId: purchase.orderId,
      lineNo: 1,
      rating: 5,
      title: 'Perfect',
      body: 'Fits perfectly, fast delivery.',
      photoUrls: ['https://cdn.example.test/r/1.jpg'],
    });
    expect(res.status).toBe(201);
    const review = res.body as ReviewBody;
    expect(review).toMatchObject({
      productId,
      authorId: tenant.member.id,
      orderId: purchase.orderId,
      lineNo: 1,
      rating: 5,
      status: 'published',
      verifiedPurchase: true,
      incentivised: false,
      helpfulCount: 0,
    });
    expectErrorBody(
      await post(memberToken(), { orderId: purchase.orderId, lineNo: 1, rating: 4, body: 'again' }),
      409,
      'review_exists',
    );

    await settled();
    expect((await myPoints(memberToken())).balance).toBe(80);
    const coupons = await api
      .http()
      .get('/v1/me/coupons')
      .set('authorization', bearer(memberToken()));
    expect(coupons.status).toBe(200);
    expect((coupons.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ templateId, source: 'review', status: 'issued' }),
    ]);

    // A second buyer's 3-star review of the same product.
    const theirs = await buyOverHttp(api, tenant.apiKey.key, other.id, [{ productId }]);
    await postReview(api, other.token, { orderId: theirs.orderId, lineNo: 1, rating: 3 });
    await settled();

    const page = await productReviews();
    expect(page.summary).toEqual({
      count: 2,
      average: 4,
      distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 },
    });
    expect(page.items.map((r) => [r.rating, r.verifiedPurchase, r.incentivised])).toEqual([
      [3, true, true],
      [5, true, true],
    ]);
    expect(page.items[1]).toMatchObject({ id: review.id, title: 'Perfect', helpfulByMe: false });
    const mine = await api.http().get('/v1/me/reviews').set('authorization', bearer(memberToken()));
    expect(mine.status).toBe(200);
    expect((mine.body as { items: ReviewBody[] }).items.map((r) => r.id)).toEqual([review.id]);
    expect(await api.app.get(LedgerInvariants).check(tenant.brandId)).toEqual([]);
  });

  it('helpful votes: once per member, not on one’s own review, counted, and sortable', async () => {
    const [theirs, mine] = (await productReviews()).items;
    const vote = (token: string, id: string, method: 'put' | 'delete' = 'put') =>
      api.http()[method](`/v1/reviews/${id}/helpful`).set('authorization', bearer(token));
    expectErrorBody(await vote(memberToken(), mine.id), 403, 'review_own_vote');
    for (let i = 0; i < 2; i += 1) {
      const res = await vote(other.token, mine.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reviewId: mine.id, helpfulCount: 1, helpfulByMe: true });
    }
    const withdrawn = await vote(other.token, mine.id, 'delete');
    expect(withdrawn.body).toMatchObject({ helpfulCount: 0, helpfulByMe: false });
    await vote(other.token, mine.id).expect(200);
    expect(theirs.authorId).toBe(other.id);

    const helpful = await productReviews('?sort=helpful&limit=1', { token: other.token });
    expect(helpful.items.map((r) => [r.id, r.helpfulCount, r.helpfulByMe])).toEqual([
      [mine.id, 1, true],
    ]);
    const next = await productReviews(
      `?sort=helpful&limit=1&cursor=${helpful.nextCursor as string}`,
      { token: other.token },
    );
    expect(next.items.map((r) => r.id)).toEqual([theirs.id]);
    expect(next.nextCursor).toBeNull();
    expectErrorBody(
      await api
        .http()
        .get(`/v1/products/${productId}/reviews?sort=newest&cursor=${helpful.nextCursor as string}`)
        .set('x-api-key', tenant.apiKey.key),
      400,
      'validation_failed',
    );
  });

  it('refuses bad input with a code and writes nothing: not bought, another member’s order, refunded line, rating 0/6, http photo', async () => {
    const purchase = await buyOverHttp(api, tenant.apiKey.key, tenant.member.id, [
      { productId: 'SKU-BAD', quantity: 2, paidMinor: 2000 },
      { productId: 'SKU-REFUNDED', paidMinor: 1000 },
    ]);
    await refundOverHttp(api, tenant.apiKey.key, purchase.orderId, [{ lineNo: 2, quantity: 1 }]);
    const before = await reviewCount();
    const base = { orderId: purchase.orderId, lineNo: 1, rating: 4, body: 'Fine' };
    expectErrorBody(
      await post(memberToken(), { ...base, orderId: `SO-${unique()}` }),
      403,
      'review_not_purchased',
    );
    expectErrorBody(await post(other.token, base), 403, 'review_not_purchased');
    expectErrorBody(await post(memberToken(), { ...base, lineNo: 9 }), 403, 'review_not_purchased');
    expectErrorBody(await post(memberToken(), { ...base, lineNo: 2 }), 409, 'review_line_refunded');
    for (const rating of [0, 6, 4.5])
      expectErrorBody(await post(memberToken(), { ...base, rating }), 400, 'validation_failed');
    expectErrorBody(
      await post(memberToken(), { ...base, photoUrls: ['http://cdn.example.test/p.jpg'] }),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await post(memberToken(), {
        ...base,
        photoUrls: Array(10).fill('https://cdn.example.test/p.jpg'),
      }),
      400,
      'validation_failed',
    );
    expectErrorBody(await post(memberToken(), { ...base, body: '' }), 400, 'validation_failed');
    expectErrorBody(await post(memberToken(), { ...base, extra: 1 }), 400, 'validation_failed');
    expectErrorBody(await api.http().post('/v1/reviews').send(base), 401);
    expectErrorBody(
      await api.http().post('/v1/reviews').set('x-api-key', tenant.apiKey.key).send(base),
      403,
    );
    expect(await reviewCount()).toBe(before);
  });

  it('sharing into a community needs membership; the shared post carries the review; script text round-trips inertly', async () => {
    const community = await createCommunity(api, tenant.owner.accessToken);
    const purchase = await buyOverHttp(api, tenant.apiKey.key, tenant.member.id, [
      { productId: 'SKU-SHARE' },
      { productId: 'SKU-SHARE-2' },
    ]);
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const base = { orderId: purchase.orderId, lineNo: 1, rating: 4, body: payload };
    expectErrorBody(
      await post(memberToken(), { ...base, communityId: community.id }),
      403,
      'community_not_a_member',
    );
    await joinCommunity(api, memberToken(), community.id);
    const res = await post(memberToken(), { ...base, communityId: community.id });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ body: payload, communityId: community.id });
    const shared = await api.db.pool.query<{ body: string; product_ids: string[] }>(
      'select body, product_ids from posts where brand_id = $1 and review_id = $2',
      [tenant.brandId, (res.body as ReviewBody).id],
    );
    expect(shared.rows).toEqual([{ body: payload, product_ids: ['SKU-SHARE'] }]);
    expectErrorBody(
      await post(memberToken(), {
        ...base,
        lineNo: 2,
        communityId: '00000000-0000-4000-8000-000000000000',
      }),
      404,
      'community_not_found',
    );
  });

  it('a held review earns only when a moderator approves it, and loses points and coupon when removed', async () => {
    const owner = bearer(tenant.owner.accessToken);
    await api
      .http()
      .post('/v1/moderation/rules')
      .set('authorization', owner)
      .send({ name: 'Knock-offs', match: 'keyword', pattern: 'knockoff', action: 'hold' })
      .expect(201);
    const purchase = await buyOverHttp(api, tenant.apiKey.key, other.id, [{ productId }]);
    await settled();
    const before = (await myPoints(other.token)).balance;
    const held = await postReview(api, other.token, {
      orderId: purchase.orderId,
      lineNo: 1,
      rating: 1,
      body: 'Looks like a knockoff',
    });
    expect(held.status).toBe('held');
    await settled();
    expect((await myPoints(other.token)).balance).toBe(before);
    expect((await productReviews()).items.map((r) => r.id)).not.toContain(held.id);

    const decide = (action: string) =>
      api
        .http()
        .post('/v1/moderation/actions')
        .set('authorization', owner)
        .send({ action, targetType: 'review', targetId: held.id, reason: `${action} it` })
        .expect(201);
    await decide('approve');
    await settled();
    expect((await myPoints(other.token)).balance).toBe(before + 50);
    const listed = (await productReviews()).items.find((r) => r.id === held.id);
    expect(listed).toMatchObject({ status: 'published', incentivised: true, rating: 1 });
    const coupon = await api.db.pool.query<{ status: string }>(
      `select status from coupons where brand_id = $1 and source = 'review' and source_id = $2`,
      [tenant.brandId, held.id],
    );
    expect(coupon.rows).toEqual([{ status: 'issued' }]);

    await decide('remove');
    await settled();
    expect((await myPoints(other.token)).balance).toBe(before);
    const voided = await api.db.pool.query<{ status: string }>(
      `select status from coupons where brand_id = $1 and source = 'review' and source_id = $2`,
      [tenant.brandId, held.id],
    );
    expect(voided.rows).toEqual([{ status: 'void' }]);
    expect((await productReviews()).items.map((r) => r.id)).not.toContain(held.id);
    // Restoring does not pay again.
    await decide('restore');
    await settled();
    expect((await myPoints(other.token)).balance).toBe(before);
    expect(await api.app.get(LedgerInvariants).check(tenant.brandId)).toEqual([]);
  });

  it('another brand sees none of it: its storefront gets an empty product, its members cannot vote', async () => {
    const foreign = await seedTenant(api, 'elsewhere');
    const [review] = (await productReviews()).items;
    const res = await api
      .http()
      .get(`/v1/products/${productId}/reviews`)
      .set('x-api-key', foreign.apiKey.key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ summary: { count: 0, average: null }, items: [] });
    expectErrorBody(
      await api
        .http()
        .put(`/v1/reviews/${review.id}/helpful`)
        .set('authorization', bearer(foreign.memberTokens.accessToken)),
      404,
      'review_not_found',
    );
    expectErrorBody(
      await api
        .http()
        .get(`/v1/products/${productId}/reviews`)
        .set('authorization', bearer(tenant.owner.accessToken)),
      403,
    );
  });

  it('OpenAPI documents the review routes, with review text marked plain text', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const body = doc.body as {
      paths: Record<string, Record<string, unknown>>;
      components: {
        schemas: Record<string, { properties: Record<string, { description?: string }> }>;
      };
    };
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/reviews',
        '/v1/reviews/{id}',
        '/v1/reviews/{id}/helpful',
        '/v1/me/reviews',
        '/v1/products/{productId}/reviews',
      ]),
    );
    expect(Object.keys(body.paths['/v1/reviews/{id}/helpful']).sort()).toEqual(['delete', 'put']);
    expect(body.components.schemas.ReviewResponseDto.properties.body.description).toMatch(
      /plain text/i,
    );
    expect(Object.keys(body.components.schemas.RatingDistributionDto.properties).sort()).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });
});
