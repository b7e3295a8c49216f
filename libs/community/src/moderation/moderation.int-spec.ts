import { Test, type TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { type DomainError, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import {
  DbModule,
  communities,
  communityMembers,
  communitySanctions,
  contentReports,
  moderationActions,
  moderationCases,
  moderationRules,
  posts,
} from '@app/db';
import { BrandsService, IdentityModule } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner } from '../../../../test/support/factories';
import {
  addCommunityMember,
  insertComment,
  insertCommunity,
  insertMember,
  insertPost,
  insertReview,
  outboxOf,
} from '../../../../test/support/moderation-factories';
import { COMMUNITY_TOPICS } from '../community.events';
import type { ModeratorActor } from './moderation-access.service';
import { ModerationActionsService } from './moderation-actions.service';
import { ModerationCasesService } from './moderation-cases.service';
import { ModerationQueueService } from './moderation-queue.service';
import { ModerationRulesService } from './moderation-rules.service';
import { ModerationModule } from './moderation.module';
import { REPORT_LIMIT } from './report-rate-limiter';
import { ReportsService } from './reports.service';
import { SanctionsService } from './sanctions.service';
import { ScreeningService } from './screening.service';

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    return (error as DomainError).code;
  }
  throw new Error('expected a domain error');
};

describe('moderation (Postgres + Redis)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let brandId: string;
  let staff: ModeratorActor;
  let reports: ReportsService;
  let actions: ModerationActionsService;
  let queue: ModerationQueueService;
  let sanctions: SanctionsService;
  let community: { id: string; name: string };

  beforeAll(async () => {
    ctx = await createTestContext({ DB_POOL_MAX: '24' });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        IdentityModule,
        ModerationModule,
      ],
    }).compile();
    await moduleRef.init();
    reports = moduleRef.get(ReportsService);
    actions = moduleRef.get(ModerationActionsService);
    queue = moduleRef.get(ModerationQueueService);
    sanctions = moduleRef.get(SanctionsService);
    const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = fixture.brand.id;
    staff = { type: 'staff', brandId, id: fixture.owner.id };
    community = await insertCommunity(ctx.db, brandId);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  const caseOf = (targetId: string) =>
    ctx.db.db
      .select()
      .from(moderationCases)
      .where(and(eq(moderationCases.brandId, brandId), eq(moderationCases.targetId, targetId)));
  const statusOf = async (postId: string) =>
    (
      await ctx.db.db
        .select({ status: posts.status, approvedAt: posts.approvedAt })
        .from(posts)
        .where(and(eq(posts.brandId, brandId), eq(posts.id, postId)))
    )[0];
  const messagesFor = async (topic: string, field: string, id: string) =>
    (await outboxOf(ctx.db, brandId, topic)).filter((m) => m.payload[field] === id);

  describe('screening rules', () => {
    it('screens with the brand’s stored rules and sees a change at once in this process', async () => {
      const rules = moduleRef.get(ModerationRulesService);
      const screening = moduleRef.get(ScreeningService);
      const other = await createBrandWithOwner(moduleRef.get(BrandsService));
      expect(await screening.screen(brandId, 'buy cheap pills')).toEqual({
        action: 'allow',
        ruleIds: [],
      });
      const rule = await rules.create(brandId, {
        name: 'Pills',
        match: 'keyword',
        pattern: 'cheap pills',
        action: 'hold',
      });
      expect(await screening.screen(brandId, 'Buy CHEAP pills!')).toEqual({
        action: 'hold',
        ruleIds: [rule.id],
      });
      // Another brand's rules never apply.
      expect((await screening.screen(other.brand.id, 'buy cheap pills')).action).toBe('allow');

      await rules.update(brandId, rule.id, { action: 'block' });
      expect((await screening.screen(brandId, 'buy cheap pills')).action).toBe('block');
      await rules.update(brandId, rule.id, { active: false });
      expect((await screening.screen(brandId, 'buy cheap pills')).action).toBe('allow');
      await rules.remove(brandId, rule.id);
    });

    it('skips a stored rule that does not compile instead of failing every post', async () => {
      const other = await createBrandWithOwner(moduleRef.get(BrandsService));
      await ctx.db.db.insert(moderationRules).values([
        { brandId: other.brand.id, name: 'broken', match: 'regex', pattern: '(', action: 'block' },
        { brandId: other.brand.id, name: 'ok', match: 'keyword', pattern: 'spam', action: 'flag' },
      ]);
      const screening = moduleRef.get(ScreeningService);
      expect((await screening.screen(other.brand.id, 'spam (')).action).toBe('flag');
    });

    it('refuses an unsafe regex at write time and stores nothing', async () => {
      const rules = moduleRef.get(ModerationRulesService);
      expect(
        await codeOf(
          rules.create(brandId, { name: 'x', match: 'regex', pattern: '(a+)+$', action: 'block' }),
        ),
      ).toBe('moderation_pattern_unsafe');
      expect((await rules.list(brandId, {})).items.map((r) => r.pattern)).not.toContain('(a+)+$');
    });
  });

  describe('the case queue', () => {
    it('20 concurrent reports of one post: one open case, report_count exactly 20', async () => {
      const author = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
      });
      const reporters = await Promise.all(
        Array.from({ length: 20 }, () => insertMember(ctx.db, brandId)),
      );
      const results = await Promise.allSettled(
        reporters.map((id, i) =>
          reports.report(brandId, id, {
            targetType: 'post',
            targetId: post.id,
            reason: i % 2 ? 'spam' : 'abuse',
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);

      const cases = await caseOf(post.id);
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ status: 'open', reason: 'reported', reportCount: 20 });
      const rows = await ctx.db.db
        .select({ caseId: contentReports.caseId })
        .from(contentReports)
        .where(and(eq(contentReports.brandId, brandId), eq(contentReports.targetId, post.id)));
      expect(rows.map((r) => r.caseId)).toEqual(Array(20).fill(cases[0].id));

      const page = await queue.list(staff, { communityId: community.id });
      const item = page.items.find((i) => i.case.targetId === post.id);
      expect(item).toMatchObject({
        content: { text: post.body, status: 'published' },
        author: { id: author },
        community: { id: community.id, name: community.name },
        reports: { count: 20, reasons: { spam: 10, abuse: 10 } },
      });
    });

    it('held content and a concurrent case open converge on one case with merged rules', async () => {
      const cases = moduleRef.get(ModerationCasesService);
      const author = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
        status: 'held',
      });
      const input = {
        targetType: 'post' as const,
        targetId: post.id,
        communityId: community.id,
        memberId: author,
      };
      const ids = await Promise.all([
        cases.open(brandId, {
          ...input,
          reason: 'flagged',
          ruleIds: ['00000000-0000-4000-8000-000000000001'],
        }),
        cases.open(brandId, {
          ...input,
          reason: 'held',
          ruleIds: ['00000000-0000-4000-8000-000000000002'],
        }),
        cases.open(brandId, {
          ...input,
          reason: 'held',
          ruleIds: ['00000000-0000-4000-8000-000000000002'],
        }),
      ]);
      expect(new Set(ids).size).toBe(1);
      const [row] = await caseOf(post.id);
      expect(row.reason).toBe('held');
      expect(row.reportCount).toBe(0);
      expect([...row.ruleIds].sort()).toEqual([
        '00000000-0000-4000-8000-000000000001',
        '00000000-0000-4000-8000-000000000002',
      ]);
    });

    it('refuses duplicate, own, invisible and excess reports', async () => {
      const author = await insertMember(ctx.db, brandId);
      const reporter = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
      });
      const held = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
        status: 'held',
      });
      const report = (memberId: string, targetId: string) =>
        reports.report(brandId, memberId, { targetType: 'post', targetId, reason: 'spam' });
      await report(reporter, post.id);
      expect(await codeOf(report(reporter, post.id))).toBe('report_duplicate');
      expect(await codeOf(report(author, post.id))).toBe('report_own_content');
      expect(await codeOf(report(reporter, held.id))).toBe('moderation_target_not_found');

      const other = await createBrandWithOwner(moduleRef.get(BrandsService));
      const stranger = await insertMember(ctx.db, other.brand.id);
      expect(
        await codeOf(
          reports.report(other.brand.id, stranger, {
            targetType: 'post',
            targetId: post.id,
            reason: 'spam',
          }),
        ),
      ).toBe('moderation_target_not_found');

      const flooder = await insertMember(ctx.db, brandId);
      const targets = await Promise.all(
        Array.from({ length: REPORT_LIMIT + 1 }, () =>
          insertPost(ctx.db, brandId, { communityId: community.id, authorId: author }),
        ),
      );
      for (const target of targets.slice(0, REPORT_LIMIT)) await report(flooder, target.id);
      expect(await codeOf(report(flooder, targets[REPORT_LIMIT].id))).toBe('report_rate_limited');
    });
  });

  describe('actions', () => {
    it('approve of a held post: published, approved_at, audit row, case resolved, events in the same transaction', async () => {
      const author = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
        status: 'held',
      });
      const caseId = await moduleRef.get(ModerationCasesService).open(brandId, {
        targetType: 'post',
        targetId: post.id,
        communityId: community.id,
        memberId: author,
        reason: 'held',
      });

      const action = await actions.decide(staff, {
        action: 'approve',
        targetType: 'post',
        targetId: post.id,
        caseId,
        reason: 'fine',
      });
      expect(action).toMatchObject({
        action: 'approve',
        caseId,
        memberId: author,
        actorType: 'staff',
      });
      const after = await statusOf(post.id);
      expect(after.status).toBe('published');
      expect(after.approvedAt).toBeInstanceOf(Date);
      expect((await caseOf(post.id))[0]).toMatchObject({
        status: 'resolved',
        resolution: 'approve',
      });

      const approved = await messagesFor(COMMUNITY_TOPICS.postApproved, 'postId', post.id);
      const moderated = await messagesFor(COMMUNITY_TOPICS.contentModerated, 'targetId', post.id);
      const decided = await messagesFor(COMMUNITY_TOPICS.moderationDecided, 'actionId', action.id);
      expect(approved).toHaveLength(1);
      expect(approved[0].payload).toEqual({
        postId: post.id,
        communityId: community.id,
        memberId: author,
      });
      expect(moderated.map((m) => m.key).sort()).toEqual(
        [`community:${community.id}`, `member:${author}`].sort(),
      );
      expect(decided).toHaveLength(1);
      // One transaction wrote the audit row and every message: they share its transaction id.
      const xmin = async (table: string, id: string) =>
        (
          await ctx.db.pool.query<{ xmin: string }>(
            `select xmin::text from ${table} where id = $1`,
            [id],
          )
        ).rows[0].xmin;
      const actionTx = await xmin('moderation_actions', action.id);
      for (const message of [...approved, ...moderated, ...decided])
        expect(await xmin('outbox_messages', message.id)).toBe(actionTx);
    });

    it('refuses actions that do not fit the status, writing nothing', async () => {
      const author = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
        status: 'removed',
      });
      for (const action of ['approve', 'hide', 'remove'] as const)
        expect(
          await codeOf(
            actions.decide(staff, { action, targetType: 'post', targetId: post.id, reason: 'x' }),
          ),
        ).toBe('moderation_action_not_allowed');
      expect(
        await codeOf(
          actions.decide(staff, {
            action: 'dismiss',
            targetType: 'post',
            targetId: post.id,
            reason: 'x',
          }),
        ),
      ).toBe('moderation_no_open_case');
      const audit = await ctx.db.db
        .select()
        .from(moderationActions)
        .where(
          and(eq(moderationActions.brandId, brandId), eq(moderationActions.targetId, post.id)),
        );
      expect(audit).toEqual([]);
      expect(await messagesFor(COMMUNITY_TOPICS.contentModerated, 'targetId', post.id)).toEqual([]);
    });

    it('remove → restore → remove: reward reversal event each removal, no re-award on restore', async () => {
      const author = await insertMember(ctx.db, brandId);
      const post = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
      });
      const decide = (action: 'remove' | 'restore' | 'approve') =>
        actions.decide(staff, {
          action,
          targetType: 'post',
          targetId: post.id,
          reason: `${action} it`,
        });
      await decide('remove');
      expect((await statusOf(post.id)).status).toBe('removed');
      await decide('restore');
      expect((await statusOf(post.id)).status).toBe('published');
      expect(await codeOf(decide('restore'))).toBe('moderation_action_not_allowed');
      await decide('remove');
      expect(await messagesFor(COMMUNITY_TOPICS.postRemoved, 'postId', post.id)).toHaveLength(2);
      expect(await messagesFor(COMMUNITY_TOPICS.postApproved, 'postId', post.id)).toEqual([]);
      const audit = await actions.history(staff, { targetId: post.id });
      expect(audit.items.map((a) => a.action)).toEqual(['remove', 'restore', 'remove']);
    });

    it('a review: remove takes its shared post down too and publishes review.removed', async () => {
      const author = await insertMember(ctx.db, brandId);
      const review = await insertReview(ctx.db, brandId, {
        memberId: author,
        communityId: community.id,
      });
      const shared = await insertPost(ctx.db, brandId, {
        communityId: community.id,
        authorId: author,
      });
      await ctx.db.db.update(posts).set({ reviewId: review.id }).where(eq(posts.id, shared.id));

      await actions.decide(staff, {
        action: 'remove',
        targetType: 'review',
        targetId: review.id,
        reason: 'fake',
      });
      expect((await statusOf(shared.id)).status).toBe('removed');
      const removed = await messagesFor(COMMUNITY_TOPICS.reviewRemoved, 'reviewId', review.id);
      expect(removed.map((m) => m.payload)).toEqual([
        { reviewId: review.id, memberId: author, productId: review.productId, reason: 'fake' },
      ]);
      const pushed = await messagesFor(COMMUNITY_TOPICS.contentModerated, 'targetId', shared.id);
      expect(pushed.map((m) => [m.key, m.payload.status])).toEqual([
        [`community:${community.id}`, 'removed'],
      ]);
    });

    it('a held review approved: review.approved once; approving again after a hide pays nothing more', async () => {
      const author = await insertMember(ctx.db, brandId);
      const review = await insertReview(ctx.db, brandId, { memberId: author, status: 'held' });
      const decide = (action: 'approve' | 'hide') =>
        actions.decide(staff, {
          action,
          targetType: 'review',
          targetId: review.id,
          reason: action,
        });
      await decide('approve');
      await decide('hide');
      await decide('approve');
      expect(
        await messagesFor(COMMUNITY_TOPICS.reviewApproved, 'reviewId', review.id),
      ).toHaveLength(1);
    });
  });

  describe('community moderators', () => {
    it('see and act on their communities only', async () => {
      const mine = await insertCommunity(ctx.db, brandId);
      const theirs = await insertCommunity(ctx.db, brandId);
      const moderatorId = await insertMember(ctx.db, brandId);
      await addCommunityMember(ctx.db, brandId, mine.id, moderatorId, 'moderator');
      const moderator: ModeratorActor = { type: 'member', brandId, id: moderatorId };
      const author = await insertMember(ctx.db, brandId);
      const cases = moduleRef.get(ModerationCasesService);
      const heldIn = async (communityId: string) => {
        const post = await insertPost(ctx.db, brandId, {
          communityId,
          authorId: author,
          status: 'held',
        });
        await cases.open(brandId, {
          targetType: 'post',
          targetId: post.id,
          communityId,
          memberId: author,
          reason: 'held',
        });
        return post;
      };
      const inMine = await heldIn(mine.id);
      const inTheirs = await heldIn(theirs.id);
      const comment = await insertComment(ctx.db, brandId, { postId: inMine.id, authorId: author });

      const seen = (await queue.list(moderator, {})).items.map((i) => i.case.targetId);
      expect(seen).toContain(inMine.id);
      expect(seen).not.toContain(inTheirs.id);
      expect(await codeOf(queue.list(moderator, { communityId: theirs.id }))).toBe(
        'moderation_not_community_moderator',
      );
      expect(
        await codeOf(
          actions.decide(moderator, {
            action: 'approve',
            targetType: 'post',
            targetId: inTheirs.id,
            reason: 'x',
          }),
        ),
      ).toBe('moderation_not_community_moderator');
      await actions.decide(moderator, {
        action: 'approve',
        targetType: 'post',
        targetId: inMine.id,
        reason: 'ok',
      });
      await actions.decide(moderator, {
        action: 'hide',
        targetType: 'comment',
        targetId: comment.id,
        reason: 'rude',
      });
      const review = await insertReview(ctx.db, brandId, { memberId: author });
      expect(
        await codeOf(
          actions.decide(moderator, {
            action: 'hide',
            targetType: 'review',
            targetId: review.id,
            reason: 'x',
          }),
        ),
      ).toBe('moderation_not_community_moderator');
    });
  });

  describe('sanctions', () => {
    it('a ban ends the membership and decrements member_count in the same transaction; lift once', async () => {
      const c = await insertCommunity(ctx.db, brandId);
      const member = await insertMember(ctx.db, brandId);
      await addCommunityMember(ctx.db, brandId, c.id, member);
      const countOf = async () =>
        (
          await ctx.db.db
            .select({ n: communities.memberCount })
            .from(communities)
            .where(eq(communities.id, c.id))
        )[0].n;
      expect(await countOf()).toBe(1);

      const before = Date.now();
      const { sanction } = await sanctions.impose(staff, {
        communityId: c.id,
        memberId: member,
        kind: 'ban',
        durationMinutes: 60,
        reason: 'spam',
      });
      expect(sanction.until.getTime()).toBeGreaterThanOrEqual(before + 60 * 60_000);
      expect(sanction.until.getTime()).toBeLessThan(Date.now() + 60 * 60_000 + 1000);
      expect(await countOf()).toBe(0);
      const memberships = await ctx.db.db
        .select()
        .from(communityMembers)
        .where(and(eq(communityMembers.communityId, c.id), eq(communityMembers.memberId, member)));
      expect(memberships).toEqual([]);
      // A second ban replaces the first; the count does not go below zero.
      await sanctions.impose(staff, {
        communityId: c.id,
        memberId: member,
        kind: 'ban',
        durationMinutes: 5,
        reason: 'again',
      });
      expect(await countOf()).toBe(0);
      const rows = await ctx.db.db
        .select()
        .from(communitySanctions)
        .where(
          and(eq(communitySanctions.communityId, c.id), eq(communitySanctions.memberId, member)),
        );
      expect(rows).toHaveLength(1);

      await sanctions.lift(staff, {
        communityId: c.id,
        memberId: member,
        kind: 'ban',
        reason: 'appeal',
      });
      expect(
        await codeOf(
          sanctions.lift(staff, { communityId: c.id, memberId: member, kind: 'ban', reason: 'x' }),
        ),
      ).toBe('moderation_no_active_sanction');
      const audit = await actions.history(staff, { memberId: member });
      expect(audit.items.map((a) => a.action)).toEqual(['unban', 'ban', 'ban']);
      const [{ n }] = await ctx.db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(communitySanctions)
        .where(eq(communitySanctions.memberId, member));
      expect(n).toBe(0);
    });

    it('a community moderator cannot sanction another moderator', async () => {
      const c = await insertCommunity(ctx.db, brandId);
      const a = await insertMember(ctx.db, brandId);
      const b = await insertMember(ctx.db, brandId);
      await addCommunityMember(ctx.db, brandId, c.id, a, 'moderator');
      await addCommunityMember(ctx.db, brandId, c.id, b, 'moderator');
      expect(
        await codeOf(
          sanctions.impose(
            { type: 'member', brandId, id: a },
            { communityId: c.id, memberId: b, kind: 'mute', durationMinutes: 10, reason: 'x' },
          ),
        ),
      ).toBe('moderation_not_community_moderator');
    });
  });
});
