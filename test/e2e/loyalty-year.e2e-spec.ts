import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bull';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import { type Socket, io } from 'socket.io-client';
import { QUEUES } from '@app/common';
import {
  LedgerInvariants,
  LedgerService,
  PointsExpiryService,
  addDays,
  addMonths,
  verifyWebhook,
} from '@app/loyalty';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { TIER_REVIEW_JOB } from '../../apps/worker/src/loyalty/tiers/tier-review.processor';
import { type ApiHarness, bootApi, seedTenant, unique } from '../support/factories';
import { waitFor } from '../support/outbox-testing';
import { signStorefrontRequest } from '../support/storefront-signing';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;
const DAY = 86_400_000;

/**
 * A member's full year, through the real api and worker: orders placed over the past months,
 * behaviour events, an upgrade to silver then gold as the figures arrive, a full refund (points
 * clawed back, no downgrade outside a review), the yearly review warning then downgrading, and the
 * year-old lots expiring. Orders earn at ingestion time (T), so lots expire a year after T; jobs
 * take an explicit as-of instant to play the following year forward.
 */
describe('a member’s full year: orders, refund, behaviour points, tier up, review down, expiry (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let tenant: Tenant;
  let receiver: Server;
  let socket: Socket | undefined;
  const pushed: string[] = [];
  const hooks: { headers: IncomingHttpHeaders; raw: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        hooks.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    api = await bootApi({ OUTBOX_POLL_MS: '25' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    tenant = await seedTenant(api, 'year');
  });
  afterAll(async () => {
    socket?.disconnect();
    await worker?.close();
    await api?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const bearer = (token: string) => `Bearer ${token}`;
  const signedPost = (path: string, body: unknown) => {
    const raw = JSON.stringify(body);
    // Each call is signed with a fresh nonce, so identical bodies are never replays of each other.
    const headers = signStorefrontRequest({
      apiKey: tenant.apiKey.key,
      method: 'POST',
      path,
      body: raw,
    });
    return api.http().post(path).set(headers).send(raw);
  };
  const staffPost = (path: string, body: unknown) =>
    api
      .http()
      .post(path)
      .set('authorization', bearer(tenant.owner.accessToken))
      .send(body as object);
  const balance = () => api.app.get(LedgerService).balance(tenant.brandId, tenant.member.id);
  const invariants = () => api.app.get(LedgerInvariants).check(tenant.brandId);
  const myTier = async () => {
    const res = await api
      .http()
      .get('/v1/me/tier')
      .set('authorization', bearer(tenant.memberTokens.accessToken));
    expect(res.status).toBe(200);
    return res.body as {
      tier: { code: string };
      qualifying: { spendMinor: number; orders: number; engagementPoints: number };
      progress: null | Record<string, { remaining: number }>;
      nextReviewAt: string;
      warning: null | { downgradeTo: { code: string } | null; reviewAt: string };
    };
  };
  const waitForTier = (code: string) =>
    waitFor(`tier ${code}`, async () => ((await myTier()).tier.code === code ? true : undefined));
  /** Waits until the worker has delivered every pending outbox message of the brand. */
  const settled = () =>
    waitFor('the outbox to drain', async () => {
      const { rows } = await api.db.pool.query<{ n: number }>(
        'select count(*)::int as n from outbox_messages where brand_id = $1 and delivered_at is null',
        [tenant.brandId],
      );
      return rows[0].n === 0;
    });
  const order = async (paidMinor: number, placedAt: Date) => {
    const orderId = `SO-${unique()}`;
    const res = await signedPost('/v1/orders', {
      orderId,
      memberId: tenant.member.id,
      lines: [{ productId: 'SKU-1', quantity: 1, unitPriceMinor: paidMinor, paidMinor }],
      paidTotalMinor: paidMinor,
      currency: 'USD',
      channel: 'online',
      placedAt: placedAt.toISOString(),
    });
    expect(res.status).toBe(201);
    return orderId;
  };
  const runReview = async (asOf: Date) => {
    const queue = worker.get<Queue>(getQueueToken(QUEUES.tierReview), { strict: false });
    const job = await queue.add(TIER_REVIEW_JOB, { asOf: asOf.toISOString() });
    return (await job.finished()) as Record<string, number>;
  };

  it('plays the year with exact balances and tiers at every step', async () => {
    const T = new Date();
    // The member's own sessions get the tier events live.
    const memberSocket = io(await api.app.getUrl(), {
      auth: { token: tenant.memberTokens.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket = memberSocket;
    await new Promise((resolve, reject) => {
      memberSocket.once('connect_error', reject);
      memberSocket.once('session', resolve);
    });
    for (const topic of ['tier.upgraded', 'tier.downgrade_warning', 'tier.downgraded']) {
      memberSocket.on(topic, () => pushed.push(topic));
    }
    const hook = await staffPost('/v1/webhooks', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/loyalty`,
      topics: ['tier.*'],
    });
    expect(hook.status).toBe(201);
    const secret = (hook.body as { secret: string }).secret;
    // Programme: tiers with ×1 multipliers (so points are 1 per currency unit throughout) and two
    // behaviour rules.
    for (const tier of [
      { code: 'member', name: 'Member', rank: 0 },
      { code: 'silver', name: 'Silver', rank: 1, minSpendMinor: 20_000, minOrders: 2 },
      {
        code: 'gold',
        name: 'Gold',
        rank: 2,
        minSpendMinor: 60_000,
        minOrders: 3,
        minEngagementPoints: 50,
        perks: { dropEarlyAccessMinutes: 30 },
      },
    ]) {
      expect((await staffPost('/v1/loyalty/tiers', tier)).status).toBe(201);
    }
    expect(
      (await staffPost('/v1/loyalty/rules', { kind: 'survey', name: 'Survey', points: 30 })).status,
    ).toBe(201);
    expect(
      (await staffPost('/v1/loyalty/rules', { kind: 'share', name: 'Share', points: 20 })).status,
    ).toBe(201);
    await settled();
    expect(await balance()).toMatchObject({ balance: 0, debt: 0 });

    // Month 2: a first order of 150.00 → 150 points; still Member, 50.00 and one order from Silver.
    await order(15_000, new Date(T.getTime() - 300 * DAY));
    await settled();
    expect(await balance()).toMatchObject({ balance: 150, lifetimeEarned: 150 });
    let tier = await myTier();
    expect(tier.tier.code).toBe('member');
    expect(tier.progress).toMatchObject({
      spendMinor: { remaining: 5_000 },
      orders: { remaining: 1 },
    });

    // Month 5: 100.00 more → 250 points; Silver at once.
    await order(10_000, new Date(T.getTime() - 200 * DAY));
    await waitForTier('silver');
    await settled();
    expect(await balance()).toMatchObject({ balance: 250 });

    // Month 7: a survey (+30) and a share (+20) → 300 points, 50 engagement points.
    for (const kind of ['survey', 'share']) {
      const res = await signedPost('/v1/behaviour-events', {
        memberId: tenant.member.id,
        kind,
        sourceId: `${kind}-${unique()}`,
      });
      expect(res.status).toBeLessThan(300);
    }
    await settled();
    expect(await balance()).toMatchObject({ balance: 300 });
    expect((await myTier()).qualifying).toMatchObject({
      spendMinor: 25_000,
      orders: 2,
      engagementPoints: 50,
    });

    // Month 9: 400.00 → 700 points; every Gold threshold met → Gold at once.
    const big = await order(40_000, new Date(T.getTime() - 100 * DAY));
    await waitForTier('gold');
    await settled();
    expect(await balance()).toMatchObject({ balance: 700 });
    expect(await invariants()).toEqual([]);

    // Month 10: the big order is refunded in full → its 400 points are clawed back; still Gold
    // (no downgrade outside a review), but the window now only holds 250.00 over two orders.
    const refund = await signedPost(`/v1/orders/${big}/refunds`, {
      refundId: `RF-${unique()}`,
      full: true,
    });
    expect(refund.status).toBeLessThan(300);
    await settled();
    expect(await balance()).toMatchObject({ balance: 300, debt: 0 });
    tier = await myTier();
    expect(tier.tier.code).toBe('gold');
    expect(tier.qualifying).toMatchObject({
      spendMinor: 25_000,
      orders: 1 + 1,
      engagementPoints: 50,
    });
    expect(await invariants()).toEqual([]);

    // The review is due a year after the upgrade. Nothing happened in that window: warned first.
    const reviewAt = new Date(tier.nextReviewAt);
    expect(reviewAt.getTime()).toBeGreaterThan(addMonths(T, 12).getTime() - DAY);
    expect(await runReview(addDays(reviewAt, -1))).toMatchObject({ reviewed: 0 });
    expect(await runReview(reviewAt)).toMatchObject({ reviewed: 1, warned: 1 });
    await settled();
    tier = await myTier();
    expect(tier.tier.code).toBe('gold');
    expect(tier.warning).not.toBeNull();

    // The year-old lots expire: all 300 remaining points go (lots earned at T, rolling 12 months).
    const expiry = await worker
      .get(PointsExpiryService, { strict: false })
      .sweep({ now: addDays(reviewAt, 1) });
    expect(expiry).toMatchObject({ points: 300 });
    await settled();
    expect(await balance()).toMatchObject({ balance: 0, debt: 0, lifetimeEarned: 700 });
    expect(await invariants()).toEqual([]);

    // Re-running the review inside the grace changes nothing; at its end the member goes down.
    expect(await runReview(addDays(reviewAt, 1))).toMatchObject({ reviewed: 0 });
    expect(await runReview(addDays(reviewAt, 30))).toMatchObject({ reviewed: 1, downgraded: 1 });
    await settled();
    tier = await myTier();
    expect(tier.tier.code).toBe('member');
    expect(tier.warning).toBeNull();

    const history = await api
      .http()
      .get('/v1/me/tier/history')
      .set('authorization', bearer(tenant.memberTokens.accessToken));
    expect((history.body as { items: { reason: string }[] }).items.map((h) => h.reason)).toEqual([
      'review_downgrade',
      'upgrade',
      'upgrade',
      'enrolled',
    ]);
    const { rows } = await api.db.pool.query<{ topic: string }>(
      `select topic from outbox_messages where brand_id = $1 and topic like 'tier.%' order by created_at`,
      [tenant.brandId],
    );
    expect(rows.map((r) => r.topic)).toEqual([
      'tier.upgraded',
      'tier.upgraded',
      'tier.downgrade_warning',
      'tier.downgraded',
    ]);
    expect(await invariants()).toEqual([]);

    await waitFor('the member socket to get every tier event', () => pushed.length >= 4);
    expect(pushed).toEqual([
      'tier.upgraded',
      'tier.upgraded',
      'tier.downgrade_warning',
      'tier.downgraded',
    ]);

    // The brand's webhook received each tier event once, signed with its secret.
    const delivered = hooks.map((h) => {
      expect(
        verifyWebhook(
          secret,
          {
            timestamp: h.headers['x-webhook-timestamp'] as string,
            signature: h.headers['x-webhook-signature'] as string,
          },
          h.raw,
        ),
      ).toBe(true);
      return (JSON.parse(h.raw) as { topic: string; createdAt: string }).topic;
    });
    expect(delivered.sort()).toEqual(
      ['tier.downgrade_warning', 'tier.downgraded', 'tier.upgraded', 'tier.upgraded'].sort(),
    );
    expect(new Set(hooks.map((h) => h.headers['x-webhook-id'])).size).toBe(4);
  });
});
