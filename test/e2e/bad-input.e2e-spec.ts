import {
  type ApiHarness,
  DEFAULT_PASSWORD,
  bootApi,
  expectErrorBody,
  seedTenant,
  uniqueEmail,
} from '../support/factories';

const BODY_LIMIT = 4096;

describe('bad input never reaches a 500 (e2e)', () => {
  let api: ApiHarness;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  const owner = () => `Bearer ${tenant.owner.accessToken}`;
  const register = () => api.http().post(`/v1/brands/${tenant.slug}/members`);

  beforeAll(async () => {
    api = await bootApi({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    tenant = await seedTenant(api, 'input');
  });

  afterAll(() => api?.close());

  it('malformed JSON → 400 with the error body', async () => {
    const res = await register()
      .set('content-type', 'application/json')
      .send('{"email": "a@b.test", "password": ');
    expectErrorBody(res, 400, 'malformed_body');
    expect((res.body as { error: { message: string } }).error.message).toMatch(/JSON/);
  });

  it('unknown fields → 400 validation_failed naming them (top level and nested)', async () => {
    const res = await register().send({
      email: uniqueEmail(),
      password: DEFAULT_PASSWORD,
      isAdmin: true,
      profile: { city: 'X', role: 'owner' },
    });
    expectErrorBody(res, 400, 'validation_failed');
    const fields = (res.body as { error: { details: { fields: Record<string, string[]> } } }).error
      .details.fields;
    expect(Object.keys(fields).sort()).toEqual(['isAdmin', 'profile.role']);
    expect(fields.isAdmin).toEqual(['property isAdmin should not exist']);
  });

  it('wrong types → 400 validation_failed per field', async () => {
    const res = await register().send({
      email: 42,
      password: ['x'],
      firstName: { a: 1 },
      birthday: 19900101,
      consents: { email: 'yes' },
      profile: 'London',
    });
    expectErrorBody(res, 400, 'validation_failed');
    const fields = (res.body as { error: { details: { fields: Record<string, string[]> } } }).error
      .details.fields;
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining([
        'email',
        'password',
        'firstName',
        'birthday',
        'consents.email',
        'profile',
      ]),
    );
  });

  it(`oversized body (> BODY_LIMIT_BYTES=${BODY_LIMIT}) → 413 payload_too_large`, async () => {
    const res = await register().send({
      email: uniqueEmail(),
      password: DEFAULT_PASSWORD,
      firstName: 'x'.repeat(BODY_LIMIT * 2),
    });
    expectErrorBody(res, 413, 'payload_too_large');
  });

  it('bad UUID path parameters → 400 validation_failed naming the parameter', async () => {
    for (const path of [
      '/v1/members/not-a-uuid',
      '/v1/members/123/card',
      '/v1/staff/%27%20or%201%3D1/disable',
      '/v1/api-keys/xyz',
    ]) {
      const req = path.endsWith('/disable') ? api.http().post(path) : api.http().get(path);
      const res = await req.set('authorization', owner());
      expectErrorBody(res, 400, 'validation_failed');
      expect((res.body as { error: { details: unknown } }).error.details).toEqual({
        fields: { id: ['must be a UUID'] },
      });
    }
    const res = await api
      .http()
      .get('/v1/storefront/members/nope')
      .set('x-api-key', tenant.apiKey.key);
    expectErrorBody(res, 400, 'validation_failed');
  });

  it('invalid values (email, E.164 phone, future or impossible birthday, short password) → 400', async () => {
    const cases: Record<string, unknown>[] = [
      { email: 'not-an-email', password: DEFAULT_PASSWORD },
      { phone: '07700 900123', password: DEFAULT_PASSWORD },
      { email: uniqueEmail(), password: DEFAULT_PASSWORD, birthday: '2999-01-01' },
      { email: uniqueEmail(), password: DEFAULT_PASSWORD, birthday: '2001-02-29' },
      { email: uniqueEmail(), password: 'short' },
      {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
        profile: { avatarUrl: 'javascript:alert(1)' },
      },
      { email: uniqueEmail(), password: DEFAULT_PASSWORD, profile: { country: 'Narnia' } },
      { email: null, password: DEFAULT_PASSWORD },
    ];
    for (const body of cases)
      expectErrorBody(await register().send(body), 400, 'validation_failed');
    expectErrorBody(
      await register().send({ password: DEFAULT_PASSWORD }),
      400,
      'member_contact_required',
    );
  });

  it('bad query strings (unknown parameter, limit > 100, forged cursor) → 400', async () => {
    const get = (query: string) =>
      api.http().get(`/v1/members${query}`).set('authorization', owner());
    expectErrorBody(await get('?limit=101'), 400, 'validation_failed');
    expectErrorBody(await get('?limit=abc'), 400, 'validation_failed');
    expectErrorBody(await get('?sort=email'), 400, 'validation_failed');
    expectErrorBody(await get('?cursor=eyJhdCI6IngiLCJpZCI6InkifQ'), 400, 'validation_failed');
    await get('?limit=100').expect(200);
  });

  it('unsupported content type → 415, empty JSON body → 400', async () => {
    expectErrorBody(
      await register().set('content-type', 'application/xml').send('<member/>'),
      415,
      'unsupported_media_type',
    );
    expectErrorBody(
      await register().set('content-type', 'text/plain').send('email=a'),
      415,
      'unsupported_media_type',
    );
    expectErrorBody(
      await register().set('content-type', 'application/json').send(''),
      400,
      'malformed_body',
    );
  });

  it('never answers 500 to junk on any identity write route', async () => {
    const routes: { path: string; auth?: Record<string, string> }[] = [
      { path: `/v1/brands/${tenant.slug}/members` },
      { path: '/v1/brands/NO_SUCH_BRAND/members' },
      { path: '/v1/auth/member/login' },
      { path: '/v1/auth/staff/login' },
      { path: '/v1/auth/refresh' },
      { path: '/v1/auth/logout' },
      { path: '/v1/operator/brands', auth: { 'x-operator-token': api.config.auth.operatorToken } },
      { path: '/v1/staff', auth: { authorization: owner() } },
      { path: '/v1/api-keys', auth: { authorization: owner() } },
    ];
    const junk: string[] = [
      ...[
        {},
        [],
        'a string',
        123,
        null,
        { refreshToken: 'x'.repeat(5000) },
        { refreshToken: 'a.b.c' },
        { brandSlug: 'x', email: 'a@b.test', password: '' },
        { brandSlug: ['x'], email: { $ne: null }, password: { $gt: '' } },
        { slug: '../../etc', name: '', owner: null },
        { email: uniqueEmail(), displayName: 'x', role: 'god', password: DEFAULT_PASSWORD },
        { name: 'x'.repeat(101) },
      ].map((value) => JSON.stringify(value)),
      // Prototype poisoning attempts (Fastify refuses them before any handler runs).
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ];
    const notClientErrors: string[] = [];
    for (const route of routes) {
      for (const body of junk) {
        const res = await api
          .http()
          .post(route.path)
          .set(route.auth ?? {})
          .set('content-type', 'application/json')
          .send(body);
        if (res.status < 400 || res.status >= 500)
          notClientErrors.push(`${route.path} ${body.slice(0, 60)} → ${res.status}`);
        else expectErrorBody(res, res.status);
      }
    }
    expect(notClientErrors).toEqual([]);
  });
});
