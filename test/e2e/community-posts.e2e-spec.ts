import { and, eq, sql } from 'drizzle-orm';
import {
  communities,
  communitySanctions,
  moderationCases,
  moderationRules,
  posts,
  products,
} from '@app/db';
import {
  type CommunityBody,
  type PostBody,
  createCommunity,
  createPost,
  joinCommunity,
} from '../support/community-factories';
import {
  type ApiHarness,
  bootApi,
  expectErrorBody,
  loginMember,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface FeedPost extends PostBody {
  hotScore: number;
  myReaction: string | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Communities, posts, comments, reactions and feeds over HTTP against the real api. */
describe('communities, posts, comments and reactions (e2e)', () => {
  let api: ApiHarness;
  let tenant: Tenant;
  let other: Tenant;

  const auth = (token: string) => `Bearer ${token}`;
  const get = (path: string, token: string) =>
    api.http().get(path).set('authorization', auth(token));
  const post = (path: string, token: string, body: object = {}) =>
    api.http().post(path).set('authorization', auth(token)).send(body);
  const put = (path: string, token: string, body: object = {}) =>
    api.http().put(path).set('authorization', auth(token)).send(body);
  const patch = (path: string, token: string, body: object) =>
    api.http().patch(path).set('authorization', auth(token)).send(body);
  const del = (path: string, token: string) =>
    api.http().delete(path).set('authorization', auth(token));

  /** A fresh member of `t`, signed in. */
  async function newMember(t: Tenant = tenant) {
    const member = await registerMember(api, t.slug);
    const tokens = await loginMember(api, t.slug, member.email);
    return { id: member.id, token: tokens.accessToken };
  }

  async function community(id: string, token = tenant.owner.accessToken) {
    return (await get(`/v1/communities/${id}`, token).expect(200)).body as CommunityBody;
  }

  /** Every page of a feed, following nextCursor. */
  async function allPages(path: string, token: string, limit: number): Promise<FeedPost[][]> {
    const pages: FeedPost[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}${query}`, token).expect(200);
      const body = res.body as Page<FeedPost>;
      pages.push(body.items);
      cursor = body.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  beforeAll(async () => {
    api = await bootApi();
    tenant = await seedTenant(api, 'cm');
    other = await seedTenant(api, 'cm-other');
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('communities and membership', () => {
    it('staff owner/moderator create; members cannot; slugs are unique per brand', async () => {
      const created = await createCommunity(api, tenant.owner.accessToken, {
        name: 'Runners',
        description: 'Run together',
        rules: 'Be kind',
      });
      expect(created).toMatchObject({
        name: 'Runners',
        visibility: 'public',
        memberCount: 0,
        postCount: 0,
        myRole: null,
      });
      expectErrorBody(
        await post('/v1/communities', tenant.memberTokens.accessToken, {
          name: 'Nope',
          slug: `nope-${unique()}`,
        }),
        403,
      );
      expectErrorBody(
        await post('/v1/communities', tenant.owner.accessToken, {
          name: 'Again',
          slug: created.slug,
        }),
        409,
        'community_slug_taken',
      );
      expectErrorBody(
        await post('/v1/communities', tenant.owner.accessToken, { name: 'Bad', slug: 'Bad Slug' }),
        400,
        'validation_failed',
      );
      const renamed = await patch(`/v1/communities/${created.id}`, tenant.owner.accessToken, {
        name: 'Runners club',
        visibility: 'members_only',
      }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Runners club', visibility: 'members_only' });
    });

    it('join and leave move member_count; joining twice is a no-op; the list shows myRole', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      const b = await newMember();
      const joined = await post(`/v1/communities/${c.id}/join`, a.token).expect(200);
      expect(joined.body).toMatchObject({ memberCount: 1, myRole: 'member' });
      await post(`/v1/communities/${c.id}/join`, a.token).expect(200);
      await joinCommunity(api, b.token, c.id);
      expect((await community(c.id)).memberCount).toBe(2);

      const members = await get(`/v1/communities/${c.id}/members?limit=1`, a.token).expect(200);
      const first = members.body as Page<{ memberId: string; role: string }>;
      expect(first.items).toEqual([expect.objectContaining({ memberId: b.id, role: 'member' })]);
      const second = await get(
        `/v1/communities/${c.id}/members?limit=1&cursor=${first.nextCursor}`,
        a.token,
      ).expect(200);
      expect((second.body as Page<{ memberId: string }>).items[0].memberId).toBe(a.id);

      const listed = await get('/v1/communities?limit=100', a.token).expect(200);
      expect((listed.body as Page<CommunityBody>).items.find((x) => x.id === c.id)?.myRole).toBe(
        'member',
      );

      await post(`/v1/communities/${c.id}/leave`, a.token).expect(204);
      await post(`/v1/communities/${c.id}/leave`, a.token).expect(204);
      expect((await community(c.id)).memberCount).toBe(1);
    });

    it('invite-only needs an invitation; roles are set by staff or the community owner', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken, { visibility: 'invite' });
      const owner = await newMember();
      const guest = await newMember();
      const stranger = await newMember();
      expectErrorBody(
        await post(`/v1/communities/${c.id}/join`, owner.token),
        403,
        'community_invite_required',
      );
      await post(`/v1/communities/${c.id}/invites`, tenant.owner.accessToken, {
        memberId: owner.id,
      }).expect(204);
      await joinCommunity(api, owner.token, c.id);
      // A plain member can neither invite nor set roles.
      expectErrorBody(
        await post(`/v1/communities/${c.id}/invites`, owner.token, { memberId: guest.id }),
        403,
        'community_moderator_required',
      );
      await put(`/v1/communities/${c.id}/members/${owner.id}/role`, tenant.owner.accessToken, {
        role: 'owner',
      }).expect(200);
      // Now the community owner invites and promotes.
      await post(`/v1/communities/${c.id}/invites`, owner.token, { memberId: guest.id }).expect(
        204,
      );
      await joinCommunity(api, guest.token, c.id);
      const promoted = await put(`/v1/communities/${c.id}/members/${guest.id}/role`, owner.token, {
        role: 'moderator',
      }).expect(200);
      expect(promoted.body).toMatchObject({ memberId: guest.id, role: 'moderator' });
      // A moderator invites but cannot set roles.
      await post(`/v1/communities/${c.id}/invites`, guest.token, {
        memberId: stranger.id,
      }).expect(204);
      expectErrorBody(
        await put(`/v1/communities/${c.id}/members/${owner.id}/role`, guest.token, {
          role: 'member',
        }),
        403,
        'community_moderator_required',
      );
      expectErrorBody(
        await post(`/v1/communities/${c.id}/invites`, owner.token, {
          memberId: other.member.id,
        }),
        404,
        'community_member_not_found',
      );
    });

    it('archived communities stay readable but take no members or posts', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      await joinCommunity(api, a.token, c.id);
      await del(`/v1/communities/${c.id}`, tenant.owner.accessToken).expect(204);
      expect((await community(c.id)).memberCount).toBe(1);
      const b = await newMember();
      expectErrorBody(
        await post(`/v1/communities/${c.id}/join`, b.token),
        409,
        'community_archived',
      );
      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, a.token, { body: 'late' }),
        409,
        'community_archived',
      );
      const listed = (await get('/v1/communities?limit=100', a.token).expect(200))
        .body as Page<CommunityBody>;
      expect(listed.items.map((x) => x.id)).not.toContain(c.id);
    });
  });

  describe('posts, comments, reactions and feeds', () => {
    it('create → comment → reply → react → feeds new/hot paginated → edit → delete', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      const b = await newMember();
      const d = await newMember();
      for (const m of [a, b, d]) await joinCommunity(api, m.token, c.id);

      const p1 = await createPost(api, a.token, c.id, { body: 'First post' });
      expect(p1).toMatchObject({
        communityId: c.id,
        authorId: a.id,
        body: 'First post',
        status: 'published',
        reactionCount: 0,
        commentCount: 0,
        pinned: false,
      });
      const p2 = await createPost(api, a.token, c.id);
      const p3 = await createPost(api, a.token, c.id);
      const p4 = await createPost(api, b.token, c.id);
      const p5 = await createPost(api, b.token, c.id);
      expect((await community(c.id)).postCount).toBe(5);

      // Comments and one level of replies.
      const top = await post(`/v1/posts/${p1.id}/comments`, b.token, { body: 'Nice' }).expect(201);
      const topId = (top.body as { id: string }).id;
      const reply = await post(`/v1/posts/${p1.id}/comments`, a.token, {
        body: 'Thanks',
        parentId: topId,
      }).expect(201);
      expect(reply.body).toMatchObject({ parentId: topId, postId: p1.id, authorId: a.id });
      expectErrorBody(
        await post(`/v1/posts/${p1.id}/comments`, d.token, {
          body: 'deeper',
          parentId: (reply.body as { id: string }).id,
        }),
        400,
        'reply_depth_exceeded',
      );
      const topLevel = (await get(`/v1/posts/${p1.id}/comments`, d.token).expect(200))
        .body as Page<{ id: string; replyCount: number }>;
      expect(topLevel.items).toEqual([expect.objectContaining({ id: topId, replyCount: 1 })]);
      const replies = (
        await get(`/v1/posts/${p1.id}/comments?parentId=${topId}`, d.token).expect(200)
      ).body as Page<{ body: string }>;
      expect(replies.items.map((r) => r.body)).toEqual(['Thanks']);

      // Reactions: one per member, a new kind replaces, DELETE removes.
      await put(`/v1/posts/${p2.id}/reaction`, b.token, { kind: 'like' }).expect(200);
      await put(`/v1/posts/${p2.id}/reaction`, d.token, { kind: 'love' }).expect(200);
      const changed = await put(`/v1/posts/${p2.id}/reaction`, d.token, { kind: 'fire' }).expect(
        200,
      );
      expect(changed.body).toMatchObject({
        kind: 'fire',
        reactionCount: 2,
        counts: { like: 1, love: 0, fire: 1 },
      });
      const removed = await del(`/v1/posts/${p2.id}/reaction`, d.token).expect(200);
      expect(removed.body).toMatchObject({ kind: null, reactionCount: 1 });
      await put(`/v1/posts/${p2.id}/reaction`, d.token, { kind: 'wow' }).expect(200);
      expectErrorBody(
        await put(`/v1/posts/${p2.id}/reaction`, d.token, { kind: 'angry' }),
        400,
        'validation_failed',
      );
      const onComment = await put(`/v1/comments/${topId}/reaction`, a.token, {
        kind: 'haha',
      }).expect(200);
      expect(onComment.body).toMatchObject({ targetType: 'comment', reactionCount: 1 });

      const p1Now = (await get(`/v1/posts/${p1.id}`, d.token).expect(200)).body as FeedPost;
      expect(p1Now.commentCount).toBe(2);
      const p2Now = (await get(`/v1/posts/${p2.id}`, d.token).expect(200)).body as FeedPost;
      expect(p2Now).toMatchObject({ reactionCount: 2, myReaction: 'wow' });
      // The stored hot score follows the documented formula.
      const created = new Date((p1Now as unknown as { createdAt: string }).createdAt);
      expect(p1Now.hotScore).toBeCloseTo(
        Math.log10(Math.max(1, 0 + 2 * 2)) + created.getTime() / 1000 / 45000,
        3,
      );

      // Feed `new`: pages of 2, newest first, every post exactly once.
      const newest = await allPages(`/v1/communities/${c.id}/posts?sort=new`, d.token, 2);
      expect(newest.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(newest.flat().map((p) => p.id)).toEqual([p5.id, p4.id, p3.id, p2.id, p1.id]);

      // Feed `hot`: p1 (4 engagement) > p2 (2) > the rest by age.
      const hot = await allPages(`/v1/communities/${c.id}/posts?sort=hot`, d.token, 2);
      expect(hot.flat().map((p) => p.id)).toEqual([p1.id, p2.id, p5.id, p4.id, p3.id]);
      const scores = hot.flat().map((p) => p.hotScore);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      expectErrorBody(
        await get(`/v1/communities/${c.id}/posts?sort=hot&cursor=${'x'.repeat(10)}`, d.token),
        400,
        'validation_failed',
      );

      // Pins: community moderators or staff; pinned posts lead the first page only.
      expectErrorBody(
        await put(`/v1/posts/${p3.id}/pin`, d.token),
        403,
        'community_moderator_required',
      );
      await put(`/v1/posts/${p3.id}/pin`, tenant.owner.accessToken).expect(200);
      const pinnedFirst = await allPages(`/v1/communities/${c.id}/posts?sort=hot`, d.token, 2);
      expect(pinnedFirst[0].map((p) => [p.id, p.pinned])).toEqual([
        [p3.id, true],
        [p1.id, false],
        [p2.id, false],
      ]);
      expect(pinnedFirst.flat().filter((p) => p.id === p3.id)).toHaveLength(1);
      await del(`/v1/posts/${p3.id}/pin`, tenant.owner.accessToken).expect(204);

      // Edit by the author only.
      const edited = await patch(`/v1/posts/${p4.id}`, b.token, { body: 'Edited text' }).expect(
        200,
      );
      expect(edited.body).toMatchObject({ body: 'Edited text', editedAt: expect.any(String) });
      expectErrorBody(
        await patch(`/v1/posts/${p4.id}`, a.token, { body: 'hijack' }),
        403,
        'not_author',
      );
      const comment = await patch(`/v1/comments/${topId}`, b.token, { body: 'Very nice' }).expect(
        200,
      );
      expect(comment.body).toMatchObject({ body: 'Very nice', editedAt: expect.any(String) });

      // Delete: status 'deleted', gone from feeds and reads, counters drop.
      expectErrorBody(await del(`/v1/posts/${p5.id}`, a.token), 403, 'not_author');
      await del(`/v1/posts/${p5.id}`, b.token).expect(204);
      expectErrorBody(await get(`/v1/posts/${p5.id}`, d.token), 404, 'post_not_found');
      const staffView = await get(`/v1/posts/${p5.id}`, tenant.owner.accessToken).expect(200);
      expect(staffView.body).toMatchObject({ status: 'deleted' });
      expect((await community(c.id)).postCount).toBe(4);
      await del(`/v1/comments/${(reply.body as { id: string }).id}`, a.token).expect(204);
      const afterDelete = (await get(`/v1/posts/${p1.id}`, d.token).expect(200)).body as FeedPost;
      expect(afterDelete.commentCount).toBe(1);
      const feed = (await get(`/v1/communities/${c.id}/posts?limit=10`, d.token).expect(200))
        .body as Page<FeedPost>;
      expect(feed.items.map((p) => p.id)).not.toContain(p5.id);

      // My posts.
      const mine = (await get('/v1/me/posts?limit=10', b.token).expect(200)).body as Page<FeedPost>;
      expect(mine.items.map((p) => p.id)).toEqual([p4.id]);
    });

    it('validates images, product tags and polls; script payloads round-trip as inert text', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      const b = await newMember();
      await joinCommunity(api, a.token, c.id);
      await joinCommunity(api, b.token, c.id);
      const productId = `sku-${unique()}`;
      await api.db.db
        .insert(products)
        .values({ brandId: tenant.brandId, id: productId, name: 'Shoe' });

      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, a.token, {
          body: 'pic',
          imageUrls: ['http://cdn.example.com/a.jpg'],
        }),
        400,
        'validation_failed',
      );
      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, a.token, {
          body: 'pics',
          imageUrls: Array.from({ length: 10 }, (_, i) => `https://cdn.example.com/${i}.jpg`),
        }),
        400,
        'validation_failed',
      );
      const unknown = await post(`/v1/communities/${c.id}/posts`, a.token, {
        body: 'tagged',
        productIds: [productId, 'sku-nope'],
      });
      expectErrorBody(unknown, 400, 'unknown_product');
      expect(
        (unknown.body as { error: { details: { productIds: string[] } } }).error.details,
      ).toMatchObject({ productIds: ['sku-nope'] });

      const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
      const tagged = await createPost(api, a.token, c.id, {
        body: script,
        imageUrls: ['https://cdn.example.com/shoe.jpg'],
        productIds: [productId],
        poll: { question: 'Buy again?', options: ['Yes', 'No'] },
      });
      const read = await get(`/v1/posts/${tagged.id}`, b.token).expect(200);
      expect(read.headers['content-type']).toMatch(/^application\/json/);
      const body = read.body as {
        body: string;
        productIds: string[];
        poll: { options: { id: string; text: string; votes: number }[]; totalVotes: number };
      };
      expect(body.body).toBe(script);
      expect(body.productIds).toEqual([productId]);

      const yes = body.poll.options[0].id;
      const voted = await post(`/v1/posts/${tagged.id}/poll/votes`, b.token, {
        optionId: yes,
      }).expect(200);
      expect(voted.body).toMatchObject({
        poll: { totalVotes: 1, myVote: yes, options: [{ id: yes, votes: 1 }, { votes: 0 }] },
      });
      expectErrorBody(
        await post(`/v1/posts/${tagged.id}/poll/votes`, b.token, {
          optionId: body.poll.options[1].id,
        }),
        409,
        'poll_already_voted',
      );
      expectErrorBody(
        await post(`/v1/posts/${tagged.id}/poll/votes`, a.token, { optionId: 'nope' }),
        400,
        'poll_option_unknown',
      );
    });
  });

  describe('visibility', () => {
    it('members-only content: 403 to non-members, readable by members and staff, 404 to other brands', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken, {
        visibility: 'members_only',
      });
      const insider = await newMember();
      const outsider = await newMember();
      await joinCommunity(api, insider.token, c.id);
      const p = await createPost(api, insider.token, c.id);

      // The community itself is listed and described; its content is not readable.
      await get(`/v1/communities/${c.id}`, outsider.token).expect(200);
      for (const path of [
        `/v1/communities/${c.id}/posts`,
        `/v1/communities/${c.id}/members`,
        `/v1/posts/${p.id}`,
        `/v1/posts/${p.id}/comments`,
      ])
        expectErrorBody(await get(path, outsider.token), 403, 'community_members_only');
      expectErrorBody(
        await put(`/v1/posts/${p.id}/reaction`, outsider.token, { kind: 'like' }),
        403,
        'community_members_only',
      );

      await get(`/v1/communities/${c.id}/posts`, insider.token).expect(200);
      const staffFeed = (
        await get(`/v1/communities/${c.id}/posts`, tenant.owner.accessToken).expect(200)
      ).body as Page<FeedPost>;
      expect(staffFeed.items.map((x) => x.id)).toEqual([p.id]);
      expectErrorBody(await get(`/v1/communities/${c.id}`, other.memberTokens.accessToken), 404);
      expectErrorBody(await get(`/v1/posts/${p.id}`, other.memberTokens.accessToken), 404);
      expectErrorBody(
        await get(`/v1/communities/${c.id}/posts`, other.owner.accessToken),
        404,
        'community_not_found',
      );
    });

    it('public content is readable by every member of the brand; posting needs membership', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const insider = await newMember();
      const outsider = await newMember();
      await joinCommunity(api, insider.token, c.id);
      const p = await createPost(api, insider.token, c.id);
      await get(`/v1/posts/${p.id}`, outsider.token).expect(200);
      await get(`/v1/communities/${c.id}/posts`, outsider.token).expect(200);
      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, outsider.token, { body: 'hi' }),
        403,
        'community_not_a_member',
      );
      expectErrorBody(
        await post(`/v1/posts/${p.id}/comments`, outsider.token, { body: 'hi' }),
        403,
        'community_not_a_member',
      );
    });
  });

  describe('spam and abuse', () => {
    it('rate-limits posts per member: the 6th within 10 minutes → 429 post_rate_limited', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const spammer = await newMember();
      const neighbour = await newMember();
      await joinCommunity(api, spammer.token, c.id);
      await joinCommunity(api, neighbour.token, c.id);
      for (let i = 0; i < 5; i += 1) await createPost(api, spammer.token, c.id);
      const limited = await post(`/v1/communities/${c.id}/posts`, spammer.token, {
        body: `one more ${unique()}`,
      });
      expectErrorBody(limited, 429, 'post_rate_limited');
      expect(
        (limited.body as { error: { details: { retryAfterSeconds: number } } }).error.details
          .retryAfterSeconds,
      ).toBeGreaterThan(500);
      // Per member: someone else still posts.
      await createPost(api, neighbour.token, c.id);
      const [row] = await api.db.db
        .select({ postCount: communities.postCount })
        .from(communities)
        .where(eq(communities.id, c.id));
      expect(row.postCount).toBe(6);
    });

    it('refuses the same text by the same author within 24 h → 409 duplicate_content', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      const b = await newMember();
      await joinCommunity(api, a.token, c.id);
      await joinCommunity(api, b.token, c.id);
      const text = `Great deal ${unique()} today`;
      const first = await createPost(api, a.token, c.id, { body: text });
      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, a.token, { body: `  ${text.toUpperCase()} ` }),
        409,
        'duplicate_content',
      );
      // Another author may say the same thing.
      await createPost(api, b.token, c.id, { body: text });
      // Comments too.
      await post(`/v1/posts/${first.id}/comments`, b.token, { body: 'me too' }).expect(201);
      expectErrorBody(
        await post(`/v1/posts/${first.id}/comments`, b.token, { body: 'Me   too' }),
        409,
        'duplicate_content',
      );
      // Deleting the original frees the text.
      await del(`/v1/posts/${first.id}`, a.token).expect(204);
      await createPost(api, a.token, c.id, { body: text });
    });

    it('a muted member cannot post, comment or react (403 member_muted); a banned one cannot see or join', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const muted = await newMember();
      const banned = await newMember();
      const author = await newMember();
      for (const m of [muted, banned, author]) await joinCommunity(api, m.token, c.id);
      const p = await createPost(api, author.token, c.id);
      const sanction = (memberId: string, kind: 'mute' | 'ban', until: Date) =>
        api.db.db.insert(communitySanctions).values({
          brandId: tenant.brandId,
          communityId: c.id,
          memberId,
          kind,
          until,
          reason: 'test',
          actorType: 'staff',
          actorId: tenant.fixture.owner.id,
        });
      await sanction(muted.id, 'mute', new Date(Date.now() + 3_600_000));
      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, muted.token, { body: 'let me speak' }),
        403,
        'member_muted',
      );
      expectErrorBody(
        await post(`/v1/posts/${p.id}/comments`, muted.token, { body: 'let me speak' }),
        403,
        'member_muted',
      );
      expectErrorBody(
        await put(`/v1/posts/${p.id}/reaction`, muted.token, { kind: 'like' }),
        403,
        'member_muted',
      );
      // Muted members still read.
      await get(`/v1/communities/${c.id}/posts`, muted.token).expect(200);
      // Once the mute has ended they post again.
      await api.db.db
        .update(communitySanctions)
        .set({ until: new Date(Date.now() - 1000) })
        .where(
          and(eq(communitySanctions.communityId, c.id), eq(communitySanctions.memberId, muted.id)),
        );
      await createPost(api, muted.token, c.id);

      await sanction(banned.id, 'ban', new Date(Date.now() + 3_600_000));
      expectErrorBody(
        await get(`/v1/communities/${c.id}/posts`, banned.token),
        403,
        'member_banned',
      );
      expectErrorBody(await get(`/v1/posts/${p.id}`, banned.token), 403, 'member_banned');
      await post(`/v1/communities/${c.id}/leave`, banned.token).expect(204);
      expectErrorBody(
        await post(`/v1/communities/${c.id}/join`, banned.token),
        403,
        'member_banned',
      );
    });

    it('screening: block writes nothing, flag publishes and queues, hold is visible to its author only', async () => {
      // A fresh brand: the screening rule cache of the process has not seen it yet.
      const t = await seedTenant(api, 'cm-hold');
      await api.db.db.insert(moderationRules).values([
        {
          brandId: t.brandId,
          name: 'hold',
          match: 'keyword',
          pattern: 'cheapwatches',
          action: 'hold',
        },
        {
          brandId: t.brandId,
          name: 'block',
          match: 'keyword',
          pattern: 'scamlink',
          action: 'block',
        },
        { brandId: t.brandId, name: 'flag', match: 'keyword', pattern: 'dm me', action: 'flag' },
      ]);
      const c = await createCommunity(api, t.owner.accessToken);
      const a = await newMember(t);
      const b = await newMember(t);
      await joinCommunity(api, a.token, c.id);
      await joinCommunity(api, b.token, c.id);
      const held = await createPost(api, a.token, c.id, { body: 'visit cheapwatches now' });
      expect(held.status).toBe('held');
      const mine = (await get('/v1/me/posts', a.token).expect(200)).body as Page<FeedPost>;
      expect(mine.items.map((p) => [p.id, p.status])).toEqual([[held.id, 'held']]);
      await get(`/v1/posts/${held.id}`, a.token).expect(200);
      expectErrorBody(await get(`/v1/posts/${held.id}`, b.token), 404, 'post_not_found');
      const feed = (await get(`/v1/communities/${c.id}/posts`, b.token).expect(200))
        .body as Page<FeedPost>;
      expect(feed.items).toEqual([]);
      const [row] = await api.db.db
        .select({ status: posts.status, approvedAt: posts.approvedAt })
        .from(posts)
        .where(eq(posts.id, held.id));
      expect(row).toEqual({ status: 'held', approvedAt: null });

      expectErrorBody(
        await post(`/v1/communities/${c.id}/posts`, b.token, { body: 'see scamlink' }),
        400,
        'content_blocked',
      );
      expectErrorBody(
        await post(`/v1/posts/${held.id}/comments`, a.token, { body: 'see scamlink' }),
        404,
        'post_not_found',
      );
      const flagged = await createPost(api, b.token, c.id, { body: 'DM me for a deal' });
      expect(flagged.status).toBe('published');
      const flaggedComment = await post(`/v1/posts/${flagged.id}/comments`, a.token, {
        body: 'ok, dm me',
      }).expect(201);
      expectErrorBody(
        await post(`/v1/posts/${flagged.id}/comments`, a.token, { body: 'scamlink here' }),
        400,
        'content_blocked',
      );
      const cases = await api.db.db
        .select({
          targetType: moderationCases.targetType,
          targetId: moderationCases.targetId,
          reason: moderationCases.reason,
        })
        .from(moderationCases)
        .where(eq(moderationCases.brandId, t.brandId));
      expect(cases).toEqual(
        expect.arrayContaining([
          { targetType: 'post', targetId: held.id, reason: 'held' },
          { targetType: 'post', targetId: flagged.id, reason: 'flagged' },
          {
            targetType: 'comment',
            targetId: (flaggedComment.body as { id: string }).id,
            reason: 'flagged',
          },
        ]),
      );
      expect(cases).toHaveLength(3);
      const [{ n }] = await api.db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(posts)
        .where(eq(posts.brandId, t.brandId));
      expect(n).toBe(2);

      // An edit is screened again: caught by a hold rule, the post leaves the feed for review.
      const edited = await patch(`/v1/posts/${flagged.id}`, b.token, {
        body: 'now with cheapwatches',
      }).expect(200);
      expect(edited.body).toMatchObject({ status: 'held' });
      const after = (await get(`/v1/communities/${c.id}/posts`, a.token).expect(200))
        .body as Page<FeedPost>;
      expect(after.items).toEqual([]);
      expectErrorBody(
        await patch(`/v1/posts/${held.id}`, a.token, { body: 'scamlink instead' }),
        400,
        'content_blocked',
      );
    });

    it('rate-limits comments per member: the 31st within 10 minutes → 429 comment_rate_limited', async () => {
      const c = await createCommunity(api, tenant.owner.accessToken);
      const a = await newMember();
      await joinCommunity(api, a.token, c.id);
      const p = await createPost(api, a.token, c.id);
      for (let i = 0; i < 30; i += 1)
        await post(`/v1/posts/${p.id}/comments`, a.token, { body: `comment ${i}` }).expect(201);
      expectErrorBody(
        await post(`/v1/posts/${p.id}/comments`, a.token, { body: 'comment 31' }),
        429,
        'comment_rate_limited',
      );
    });
  });

  it('lists the community routes in the OpenAPI document', async () => {
    const doc = (await api.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/communities',
        '/v1/communities/{id}',
        '/v1/communities/{id}/join',
        '/v1/communities/{id}/invites',
        '/v1/communities/{id}/members/{memberId}/role',
        '/v1/communities/{communityId}/posts',
        '/v1/posts/{id}',
        '/v1/posts/{id}/comments',
        '/v1/posts/{id}/reaction',
        '/v1/posts/{id}/pin',
        '/v1/posts/{id}/poll/votes',
        '/v1/comments/{id}',
        '/v1/comments/{id}/reaction',
        '/v1/me/posts',
      ]),
    );
  });
});
