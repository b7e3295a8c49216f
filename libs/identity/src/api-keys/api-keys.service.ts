import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@app/common';
import { DatabaseClient } from '@app/db';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { ApiKeyNotFoundError, ApiKeyRevokedError, InvalidApiKeyError } from '../identity.errors';
import type { ApiKeyPrincipal, StaffActor } from '../principal';
import {
  API_KEY_TOUCH_INTERVAL_MS,
  apiKeySecretMatches,
  generateApiKey,
  parseApiKey,
  shouldTouchLastUsed,
} from './api-key-format';
import { type ApiKey, ApiKeysRepository } from './api-keys.repository';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key, returned exactly once: only the hash of its secret is stored. */
  key: string;
}

const PREFIX_ATTEMPTS = 3;
/**
 * How long a process reuses an API key row looked up by prefix (the storefront hot path). The
 * secret is still compared on every request; a revocation made through another process takes
 * effect within this TTL plus one lookup (at once in the process that revoked it).
 */
export const API_KEY_CACHE_MS = 5_000;
/**
 * After the TTL, the cached row keeps answering for up to this long while one background lookup
 * refreshes it: at a storefront's request rate, an expiry used to make every request that arrived
 * during the Postgres round trip issue its own lookup and wait for it, every 5 s (a p99 stall of
 * the recommender, docs/adr/0024). Past this window (an idle key) the lookup is awaited again.
 */
const API_KEY_STALE_MS = API_KEY_CACHE_MS;
const API_KEY_CACHE_MAX = 10_000;
const auditActor = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

@Injectable()
export class ApiKeysService {
  private readonly byPrefix = new Map<string, { apiKey: ApiKey; until: number }>();
  /** Lookups in flight by prefix: concurrent requests share one query. */
  private readonly lookups = new Map<string, Promise<ApiKey | null>>();

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ApiKeysRepository) private readonly apiKeys: ApiKeysRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  async create(actor: StaffActor, input: { name: string }): Promise<CreatedApiKey> {
    const name = input.name.trim();
    if (!name)
      throw new ValidationError('Key name is required', {
        fields: { name: ['must not be empty'] },
      });
    return this.db.transaction(async (trx) => {
      for (let attempt = 0; attempt < PREFIX_ATTEMPTS; attempt += 1) {
        const { prefix, secretHash, key } = generateApiKey();
        const apiKey = await this.apiKeys.insert(
          actor.brandId,
          { name, prefix, secretHash, createdBy: actor.id },
          trx,
        );
        if (!apiKey) continue; // 64-bit prefix collision: draw again
        await this.audit.insert(
          actor.brandId,
          {
            actor: auditActor(actor),
            action: 'api_key.created',
            target: { type: 'api_key', id: apiKey.id },
            details: { name, prefix },
          },
          trx,
        );
        return { apiKey, key };
      }
      throw new Error(`no free API key prefix after ${PREFIX_ATTEMPTS} attempts`);
    });
  }

  list(brandId: string): Promise<ApiKey[]> {
    return this.apiKeys.list(brandId);
  }

  async getById(brandId: string, apiKeyId: string): Promise<ApiKey> {
    const found = await this.apiKeys.findById(brandId, apiKeyId);
    if (!found) throw new ApiKeyNotFoundError();
    return found;
  }

  /** Revokes a key of the actor's brand; revoking a revoked key is a no-op (no second audit entry). */
  async revoke(actor: StaffActor, apiKeyId: string): Promise<ApiKey> {
    const result = await this.db.transaction(async (trx) => {
      const existing = await this.apiKeys.findById(actor.brandId, apiKeyId, trx);
      if (!existing) throw new ApiKeyNotFoundError();
      if (existing.revokedAt) return existing;
      const revoked = await this.apiKeys.revoke(actor.brandId, apiKeyId, new Date(), trx);
      if (!revoked) return (await this.apiKeys.findById(actor.brandId, apiKeyId, trx)) ?? existing;
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'api_key.revoked',
          target: { type: 'api_key', id: apiKeyId },
          details: { prefix: revoked.prefix },
        },
        trx,
      );
      return revoked;
    });
    // After the commit: a lookup racing the revocation cannot re-cache the old row for long.
    this.byPrefix.delete(result.prefix);
    this.lookups.delete(result.prefix);
    return result;
  }

  /**
   * Authenticates a storefront key: lookup by public prefix, constant-time comparison of the
   * secret's hash, then the revocation check (only someone holding the real key learns it is revoked).
   */
  async authenticate(presented: string, now: Date = new Date()): Promise<ApiKeyPrincipal> {
    const parsed = parseApiKey(presented.trim());
    if (!parsed) throw new InvalidApiKeyError();
    const apiKey = await this.findByPrefixCached(parsed.prefix);
    if (!apiKey || !apiKeySecretMatches(parsed.secret, apiKey.secretHash))
      throw new InvalidApiKeyError();
    if (apiKey.revokedAt) throw new ApiKeyRevokedError();
    if (shouldTouchLastUsed(apiKey.lastUsedAt, now)) {
      // Marked before the write, so the requests arriving while it runs do not each write too:
      // whoever wrote it, it is recent now, and the cached row must not trigger a write per request.
      apiKey.lastUsedAt = now;
      await this.apiKeys.touchLastUsed(
        apiKey.brandId,
        apiKey.id,
        now,
        new Date(now.getTime() - API_KEY_TOUCH_INTERVAL_MS),
      );
    }
    return { type: 'api-key', brandId: apiKey.brandId, id: apiKey.id };
  }

  private async findByPrefixCached(prefix: string): Promise<ApiKey | null> {
    const now = Date.now();
    const cached = this.byPrefix.get(prefix);
    if (cached && cached.until > now) return cached.apiKey;
    if (cached && cached.until + API_KEY_STALE_MS > now) {
      // Stale: refresh in the background (once) and answer from the row meanwhile.
      this.lookup(prefix).catch(() => undefined); // a failed refresh leaves the next request to retry
      return cached.apiKey;
    }
    return this.lookup(prefix);
  }

  private lookup(prefix: string): Promise<ApiKey | null> {
    let pending = this.lookups.get(prefix);
    if (!pending) {
      pending = this.apiKeys
        .findByPrefix(prefix)
        .then((apiKey) => {
          // Unknown prefixes are not cached (no memory for garbage keys).
          if (apiKey) {
            if (this.byPrefix.size >= API_KEY_CACHE_MAX) this.byPrefix.clear();
            this.byPrefix.set(prefix, { apiKey, until: Date.now() + API_KEY_CACHE_MS });
          }
          return apiKey;
        })
        .finally(() => this.lookups.delete(prefix));
      this.lookups.set(prefix, pending);
    }
    return pending;
  }
}
