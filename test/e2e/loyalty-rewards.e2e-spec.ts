import { and, eq } from 'drizzle-orm';
import { auditLog, coupons, rewards } from '@app/db';
import { LedgerService } from '@app/loyalty';
import { signStorefrontRequest } from '../support/storefront-signing';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;
const bearer = (token: string) => `Bearer ${token}`;

describe('loyalty rewards and coupons (e2e)', () => {
  let api: ApiHarness;
  let a: Tenant;
  let b: Tenant;
  let marketer: Awaited<ReturnType<typeof createStaff>>;
  let moderator: Awaited<ReturnType<typeof createStaff>>;
  let ledger: LedgerService;

  const earn = (brandId: string, memberId: string, points: number, key: string) =>
    ledger.earn(brandId, memberId, {
      points,
      reason: 'purchase',
      source: 'order',
      actor: { type: 'system' },
      dedupeKey: key,
    });

  beforeAll(async () => {
    api = await bootApi();
    a = await seedTenant(api, 'rwa');
    b = await seedTenant(api, 'rwb');
    marketer = await createStaff(api, a.slug, a.owner.accessToken, 'marketer');
    moderator = await createStaff(api, a.slug, a.owner.accessToken, 'moderator');
    ledger = api.app.get(LedgerService);
    await earn(a.brandId, a.member.id, 1000, 'seed-a');
  });

  afterAll(() => api?.close());

  /** A signed storefront call; a fresh nonce each time, so identical bodies are not replays. */
  const storefront = (path: string, key: string, body: unknown) => {
    const raw = JSON.stringify(body);
    const headers = signStorefrontRequest({ apiKey: key, method: 'POST', path, body: raw });
    return api.http().post(path).set(headers).send(raw);
  };

  const createTemplate = (token: string, body: Record<string, unknown>) =>
    api.http().post('/v1/coupon-templates').set('authorization', bearer(token)).send(body);
  const createReward = (token: string, body: Record<string, unknown>) =>
    api.http().post('/v1/rewards').set('authorization', bearer(token)).send(body);

  it('catalogue CRUD is for owners and marketers only, and audited', async () => {
    const template = await createTemplate(a.owner.accessToken, {
      name: '€5 off',
      kind: 'amount_off',
      value: 500,
      minSpendMinor: 1000,
      validDays: 30,
    }).expect(201);
    expect(template.body).toMatchObject({
      kind: 'amount_off',
      value: 500,
      issuedCount: 0,
      active: true,
    });

    const reward = await createReward(marketer.tokens.accessToken, {
      type: 'product',
      name: 'Tote',
      costPoints: 100,
      stock: 5,
    }).expect(201);
    const id = (reward.body as { id: string }).id;
    const patched = await api
      .http()
      .patch(`/v1/rewards/${id}`)
      .set('authorization', bearer(marketer.tokens.accessToken))
      .send({ stock: 10, description: 'Canvas tote' })
      .expect(200);
    expect(patched.body).toMatchObject({ stock: 10, description: 'Canvas tote', costPoints: 100 });
    const list = await api
      .http()
      .get('/v1/rewards')
      .set('authorization', bearer(a.owner.accessToken))
      .expect(200);
    expect((list.body as { items: { id: string }[] }).items.map((r) => r.id)).toContain(id);

    expectErrorBody(
      await createReward(moderator.tokens.accessToken, {
        type: 'product',
        name: 'x',
        costPoints: 1,
      }),
      403,
      'insufficient_role',
    );
    expectErrorBody(
      await createTemplate(a.memberTokens.accessToken, { name: 'x', kind: 'amount_off', value: 1 }),
      403,
      'principal_not_allowed',
    );
    expectErrorBody(await api.http().get('/v1/rewards').send(), 401);
    expectErrorBody(
      await api.http().get('/v1/coupon-templates').set('x-api-key', a.apiKey.key),
      403,
      'principal_not_allowed',
    );

    expectErrorBody(
      await api
        .http()
        .delete(`/v1/rewards/${id}`)
        .set('authorization', bearer(moderator.tokens.accessToken)),
      403,
      'insufficient_role',
    );
    await api
      .http()
      .delete(`/v1/rewards/${id}`)
      .set('authorization', bearer(marketer.tokens.accessToken))
      .expect(204);
    const retired = await api
      .http()
      .get(`/v1/rewards/${id}`)
      .set('authorization', bearer(a.owner.accessToken))
      .expect(200);
    expect(retired.body).toMatchObject({ active: false });
    const catalogue = await api
      .http()
      .get('/v1/me/rewards')
      .set('authorization', bearer(a.memberTokens.accessToken))
      .expect(200);
    expect((catalogue.body as { items: { id: string }[] }).items.map((r) => r.id)).not.toContain(
      id,
    );

    const [entry] = await api.db.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.brandId, a.brandId),
          eq(auditLog.targetId, id),
          eq(auditLog.action, 'reward.created'),
        ),
      );
    expect(entry).toMatchObject({ actorId: marketer.id });
  });

  it('rejects bad input with 400 and field codes', async () => {
    const token = a.owner.accessToken;
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'p', kind: 'percent_off', value: 20000 }, 'value'],
      [{ name: 'a', kind: 'amount_off', value: 0 }, 'value'],
      [{ name: 'f', kind: 'free_item' }, 'freeProductId'],
      [{ name: 'k', kind: 'bogus', value: 1 }, 'kind'],
      [
        {
          name: 'w',
          kind: 'amount_off',
          value: 1,
          validFrom: '2026-02-01T00:00:00Z',
          validTo: '2026-01-01T00:00:00Z',
        },
        'validTo',
      ],
      [{ name: 'u', kind: 'amount_off', value: 1, extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await createTemplate(token, body);
      expectErrorBody(res, 400, 'validation_failed');
      expect(
        Object.keys((res.body as { error: { details: { fields: object } } }).error.details.fields),
      ).toContain(field);
    }
    const rewardCases: [Record<string, unknown>, string][] = [
      [{ type: 'coupon', name: 'c', costPoints: 10 }, 'couponTemplateId'],
      [{ type: 'product', name: 'z', costPoints: 0 }, 'costPoints'],
      [{ type: 'product', name: 'n', costPoints: 10, stock: -1 }, 'stock'],
      [
        {
          type: 'coupon',
          name: 'o',
          costPoints: 10,
          couponTemplateId: '7f1c1f0e-2a5b-4c61-9a0e-3f2d8f7b9c10',
        },
        'couponTemplateId',
      ],
    ];
    for (const [body, field] of rewardCases) {
      const res = await createReward(token, body);
      expectErrorBody(res, 400, 'validation_failed');
      expect(
        Object.keys((res.body as { error: { details: { fields: object } } }).error.details.fields),
      ).toContain(field);
    }
    expectErrorBody(
      await api.http().get('/v1/rewards/not-a-uuid').set('authorization', bearer(token)),
      400,
      'validation_failed',
    );
    const validate = await storefront('/v1/coupons/validate', a.apiKey.key, {
      code: 'ABCDE-FGHJK',
      orderSubtotalMinor: -5,
    });
    expectErrorBody(validate, 400, 'validation_failed');
    expectErrorBody(
      await storefront('/v1/coupons/validate', a.apiKey.key, {
        code: 'ABCDE-FGHJK',
        orderSubtotalMinor: 100,
        currency: 'JPY',
      }),
      400,
      'loyalty.currency_mismatch',
    );

    // Checkout calls are signed like order ingestion: unsigned, badly signed or replayed → 401.
    const body = { code: 'ABCDE-FGHJK', orderId: 'o-1', orderSubtotalMinor: 100 };
    expectErrorBody(
      await api.http().post('/v1/coupons/redeem').set('x-api-key', a.apiKey.key).send(body),
      401,
      'loyalty.signature_missing',
    );
    const raw = JSON.stringify(body);
    const headers = signStorefrontRequest({
      apiKey: a.apiKey.key,
      method: 'POST',
      path: '/v1/coupons/redeem',
      body: raw,
    });
    expectErrorBody(
      await api
        .http()
        .post('/v1/coupons/redeem')
        .set(headers)
        .send(JSON.stringify({ ...body, orderSubtotalMinor: 1 })),
      401,
      'loyalty.signature_invalid',
    );
    expectErrorBody(
      await api.http().post('/v1/coupons/redeem').set(headers).send(raw),
      404,
      'loyalty.coupon_not_found',
    );
    expectErrorBody(
      await api.http().post('/v1/coupons/redeem').set(headers).send(raw),
      401,
      'loyalty.request_replayed',
    );
  });

  it('a member redeems a coupon reward: idempotent, spends once, gets a code that checks out once', async () => {
    const template = await createTemplate(a.owner.accessToken, {
      name: '10% off',
      kind: 'percent_off',
      value: 1000,
      minSpendMinor: 500,
      validDays: 14,
    }).expect(201);
    const reward = await createReward(a.owner.accessToken, {
      type: 'coupon',
      name: '10% voucher',
      costPoints: 300,
      stock: 10,
      perMemberLimit: 2,
      couponTemplateId: (template.body as { id: string }).id,
    }).expect(201);
    const rewardId = (reward.body as { id: string }).id;
    const member = bearer(a.memberTokens.accessToken);

    const available = await api
      .http()
      .get('/v1/me/rewards')
      .set('authorization', member)
      .expect(200);
    expect(available.body).toMatchObject({ balance: 1000 });
    expect(
      (available.body as { items: { id: string; affordable: boolean }[] }).items,
    ).toContainEqual(
      expect.objectContaining({ id: rewardId, affordable: true, remainingForMember: 2 }),
    );

    expectErrorBody(
      await api.http().post(`/v1/rewards/${rewardId}/redemptions`).set('authorization', member),
      400,
      'loyalty.idempotency_key_required',
    );
    const first = await api
      .http()
      .post(`/v1/rewards/${rewardId}/redemptions`)
      .set('authorization', member)
      .set('idempotency-key', 'redeem-1')
      .expect(201);
    const retry = await api
      .http()
      .post(`/v1/rewards/${rewardId}/redemptions`)
      .set('authorization', member)
      .set('idempotency-key', 'redeem-1')
      .expect(200);
    expect(retry.body).toEqual(first.body);
    const redemption = first.body as {
      id: string;
      points: number;
      coupon: { code: string; id: string };
    };
    expect(redemption.points).toBe(300);
    expect(redemption.coupon.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect((await ledger.balance(a.brandId, a.member.id)).balance).toBe(700);

    const mine = await api
      .http()
      .get('/v1/me/coupons?status=issued')
      .set('authorization', member)
      .expect(200);
    expect((mine.body as { items: { id: string }[] }).items).toEqual([
      expect.objectContaining({ id: redemption.coupon.id, kind: 'percent_off', status: 'issued' }),
    ]);
    const staffView = await api
      .http()
      .get(`/v1/rewards/${rewardId}/redemptions`)
      .set('authorization', bearer(marketer.tokens.accessToken))
      .expect(200);
    expect((staffView.body as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([
      redemption.id,
    ]);

    // Storefront checkout with the code.
    const key = a.apiKey.key;
    const validate = (body: Record<string, unknown>) =>
      storefront('/v1/coupons/validate', key, body).expect(200);
    expect(
      (
        await validate({
          code: redemption.coupon.code.toLowerCase(),
          memberId: a.member.id,
          orderSubtotalMinor: 1999,
        })
      ).body,
    ).toMatchObject({ valid: true, discountMinor: 199, reason: null, kind: 'percent_off' });
    expect(
      (await validate({ code: redemption.coupon.code, orderSubtotalMinor: 1999 })).body,
    ).toMatchObject({
      valid: false,
      reason: 'wrong_member',
    });
    expect(
      (
        await validate({
          code: redemption.coupon.code,
          memberId: a.member.id,
          orderSubtotalMinor: 499,
        })
      ).body,
    ).toMatchObject({ valid: false, reason: 'min_spend_not_met', discountMinor: 0 });
    expect((await validate({ code: 'ZZZZZ-ZZZZZ', orderSubtotalMinor: 1999 })).body).toMatchObject({
      valid: false,
      reason: 'not_found',
    });

    const redeem = (orderId: string) =>
      storefront('/v1/coupons/redeem', key, {
        code: redemption.coupon.code,
        memberId: a.member.id,
        orderId,
        orderSubtotalMinor: 1999,
      });
    const used = await redeem('order-1').expect(200);
    expect(used.body).toMatchObject({ orderId: 'order-1', discountMinor: 199 });
    expect((await redeem('order-1').expect(200)).body).toEqual(used.body);
    expectErrorBody(await redeem('order-2'), 409, 'loyalty.coupon_already_redeemed');
    expect(
      (
        await validate({
          code: redemption.coupon.code,
          memberId: a.member.id,
          orderSubtotalMinor: 1999,
        })
      ).body,
    ).toMatchObject({ valid: false, reason: 'already_redeemed' });
    const redeemedList = await api
      .http()
      .get('/v1/me/coupons?status=redeemed')
      .set('authorization', member)
      .expect(200);
    expect((redeemedList.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('maps redemption refusals to 409/403 and leaves stock and points alone', async () => {
    const poor = await registerMember(api, a.slug);
    const poorToken = bearer((await loginMember(api, a.slug, poor.email)).accessToken);
    await earn(a.brandId, poor.id, 50, 'seed-poor');
    const make = async (body: Record<string, unknown>) =>
      (
        (
          await createReward(a.owner.accessToken, { type: 'product', name: 'r', ...body }).expect(
            201,
          )
        ).body as { id: string }
      ).id;
    const redeem = (id: string, key: string, token = poorToken) =>
      api
        .http()
        .post(`/v1/rewards/${id}/redemptions`)
        .set('authorization', token)
        .set('idempotency-key', key);

    const pricey = await make({ costPoints: 100, stock: 1 });
    expectErrorBody(await redeem(pricey, 'x1'), 409, 'loyalty.insufficient_points');
    const gone = await make({ costPoints: 10, stock: 0 });
    expectErrorBody(await redeem(gone, 'x2'), 409, 'loyalty.reward_out_of_stock');
    const gold = await make({ costPoints: 10, minTierRank: 1 });
    expectErrorBody(await redeem(gold, 'x3'), 403, 'loyalty.reward_tier_too_low');
    const once = await make({ costPoints: 10, perMemberLimit: 1 });
    await redeem(once, 'x4').expect(201);
    expectErrorBody(await redeem(once, 'x5'), 409, 'loyalty.reward_limit_reached');
    expect((await ledger.balance(a.brandId, poor.id)).balance).toBe(40);
    const [row] = await api.db.db
      .select()
      .from(rewards)
      .where(and(eq(rewards.brandId, a.brandId), eq(rewards.id, pricey)));
    expect(row.stock).toBe(1);
  });

  it('staff issue a code with an Idempotency-Key; caps and other brands’ members are refused', async () => {
    const template = await createTemplate(marketer.tokens.accessToken, {
      name: 'Free sample',
      kind: 'free_item',
      freeProductId: 'sku-sample',
      perMemberCap: 1,
    }).expect(201);
    const id = (template.body as { id: string }).id;
    const issue = (memberId: string, key: string) =>
      api
        .http()
        .post(`/v1/coupon-templates/${id}/issue`)
        .set('authorization', bearer(marketer.tokens.accessToken))
        .set('idempotency-key', key)
        .send({ memberId });
    const first = await issue(a.member.id, 'issue-1').expect(201);
    expect((await issue(a.member.id, 'issue-1').expect(201)).body).toEqual(first.body);
    expectErrorBody(await issue(a.member.id, 'issue-2'), 409, 'loyalty.coupon_member_cap_reached');
    expectErrorBody(await issue(b.member.id, 'issue-3'), 404, 'member_not_found');
    expectErrorBody(
      await api
        .http()
        .post(`/v1/coupon-templates/${id}/issue`)
        .set('authorization', bearer(marketer.tokens.accessToken))
        .send({ memberId: a.member.id }),
      400,
      'loyalty.idempotency_key_required',
    );

    // free_item: worth the free product's unit price when the cart carries it.
    const code = (first.body as { code: string }).code;
    const check = await storefront('/v1/coupons/validate', a.apiKey.key, {
      code,
      memberId: a.member.id,
      orderSubtotalMinor: 3000,
      lines: [{ productId: 'sku-sample', quantity: 1, unitPriceMinor: 750 }],
    }).expect(200);
    expect(check.body).toMatchObject({ valid: true, discountMinor: 750, kind: 'free_item' });
    const issued = await api.db.db
      .select()
      .from(coupons)
      .where(and(eq(coupons.brandId, a.brandId), eq(coupons.templateId, id)));
    expect(issued).toHaveLength(1);
  });

  it('another brand sees 404s and cannot use brand A’s codes', async () => {
    const template = await createTemplate(a.owner.accessToken, {
      name: 'A only',
      kind: 'amount_off',
      value: 100,
    }).expect(201);
    const templateId = (template.body as { id: string }).id;
    const reward = await createReward(a.owner.accessToken, {
      type: 'donation',
      name: 'Trees',
      costPoints: 1,
    }).expect(201);
    const rewardId = (reward.body as { id: string }).id;
    const issued = await api
      .http()
      .post(`/v1/coupon-templates/${templateId}/issue`)
      .set('authorization', bearer(a.owner.accessToken))
      .set('idempotency-key', 'x-tenant')
      .send({ memberId: a.member.id })
      .expect(201);
    const code = (issued.body as { code: string }).code;
    const bOwner = bearer(b.owner.accessToken);

    expectErrorBody(
      await api.http().get(`/v1/rewards/${rewardId}`).set('authorization', bOwner),
      404,
      'loyalty.reward_not_found',
    );
    expectErrorBody(
      await api
        .http()
        .patch(`/v1/rewards/${rewardId}`)
        .set('authorization', bOwner)
        .send({ stock: 0 }),
      404,
      'loyalty.reward_not_found',
    );
    expectErrorBody(
      await api.http().get(`/v1/rewards/${rewardId}/redemptions`).set('authorization', bOwner),
      404,
      'loyalty.reward_not_found',
    );
    expectErrorBody(
      await api.http().get(`/v1/coupon-templates/${templateId}`).set('authorization', bOwner),
      404,
      'loyalty.coupon_template_not_found',
    );
    expectErrorBody(
      await api
        .http()
        .post(`/v1/coupon-templates/${templateId}/issue`)
        .set('authorization', bOwner)
        .set('idempotency-key', 'x')
        .send({ memberId: b.member.id }),
      404,
      'loyalty.coupon_template_not_found',
    );
    expectErrorBody(
      await api
        .http()
        .post(`/v1/rewards/${rewardId}/redemptions`)
        .set('authorization', bearer(b.memberTokens.accessToken))
        .set('idempotency-key', 'x'),
      404,
      'loyalty.reward_not_found',
    );
    const foreign = await storefront('/v1/coupons/validate', b.apiKey.key, {
      code,
      memberId: a.member.id,
      orderSubtotalMinor: 1000,
    }).expect(200);
    expect(foreign.body).toMatchObject({ valid: false, reason: 'not_found' });
    expectErrorBody(
      await storefront('/v1/coupons/redeem', b.apiKey.key, {
        code,
        memberId: a.member.id,
        orderId: 'b-1',
        orderSubtotalMinor: 1000,
      }),
      404,
      'loyalty.coupon_not_found',
    );
    expectErrorBody(
      await api.http().delete(`/v1/coupon-templates/${templateId}`).set('authorization', bOwner),
      404,
      'loyalty.coupon_template_not_found',
    );
    // Retiring the template makes its codes inactive at checkout.
    await api
      .http()
      .delete(`/v1/coupon-templates/${templateId}`)
      .set('authorization', bearer(a.owner.accessToken))
      .expect(204);
    const retired = await storefront('/v1/coupons/validate', a.apiKey.key, {
      code,
      memberId: a.member.id,
      orderSubtotalMinor: 1000,
    }).expect(200);
    expect(retired.body).toMatchObject({ valid: false, reason: 'inactive' });
    const bList = await api
      .http()
      .get('/v1/me/rewards')
      .set('authorization', bearer(b.memberTokens.accessToken))
      .expect(200);
    expect((bList.body as { items: { id: string }[] }).items.map((r) => r.id)).not.toContain(
      rewardId,
    );
  });
  it('10 concurrent HTTP redemptions with one Idempotency-Key: one 201, the rest 200 with the same body', async () => {
    const reward = await createReward(a.owner.accessToken, {
      type: 'service',
      name: 'Gift wrap',
      costPoints: 7,
    }).expect(201);
    const rewardId = (reward.body as { id: string }).id;
    const before = (await ledger.balance(a.brandId, a.member.id)).balance;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api
          .http()
          .post(`/v1/rewards/${rewardId}/redemptions`)
          .set('authorization', bearer(a.memberTokens.accessToken))
          .set('idempotency-key', 'http-same-key'),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(responses.map((r) => (r.body as { id: string }).id)).size).toBe(1);
    expect((await ledger.balance(a.brandId, a.member.id)).balance).toBe(before - 7);
  });

  it('documents the rewards and coupon routes in OpenAPI', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/rewards',
        '/v1/rewards/{id}',
        '/v1/rewards/{id}/redemptions',
        '/v1/coupon-templates',
        '/v1/coupon-templates/{id}/issue',
        '/v1/coupons/validate',
        '/v1/coupons/redeem',
        '/v1/me/rewards',
        '/v1/me/coupons',
      ]),
    );
  });
});
