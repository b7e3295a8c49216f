import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { type Socket, io as connect } from 'socket.io-client';
import { type RedisClient, createRedis, rooms, socketIoKey } from '@app/common';
import { createTestContext, type TestContext } from '@app/testing';
import { buildDrainer, countRows, waitFor } from '../../../../test/support/outbox-testing';
import { IdempotentConsumer } from '../idempotent-consumer';
import type { OutboxDrainer } from '../outbox.drainer';
import { OutboxPublisher } from '../outbox.publisher';
import { OutboxRepository } from '../outbox.repository';
import { RealtimeOutboxConsumer } from './realtime.consumer';
import type { RealtimeEvent } from './realtime-routes';
import { SocketEmitter } from './socket-emitter';

const BRAND = '11111111-1111-4111-8111-111111111111';
const OTHER_BRAND = '22222222-2222-4222-8222-222222222222';
const MEMBER = '33333333-3333-4333-8333-333333333333';

interface Client {
  socket: Socket;
  events: Array<{ event: string; data: RealtimeEvent }>;
}

/**
 * An api-like socket.io server (Redis adapter, same key as the api) in the test process, and a
 * worker-like drainer publishing through the Redis emitter: nothing shares memory but Redis.
 */
describe('realtime outbox consumer → socket.io rooms', () => {
  let ctx: TestContext;
  let http: HttpServer;
  let ioServer: Server;
  let adapterClients: Redis[];
  let redis: RedisClient;
  let emitter: SocketEmitter;
  let drainer: OutboxDrainer;
  const clients: Client[] = [];
  const publisher = new OutboxPublisher();

  async function join(roomNames: string[]): Promise<Client> {
    const { port } = http.address() as AddressInfo;
    const socket = connect(`http://127.0.0.1:${port}`, {
      auth: { rooms: roomNames },
      transports: ['websocket'],
      reconnection: false,
    });
    const client: Client = { socket, events: [] };
    clients.push(client);
    socket.onAny((event: string, data: RealtimeEvent) => {
      if (event !== 'joined') client.events.push({ event, data });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('joined', () => resolve());
      socket.once('connect_error', reject);
    });
    return client;
  }

  const received = (client: Client, event: string) =>
    client.events.filter((e) => e.event === event);

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ctx = await createTestContext();
    const pub = new Redis(ctx.config.redis.url, { lazyConnect: true });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    adapterClients = [pub, sub];
    http = createServer();
    ioServer = new Server(http, {
      adapter: createAdapter(pub, sub, { key: socketIoKey(ctx.config) }),
    });
    ioServer.on('connection', (socket) => {
      void socket.join((socket.handshake.auth as { rooms: string[] }).rooms);
      socket.emit('joined');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

    redis = createRedis(ctx.config);
    emitter = new SocketEmitter(redis, ctx.config);
    const repository = new OutboxRepository(ctx.db);
    const consumer = new RealtimeOutboxConsumer(
      emitter,
      new IdempotentConsumer(ctx.db, repository),
    );
    ({ drainer } = buildDrainer(ctx.config, ctx.db, [consumer]));
  });

  afterAll(async () => {
    for (const { socket } of clients) socket.disconnect();
    await new Promise<void>((resolve) => void ioServer.close(() => resolve()));
    await Promise.all([...adapterClients, redis].map((client) => client.quit()));
    await ctx.close();
  });

  it('pushes member.registered to the brand staff room and the member room', async () => {
    const staff = await join([rooms.staff(BRAND)]);
    const member = await join([rooms.member(MEMBER)]);
    const otherStaff = await join([rooms.staff(OTHER_BRAND)]);
    // The adapter's Redis subscription is asynchronous: probe until it carries events.
    await waitFor('the Redis adapter to forward emits', async () => {
      await emitter.emit([rooms.staff(BRAND)], 'probe', {});
      await new Promise((resolve) => setTimeout(resolve, 20));
      return received(staff, 'probe').length > 0;
    });

    const id = await publisher.publish(ctx.db.db, BRAND, {
      topic: 'member.registered',
      key: rooms.member(MEMBER),
      payload: { memberId: MEMBER, email: 'new@example.com' },
    });
    // A publisher cannot aim at another brand's staff room through the header either.
    await publisher.publish(ctx.db.db, BRAND, {
      topic: 'sneaky',
      payload: {},
      headers: { realtime: rooms.staff(OTHER_BRAND) },
    });
    expect(await drainer.drainOnce()).toMatchObject({ claimed: 2, delivered: 2 });

    const expected = {
      id,
      brandId: BRAND,
      topic: 'member.registered',
      payload: { memberId: MEMBER, email: 'new@example.com' },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    };
    await waitFor(
      'staff and member to receive the event',
      () =>
        received(staff, 'member.registered').length && received(member, 'member.registered').length,
    );
    expect(received(staff, 'member.registered')).toEqual([
      { event: 'member.registered', data: expected },
    ]);
    expect(received(member, 'member.registered')).toEqual([
      { event: 'member.registered', data: expected },
    ]);

    // Barrier: an event for the other brand's staff, sent after; once it arrives, anything
    // that was going to reach that client has arrived.
    await publisher.publish(ctx.db.db, OTHER_BRAND, {
      topic: 'barrier',
      payload: {},
      headers: { realtime: rooms.staff(OTHER_BRAND) },
    });
    expect(await drainer.drainOnce()).toMatchObject({ delivered: 1 });
    await waitFor('the barrier event', () => received(otherStaff, 'barrier').length);
    expect(otherStaff.events.map((e) => e.event)).toEqual(['barrier']);
    expect(received(member, 'barrier')).toEqual([]);

    // Recorded, so a retry caused by another consumer would not push it again.
    expect(
      await countRows(
        ctx.db,
        `select 1 from processed_messages where consumer = 'realtime' and message_id = $1`,
        [id],
      ),
    ).toBe(1);
  });
});
