import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Socket, io } from 'socket.io-client';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { createCommunity, createPost, joinCommunity } from '../support/community-factories';
import {
  type ApiHarness,
  bootApi,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';

interface RealtimeEvent {
  id: string;
  brandId: string;
  topic: string;
  payload: Record<string, unknown>;
}

type RoomAck = { ok: true; room: string } | { ok: false; error: { code: string } };

interface Client {
  socket: Socket;
  events: RealtimeEvent[];
}

const TOPICS = ['post.created', 'comment.created', 'reaction.changed', 'post.deleted'];

/** New posts, comments and reactions reach `community:<id>` subscribers through outbox → worker. */
describe('community rooms over socket.io (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    url = await api.app.getUrl();
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await worker?.close();
    await api?.close();
  });

  function connect(token: string): Promise<Client> {
    const socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const events: RealtimeEvent[] = [];
    for (const topic of TOPICS) socket.on(topic, (event: RealtimeEvent) => events.push(event));
    return new Promise((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('session', () => resolve({ socket, events }));
    });
  }

  const subscribe = (client: Client, communityId: unknown) =>
    client.socket
      .timeout(5000)
      .emitWithAck('community:subscribe', { communityId }) as Promise<RoomAck>;
  const leave = (client: Client, communityId: string) =>
    client.socket.timeout(5000).emitWithAck('community:leave', { communityId }) as Promise<RoomAck>;

  it('a subscribed member receives new posts, comments and reactions; outsiders cannot subscribe', async () => {
    const tenant = await seedTenant(api, 'cm-rt');
    const other = await seedTenant(api, 'cm-rt-b');
    const community = await createCommunity(api, tenant.owner.accessToken, {
      visibility: 'members_only',
    });
    const poster = await registerMember(api, tenant.slug);
    const posterToken = (await loginMember(api, tenant.slug, poster.email)).accessToken;
    const outsiderMember = await registerMember(api, tenant.slug);
    const outsiderToken = (await loginMember(api, tenant.slug, outsiderMember.email)).accessToken;
    await joinCommunity(api, tenant.memberTokens.accessToken, community.id);
    await joinCommunity(api, posterToken, community.id);

    const reader = await connect(tenant.memberTokens.accessToken);
    const staff = await connect(tenant.owner.accessToken);
    const outsider = await connect(outsiderToken);
    const foreign = await connect(other.memberTokens.accessToken);

    expect(await subscribe(reader, community.id)).toEqual({
      ok: true,
      room: `community:${community.id}`,
    });
    expect(await subscribe(staff, community.id)).toMatchObject({ ok: true });
    expect(await subscribe(outsider, community.id)).toMatchObject({
      ok: false,
      error: { code: 'community_members_only' },
    });
    expect(await subscribe(foreign, community.id)).toMatchObject({
      ok: false,
      error: { code: 'community_not_found' },
    });
    expect(await subscribe(reader, 'not-a-uuid')).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });

    // The poster posts; the reader (and staff) see it live.
    const post = await createPost(api, posterToken, community.id, { body: 'Live post' });
    const created = await waitFor('post.created on the reader socket', () =>
      reader.events.find((e) => e.topic === 'post.created' && e.payload.postId === post.id),
    );
    expect(created).toMatchObject({
      brandId: tenant.brandId,
      payload: {
        postId: post.id,
        communityId: community.id,
        authorId: poster.id,
        status: 'published',
      },
    });
    await waitFor('post.created on the staff socket', () =>
      staff.events.find((e) => e.topic === 'post.created' && e.payload.postId === post.id),
    );

    // The poster comments; the reader sees the comment in the room.
    const comment = await api
      .http()
      .post(`/v1/posts/${post.id}/comments`)
      .set('authorization', `Bearer ${posterToken}`)
      .send({ body: 'First!' })
      .expect(201);
    const commentId = (comment.body as { id: string }).id;
    expect(
      await waitFor('comment.created on the reader socket', () =>
        reader.events.find(
          (e) => e.topic === 'comment.created' && e.payload.commentId === commentId,
        ),
      ),
    ).toMatchObject({ payload: { postId: post.id, communityId: community.id, parentId: null } });

    await api
      .http()
      .put(`/v1/posts/${post.id}/reaction`)
      .set('authorization', `Bearer ${tenant.memberTokens.accessToken}`)
      .send({ kind: 'fire' })
      .expect(200);
    expect(
      await waitFor('reaction.changed on the staff socket', () =>
        staff.events.find((e) => e.topic === 'reaction.changed' && e.payload.targetId === post.id),
      ),
    ).toMatchObject({
      payload: {
        targetType: 'post',
        communityId: community.id,
        memberId: tenant.member.id,
        kind: 'fire',
        counts: { total: 1, fire: 1 },
      },
    });

    // After leaving the room the reader gets nothing more; staff still does.
    expect(await leave(reader, community.id)).toMatchObject({ ok: true });
    const later = await createPost(api, posterToken, community.id, { body: 'Later post' });
    await waitFor('the later post on the staff socket', () =>
      staff.events.find((e) => e.topic === 'post.created' && e.payload.postId === later.id),
    );
    expect(reader.events.find((e) => e.payload.postId === later.id)).toBeUndefined();
    expect(outsider.events).toEqual([]);
    expect(foreign.events).toEqual([]);
  });
});
