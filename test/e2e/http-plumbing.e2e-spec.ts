import { type ApiHarness, bootApi } from '../support/factories';

describe('api HTTP plumbing (e2e)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await bootApi({ CORS_ORIGINS: 'https://console.example.test' });
  });
  afterAll(() => api?.close());

  it('answers liveness and readiness (Postgres + Redis)', async () => {
    await api.http().get('/health').expect(200, { status: 'ok' });
    const ready = await api.http().get('/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('echoes a well-formed request id and replaces a malformed one', async () => {
    const kept = await api.http().get('/health').set('x-request-id', 'client-req-12345678');
    expect(kept.headers['x-request-id']).toBe('client-req-12345678');
    const replaced = await api
      .http()
      .get('/health')
      .set('x-request-id', 'bad id {"injected": true}');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await api.http().get('/nope');
    expect(missing.status).toBe(404);
    expect((missing.body as { requestId: string }).requestId).toBe(missing.headers['x-request-id']);
  });

  it('sends helmet security headers on every response, errors included', async () => {
    for (const path of ['/health', '/nope']) {
      const res = await api.http().get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await api
      .http()
      .options('/v1/me')
      .set('origin', 'https://console.example.test')
      .set('access-control-request-method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.test');
    const denied = await api
      .http()
      .options('/v1/me')
      .set('origin', 'https://evil.example.test')
      .set('access-control-request-method', 'GET');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves OpenAPI at /docs-json and the UI at /docs', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/health', '/ready', '/v1/me', '/v1/operator/brands']),
    );
    const ui = await api.http().get('/docs');
    expect([200, 301, 302]).toContain(ui.status);
  });

  it('exposes Prometheus metrics: HTTP latency histogram and queue depth', async () => {
    await api.http().get('/health');
    const metrics = await api.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health"/);
    expect(metrics.text).toMatch(/queue_depth\{[^}]*queue="heartbeat"/);
  });
});
