import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type DropBody,
  type ReservationBody,
  createDropHttp,
  dropBody,
  reserveHttp,
} from '../support/drop-factories';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

/**
 * Buying in a live drop over HTTP with the real api and worker: staff create and schedule a drop
 * starting in two seconds; the worker's delayed jobs make it live and end it; members reserve,
 * retry, confirm (points through the loyalty order path) and sell it out; the report follows.
 */
describe('drops: create → schedule → live → reserve → confirm → sold out → ended (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let tenant: Tenant;
  let second: { id: string; token: string };
  const bearer = (token: string) => `Bearer ${token}`;
  const staff = () => bearer(tenant.owner.accessToken);
  const member = () => tenant.memberTokens.accessToken;
  const getDrop = async (id: string) => {
    const res = await api.http().get(`/v1/drops/${id}`).set('authorization', staff());
    expect(res.status).toBe(200);
    return res.body as DropBody;
  };
  const statusIs = (id: string, status: string, timeoutMs = 10_000) =>
    waitFor(`drop ${status}`, async () => (await getDrop(id)).status === status, {
      timeoutMs,
      intervalMs: 100,
    });

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '25' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    tenant = await seedTenant(api, 'drops');
    const m = await registerMember(api, tenant.slug);
    second = { id: m.id, token: (await loginMember(api, tenant.slug, m.email)).accessToken };
  }, 30_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('runs the whole sale on short schedules, with every transition recorded and broadcast', async () => {
    const drop = await createDropHttp(
      api,
      tenant.owner.accessToken,
      dropBody(2_500, 9_000, {
        streamUrl: 'https://live.example.test/drop',
        holdSeconds: 30,
        skus: [
          {
            id: 'SKU-1',
            productId: 'P-1',
            name: 'Tee',
            priceMinor: 5_000,
            stock: 2,
            perMemberLimit: 1,
          },
        ],
      }),
    );
    expect(drop.status).toBe('draft');
    // Members do not see drafts; nobody buys in one.
    expect(
      (await api.http().get(`/v1/drops/${drop.id}`).set('authorization', bearer(member()))).status,
    ).toBe(404);
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, { skuId: 'SKU-1', quantity: 1 }),
      409,
      'drops.not_on_sale',
    );

    const scheduled = await api
      .http()
      .post(`/v1/drops/${drop.id}/schedule`)
      .set('authorization', staff());
    expect(scheduled.status).toBe(200);
    expect((scheduled.body as DropBody).status).toBe('scheduled');
    expectErrorBody(
      await api.http().post(`/v1/drops/${drop.id}/schedule`).set('authorization', staff()),
      409,
      'drops.invalid_transition',
    );
    expectErrorBody(
      await api
        .http()
        .patch(`/v1/drops/${drop.id}`)
        .set('authorization', staff())
        .send({ title: 'x' }),
      409,
      'drops.not_editable',
    );

    await statusIs(drop.id, 'live');
    const first = await reserveHttp(api, member(), drop.id, {
      skuId: 'SKU-1',
      quantity: 1,
      idempotencyKey: 'buy-1',
    });
    expect(first.status).toBe(201);
    const hold = first.body as ReservationBody;
    expect(hold).toMatchObject({ status: 'held', quantity: 1, skuId: 'SKU-1' });
    const retry = await reserveHttp(api, member(), drop.id, {
      skuId: 'SKU-1',
      quantity: 1,
      idempotencyKey: 'buy-1',
    });
    expect(retry.status).toBe(200);
    expect((retry.body as ReservationBody).id).toBe(hold.id);
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, {
        skuId: 'SKU-1',
        quantity: 1,
        idempotencyKey: 'buy-1x',
      }),
      409,
      'drops.active_hold_exists',
    );

    const confirm = () =>
      api.http().post(`/v1/reservations/${hold.id}/confirm`).set('authorization', bearer(member()));
    const [c1, c2] = await Promise.all([confirm(), confirm()]);
    expect([c1.status, c2.status]).toEqual([200, 200]);
    const confirmed = c1.body as ReservationBody & { pointsAwarded: number };
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.pointsAwarded).toBeGreaterThan(0);
    expect((c2.body as { pointsAwarded: number }).pointsAwarded).toBe(confirmed.pointsAwarded);
    const points = await api.http().get('/v1/me/points').set('authorization', bearer(member()));
    expect((points.body as { balance: number }).balance).toBe(confirmed.pointsAwarded);
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, { skuId: 'SKU-1', quantity: 1 }),
      409,
      'drops.member_limit_reached',
    );

    // The second member cancels a hold (the unit comes back), then buys the last unit.
    const other = await reserveHttp(api, second.token, drop.id, { skuId: 'SKU-1', quantity: 1 });
    expect(other.status).toBe(201);
    const otherHold = other.body as ReservationBody;
    const cancelled = await api
      .http()
      .delete(`/v1/reservations/${otherHold.id}`)
      .set('authorization', bearer(second.token));
    expect(cancelled.status).toBe(200);
    expect((cancelled.body as ReservationBody).status).toBe('cancelled');
    expectErrorBody(
      await api
        .http()
        .delete(`/v1/reservations/${otherHold.id}`)
        .set('authorization', bearer(second.token)),
      409,
      'drops.reservation_not_held',
    );
    // Not the member's own reservation: 404.
    expectErrorBody(
      await api
        .http()
        .post(`/v1/reservations/${hold.id}/confirm`)
        .set('authorization', bearer(second.token)),
      404,
      'drops.reservation_not_found',
    );
    const last = await reserveHttp(api, second.token, drop.id, { skuId: 'SKU-1', quantity: 1 });
    expect(last.status).toBe(201);
    const lastConfirm = await api
      .http()
      .post(`/v1/reservations/${(last.body as ReservationBody).id}/confirm`)
      .set('authorization', bearer(second.token));
    expect(lastConfirm.status).toBe(200);
    await statusIs(drop.id, 'sold_out', 3_000);

    const mine = await api
      .http()
      .get('/v1/me/reservations')
      .set('authorization', bearer(second.token));
    expect((mine.body as { items: ReservationBody[] }).items.map((r) => r.status)).toEqual([
      'confirmed',
      'cancelled',
    ]);

    await statusIs(drop.id, 'ended', 15_000);
    const report = await api
      .http()
      .get(`/v1/drops/${drop.id}/report`)
      .set('authorization', staff());
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      dropId: drop.id,
      distinctBuyers: 2,
      reservations: { total: 3, confirmed: 2, cancelled: 1, expired: 0, held: 0 },
      tierMix: { none: 2 },
      skus: [{ skuId: 'SKU-1', stock: 2, sold: 2, sellThroughRate: 1 }],
    });
    const { rows } = await api.db.pool.query<{ from_status: string; to_status: string }>(
      'select from_status, to_status from drop_transitions where brand_id = $1 and drop_id = $2 order by at',
      [tenant.brandId, drop.id],
    );
    expect(rows.map((r) => `${r.from_status}>${r.to_status}`)).toEqual([
      'draft>scheduled',
      'scheduled>live',
      'live>sold_out',
      'sold_out>ended',
    ]);
    const events = await api.db.pool.query<{
      topic: string;
      key: string;
      headers: Record<string, string>;
    }>(
      `select topic, key, headers from outbox_messages where brand_id = $1 and topic in ('drop.status_changed', 'drop.ended') order by id`,
      [tenant.brandId],
    );
    expect(events.rows.filter((e) => e.topic === 'drop.status_changed')).toHaveLength(4);
    expect(events.rows.every((e) => e.key === `drop:${drop.id}`)).toBe(true);
    expect(events.rows.find((e) => e.topic === 'drop.ended')).toBeDefined();
  }, 40_000);

  it('lists the drop routes in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    expect(Object.keys((doc.body as { paths: Record<string, unknown> }).paths)).toEqual(
      expect.arrayContaining([
        '/v1/drops',
        '/v1/drops/{id}',
        '/v1/drops/{id}/schedule',
        '/v1/drops/{id}/cancel',
        '/v1/drops/{id}/report',
        '/v1/drops/{id}/reservations',
        '/v1/reservations/{id}/confirm',
        '/v1/reservations/{id}',
        '/v1/me/reservations',
        '/v1/drops/{id}/raffle',
        '/v1/drops/{id}/raffle/entries',
      ]),
    );
    // The reservation route is registered on Fastify directly and documented by hand: its body
    // and answers refer to real schemas.
    const spec = doc.body as {
      paths: Record<string, { post?: Record<string, unknown> }>;
      components: { schemas: Record<string, unknown> };
    };
    expect(spec.paths['/v1/drops/{id}/reservations'].post).toMatchObject({
      security: [{ jwt: [] }],
      requestBody: {
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/CreateReservationRequestDto' },
          },
        },
      },
      responses: {
        '201': {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ReservationResponseDto' } },
          },
        },
      },
    });
    expect(Object.keys(spec.components.schemas)).toEqual(
      expect.arrayContaining([
        'CreateReservationRequestDto',
        'ReservationResponseDto',
        'ErrorResponseDto',
      ]),
    );
  });

  it('validates input, isolates brands and rate-limits reservation attempts per member', async () => {
    const drop = await createDropHttp(api, tenant.owner.accessToken, dropBody(-1_000, 60_000));
    expect(
      (await api.http().post(`/v1/drops/${drop.id}/schedule`).set('authorization', staff())).status,
    ).toBe(200);
    await statusIs(drop.id, 'live');
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, { skuId: 'SKU-1', quantity: 0 }),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, { skuId: 'SKU-1', quantity: 3 }),
      409,
      'drops.member_limit_reached',
    );
    expectErrorBody(
      await reserveHttp(api, member(), drop.id, { skuId: 'NOPE', quantity: 1 }),
      404,
      'drops.sku_not_found',
    );
    expectErrorBody(
      await reserveHttp(api, member(), '00000000-0000-4000-8000-000000000000', {
        skuId: 'SKU-1',
        quantity: 1,
      }),
      404,
      'drops.drop_not_found',
    );
    expectErrorBody(
      await api
        .http()
        .post('/v1/drops')
        .set('authorization', staff())
        .send({
          ...dropBody(1_000, -2_000),
          streamUrl: 'http://insecure.example.test',
        }),
      400,
      'validation_failed',
    );
    // Staff list the brand's drops newest first, by cursor.
    const page1 = await api.http().get('/v1/drops?limit=1').set('authorization', staff());
    const first = page1.body as { items: DropBody[]; nextCursor: string | null };
    expect(first.items.map((d) => d.id)).toEqual([drop.id]);
    const page2 = await api
      .http()
      .get(`/v1/drops?limit=1&cursor=${first.nextCursor}`)
      .set('authorization', staff());
    expect((page2.body as { items: DropBody[] }).items).toHaveLength(1);
    expect((page2.body as { items: DropBody[] }).items[0].id).not.toBe(drop.id);
    // Another brand's staff and members see nothing of this drop.
    const other = await seedTenant(api, 'drops-other');
    expectErrorBody(
      await api
        .http()
        .get(`/v1/drops/${drop.id}`)
        .set('authorization', bearer(other.owner.accessToken)),
      404,
      'drops.drop_not_found',
    );
    expectErrorBody(
      await reserveHttp(api, other.memberTokens.accessToken, drop.id, {
        skuId: 'SKU-1',
        quantity: 1,
      }),
      404,
      'drops.drop_not_found',
    );
    // Members do not create drops.
    expect(
      (
        await api
          .http()
          .post('/v1/drops')
          .set('authorization', bearer(member()))
          .send(dropBody(1_000, 5_000))
      ).status,
    ).toBe(403);
    // A fresh member: 20 attempts per 10 s pass (whatever their outcome), the 21st is refused.
    const m = await registerMember(api, tenant.slug);
    const token = (await loginMember(api, tenant.slug, m.email)).accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (await reserveHttp(api, token, drop.id, { skuId: 'NOPE', quantity: 1 })).status,
      );
    expect(statuses.every((s) => s === 404)).toBe(true);
    const limited = await reserveHttp(api, token, drop.id, { skuId: 'SKU-1', quantity: 1 });
    expectErrorBody(limited, 429, 'drops.reservation_rate_limited');
  }, 30_000);

  it('answers on the Fastify-level reservation route as every controller route does', async () => {
    const drop = await createDropHttp(api, tenant.owner.accessToken, dropBody(-1_000, 60_000));
    const path = `/v1/drops/${drop.id}/reservations`;
    const body = { skuId: 'SKU-1', quantity: 1, idempotencyKey: 'route-1' };
    // Request ids: echoed in the header and the error body.
    const anonymous = await api.http().post(path).set('x-request-id', 'ignored').send(body);
    expectErrorBody(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers['x-request-id']).toBe(
      (anonymous.body as { requestId: string }).requestId,
    );
    expectErrorBody(
      await api.http().post(path).set('authorization', 'Basic abc').send(body),
      401,
      'invalid_token',
    );
    // Staff are not members; the drop is not on sale yet; a malformed id is a 400.
    expectErrorBody(await api.http().post(path).set('authorization', staff()).send(body), 403);
    expectErrorBody(await reserveHttp(api, member(), drop.id, body), 409, 'drops.not_on_sale');
    const badId = await reserveHttp(api, member(), 'not-a-uuid', body);
    expectErrorBody(badId, 400, 'validation_failed');
    expect(badId.body).toMatchObject({
      error: { details: { fields: { id: ['must be a UUID'] } } },
    });
    // The body: unknown fields and bad values named per field, malformed JSON, other media types.
    const unknown = await reserveHttp(api, member(), drop.id, {
      ...body,
      quantity: 0,
      price: 1,
    } as never);
    expectErrorBody(unknown, 400, 'validation_failed');
    expect(
      Object.keys(
        (unknown.body as { error: { details: { fields: object } } }).error.details.fields,
      ).sort(),
    ).toEqual(['price', 'quantity']);
    expectErrorBody(
      await api
        .http()
        .post(path)
        .set('authorization', bearer(member()))
        .set('content-type', 'application/json')
        .send('{"skuId":'),
      400,
      'malformed_body',
    );
    expectErrorBody(
      await api
        .http()
        .post(path)
        .set('authorization', bearer(member()))
        .set('content-type', 'text/plain')
        .send('SKU-1'),
      415,
      'unsupported_media_type',
    );
    // Security headers and the route's metric, as on every route.
    const res = await reserveHttp(api, member(), drop.id, body);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const metrics = await api.http().get('/metrics');
    expect(metrics.text).toMatch(/route="\/v1\/drops\/:id\/reservations",status="409"/);
  });
});
