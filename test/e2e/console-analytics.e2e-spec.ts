import { insertOrders } from '../support/console-factories';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  registerMember,
  seedTenant,
} from '../support/factories';
import { ensureConsoleBuilt } from '../support/console-browser';

/** The analytics endpoint over HTTP (roles, validation, tenant isolation) and how /console is served. */
describe('console analytics API and static console (e2e)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await bootApi();
  });

  afterAll(() => api?.close());

  it('computes the dashboard for owners and marketers of the brand only, over a valid window', async () => {
    const tenant = await seedTenant(api, 'an-http');
    const other = await seedTenant(api, 'an-other');
    const second = await registerMember(api, tenant.slug);
    const at = (iso: string) => new Date(iso);
    await insertOrders(api.db, tenant.brandId, [
      [tenant.member.id, at('2026-01-05T10:00:00Z'), 1000],
      [tenant.member.id, at('2026-01-20T10:00:00Z'), 3000],
      [second.id, at('2026-01-07T10:00:00Z'), 2000],
    ]);
    await insertOrders(api.db, other.brandId, [
      [other.member.id, at('2026-01-06T10:00:00Z'), 50_000],
    ]);
    const url = '/v1/analytics/dashboard?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

    const res = await api
      .http()
      .get(url)
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(200);
    expect(res.body).toMatchObject({
      range: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
      members: { total: 2, active: 2 },
      orders: {
        customers: 2,
        repeatCustomers: 1,
        orders: 3,
        revenueMinor: 6000,
        repurchaseRate: 0.5,
        purchaseFrequency: 1.5,
        averageOrderValueMinor: 2000,
        cohorts: [{ month: '2026-01', customers: 2, repeaters: 1, repurchaseRate: 0.5 }],
      },
    });

    const marketer = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer');
    await api
      .http()
      .get(url)
      .set('authorization', `Bearer ${marketer.tokens.accessToken}`)
      .expect(200);
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    expectErrorBody(
      await api.http().get(url).set('authorization', `Bearer ${moderator.tokens.accessToken}`),
      403,
    );
    expectErrorBody(
      await api.http().get(url).set('authorization', `Bearer ${tenant.memberTokens.accessToken}`),
      403,
    );
    expectErrorBody(await api.http().get(url), 401);

    const reversed = '/v1/analytics/dashboard?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z';
    expect(
      expectErrorBody(
        await api.http().get(reversed).set('authorization', `Bearer ${tenant.owner.accessToken}`),
        400,
      ),
    ).toBe('analytics.invalid_range');
    expectErrorBody(
      await api
        .http()
        .get('/v1/analytics/dashboard?from=yesterday')
        .set('authorization', `Bearer ${tenant.owner.accessToken}`),
      400,
    );
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    expect(Object.keys((doc.body as { paths: object }).paths)).toContain('/v1/analytics/dashboard');
  });

  it('serves the console under /console: deep links get index.html, hashed assets are immutable', async () => {
    await api.http().get('/console').expect(302).expect('location', '/console/');
    const index = await api.http().get('/console/moderation').expect(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const asset = await api.http().get(script!).expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectErrorBody(await api.http().get('/v1/console-nothing-here'), 404);
  });
});
