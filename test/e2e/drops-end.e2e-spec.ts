import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type DropBody,
  type ReservationBody,
  createDropHttp,
  dropBody,
  reserveHttp,
} from '../support/drop-factories';
import { LiveClients, collect, request } from '../support/drops-live-factories';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface StatusEvent {
  payload: { dropId: string; from: string; to: string };
}

/**
 * Staff "end now" (POST /v1/drops/{id}/end) with the real api and worker: the same `ended`
 * transition as the scheduled end — room broadcast, report, sale closed, holds left to run — and
 * idempotent; drops that never opened or were cancelled are refused with a code.
 */
describe('drops: end now (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let clients: LiveClients;
  let tenant: Tenant;
  let marketer: string;
  const bearer = (token: string) => `Bearer ${token}`;
  const end = (id: string, token = marketer) =>
    api.http().post(`/v1/drops/${id}/end`).set('authorization', bearer(token));
  const schedule = async (id: string) => {
    const res = await api
      .http()
      .post(`/v1/drops/${id}/schedule`)
      .set('authorization', bearer(tenant.owner.accessToken));
    expect(res.status).toBe(200);
    return res.body as DropBody;
  };

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '25' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    clients = new LiveClients(api);
    tenant = await seedTenant(api, 'drops-end');
    marketer = (await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer')).tokens
      .accessToken;
  }, 30_000);

  afterAll(async () => {
    clients?.closeAll();
    await worker?.close();
    await api?.close();
  });

  it('ends a live drop at once: the room hears it, the report is written, the sale closes and holds run on', async () => {
    const drop = await createDropHttp(api, tenant.owner.accessToken, dropBody(-60_000, 3_600_000));
    expect((await schedule(drop.id)).status).toBe('live');
    const held = await reserveHttp(api, tenant.memberTokens.accessToken, drop.id, {
      skuId: 'SKU-1',
      quantity: 1,
    });
    expect(held.status).toBe(201);
    const reservation = held.body as ReservationBody;

    const host = await clients.connect(tenant.owner.accessToken);
    expect(await request(host, 'drop:join', { dropId: drop.id })).toMatchObject({ ok: true });
    const changes = collect<StatusEvent>(host, 'drop.status_changed');

    const res = await end(drop.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: drop.id, status: 'ended' });
    await waitFor('live → ended on the room', () =>
      changes.find((c) => c.payload.dropId === drop.id && c.payload.to === 'ended'),
    );
    expect(changes.map((c) => [c.payload.from, c.payload.to])).toEqual([['live', 'ended']]);

    const transitions = await api.db.pool.query<{ to_status: string; actor_type: string }>(
      'select to_status, actor_type from drop_transitions where brand_id = $1 and drop_id = $2 order by at',
      [tenant.brandId, drop.id],
    );
    expect(transitions.rows.at(-1)).toEqual({ to_status: 'ended', actor_type: 'staff' });
    const report = await api
      .http()
      .get(`/v1/drops/${drop.id}/report`)
      .set('authorization', bearer(marketer));
    expect(report.status).toBe(200);

    // The sale is closed; the hold taken before the end is left to run out or be confirmed,
    // exactly as at the scheduled end.
    expectErrorBody(
      await reserveHttp(api, tenant.memberTokens.accessToken, drop.id, {
        skuId: 'SKU-1',
        quantity: 1,
      }),
      409,
      'drops.not_on_sale',
    );
    const { rows } = await api.db.pool.query<{ status: string }>(
      'select status from drop_reservations where brand_id = $1 and id = $2',
      [tenant.brandId, reservation.id],
    );
    expect(rows[0].status).toBe('held');

    // Idempotent: a second end answers the ended drop and moves nothing.
    const again = await end(drop.id, tenant.owner.accessToken);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: drop.id, status: 'ended', version: res.body.version });
    const outbox = await api.db.pool.query<{ n: number }>(
      `select count(*)::int as n from outbox_messages
        where brand_id = $1 and topic = 'drop.status_changed' and payload->>'dropId' = $2 and payload->>'to' = 'ended'`,
      [tenant.brandId, drop.id],
    );
    expect(outbox.rows[0].n).toBe(1);
  });

  it('refuses drafts, scheduled and cancelled drops with drops.not_endable', async () => {
    const draft = await createDropHttp(api, tenant.owner.accessToken, dropBody(-60_000, 3_600_000));
    const refused = await end(draft.id);
    expectErrorBody(refused, 409, 'drops.not_endable');
    expect(refused.body).toMatchObject({
      error: { message: expect.stringMatching(/cancel it instead/), details: { status: 'draft' } },
    });

    const future = await createDropHttp(
      api,
      tenant.owner.accessToken,
      dropBody(3_600_000, 3_600_000),
    );
    expect((await schedule(future.id)).status).toBe('scheduled');
    expectErrorBody(await end(future.id), 409, 'drops.not_endable');

    const cancelled = await api
      .http()
      .post(`/v1/drops/${future.id}/cancel`)
      .set('authorization', bearer(marketer));
    expect(cancelled.status).toBe(200);
    expectErrorBody(await end(future.id), 409, 'drops.not_endable');

    const { rows } = await api.db.pool.query<{ id: string; status: string }>(
      'select id, status from drops where brand_id = $1 and id = any($2::uuid[])',
      [tenant.brandId, [draft.id, future.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [draft.id]: 'draft',
      [future.id]: 'cancelled',
    });
  });

  it('admits owners and marketers only, and another brand’s drop is not found', async () => {
    const drop = await createDropHttp(api, tenant.owner.accessToken, dropBody(-60_000, 3_600_000));
    await schedule(drop.id);
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    expectErrorBody(await end(drop.id, moderator.tokens.accessToken), 403);
    expectErrorBody(await end(drop.id, tenant.memberTokens.accessToken), 403);
    await api.http().post(`/v1/drops/${drop.id}/end`).expect(401);
    const other = await seedTenant(api, 'drops-end-other');
    expectErrorBody(await end(drop.id, other.owner.accessToken), 404, 'drops.drop_not_found');
    expect((await api.http().get('/docs-json').expect(200)).body.paths).toHaveProperty([
      '/v1/drops/{id}/end',
      'post',
    ]);
  });
});
