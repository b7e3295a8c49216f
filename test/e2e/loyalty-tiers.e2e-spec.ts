import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  seedTenant,
} from '../support/factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

describe('loyalty tiers and webhooks over HTTP (e2e)', () => {
  let api: ApiHarness;
  let brand: Tenant;
  let other: Tenant;
  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(async () => {
    api = await bootApi();
    brand = await seedTenant(api, 'tiers-a');
    other = await seedTenant(api, 'tiers-b');
  });
  afterAll(() => api?.close());

  const createTier = (token: string, body: Record<string, unknown>) =>
    api.http().post('/v1/loyalty/tiers').set('authorization', bearer(token)).send(body);

  describe('tier CRUD', () => {
    it('lets owners and marketers manage tiers, refuses moderators and members', async () => {
      const marketer = await createStaff(api, brand.slug, brand.owner.accessToken, 'marketer');
      const moderator = await createStaff(api, brand.slug, brand.owner.accessToken, 'moderator');

      const entry = await createTier(brand.owner.accessToken, {
        code: 'member',
        name: 'Member',
        rank: 0,
        perks: { birthdayGift: false },
      });
      expect(entry.status).toBe(201);
      expect(entry.body).toMatchObject({
        code: 'member',
        rank: 0,
        minSpendMinor: 0,
        multiplierBp: 10_000,
        perks: { birthdayGift: false },
      });
      const silver = await createTier(marketer.tokens.accessToken, {
        code: 'silver',
        name: 'Silver',
        rank: 1,
        minSpendMinor: 50_000,
        minOrders: 2,
        multiplierBp: 12_500,
        perks: { dropEarlyAccessMinutes: 15 },
      });
      expect(silver.status).toBe(201);

      expectErrorBody(
        await createTier(moderator.tokens.accessToken, { code: 'x', name: 'X', rank: 5 }),
        403,
        'insufficient_role',
      );
      expectErrorBody(
        await createTier(brand.memberTokens.accessToken, { code: 'x', name: 'X', rank: 5 }),
        403,
        'principal_not_allowed',
      );
      expectErrorBody(await api.http().get('/v1/loyalty/tiers'), 401);

      const list = await api
        .http()
        .get('/v1/loyalty/tiers')
        .set('authorization', bearer(marketer.tokens.accessToken));
      expect(list.status).toBe(200);
      expect((list.body as { items: { code: string }[] }).items.map((t) => t.code)).toEqual([
        'member',
        'silver',
      ]);

      const patched = await api
        .http()
        .patch(`/v1/loyalty/tiers/${(silver.body as { id: string }).id}`)
        .set('authorization', bearer(brand.owner.accessToken))
        .send({ name: 'Silver+', minOrders: 3 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Silver+', minOrders: 3, minSpendMinor: 50_000 });
    });

    it('validates: entry tier thresholds, entry first, unique rank and code, body shape', async () => {
      const owner = other.owner.accessToken;
      expectErrorBody(
        await createTier(owner, { code: 'gold', name: 'Gold', rank: 2, minSpendMinor: 1 }),
        400,
        'loyalty.entry_tier_required',
      );
      expectErrorBody(
        await createTier(owner, { code: 'member', name: 'Member', rank: 0, minOrders: 1 }),
        400,
        'loyalty.entry_tier_thresholds',
      );
      expect((await createTier(owner, { code: 'member', name: 'Member', rank: 0 })).status).toBe(
        201,
      );
      expectErrorBody(
        await createTier(owner, { code: 'basic', name: 'Basic', rank: 0 }),
        409,
        'loyalty.tier_rank_taken',
      );
      expectErrorBody(
        await createTier(owner, { code: 'member', name: 'Again', rank: 1 }),
        409,
        'loyalty.tier_code_taken',
      );
      expectErrorBody(
        await createTier(owner, { code: 'Bad Code', name: 'X', rank: 1, minSpendMinor: -5 }),
        400,
        'validation_failed',
      );
      expectErrorBody(
        await createTier(owner, { code: 'half', name: 'Half', rank: 1, minSpendMinor: 1.5 }),
        400,
        'validation_failed',
      );
      const gold = await createTier(owner, {
        code: 'gold',
        name: 'Gold',
        rank: 2,
        minSpendMinor: 100,
      });
      expect(gold.status).toBe(201);
      // The entry tier keeps rank 0 and is deleted last; a tier nobody holds can go.
      const tiers = (await api.http().get('/v1/loyalty/tiers').set('authorization', bearer(owner)))
        .body as { items: { id: string; code: string }[] };
      const entryId = tiers.items.find((t) => t.code === 'member')!.id;
      expectErrorBody(
        await api
          .http()
          .patch(`/v1/loyalty/tiers/${entryId}`)
          .set('authorization', bearer(owner))
          .send({ rank: 3 }),
        400,
        'loyalty.entry_tier_required',
      );
      expectErrorBody(
        await api.http().delete(`/v1/loyalty/tiers/${entryId}`).set('authorization', bearer(owner)),
        400,
        'loyalty.entry_tier_required',
      );
      const goldId = (gold.body as { id: string }).id;
      expect(
        (await api.http().delete(`/v1/loyalty/tiers/${goldId}`).set('authorization', bearer(owner)))
          .status,
      ).toBe(204);
      expectErrorBody(
        await api.http().get(`/v1/loyalty/tiers/${goldId}`).set('authorization', bearer(owner)),
        404,
        'loyalty.tier_not_found',
      );
    });
  });

  describe('member tier', () => {
    it('GET /v1/me/tier: entry tier, perks, multiplier, progress to the next tier and review date', async () => {
      const res = await api
        .http()
        .get('/v1/me/tier')
        .set('authorization', bearer(brand.memberTokens.accessToken));
      expect(res.status).toBe(200);
      const body = res.body as Record<string, unknown>;
      expect(body).toMatchObject({
        memberId: brand.member.id,
        tier: { code: 'member', rank: 0 },
        multiplierBp: 10_000,
        perks: { birthdayGift: false },
        qualifying: { spendMinor: 0, orders: 0, engagementPoints: 0 },
        progress: {
          next: { code: 'silver', rank: 1 },
          spendMinor: { have: 0, need: 50_000, remaining: 50_000 },
          orders: { have: 0, need: 3, remaining: 3 },
          engagementPoints: { have: 0, need: 0, remaining: 0 },
          qualifies: false,
        },
        warning: null,
      });
      const nextReview = Date.parse(body.nextReviewAt as string);
      expect(nextReview - Date.now()).toBeGreaterThan(360 * 86_400_000);

      const history = await api
        .http()
        .get('/v1/me/tier/history')
        .set('authorization', bearer(brand.memberTokens.accessToken));
      expect(history.status).toBe(200);
      expect(history.body).toMatchObject({
        items: [
          { reason: 'enrolled', fromTierId: null, toTierId: (body.tier as { id: string }).id },
        ],
        nextCursor: null,
      });
    });

    it('staff read a member’s tier and history; other brands’ members are 404', async () => {
      const staffView = await api
        .http()
        .get(`/v1/members/${brand.member.id}/tier`)
        .set('authorization', bearer(brand.owner.accessToken));
      expect(staffView.status).toBe(200);
      expect(staffView.body).toMatchObject({ memberId: brand.member.id, tier: { code: 'member' } });
      const history = await api
        .http()
        .get(`/v1/members/${brand.member.id}/tier/history?limit=1`)
        .set('authorization', bearer(brand.owner.accessToken));
      expect(history.status).toBe(200);

      expectErrorBody(
        await api
          .http()
          .get(`/v1/members/${other.member.id}/tier`)
          .set('authorization', bearer(brand.owner.accessToken)),
        404,
        'member_not_found',
      );
      expectErrorBody(
        await api
          .http()
          .get(`/v1/members/${other.member.id}/tier/history`)
          .set('authorization', bearer(brand.owner.accessToken)),
        404,
        'member_not_found',
      );
      const otherTiers = (
        await api
          .http()
          .get('/v1/loyalty/tiers')
          .set('authorization', bearer(other.owner.accessToken))
      ).body as { items: { id: string }[] };
      expectErrorBody(
        await api
          .http()
          .patch(`/v1/loyalty/tiers/${otherTiers.items[0].id}`)
          .set('authorization', bearer(brand.owner.accessToken))
          .send({ name: 'hijacked' }),
        404,
        'loyalty.tier_not_found',
      );
      expectErrorBody(
        await api
          .http()
          .get(`/v1/members/${brand.member.id}/tier`)
          .set('authorization', bearer(brand.memberTokens.accessToken)),
        403,
      );
    });

    it('is 404 with a code when the brand has no tiers', async () => {
      const bare = await seedTenant(api, 'tiers-none');
      expectErrorBody(
        await api
          .http()
          .get('/v1/me/tier')
          .set('authorization', bearer(bare.memberTokens.accessToken)),
        404,
        'loyalty.tiers_not_configured',
      );
    });
  });

  describe('webhooks', () => {
    it('owner CRUD, secret shown once, https only (http for localhost in test), tenant-scoped', async () => {
      const owner = brand.owner.accessToken;
      const created = await api
        .http()
        .post('/v1/webhooks')
        .set('authorization', bearer(owner))
        .send({ url: 'https://hooks.example.com/loyalty', topics: ['tier.*'] });
      expect(created.status).toBe(201);
      const hook = created.body as { id: string; secret: string };
      expect(hook.secret).toMatch(/^whsec_/);
      expect(created.body).toMatchObject({ topics: ['tier.*'], active: true });

      const local = await api
        .http()
        .post('/v1/webhooks')
        .set('authorization', bearer(owner))
        .send({ url: 'http://127.0.0.1:9/hook' });
      expect(local.status).toBe(201);
      expectErrorBody(
        await api
          .http()
          .post('/v1/webhooks')
          .set('authorization', bearer(owner))
          .send({ url: 'http://hooks.example.com/x' }),
        400,
        'loyalty.webhook_url_invalid',
      );
      expectErrorBody(
        await api
          .http()
          .post('/v1/webhooks')
          .set('authorization', bearer(owner))
          .send({ url: 'https://x.example.com', topics: ['Not A Topic'] }),
        400,
        'validation_failed',
      );

      const list = await api.http().get('/v1/webhooks').set('authorization', bearer(owner));
      expect(list.status).toBe(200);
      const items = (list.body as { items: Record<string, unknown>[] }).items;
      expect(items).toHaveLength(2);
      expect(items.every((item) => !('secret' in item))).toBe(true);

      const patched = await api
        .http()
        .patch(`/v1/webhooks/${hook.id}`)
        .set('authorization', bearer(owner))
        .send({ active: false, topics: [] });
      expect(patched.body).toMatchObject({ active: false, topics: [] });

      const marketer = await createStaff(api, brand.slug, owner, 'marketer');
      expectErrorBody(
        await api
          .http()
          .get('/v1/webhooks')
          .set('authorization', bearer(marketer.tokens.accessToken)),
        403,
        'insufficient_role',
      );
      expectErrorBody(
        await api
          .http()
          .get(`/v1/webhooks/${hook.id}`)
          .set('authorization', bearer(other.owner.accessToken)),
        404,
        'loyalty.webhook_not_found',
      );
      expectErrorBody(
        await api
          .http()
          .delete(`/v1/webhooks/${hook.id}`)
          .set('authorization', bearer(other.owner.accessToken)),
        404,
        'loyalty.webhook_not_found',
      );
      expect(
        (await api.http().delete(`/v1/webhooks/${hook.id}`).set('authorization', bearer(owner)))
          .status,
      ).toBe(204);
    });
  });
});
