import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type RecommenderModel, popularityOnlyModel } from '../core/model';
import {
  EMPTY_HISTORY,
  type RecsysHistory,
  type Reason,
  type ScoredItem,
  memberVector,
  recommend,
  similarItems,
} from '../core/scoring';
import type {
  RecommendationReasonDto,
  RecommendationsResponseDto,
  RecommendedItemDto,
  SimilarProductsResponseDto,
} from './dto/recommendations.response.dto';
import { historyFor } from './member-history';
import { ModelStore } from './model-store';
import { ModelVersionsRepository } from './model-versions.repository';
import { type ProductInfo, RecommenderDataRepository } from './recommender-data.repository';
import { RecsysMemberNotFoundError, RecsysProductNotFoundError } from './recsys.errors';
import { type RecsysEvent, RecsysEvents } from './recsys-events';

export interface RecommendationQuery {
  limit?: number;
  category?: string;
  excludePurchased?: boolean;
  inStockOnly?: boolean;
}

interface BrandState {
  versionId: string | null;
  model: RecommenderModel | null;
  outOfStock: Set<number>;
  /** Bumped when the out-of-stock set changes, so cached responses that filtered on it expire. */
  stockStamp: number;
  products: Map<string, ProductInfo | null>;
  checkedAt: number;
  revalidating: boolean;
  scratch: { cf: Float32Array; out: Float32Array };
}

/** One answer to one query, and its JSON bytes once someone asked for them. */
interface Answer {
  dto: RecommendationsResponseDto;
  json?: Buffer;
}

interface MemberState {
  versionId: string | null;
  history: RecsysHistory;
  vector: Float32Array | null;
  /** When a request should trigger a background reload (a safety net behind events). */
  expiresAt: number;
  /** Answers by query: the state is immutable until an event or the TTL replaces it. */
  responses: Map<string, Answer>;
}

const MAX_RESPONSES_PER_MEMBER = 8;

/** Re-check the active version this often even without a pub/sub message. */
const BRAND_TTL_MS = 5_000;
/**
 * Member state lives about this long without an event (events drop it at once, so this only
 * bounds the staleness after a lost pub/sub message). Each expiry costs a reload — 3 queries and a
 * fold-in — so the TTL sets a background load proportional to the active members: at 60 s it was
 * ~33 reloads/s for 2,000 members, ~1,000 queries in a 10 s bench window and the p99 with them
 * (docs/adr/0024). Each state gets ±25 % jitter so members warmed together do not expire together.
 */
const MEMBER_TTL_MS = 10 * 60_000;
const memberExpiry = (now: number) => now + MEMBER_TTL_MS * (0.75 + Math.random() / 2);
const MEMBER_CACHE_MAX = 100_000;
/**
 * Background reloads of expired members in flight at once: members warmed together expire
 * together, and thousands of reloads at once would take the event loop from the requests.
 */
const MAX_BACKGROUND_RELOADS = 4;

/**
 * Serves recommendations from the active model held in memory: per-member history and vector
 * cached until an event (fold-in, new model) or a TTL drops them; all-item scoring, filters and
 * reasons in ml/core. Brands without a model get popularity and their members' re-buys.
 */
@Injectable()
export class RecommendationsService implements OnModuleInit {
  private readonly logger = new Logger(RecommendationsService.name);
  private readonly brands = new Map<string, Promise<BrandState>>();
  private readonly members = new Map<string, MemberState>();
  /** Member loads in flight; an event removes the entry so a load that began before it is not cached. */
  private readonly loading = new Map<string, { promise: Promise<MemberState> }>();
  private backgroundReloads = 0;

  constructor(
    @Inject(ModelStore) private readonly models: ModelStore,
    @Inject(ModelVersionsRepository) private readonly versions: ModelVersionsRepository,
    @Inject(RecommenderDataRepository) private readonly data: RecommenderDataRepository,
    @Inject(RecsysEvents) private readonly events: RecsysEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.events.subscribe((event) => this.onEvent(event));
  }

