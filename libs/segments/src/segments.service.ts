import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import { MembersService, decodePosition, keysetPage, pageSize } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { type LifecyclePolicy, resolvePolicy } from './lifecycle-policy';
import {
  type AudienceDefinition,
  type SegmentDefinition,
  isTag,
  parseAudience,
  parseSegmentDefinition,
} from './segment-definition';
import { SegmentNameTakenError, SegmentNotFoundError, TagNotFoundError } from './segments.errors';
import { type LifecycleChangedPayload, SEGMENT_TOPICS } from './segments.events';
import {
  type Breakpoints,
  type MemberSegmentRow,
  type MemberTag,
  type NamedSegment,
  type RecomputeOutcome,
  type ResolvedAudience,
  type SegmentHistoryRow,
  type SegmentMemberRow,
  SegmentsRepository,
} from './segments.repository';

export interface RecomputeOptions {
  /** Compute as of this instant (catch-up runs, tests); default now. */
  asOf?: Date;
  /** Lifecycle thresholds over the brand's `settings.segments.lifecycle` and the defaults. */
  lifecycle?: Partial<LifecyclePolicy>;
}

const BREAKPOINTS_TTL_MS = 10 * 60_000;
const PUBLISH_CHUNK = 5_000;

/** Segmentation of a brand's members (客户分层): recompute, tags, named segments, audiences. */
@Injectable()
export class SegmentsService {
  /** Per-process cache of the cut points single-member recomputes are placed against. */
  private readonly cuts = new Map<string, { at: number; cuts: Breakpoints }>();

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(SegmentsRepository) private readonly repository: SegmentsRepository,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(MembersService) private readonly members: MembersService,
  ) {}

  async policyFor(brandId: string, override?: Partial<LifecyclePolicy>): Promise<LifecyclePolicy> {
    const settings = await this.repository.brandSettings(brandId);
    const fromBrand = (settings?.segments as Record<string, unknown> | undefined)?.lifecycle;
    return resolvePolicy(fromBrand, override);
  }

  /**
   * Recomputes every member of the brand in one set-based statement (RFM by ntile, lifecycle,
   * value tier, persona), records changes in segment_history and publishes
   * `member.lifecycle_changed` for each stage change, all in one transaction.
   */
  async recomputeBrand(brandId: string, options: RecomputeOptions = {}): Promise<RecomputeOutcome> {
    const policy = await this.policyFor(brandId, options.lifecycle);
    const asOf = options.asOf ?? new Date();
    const outcome = await this.db.transaction(async (tx) => {
      await this.repository.lockBrand(brandId, 'full', tx);
      const result = await this.repository.recomputeAll(brandId, policy, asOf, tx);
      await this.publishChanges(brandId, result, asOf, tx);
      // Tag rules after the attributes they may depend on.
      const ruleTags = { added: 0, removed: 0 };
      for (const segment of await this.repository.tagRules(brandId, tx)) {
        const definition = parseSegmentDefinition(segment.definition);
        if (!definition.applyTag) continue;
        const applied = await this.repository.applyTagRule(
          brandId,
          { segmentId: segment.id, tag: definition.applyTag, definition },
          tx,
        );
        ruleTags.added += applied.added;
        ruleTags.removed += applied.removed;
      }
      return { ...result, ruleTags };
    });
    this.cuts.delete(brandId);
    return outcome;
  }

  /** One member (after an order), scored against the brand's current distribution. */
  async recomputeMember(
    brandId: string,
    memberId: string,
    options: RecomputeOptions = {},
  ): Promise<RecomputeOutcome> {
    const policy = await this.policyFor(brandId, options.lifecycle);
    const asOf = options.asOf ?? new Date();
    const cuts = await this.breakpoints(brandId);
    return this.db.transaction(async (tx) => {
      await this.repository.lockBrand(brandId, 'member', tx);
      const result = await this.repository.recomputeMember(
        brandId,
        memberId,
        cuts,
        policy,
        asOf,
        tx,
      );
      await this.publishChanges(brandId, result, asOf, tx);
      return result;
    });
  }

  private async breakpoints(brandId: string): Promise<Breakpoints> {
    const cached = this.cuts.get(brandId);
    if (cached && Date.now() - cached.at < BREAKPOINTS_TTL_MS) return cached.cuts;
    const cuts = await this.repository.breakpoints(brandId);
    this.cuts.set(brandId, { at: Date.now(), cuts });
    return cuts;
  }

  private async publishChanges(
    brandId: string,
    result: RecomputeOutcome,
    asOf: Date,
    tx: Executor,
  ) {
    const messages = result.changes.map((change) => {
      const payload: LifecycleChangedPayload = { ...change, at: asOf.toISOString() };
      return { topic: SEGMENT_TOPICS.lifecycleChanged, key: `member:${change.memberId}`, payload };
    });
    for (let i = 0; i < messages.length; i += PUBLISH_CHUNK)
      await this.outbox.publishMany(tx, brandId, messages.slice(i, i + PUBLISH_CHUNK));
  }

  // --- member view and tags ---

  async memberView(
    brandId: string,
    memberId: string,
  ): Promise<{
    segment: MemberSegmentRow | null;
    tags: MemberTag[];
    history: SegmentHistoryRow[];
  }> {
    await this.members.getById(brandId, memberId);
    const [segment, tags, history] = await Promise.all([
      this.repository.findMember(brandId, memberId),
      this.repository.listTags(brandId, memberId),
      this.repository.history(brandId, memberId, 50),
    ]);
    return { segment, tags, history };
  }

  private assertTag(tag: string): void {
    if (!isTag(tag))
      throw new ValidationError('Invalid tag', {
        fields: { tag: ['must be 1–64 of a-z 0-9 _ : - (lowercase, starting alphanumeric)'] },
      });
  }

  /** Idempotent: true when the tag was added now (a rule's tag on the member counts as present). */
  async putTag(brandId: string, memberId: string, tag: string): Promise<boolean> {
    this.assertTag(tag);
    await this.members.getById(brandId, memberId);
    return this.repository.putTag(brandId, memberId, tag, 'staff');
  }

  async deleteTag(brandId: string, memberId: string, tag: string): Promise<void> {
    this.assertTag(tag);
    await this.members.getById(brandId, memberId);
    if (!(await this.repository.deleteTag(brandId, memberId, tag))) throw new TagNotFoundError();
  }

  // --- named segments ---

  async createSegment(
    brandId: string,
    input: { name: string; definition: unknown },
  ): Promise<NamedSegment> {
    const definition = parseSegmentDefinition(input.definition);
    const created = await this.repository.insertSegment(brandId, { name: input.name, definition });
    if (!created) throw new SegmentNameTakenError(input.name);
    return created;
  }

  async updateSegment(
    brandId: string,
    id: string,
    input: { name?: string; definition?: unknown },
  ): Promise<NamedSegment> {
    const definition =
      input.definition !== undefined ? parseSegmentDefinition(input.definition) : undefined;
    try {
      const updated = await this.repository.updateSegment(brandId, id, {
        name: input.name,
        definition,
      });
      if (!updated) throw new SegmentNotFoundError();
      return updated;
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new SegmentNameTakenError(input.name ?? '');
      throw error;
    }
  }

  async deleteSegment(brandId: string, id: string): Promise<void> {
    if (!(await this.repository.deleteSegment(brandId, id))) throw new SegmentNotFoundError();
  }

  async getSegment(brandId: string, id: string): Promise<NamedSegment & { size: number }> {
    const segment = await this.repository.findSegment(brandId, id);
    if (!segment) throw new SegmentNotFoundError();
    const size = await this.repository.countMatching(brandId, {
      all: parseSegmentDefinition(segment.definition),
    });
    return { ...segment, size };
  }

  async listSegments(
    brandId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<NamedSegment>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(await this.repository.listSegments(brandId, { limit, after }), limit);
  }

  // --- audiences ---

  /** Validates an audience and loads the named segments it references (unknown ids → 400). */
  async resolveAudience(brandId: string, raw: unknown): Promise<ResolvedAudience> {
    const audience: AudienceDefinition = parseAudience(raw ?? {});
    const { segmentIds, ...all } = audience;
    if (!segmentIds) return { all };
    const found = await this.repository.findSegments(brandId, segmentIds);
    const missing = segmentIds.filter((id) => !found.some((s) => s.id === id));
    if (missing.length)
      throw new ValidationError('Invalid audience', {
        fields: { segmentIds: [`unknown segments: ${missing.join(', ')}`] },
      });
    return { all, anyOf: found.map((s) => parseSegmentDefinition(s.definition)) };
  }

  countAudience(brandId: string, audience: ResolvedAudience): Promise<number> {
    return this.repository.countMatching(brandId, audience);
  }

  /** Whether a member of the brand is in the audience (an empty audience is everyone). */
  async memberMatches(
    brandId: string,
    memberId: string,
    audience: ResolvedAudience,
    tx?: Executor,
  ): Promise<boolean> {
    if (!audience.anyOf && Object.keys(audience.all).length === 0) return true;
    return this.repository.memberMatches(brandId, memberId, audience, tx);
  }

  async listMembers(
    brandId: string,
    audience: ResolvedAudience,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<Omit<SegmentMemberRow, 'cursorAt'>>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(
      await this.repository.listMatching(brandId, audience, { limit, after }),
      limit,
    );
  }

  async listSegmentMembers(
    brandId: string,
    id: string,
    query: { limit?: number; cursor?: string },
  ) {
    const segment = await this.repository.findSegment(brandId, id);
    if (!segment) throw new SegmentNotFoundError();
    return this.listMembers(brandId, { all: parseSegmentDefinition(segment.definition) }, query);
  }

  /** Counts per lifecycle stage, value tier, persona and RFM score. */
  async summary(brandId: string): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {
      lifecycle: {},
      valueTier: {},
      persona: {},
      recency: {},
      frequency: {},
      monetary: {},
    };
    for (const row of await this.repository.summary(brandId)) out[row.dimension][row.value] = row.n;
    return out;
  }

  /** Every brand with members, for the nightly run. */
  brandIds(): Promise<string[]> {
    return this.repository.brandIds();
  }
}

export type { SegmentDefinition };
