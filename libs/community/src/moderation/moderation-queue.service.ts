import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@app/common';
import { decodePosition, encodePosition, pageSize } from '@app/identity';
import { ModerationAccessService, type ModeratorActor } from './moderation-access.service';
import { ModerationCommunityNotFoundError } from './moderation.errors';
import {
  type CaseReason,
  type ContentStatus,
  type ModerationCase,
  ModerationRepository,
  type ModerationTarget,
  type ModerationTargetType,
  type ReportReason,
} from './moderation.repository';

/** Longest content text shown in the queue; the full text is one click away. */
export const EXCERPT_LENGTH = 500;

export interface QueueItem {
  case: ModerationCase;
  content: {
    text: string | null;
    truncated: boolean;
    status: ContentStatus | null;
    postId: string | null;
  };
  author: { id: string; name: string | null };
  community: { id: string; name: string } | null;
  reports: { count: number; reasons: Partial<Record<ReportReason, number>> };
  ruleNames: string[];
}

export function excerpt(text: string): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  return chars.length <= EXCERPT_LENGTH
    ? { text, truncated: false }
    : { text: chars.slice(0, EXCERPT_LENGTH).join(''), truncated: true };
}

/**
 * The moderation queue: open cases (held, flagged, reported) oldest first, each with the context a
 * moderator needs to decide without another request.
 */
@Injectable()
export class ModerationQueueService {
  constructor(
    @Inject(ModerationRepository) private readonly repo: ModerationRepository,
    @Inject(ModerationAccessService) private readonly access: ModerationAccessService,
  ) {}

  async list(
    actor: ModeratorActor,
    query: { communityId?: string; reason?: CaseReason; limit?: number; cursor?: string },
  ): Promise<Page<QueueItem>> {
    const { brandId } = actor;
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : null;
    let communityIds = await this.access.scope(actor);
    if (query.communityId) {
      if (!(await this.repo.findCommunity(brandId, query.communityId)))
        throw new ModerationCommunityNotFoundError();
      await this.access.assertCanModerate(actor, query.communityId);
      communityIds = [query.communityId];
    }
    const rows = await this.repo.listOpenCases(
      brandId,
      { communityIds, reason: query.reason },
      limit,
      after,
    );
    const page = rows.slice(0, limit);
    const nextCursor =
      rows.length > limit && page.length
        ? encodePosition({ at: page[page.length - 1].cursorAt, id: page[page.length - 1].id })
        : null;
    const cases = page.map(({ cursorAt: _cursorAt, ...c }) => c);
    return { items: await this.withContext(brandId, cases), nextCursor };
  }

  private async withContext(brandId: string, cases: ModerationCase[]): Promise<QueueItem[]> {
    const idsOf = (type: ModerationTargetType) =>
      cases.filter((c) => c.targetType === type).map((c) => c.targetId);
    const targets = new Map<string, Pick<ModerationTarget, 'text' | 'status' | 'postId'>>();
    for (const type of ['post', 'comment', 'review'] as const)
      for (const target of await this.repo.findTargets(brandId, type, idsOf(type)))
        targets.set(`${type}:${target.id}`, target);
    // Drop chat: held and flagged live-room messages (ADR 0015).
    for (const message of await this.repo.chatMessages(brandId, idsOf('chat_message')))
      targets.set(`chat_message:${message.id}`, { ...message, postId: null });
    const unique = (values: (string | null)[]) =>
      [...new Set(values)].filter((v): v is string => v !== null);
    const [authors, communities, reasons, rules] = await Promise.all([
      this.repo.memberNames(brandId, unique(cases.map((c) => c.memberId))),
      this.repo.communityNames(brandId, unique(cases.map((c) => c.communityId))),
      this.repo.reportReasons(brandId, cases),
      this.repo.ruleNames(brandId, unique(cases.flatMap((c) => c.ruleIds))),
    ]);
    return cases.map((c) => {
      const target = targets.get(`${c.targetType}:${c.targetId}`);
      const shown = target ? excerpt(target.text) : null;
      return {
        case: c,
        content: {
          text: shown?.text ?? null,
          truncated: shown?.truncated ?? false,
          status: target?.status ?? null,
          postId: target?.postId ?? null,
        },
        author: { id: c.memberId, name: authors.get(c.memberId) ?? null },
        community: c.communityId
          ? { id: c.communityId, name: communities.get(c.communityId) ?? '' }
          : null,
        reports: { count: c.reportCount, reasons: reasons.get(c.id) ?? {} },
        // Rules deleted since screening are left out.
        ruleNames: c.ruleIds.flatMap((id) => {
          const name = rules.get(id);
          return name === undefined ? [] : [name];
        }),
      };
    });
  }
}
