import {
  apiKeySecretMatches,
  generateApiKey,
  hashApiKeySecret,
  parseApiKey,
  shouldTouchLastUsed,
} from './api-key-format';

describe('API key format', () => {
  it('generates lk_<prefix>_<secret> keys that parse back and match their hash', () => {
    for (let i = 0; i < 200; i += 1) {
      const { key, prefix, secretHash } = generateApiKey();
      const parsed = parseApiKey(key);
      expect(parsed?.prefix).toBe(prefix);
      expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(secretHash);
      expect(apiKeySecretMatches(parsed!.secret, secretHash)).toBe(true);
    }
  });

  it('rejects a wrong secret for the same prefix', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(apiKeySecretMatches(parseApiKey(b.key)!.secret, a.secretHash)).toBe(false);
    expect(apiKeySecretMatches('', a.secretHash)).toBe(false);
    expect(hashApiKeySecret('x')).not.toBe(hashApiKeySecret('y'));
  });

  it('refuses anything that is not a well-formed key', () => {
    const { key } = generateApiKey();
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey(key.replace('lk_', 'sk_'))).toBeNull();
    expect(parseApiKey('lk_short_secret')).toBeNull();
    expect(parseApiKey('')).toBeNull();
  });

  it('touches last_used_at at most once a minute', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(shouldTouchLastUsed(null, now)).toBe(true);
    expect(shouldTouchLastUsed(new Date('2026-01-01T11:59:30Z'), now)).toBe(false);
    expect(shouldTouchLastUsed(new Date('2026-01-01T11:59:00Z'), now)).toBe(true);
  });
});
