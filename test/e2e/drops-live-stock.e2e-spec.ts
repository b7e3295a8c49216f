import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type DropStatusChangedPayload,
  DropStockStore,
  DropsService,
  ReservationsService,
} from '@app/drops';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type ApiHarness,
  bootApi,
  loginMember,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import {
  type Ack,
  LiveClients,
  collect,
  insertLiveDrop,
  request,
} from '../support/drops-live-factories';
import { insertMember } from '../support/moderation-factories';
import { waitFor } from '../support/outbox-testing';

interface StockEvent {
  dropId: string;
  skus: { skuId: string; available: number; version: number }[];
  at: string;
}

interface StatusEvent {
  topic: string;
  payload: DropStatusChangedPayload;
}

/** Live stock and status changes reaching real socket.io clients of the room. */
describe('drop live room: stock and state (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let clients: LiveClients;

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    clients = new LiveClients(api);
  });

  afterAll(async () => {
    clients?.closeAll();
    await worker?.close();
    await api?.close();
  });

  it('a burst of reservations reaches the room as few coalesced pushes, in version order, ending on the exact stock', async () => {
    const tenant = await seedTenant(api, 'live-stock');
    const drop = await insertLiveDrop(api.db, tenant.brandId, {
      skus: [
        { id: 'HOT', stock: 200 },
        { id: 'COLD', stock: 5 },
      ],
    });
    const viewer = await clients.connect(tenant.memberTokens.accessToken);
    const ack = await request<Ack>(viewer, 'drop:join', { dropId: drop.id });
    const joinedVersion = (ack.stock as StockEvent['skus']).find((s) => s.skuId === 'HOT')!;
    expect(joinedVersion.available).toBe(200);
    const pushes = collect<StockEvent>(viewer, 'drop.stock');

    const buyers = await Promise.all(
      Array.from({ length: 60 }, () => insertMember(api.db, tenant.brandId)),
    );
    const reservations = api.app.get(ReservationsService);
    // Six waves of 10 concurrent reservations, 60 ms apart: about 400 ms of sale.
    const started = Date.now();
    const results: Awaited<ReturnType<ReservationsService['reserve']>>[] = [];
    for (let wave = 0; wave < 6; wave += 1) {
      results.push(
        ...(await Promise.all(
          buyers.slice(wave * 10, wave * 10 + 10).map((memberId) =>
            reservations.reserve(tenant.brandId, memberId, drop.id, {
              skuId: 'HOT',
              quantity: 1,
              idempotencyKey: unique(),
            }),
          ),
        )),
      );
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(60);

    await waitFor('the final stock on the socket', () =>
      pushes.find((p) => p.skus.find((s) => s.skuId === 'HOT')?.available === 140),
    );
    // Settled: no push for 400 ms (a change may still be in its window when 140 first shows).
    for (let seen = -1; seen !== pushes.length;) {
      seen = pushes.length;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    const last = pushes[pushes.length - 1];
    expect(last.skus.find((s) => s.skuId === 'HOT')).toMatchObject({ available: 140 });
    // Coalesced: at most one push per 100 ms window of the burst (+ the first and the trailing one).
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(pushes.length).toBeLessThan(60);
    expect(pushes.length).toBeGreaterThan(1); // the stock fell live, not only at the end
    const versions = pushes.map((p) => p.skus.find((s) => s.skuId === 'HOT')!.version);
    expect(versions[0]).toBeGreaterThan(joinedVersion.version);
    for (let i = 1; i < versions.length; i += 1)
      expect(versions[i]).toBeGreaterThan(versions[i - 1]);
    const available = pushes.map((p) => p.skus.find((s) => s.skuId === 'HOT')!.available);
    for (let i = 1; i < available.length; i += 1)
      expect(available[i]).toBeLessThanOrEqual(available[i - 1]);
    expect(last).toMatchObject({ dropId: drop.id, at: expect.any(String) });
    expect(last.skus.find((s) => s.skuId === 'COLD')).toMatchObject({ available: 5 });
    // The push is the store's truth.
    const snapshot = await api.app.get(DropStockStore).snapshot(tenant.brandId, drop.id);
    expect(snapshot.find((s) => s.skuId === 'HOT')).toMatchObject({ available: 140, held: 60 });

    // A release (cancel) is pushed too, with a higher version.
    await reservations.cancel(tenant.brandId, buyers[0], results[0].reservation.id);
    await waitFor('the released unit on the socket', () =>
      pushes.find((p) => p.skus.find((s) => s.skuId === 'HOT')?.available === 141),
    );
  });

  it('status changes reach the room with the schedule; the join ack carries the countdown', async () => {
    const tenant = await seedTenant(api, 'live-state');
    const drops = api.app.get(DropsService);
    const startsAt = new Date(Date.now() + 60_000);
    const endsAt = new Date(Date.now() + 3_600_000);
    const created = await drops.create(
      { brandId: tenant.brandId, id: tenant.fixture.owner.id },
      {
        title: 'Countdown drop',
        startsAt,
        endsAt,
        skus: [{ id: 'S1', productId: 'P1', name: 'Sneaker', priceMinor: 9900, stock: 10 }],
      },
    );
    const host = await clients.connect(tenant.owner.accessToken);
    expect(await request(host, 'drop:join', { dropId: created.id })).toMatchObject({
      ok: true,
      drop: { status: 'draft', version: 0 },
    });
    const changes = collect<StatusEvent>(host, 'drop.status_changed');

    await drops.schedule({ brandId: tenant.brandId, id: tenant.fixture.owner.id }, created.id);
    const member = await clients.connect(tenant.memberTokens.accessToken);
    const ack = await request<Ack>(member, 'drop:join', { dropId: created.id });
    expect(ack).toMatchObject({
      ok: true,
      drop: { status: 'scheduled', version: 1, startsAt: startsAt.toISOString() },
    });
    const countdown = Date.parse(startsAt.toISOString()) - Date.parse(ack.serverTime as string);
    expect(countdown).toBeGreaterThan(55_000);
    expect(countdown).toBeLessThanOrEqual(60_000);
    const memberChanges = collect<StatusEvent>(member, 'drop.status_changed');

    await drops.advance(tenant.brandId, created.id, new Date(startsAt.getTime() + 1));
    for (const socket of [changes, memberChanges])
      await waitFor('scheduled → live on the room', () =>
        socket.find((c) => c.payload.to === 'live'),
      );
    await drops.advance(tenant.brandId, created.id, new Date(endsAt.getTime() + 1));
    for (const socket of [changes, memberChanges])
      await waitFor('live → ended on the room', () => socket.find((c) => c.payload.to === 'ended'));
    // Each push names the version it made. Outbox drainers may deliver two quick changes out of
    // order (clients keep the highest version), so pushes are compared in version order: each
    // change reaches the room exactly once.
    const byVersion = (events: StatusEvent[]) =>
      [...events].sort((a, b) => a.payload.version - b.payload.version);
    expect(
      byVersion(changes).map((c) => [c.payload.version, c.payload.from, c.payload.to]),
    ).toEqual([
      [1, 'draft', 'scheduled'],
      [2, 'scheduled', 'live'],
      [3, 'live', 'ended'],
    ]);
    // (The member may also see `scheduled` if it joined before that push arrived.)
    expect(
      byVersion(memberChanges)
        .map((c) => c.payload.to)
        .slice(-2),
    ).toEqual(['live', 'ended']);
    expect(changes.find((c) => c.payload.to === 'live')?.payload).toMatchObject({
      dropId: created.id,
      startsAt: startsAt.toISOString(),
      at: expect.any(String),
    });
  });
});

