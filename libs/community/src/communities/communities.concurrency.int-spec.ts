import { Test, type TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import {
  DbModule,
  comments,
  communities,
  communityMembers,
  pollVotes,
  posts,
  reactions,
} from '@app/db';
import { BrandsService, IdentityModule, type MemberPrincipal, MembersService } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import {
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  uniqueEmail,
} from '../../../../test/support/factories';
import { CommentsService } from './comments/comments.service';
import { CommunitiesModule } from './communities.module';
import { CommunitiesService } from './communities.service';
import { PostsService } from './posts/posts.service';
import { REACTION_KINDS } from './reactions/reactions.repository';
import { ReactionsService } from './reactions/reactions.service';

/** Counters under concurrency: every request on its own pooled connection, real Postgres. */
describe('community counters under concurrency (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let communitiesService: CommunitiesService;
  let postsService: PostsService;
  let commentsService: CommentsService;
  let reactionsService: ReactionsService;
  let brandId: string;
  let staff: { brandId: string; id: string };

  const newMembers = async (n: number): Promise<MemberPrincipal[]> => {
    const out: MemberPrincipal[] = [];
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, () =>
          moduleRef.get(MembersService).register(brandId, {
            email: uniqueEmail('m'),
            firstName: 'T',
            password: DEFAULT_PASSWORD,
          }),
        ),
      );
      out.push(...batch.map((m) => ({ type: 'member' as const, brandId, id: m.id })));
    }
    return out;
  };

  const row = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0];

  const communityRow = (id: string) =>
    row(ctx.db.db.select().from(communities).where(eq(communities.id, id)));
  const postRow = (id: string) => row(ctx.db.db.select().from(posts).where(eq(posts.id, id)));
  const countOf = async (
    table: typeof reactions | typeof communityMembers | typeof pollVotes,
    where: ReturnType<typeof eq>,
  ) =>
    (
      await row(
        ctx.db.db
          .select({ n: sql<number>`count(*)::int` })
          .from(table)
          .where(where),
      )
    ).n;

  /** A community with `n` members joined (sequentially: the joins are not under test here). */
  async function communityWith(n: number) {
    const community = await communitiesService.create(staff, {
      name: 'C',
      slug: `c-${Math.random().toString(36).slice(2, 10)}`,
    });
    const members = await newMembers(n);
    for (const m of members) await communitiesService.join(m, community.id);
    return { community, members };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ DB_POOL_MAX: '20' });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        IdentityModule,
        CommunitiesModule,
      ],
    }).compile();
    await moduleRef.init();
    communitiesService = moduleRef.get(CommunitiesService);
    postsService = moduleRef.get(PostsService);
    commentsService = moduleRef.get(CommentsService);
    reactionsService = moduleRef.get(ReactionsService);
    const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = fixture.brand.id;
    staff = { brandId, id: fixture.owner.id };
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('concurrent joins and leaves keep member_count equal to the membership rows', async () => {
    const community = await communitiesService.create(staff, { name: 'J', slug: 'joins' });
    const members = await newMembers(40);
    await Promise.all(members.map((m) => communitiesService.join(m, community.id)));
    // The same member joining ten times at once is one membership.
    await Promise.all(
      Array.from({ length: 10 }, () => communitiesService.join(members[0], community.id)),
    );
    const rows = () =>
      countOf(
        communityMembers,
        and(eq(communityMembers.brandId, brandId), eq(communityMembers.communityId, community.id))!,
      );
    expect((await communityRow(community.id)).memberCount).toBe(40);
    expect(await rows()).toBe(40);

    await Promise.all(
      [...members.slice(0, 25), ...members.slice(0, 5)].map((m) =>
        communitiesService.leave(m, community.id),
      ),
    );
    expect((await communityRow(community.id)).memberCount).toBe(15);
    expect(await rows()).toBe(15);
  });

  it('50 concurrent reactions → reaction_count exactly 50, hot score from the new count; kind changes and removals stay exact', async () => {
    const { community, members } = await communityWith(50);
    const post = await postsService.create(members[0], community.id, { body: 'React to me' });
    const target = { targetType: 'post' as const, targetId: post.id };

    await Promise.all(
      members.map((m, i) => reactionsService.react(m, target, REACTION_KINDS[i % 6])),
    );
    const reacted = await postRow(post.id);
    expect(reacted.reactionCount).toBe(50);
    expect(await countOf(reactions, eq(reactions.targetId, post.id))).toBe(50);
    expect(reacted.hotScore).toBeCloseTo(
      Math.log10(50) + reacted.createdAt.getTime() / 1000 / 45000,
      6,
    );

    // Everyone changes kind, and one member hammers the same PUT: no counter moves.
    await Promise.all([
      ...members.map((m) => reactionsService.react(m, target, 'fire')),
      ...Array.from({ length: 5 }, () => reactionsService.react(members[1], target, 'love')),
    ]);
    expect((await postRow(post.id)).reactionCount).toBe(50);

    // Half remove theirs twice over, concurrently.
    const leaving = members.slice(0, 25);
    await Promise.all([...leaving, ...leaving].map((m) => reactionsService.react(m, target, null)));
    const after = await postRow(post.id);
    expect(after.reactionCount).toBe(25);
    expect(await countOf(reactions, eq(reactions.targetId, post.id))).toBe(25);
    expect(after.hotScore).toBeCloseTo(
      Math.log10(25) + after.createdAt.getTime() / 1000 / 45000,
      6,
    );
  });

  it('concurrent comments, replies and votes keep comment_count, reply_count and poll counts exact', async () => {
    const { community, members } = await communityWith(30);
    const post = await postsService.create(members[0], community.id, {
      body: 'Poll and comments',
      poll: { question: 'Which?', options: ['A', 'B', 'C'] },
    });
    const top = await commentsService.create(members[1], post.id, { body: 'top' });
    await Promise.all(
      members.map((m, i) =>
        commentsService.create(m, post.id, {
          body: `comment ${i}`,
          parentId: i % 2 ? top.id : null,
        }),
      ),
    );
    const commented = await postRow(post.id);
    expect(commented.commentCount).toBe(31);
    const [topRow] = await ctx.db.db.select().from(comments).where(eq(comments.id, top.id));
    expect(topRow.replyCount).toBe(15);
    expect(commented.hotScore).toBeCloseTo(
      Math.log10(2 * 31) + commented.createdAt.getTime() / 1000 / 45000,
      6,
    );

    const options = post.poll!.options.map((o) => o.id);
    const results = await Promise.allSettled(
      [...members, members[2], members[3]].map((m, i) =>
        postsService.vote(m, post.id, options[i % 3]),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    const poll = (await postRow(post.id)).poll!;
    expect(Object.values(poll.counts).reduce((a, b) => a + b, 0)).toBe(30);
    for (const id of options) {
      const votes = await countOf(
        pollVotes,
        and(eq(pollVotes.postId, post.id), eq(pollVotes.optionId, id))!,
      );
      expect(poll.counts[id]).toBe(votes);
    }
  });
});
