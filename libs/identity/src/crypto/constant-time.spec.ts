import { constantTimeEqual, hexDigestEqual, sha256Hex } from './constant-time';

describe('constant-time comparison', () => {
  it('accepts equal secrets and rejects any difference, including length', () => {
    expect(constantTimeEqual('operator-token-123', 'operator-token-123')).toBe(true);
    expect(constantTimeEqual('operator-token-124', 'operator-token-123')).toBe(false);
    expect(constantTimeEqual('operator-token-12', 'operator-token-123')).toBe(false);
    expect(constantTimeEqual('', 'operator-token-123')).toBe(false);
  });

  it('compares hex digests and rejects malformed or empty ones', () => {
    const digest = sha256Hex('secret');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hexDigestEqual(sha256Hex('secret'), digest)).toBe(true);
    expect(hexDigestEqual(sha256Hex('Secret'), digest)).toBe(false);
    expect(hexDigestEqual('zz', digest)).toBe(false);
    expect(hexDigestEqual('', '')).toBe(false);
  });
});
