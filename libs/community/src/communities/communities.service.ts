import { Inject, Injectable } from '@nestjs/common';
import { type Page } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import {
  type CreatedAtPosition,
  type StaffActor,
  decodePosition,
  keysetPage,
  pageSize,
} from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { COMMUNITY_TOPICS } from '../community.events';
import {
  CommunityArchivedError,
  CommunityInviteRequiredError,
  CommunityMemberNotFoundError,
  CommunityNotFoundError,
  CommunitySlugTakenError,
  MemberBannedError,
} from './communities.errors';
import {
  CommunitiesRepository,
  type Community,
  type CommunityChanges,
  type CommunityMember,
  type NewCommunity,
  isUniqueViolation,
} from './communities.repository';
import {
  type CommunityRole,
  type CommunityStanding,
  type Viewer,
  assertCanModerate,
  assertCanRead,
  assertCanSetRoles,
} from './community-access';

export interface CommunityView extends Community {
  /** The viewer's role in it (null for non-members and staff). */
  myRole: CommunityRole | null;
}

export interface CommunityInput {
  name: string;
  slug: string;
  description?: string;
  visibility?: Community['visibility'];
  rules?: string;
}

/** A community with the viewer's standing in it, as the access rules see it. */
export interface CommunityContext {
  community: Community;
  standing: CommunityStanding;
}

const SLUG_KEY = 'communities_brand_slug_key';

