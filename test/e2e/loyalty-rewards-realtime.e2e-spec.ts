import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LedgerService } from '@app/loyalty';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { type ApiHarness, bootApi, seedTenant } from '../support/factories';
import { waitFor } from '../support/outbox-testing';
import { SocketClients } from '../support/socket-clients';

interface RealtimeEvent {
  brandId: string;
  topic: string;
  payload: Record<string, unknown>;
}

/** A redemption reaches the member's own sockets through the outbox, the worker and Redis. */
describe('reward.redeemed → outbox → worker → member socket (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  const clients = new SocketClients();

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    clients.closeAll();
    await worker?.close();
    await api?.close();
  });

  const connect = (url: string, token: string) => clients.connect(url, token);

  it('pushes reward.redeemed (and coupon.issued) to the member, not to another member', async () => {
    const tenant = await seedTenant(api, 'rw-rt');
    const other = await seedTenant(api, 'rw-rt-b');
    await api.app.get(LedgerService).earn(tenant.brandId, tenant.member.id, {
      points: 100,
      reason: 'purchase',
      source: 'order',
      actor: { type: 'system' },
      dedupeKey: 'rt-seed',
    });
    const template = await api
      .http()
      .post('/v1/coupon-templates')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .send({ name: '€2', kind: 'amount_off', value: 200 })
      .expect(201);
    const reward = await api
      .http()
      .post('/v1/rewards')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .send({
        type: 'coupon',
        name: '€2 voucher',
        costPoints: 40,
        couponTemplateId: (template.body as { id: string }).id,
      })
      .expect(201);

    const url = await api.app.getUrl();
    const mine = await connect(url, tenant.memberTokens.accessToken);
    const theirs = await connect(url, other.memberTokens.accessToken);
    const seen: RealtimeEvent[] = [];
    const leaked: RealtimeEvent[] = [];
    for (const topic of ['reward.redeemed', 'coupon.issued']) {
      mine.on(topic, (event: RealtimeEvent) => seen.push(event));
      theirs.on(topic, (event: RealtimeEvent) => leaked.push(event));
    }

    const redemption = await api
      .http()
      .post(`/v1/rewards/${(reward.body as { id: string }).id}/redemptions`)
      .set('authorization', `Bearer ${tenant.memberTokens.accessToken}`)
      .set('idempotency-key', 'rt-1')
      .expect(201);
    const { id, coupon } = redemption.body as { id: string; coupon: { id: string } };

    const redeemed = await waitFor('reward.redeemed on the member socket', () =>
      seen.find((e) => e.topic === 'reward.redeemed' && e.payload.redemptionId === id),
    );
    expect(redeemed).toMatchObject({
      brandId: tenant.brandId,
      payload: { memberId: tenant.member.id, points: 40, couponId: coupon.id },
    });
    await waitFor('coupon.issued on the member socket', () =>
      seen.find((e) => e.topic === 'coupon.issued' && e.payload.couponId === coupon.id),
    );
    expect(leaked).toEqual([]);
  });
});
