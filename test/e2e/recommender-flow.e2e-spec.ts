import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createRecommenderApp } from '../../apps/recommender/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import { countRows, waitFor } from '../support/outbox-testing';
import { signStorefrontRequest } from '../support/storefront-signing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface Item {
  productId: string;
  name: string | null;
  category: string | null;
  score: number;
  reason: { kind: string; text: string; productId?: string; everyWeeks?: number };
}
interface Recommendations {
  memberId: string;
  strategy: string;
  modelVersion: string | null;
  items: Item[];
}

const WEEK = 7 * 86_400_000;
const CATEGORY: Record<string, string> = {
  tea: 'drinks',
  coffee: 'drinks',
  biscuits: 'bakery',
  milk: 'dairy',
  cream: 'dairy',
  sugar: 'baking',
};

/**
 * Orders go in through the signed storefront API, the worker trains on them, and the recommender
 * serves the result: tea drinkers are recommended what other tea drinkers buy, a new member gets
 * popular items, and one purchase folds a member in without retraining.
 */
describe('recommender: orders → training → recommendations (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let recommender: NestFastifyApplication;
  let tenant: Tenant;
  const rec = () => request(recommender.getHttpServer());

  const buy = async (memberId: string, products: string[], placedAt: Date) => {
    const body = JSON.stringify({
      orderId: `SO-${unique()}`,
      memberId,
      lines: products.map((productId) => ({
        productId,
        category: CATEGORY[productId],
        quantity: 1,
        unitPriceMinor: 500,
        paidMinor: 500,
      })),
      paidTotalMinor: 500 * products.length,
      currency: 'USD',
      channel: 'online',
      placedAt: placedAt.toISOString(),
    });
    const headers = signStorefrontRequest({
      apiKey: tenant.apiKey.key,
      method: 'POST',
      path: '/v1/orders',
      body,
    });
    const res = await api.http().post('/v1/orders').set(headers).send(body);
    if (res.status !== 201)
      throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  };

  const recommendations = async (memberId: string, query = '') => {
    const res = await rec()
      .get(`/v1/members/${memberId}/recommendations${query}`)
      .set('x-api-key', tenant.apiKey.key);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return res.body as Recommendations;
  };

  beforeAll(async () => {
    api = await bootApi();
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    recommender = await createRecommenderApp(api.config);
    await recommender.init();
    await recommender.getHttpAdapter().getInstance().ready();
    tenant = await seedTenant(api, 'recs');

    await api.db.pool.query(
      `insert into products (brand_id, id, name, category, attributes) values
         ($1, 'tea', 'Green Tea', 'drinks', '{}'), ($1, 'coffee', 'Dark Roast Coffee', 'drinks', '{}'),
         ($1, 'biscuits', 'Oat Biscuits', 'bakery', '{}'), ($1, 'milk', 'Whole Milk', 'dairy', '{}'),
         ($1, 'cream', 'Single Cream', 'dairy', '{"inStock": false}'), ($1, 'sugar', 'Cane Sugar', 'baking', '{}')`,
      [tenant.brandId],
    );

    // Five tea drinkers (the seeded member among them, without milk) and six coffee drinkers.
    const now = Date.now();
    const tea = [tenant.member.id];
    for (let i = 0; i < 4; i++) tea.push((await registerMember(api, tenant.slug)).id);
    const coffee: string[] = [];
    for (let i = 0; i < 6; i++) coffee.push((await registerMember(api, tenant.slug)).id);
    for (const weeksAgo of [8, 6, 4, 2]) {
      const at = new Date(now - weeksAgo * WEEK);
      for (const [i, m] of tea.entries())
        await buy(
          m,
          i > 0 && weeksAgo <= 6 ? ['tea', 'biscuits', 'milk'] : ['tea', 'biscuits'],
          at,
        );
      for (const [i, m] of coffee.entries())
        await buy(
          m,
          i < 4 && weeksAgo <= 6 ? ['coffee', 'sugar', 'cream'] : ['coffee', 'sugar'],
          at,
        );
    }
  }, 120_000);

  afterAll(async () => {
    await recommender?.close();
    await worker?.close();
    await api?.close();
  });

  it('before any training, storefronts get popularity (and re-buys) with reasons', async () => {
    const res = await recommendations(tenant.member.id, '?exclude_purchased=true&limit=3');
    expect(res.modelVersion).toBeNull();
    // Coffee drinkers outnumber tea drinkers: popularity alone pushes their items.
    expect(res.items[0].productId).toMatch(/coffee|sugar/);
    expect(res.items[0].reason.kind).toBe('popular');
  });

  it('a staff-triggered training job produces an active version; the member’s recommendations change and carry reasons', async () => {
    const before = await recommendations(tenant.member.id, '?exclude_purchased=true&limit=3');
    const queued = await rec()
      .post('/v1/recommender/models/train')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(202);
    expect(queued.body).toEqual({ jobId: expect.any(String) });

    const version = await waitFor(
      'an active recommender version',
      async () => {
        const res = await rec()
          .get('/v1/recommender/models')
          .set('authorization', `Bearer ${tenant.owner.accessToken}`)
          .expect(200);
        const items = (res.body as { items: { id: string; status: string }[] }).items;
        return items.find((v) => v.status === 'active');
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(version).toMatchObject({
      algorithm: 'blend',
      metrics: expect.objectContaining({ ndcg10: expect.any(Number) }),
      dataWindow: expect.objectContaining({ members: 11, items: 6 }),
      backend: expect.stringMatching(/node|wasm|cpu/),
    });
    expect(
      await countRows(api.db, 'select 1 from member_factors where brand_id = $1', [tenant.brandId]),
    ).toBe(11);

    const after = await waitFor('recommendations from the new model', async () => {
      const res = await recommendations(tenant.member.id, '?exclude_purchased=true&limit=3');
      return res.modelVersion === version.id ? res : null;
    });
    expect(after.strategy).toBe('personalised');
    // What other tea drinkers buy now leads, explained by the member's own purchases.
    expect(after.items[0]).toMatchObject({
      productId: 'milk',
      name: 'Whole Milk',
      category: 'dairy',
      reason: {
        kind: 'because_you_bought',
        text: expect.stringMatching(/^because you bought (Green Tea|Oat Biscuits)$/),
      },
    });
    expect(after.items.map((i) => i.productId)).not.toEqual(before.items.map((i) => i.productId));

    // Repeats allowed: the member's staples come back with their rhythm.
    const again = await recommendations(tenant.member.id, '?limit=2');
    expect(again.items.map((i) => i.productId).sort()).toEqual(['biscuits', 'tea']);
    expect(again.items[0].reason).toMatchObject({
      kind: 'buy_again',
      everyWeeks: 2,
      text: 'you buy this every ~2 weeks',
    });

    // Filters apply before truncation.
    const dairy = await recommendations(tenant.member.id, '?category=dairy&limit=5');
    expect(dairy.items.map((i) => i.productId).sort()).toEqual(['cream', 'milk']);
    const inStock = await recommendations(
      tenant.member.id,
      '?category=dairy&in_stock_only=true&limit=5',
    );
    expect(inStock.items.map((i) => i.productId)).toEqual(['milk']);

    // The query is validated once per distinct query string: repeated requests get the cached
    // answer, and a bad query is refused every time with the standard error body.
    expect(await recommendations(tenant.member.id, '?category=dairy&limit=5')).toEqual(dairy);
    for (let i = 0; i < 2; i++) {
      for (const bad of ['?limit=0', '?limit=ten', '?exclude_purchased=maybe', '?colour=red'])
        expectErrorBody(
          await rec()
            .get(`/v1/members/${tenant.member.id}/recommendations${bad}`)
            .set('x-api-key', tenant.apiKey.key),
          400,
          'validation_failed',
        );
    }
  }, 90_000);

  it('a brand-new member gets popular items (cold start), and similar products come from co-purchases', async () => {
    const fresh = await registerMember(api, tenant.slug);
    const res = await recommendations(fresh.id, '?limit=3');
    expect(res.strategy).toBe('cold_start');
    expect(res.items).toHaveLength(3);
    expect(res.items[0].productId).toMatch(/coffee|sugar/);
    expect(res.items[0].reason).toEqual({
      kind: 'popular',
      text: expect.stringMatching(/^popular in (drinks|baking)$/),
      category: expect.any(String),
    });

    const similar = await rec()
      .get('/v1/products/coffee/similar?limit=2')
      .set('x-api-key', tenant.apiKey.key)
      .expect(200);
    expect((similar.body as { items: Item[] }).items.map((i) => i.productId).sort()).toEqual([
      'cream',
      'sugar',
    ]);
    expectErrorBody(
      await rec().get('/v1/products/no-such-product/similar').set('x-api-key', tenant.apiKey.key),
      404,
      'product_not_found',
    );
  });

  it('fold-in: a new member’s first purchase personalises their recommendations within a second, without retraining', async () => {
    const fresh = await registerMember(api, tenant.slug);
    const versionsBefore = await countRows(
      api.db,
      'select 1 from model_versions where brand_id = $1',
      [tenant.brandId],
    );
    const cold = await recommendations(fresh.id, '?exclude_purchased=true&limit=2');
    expect(cold.strategy).toBe('cold_start');

    await buy(fresh.id, ['tea'], new Date());
    const bought = Date.now();
    const warm = await waitFor(
      'the folded-in member',
      async () => {
        const res = await recommendations(fresh.id, '?exclude_purchased=true&limit=2');
        return res.strategy === 'personalised' ? res : null;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    const elapsed = Date.now() - bought;
    expect(elapsed).toBeLessThan(2_000);
    // Tea buyers also buy biscuits and milk: they now lead instead of the coffee drinkers' items.
    expect(warm.items.map((i) => i.productId).sort()).toEqual(['biscuits', 'milk']);
    expect(warm.modelVersion).toBe(cold.modelVersion);
    expect(
      await countRows(api.db, 'select 1 from model_versions where brand_id = $1', [tenant.brandId]),
    ).toBe(versionsBefore);
    await waitFor('the stored member vector', () =>
      countRows(api.db, 'select 1 from member_factors where brand_id = $1 and member_id = $2', [
        tenant.brandId,
        fresh.id,
      ]),
    );
  });

  it('members and models of another brand are not found; staff roll back to a retired version', async () => {
    const other = await seedTenant(api, 'recs-other');
    expectErrorBody(
      await rec()
        .get(`/v1/members/${other.member.id}/recommendations`)
        .set('x-api-key', tenant.apiKey.key),
      404,
      'member_not_found',
    );
    await rec().get(`/v1/members/${tenant.member.id}/recommendations`).expect(401);
    await rec()
      .post('/v1/recommender/models/train')
      .set('authorization', `Bearer ${tenant.memberTokens.accessToken}`)
      .expect(403);

    const { rows } = await api.db.pool.query<{ id: string }>(
      "select id from model_versions where brand_id = $1 and status = 'active'",
      [tenant.brandId],
    );
    const active = rows[0].id;
    // A second version (trained directly in the worker) is promoted or rejected by the metric rule.
    await rec()
      .post('/v1/recommender/models/train')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(202);
    await waitFor(
      'a second version',
      async () =>
        (await countRows(api.db, 'select 1 from model_versions where brand_id = $1', [
          tenant.brandId,
        ])) === 2,
      { timeoutMs: 60_000 },
    );
    const second = await api.db.pool.query<{ id: string; status: string }>(
      'select id, status from model_versions where brand_id = $1 and id <> $2',
      [tenant.brandId, active],
    );
    expect(['active', 'rejected']).toContain(second.rows[0].status);
    if (second.rows[0].status === 'active') {
      const rollback = await rec()
        .post(`/v1/recommender/models/${active}/activate`)
        .set('authorization', `Bearer ${tenant.owner.accessToken}`)
        .expect(200);
      expect(rollback.body).toMatchObject({ id: active, status: 'active' });
      const served = await waitFor('the rolled-back version served', async () => {
        const res = await recommendations(tenant.member.id);
        return res.modelVersion === active ? res : null;
      });
      expect(served.items.length).toBeGreaterThan(0);
    } else {
      expectErrorBody(
        await rec()
          .post(`/v1/recommender/models/${second.rows[0].id}/activate`)
          .set('authorization', `Bearer ${tenant.owner.accessToken}`),
        409,
        'model_version_not_activatable',
      );
    }
  }, 90_000);

  it('answers on the Fastify-level recommendations route as every controller route does', async () => {
    const path = `/v1/members/${tenant.member.id}/recommendations`;
    // Request ids: a caller's is echoed; the error body names the same one.
    const anonymous = await rec().get(path).set('x-request-id', 'recs-trace-1');
    expectErrorBody(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers['x-request-id']).toBe('recs-trace-1');
    expect((anonymous.body as { requestId: string }).requestId).toBe('recs-trace-1');
    expectErrorBody(await rec().get(path).set('authorization', 'Basic abc'), 401, 'invalid_token');
    expectErrorBody(await rec().get(path).set('x-api-key', 'lk_nope'), 401);
    // Members are neither storefronts nor owner/marketer staff.
    expectErrorBody(
      await rec().get(path).set('authorization', `Bearer ${tenant.memberTokens.accessToken}`),
      403,
    );
    const badId = await rec()
      .get('/v1/members/not-a-uuid/recommendations')
      .set('x-api-key', tenant.apiKey.key);
    expectErrorBody(badId, 400, 'validation_failed');
    expect(badId.body).toMatchObject({
      error: { details: { fields: { id: ['must be a UUID'] } } },
    });
    // Every bad query field is named, as the global ValidationPipe names them.
    const badQuery = await rec()
      .get(`${path}?limit=0&colour=red`)
      .set('x-api-key', tenant.apiKey.key);
    expectErrorBody(badQuery, 400, 'validation_failed');
    expect(
      Object.keys(
        (badQuery.body as { error: { details: { fields: object } } }).error.details.fields,
      ).sort(),
    ).toEqual(['colour', 'limit']);
    // Staff owners (the console's member lookup) and storefronts get the same JSON answer.
    const staff = await rec()
      .get(`${path}?limit=3`)
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(200);
    expect(staff.headers['content-type']).toMatch(/^application\/json/);
    expect(staff.headers['x-request-id']).toEqual(expect.any(String));
    expect(staff.body).toEqual(await recommendations(tenant.member.id, '?limit=3'));
    const metrics = await rec().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/route="\/v1\/members\/:id\/recommendations",status="200"/);
    expect(metrics.text).toMatch(/route="\/v1\/members\/:id\/recommendations",status="400"/);
    // The route is documented as its controller decorators would have: schema and security.
    const doc = (await rec().get('/docs-json').expect(200)).body as {
      paths: Record<string, { get: { security: object[]; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, unknown> };
    };
    const operation = doc.paths['/v1/members/{id}/recommendations'].get;
    expect(operation.security).toEqual([{ 'api-key': [] }, { jwt: [] }]);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(doc.components.schemas).toHaveProperty('RecommendationsResponseDto');
  });
});
