import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Socket } from 'socket.io-client';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { type ApiHarness, bootApi, registerMember, seedTenant } from '../support/factories';
import { waitFor } from '../support/outbox-testing';
import { SocketClients } from '../support/socket-clients';

interface RegisteredEvent {
  id: string;
  brandId: string;
  topic: string;
  payload: { memberId: string };
}

/**
 * The whole path across processes' seams: sign-up on the api commits the member and its outbox
 * row, the worker's drainer delivers it, the emitter publishes through Redis, and staff sockets on
 * two different api instances (sharing rooms through the Redis adapter) receive it.
 */
describe('platform flow: sign-up → outbox → worker → socket.io on every api instance (e2e)', () => {
  let api: ApiHarness;
  let secondApi: NestFastifyApplication;
  let worker: NestFastifyApplication;
  const sockets = new SocketClients();

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    secondApi = await createApiApp(api.config);
    await secondApi.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    sockets.closeAll();
    await worker?.close();
    await secondApi?.close();
    await api?.close();
  });

  const connect = (url: string, token: string) => sockets.connect(url, token);

  it('pushes member.registered to the brand staff on both api instances, once, and not to another brand', async () => {
    const brandA = await seedTenant(api, 'flow-a');
    const brandB = await seedTenant(api, 'flow-b');
    const staffOnFirst = await connect(await api.app.getUrl(), brandA.owner.accessToken);
    const staffOnSecond = await connect(await secondApi.getUrl(), brandA.owner.accessToken);
    const otherBrandStaff = await connect(await api.app.getUrl(), brandB.owner.accessToken);
    const leaked: unknown[] = [];
    otherBrandStaff.on('member.registered', (event: unknown) => leaked.push(event));
    const record = (socket: Socket) => {
      const seen: RegisteredEvent[] = [];
      socket.on('member.registered', (event: RegisteredEvent) => seen.push(event));
      return seen;
    };
    const seenOnFirst = record(staffOnFirst);
    const seenOnSecond = record(staffOnSecond);

    const memberId = (await registerMember(api, brandA.slug)).id;
    const isNewMember = (e: RegisteredEvent) =>
      e.brandId === brandA.brandId && e.payload.memberId === memberId;
    const onFirst = await waitFor('the event on api #1', () => seenOnFirst.find(isNewMember));
    const onSecond = await waitFor('the event on api #2', () => seenOnSecond.find(isNewMember));

    expect(onFirst).toEqual(onSecond);
    expect(onFirst).toMatchObject({ topic: 'member.registered', brandId: brandA.brandId });

    // The push happens before the drainer marks the message done: wait for the mark.
    const row = await waitFor('the message to be marked delivered', async () => {
      const { rows } = await api.db.pool.query<{ delivered: boolean; attempts: number }>(
        'select delivered_at is not null as delivered, attempts from outbox_messages where id = $1',
        [onFirst.id],
      );
      return rows[0]?.delivered ? rows[0] : undefined;
    });
    expect(row.attempts).toBe(1);
    // A barrier: an event for brand B reaches its staff, so anything leaked would be there by now.
    const otherMemberId = (await registerMember(api, brandB.slug)).id;
    await waitFor('the brand B event', () =>
      (leaked as RegisteredEvent[]).find((e) => e.payload.memberId === otherMemberId),
    );
    expect(leaked.filter((e) => (e as RegisteredEvent).brandId === brandA.brandId)).toEqual([]);
    expect(seenOnFirst.filter(isNewMember)).toHaveLength(1);
  });
});
