import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { COMMUNITY_TOPICS } from '@app/community';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { insertCommunity, insertPost, outboxOf } from '../support/moderation-factories';
import { waitFor } from '../support/outbox-testing';
import { SocketClients } from '../support/socket-clients';

interface RealtimeEvent {
  brandId: string;
  topic: string;
  payload: Record<string, unknown>;
}

/** A moderation outcome reaches the author's sockets through the outbox, the worker and Redis. */
describe('report → remove → content.moderated on the author’s socket (e2e)', () => {
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

  it('the author sees the removal and its reason; the community room sees the item go, without the reason', async () => {
    const tenant = await seedTenant(api, 'mod-rt');
    const author = await registerMember(api, tenant.slug);
    const authorToken = (await loginMember(api, tenant.slug, author.email)).accessToken;
    const reporterToken = tenant.memberTokens.accessToken;
    const community = await insertCommunity(api.db, tenant.brandId);
    const post = await insertPost(api.db, tenant.brandId, {
      communityId: community.id,
      authorId: author.id,
      body: 'Buy followers at my site',
    });

    const url = await api.app.getUrl();
    const authorSocket = await connect(url, authorToken);
    const reporterSocket = await connect(url, reporterToken);
    const seen: RealtimeEvent[] = [];
    const reader: RealtimeEvent[] = [];
    authorSocket.on(COMMUNITY_TOPICS.contentModerated, (e: RealtimeEvent) => seen.push(e));
    reporterSocket.on(COMMUNITY_TOPICS.contentModerated, (e: RealtimeEvent) => reader.push(e));
    // The reporter reads the (public) community live: its feed must drop the removed post.
    expect(
      await reporterSocket
        .timeout(5000)
        .emitWithAck('community:subscribe', { communityId: community.id }),
    ).toMatchObject({ ok: true });

    await api
      .http()
      .post('/v1/reports')
      .set('authorization', `Bearer ${reporterToken}`)
      .send({ targetType: 'post', targetId: post.id, reason: 'spam' })
      .expect(201);
    const queue = await api
      .http()
      .get(`/v1/moderation/queue?communityId=${community.id}`)
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(200);
    const [item] = (queue.body as { items: { caseId: string; targetId: string }[] }).items;
    expect(item.targetId).toBe(post.id);

    await api
      .http()
      .post('/v1/moderation/actions')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .send({
        action: 'remove',
        targetType: 'post',
        targetId: post.id,
        caseId: item.caseId,
        reason: 'Advertising is not allowed',
      })
      .expect(201);

    const event = await waitFor('content.moderated on the author socket', () =>
      seen.find((e) => e.payload.targetId === post.id),
    );
    expect(event).toMatchObject({
      brandId: tenant.brandId,
      payload: {
        targetType: 'post',
        targetId: post.id,
        communityId: community.id,
        action: 'remove',
        status: 'removed',
        reason: 'Advertising is not allowed',
      },
    });
    const removed = (await outboxOf(api.db, tenant.brandId, COMMUNITY_TOPICS.postRemoved)).filter(
      (m) => m.payload.postId === post.id,
    );
    expect(removed).toHaveLength(1);
    // The case is closed: a second decision on it is refused.
    expectErrorBody(
      await api
        .http()
        .post('/v1/moderation/actions')
        .set('authorization', `Bearer ${tenant.owner.accessToken}`)
        .send({
          action: 'dismiss',
          targetType: 'post',
          targetId: post.id,
          caseId: item.caseId,
          reason: 'late',
        }),
      409,
      'moderation_no_open_case',
    );
    const dropped = await waitFor('content.moderated on the community room', () =>
      reader.find((e) => e.payload.targetId === post.id),
    );
    expect(dropped.payload).toEqual({
      targetType: 'post',
      targetId: post.id,
      postId: null,
      communityId: community.id,
      status: 'removed',
    });
    // Give a misrouted push time to arrive: the reporter never gets the author's copy (reason).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader).toHaveLength(1);
  });
});
