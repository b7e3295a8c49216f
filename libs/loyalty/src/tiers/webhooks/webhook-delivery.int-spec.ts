import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, IdentityModule } from '@app/identity';
import { OutboxModule, OutboxPublisher } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner } from '../../../../../test/support/factories';
import { buildDrainer, messageRow } from '../../../../../test/support/outbox-testing';
import { TiersModule } from '../tiers.module';
import { WebhookDeliveryConsumer, type WebhookBody } from './webhook-delivery.consumer';
import { verifyWebhook } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
}

/** A local receiver: each path answers with the next status of its script (last one repeats). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Array<number | 'hang'>>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        const script = this.scripts.get(path) ?? [200];
        const next = script.length > 1 ? script.shift()! : script[0];
        if (next === 'hang') return; // never answers: the sender must time out
        res.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(path: string, statuses: Array<number | 'hang'>): void {
    this.scripts.set(path, [...statuses]);
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('WebhookDeliveryConsumer (integration, real HTTP receiver)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let receiver: Receiver;
  let webhooks: WebhooksService;
  let publisher: OutboxPublisher;
  let brandId: string;
  let actor: { brandId: string; id: string };

  const skipBackoff = () =>
    ctx.db.pool.query('update outbox_messages set available_at = now() where delivered_at is null');
  const kit = (allowPrivateNetworks = true) =>
    buildDrainer(
      ctx.config,
      ctx.db,
      [
        (idempotent) =>
          new WebhookDeliveryConsumer(new WebhooksRepository(ctx.db), idempotent, {
            timeoutMs: 300,
            // The receiver listens on 127.0.0.1.
            allowPrivateNetworks,
          }),
      ],
      { maxAttempts: 3 },
    );
  const publish = (
    topic = 'tier.upgraded',
    payload: Record<string, unknown> = { memberId: 'm-1' },
  ) => publisher.publish(ctx.db.db, brandId, { topic, payload, key: 'member:m-1' });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        OutboxModule,
        IdentityModule,
        TiersModule,
      ],
    }).compile();
    await moduleRef.init();
    webhooks = moduleRef.get(WebhooksService);
    publisher = moduleRef.get(OutboxPublisher);
    const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = fixture.brand.id;
    actor = { brandId, id: fixture.owner.id };
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await moduleRef?.close();
    await ctx?.close();
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    await ctx.db.pool.query('delete from brand_webhooks');
    await ctx.db.pool.query('truncate outbox_messages, processed_messages');
  });

  it('POSTs {id, topic, brandId, createdAt, payload} signed with the secret shown at creation', async () => {
    const hook = await webhooks.create(actor, { url: `${receiver.url}/signed` });
    const id = await publish('tier.upgraded', { memberId: 'm-1', to: { code: 'gold' } });
    expect(await kit().drainer.drainOnce()).toMatchObject({ delivered: 1 });

    const [request] = receiver.on('/signed');
    expect(request.headers['x-webhook-id']).toBe(id);
    expect(request.headers['content-type']).toBe('application/json');
    const timestamp = request.headers['x-webhook-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const signature = request.headers['x-webhook-signature'] as string;
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(hook.secret, { timestamp, signature }, request.raw)).toBe(true);
    expect(verifyWebhook('whsec_wrong', { timestamp, signature }, request.raw)).toBe(false);
    const body = JSON.parse(request.raw) as WebhookBody;
    expect(body).toEqual({
      id,
      topic: 'tier.upgraded',
      brandId,
      createdAt: expect.any(String),
      payload: { memberId: 'm-1', to: { code: 'gold' } },
    });
  });

  it('retries after a 500 (backoff) and succeeds; the receiver sees the same x-webhook-id twice', async () => {
    await webhooks.create(actor, { url: `${receiver.url}/flaky` });
    receiver.script('/flaky', [500, 200]);
    const id = await publish();
    const { drainer } = kit();
    expect(await drainer.drainOnce()).toMatchObject({ retried: 1 });
    const released = await messageRow(ctx.db, id);
    expect(released.last_error).toMatch(/HTTP 500/);
    expect(released.available_at.getTime()).toBeGreaterThan(Date.now());
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 0 });
    await skipBackoff();
    expect(await drainer.drainOnce()).toMatchObject({ delivered: 1 });
    expect(receiver.on('/flaky').map((r) => r.headers['x-webhook-id'])).toEqual([id, id]);
  });

  it('dead-letters after the maximum attempts when the endpoint keeps failing or hangs', async () => {
    await webhooks.create(actor, { url: `${receiver.url}/down` });
    await webhooks.create(actor, { url: `${receiver.url}/hang` });
    receiver.script('/down', [503]);
    receiver.script('/hang', ['hang']);
    const id = await publish();
    const { drainer } = kit();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await drainer.drainOnce();
      await skipBackoff();
    }
    const row = await messageRow(ctx.db, id);
    expect(row.attempts).toBe(3);
    expect(row.dead_at).toBeInstanceOf(Date);
    expect(row.last_error).toMatch(/HTTP 503/);
    expect(row.last_error).toMatch(/timeout|aborted/i);
    expect(receiver.on('/down')).toHaveLength(3);
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 0 });
  });

  it('refuses loopback endpoints when private networks are not allowed (SSRF guard), by IP and by name', async () => {
    const port = new URL(receiver.url).port;
    await webhooks.create(actor, { url: `${receiver.url}/by-ip` });
    await webhooks.create(actor, { url: `http://localhost:${port}/by-name` });
    const id = await publish();
    const { drainer } = kit(false);
    await drainer.drainOnce();
    const row = await messageRow(ctx.db, id);
    expect(row.delivered_at).toBeNull();
    expect(row.last_error).toMatch(/127\.0\.0\.1 resolves to a non-public address/);
    expect(row.last_error).toMatch(/localhost resolves to a non-public address/);
    expect(receiver.received).toHaveLength(0);
  });

  it('does not re-send to an endpoint that already accepted the message when another one fails', async () => {
    const ok = await webhooks.create(actor, { url: `${receiver.url}/ok` });
    await webhooks.create(actor, { url: `${receiver.url}/once-down` });
    receiver.script('/once-down', [500, 500, 200]);
    const id = await publish();
    const { drainer } = kit();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await drainer.drainOnce();
      await skipBackoff();
    }
    expect((await messageRow(ctx.db, id)).delivered_at).toBeInstanceOf(Date);
    expect(receiver.on('/ok')).toHaveLength(1);
    expect(receiver.on('/once-down')).toHaveLength(3);
    const { rows } = await ctx.db.pool.query<{ consumer: string }>(
      'select consumer from processed_messages where message_id = $1 order by consumer',
      [id],
    );
    expect(rows.map((r) => r.consumer)).toContain(`webhook:${ok.id}`);
    expect(rows).toHaveLength(2);
  });

  it('honours topic filters, inactive hooks and tenancy', async () => {
    await webhooks.create(actor, { url: `${receiver.url}/tiers-only`, topics: ['tier.*'] });
    await webhooks.create(actor, { url: `${receiver.url}/off`, active: false });
    const other = await createBrandWithOwner(moduleRef.get(BrandsService));
    await webhooks.create(
      { brandId: other.brand.id, id: other.owner.id },
      { url: `${receiver.url}/other-brand` },
    );
    await publish('order.paid', { memberId: 'm-1' });
    const tierEvent = await publish('tier.downgraded', { memberId: 'm-1' });
    expect(await kit().drainer.drainOnce()).toMatchObject({ delivered: 2 });
    expect(receiver.on('/tiers-only').map((r) => r.headers['x-webhook-id'])).toEqual([tierEvent]);
    expect(receiver.on('/off')).toEqual([]);
    expect(receiver.on('/other-brand')).toEqual([]);
  });
});
