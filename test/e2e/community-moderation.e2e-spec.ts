import { COMMUNITY_TOPICS, ModerationCasesService, ScreeningService } from '@app/community';
import { communities, communityMembers, communitySanctions } from '@app/db';
import { and, eq } from 'drizzle-orm';
import {
  type ApiHarness,
  type MemberFixture,
  bootApi,
  createStaff,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
} from '../support/factories';
import {
  addCommunityMember,
  insertCommunity,
  insertPost,
  insertReview,
  outboxOf,
} from '../support/moderation-factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

describe('community moderation over HTTP (e2e)', () => {
  let api: ApiHarness;
  let brand: Tenant;
  let other: Tenant;
  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(async () => {
    api = await bootApi();
    brand = await seedTenant(api, 'mod-a');
    other = await seedTenant(api, 'mod-b');
  });
  afterAll(() => api?.close());

  const member = async (tenant: Tenant): Promise<MemberFixture & { token: string }> => {
    const fixture = await registerMember(api, tenant.slug);
    return { ...fixture, token: (await loginMember(api, tenant.slug, fixture.email)).accessToken };
  };
  const get = (path: string, token: string) =>
    api.http().get(path).set('authorization', bearer(token));
  const post = (path: string, token: string, body: Record<string, unknown>) =>
    api.http().post(path).set('authorization', bearer(token)).send(body);

  /** What the posts endpoint does with a screened body (its own tests prove it does it). */
  async function screenedPost(tenant: Tenant, communityId: string, authorId: string, body: string) {
    const verdict = await api.app.get(ScreeningService).screen(tenant.brandId, body);
    const status = verdict.action === 'hold' ? 'held' : 'published';
    const row = await insertPost(api.db, tenant.brandId, { communityId, authorId, body, status });
    if (verdict.action === 'hold' || verdict.action === 'flag')
      await api.app.get(ModerationCasesService).open(tenant.brandId, {
        targetType: 'post',
        targetId: row.id,
        communityId,
        memberId: authorId,
        reason: verdict.action === 'hold' ? 'held' : 'flagged',
        ruleIds: verdict.ruleIds,
      });
    return { row, verdict };
  }

  describe('rules', () => {
    it('validates patterns with codes and is for owners and moderators of the brand only', async () => {
      const rules = '/v1/moderation/rules';
      expectErrorBody(
        await post(rules, brand.owner.accessToken, {
          name: 'bad',
          match: 'regex',
          pattern: '(unclosed',
          action: 'block',
        }),
        400,
        'moderation_pattern_invalid',
      );
      expectErrorBody(
        await post(rules, brand.owner.accessToken, {
          name: 'redos',
          match: 'regex',
          pattern: '(a+)+$',
          action: 'block',
        }),
        400,
        'moderation_pattern_unsafe',
      );
      expectErrorBody(
        await post(rules, brand.owner.accessToken, {
          name: 'x',
          match: 'glob',
          pattern: 'a',
          action: 'block',
        }),
        400,
        'validation_failed',
      );
      const marketer = await createStaff(api, brand.slug, brand.owner.accessToken, 'marketer');
      expectErrorBody(await get(rules, marketer.tokens.accessToken), 403, 'insufficient_role');
      expectErrorBody(await get(rules, brand.memberTokens.accessToken), 403);

      const moderator = await createStaff(api, brand.slug, brand.owner.accessToken, 'moderator');
      const created = await post(rules, moderator.tokens.accessToken, {
        name: 'Links',
        match: 'regex',
        pattern: 'https?://\\S+',
        action: 'flag',
      }).expect(201);
      const id = (created.body as { id: string }).id;
      await api
        .http()
        .patch(`${rules}/${id}`)
        .set('authorization', bearer(brand.owner.accessToken))
        .send({ active: false })
        .expect(200);
      const listed = await get(`${rules}?limit=50`, brand.owner.accessToken).expect(200);
      expect(listed.body).toMatchObject({
        items: expect.arrayContaining([expect.objectContaining({ id, active: false })]),
        nextCursor: null,
      });
      expectErrorBody(
        await get(`${rules}/${id}`, other.owner.accessToken),
        404,
        'moderation_rule_not_found',
      );
      await api
        .http()
        .delete(`${rules}/${id}`)
        .set('authorization', bearer(brand.owner.accessToken))
        .expect(204);
    });
  });

  describe('held post → queue → approve', () => {
    it('shows the held post with its context, approves it and emits post.approved once', async () => {
      const community = await insertCommunity(api.db, brand.brandId, { name: 'Runners' });
      const author = await member(brand);
      await addCommunityMember(api.db, brand.brandId, community.id, author.id);
      await post('/v1/moderation/rules', brand.owner.accessToken, {
        name: 'Contact details',
        match: 'keyword',
        pattern: 'whatsapp',
        action: 'hold',
      }).expect(201);

      const { row, verdict } = await screenedPost(
        brand,
        community.id,
        author.id,
        'DM me on WhatsApp for a deal',
      );
      expect(verdict.action).toBe('hold');

      const queue = await get(
        `/v1/moderation/queue?communityId=${community.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect(queue.body).toEqual({
        items: [
          expect.objectContaining({
            targetType: 'post',
            targetId: row.id,
            reason: 'held',
            content: {
              text: 'DM me on WhatsApp for a deal',
              truncated: false,
              status: 'held',
              postId: null,
            },
            author: { id: author.id, name: expect.stringContaining('Test') },
            community: { id: community.id, name: 'Runners' },
            reports: { count: 0, reasons: {} },
            ruleNames: ['Contact details'],
          }),
        ],
        nextCursor: null,
      });
      const caseId = (queue.body as { items: { caseId: string }[] }).items[0].caseId;

      const approved = await post('/v1/moderation/actions', brand.owner.accessToken, {
        action: 'approve',
        targetType: 'post',
        targetId: row.id,
        caseId,
        reason: 'A friendly tip, not spam',
      }).expect(201);
      expect(approved.body).toMatchObject({
        action: 'approve',
        caseId,
        actorType: 'staff',
        memberId: author.id,
      });

      const events = (await outboxOf(api.db, brand.brandId, COMMUNITY_TOPICS.postApproved)).filter(
        (m) => m.payload.postId === row.id,
      );
      expect(events.map((m) => m.payload)).toEqual([
        { postId: row.id, communityId: community.id, memberId: author.id },
      ]);
      const after = await get(
        `/v1/moderation/queue?communityId=${community.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect(after.body).toEqual({ items: [], nextCursor: null });
      // Approving again makes no sense: 409 with a code, nothing more published.
      expectErrorBody(
        await post('/v1/moderation/actions', brand.owner.accessToken, {
          action: 'approve',
          targetType: 'post',
          targetId: row.id,
          reason: 'again',
        }),
        409,
        'moderation_action_not_allowed',
      );
      const audit = await get(
        `/v1/moderation/actions?targetId=${row.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect((audit.body as { items: { action: string; reason: string }[] }).items).toEqual([
        expect.objectContaining({ action: 'approve', reason: 'A friendly tip, not spam' }),
      ]);
    });

    it('a reason is required and the queue is oldest first, cursor-paginated', async () => {
      const community = await insertCommunity(api.db, brand.brandId);
      const author = await member(brand);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1)
        ids.push((await screenedPost(brand, community.id, author.id, `whatsapp me ${i}`)).row.id);
      const first = await get(
        `/v1/moderation/queue?communityId=${community.id}&limit=2`,
        brand.owner.accessToken,
      ).expect(200);
      const page1 = first.body as { items: { targetId: string }[]; nextCursor: string };
      expect(page1.items.map((i) => i.targetId)).toEqual(ids.slice(0, 2));
      const second = await get(
        `/v1/moderation/queue?communityId=${community.id}&limit=2&cursor=${page1.nextCursor}`,
        brand.owner.accessToken,
      ).expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ targetId: ids[2] })],
        nextCursor: null,
      });
      expectErrorBody(
        await post('/v1/moderation/actions', brand.owner.accessToken, {
          action: 'remove',
          targetType: 'post',
          targetId: ids[0],
        }),
        400,
        'validation_failed',
      );
    });
  });

  describe('reports', () => {
    it('report → reported case with reasons → remove → post.removed; duplicates and own content refused', async () => {
      const community = await insertCommunity(api.db, brand.brandId);
      const author = await member(brand);
      const reporters = [await member(brand), await member(brand)];
      const row = await insertPost(api.db, brand.brandId, {
        communityId: community.id,
        authorId: author.id,
      });
      const report = (token: string, reason: string) =>
        post('/v1/reports', token, {
          targetType: 'post',
          targetId: row.id,
          reason,
          note: '<script>x</script>',
        });

      const created = await report(reporters[0].token, 'spam').expect(201);
      expect(created.body).toMatchObject({
        targetId: row.id,
        reason: 'spam',
        note: '<script>x</script>',
      });
      await report(reporters[1].token, 'harassment').expect(201);
      expectErrorBody(await report(reporters[0].token, 'abuse'), 409, 'report_duplicate');
      expectErrorBody(await report(author.token, 'spam'), 403, 'report_own_content');
      expectErrorBody(
        await post('/v1/reports', reporters[0].token, {
          targetType: 'post',
          targetId: row.id,
          reason: 'boring',
        }),
        400,
        'validation_failed',
      );
      const stranger = await member(other);
      expectErrorBody(await report(stranger.token, 'spam'), 404, 'moderation_target_not_found');

      const queue = await get(
        `/v1/moderation/queue?reason=reported&communityId=${community.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect(queue.body).toMatchObject({
        items: [
          {
            targetId: row.id,
            reason: 'reported',
            reports: { count: 2, reasons: { spam: 1, harassment: 1 } },
          },
        ],
      });

      await post('/v1/moderation/actions', brand.owner.accessToken, {
        action: 'remove',
        targetType: 'post',
        targetId: row.id,
        reason: 'Spam',
      }).expect(201);
      const removed = (await outboxOf(api.db, brand.brandId, COMMUNITY_TOPICS.postRemoved)).filter(
        (m) => m.payload.postId === row.id,
      );
      expect(removed.map((m) => m.payload)).toEqual([
        { postId: row.id, communityId: community.id, memberId: author.id, reason: 'Spam' },
      ]);
      // Removed content can no longer be reported (others cannot see it).
      expectErrorBody(
        await report((await member(brand)).token, 'spam'),
        404,
        'moderation_target_not_found',
      );
    });
  });

  describe('who may moderate', () => {
    it('a community moderator sees and decides only in their community; others are refused', async () => {
      const mine = await insertCommunity(api.db, brand.brandId);
      const theirs = await insertCommunity(api.db, brand.brandId);
      const moderator = await member(brand);
      await addCommunityMember(api.db, brand.brandId, mine.id, moderator.id, 'moderator');
      const author = await member(brand);
      const inMine = await screenedPost(brand, mine.id, author.id, 'whatsapp in mine');
      const inTheirs = await screenedPost(brand, theirs.id, author.id, 'whatsapp in theirs');

      const seen = await get('/v1/moderation/queue?limit=100', moderator.token).expect(200);
      const targets = (seen.body as { items: { targetId: string }[] }).items.map((i) => i.targetId);
      expect(targets).toEqual([inMine.row.id]);
      expectErrorBody(
        await get(`/v1/moderation/queue?communityId=${theirs.id}`, moderator.token),
        403,
        'moderation_not_community_moderator',
      );
      const decide = (token: string, targetId: string) =>
        post('/v1/moderation/actions', token, {
          action: 'hide',
          targetType: 'post',
          targetId,
          reason: 'r',
        });
      expectErrorBody(
        await decide(moderator.token, inTheirs.row.id),
        403,
        'moderation_not_community_moderator',
      );
      // A plain member is not a moderator anywhere.
      expectErrorBody(
        await get('/v1/moderation/queue', author.token),
        403,
        'moderation_not_community_moderator',
      );
      expectErrorBody(
        await decide(author.token, inMine.row.id),
        403,
        'moderation_not_community_moderator',
      );
      // Another brand's staff: the content does not exist for them.
      expectErrorBody(
        await decide(other.owner.accessToken, inMine.row.id),
        404,
        'moderation_target_not_found',
      );
      expectErrorBody(
        await get(`/v1/moderation/queue?communityId=${mine.id}`, other.owner.accessToken),
        404,
        'moderation_community_not_found',
      );
      const otherQueue = await get(
        '/v1/moderation/queue?limit=100',
        other.owner.accessToken,
      ).expect(200);
      expect((otherQueue.body as { items: unknown[] }).items).toEqual([]);

      // Brand staff: moderators see every community, marketers have no say.
      const staffModerator = await createStaff(
        api,
        brand.slug,
        brand.owner.accessToken,
        'moderator',
      );
      const marketer = await createStaff(api, brand.slug, brand.owner.accessToken, 'marketer');
      const staffView = await get(
        `/v1/moderation/queue?communityId=${theirs.id}`,
        staffModerator.tokens.accessToken,
      ).expect(200);
      expect(staffView.body).toMatchObject({ items: [{ targetId: inTheirs.row.id }] });
      expectErrorBody(
        await get('/v1/moderation/queue', marketer.tokens.accessToken),
        403,
        'insufficient_role',
      );
      expectErrorBody(
        await decide(marketer.tokens.accessToken, inTheirs.row.id),
        403,
        'insufficient_role',
      );
      await decide(staffModerator.tokens.accessToken, inTheirs.row.id).expect(201);

      await decide(moderator.token, inMine.row.id).expect(201);
      const audit = await get(
        `/v1/moderation/actions?targetId=${inMine.row.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect(audit.body).toMatchObject({
        items: [{ action: 'hide', actorType: 'member', actorId: moderator.id }],
      });
      // Reviews outside communities are brand staff business.
      const review = await insertReview(api.db, brand.brandId, { memberId: author.id });
      expectErrorBody(
        await post('/v1/moderation/actions', moderator.token, {
          action: 'hide',
          targetType: 'review',
          targetId: review.id,
          reason: 'r',
        }),
        403,
        'moderation_not_community_moderator',
      );
    });
  });

  describe('sanctions', () => {
    it('mutes and bans for a duration, a ban ends the membership; lift; other brand gets 404', async () => {
      const community = await insertCommunity(api.db, brand.brandId);
      const target = await member(brand);
      await addCommunityMember(api.db, brand.brandId, community.id, target.id);
      const sanction = (token: string, kind: string, durationMinutes: number) =>
        post('/v1/moderation/sanctions', token, {
          communityId: community.id,
          memberId: target.id,
          kind,
          durationMinutes,
          reason: 'Flooding',
        });

      const before = Date.now();
      const muted = await sanction(brand.owner.accessToken, 'mute', 30).expect(201);
      const mutedUntil = Date.parse((muted.body as { until: string }).until);
      expect(mutedUntil).toBeGreaterThanOrEqual(before + 30 * 60_000);
      expect(mutedUntil).toBeLessThan(Date.now() + 30 * 60_000 + 1000);

      const banned = await sanction(brand.owner.accessToken, 'ban', 7 * 24 * 60).expect(201);
      expect(Date.parse((banned.body as { until: string }).until)).toBeGreaterThan(
        Date.now() + 6 * 24 * 3600_000,
      );
      const rows = await api.db.db
        .select({ kind: communitySanctions.kind })
        .from(communitySanctions)
        .where(
          and(
            eq(communitySanctions.communityId, community.id),
            eq(communitySanctions.memberId, target.id),
          ),
        );
      expect(rows.map((r) => r.kind).sort()).toEqual(['ban', 'mute']);
      const memberships = await api.db.db
        .select()
        .from(communityMembers)
        .where(
          and(
            eq(communityMembers.communityId, community.id),
            eq(communityMembers.memberId, target.id),
          ),
        );
      expect(memberships).toEqual([]);
      const [{ memberCount }] = await api.db.db
        .select({ memberCount: communities.memberCount })
        .from(communities)
        .where(eq(communities.id, community.id));
      expect(memberCount).toBe(0);

      expectErrorBody(await sanction(brand.owner.accessToken, 'mute', 0), 400, 'validation_failed');
      expectErrorBody(
        await sanction(other.owner.accessToken, 'mute', 10),
        404,
        'moderation_community_not_found',
      );

      const lift = (kind: string) =>
        post('/v1/moderation/sanctions/lift', brand.owner.accessToken, {
          communityId: community.id,
          memberId: target.id,
          kind,
          reason: 'Appeal accepted',
        });
      await lift('mute').expect(201);
      expectErrorBody(await lift('mute'), 409, 'moderation_no_active_sanction');
      const audit = await get(
        `/v1/moderation/actions?memberId=${target.id}`,
        brand.owner.accessToken,
      ).expect(200);
      expect((audit.body as { items: { action: string }[] }).items.map((a) => a.action)).toEqual([
        'unmute',
        'ban',
        'mute',
      ]);
    });
  });

  it('lists the moderation routes in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const paths = (doc.body as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/moderation/rules',
        '/v1/moderation/rules/{id}',
        '/v1/moderation/queue',
        '/v1/moderation/actions',
        '/v1/moderation/sanctions',
        '/v1/moderation/sanctions/lift',
        '/v1/reports',
      ]),
    );
    expect(Object.keys(paths['/v1/moderation/actions']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/v1/moderation/rules/{id}']).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ]);
  });
});