  onEvent(event: RecsysEvent): void {
    if (event.type === 'member') {
      const key = `${event.brandId}:${event.memberId}`;
      this.members.delete(key);
      this.loading.delete(key);
    } else this.brands.delete(event.brandId);
  }

  /** The model version serving this brand now (null before the first training). */
  async activeVersion(brandId: string): Promise<string | null> {
    return (await this.brandState(brandId)).versionId;
  }

  /**
   * The brand's state, revalidated in the background: a request never waits on the 5 s version
   * and stock check (one check in flight per brand), only on the first load or after a model event.
   */
  private brandState(brandId: string): Promise<BrandState> {
    const cached = this.brands.get(brandId);
    if (cached) {
      return cached.then((state) => {
        if (Date.now() - state.checkedAt >= BRAND_TTL_MS && !state.revalidating) {
          state.revalidating = true;
          this.revalidateBrand(brandId, state)
            .catch((error: unknown) => this.logger.warn(`brand ${brandId}: ${String(error)}`))
            .finally(() => {
              state.revalidating = false;
            });
        }
        return state;
      });
    }
    const loading = this.loadBrand(brandId);
    loading.catch(() => this.brands.delete(brandId));
    this.brands.set(brandId, loading);
    return loading;
  }

  private async revalidateBrand(brandId: string, state: BrandState): Promise<void> {
    const active = await this.versions.findActive(brandId);
    if ((active?.id ?? null) !== state.versionId) {
      // Keep serving the current version until the new one is loaded, then swap.
      const next = await this.loadBrand(brandId);
      if (this.brands.has(brandId)) this.brands.set(brandId, Promise.resolve(next));
      return;
    }
    if (state.model) {
      const outOfStock = await this.outOfStock(brandId, state.model);
      if (!sameSet(outOfStock, state.outOfStock)) {
        state.outOfStock = outOfStock;
        state.stockStamp++;
      }
    }
    state.checkedAt = Date.now();
  }

  private async loadBrand(brandId: string): Promise<BrandState> {
    const active = await this.models.active(brandId);
    let model = active?.model ?? null;
    if (!model) {
      const rows = await this.data.interactions(brandId);
      model = rows.length
        ? popularityOnlyModel(rows, new Map(rows.map((r) => [r.item, r.category])))
        : null;
    }
    const outOfStock = model ? await this.outOfStock(brandId, model) : new Set<number>();
    if (active)
      this.logger.log(
        `brand ${brandId}: serving model ${active.versionId} (${model?.items.length} items)`,
      );
    const n = model?.items.length ?? 0;
    return {
      versionId: active?.versionId ?? null,
      model,
      outOfStock,
      stockStamp: 0,
      products: new Map(),
      checkedAt: Date.now(),
      revalidating: false,
      scratch: { cf: new Float32Array(n), out: new Float32Array(n) },
    };
  }

  private async outOfStock(brandId: string, model: RecommenderModel): Promise<Set<number>> {
    const out = new Set<number>();
    for (const id of await this.data.outOfStockProductIds(brandId)) {
      const i = model.itemIndex.get(id);
      if (i !== undefined) out.add(i);
    }
    return out;
  }

  /**
   * The member's cached state. Events drop it at once, so the TTL is only a safety net: a stale
   * state is served while a reload runs in the background (a few at a time), and concurrent first
   * requests share one load — requests never queue behind a burst of expiring members.
   */
  private async memberState(
    brandId: string,
    memberId: string,
    brand: BrandState,
  ): Promise<MemberState> {
    const key = `${brandId}:${memberId}`;
    const cached = this.members.get(key);
    if (cached && cached.versionId === brand.versionId) {
      if (
        Date.now() >= cached.expiresAt &&
        this.backgroundReloads < MAX_BACKGROUND_RELOADS &&
        !this.loading.has(key)
      ) {
        this.backgroundReloads++;
        this.loadMember(key, brandId, memberId, brand)
          .catch((error: unknown) => this.logger.warn(`member ${memberId}: ${String(error)}`))
          .finally(() => this.backgroundReloads--);
      }
      return cached;
    }
    return this.loading.get(key)?.promise ?? this.loadMember(key, brandId, memberId, brand);
  }