/** Communities: lifecycle (staff), membership, invites and roles, and the access rules' inputs. */
@Injectable()
export class CommunitiesService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(CommunitiesRepository) private readonly communities: CommunitiesRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  // ---- staff lifecycle ----------------------------------------------------------------------

  async create(actor: StaffActor, input: CommunityInput): Promise<Community> {
    const values: NewCommunity = {
      name: input.name.trim(),
      slug: input.slug.toLowerCase(),
      description: input.description ?? '',
      visibility: input.visibility ?? 'public',
      rules: input.rules ?? '',
    };
    try {
      return await this.communities.insert(actor.brandId, values);
    } catch (error) {
      if (isUniqueViolation(error, SLUG_KEY)) throw new CommunitySlugTakenError();
      throw error;
    }
  }

  async update(actor: StaffActor, id: string, changes: CommunityChanges): Promise<Community> {
    const patch: CommunityChanges = Object.fromEntries(
      Object.entries({
        ...changes,
        name: changes.name?.trim(),
        slug: changes.slug?.toLowerCase(),
      }).filter(([, v]) => v !== undefined),
    );
    try {
      const updated = await this.communities.update(actor.brandId, id, patch);
      if (!updated) throw new CommunityNotFoundError();
      return updated;
    } catch (error) {
      if (isUniqueViolation(error, SLUG_KEY)) throw new CommunitySlugTakenError();
      throw error;
    }
  }

  /** Archived communities stay readable but take no new members, posts or comments. Idempotent. */
  async archive(actor: StaffActor, id: string): Promise<Community> {
    const existing = await this.findOrFail(actor.brandId, id);
    if (existing.archivedAt) return existing;
    const updated = await this.communities.update(actor.brandId, id, { archivedAt: new Date() });
    if (!updated) throw new CommunityNotFoundError();
    return updated;
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * Every non-archived community of the brand (staff may ask for archived ones too), newest
   * first. Members-only and invite-only communities are listed — their content is not.
   */
  async list(
    viewer: Viewer,
    query: { limit?: number; cursor?: string; includeArchived?: boolean },
  ): Promise<Page<CommunityView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const page = keysetPage(
      await this.communities.list(viewer.brandId, {
        limit,
        after,
        includeArchived: viewer.type === 'staff' && Boolean(query.includeArchived),
      }),
      limit,
    );
    const roles =
      viewer.type === 'member'
        ? await this.communities.rolesOf(
            viewer.brandId,
            viewer.id,
            page.items.map((c) => c.id),
          )
        : new Map<string, CommunityRole>();
    return {
      items: page.items.map((c) => ({ ...c, myRole: roles.get(c.id) ?? null })),
      nextCursor: page.nextCursor,
    };
  }

  /** One community; a banned member gets 403, other brands' ids 404. */
  async get(viewer: Viewer, id: string): Promise<CommunityView> {
    const { community, standing } = await this.context(viewer, id);
    if (viewer.type === 'member' && standing.bannedUntil) throw new MemberBannedError();
    return { ...community, myRole: standing.role };
  }

  /** The community and the viewer's standing in it (404 when not of this brand). */
  async context(viewer: Viewer, id: string, tx?: Executor): Promise<CommunityContext> {
    const community = await this.findOrFail(viewer.brandId, id, tx);
    if (viewer.type === 'staff')
      return {
        community,
        standing: {
          visibility: community.visibility,
          role: null,
          bannedUntil: null,
          mutedUntil: null,
        },
      };
    const [membership, sanctions] = await Promise.all([
      this.communities.findMembership(viewer.brandId, id, viewer.id, tx),
      this.communities.activeSanctions(viewer.brandId, id, viewer.id, tx),
    ]);
    return {
      community,
      standing: { visibility: community.visibility, role: membership?.role ?? null, ...sanctions },
    };
  }

  /** The community if the viewer may read its content (403 members-only / banned). */
  async readable(viewer: Viewer, id: string): Promise<CommunityContext> {
    const context = await this.context(viewer, id);
    assertCanRead(viewer, context.standing);
    return context;
  }

  /** Whether a socket of this viewer may join the community's room (same rules as reading). */
  async maySubscribe(viewer: Viewer, id: string): Promise<void> {
    await this.readable(viewer, id);
  }

  // ---- membership ---------------------------------------------------------------------------

  /**
   * Joins: public and members-only communities are open, invite-only ones need an invitation;
   * banned members are refused. Joining twice is a no-op. Count and outbox message in one tx.
   */
  async join(viewer: Viewer & { type: 'member' }, id: string): Promise<CommunityView> {
    const { community, standing } = await this.context(viewer, id);
    if (standing.bannedUntil) throw new MemberBannedError();
    if (standing.role) return { ...community, myRole: standing.role };
    if (community.archivedAt) throw new CommunityArchivedError();
    if (
      community.visibility === 'invite' &&
      !(await this.communities.hasInvite(viewer.brandId, id, viewer.id))
    )
      throw new CommunityInviteRequiredError();
    return this.db.transaction(async (tx) => {
      const inserted = await this.communities.insertMembership(
        viewer.brandId,
        { communityId: id, memberId: viewer.id },
        tx,
      );
      if (inserted) {
        await this.communities.addToCounters(viewer.brandId, id, { members: 1 }, tx);
        await this.communities.markInviteAccepted(viewer.brandId, id, viewer.id, tx);
        await this.outbox.publish(tx, viewer.brandId, {
          topic: COMMUNITY_TOPICS.memberJoined,
          key: `community:${id}`,
          payload: { communityId: id, memberId: viewer.id },
        });
      }
      const fresh = await this.findOrFail(viewer.brandId, id, tx);
      return { ...fresh, myRole: inserted?.role ?? 'member' };
    });
  }

  /** Leaves (a no-op when not a member). */
  async leave(viewer: Viewer & { type: 'member' }, id: string): Promise<void> {
    await this.findOrFail(viewer.brandId, id);
    await this.db.transaction(async (tx) => {
      if (!(await this.communities.deleteMembership(viewer.brandId, id, viewer.id, tx))) return;
      await this.communities.addToCounters(viewer.brandId, id, { members: -1 }, tx);
      await this.outbox.publish(tx, viewer.brandId, {
        topic: COMMUNITY_TOPICS.memberLeft,
        key: `community:${id}`,
        payload: { communityId: id, memberId: viewer.id },
      });
    });
  }

  /** Staff owner/moderator or a community moderator/owner invites a member of the brand. */
  async invite(viewer: Viewer, id: string, memberId: string): Promise<void> {
    const { community, standing } = await this.context(viewer, id);
    assertCanModerate(viewer, standing);
    if (community.archivedAt) throw new CommunityArchivedError();
    if (!(await this.communities.memberExists(viewer.brandId, memberId)))
      throw new CommunityMemberNotFoundError();
    await this.communities.insertInvite(viewer.brandId, {
      communityId: id,
      memberId,
      invitedByType: viewer.type,
      invitedById: viewer.id,
    });
  }

  async listMembers(
    viewer: Viewer,
    id: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<CommunityMember & { displayName: string }>> {
    await this.readable(viewer, id);
    const limit = pageSize(query.limit);
    const after: CreatedAtPosition | undefined = query.cursor
      ? decodePosition(query.cursor)
      : undefined;
    return keysetPage(
      await this.communities.listMembers(viewer.brandId, id, { limit, after }),
      limit,
    );
  }

  /** Staff owner/moderator or the community's owner sets a member's role in the community. */
  async setRole(
    viewer: Viewer,
    id: string,
    memberId: string,
    role: CommunityRole,
  ): Promise<CommunityMember> {
    const { standing } = await this.context(viewer, id);
    assertCanSetRoles(viewer, standing);
    const updated = await this.communities.setRole(viewer.brandId, id, memberId, role);
    if (!updated) throw new CommunityMemberNotFoundError();
    return updated;
  }

  /** Moves the post counter, in the transaction that adds or deletes the post. */
  async addPosts(brandId: string, id: string, delta: number, tx: Executor): Promise<void> {
    await this.communities.addToCounters(brandId, id, { posts: delta }, tx);
  }

  /** Row-locks the community until the transaction ends (serialises per-community limits). */
  async lock(brandId: string, id: string, tx: Executor): Promise<void> {
    if (!(await this.communities.findById(brandId, id, tx, 'update')))
      throw new CommunityNotFoundError();
  }

  private async findOrFail(brandId: string, id: string, tx?: Executor): Promise<Community> {
    const found = await this.communities.findById(brandId, id, tx);
    if (!found) throw new CommunityNotFoundError();
    return found;
  }
}
