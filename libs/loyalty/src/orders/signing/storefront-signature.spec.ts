import {
  canonicalString,
  computeSignature,
  parseSignatureHeader,
  sha256Hex,
  signatureHeader,
  signingKeyOf,
  verifySignature,
} from './storefront-signature';

describe('storefront request signatures', () => {
  const key = signingKeyOf('s3cret-part-of-the-api-key');
  const body = Buffer.from('{"orderId":"SO-1"}');
  const now = 1_800_000_000;
  const verify = (
    header: unknown,
    overrides: Partial<Parameters<typeof verifySignature>[0]> = {},
  ) =>
    verifySignature({
      header,
      signingKey: key,
      method: 'POST',
      path: '/v1/orders',
      rawBody: body,
      nowSeconds: now,
      ...overrides,
    });

  it('signs t.METHOD.path.sha256(body) with HMAC-SHA256 under sha256(secret)', () => {
    expect(key).toBe(sha256Hex('s3cret-part-of-the-api-key'));
    expect(canonicalString(now, 'post', '/v1/orders', body)).toBe(
      `${now}.POST./v1/orders.${sha256Hex(body)}`,
    );
    const header = signatureHeader(key, now, 'POST', '/v1/orders', body);
    expect(header).toBe(`t=${now},v1=${computeSignature(key, now, 'POST', '/v1/orders', body)}`);
    expect(verify(header)).toEqual({ ok: true, signature: header.split('v1=')[1] });
  });

  it('rejects missing, malformed, stale and tampered requests', () => {
    const header = signatureHeader(key, now, 'POST', '/v1/orders', body);
    expect(verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verify('v1=abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`t=${now}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(header, { nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(header, { nowSeconds: now - 301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(header, { nowSeconds: now + 300 }).ok).toBe(true);
    expect(verify(header, { rawBody: Buffer.from('{"orderId":"SO-2"}') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verify(header, { path: '/v1/orders/SO-1/refunds' }).ok).toBe(false);
    expect(verify(header, { method: 'PUT' }).ok).toBe(false);
    expect(verify(header, { signingKey: signingKeyOf('another secret') }).ok).toBe(false);
  });

  it('accepts any of several v1 values (key rotation) and ignores unknown schemes', () => {
    const good = computeSignature(key, now, 'POST', '/v1/orders', body);
    expect(verify(`t=${now},v0=zzz,v1=${'0'.repeat(64)},v1=${good}`)).toEqual({
      ok: true,
      signature: good,
    });
    expect(parseSignatureHeader(`t=1,t=2,v1=${good}`)).toBeNull();
    expect(parseSignatureHeader(42)).toBeNull();
  });

  it('signs a nonce when given, so identical requests in the same second differ', () => {
    const first = signatureHeader(key, now, 'POST', '/v1/orders', body, 'nonce-aaaaaaaa');
    const retry = signatureHeader(key, now, 'POST', '/v1/orders', body, 'nonce-bbbbbbbb');
    expect(first).toMatch(new RegExp(`^t=${now},n=nonce-aaaaaaaa,v1=[0-9a-f]{64}$`));
    expect(first).not.toBe(retry);
    expect(verify(first).ok).toBe(true);
    expect(verify(retry).ok).toBe(true);
    expect(canonicalString(now, 'POST', '/v1/orders', body, 'nonce-aaaaaaaa')).toBe(
      `${now}.nonce-aaaaaaaa.POST./v1/orders.${sha256Hex(body)}`,
    );
    // The nonce is signed: swapping it breaks the signature.
    expect(verify(first.replace('nonce-aaaaaaaa', 'nonce-cccccccc'))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(parseSignatureHeader(`t=${now},n=short,v1=${'0'.repeat(64)}`)).toBeNull();
    expect(
      parseSignatureHeader(`t=${now},n=nonce-aaaaaaaa,n=nonce-bbbbbbbb,v1=${'0'.repeat(64)}`),
    ).toBeNull();
  });
});