  private loadMember(
    key: string,
    brandId: string,
    memberId: string,
    brand: BrandState,
  ): Promise<MemberState> {
    const entry = {} as { promise: Promise<MemberState> };
    entry.promise = this.readMember(key, brandId, memberId, brand, entry).finally(() => {
      if (this.loading.get(key) === entry) this.loading.delete(key);
    });
    this.loading.set(key, entry);
    return entry.promise;
  }

  private async readMember(
    key: string,
    brandId: string,
    memberId: string,
    brand: BrandState,
    entry: { promise: Promise<MemberState> },
  ): Promise<MemberState> {
    const cached = this.members.get(key);
    const [exists, interactions, stored] = await Promise.all([
      cached ? true : this.data.memberExists(brandId, memberId),
      this.data.memberInteractions(brandId, memberId),
      brand.versionId ? this.versions.findFactor(brandId, memberId) : null,
    ]);
    if (!exists) throw new RecsysMemberNotFoundError();
    const model = brand.model;
    const history = model ? historyFor(model, interactions) : EMPTY_HISTORY;
    // The stored vector is only valid for the version it was solved against; otherwise fold in here.
    const vector =
      model && brand.versionId
        ? memberVector(
            model,
            history,
            stored && stored.modelVersionId === brand.versionId
              ? new Float32Array(Uint8Array.from(stored.vector).buffer)
              : null,
          )
        : null;
    // A reload that finds the same history and vector keeps the answers already computed: the
    // common case of a TTL expiry, which would otherwise cost the member's next request a full
    // scoring of the catalogue for the same result.
    const unchanged =
      cached !== undefined &&
      cached.versionId === brand.versionId &&
      sameHistory(cached.history, history) &&
      sameVector(cached.vector, vector);
    const state: MemberState = {
      versionId: brand.versionId,
      history,
      vector,
      expiresAt: memberExpiry(Date.now()),
      responses: unchanged ? cached.responses : new Map<string, Answer>(),
    };
    // An event that arrived while this load ran wins: do not cache pre-event data.
    if (this.loading.get(key) !== entry) return state;
    this.members.delete(key);
    if (this.members.size >= MEMBER_CACHE_MAX)
      this.members.delete(this.members.keys().next().value!);
    this.members.set(key, state);
    return state;
  }

  private async productInfo(
    brandId: string,
    brand: BrandState,
    ids: string[],
  ): Promise<Map<string, ProductInfo | null>> {
    const missing = ids.filter((id) => !brand.products.has(id));
    if (missing.length) {
      const found = await this.data.products(brandId, missing);
      for (const id of missing) brand.products.set(id, null);
      for (const p of found) brand.products.set(p.id, p);
    }
    return brand.products;
  }

  private async present(
    brandId: string,
    brand: BrandState,
    scored: ScoredItem[],
  ): Promise<RecommendedItemDto[]> {
    const ids = new Set<string>();
    for (const s of scored) {
      ids.add(s.item);
      if (s.reason.item) ids.add(s.reason.item);
    }
    const info = await this.productInfo(brandId, brand, [...ids]);
    const model = brand.model!;
    return scored.map((s) => ({
      productId: s.item,
      name: info.get(s.item)?.name ?? null,
      category:
        info.get(s.item)?.category ?? model.categories[model.itemIndex.get(s.item)!] ?? null,
      score: Math.round(s.score * 1e6) / 1e6,
      reason: reasonDto(s.reason, info),
    }));
  }

  async forMember(
    brandId: string,
    memberId: string,
    query: RecommendationQuery,
  ): Promise<RecommendationsResponseDto> {
    return (await this.answer(brandId, memberId, query)).dto;
  }

