import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Socket, io } from 'socket.io-client';
import { WEBHOOK_HEADERS, verifyWebhook } from '@app/loyalty';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';
import { signStorefrontRequest } from '../support/storefront-signing';

const DAY = 86_400_000;
type Results = {
  treatment: { members: number; units: number; converted: number; revenueMinor: number };
  holdout: { members: number; units: number };
  cost: { discountMinor: number; redeemedCoupons: number; totalMinor: number };
  funnel: { issued: number; delivered: number; opened: number; redeemed: number; heldOut: number };
  uplift: { estimate: number; low: number; high: number } | null;
};

/**
 * The win-back loop over HTTP with the real worker: members lapse into `dormant` on a segment
 * recompute → the campaign's engine issues a coupon to treatment (pushed in-app and by signed
 * webhook) or holds the member out → the member redeems at checkout → the results count it.
 */
describe('win-back campaign: dormant → coupon → redeemed → results (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let hooks: Server;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await new Promise((resolve) => hooks?.close(resolve));
    await worker?.close();
    await api?.close();
  });

  const storefront = (key: string, path: string, body: unknown) => {
    const raw = JSON.stringify(body);
    const headers = signStorefrontRequest({ apiKey: key, method: 'POST', path, body: raw });
    return api.http().post(path).set(headers).send(raw);
  };
  const order = (
    key: string,
    memberId: string,
    externalId: string,
    placedAt: Date,
    total: number,
  ) =>
    storefront(key, '/v1/orders', {
      orderId: externalId,
      memberId,
      currency: 'USD',
      channel: 'online',
      placedAt: placedAt.toISOString(),
      paidTotalMinor: total,
      lines: [{ productId: 'SKU-1', quantity: 1, unitPriceMinor: total, paidMinor: total }],
    });

  it('runs the whole loop and measures it', async () => {
    const tenant = await seedTenant(api, 'winback');
    const marketer = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer');
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    const auth = { authorization: `Bearer ${marketer.tokens.accessToken}` };
    const webhook = await api
      .http()
      .post('/v1/webhooks')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .send({
        url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/sms`,
        topics: ['offer.*'],
      })
      .expect(201);
    const secret = (webhook.body as { secret: string }).secret;

    const template = await api
      .http()
      .post('/v1/coupon-templates')
      .set(auth)
      .send({ name: 'We miss you: $5 off', kind: 'amount_off', value: 500, validDays: 30 })
      .expect(201);
    const templateId = (template.body as { id: string }).id;

    // Eight members who bought once, 100 days ago.
    const lapsedAt = new Date(Date.now() - 100 * DAY);
    const members: Array<{ id: string; email: string }> = [];
    for (let i = 0; i < 8; i += 1) {
      const m = await registerMember(api, tenant.slug);
      members.push(m);
      await order(tenant.apiKey.key, m.id, `old-${i}`, lapsedAt, 4000).expect(201);
    }

    const campaignBody = {
      name: 'Win-back',
      trigger: { type: 'lifecycle_change', to: ['dormant'] },
      audience: { minOrders: 1 },
      reward: { type: 'coupon', templateId },
      message: {
        template: 'Hi {{firstName}}, here is {{couponCode}}',
        channels: ['in_app', 'webhook'],
      },
      caps: { budgetMinor: 100_000, perMember: { max: 1, days: 30 } },
      holdoutBp: 2500,
      attributionDays: 14,
    };
    // Validation: no cap, or a 0 % holdout, needs an explicit override; moderators cannot create.
    expectErrorBody(
      await api
        .http()
        .post('/v1/campaigns')
        .set(auth)
        .send({ ...campaignBody, caps: {} }),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await api
        .http()
        .post('/v1/campaigns')
        .set(auth)
        .send({ ...campaignBody, holdoutBp: 0 }),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await api
        .http()
        .post('/v1/campaigns')
        .set('authorization', `Bearer ${moderator.tokens.accessToken}`)
        .send(campaignBody),
      403,
      'insufficient_role',
    );
    const created = await api.http().post('/v1/campaigns').set(auth).send(campaignBody).expect(201);
    const campaign = created.body as { id: string; status: string; reward: { costMinor: number } };
    expect(campaign).toMatchObject({ status: 'draft', reward: { costMinor: 500 } });

    // The worker scores each member on its order.paid; then, as of the day after the orders,
    // everyone is `new`.
    await waitFor('order.paid scored', async () => {
      const { rows } = await api.db.pool.query<{ n: number }>(
        'select count(*)::int as n from member_segments where brand_id = $1',
        [tenant.brandId],
      );
      return rows[0].n === 8;
    });
    await api
      .http()
      .post('/v1/segments/recompute')
      .set(auth)
      .send({ asOf: new Date(lapsedAt.getTime() + DAY).toISOString() })
      .expect(200);
    const preview = await api
      .http()
      .get(`/v1/campaigns/${campaign.id}/preview`)
      .set(auth)
      .expect(200);
    expect(preview.body).toMatchObject({ audienceSize: 8, unitCostMinor: 500 });
    expect((preview.body as { expectedCostMinor: number }).expectedCostMinor).toBe(
      (preview.body as { expectedTreated: number }).expectedTreated * 500,
    );
    await api.http().post(`/v1/campaigns/${campaign.id}/launch`).set(auth).expect(200);

    // Every member listens on its socket.
    const url = await api.app.getUrl();
    const pushes = new Map<string, Array<{ payload: { offerId: string; message: string } }>>();
    for (const m of members) {
      const token = (await loginMember(api, tenant.slug, m.email)).accessToken;
      const socket = io(url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.once('session', () => resolve());
      });
      pushes.set(m.id, []);
      socket.on('offer.issued', (event: { payload: { offerId: string; message: string } }) =>
        pushes.get(m.id)!.push(event),
      );
    }

    // Now they are dormant: the recompute publishes member.lifecycle_changed for each.
    const recompute = await api
      .http()
      .post('/v1/segments/recompute')
      .set(auth)
      .send({})
      .expect(200);
    expect(recompute.body).toMatchObject({ members: 9, lifecycleChanges: 8 });
    const dormant = await api
      .http()
      .get('/v1/segments/members?lifecycle=dormant')
      .set(auth)
      .expect(200);
    expect((dormant.body as { items: unknown[] }).items).toHaveLength(8);

    const results = () =>
      api
        .http()
        .get(`/v1/campaigns/${campaign.id}/results`)
        .set(auth)
        .then((r) => r.body as Results);
    const settled = await waitFor('every member issued or held out, and delivered', async () => {
      const r = await results();
      return (
        r.funnel.issued + r.funnel.heldOut === 8 && r.funnel.delivered === r.funnel.issued && r
      );
    });
    expect(settled.treatment.members + settled.holdout.members).toBe(8);
    expect(settled.funnel.issued).toBeGreaterThan(0);

    // Treatment members got the push and the provider got a signed webhook; holdout got nothing.
    const { rows: offers } = await api.db.pool.query<{
      id: string;
      member_id: string;
      arm: string;
    }>('select id, member_id, arm from offers where campaign_id = $1', [campaign.id]);
    expect(offers).toHaveLength(8);
    await waitFor(
      'pushes and webhooks',
      () =>
        received.length === settled.funnel.issued &&
        offers
          .filter((o) => o.arm === 'treatment')
          .every((o) => pushes.get(o.member_id)!.length === 1),
    );
    for (const o of offers.filter((x) => x.arm === 'holdout'))
      expect(pushes.get(o.member_id)).toEqual([]);
    for (const hook of received) {
      expect(
        verifyWebhook(
          secret,
          {
            timestamp: String(hook.headers[WEBHOOK_HEADERS.timestamp]),
            signature: String(hook.headers[WEBHOOK_HEADERS.signature]),
          },
          hook.body,
        ),
      ).toBe(true);
      expect(JSON.parse(hook.body)).toMatchObject({ topic: 'offer.issued' });
    }

    // One treated member opens the offer, redeems the code at checkout and pays.
    const treated = offers.find((o) => o.arm === 'treatment')!;
    const member = members.find((m) => m.id === treated.member_id)!;
    const push = pushes.get(member.id)![0].payload;
    expect(push.offerId).toBe(treated.id);
    const code = /here is (\S+)/.exec(push.message)![1];
    await api
      .http()
      .post(`/v1/offers/${treated.id}/opened`)
      .set('x-api-key', tenant.apiKey.key)
      .expect(200);
    await storefront(tenant.apiKey.key, '/v1/coupons/redeem', {
      code,
      memberId: member.id,
      orderId: 'winback-1',
      orderSubtotalMinor: 6000,
    }).expect(200);
    await order(tenant.apiKey.key, member.id, 'winback-1', new Date(), 5500).expect(201);

    const final = await waitFor('redemption counted', async () => {
      const r = await results();
      return r.funnel.redeemed === 1 && r;
    });
    expect(final.funnel.opened).toBe(1);
    expect(final.treatment.converted).toBe(1);
    expect(final.treatment.revenueMinor).toBe(5500);
    expect(final.cost).toMatchObject({ discountMinor: 500, redeemedCoupons: 1, totalMinor: 500 });

    // Another brand's staff cannot see it; pause/resume work.
    const other = await seedTenant(api, 'winback-b');
    expectErrorBody(
      await api
        .http()
        .get(`/v1/campaigns/${campaign.id}/results`)
        .set('authorization', `Bearer ${other.owner.accessToken}`),
      404,
      'offers.campaign_not_found',
    );
    await api.http().post(`/v1/campaigns/${campaign.id}/pause`).set(auth).expect(200);
    expectErrorBody(
      await api.http().post(`/v1/campaigns/${campaign.id}/pause`).set(auth),
      409,
      'offers.campaign_status_conflict',
    );
    await api.http().post(`/v1/campaigns/${campaign.id}/resume`).set(auth).expect(200);
  });

  it('staff tags members and lists segments', async () => {
    const tenant = await seedTenant(api, 'tags');
    const owner = { authorization: `Bearer ${tenant.owner.accessToken}` };
    await api.http().put(`/v1/members/${tenant.member.id}/tags/vip`).set(owner).expect(204);
    await api.http().put(`/v1/members/${tenant.member.id}/tags/vip`).set(owner).expect(204);
    expectErrorBody(
      await api.http().put(`/v1/members/${tenant.member.id}/tags/No%20Way`).set(owner),
      400,
    );
    const view = await api
      .http()
      .get(`/v1/members/${tenant.member.id}/segments`)
      .set(owner)
      .expect(200);
    expect(view.body).toMatchObject({ tags: ['vip'] });
    const seg = await api
      .http()
      .post('/v1/segments')
      .set(owner)
      .send({ name: 'VIPs', definition: { tags: ['vip'] } })
      .expect(201);
    const id = (seg.body as { id: string }).id;
    const got = await api.http().get(`/v1/segments/${id}`).set(owner).expect(200);
    expect(got.body).toMatchObject({ name: 'VIPs', size: 1 });
    await api.http().delete(`/v1/members/${tenant.member.id}/tags/vip`).set(owner).expect(204);
    expectErrorBody(
      await api.http().delete(`/v1/members/${tenant.member.id}/tags/vip`).set(owner),
      404,
    );
    const members = await api.http().get(`/v1/segments/${id}/members`).set(owner).expect(200);
    expect((members.body as { items: unknown[] }).items).toEqual([]);
    expectErrorBody(
      await api
        .http()
        .post('/v1/segments')
        .set(owner)
        .send({ name: 'x', definition: { lifecycle: ['zombie'] } }),
      400,
    );
  });
});
