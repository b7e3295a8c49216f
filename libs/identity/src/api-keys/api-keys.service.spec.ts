import type { DatabaseClient } from '@app/db';
import type { AuditLogRepository } from '../audit/audit-log.repository';
import { ApiKeyRevokedError } from '../identity.errors';
import { API_KEY_TOUCH_INTERVAL_MS, generateApiKey } from './api-key-format';
import type { ApiKey, ApiKeysRepository } from './api-keys.repository';
import { API_KEY_CACHE_MS, ApiKeysService } from './api-keys.service';

/** A repository whose lookups resolve only when the test says so, counting the queries. */
function fakeRepository(row: ApiKey) {
  const pending: (() => void)[] = [];
  const calls = { find: 0, touch: 0 };
  const repo = {
    findByPrefix: jest.fn(() => {
      calls.find += 1;
      const snapshot = { ...row };
      return new Promise<ApiKey>((resolve) => pending.push(() => resolve(snapshot)));
    }),
    touchLastUsed: jest.fn(() => {
      calls.touch += 1;
      return Promise.resolve(true);
    }),
  };
  const settle = async () => {
    while (pending.length) pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { repo: repo as unknown as ApiKeysRepository, calls, settle };
}

describe('ApiKeysService lookups by prefix', () => {
  const { key, prefix, secretHash } = generateApiKey();
  const row = (over: Partial<ApiKey> = {}): ApiKey => ({
    id: 'key-1',
    brandId: 'brand-1',
    name: 'storefront',
    prefix,
    secretHash,
    createdBy: null,
    createdAt: new Date(),
    lastUsedAt: new Date(),
    revokedAt: null,
    ...over,
  });
  const service = (repo: ApiKeysRepository) =>
    new ApiKeysService({} as DatabaseClient, repo, {} as AuditLogRepository);

  afterEach(() => jest.restoreAllMocks());

  it('concurrent first requests share one query', async () => {
    const { repo, calls, settle } = fakeRepository(row());
    const keys = service(repo);
    const answers = [1, 2, 3].map(() => keys.authenticate(key));
    await settle();
    for (const principal of await Promise.all(answers))
      expect(principal).toEqual({ type: 'api-key', brandId: 'brand-1', id: 'key-1' });
    expect(calls.find).toBe(1);
  });

  it('after the TTL, requests are answered from the row while one background lookup refreshes it', async () => {
    const { repo, calls, settle } = fakeRepository(row());
    const keys = service(repo);
    const first = keys.authenticate(key);
    await settle();
    await first;
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + API_KEY_CACHE_MS + 1);
    // The lookup has not answered, yet every request is: no request waits on Postgres.
    for (let i = 0; i < 5; i++)
      await expect(keys.authenticate(key)).resolves.toMatchObject({ id: 'key-1' });
    expect(calls.find).toBe(2);
    await settle();
  });

  it('a revocation seen by the refresh takes effect; an idle key past the stale window is looked up again', async () => {
    const { repo, calls, settle } = fakeRepository(row());
    const keys = service(repo);
    const first = keys.authenticate(key);
    await settle();
    await first;
    (repo.findByPrefix as jest.Mock).mockImplementation(() => {
      calls.find += 1;
      return Promise.resolve(row({ revokedAt: new Date() }));
    });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + API_KEY_CACHE_MS + 1);
    await keys.authenticate(key); // stale: answered, refresh started
    await settle();
    await expect(keys.authenticate(key)).rejects.toBeInstanceOf(ApiKeyRevokedError);
    clock.mockReturnValue(now + 10 * API_KEY_CACHE_MS);
    await expect(keys.authenticate(key)).rejects.toBeInstanceOf(ApiKeyRevokedError);
    expect(calls.find).toBe(3);
  });

  it('last_used_at is written once for requests that arrive together', async () => {
    const stale = new Date(Date.now() - 2 * API_KEY_TOUCH_INTERVAL_MS);
    const { repo, calls, settle } = fakeRepository(row({ lastUsedAt: stale }));
    const keys = service(repo);
    const answers = [1, 2, 3, 4].map(() => keys.authenticate(key));
    await settle();
    await Promise.all(answers);
    expect(calls.touch).toBe(1);
  });
});
