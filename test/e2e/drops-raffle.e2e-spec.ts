import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { drawSku } from '@app/drops';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { type ReservationBody, createDropHttp, dropBody } from '../support/drop-factories';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';
import { LiveClients } from '../support/drops-live-factories';

interface RaffleBody {
  entries: number;
  seedCommitment: string | null;
  serverSeed: string | null;
  seed: string | null;
  drawnAt: string | null;
  skus: { skuId: string; entrants: { entrant: string; quantity: number }[]; winners: string[] }[];
}

/**
 * A raffle drop over HTTP with the real worker: members enter during the window, the worker's
 * draw job picks the winner at the close with the committed seed (replayable from the public
 * figures), the winner gets a hold that the worker expires, the others get `drop.raffle_lost` on
 * their sockets.
 */
describe('drops: raffle entry → seeded draw at close → winner hold expires, losers notified (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let clients: LiveClients;
  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '25' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    clients = new LiveClients(api);
  }, 30_000);

  afterAll(async () => {
    clients?.closeAll();
    await worker?.close();
    await api?.close();
  });

  it('draws once at the close, replayably, and settles winners and losers', async () => {
    const tenant = await seedTenant(api, 'raffle');
    const members = [{ id: tenant.member.id, token: tenant.memberTokens.accessToken }];
    for (let i = 0; i < 3; i++) {
      const m = await registerMember(api, tenant.slug);
      members.push({ id: m.id, token: (await loginMember(api, tenant.slug, m.email)).accessToken });
    }
    const now = Date.now();
    const drop = await createDropHttp(
      api,
      tenant.owner.accessToken,
      dropBody(6_000, 60_000, {
        mode: 'raffle',
        holdSeconds: 10,
        raffleOpensAt: new Date(now - 1_000).toISOString(),
        raffleClosesAt: new Date(now + 4_000).toISOString(),
        skus: [
          {
            id: 'SKU-1',
            productId: 'P-1',
            name: 'Hyped',
            priceMinor: 9_900,
            stock: 1,
            perMemberLimit: 1,
          },
        ],
      }),
    );
    const schedule = await api
      .http()
      .post(`/v1/drops/${drop.id}/schedule`)
      .set('authorization', bearer(tenant.owner.accessToken));
    expect(schedule.status).toBe(200);

    const lost: string[] = [];
    for (const m of members) {
      const socket = await clients.connect(m.token);
      socket.on('drop.raffle_lost', (e: { payload: { memberId: string; dropId: string } }) => {
        if (e.payload.dropId === drop.id) lost.push(e.payload.memberId);
      });
      const entry = await api
        .http()
        .post(`/v1/drops/${drop.id}/raffle/entries`)
        .set('authorization', bearer(m.token))
        .send({ skuId: 'SKU-1' });
      expect(entry.status).toBe(201);
    }
    expectErrorBody(
      await api
        .http()
        .post(`/v1/drops/${drop.id}/raffle/entries`)
        .set('authorization', bearer(members[0].token))
        .send({ skuId: 'SKU-1' }),
      409,
      'drops.raffle_already_entered',
    );
    // Raffle drops are not sold first come, first served.
    expectErrorBody(
      await api
        .http()
        .post(`/v1/drops/${drop.id}/reservations`)
        .set('authorization', bearer(members[0].token))
        .send({ skuId: 'SKU-1', quantity: 1, idempotencyKey: 'k' }),
      409,
      'drops.raffle_mode',
    );
    const view = () =>
      api
        .http()
        .get(`/v1/drops/${drop.id}/raffle`)
        .set('authorization', bearer(members[0].token))
        .then((res) => res.body as RaffleBody);
    const before = await view();
    expect(before).toMatchObject({ entries: 4, seed: null, serverSeed: null, drawnAt: null });
    expect(before.seedCommitment).toMatch(/^[0-9a-f]{64}$/);

    const after = await waitFor('the draw', async () => {
      const v = await view();
      return v.drawnAt ? v : null;
    });
    expect(after.seedCommitment).toBe(before.seedCommitment);
    const [sku] = after.skus;
    expect(sku.winners).toHaveLength(1);
    expect(drawSku(after.seed!, 'SKU-1', sku.entrants, 1).map((e) => e.entrant)).toEqual(
      sku.winners,
    );

    const holds = await Promise.all(
      members.map(async (m) => {
        const res = await api
          .http()
          .get('/v1/me/reservations')
          .set('authorization', bearer(m.token));
        return { member: m, items: (res.body as { items: ReservationBody[] }).items };
      }),
    );
    const winners = holds.filter((h) => h.items.length === 1);
    expect(winners).toHaveLength(1);
    expect(winners[0].items[0]).toMatchObject({ status: 'held', skuId: 'SKU-1', quantity: 1 });
    const losers = members.filter((m) => m.id !== winners[0].member.id).map((m) => m.id);
    await waitFor('raffle_lost pushes', () => lost.length === 3);
    expect(lost.sort()).toEqual(losers.sort());

    // The winner does not confirm: the worker's expiry job returns the unit.
    const winner = winners[0].member;
    await waitFor(
      'the hold to expire',
      async () => {
        const res = await api
          .http()
          .get('/v1/me/reservations')
          .set('authorization', bearer(winner.token));
        return (res.body as { items: ReservationBody[] }).items[0]?.status === 'expired';
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
  }, 45_000);
});
