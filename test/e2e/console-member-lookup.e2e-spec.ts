import { type Server, createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRecommenderApp } from '../../apps/recommender/src/bootstrap';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  registerMember,
  seedTenant,
} from '../support/factories';
import { buyOverHttp } from '../support/review-factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface StaffRecommendations {
  memberId: string;
  available: boolean;
  unavailableReason: string | null;
  strategy: string | null;
  modelVersion: string | null;
  items: {
    productId: string;
    name: string | null;
    score: number;
    reason: { kind: string; text: string };
  }[];
}

/** A port nothing listens on right now (the recommender is started on it later). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What the console's member lookup asks the api beyond the profile: recommendations through the
 * api's proxy to the real recommender app (staff token forwarded, ADR 0020) — including what
 * the api answers when the recommender is down, hangs or fails — and predictions for a member
 * who has not been scored yet.
 */
describe('console member lookup: recommendations proxy and unscored predictions (e2e)', () => {
  let api: ApiHarness;
  let recommender: NestFastifyApplication | undefined;
  let port: number;
  let tenant: Tenant;
  let marketer: string;
  let newcomer: string;
  const bearer = (token: string) => `Bearer ${token}`;
  const recommendations = (memberId: string, token = marketer, query = '') =>
    api
      .http()
      .get(`/v1/members/${memberId}/recommendations${query}`)
      .set('authorization', bearer(token));

  beforeAll(async () => {
    port = await freePort();
    api = await bootApi({ RECOMMENDER_URL: `http://127.0.0.1:${port}` });
    tenant = await seedTenant(api, 'lookup');
    marketer = (await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer')).tokens
      .accessToken;
    await api.db.pool.query(
      `insert into products (brand_id, id, name, category, attributes) values
         ($1, 'tea', 'Green Tea', 'drinks', '{}'), ($1, 'mug', 'Stoneware Mug', 'kitchen', '{}'),
         ($1, 'honey', 'Wildflower Honey', 'pantry', '{}')`,
      [tenant.brandId],
    );
    // Three buyers of tea, two of mugs, one of honey: popularity has an order to show.
    const buyers = [tenant.member.id];
    for (let i = 0; i < 2; i++) buyers.push((await registerMember(api, tenant.slug)).id);
    for (const [i, memberId] of buyers.entries())
      await buyOverHttp(
        api,
        tenant.apiKey.key,
        memberId,
        [{ productId: 'tea' }, { productId: 'mug' }, { productId: 'honey' }].slice(0, 3 - i),
      );
    newcomer = (await registerMember(api, tenant.slug)).id;
    recommender = await createRecommenderApp(api.config);
    await recommender.listen(port, '127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await recommender?.close();
    await api?.close();
  });

  it('gives staff a member’s recommendations with scores and reasons; a newcomer gets popular items', async () => {
    const res = await recommendations(newcomer, marketer, '?limit=2');
    expect(res.status).toBe(200);
    const body = res.body as StaffRecommendations;
    expect(body).toMatchObject({
      memberId: newcomer,
      available: true,
      unavailableReason: null,
      strategy: 'cold_start',
      modelVersion: null,
    });
    // No trained model: popularity from the brand's orders, best first, each explained.
    expect(body.items.map((i) => [i.productId, i.name, i.reason.kind])).toEqual([
      ['tea', 'Green Tea', 'popular'],
      ['mug', 'Stoneware Mug', 'popular'],
    ]);
    expect(body.items[0].score).toBeGreaterThan(body.items[1].score);
    expect(body.items[0].reason.text).toMatch(/popular/i);

    const owner = await recommendations(tenant.member.id, tenant.owner.accessToken);
    expect(owner.status).toBe(200);
    expect((owner.body as StaffRecommendations).items.length).toBeGreaterThan(0);
  });

  it('checks the caller like the other staff member routes', async () => {
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    expectErrorBody(await recommendations(newcomer, moderator.tokens.accessToken), 403);
    expectErrorBody(await recommendations(newcomer, tenant.memberTokens.accessToken), 403);
    await api.http().get(`/v1/members/${newcomer}/recommendations`).expect(401);
    const other = await seedTenant(api, 'lookup-other');
    expectErrorBody(await recommendations(other.member.id, marketer), 404, 'member_not_found');
    expectErrorBody(await recommendations(newcomer, marketer, '?limit=500'), 400);
  });

  it('answers a member without a prediction with scored: false, keeping the 404 of the plain route', async () => {
    const latest = await api
      .http()
      .get(`/v1/members/${newcomer}/predictions/latest`)
      .set('authorization', bearer(marketer));
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({ scored: false, prediction: null });
    expectErrorBody(
      await api
        .http()
        .get(`/v1/members/${newcomer}/predictions`)
        .set('authorization', bearer(marketer)),
      404,
      'ml.prediction_not_found',
    );

    await api.db.pool.query(
      `insert into member_predictions (brand_id, member_id, algorithm, next_purchase_at, p7, p14, p28, p_alive,
                                       expected_purchases_12m, clv_12m_minor)
       values ($1, $2, 'bgnbd', now() + interval '3 days', 0.5, 0.7, 0.9, 0.95, 4, 2500)`,
      [tenant.brandId, tenant.member.id],
    );
    const scored = await api
      .http()
      .get(`/v1/members/${tenant.member.id}/predictions/latest`)
      .set('authorization', bearer(marketer));
    expect(scored.status).toBe(200);
    expect(scored.body).toMatchObject({
      scored: true,
      prediction: { memberId: tenant.member.id, p7: 0.5, p28: 0.9, clv12mMinor: 2500 },
    });

    const other = await seedTenant(api, 'lookup-pred-other');
    expectErrorBody(
      await api
        .http()
        .get(`/v1/members/${other.member.id}/predictions/latest`)
        .set('authorization', bearer(marketer)),
      404,
      'ml.member_not_found',
    );
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    expectErrorBody(
      await api
        .http()
        .get(`/v1/members/${newcomer}/predictions/latest`)
        .set('authorization', bearer(moderator.tokens.accessToken)),
      403,
    );
  });

  it('answers 200 available: false when the recommender is down, hangs or fails — and a 404 still wins', async () => {
    await recommender!.close();
    recommender = undefined;
    const down = await recommendations(newcomer);
    expect(down.status).toBe(200);
    expect(down.body).toEqual({
      memberId: newcomer,
      available: false,
      unavailableReason: 'unreachable',
      strategy: null,
      modelVersion: null,
      items: [],
    });
    // An unknown member is a 404 whether or not the recommender answers.
    const other = await seedTenant(api, 'lookup-down-other');
    expectErrorBody(await recommendations(other.member.id), 404, 'member_not_found');

    // A recommender that accepts the connection and never answers: cut off after 1.5 s.
    const sockets = new Set<import('node:net').Socket>();
    const hanging: Server = createServer(() => undefined);
    hanging.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hanging.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const slow = await recommendations(newcomer);
      const elapsed = Date.now() - started;
      expect(slow.status).toBe(200);
      expect(slow.body).toMatchObject({
        available: false,
        unavailableReason: 'timeout',
        items: [],
      });
      expect(elapsed).toBeGreaterThanOrEqual(1_400);
      expect(elapsed).toBeLessThan(4_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hanging.close(resolve));
    }

    // One that fails.
    const failing: Server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"unavailable","message":"down"}}');
    });
    await new Promise<void>((resolve) => failing.listen(port, '127.0.0.1', resolve));
    try {
      const failed = await recommendations(newcomer);
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({
        available: false,
        unavailableReason: 'error',
        items: [],
      });
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const paths = (doc.body as { paths: Record<string, unknown> }).paths;
    expect(paths).toHaveProperty(['/v1/members/{id}/recommendations', 'get']);
    expect(paths).toHaveProperty(['/v1/members/{id}/predictions/latest', 'get']);
    const schemas = (
      doc.body as { components: { schemas: Record<string, { properties: object }> } }
    ).components.schemas;
    expect(Object.keys(schemas.MemberRecommendationsResponseDto.properties)).toEqual(
      expect.arrayContaining(['available', 'unavailableReason', 'items']),
    );
  });
});
