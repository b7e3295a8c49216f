import { JwtService } from '@nestjs/jwt';
import { and, eq } from 'drizzle-orm';
import { outboxMessages, refreshTokens } from '@app/db';
import { ACCESS_AUDIENCE, TOKEN_ISSUER } from '@app/identity';
import {
  type ApiHarness,
  DEFAULT_PASSWORD,
  bootApi,
  createBrandWithOwner,
  expectErrorBody,
  loginMember,
  registerMember,
  uniqueEmail,
} from '../support/factories';

describe('member auth over HTTP (e2e)', () => {
  let api: ApiHarness;
  let slug: string;
  let brandId: string;

  beforeAll(async () => {
    api = await bootApi();
    const fixture = await createBrandWithOwner(api.brands);
    slug = fixture.brand.slug;
    brandId = fixture.brand.id;
  });

  afterAll(() => api?.close());

  it('register → login → authenticated call', async () => {
    const email = uniqueEmail('ada');
    const registered = await api
      .http()
      .post(`/v1/brands/${slug}/members`)
      .send({ email, password: DEFAULT_PASSWORD, firstName: 'Ada', consents: { email: true } })
      .expect(201);
    expect(registered.body).toMatchObject({
      brandId,
      email,
      firstName: 'Ada',
      consents: { email: true, sms: false, push: false, personalisation: false },
      profileCompletedAt: null,
      profileMissing: ['lastName', 'birthday', 'profile.city', 'profile.country'],
    });
    expect(registered.body).not.toHaveProperty('passwordHash');
    const memberId = (registered.body as { id: string }).id;

    const [message] = await api.db.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.key, `member:${memberId}`));
    expect(message).toMatchObject({
      brandId,
      topic: 'member.registered',
      payload: { memberId, referredBy: null },
    });

    const login = await api
      .http()
      .post('/v1/auth/member/login')
      .send({ brandSlug: slug, email, password: DEFAULT_PASSWORD })
      .expect(200);
    expect(login.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: api.config.auth.accessTtlSeconds,
      subject: { type: 'member', brandId, id: memberId },
    });

    const me = await api
      .http()
      .get('/v1/me')
      .set('authorization', `Bearer ${(login.body as { accessToken: string }).accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: memberId, email });
  });

  it('logs in by phone and completes the profile with PATCH /v1/me (event emitted once)', async () => {
    const phone = '+14155550123';
    const member = await registerMember(api, slug, { email: undefined, phone, firstName: 'Grace' });
    const res = await api
      .http()
      .post('/v1/auth/member/login')
      .send({ brandSlug: slug, phone, password: DEFAULT_PASSWORD })
      .expect(200);
    const auth = `Bearer ${(res.body as { accessToken: string }).accessToken}`;

    const patched = await api
      .http()
      .patch('/v1/me')
      .set('authorization', auth)
      .send({
        lastName: 'Hopper',
        birthday: '1906-12-09',
        profile: { city: 'New York', country: 'US' },
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      lastName: 'Hopper',
      profileMissing: [],
      profileCompletedAt: expect.any(String),
    });
    await api
      .http()
      .patch('/v1/me')
      .set('authorization', auth)
      .send({ profile: { city: 'Arlington' } })
      .expect(200);

    const completed = await api.db.db
      .select()
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.key, `member:${member.id}`),
          eq(outboxMessages.topic, 'member.profile_completed'),
        ),
      );
    expect(completed).toHaveLength(1);
  });

  it('answers wrong password, unknown email and unknown brand with the same 401 body', async () => {
    const member = await registerMember(api, slug);
    const attempts = [
      { brandSlug: slug, email: member.email, password: 'wrong-password' },
      { brandSlug: slug, email: uniqueEmail('ghost'), password: DEFAULT_PASSWORD },
      { brandSlug: 'no-such-brand', email: member.email, password: DEFAULT_PASSWORD },
    ];
    const messages = new Set<string>();
    for (const attempt of attempts) {
      const res = await api.http().post('/v1/auth/member/login').send(attempt);
      expectErrorBody(res, 401, 'invalid_credentials');
      messages.add((res.body as { error: { message: string } }).error.message);
    }
    expect([...messages]).toEqual(['Invalid credentials']);
  });

  it('rotates refresh tokens; re-using an old one revokes the whole session', async () => {
    const member = await registerMember(api, slug);
    const first = await loginMember(api, slug, member.email);

    const second = await api
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(200);
    const rotated = second.body as { accessToken: string; refreshToken: string };
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    await api
      .http()
      .get('/v1/me')
      .set('authorization', `Bearer ${rotated.accessToken}`)
      .expect(200);

    const reuse = await api
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: first.refreshToken });
    expectErrorBody(reuse, 401, 'refresh_token_reused');
    const afterTheft = await api
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: rotated.refreshToken });
    expectErrorBody(afterTheft, 401, 'invalid_token');

    const rows = await api.db.db
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.brandId, brandId), eq(refreshTokens.subjectId, member.id)));
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('logout revokes the refresh token family', async () => {
    const member = await registerMember(api, slug);
    const session = await loginMember(api, slug, member.email);
    await api
      .http()
      .post('/v1/auth/logout')
      .send({ refreshToken: session.refreshToken })
      .expect(204);
    expectErrorBody(
      await api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }),
      401,
      'invalid_token',
    );
  });

  it('documents the identity routes and their security in the OpenAPI document', async () => {
    const res = await api.http().get('/docs-json').expect(200);
    const doc = res.body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const path of [
      '/v1/operator/brands',
      '/v1/auth/member/login',
      '/v1/auth/staff/login',
      '/v1/auth/refresh',
      '/v1/auth/logout',
      '/v1/brands/{brandSlug}/members',
      '/v1/me',
      '/v1/members',
      '/v1/members/{id}',
      '/v1/members/{id}/card',
      '/v1/staff',
      '/v1/staff/{id}/disable',
      '/v1/api-keys',
      '/v1/api-keys/{id}',
      '/v1/storefront/members/{id}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/v1/me'].get.security).toEqual([{ jwt: [] }]);
    expect(doc.paths['/v1/storefront/members/{id}'].get.security).toEqual([{ 'api-key': [] }]);
    expect(doc.paths['/v1/operator/brands'].post.security).toEqual([{ operator: [] }]);
  });

  describe('access tokens', () => {
    let memberId: string;
    let valid: string;

    beforeAll(async () => {
      const member = await registerMember(api, slug);
      memberId = member.id;
      valid = (await loginMember(api, slug, member.email)).accessToken;
    });

    const sign = (secret: string, expiresIn: number) =>
      new JwtService().signAsync(
        { brandId, typ: 'member' },
        { secret, subject: memberId, audience: ACCESS_AUDIENCE, issuer: TOKEN_ISSUER, expiresIn },
      );
    const me = (authorization?: string) => {
      const req = api.http().get('/v1/me');
      return authorization === undefined ? req : req.set('authorization', authorization);
    };

    it('accepts the real token', async () => {
      await me(`Bearer ${valid}`).expect(200);
    });

    it('missing token → 401 unauthenticated', async () => {
      expectErrorBody(await me(), 401, 'unauthenticated');
    });

    it('expired token → 401 token_expired', async () => {
      const expired = await sign(api.config.auth.accessSecret, -30);
      expectErrorBody(await me(`Bearer ${expired}`), 401, 'token_expired');
    });

    it('forged token (signed with another secret) → 401 invalid_token', async () => {
      const forged = await sign('an-attacker-secret-that-is-long-enough', 300);
      expectErrorBody(await me(`Bearer ${forged}`), 401, 'invalid_token');
    });

    it('tampered payload → 401 invalid_token', async () => {
      const [header, , signature] = valid.split('.');
      const payload = Buffer.from(
        JSON.stringify({
          sub: memberId,
          brandId,
          typ: 'staff',
          role: 'owner',
          aud: ACCESS_AUDIENCE,
          iss: TOKEN_ISSUER,
          exp: 4102444800,
        }),
      ).toString('base64url');
      expectErrorBody(await me(`Bearer ${header}.${payload}.${signature}`), 401, 'invalid_token');
    });

    it('garbage and non-bearer schemes → 401', async () => {
      expectErrorBody(await me('Bearer not-a-jwt'), 401, 'invalid_token');
      expectErrorBody(
        await me(`Basic ${Buffer.from('a:b').toString('base64')}`),
        401,
        'invalid_token',
      );
    });

    it('a refresh token is not an access token → 401', async () => {
      const member = await registerMember(api, slug);
      const { refreshToken } = await loginMember(api, slug, member.email);
      expectErrorBody(await me(`Bearer ${refreshToken}`), 401, 'invalid_token');
    });
  });
});
