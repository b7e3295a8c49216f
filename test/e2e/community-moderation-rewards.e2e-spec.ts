import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { createCommunity, createPost, joinCommunity } from '../support/community-factories';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import { waitFor } from '../support/outbox-testing';

/**
 * The whole loop over HTTP with the worker running: a post caught by a hold rule waits in the
 * queue, earns once when approved, loses its points when removed, and a restore pays nothing.
 */
describe('held post → queue → approve → points → remove → reversed (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    worker = await createWorkerApp(api.config);
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('awards the post_approved rule once on approval and reverses it on removal', async () => {
    const tenant = await seedTenant(api, 'mod-pts');
    const staff = (path: string, body: Record<string, unknown>) =>
      api.http().post(path).set('authorization', `Bearer ${tenant.owner.accessToken}`).send(body);
    await staff('/v1/loyalty/rules', { kind: 'post_approved', name: 'Post', points: 7 }).expect(
      201,
    );
    await staff('/v1/moderation/rules', {
      name: 'Links to review',
      match: 'regex',
      pattern: 'https?://',
      action: 'hold',
    }).expect(201);
    const community = await createCommunity(api, tenant.owner.accessToken);
    const author = await registerMember(api, tenant.slug);
    const token = (await loginMember(api, tenant.slug, author.email)).accessToken;
    await joinCommunity(api, token, community.id);
    const balance = async () =>
      (
        (await api.http().get('/v1/me/points').set('authorization', `Bearer ${token}`).expect(200))
          .body as { balance: number }
      ).balance;

    const post = await createPost(api, token, community.id, {
      body: 'My run today: https://example.test/run',
    });
    expect(post.status).toBe('held');
    const queue = await api
      .http()
      .get(`/v1/moderation/queue?communityId=${community.id}`)
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(200);
    expect(queue.body).toMatchObject({
      items: [{ targetId: post.id, reason: 'held', ruleNames: ['Links to review'] }],
    });
    // Held content earns nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await balance()).toBe(0);

    const decide = (action: string) =>
      staff('/v1/moderation/actions', {
        action,
        targetType: 'post',
        targetId: post.id,
        reason: `${action} by staff`,
      });
    await decide('approve').expect(201);
    await waitFor('7 points for the approved post', async () => (await balance()) === 7);
    expectErrorBody(await decide('approve'), 409, 'moderation_action_not_allowed');

    await decide('remove').expect(201);
    await waitFor('the post reward reversed', async () => (await balance()) === 0);

    await decide('restore').expect(201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await balance()).toBe(0);
  });
});
