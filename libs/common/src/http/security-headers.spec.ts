import { computeSecurityHeaders } from './security-headers';

describe('computeSecurityHeaders', () => {
  it('returns the headers helmet sets, with the CSP given', () => {
    const headers = computeSecurityHeaders({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"] },
      },
    });
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(headers).not.toHaveProperty('x-powered-by');
  });

  it('fails fast on an invalid policy', () => {
    expect(() =>
      computeSecurityHeaders({
        contentSecurityPolicy: {
          directives: { defaultSrc: ["'self"] as string[], 'bad directive': [] },
        },
      }),
    ).toThrow();
  });
});
