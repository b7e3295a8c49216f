import type { TestingModule } from '@nestjs/testing';
import { and, eq } from 'drizzle-orm';
import { apiKeys, auditLog } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  createBrandWithOwner,
  createIdentityTestingModule,
} from '../../../../test/support/factories';
import { BrandsService } from '../brands/brands.service';
import { sha256Hex } from '../crypto/constant-time';
import { ApiKeyNotFoundError, ApiKeyRevokedError, InvalidApiKeyError } from '../identity.errors';
import type { StaffActor } from '../principal';
import { parseApiKey } from './api-key-format';
import { ApiKeysService } from './api-keys.service';

describe('ApiKeysService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let service: ApiKeysService;
  let actor: StaffActor;
  let otherBrandActor: StaffActor;

  const rowOf = async (id: string) =>
    (
      await ctx.db.db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.brandId, actor.brandId), eq(apiKeys.id, id)))
    )[0];

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createIdentityTestingModule(ctx);
    service = moduleRef.get(ApiKeysService);
    const brands = moduleRef.get(BrandsService);
    const a = await createBrandWithOwner(brands);
    const b = await createBrandWithOwner(brands);
    actor = { brandId: a.brand.id, id: a.owner.id, requestId: 'req-api-key-test' };
    otherBrandActor = { brandId: b.brand.id, id: b.owner.id };
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('returns the key once and stores only the SHA-256 of its secret', async () => {
    const { apiKey, key } = await service.create(actor, { name: 'Storefront' });
    const parsed = parseApiKey(key);
    expect(parsed).not.toBeNull();
    expect(key).toBe(`lk_${apiKey.prefix}_${parsed!.secret}`);

    const row = await rowOf(apiKey.id);
    expect(row.secretHash).toBe(sha256Hex(parsed!.secret));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(parsed!.secret);
    expect(stored).not.toContain(key);
    // Listing never exposes the secret either.
    expect(JSON.stringify(await service.list(actor.brandId))).not.toContain(parsed!.secret);
  });

  it('authenticates the exact key and nothing else', async () => {
    const { apiKey, key } = await service.create(actor, { name: 'Auth test' });
    await expect(service.authenticate(key)).resolves.toEqual({
      type: 'api-key',
      brandId: actor.brandId,
      id: apiKey.id,
    });

    const wrongSecret = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await expect(service.authenticate(wrongSecret)).rejects.toBeInstanceOf(InvalidApiKeyError);
    await expect(
      service.authenticate(`lk_0000000000000000_${parseApiKey(key)!.secret}`),
    ).rejects.toBeInstanceOf(InvalidApiKeyError);
    await expect(service.authenticate('not a key')).rejects.toBeInstanceOf(InvalidApiKeyError);
  });

  it('refuses a revoked key with 401 and audits create and revoke once each', async () => {
    const { apiKey, key } = await service.create(actor, { name: 'To revoke' });
    const revoked = await service.revoke(actor, apiKey.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await service.revoke(actor, apiKey.id); // idempotent
    await expect(service.authenticate(key)).rejects.toBeInstanceOf(ApiKeyRevokedError);

    const entries = await ctx.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.brandId, actor.brandId), eq(auditLog.targetId, apiKey.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actorType: 'staff',
        actorId: actor.id,
        targetType: 'api_key',
        requestId: 'req-api-key-test',
      });
    }
  });

  it('touches last_used_at at most once a minute', async () => {
    const { apiKey, key } = await service.create(actor, { name: 'Touch test' });
    const t0 = new Date('2030-01-01T10:00:00.000Z');
    await service.authenticate(key, t0);
    expect((await rowOf(apiKey.id)).lastUsedAt).toEqual(t0);

    await service.authenticate(key, new Date(t0.getTime() + 30_000));
    expect((await rowOf(apiKey.id)).lastUsedAt).toEqual(t0);

    const t1 = new Date(t0.getTime() + 61_000);
    await service.authenticate(key, t1);
    expect((await rowOf(apiKey.id)).lastUsedAt).toEqual(t1);
  });

  it('cannot read or revoke a key of another brand', async () => {
    const { apiKey, key } = await service.create(actor, { name: 'Brand A key' });
    await expect(service.getById(otherBrandActor.brandId, apiKey.id)).rejects.toBeInstanceOf(
      ApiKeyNotFoundError,
    );
    await expect(service.revoke(otherBrandActor, apiKey.id)).rejects.toBeInstanceOf(
      ApiKeyNotFoundError,
    );
    expect((await rowOf(apiKey.id)).revokedAt).toBeNull();
    await expect(service.authenticate(key)).resolves.toMatchObject({ brandId: actor.brandId });
    expect((await service.list(otherBrandActor.brandId)).map((k) => k.id)).not.toContain(apiKey.id);
  });
});
