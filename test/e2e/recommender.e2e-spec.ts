import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestContext, type TestContext } from '@app/testing';
import { createRecommenderApp } from '../../apps/recommender/src/bootstrap';

/** tfjs-node cannot install offline, so on this platform's machines auto selection lands on wasm. */
async function expectedBackend(): Promise<string> {
  const tfjsNode: string = '@tensorflow/tfjs-node';
  try {
    await import(tfjsNode);
    return 'node';
  } catch {
    return 'wasm';
  }
}

describe('recommender app (e2e)', () => {
  let ctx: TestContext;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ctx = await createTestContext();
    app = await createRecommenderApp(ctx.config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('GET /health reports the TensorFlow.js backend chosen at boot and no model yet', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      tfBackend: await expectedBackend(),
      modelVersion: null,
    });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('echoes a well-formed caller request id', async () => {
    const res = await request(app.getHttpServer())
      .get('/health')
      .set('x-request-id', 'trace-abc-123');
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });

  it('an unknown route answers 404 with the standard error body', async () => {
    const res = await request(app.getHttpServer()).get('/no/such/route').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: { code: 'route_not_found', message: expect.any(String) },
      requestId: res.headers['x-request-id'],
    });
  });

  it('GET /metrics exposes Prometheus metrics with the backend and HTTP latency', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain(
      `tf_backend_info{backend="${await expectedBackend()}",app="recommender"} 1`,
    );
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health"/);
  });

  it('serves its OpenAPI document at /docs-json and the UI at /docs', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.info.title).toBe('Loyalty platform recommender');
    expect(Object.keys(res.body.paths)).toContain('/health');
    expect(Object.keys(res.body.paths)).not.toContain('/metrics');
    // The recommendations query is validated by a memoising pipe, documented from its DTO.
    const query = (
      res.body.paths['/v1/members/{id}/recommendations'].get.parameters as {
        in: string;
        name: string;
      }[]
    )
      .filter((p) => p.in === 'query')
      .map((p) => p.name)
      .sort();
    expect(query).toEqual(['category', 'exclude_purchased', 'in_stock_only', 'limit']);
    await request(app.getHttpServer()).get('/docs').expect(200);
  });
});