  /**
   * The same answer as `forMember`, as the JSON bytes of the response body (what
   * `JSON.stringify` — Fastify's default serialiser — makes of it). A repeated query serves the
   * bytes cached with the answer: serialising ~2 KB per request was the largest piece of work
   * left on the cached path, and its garbage fed the scavenges behind the p99 (docs/adr/0024).
   */
  async forMemberJson(
    brandId: string,
    memberId: string,
    query: RecommendationQuery,
  ): Promise<Buffer> {
    const answer = await this.answer(brandId, memberId, query);
    return (answer.json ??= Buffer.from(JSON.stringify(answer.dto), 'utf8'));
  }

  private async answer(
    brandId: string,
    memberId: string,
    query: RecommendationQuery,
  ): Promise<Answer> {
    const brand = await this.brandState(brandId);
    const member = await this.memberState(brandId, memberId, brand);
    const model = brand.model;
    const personal = member.history.items.length > 0;
    if (!model) return { dto: { memberId, strategy: 'cold_start', modelVersion: null, items: [] } };
    const key = `${brand.stockStamp}|${query.limit ?? ''}|${query.category ?? ''}|${query.excludePurchased ?? ''}|${query.inStockOnly ?? ''}`;
    const cached = member.responses.get(key);
    if (cached) return cached;
    const scored = recommend(
      model,
      member.history,
      member.vector,
      {
        limit: query.limit ?? 10,
        category: query.category,
        excludePurchased: query.excludePurchased,
        exclude: query.inStockOnly ? brand.outOfStock : undefined,
      },
      brand.scratch,
    );
    const answer: Answer = {
      dto: {
        memberId,
        strategy: personal ? 'personalised' : 'cold_start',
        modelVersion: brand.versionId,
        items: await this.present(brandId, brand, scored),
      },
    };
    if (member.responses.size >= MAX_RESPONSES_PER_MEMBER) member.responses.clear();
    member.responses.set(key, answer);
    return answer;
  }

  async similar(
    brandId: string,
    productId: string,
    query: Omit<RecommendationQuery, 'excludePurchased'>,
  ): Promise<SimilarProductsResponseDto> {
    const brand = await this.brandState(brandId);
    const model = brand.model;
    const index = model?.itemIndex.get(productId);
    if (!model || index === undefined) {
      if (!(await this.data.productKnown(brandId, productId)))
        throw new RecsysProductNotFoundError();
      return { productId, modelVersion: brand.versionId, items: [] };
    }
    const exclude = query.inStockOnly ? brand.outOfStock : undefined;
    const scored = similarItems(model, index, {
      limit: query.limit ?? 10,
      category: query.category,
      exclude,
    });
    return {
      productId,
      modelVersion: brand.versionId,
      items: await this.present(brandId, brand, scored),
    };
  }
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameHistory(a: RecsysHistory, b: RecsysHistory): boolean {
  return (
    sameArray(a.items, b.items) &&
    sameArray(a.values, b.values) &&
    sameArray(a.counts, b.counts) &&
    sameArray(a.firstAt, b.firstAt) &&
    sameArray(a.lastAt, b.lastAt)
  );
}

function sameVector(a: Float32Array | null, b: Float32Array | null): boolean {
  return a === null || b === null ? a === b : sameArray(a, b);
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function reasonDto(reason: Reason, info: Map<string, ProductInfo | null>): RecommendationReasonDto {
  const name = (id?: string) => (id ? (info.get(id)?.name ?? id) : '');
  switch (reason.kind) {
    case 'buy_again':
      return reason.everyWeeks
        ? {
            kind: reason.kind,
            text: `you buy this every ~${reason.everyWeeks} week${reason.everyWeeks === 1 ? '' : 's'}`,
            everyWeeks: reason.everyWeeks,
          }
        : { kind: reason.kind, text: 'you bought this before' };
    case 'because_you_bought':
      return {
        kind: reason.kind,
        text: `because you bought ${name(reason.item)}`,
        productId: reason.item,
      };
    case 'similar':
      return {
        kind: reason.kind,
        text: `often bought by people who buy ${name(reason.item)}`,
        productId: reason.item,
      };
    case 'popular':
      return {
        kind: reason.kind,
        text: reason.category ? `popular in ${reason.category}` : 'popular right now',
        category: reason.category ?? null,
      };
  }
}
