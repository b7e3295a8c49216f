import type { ApiHarness } from './factories';
import { unique } from './factories';

/** The community as the API returns it (the fields tests use). */
export interface CommunityBody {
  id: string;
  slug: string;
  name: string;
  visibility: 'public' | 'members_only' | 'invite';
  memberCount: number;
  postCount: number;
  myRole: 'member' | 'moderator' | 'owner' | null;
}

/** A post as the API returns it (the fields tests use). */
export interface PostBody {
  id: string;
  communityId: string;
  authorId: string;
  body: string;
  status: 'published' | 'held' | 'hidden' | 'removed' | 'deleted';
  reactionCount: number;
  commentCount: number;
  pinned: boolean;
}

const bearer = (token: string) => `Bearer ${token}`;

/** A staff owner/moderator creates a community over HTTP (public unless told otherwise). */
export async function createCommunity(
  api: ApiHarness,
  staffToken: string,
  fields: Partial<{
    name: string;
    slug: string;
    description: string;
    visibility: CommunityBody['visibility'];
    rules: string;
  }> = {},
): Promise<CommunityBody> {
  const slug = fields.slug ?? `c-${unique()}`;
  const res = await api
    .http()
    .post('/v1/communities')
    .set('authorization', bearer(staffToken))
    .send({ name: `Community ${slug}`, slug, visibility: 'public', ...fields });
  if (res.status !== 201)
    throw new Error(`create community failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CommunityBody;
}

/** A member joins a community (public/members-only, or invite-only once invited). */
export async function joinCommunity(
  api: ApiHarness,
  memberToken: string,
  communityId: string,
): Promise<void> {
  const res = await api
    .http()
    .post(`/v1/communities/${communityId}/join`)
    .set('authorization', bearer(memberToken));
  if (res.status !== 200)
    throw new Error(`join community failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A member posts into a community they joined. The body is unique by default (the API refuses
 * the same text twice within 24 h). Mind the per-member post rate limit (5 per 10 minutes).
 */
export async function createPost(
  api: ApiHarness,
  memberToken: string,
  communityId: string,
  fields: Record<string, unknown> = {},
): Promise<PostBody> {
  const res = await api
    .http()
    .post(`/v1/communities/${communityId}/posts`)
    .set('authorization', bearer(memberToken))
    .send({ body: `A post ${unique()}`, ...fields });
  if (res.status !== 201)
    throw new Error(`create post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as PostBody;
}