/** A room above the fanout budget gets its stock pushes spaced out (ADR 0025). */
describe('drop live room: fanout budget (e2e)', () => {
  let api: ApiHarness;
  let clients: LiveClients;

  beforeAll(async () => {
    // 10 messages/s in all: a room of 2 viewers gets one push per 200 ms instead of 100 ms.
    api = await bootApi({ DROP_STOCK_FANOUT_PER_SECOND: '10' });
    await api.app.listen(0, '127.0.0.1');
    clients = new LiveClients(api);
  });

  afterAll(async () => {
    clients?.closeAll();
    await api?.close();
  });

  it('spaces the pushes of a crowded room by its viewer count, the last change included', async () => {
    const tenant = await seedTenant(api, 'live-fanout');
    const drop = await insertLiveDrop(api.db, tenant.brandId, {
      skus: [{ id: 'HOT', stock: 100 }],
    });
    const second = await registerMember(api, tenant.slug);
    const viewers = [
      await clients.connect(tenant.memberTokens.accessToken),
      await clients.connect((await loginMember(api, tenant.slug, second.email)).accessToken),
    ];
    for (const viewer of viewers)
      expect(await request<Ack>(viewer, 'drop:join', { dropId: drop.id })).toMatchObject({
        ok: true,
      });
    const arrivals: number[] = [];
    const pushes = collect<StockEvent>(viewers[0], 'drop.stock');
    viewers[0].on('drop.stock', () => arrivals.push(Date.now()));

    const buyers = await Promise.all(
      Array.from({ length: 40 }, () => insertMember(api.db, tenant.brandId)),
    );
    const reservations = api.app.get(ReservationsService);
    const started = Date.now();
    for (const memberId of buyers) {
      await reservations.reserve(tenant.brandId, memberId, drop.id, {
        skuId: 'HOT',
        quantity: 1,
        idempotencyKey: unique(),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = Date.now() - started;
    await waitFor('the final stock on the socket', () =>
      pushes.find((p) => p.skus[0].available === 60),
    );
    // About one push per 200 ms (the first at once), never two within one window; at 100 ms
    // (no budget) a sale of this length would have about twice as many.
    expect(pushes.length).toBeGreaterThan(2);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    for (let i = 2; i < arrivals.length; i += 1)
      expect(arrivals[i] - arrivals[i - 1]).toBeGreaterThanOrEqual(150);
    expect(pushes[pushes.length - 1].skus[0]).toMatchObject({ available: 60 });
  });
});
