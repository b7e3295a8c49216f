import { randomBytes } from 'node:crypto';
import { hexDigestEqual, sha256Hex } from '../crypto/constant-time';

/**
 * Storefront API keys look like `lk_<prefix>_<secret>`: the prefix (64 random bits, hex) is a
 * public lookup id; the secret (256 random bits, base64url) is only ever stored as its SHA-256.
 * A high-entropy secret cannot be brute-forced, so a slow KDF would only cost latency (ADR 0005).
 */
const KEY_PATTERN = /^lk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  prefix: string;
  secretHash: string;
  /** The full key: shown to the owner once, never stored. */
  key: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { prefix, secretHash: hashApiKeySecret(secret), key: `lk_${prefix}_${secret}` };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1], secret: match[2] } : null;
}

export function hashApiKeySecret(secret: string): string {
  return sha256Hex(secret);
}

export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  return hexDigestEqual(hashApiKeySecret(secret), storedHash);
}

/** last_used_at is a hint, not an audit trail: write it at most once per interval per key. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

export function shouldTouchLastUsed(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= API_KEY_TOUCH_INTERVAL_MS;
}
