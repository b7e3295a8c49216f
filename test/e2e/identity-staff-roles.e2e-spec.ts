import { and, eq } from 'drizzle-orm';
import { auditLog, staffUsers } from '@app/db';
import {
  type ApiHarness,
  DEFAULT_PASSWORD,
  type TokenPairBody,
  bootApi,
  createStaff,
  expectErrorBody,
  loginMember,
  registerMember,
  uniqueEmail,
  uniqueSlug,
} from '../support/factories';

describe('operator, staff roles and audit (e2e)', () => {
  let api: ApiHarness;
  let slug: string;
  let brandId: string;
  let owner: TokenPairBody;
  let moderator: Awaited<ReturnType<typeof createStaff>>;
  let marketer: Awaited<ReturnType<typeof createStaff>>;
  let memberToken: string;
  const ownerEmail = uniqueEmail('owner');

  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(async () => {
    api = await bootApi();
    slug = uniqueSlug('roles');
    const created = await api
      .http()
      .post('/v1/operator/brands')
      .set('x-operator-token', api.config.auth.operatorToken)
      .send({
        slug,
        name: 'Roles Inc',
        owner: { email: ownerEmail, displayName: 'Olive Owner', password: DEFAULT_PASSWORD },
      })
      .expect(201);
    brandId = (created.body as { brand: { id: string } }).brand.id;
    expect(created.body).toMatchObject({
      brand: { slug, name: 'Roles Inc' },
      owner: { email: ownerEmail, role: 'owner', disabledAt: null },
    });
    expect(JSON.stringify(created.body)).not.toContain(DEFAULT_PASSWORD);

    const login = await api
      .http()
      .post('/v1/auth/staff/login')
      .send({ brandSlug: slug, email: ownerEmail, password: DEFAULT_PASSWORD })
      .expect(200);
    owner = login.body as TokenPairBody;
    expect(owner.subject).toEqual({
      type: 'staff',
      brandId,
      id: expect.any(String),
      role: 'owner',
    });
    moderator = await createStaff(api, slug, owner.accessToken, 'moderator');
    marketer = await createStaff(api, slug, owner.accessToken, 'marketer');
    const member = await registerMember(api, slug);
    memberToken = (await loginMember(api, slug, member.email)).accessToken;
  });

  afterAll(() => api?.close());

  describe('operator endpoint', () => {
    const body = () => ({
      slug: uniqueSlug('op'),
      name: 'Op',
      owner: { email: uniqueEmail(), displayName: 'O', password: DEFAULT_PASSWORD },
    });

    it('refuses a missing or wrong operator token with 401', async () => {
      expectErrorBody(
        await api.http().post('/v1/operator/brands').send(body()),
        401,
        'invalid_operator_token',
      );
      expectErrorBody(
        await api
          .http()
          .post('/v1/operator/brands')
          .set('x-operator-token', `${api.config.auth.operatorToken}x`)
          .send(body()),
        401,
        'invalid_operator_token',
      );
      // A staff owner's JWT is not an operator credential.
      expectErrorBody(
        await api
          .http()
          .post('/v1/operator/brands')
          .set('authorization', bearer(owner.accessToken))
          .send(body()),
        401,
        'invalid_operator_token',
      );
    });

    it('answers 409 for a taken slug', async () => {
      const res = await api
        .http()
        .post('/v1/operator/brands')
        .set('x-operator-token', api.config.auth.operatorToken)
        .send({ ...body(), slug });
      expectErrorBody(res, 409, 'brand_slug_taken');
    });
  });

  describe('role checks', () => {
    it('a moderator cannot manage API keys → 403', async () => {
      const auth = bearer(moderator.tokens.accessToken);
      expectErrorBody(
        await api.http().post('/v1/api-keys').set('authorization', auth).send({ name: 'x' }),
        403,
        'insufficient_role',
      );
      expectErrorBody(
        await api.http().get('/v1/api-keys').set('authorization', auth),
        403,
        'insufficient_role',
      );
    });

    it('a marketer cannot manage staff → 403, but any staff role reads members', async () => {
      const auth = bearer(marketer.tokens.accessToken);
      expectErrorBody(
        await api.http().post('/v1/staff').set('authorization', auth).send({
          email: uniqueEmail(),
          displayName: 'x',
          role: 'owner',
          password: DEFAULT_PASSWORD,
        }),
        403,
        'insufficient_role',
      );
      await api.http().get('/v1/members').set('authorization', auth).expect(200);
      await api
        .http()
        .get('/v1/members')
        .set('authorization', bearer(moderator.tokens.accessToken))
        .expect(200);
      const me = await api.http().get('/v1/staff/me').set('authorization', auth).expect(200);
      expect(me.body).toMatchObject({ id: marketer.id, role: 'marketer' });
    });

    it('a member cannot call staff routes → 403', async () => {
      const auth = bearer(memberToken);
      for (const [method, path] of [
        ['get', '/v1/members'],
        ['get', '/v1/staff'],
        ['get', '/v1/staff/me'],
        ['get', '/v1/api-keys'],
        ['post', '/v1/api-keys'],
      ] as const) {
        const req =
          method === 'post' ? api.http().post(path).send({ name: 'x' }) : api.http().get(path);
        const res = await req.set('authorization', auth);
        expectErrorBody(res, 403, 'principal_not_allowed');
      }
    });

    it('staff cannot use member-only routes → 403', async () => {
      expectErrorBody(
        await api.http().get('/v1/me').set('authorization', bearer(owner.accessToken)),
        403,
        'principal_not_allowed',
      );
    });
  });

  describe('staff management by the owner', () => {
    it('lists staff with cursor pagination', async () => {
      const first = await api
        .http()
        .get('/v1/staff?limit=2')
        .set('authorization', bearer(owner.accessToken))
        .expect(200);
      const page1 = first.body as { items: { id: string }[]; nextCursor: string | null };
      expect(page1.items).toHaveLength(2);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const second = await api
        .http()
        .get(`/v1/staff?limit=2&cursor=${page1.nextCursor}`)
        .set('authorization', bearer(owner.accessToken))
        .expect(200);
      const page2 = second.body as { items: { id: string }[]; nextCursor: string | null };
      const ids = [...page1.items, ...page2.items].map((s) => s.id);
      expect(new Set(ids).size).toBe(3);
      expect(ids).toEqual(expect.arrayContaining([owner.subject.id, moderator.id, marketer.id]));
      expect(page2.nextCursor).toBeNull();
    });

    it('refuses a duplicate staff email with 409', async () => {
      const res = await api
        .http()
        .post('/v1/staff')
        .set('authorization', bearer(owner.accessToken))
        .send({
          email: moderator.email.toUpperCase(),
          displayName: 'Dup',
          role: 'marketer',
          password: DEFAULT_PASSWORD,
        });
      expectErrorBody(res, 409, 'staff_email_taken');
    });

    it('disables a staff user: their token stops working at once, the change is audited with the request id', async () => {
      const target = await createStaff(api, slug, owner.accessToken, 'marketer');
      await api
        .http()
        .get('/v1/staff/me')
        .set('authorization', bearer(target.tokens.accessToken))
        .expect(200);

      const res = await api
        .http()
        .post(`/v1/staff/${target.id}/disable`)
        .set('authorization', bearer(owner.accessToken))
        .set('x-request-id', 'e2e-disable-request-1')
        .expect(200);
      expect(res.body).toMatchObject({ id: target.id, disabledAt: expect.any(String) });

      expectErrorBody(
        await api
          .http()
          .get('/v1/staff/me')
          .set('authorization', bearer(target.tokens.accessToken)),
        401,
        'account_disabled',
      );
      expectErrorBody(
        await api
          .http()
          .post('/v1/auth/refresh')
          .send({ refreshToken: target.tokens.refreshToken }),
        401,
        'invalid_token',
      );
      expectErrorBody(
        await api
          .http()
          .post('/v1/auth/staff/login')
          .send({ brandSlug: slug, email: target.email, password: DEFAULT_PASSWORD }),
        401,
        'invalid_credentials',
      );

      const [entry] = await api.db.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.brandId, brandId),
            eq(auditLog.action, 'staff.disabled'),
            eq(auditLog.targetId, target.id),
          ),
        );
      expect(entry).toMatchObject({
        actorType: 'staff',
        actorId: owner.subject.id,
        targetType: 'staff',
        requestId: 'e2e-disable-request-1',
      });
    });

    it('an owner cannot disable themselves → 409', async () => {
      expectErrorBody(
        await api
          .http()
          .post(`/v1/staff/${owner.subject.id}/disable`)
          .set('authorization', bearer(owner.accessToken)),
        409,
        'staff_cannot_disable_self',
      );
      const [row] = await api.db.db
        .select()
        .from(staffUsers)
        .where(and(eq(staffUsers.brandId, brandId), eq(staffUsers.id, owner.subject.id)));
      expect(row.disabledAt).toBeNull();
    });

    it('audits staff creation with the request id', async () => {
      const created = await api
        .http()
        .post('/v1/staff')
        .set('authorization', bearer(owner.accessToken))
        .set('x-request-id', 'e2e-create-staff-1')
        .send({
          email: uniqueEmail(),
          displayName: 'New',
          role: 'moderator',
          password: DEFAULT_PASSWORD,
        })
        .expect(201);
      expect(created.headers['x-request-id']).toBe('e2e-create-staff-1');
      const [entry] = await api.db.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.brandId, brandId),
            eq(auditLog.targetId, (created.body as { id: string }).id),
          ),
        );
      expect(entry).toMatchObject({
        action: 'staff.created',
        requestId: 'e2e-create-staff-1',
        details: { role: 'moderator' },
      });
    });
  });
});
