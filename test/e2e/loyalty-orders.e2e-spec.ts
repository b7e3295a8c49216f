import { randomUUID } from 'node:crypto';
import { LedgerInvariants } from '@app/loyalty';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import { countRows } from '../support/outbox-testing';
import { signStorefrontRequest } from '../support/storefront-signing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

describe('Loyalty orders over HTTP (signed storefront requests)', () => {
  let api: ApiHarness;
  let tenant: Tenant;

  // Every call is signed with a fresh nonce, so a deliberate retry of the same body is a new
  // signed request (not a replay) even within the same second.
  const signedPost = (
    path: string,
    body: unknown,
    options: { timestamp?: number; key?: string } = {},
  ) => {
    const raw = JSON.stringify(body);
    const headers = signStorefrontRequest({
      apiKey: options.key ?? tenant.apiKey.key,
      method: 'POST',
      path,
      body: raw,
      timestamp: options.timestamp,
    });
    return api.http().post(path).set(headers).send(raw);
  };

  const order = (overrides: Record<string, unknown> = {}) => ({
    orderId: `SO-${unique()}`,
    memberId: tenant.member.id,
    lines: [
      { productId: 'SKU-1', category: 'shoes', quantity: 2, unitPriceMinor: 2500, paidMinor: 5000 },
      { productId: 'SKU-2', quantity: 1, unitPriceMinor: 1999, paidMinor: 1999 },
    ],
    paidTotalMinor: 6999,
    currency: 'USD',
    channel: 'online',
    placedAt: new Date().toISOString(),
    ...overrides,
  });

  const writes = async () => ({
    orders: await countRows(api.db, 'select 1 from orders where brand_id = $1', [tenant.brandId]),
    entries: await countRows(api.db, 'select 1 from ledger_entries where brand_id = $1', [
      tenant.brandId,
    ]),
    refunds: await countRows(api.db, 'select 1 from refunds where brand_id = $1', [tenant.brandId]),
    outbox: await countRows(
      api.db,
      "select 1 from outbox_messages where brand_id = $1 and topic in ('order.paid', 'points.earned', 'order.refunded')",
      [tenant.brandId],
    ),
  });

  const invariants = () => api.app.get(LedgerInvariants).check(tenant.brandId);

  beforeAll(async () => {
    api = await bootApi();
    tenant = await seedTenant(api, 'orders');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('a signed order earns 1 point per currency unit, a retry returns the same body, a refund claws back', async () => {
    const body = order();
    const res = await signedPost('/v1/orders', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orderId: body.orderId,
      memberId: tenant.member.id,
      pointsAwarded: 69,
      ruleId: null,
      status: 'paid',
      balance: 69,
    });
    const lines = (res.body as { lines: { points: number }[] }).lines;
    expect(lines.map((l) => l.points).reduce((a, b) => a + b, 0)).toBe(69);

    const retry = await signedPost('/v1/orders', body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(res.body);

    const refund = await signedPost(`/v1/orders/${body.orderId}/refunds`, {
      refundId: `RF-${unique()}`,
      lines: [{ lineNo: 1, quantity: 1 }],
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ amountMinor: 2500, orderStatus: 'partially_refunded' });
    const reversed = (refund.body as { pointsReversed: number }).pointsReversed;
    expect(reversed).toBe(Math.floor(lines[0].points / 2));
    expect(refund.body).toMatchObject({ balance: 69 - reversed });

    const full = await signedPost(`/v1/orders/${body.orderId}/refunds`, {
      refundId: `RF-${unique()}`,
      full: true,
    });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({
      amountMinor: 6999 - 2500,
      orderStatus: 'refunded',
      balance: 0,
    });
    expect(await invariants()).toEqual([]);
  });

  it('staff rules change the award: multipliers, exclusions and the rule id on the award', async () => {
    const marketer = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer');
    const created = await api
      .http()
      .post('/v1/loyalty/rules')
      .set('authorization', `Bearer ${marketer.tokens.accessToken}`)
      .send({
        kind: 'purchase',
        name: 'Double shoes',
        config: {
          pointsPerUnit: 1,
          categoryMultipliers: { shoes: 2 },
          excludedProducts: ['SKU-2'],
        },
      });
    expect(created.status).toBe(201);
    const ruleId = (created.body as { id: string }).id;
    const member = await registerMember(api, tenant.slug);
    const res = await signedPost('/v1/orders', order({ memberId: member.id }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pointsAwarded: 100, ruleId, balance: 100 });
    const memberToken = tenant.memberTokens.accessToken;
    const forbidden = await api
      .http()
      .post('/v1/loyalty/rules')
      .set('authorization', `Bearer ${memberToken}`)
      .send({ kind: 'signup', name: 'x', points: 5 });
    expect(forbidden.status).toBe(403);
    const removed = await api
      .http()
      .delete(`/v1/loyalty/rules/${ruleId}`)
      .set('authorization', `Bearer ${marketer.tokens.accessToken}`);
    expect(removed.status).toBe(204);
    const audited = await api.db.pool.query<{ action: string; actor_id: string }>(
      "select action, actor_id from audit_log where brand_id = $1 and target_type = 'earning_rule' and target_id = $2 order by id",
      [tenant.brandId, ruleId],
    );
    expect(audited.rows).toEqual([
      { action: 'earning_rule.created', actor_id: marketer.id },
      { action: 'earning_rule.deleted', actor_id: marketer.id },
    ]);
    expect(await invariants()).toEqual([]);
  });

  describe('bad input writes nothing', () => {
    const cases: [string, number, string, () => Promise<import('supertest').Response>][] = [
      [
        'unsigned',
        401,
        'loyalty.signature_missing',
        () => api.http().post('/v1/orders').set('x-api-key', tenant.apiKey.key).send(order()),
      ],
      [
        'bad signature',
        401,
        'loyalty.signature_invalid',
        () => {
          const raw = JSON.stringify(order());
          const headers = signStorefrontRequest({
            apiKey: tenant.apiKey.key,
            method: 'POST',
            path: '/v1/orders',
            body: raw,
          });
          return api.http().post('/v1/orders').set(headers).send(JSON.stringify(order()));
        },
      ],
      [
        'stale timestamp',
        401,
        'loyalty.signature_expired',
        () => signedPost('/v1/orders', order(), { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      ],
      ['no api key', 401, 'unauthenticated', () => api.http().post('/v1/orders').send(order())],
      [
        'negative quantity',
        400,
        'validation_failed',
        () =>
          signedPost(
            '/v1/orders',
            order({
              lines: [{ productId: 'A', quantity: -1, unitPriceMinor: 100, paidMinor: 100 }],
              paidTotalMinor: 100,
            }),
          ),
      ],
      [
        'currency mismatch',
        400,
        'loyalty.currency_mismatch',
        () => signedPost('/v1/orders', order({ currency: 'EUR' })),
      ],
      [
        'totals mismatch',
        400,
        'loyalty.totals_mismatch',
        () => signedPost('/v1/orders', order({ paidTotalMinor: 7000 })),
      ],
      [
        'unknown member',
        404,
        'member_not_found',
        () => signedPost('/v1/orders', order({ memberId: randomUUID() })),
      ],
      [
        'future placedAt',
        400,
        'loyalty.placed_at_in_future',
        () =>
          signedPost(
            '/v1/orders',
            order({ placedAt: new Date(Date.now() + 3_600_000).toISOString() }),
          ),
      ],
    ];

    it.each(cases)('%s → %i %s', async (_name, status, code, send) => {
      const before = await writes();
      expectErrorBody(await send(), status, code);
      expect(await writes()).toEqual(before);
    });

    it('a replayed request → 401 loyalty.request_replayed, nothing written twice', async () => {
      const raw = JSON.stringify(order());
      const headers = signStorefrontRequest({
        apiKey: tenant.apiKey.key,
        method: 'POST',
        path: '/v1/orders',
        body: raw,
      });
      const first = await api.http().post('/v1/orders').set(headers).send(raw);
      expect(first.status).toBe(201);
      const before = await writes();
      expectErrorBody(
        await api.http().post('/v1/orders').set(headers).send(raw),
        401,
        'loyalty.request_replayed',
      );
      expect(await writes()).toEqual(before);
    });

    it("another brand's key cannot refund this brand's order (404)", async () => {
      const other = await seedTenant(api, 'other');
      const body = order();
      expect((await signedPost('/v1/orders', body)).status).toBe(201);
      const before = await writes();
      const res = await signedPost(
        `/v1/orders/${body.orderId}/refunds`,
        { refundId: 'RF-x', full: true },
        { key: other.apiKey.key },
      );
      expectErrorBody(res, 404, 'loyalty.order_not_found');
      expect(await writes()).toEqual(before);
    });
  });

  it('20 concurrent posts of the same order → one order, one earn entry, identical bodies', async () => {
    const member = await registerMember(api, tenant.slug);
    const body = order({ memberId: member.id });
    const now = Math.floor(Date.now() / 1000);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signedPost('/v1/orders', body, { timestamp: now + 1 + (i % 10) - (i >= 10 ? 290 : 0) }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    for (const r of responses) expect(r.body).toEqual(responses[0].body);
    expect(
      await countRows(api.db, 'select 1 from orders where brand_id = $1 and external_id = $2', [
        tenant.brandId,
        body.orderId,
      ]),
    ).toBe(1);
    expect(
      await countRows(
        api.db,
        "select 1 from ledger_entries where brand_id = $1 and member_id = $2 and kind = 'earn'",
        [tenant.brandId, member.id],
      ),
    ).toBe(1);
    expect(await invariants()).toEqual([]);
  });

  it('survey and share events award the brand rule once per sourceId', async () => {
    const owner = tenant.owner.accessToken;
    const rule = await api
      .http()
      .post('/v1/loyalty/rules')
      .set('authorization', `Bearer ${owner}`)
      .send({ kind: 'survey', name: 'Survey', points: 15, caps: { perDay: 1 } });
    expect(rule.status).toBe(201);
    const member = await registerMember(api, tenant.slug);
    const first = await signedPost('/v1/behaviour-events', {
      memberId: member.id,
      kind: 'survey',
      sourceId: 'S1',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ awarded: true, points: 15 });
    const again = await signedPost('/v1/behaviour-events', {
      memberId: member.id,
      kind: 'survey',
      sourceId: 'S1',
    });
    expect(again.body).toMatchObject({ awarded: true, points: 15 });
    const capped = await signedPost('/v1/behaviour-events', {
      memberId: member.id,
      kind: 'survey',
      sourceId: 'S2',
    });
    expect(capped.body).toMatchObject({ awarded: false, reason: 'cap_reached' });
    expect(
      await countRows(
        api.db,
        'select 1 from ledger_entries where brand_id = $1 and member_id = $2',
        [tenant.brandId, member.id],
      ),
    ).toBe(1);
    expectErrorBody(
      await signedPost('/v1/behaviour-events', {
        memberId: randomUUID(),
        kind: 'share',
        sourceId: 'X',
      }),
      404,
      'member_not_found',
    );
    expect(await invariants()).toEqual([]);
  });
});
