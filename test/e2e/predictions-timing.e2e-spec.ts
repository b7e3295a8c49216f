import { getQueueToken } from '@nestjs/bull';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import { QUEUES } from '@app/common';
import { PREDICTIONS_JOBS } from '@app/ml';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { PREDICTIONS_REFIT_CRON, refitJobId } from '../../apps/worker/src/ml/predictions.processor';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import { countRows, waitFor } from '../support/outbox-testing';
import { signStorefrontRequest } from '../support/storefront-signing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

const DAY_MS = 86_400_000;

/**
 * Orders go in through the signed storefront API; the worker's order.paid consumer finds no
 * timing model yet and queues the brand's first (delayed) refit; the nightly refit, triggered
 * here on the worker's queue, fits and scores every member: one who buys every few days and is
 * due again shows up in likely-7d (with one purchase-window event), a lapsed member does not.
 * A further order refreshes that member with the active model.
 */
describe('next-purchase predictions: orders → worker refit/refresh → staff segments (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let tenant: Tenant;

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50', TF_BACKEND: 'cpu' });
    worker = await createWorkerApp(api.config);
    await worker.init();
    tenant = await seedTenant(api, 'timing');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const order = async (memberId: string, daysAgo: number, paidTotalMinor = 2500) => {
    const body = JSON.stringify({
      orderId: `SO-${unique()}`,
      memberId,
      lines: [
        {
          productId: 'SKU-1',
          quantity: 1,
          unitPriceMinor: paidTotalMinor,
          paidMinor: paidTotalMinor,
        },
      ],
      paidTotalMinor,
      currency: 'USD',
      channel: 'online',
      placedAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    });
    const headers = signStorefrontRequest({
      apiKey: tenant.apiKey.key,
      method: 'POST',
      path: '/v1/orders',
      body,
    });
    const res = await api.http().post('/v1/orders').set(headers).send(body);
    expect(res.status).toBe(201);
  };

  const staffGet = (path: string, token = tenant.owner.accessToken) =>
    api.http().get(path).set('authorization', `Bearer ${token}`);

  const windowEvents = (memberId: string) =>
    countRows(
      api.db,
      `select 1 from outbox_messages where brand_id = $1 and topic = 'member.purchase_window_entered' and key = $2`,
      [tenant.brandId, `member:${memberId}`],
    );

  it('scores members after their orders and lists the due one in likely-7d, once per window', async () => {
    const due = tenant.member.id;
    const regulars = await Promise.all([1, 2, 3].map(() => registerMember(api, tenant.slug)));
    const lapsed = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => registerMember(api, tenant.slug)),
    );
    // The due member buys every 4 days for 12 weeks, last 3 days ago.
    for (let d = 83; d >= 3; d -= 4) await order(due, d);
    for (const [i, m] of regulars.entries())
      for (let d = 80 - i; d >= 8; d -= 9) await order(m.id, d);
    for (const [i, m] of lapsed.entries()) {
      await order(m.id, 320 - i * 7);
      await order(m.id, 250 - i * 7, 4000);
    }

    await waitFor(
      'the orders to be consumed',
      async () => {
        const pending = await countRows(
          api.db,
          `select 1 from outbox_messages where brand_id = $1 and topic = 'order.paid' and delivered_at is null`,
          [tenant.brandId],
        );
        return pending === 0;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const queue = worker.get<Queue>(getQueueToken(QUEUES.mlPredictions));
    const firstRefit = await queue.getJob(refitJobId(tenant.brandId, 'first'));
    expect(firstRefit && (await firstRefit.isDelayed())).toBe(true);
    // The nightly schedule is registered; run it now, as 03:00 UTC would.
    const schedules = await queue.getRepeatableJobs();
    expect(schedules.map((j) => [j.name, j.cron])).toContainEqual([
      PREDICTIONS_JOBS.refitAll,
      PREDICTIONS_REFIT_CRON,
    ]);
    await queue.add(PREDICTIONS_JOBS.refitAll, {});

    const prediction = await waitFor(
      'the due member to be scored',
      async () => {
        const res = await staffGet(`/v1/members/${due}/predictions`);
        return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(prediction).toMatchObject({ memberId: due });
    expect(['hazard', 'bgnbd', 'recency']).toContain(prediction.algorithm);
    expect(prediction.p7 as number).toBeGreaterThanOrEqual(0.5);
    expect(prediction.p14 as number).toBeGreaterThanOrEqual(prediction.p7 as number);
    expect(prediction.p28 as number).toBeGreaterThanOrEqual(prediction.p14 as number);
    expect(prediction.pAlive as number).toBeGreaterThan(0.5);
    expect(prediction.clv12mMinor as number).toBeGreaterThan(0);
    expect(prediction.nextPurchaseAt).not.toBeNull();
    expect(prediction.windowEnteredAt).not.toBeNull();

    const segment = await staffGet('/v1/predictions/segments/likely-7d').expect(200);
    const ids = (segment.body as { items: { memberId: string }[] }).items.map((i) => i.memberId);
    expect(ids).toContain(due);
    for (const m of lapsed) expect(ids).not.toContain(m.id);
    expect(await windowEvents(due)).toBe(1);

    // A lapsed member is scored but far from a purchase window.
    const cold = await staffGet(`/v1/members/${lapsed[0].id}/predictions`).expect(200);
    expect((cold.body as { p7: number }).p7).toBeLessThan(0.5);

    // Another order refreshes the member's prediction with the active model; still in the same
    // window, so no second event.
    const before = prediction.computedAt as string;
    await order(due, 0);
    const refreshed = await waitFor(
      'the refresh after the new order',
      async () => {
        const res = await staffGet(`/v1/members/${due}/predictions`);
        const body = res.body as { computedAt: string; modelVersionId: string };
        return body.computedAt > before ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(refreshed.modelVersionId).toBe(prediction.modelVersionId);
    expect(await windowEvents(due)).toBe(1);
  }, 180_000);

  it('pages a segment with a cursor', async () => {
    const first = await staffGet('/v1/predictions/segments/likely-28d?limit=1').expect(200);
    const page = first.body as {
      items: { memberId: string; p28: number }[];
      nextCursor: string | null;
    };
    expect(page.items).toHaveLength(1);
    if (page.nextCursor) {
      const next = await staffGet(
        `/v1/predictions/segments/likely-28d?limit=1&cursor=${page.nextCursor}`,
      ).expect(200);
      const second = (next.body as { items: { memberId: string; p28: number }[] }).items;
      expect(second[0].memberId).not.toBe(page.items[0].memberId);
      expect(second[0].p28).toBeLessThanOrEqual(page.items[0].p28);
    }
    await staffGet('/v1/predictions/segments/at-risk').expect(200);
  });

  it('is for owners and marketers of the brand only; unknown members and segments are refused', async () => {
    const marketer = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'marketer');
    await staffGet(
      `/v1/members/${tenant.member.id}/predictions`,
      marketer.tokens.accessToken,
    ).expect(200);
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    expectErrorBody(
      await staffGet(`/v1/members/${tenant.member.id}/predictions`, moderator.tokens.accessToken),
      403,
    );
    expectErrorBody(
      await staffGet(
        `/v1/members/${tenant.member.id}/predictions`,
        tenant.memberTokens.accessToken,
      ),
      403,
    );
    const other = await seedTenant(api, 'timing-other');
    expectErrorBody(
      await staffGet(`/v1/members/${tenant.member.id}/predictions`, other.owner.accessToken),
      404,
      'ml.member_not_found',
    );
    expectErrorBody(
      await staffGet(`/v1/members/${other.member.id}/predictions`, other.owner.accessToken),
      404,
      'ml.prediction_not_found',
    );
    expectErrorBody(await staffGet('/v1/predictions/segments/whales'), 400);

    const doc = await api.http().get('/docs-json').expect(200);
    const paths = (doc.body as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/members/{id}/predictions',
        '/v1/predictions/segments/{segment}',
      ]),
    );
  });
});
