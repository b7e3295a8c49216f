import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { and, eq } from 'drizzle-orm';
import { dropChatMessages, drops, moderationActions, moderationCases } from '@app/db';
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
import {
  type Ack,
  type AckError,
  LiveClients,
  collect,
  insertLiveDrop,
  request,
} from '../support/drops-live-factories';
import { waitFor } from '../support/outbox-testing';

interface ChatEvent {
  id: string;
  dropId: string;
  memberId: string;
  author: string;
  body: string;
}

/** The live room over real socket.io clients: join, presence, chat and its moderation, pins. */
describe('drop live room (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let clients: LiveClients;

  beforeAll(async () => {
    api = await bootApi({ OUTBOX_POLL_MS: '50' });
    await api.app.listen(0, '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.listen(0, '127.0.0.1');
    clients = new LiveClients(api);
  });

  afterAll(async () => {
    clients?.closeAll();
    await worker?.close();
    await api?.close();
  });

  async function memberToken(slug: string): Promise<{ id: string; token: string }> {
    const member = await registerMember(api, slug);
    return { id: member.id, token: (await loginMember(api, slug, member.email)).accessToken };
  }

  /** The brand's keyword moderation rules, one per pattern, with the given action. */
  async function keywordRules(owner: string, rules: Record<string, string>): Promise<void> {
    for (const [pattern, action] of Object.entries(rules))
      await api
        .http()
        .post('/v1/moderation/rules')
        .set('authorization', owner)
        .send({ name: pattern, match: 'keyword', pattern, action })
        .expect(201);
  }

  it('join acks the drop, its stock, the server time and the viewers; presence follows joins and leaves', async () => {
    const tenant = await seedTenant(api, 'live-join');
    const drop = await insertLiveDrop(api.db, tenant.brandId, {
      skus: [
        { id: 'TEE-M', stock: 30 },
        { id: 'TEE-L', stock: 20 },
      ],
    });
    const first = await clients.connect(tenant.memberTokens.accessToken);
    const before = Date.now();
    const ack = await request<Ack>(first, 'drop:join', { dropId: drop.id });
    expect(ack).toMatchObject({
      ok: true,
      drop: { id: drop.id, status: 'live', title: 'Live drop' },
      viewers: 1,
      pinned: null,
    });
    expect(ack.stock).toEqual(
      expect.arrayContaining([
        { skuId: 'TEE-M', available: 30, version: expect.any(Number) },
        { skuId: 'TEE-L', available: 20, version: expect.any(Number) },
      ]),
    );
    const serverTime = Date.parse(ack.serverTime as string);
    expect(serverTime).toBeGreaterThanOrEqual(before - 1000);
    expect(serverTime).toBeLessThanOrEqual(Date.now() + 1000);

    const viewersSeen = collect<{ dropId: string; viewers: number }>(first, 'drop.viewers');
    const other = await memberToken(tenant.slug);
    const second = await clients.connect(other.token);
    expect(await request(second, 'drop:join', { dropId: drop.id })).toMatchObject({
      ok: true,
      viewers: 2,
    });
    // A second tab of the same member counts once.
    const secondTab = await clients.connect(other.token);
    expect(await request(secondTab, 'drop:join', { dropId: drop.id })).toMatchObject({
      ok: true,
      viewers: 2,
    });
    await waitFor('drop.viewers = 2', () => viewersSeen.find((e) => e.viewers === 2));
    await waitFor('peak_viewers = 2 in Postgres', async () => {
      const [row] = await api.db.db
        .select({ peak: drops.peakViewers })
        .from(drops)
        .where(eq(drops.id, drop.id));
      return row.peak === 2;
    });

    secondTab.disconnect();
    expect(await request(second, 'drop:leave', { dropId: drop.id })).toEqual({ ok: true });
    await waitFor('drop.viewers back to 1', () =>
      viewersSeen.find((e, i) => i > 0 && e.viewers === 1),
    );
    const time = await request<Ack>(first, 'drop:time', {});
    expect(Math.abs(Date.parse(time.serverTime as string) - Date.now())).toBeLessThan(1000);
  });

  it('refuses other brands, drafts for members, and malformed ids', async () => {
    const tenant = await seedTenant(api, 'live-acl');
    const foreign = await seedTenant(api, 'live-acl-b');
    const drop = await insertLiveDrop(api.db, tenant.brandId);
    const draft = await insertLiveDrop(api.db, tenant.brandId, { status: 'draft' });
    const stranger = await clients.connect(foreign.memberTokens.accessToken);
    expect(await request(stranger, 'drop:join', { dropId: drop.id })).toMatchObject({
      ok: false,
      error: { code: 'drops.drop_not_found' },
    });
    const member = await clients.connect(tenant.memberTokens.accessToken);
    expect(await request(member, 'drop:join', { dropId: draft.id })).toMatchObject({
      ok: false,
      error: { code: 'drops.drop_not_found' },
    });
    expect(await request(member, 'drop:join', { dropId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    const owner = await clients.connect(tenant.owner.accessToken);
    expect(await request(owner, 'drop:join', { dropId: draft.id })).toMatchObject({ ok: true });
  });

  it('chat: published to the room and counted; blocked refused; held kept for moderators; not-joined, staff and bursts refused', async () => {
    const tenant = await seedTenant(api, 'live-chat');
    const owner = `Bearer ${tenant.owner.accessToken}`;
    await keywordRules(owner, { scalper: 'block', wechat: 'hold' });
    const drop = await insertLiveDrop(api.db, tenant.brandId);
    const chatter = await clients.connect(tenant.memberTokens.accessToken);
    const viewer = await clients.connect((await memberToken(tenant.slug)).token);
    expect(await request(chatter, 'drop:chat', { dropId: drop.id, body: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'drops.room_not_joined' },
    });
    await request(chatter, 'drop:join', { dropId: drop.id });
    await request(viewer, 'drop:join', { dropId: drop.id });
    const seen = collect<ChatEvent>(viewer, 'drop.chat');

    const sent = await request<Ack>(chatter, 'drop:chat', { dropId: drop.id, body: 'Love it' });
    expect(sent).toMatchObject({ ok: true, status: 'published', message: { body: 'Love it' } });
    const pushed = await waitFor('drop.chat on another socket', () =>
      seen.find((e) => e.body === 'Love it'),
    );
    expect(pushed).toMatchObject({ dropId: drop.id, memberId: tenant.member.id, author: 'Test' });

    expect(
      await request(chatter, 'drop:chat', { dropId: drop.id, body: 'Scalper prices here' }),
    ).toMatchObject({ ok: false, error: { code: 'content_blocked' } });

    const held = await request<Ack>(chatter, 'drop:chat', {
      dropId: drop.id,
      body: 'add me on wechat',
    });
    expect(held).toMatchObject({ ok: true, status: 'held' });
    const heldId = (held.message as { id: string }).id;
    const [heldCase] = await api.db.db
      .select()
      .from(moderationCases)
      .where(eq(moderationCases.targetId, heldId));
    expect(heldCase).toMatchObject({ targetType: 'chat_message', reason: 'held', status: 'open' });
    // The moderation queue shows the held message's text, so a moderator can judge it.
    const queue = await api
      .http()
      .get('/v1/moderation/queue?reason=held')
      .set('authorization', `Bearer ${tenant.owner.accessToken}`)
      .expect(200);
    expect(
      (queue.body as { items: { targetId: string }[] }).items.find((i) => i.targetId === heldId),
    ).toMatchObject({
      targetType: 'chat_message',
      content: { text: 'add me on wechat', truncated: false, status: 'held', postId: null },
      author: { id: tenant.member.id },
      community: null,
    });

    // A bucket holds at most 5 tokens: of 8 messages at once, 3 or more are refused.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request<Ack | AckError>(chatter, 'drop:chat', { dropId: drop.id, body: `again ${i}` }),
      ),
    );
    const refused = burst.filter((a): a is AckError => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused[0].error).toMatchObject({
      code: 'drops.chat_rate_limited',
      details: { retryAfterMs: expect.any(Number) },
    });

    const staff = await clients.connect(tenant.owner.accessToken);
    await request(staff, 'drop:join', { dropId: drop.id });
    expect(await request(staff, 'drop:chat', { dropId: drop.id, body: 'hello' })).toMatchObject({
      ok: false,
      error: { code: 'drops.chat_members_only' },
    });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.map((e) => e.body)).not.toContain('add me on wechat');
    const rows = await api.db.db
      .select()
      .from(dropChatMessages)
      .where(eq(dropChatMessages.dropId, drop.id));
    const published = rows.filter((r) => r.status === 'published');
    const [counter] = await api.db.db
      .select({ n: drops.chatMessages })
      .from(drops)
      .where(eq(drops.id, drop.id));
    expect(counter.n).toBe(published.length);
    expect(rows.find((r) => r.id === heldId)).toMatchObject({ status: 'deleted', deletedAt: null });
  });

  it('moderators delete messages (the room is told) and mute members (refused until it lifts); audited', async () => {
    const tenant = await seedTenant(api, 'live-mod');
    const drop = await insertLiveDrop(api.db, tenant.brandId);
    const chatter = await clients.connect(tenant.memberTokens.accessToken);
    const viewer = await clients.connect((await memberToken(tenant.slug)).token);
    const moderator = await createStaff(api, tenant.slug, tenant.owner.accessToken, 'moderator');
    const mod = await clients.connect(moderator.tokens.accessToken);
    for (const socket of [chatter, viewer, mod])
      await request(socket, 'drop:join', { dropId: drop.id });
    const deletions = collect<{ dropId: string; messageId: string }>(viewer, 'drop.chat_deleted');
    const mutes = collect<{ dropId: string; until: string }>(chatter, 'drop.muted');

    const sent = await request<Ack>(chatter, 'drop:chat', { dropId: drop.id, body: 'spam spam' });
    const messageId = (sent.message as { id: string }).id;
    expect(await request(viewer, 'drop:chat:delete', { dropId: drop.id, messageId })).toMatchObject(
      { ok: false, error: { code: 'drops.not_room_moderator' } },
    );
    expect(await request(mod, 'drop:chat:delete', { dropId: drop.id, messageId })).toEqual({
      ok: true,
    });
    await waitFor('drop.chat_deleted on the viewer', () =>
      deletions.find((d) => d.messageId === messageId),
    );

    expect(
      await request(mod, 'drop:mute', {
        dropId: drop.id,
        memberId: tenant.member.id,
        minutes: 10,
        messageId,
      }),
    ).toMatchObject({ ok: true, until: expect.any(String) });
    await waitFor('drop.muted on the member', () => mutes.find((m) => m.dropId === drop.id));
    expect(
      await request(chatter, 'drop:chat', { dropId: drop.id, body: 'let me talk' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'drops.chat_muted', details: { until: expect.any(String) } },
    });
    expect(
      await request(mod, 'drop:mute', { dropId: drop.id, memberId: tenant.member.id, minutes: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    const audit = await api.db.db
      .select()
      .from(moderationActions)
      .where(
        and(
          eq(moderationActions.brandId, tenant.brandId),
          eq(moderationActions.targetType, 'chat_message'),
        ),
      );
    expect(audit.map((a) => a.action).sort()).toEqual(['delete_message', 'mute']);
    expect(audit.find((a) => a.action === 'mute')).toMatchObject({
      memberId: tenant.member.id,
      actorType: 'staff',
      actorId: moderator.id,
      targetId: messageId,
      until: expect.any(Date),
    });
  });

  it('chat cases in the moderation queue: held ones removed or dismissed there, a flagged one closed by the room delete', async () => {
    const tenant = await seedTenant(api, 'live-chat-queue');
    const owner = `Bearer ${tenant.owner.accessToken}`;
    await keywordRules(owner, { wechat: 'hold', discount: 'flag' });
    const drop = await insertLiveDrop(api.db, tenant.brandId);
    const chatter = await clients.connect(tenant.memberTokens.accessToken);
    const staff = await clients.connect(tenant.owner.accessToken);
    for (const socket of [chatter, staff]) await request(socket, 'drop:join', { dropId: drop.id });
    const say = async (body: string, status: 'held' | 'published') => {
      const ack = await request<Ack>(chatter, 'drop:chat', { dropId: drop.id, body });
      expect(ack).toMatchObject({ ok: true, status });
      return (ack.message as { id: string }).id;
    };
    const removedId = await say('add me on wechat', 'held');
    const dismissedId = await say('wechat me later', 'held');
    const flaggedId = await say('discount code in my bio', 'published');

    const decide = (action: string, targetId: string, caseId?: string) =>
      api
        .http()
        .post('/v1/moderation/actions')
        .set('authorization', owner)
        .send({ action, targetType: 'chat_message', targetId, caseId, reason: `${action} chat` });
    const caseOf = async (targetId: string) =>
      (
        await api.db.db
          .select()
          .from(moderationCases)
          .where(
            and(
              eq(moderationCases.brandId, tenant.brandId),
              eq(moderationCases.targetId, targetId),
            ),
          )
      )[0];
    const messageOf = async (id: string) =>
      (await api.db.db.select().from(dropChatMessages).where(eq(dropChatMessages.id, id)))[0];

    // Held: live chat is not replayed late, so approving is refused; remove takes it down.
    expectErrorBody(await decide('approve', removedId), 409, 'moderation_action_not_allowed');
    const removedCase = await caseOf(removedId);
    const removed = await decide('remove', removedId, removedCase.id).expect(201);
    expect(removed.body).toMatchObject({ action: 'remove', caseId: removedCase.id });
    expect(await caseOf(removedId)).toMatchObject({ status: 'resolved', resolution: 'remove' });
    expect(await messageOf(removedId)).toMatchObject({
      status: 'deleted',
      deletedAt: expect.any(Date),
    });
    expectErrorBody(await decide('remove', removedId), 409, 'moderation_action_not_allowed');

    // Dismiss closes the case and leaves the message hidden; a second dismiss has no case.
    await decide('dismiss', dismissedId).expect(201);
    expect(await caseOf(dismissedId)).toMatchObject({ status: 'resolved', resolution: 'dismiss' });
    expect(await messageOf(dismissedId)).toMatchObject({ status: 'deleted', deletedAt: null });
    expectErrorBody(await decide('dismiss', dismissedId), 409, 'moderation_no_open_case');

    // Flagged and published: deleted from the control room, which closes its case.
    expectErrorBody(await decide('remove', flaggedId), 409, 'moderation_chat_message_in_room');
    const flaggedCase = await caseOf(flaggedId);
    expect(flaggedCase).toMatchObject({ reason: 'flagged', status: 'open' });
    expect(
      await request(staff, 'drop:chat:delete', { dropId: drop.id, messageId: flaggedId }),
    ).toEqual({ ok: true });
    expect(await caseOf(flaggedId)).toMatchObject({
      status: 'resolved',
      resolution: 'delete_message',
    });
    const [deletion] = await api.db.db
      .select()
      .from(moderationActions)
      .where(
        and(
          eq(moderationActions.brandId, tenant.brandId),
          eq(moderationActions.targetId, flaggedId),
        ),
      );
    expect(deletion).toMatchObject({ action: 'delete_message', caseId: flaggedCase.id });

    const queue = await api
      .http()
      .get('/v1/moderation/queue')
      .set('authorization', owner)
      .expect(200);
    expect((queue.body as { items: unknown[] }).items).toEqual([]);
    expectErrorBody(
      await decide('dismiss', '00000000-0000-4000-8000-000000000000'),
      404,
      'moderation_target_not_found',
    );
  });

  it('announcements: staff post, pushed through the outbox, pinned in the join ack, listed', async () => {
    const tenant = await seedTenant(api, 'live-ann');
    const drop = await insertLiveDrop(api.db, tenant.brandId);
    const viewer = await clients.connect(tenant.memberTokens.accessToken);
    await request(viewer, 'drop:join', { dropId: drop.id });
    const pushed = collect<{ topic: string; payload: { body: string; pinned: boolean } }>(
      viewer,
      'drop.announcement',
    );
    const owner = `Bearer ${tenant.owner.accessToken}`;
    const created = await api
      .http()
      .post(`/v1/drops/${drop.id}/announcements`)
      .set('authorization', owner)
      .send({ body: 'Size M restocked!' })
      .expect(201);
    expect(created.body).toMatchObject({
      dropId: drop.id,
      body: 'Size M restocked!',
      pinned: true,
    });
    await waitFor('drop.announcement on the room', () =>
      pushed.find((e) => e.payload.body === 'Size M restocked!'),
    );
    await api
      .http()
      .post(`/v1/drops/${drop.id}/announcements`)
      .set('authorization', owner)
      .send({ body: 'Thanks for coming', pinned: false })
      .expect(201);

    const late = await clients.connect((await memberToken(tenant.slug)).token);
    expect(await request(late, 'drop:join', { dropId: drop.id })).toMatchObject({
      ok: true,
      pinned: { body: 'Size M restocked!', pinned: true },
    });
    const list = await api
      .http()
      .get(`/v1/drops/${drop.id}/announcements?limit=1`)
      .set('authorization', `Bearer ${tenant.memberTokens.accessToken}`)
      .expect(200);
    expect(list.body).toMatchObject({
      items: [{ body: 'Thanks for coming', pinned: false }],
      nextCursor: expect.any(String),
    });

    expectErrorBody(
      await api
        .http()
        .post(`/v1/drops/${drop.id}/announcements`)
        .set('authorization', `Bearer ${tenant.memberTokens.accessToken}`)
        .send({ body: 'I am the host now' }),
      403,
    );
    expectErrorBody(
      await api
        .http()
        .post(`/v1/drops/${drop.id}/announcements`)
        .set('authorization', owner)
        .send({ body: '' }),
      400,
      'validation_failed',
    );
    const foreign = await seedTenant(api, 'live-ann-b');
    expectErrorBody(
      await api
        .http()
        .get(`/v1/drops/${drop.id}/announcements`)
        .set('authorization', `Bearer ${foreign.owner.accessToken}`),
      404,
      'drops.drop_not_found',
    );
  });
});
