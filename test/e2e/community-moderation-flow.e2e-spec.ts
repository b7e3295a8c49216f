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
 * Moderation with the real community endpoints and the worker: a post caught by a hold rule
 * waits in the queue, earns once when approved, loses its points when removed, and a restore pays
 * nothing; mutes and bans imposed here are enforced by the posting and joining endpoints.
 */
describe('moderation through the community endpoints (e2e)', () => {
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

  it('a muted member cannot post until unmuted; a banned member is out and cannot rejoin until unbanned', async () => {
    const tenant = await seedTenant(api, 'mod-sanction');
    const staff = (path: string, body: Record<string, unknown>) =>
      api.http().post(path).set('authorization', `Bearer ${tenant.owner.accessToken}`).send(body);
    const community = await createCommunity(api, tenant.owner.accessToken);
    const member = await registerMember(api, tenant.slug);
    const token = (await loginMember(api, tenant.slug, member.email)).accessToken;
    await joinCommunity(api, token, community.id);
    const write = (body: string) =>
      api
        .http()
        .post(`/v1/communities/${community.id}/posts`)
        .set('authorization', `Bearer ${token}`)
        .send({ body });
    const sanction = { communityId: community.id, memberId: member.id, reason: 'Flooding' };

    await staff('/v1/moderation/sanctions', {
      ...sanction,
      kind: 'mute',
      durationMinutes: 60,
    }).expect(201);
    expectErrorBody(await write('still here'), 403, 'member_muted');
    await staff('/v1/moderation/sanctions/lift', { ...sanction, kind: 'mute' }).expect(201);
    await write('back again').expect(201);

    await staff('/v1/moderation/sanctions', {
      ...sanction,
      kind: 'ban',
      durationMinutes: 60,
    }).expect(201);
    const join = () =>
      api
        .http()
        .post(`/v1/communities/${community.id}/join`)
        .set('authorization', `Bearer ${token}`);
    expectErrorBody(await join(), 403, 'member_banned');
    expectErrorBody(await write('let me in'), 403);
    await staff('/v1/moderation/sanctions/lift', { ...sanction, kind: 'ban' }).expect(201);
    await join().expect(200);
  });
});
