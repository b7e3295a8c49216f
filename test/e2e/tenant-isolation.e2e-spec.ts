import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Test } from 'supertest';
import { apiKeys, staffUsers } from '@app/db';
import {
  type ApiHarness,
  DEFAULT_PASSWORD,
  bootApi,
  createStaff,
  expectErrorBody,
  seedTenant,
} from '../support/factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;
type PrincipalName = 'member' | 'staff' | 'apiKey';

interface BrandBIds {
  memberId: string;
  ownerId: string;
  moderatorId: string;
  apiKeyId: string;
}

interface ResourceRoute {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: (ids: BrandBIds) => string;
  /** Principals the route admits at all (others get 403 whatever the id). */
  admits: PrincipalName[];
  notFoundCode: string;
}

/** Every route that addresses one brand-scoped resource by id. */
const RESOURCE_ROUTES: ResourceRoute[] = [
  {
    name: 'member (staff view)',
    method: 'get',
    path: (b) => `/v1/members/${b.memberId}`,
    admits: ['staff'],
    notFoundCode: 'member_not_found',
  },
  {
    name: 'member card',
    method: 'get',
    path: (b) => `/v1/members/${b.memberId}/card`,
    admits: ['member', 'staff', 'apiKey'],
    notFoundCode: 'member_not_found',
  },
  {
    name: 'storefront member',
    method: 'get',
    path: (b) => `/v1/storefront/members/${b.memberId}`,
    admits: ['apiKey'],
    notFoundCode: 'member_not_found',
  },
  {
    name: 'staff user',
    method: 'get',
    path: (b) => `/v1/staff/${b.moderatorId}`,
    admits: ['staff'],
    notFoundCode: 'staff_not_found',
  },
  {
    name: 'brand owner',
    method: 'get',
    path: (b) => `/v1/staff/${b.ownerId}`,
    admits: ['staff'],
    notFoundCode: 'staff_not_found',
  },
  {
    name: 'disable staff',
    method: 'post',
    path: (b) => `/v1/staff/${b.moderatorId}/disable`,
    admits: ['staff'],
    notFoundCode: 'staff_not_found',
  },
  {
    name: 'API key',
    method: 'get',
    path: (b) => `/v1/api-keys/${b.apiKeyId}`,
    admits: ['staff'],
    notFoundCode: 'api_key_not_found',
  },
  {
    name: 'revoke API key',
    method: 'delete',
    path: (b) => `/v1/api-keys/${b.apiKeyId}`,
    admits: ['staff'],
    notFoundCode: 'api_key_not_found',
  },
];

