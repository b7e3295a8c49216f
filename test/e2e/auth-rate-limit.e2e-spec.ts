import {
  type ApiHarness,
  bootApi,
  createBrandWithOwner,
  expectErrorBody,
  uniqueEmail,
} from '../support/factories';

const AUTH_MAX = 3;

describe('credential endpoints have the stricter auth rate limit (e2e)', () => {
  let api: ApiHarness;
  let slug: string;

  beforeAll(async () => {
    api = await bootApi({ AUTH_RATE_LIMIT_MAX: String(AUTH_MAX), RATE_LIMIT_MAX: '1000' });
    slug = (await createBrandWithOwner(api.brands)).brand.slug;
  });

  afterAll(() => api?.close());

  it(`allows ${AUTH_MAX} login attempts per window, then answers 429 rate_limited`, async () => {
    const attempt = () =>
      api
        .http()
        .post('/v1/auth/member/login')
        .send({ brandSlug: slug, email: uniqueEmail(), password: 'wrong-password' });
    for (let i = 0; i < AUTH_MAX; i += 1) {
      const res = await attempt();
      expectErrorBody(res, 401, 'invalid_credentials');
      expect(res.headers['x-ratelimit-limit']).toBe(String(AUTH_MAX));
    }
    const blocked = await attempt();
    expectErrorBody(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts each credential route separately and leaves other routes on the general limit', async () => {
    const register = await api
      .http()
      .post(`/v1/brands/${slug}/members`)
      .send({ email: uniqueEmail(), password: 'correct-horse-battery' });
    expect(register.status).toBe(201);
    expect(register.headers['x-ratelimit-limit']).toBe(String(AUTH_MAX));

    const general = await api.http().get('/v1/me');
    expectErrorBody(general, 401, 'unauthenticated');
    expect(general.headers['x-ratelimit-limit']).toBe('1000');
  });
});
