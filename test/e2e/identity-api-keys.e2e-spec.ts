import { and, eq } from 'drizzle-orm';
import { apiKeys, auditLog } from '@app/db';
import { hashApiKeySecret } from '@app/identity';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  registerMember,
  seedTenant,
} from '../support/factories';

describe('storefront API keys (e2e)', () => {
  let api: ApiHarness;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  const owner = () => `Bearer ${tenant.owner.accessToken}`;

  beforeAll(async () => {
    api = await bootApi();
    tenant = await seedTenant(api, 'keys');
  });

  afterAll(() => api?.close());

  it('shows the key once, lists without secrets and stores only the hash', async () => {
    const created = await api
      .http()
      .post('/v1/api-keys')
      .set('authorization', owner())
      .set('x-request-id', 'e2e-create-key-1')
      .send({ name: 'POS' })
      .expect(201);
    const { id, key, prefix } = created.body as { id: string; key: string; prefix: string };
    expect(key).toMatch(new RegExp(`^lk_${prefix}_[A-Za-z0-9_-]{43}$`));
    const secret = key.slice(`lk_${prefix}_`.length);

    const listed = await api.http().get('/v1/api-keys').set('authorization', owner()).expect(200);
    const items = (listed.body as { items: Record<string, unknown>[] }).items;
    expect(items.map((k) => k.id)).toContain(id);
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'createdBy',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
      ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const one = await api
      .http()
      .get(`/v1/api-keys/${id}`)
      .set('authorization', owner())
      .expect(200);
    expect(one.body).not.toHaveProperty('key');

    const [row] = await api.db.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.brandId, tenant.brandId), eq(apiKeys.id, id)));
    expect(row.secretHash).toBe(hashApiKeySecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const [entry] = await api.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.brandId, tenant.brandId), eq(auditLog.targetId, id)));
    expect(entry).toMatchObject({
      action: 'api_key.created',
      actorId: tenant.owner.subject.id,
      requestId: 'e2e-create-key-1',
    });
  });

  it('authenticates storefront reads with the key', async () => {
    const res = await api
      .http()
      .get(`/v1/storefront/members/${tenant.member.id}`)
      .set('x-api-key', tenant.apiKey.key)
      .expect(200);
    expect(res.body).toMatchObject({
      id: tenant.member.id,
      email: tenant.member.email,
      referralCode: tenant.member.referralCode,
      profileCompleted: false,
    });
    expect(res.body).not.toHaveProperty('passwordHash');
    const card = await api
      .http()
      .get(`/v1/members/${tenant.member.id}/card`)
      .set('x-api-key', tenant.apiKey.key)
      .expect(200);
    expect(card.body).toEqual({
      id: tenant.member.id,
      displayName: 'Test',
      avatarUrl: null,
      memberSince: expect.any(String),
    });
  });

  it('records last use (at most once a minute)', async () => {
    const read = () =>
      api
        .http()
        .get(`/v1/storefront/members/${tenant.member.id}`)
        .set('x-api-key', tenant.apiKey.key)
        .expect(200);
    const lastUsed = async () =>
      (
        await api.db.db
          .select()
          .from(apiKeys)
          .where(and(eq(apiKeys.brandId, tenant.brandId), eq(apiKeys.id, tenant.apiKey.id)))
      )[0].lastUsedAt;
    await read();
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await read();
    await read();
    expect(await lastUsed()).toEqual(first);
  });

  it('rejects missing, malformed and wrong keys with 401', async () => {
    const path = `/v1/storefront/members/${tenant.member.id}`;
    expectErrorBody(await api.http().get(path), 401, 'unauthenticated');
    expectErrorBody(await api.http().get(path).set('x-api-key', 'lk_nope'), 401, 'invalid_api_key');
    const wrong = tenant.apiKey.key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expectErrorBody(await api.http().get(path).set('x-api-key', wrong), 401, 'invalid_api_key');
  });

  it('a revoked key → 401, and revoking is audited', async () => {
    const created = await api
      .http()
      .post('/v1/api-keys')
      .set('authorization', owner())
      .send({ name: 'Temp' })
      .expect(201);
    const { id, key } = created.body as { id: string; key: string };
    const path = `/v1/storefront/members/${tenant.member.id}`;
    await api.http().get(path).set('x-api-key', key).expect(200);

    await api.http().delete(`/v1/api-keys/${id}`).set('authorization', owner()).expect(204);
    await api.http().delete(`/v1/api-keys/${id}`).set('authorization', owner()).expect(204);
    expectErrorBody(await api.http().get(path).set('x-api-key', key), 401, 'api_key_revoked');

    const listed = await api
      .http()
      .get(`/v1/api-keys/${id}`)
      .set('authorization', owner())
      .expect(200);
    expect(listed.body).toMatchObject({ id, revokedAt: expect.any(String) });
    const entries = await api.db.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.brandId, tenant.brandId),
          eq(auditLog.targetId, id),
          eq(auditLog.action, 'api_key.revoked'),
        ),
      );
    expect(entries).toHaveLength(1);
  });

  it('an API key cannot call member or staff routes → 403; a JWT cannot call storefront routes → 403', async () => {
    expectErrorBody(
      await api.http().get('/v1/me').set('x-api-key', tenant.apiKey.key),
      403,
      'principal_not_allowed',
    );
    expectErrorBody(
      await api.http().get('/v1/members').set('x-api-key', tenant.apiKey.key),
      403,
      'principal_not_allowed',
    );
    expectErrorBody(
      await api.http().get('/v1/api-keys').set('x-api-key', tenant.apiKey.key),
      403,
      'principal_not_allowed',
    );
    const other = await registerMember(api, tenant.slug);
    for (const token of [tenant.memberTokens.accessToken, tenant.owner.accessToken]) {
      expectErrorBody(
        await api
          .http()
          .get(`/v1/storefront/members/${other.id}`)
          .set('authorization', `Bearer ${token}`),
        403,
        'principal_not_allowed',
      );
    }
  });
});