describe('tenant isolation: brand A never sees or changes brand B (e2e)', () => {
  let api: ApiHarness;
  let a: Tenant;
  let b: Tenant;
  let bIds: BrandBIds;
  /** Strings that must never appear in a response to brand A. */
  let bSecrets: string[];

  const call = (principal: PrincipalName, route: ResourceRoute, ids: BrandBIds): Test => {
    const req = api.http()[route.method](route.path(ids));
    if (principal === 'apiKey') return req.set('x-api-key', a.apiKey.key);
    const token = principal === 'member' ? a.memberTokens.accessToken : a.owner.accessToken;
    return req.set('authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    api = await bootApi();
    a = await seedTenant(api, 'brand-a');
    b = await seedTenant(api, 'brand-b');
    const moderatorB = await createStaff(api, b.slug, b.owner.accessToken, 'moderator');
    bIds = {
      memberId: b.member.id,
      ownerId: b.owner.subject.id,
      moderatorId: moderatorB.id,
      apiKeyId: b.apiKey.id,
    };
    bSecrets = [
      b.brandId,
      b.member.email,
      b.member.referralCode,
      b.fixture.owner.email,
      moderatorB.email,
      b.apiKey.prefix,
    ];
  });

  afterAll(() => api?.close());

  describe.each([
    ['a member', 'member'],
    ['the owner (staff with every permission)', 'staff'],
    ['a storefront API key', 'apiKey'],
  ] as const)('%s of brand A', (_label: string, principal: PrincipalName) => {
    const cases = RESOURCE_ROUTES.map((route) => {
      const expected = route.admits.includes(principal) ? 404 : 403;
      return [
        `${route.method.toUpperCase()} ${route.name} of brand B → ${expected}`,
        route,
        expected,
      ] as const;
    });

    it.each(cases)('%s, and no brand B data', async (_title, route, expected) => {
      const res = await call(principal, route, bIds);
      const code = expectErrorBody(res, expected);
      expect(code).toBe(expected === 404 ? route.notFoundCode : 'principal_not_allowed');
      const text = JSON.stringify(res.body);
      for (const secret of bSecrets) expect(text).not.toContain(secret);
    });
  });

  it('a 404 for a brand-B id is indistinguishable from a 404 for an id that exists nowhere', async () => {
    const nowhere: BrandBIds = {
      memberId: randomUUID(),
      ownerId: randomUUID(),
      moderatorId: randomUUID(),
      apiKeyId: randomUUID(),
    };
    for (const route of RESOURCE_ROUTES) {
      for (const principal of route.admits) {
        const [foreign, missing] = [
          await call(principal, route, bIds),
          await call(principal, route, nowhere),
        ];
        expect({
          status: foreign.status,
          error: (foreign.body as { error: unknown }).error,
        }).toEqual({
          status: missing.status,
          error: (missing.body as { error: unknown }).error,
        });
      }
    }
  });

  it('the same routes work for brand A’s own resources (the 404s above are about tenancy)', async () => {
    const own: BrandBIds = {
      memberId: a.member.id,
      ownerId: a.owner.subject.id,
      moderatorId: a.owner.subject.id,
      apiKeyId: a.apiKey.id,
    };
    for (const route of RESOURCE_ROUTES.filter((r) => r.method === 'get')) {
      for (const principal of route.admits) {
        const res = await call(principal, route, own);
        expect({ route: route.name, principal, status: res.status }).toEqual({
          route: route.name,
          principal,
          status: 200,
        });
      }
    }
  });

  it('brand B is unchanged after brand A’s attempts to disable and revoke', async () => {
    const [moderator] = await api.db.db
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.brandId, b.brandId), eq(staffUsers.id, bIds.moderatorId)));
    expect(moderator.disabledAt).toBeNull();
    const [key] = await api.db.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.brandId, b.brandId), eq(apiKeys.id, bIds.apiKeyId)));
    expect(key.revokedAt).toBeNull();
    await api
      .http()
      .get(`/v1/storefront/members/${b.member.id}`)
      .set('x-api-key', b.apiKey.key)
      .expect(200);
  });

  it('listings only ever contain the caller’s brand', async () => {
    const owner = `Bearer ${a.owner.accessToken}`;
    for (const path of ['/v1/members', '/v1/staff', '/v1/api-keys']) {
      const res = await api.http().get(path).set('authorization', owner).expect(200);
      const text = JSON.stringify(res.body);
      for (const secret of bSecrets) expect(text).not.toContain(secret);
      for (const item of (res.body as { items: { brandId?: string }[] }).items) {
        if (item.brandId !== undefined) expect(item.brandId).toBe(a.brandId);
      }
    }
    const me = await api
      .http()
      .get('/v1/me')
      .set('authorization', `Bearer ${a.memberTokens.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: a.member.id, brandId: a.brandId });
  });

  it('credentials of brand A do not log in to brand B', async () => {
    expectErrorBody(
      await api
        .http()
        .post('/v1/auth/member/login')
        .send({ brandSlug: b.slug, email: a.member.email, password: DEFAULT_PASSWORD }),
      401,
      'invalid_credentials',
    );
    expectErrorBody(
      await api
        .http()
        .post('/v1/auth/staff/login')
        .send({ brandSlug: b.slug, email: a.fixture.owner.email, password: DEFAULT_PASSWORD }),
      401,
      'invalid_credentials',
    );
  });

  it('a referral code of brand B is unknown in brand A', async () => {
    const res = await api
      .http()
      .post(`/v1/brands/${a.slug}/members`)
      .send({
        email: `ref.${b.member.referralCode.toLowerCase()}@example.test`,
        password: DEFAULT_PASSWORD,
        referralCode: b.member.referralCode,
      });
    expectErrorBody(res, 400, 'unknown_referral_code');
  });
});
