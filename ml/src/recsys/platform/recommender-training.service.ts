import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DatabaseClient } from '@app/db';
import { evaluateBlends, blendGrid } from '../core/evaluation';
import { chooseKernels } from '../core/kernels';
import type { RankingMetrics } from '../core/metrics';
import {
  type CfModel,
  DEFAULT_RECOMMENDER_PARAMS,
  type RecommenderParams,
  serializeModel,
  trainRecommender,
} from '../core/model';
import { splitByTime, testTruth, timeQuantile } from '../core/split';
import { ModelVersionsRepository, type ModelVersionSummary } from './model-versions.repository';
import { RecommenderDataRepository } from './recommender-data.repository';
import { RecsysEvents } from './recsys-events';
import { ensureTfBackend } from './tf-once';

export interface TrainingOptions {
  /** Override hyper-parameters (tests train tiny models). */
  params?: Partial<Pick<RecommenderParams['ials'], 'factors' | 'iterations'>>;
}

export interface TrainingOutcome {
  version: ModelVersionSummary | null;
  promoted: boolean;
  reason: string;
}

/** The promotion rule: a candidate replaces the active version unless its validation NDCG@10 is lower. */
export function notWorse(
  candidate: Record<string, number>,
  active: Record<string, number> | null,
): boolean {
  if (!active) return true;
  return (candidate.ndcg10 ?? 0) >= (active.ndcg10 ?? 0);
}

const FACTOR_BATCH = 500;

/**
 * Trains a brand's recommender from Postgres: tunes the blend on a time validation split (the
 * last 20 % of the brand's history), retrains on everything, stores a candidate version and
 * promotes it when its validation metrics are not worse than the active version's.
 */
@Injectable()
export class RecommenderTrainingService {
  private readonly logger = new Logger(RecommenderTrainingService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(RecommenderDataRepository) private readonly data: RecommenderDataRepository,
    @Inject(ModelVersionsRepository) private readonly versions: ModelVersionsRepository,
    @Inject(RecsysEvents) private readonly events: RecsysEvents,
  ) {}

  async train(brandId: string, options: TrainingOptions = {}): Promise<TrainingOutcome> {
    const backend = await ensureTfBackend(this.config);
    const rows = await this.data.interactions(brandId);
    if (!rows.length) return { version: null, promoted: false, reason: 'no interactions yet' };
    const started = performance.now();
    const categories = new Map<string, string | null>();
    for (const r of rows)
      if (r.category !== null || !categories.has(r.item)) categories.set(r.item, r.category);
    const base: RecommenderParams = {
      ...DEFAULT_RECOMMENDER_PARAMS,
      ials: { ...DEFAULT_RECOMMENDER_PARAMS.ials, ...options.params },
    };
    const items = new Set(rows.map((r) => r.item)).size;
    const kernels = chooseKernels(items, base.ials.factors);

    // Validation: the latest 20 % of the brand's events, for members seen before them.
    const validation = splitByTime(rows, timeQuantile(rows, 0.8));
    const truth = testTruth(validation, false);
    let weights = base.weights;
    let metrics: RankingMetrics = {
      ndcg10: 0,
      recall20: 0,
      hr10: 0,
      map10: 0,
      coverage: 0,
      users: 0,
    };
    let cf: CfModel = 'ials';
    if (validation.train.length && truth.size) {
      // Both CF models are fitted on validation; the blend keeps the one that measures better.
      const trained = trainRecommender(validation.train, categories, base, kernels, undefined, {
        ease: true,
      });
      const grid = blendGrid(base.weights);
      let best = -1;
      for (const source of ['ials', 'ease'] as const) {
        const results = evaluateBlends(trained, truth, grid, {
          excludeRepeats: false,
          kernels,
          maxUsers: 1000,
          source,
        });
        results.forEach((m, g) => {
          if (m.ndcg10 > best) {
            best = m.ndcg10;
            weights = grid[g];
            metrics = m;
            cf = source;
          }
        });
      }
    }
    const params: RecommenderParams = { ...base, weights, cf };
    const final = trainRecommender(rows, categories, params, kernels);
    const artifact = serializeModel(final.model);
    const trainedMs = Math.round(performance.now() - started);
    const times = rows.map((r) => r.at);
    const dataWindow = {
      from: new Date(Math.min(...times)).toISOString(),
      to: new Date(Math.max(...times)).toISOString(),
      interactions: rows.length,
      members: final.matrix.users.length,
      items: final.matrix.items.length,
      validationCutoff: new Date(timeQuantile(rows, 0.8)).toISOString(),
    };

    const outcome = await this.client.transaction(async (tx) => {
      const active = await this.versions.lockActive(brandId, tx);
      const promoted = notWorse({ ...metrics }, active?.metrics ?? null);
      const version = await this.versions.insert(
        brandId,
        {
          algorithm: 'blend',
          status: promoted ? 'active' : 'rejected',
          params: { ...params, kernels },
          metrics: { ...metrics },
          dataWindow,
          artifact,
          artifactBytes: artifact.length,
          trainedMs,
          backend,
          activatedAt: promoted ? new Date() : null,
        },
        tx,
      );
      if (promoted && active) await this.versions.setStatus(brandId, active.id, 'retired', tx);
      return {
        version,
        promoted,
        reason: promoted
          ? active
            ? `validation NDCG@10 ${metrics.ndcg10.toFixed(4)} ≥ active ${(active.metrics.ndcg10 ?? 0).toFixed(4)}`
            : 'first model of the brand'
          : `validation NDCG@10 ${metrics.ndcg10.toFixed(4)} < active ${(active?.metrics.ndcg10 ?? 0).toFixed(4)}`,
      };
    });

    if (outcome.promoted) {
      // Members' trained vectors, so serving and fold-in start from them.
      const k = final.model.k;
      for (let start = 0; start < final.matrix.users.length; start += FACTOR_BATCH) {
        const batch = final.matrix.users.slice(start, start + FACTOR_BATCH).map((memberId, j) => {
          const u = start + j;
          const v = final.userFactors.slice(u * k, (u + 1) * k);
          return { memberId, vector: Buffer.from(v.buffer, v.byteOffset, v.byteLength) };
        });
        await this.versions.upsertFactors(brandId, outcome.version.id, batch);
      }
      await this.events.publish({ type: 'model', brandId, versionId: outcome.version.id });
    }
    this.logger.log(
      `brand ${brandId}: recommender ${outcome.version.id} ${outcome.promoted ? 'promoted' : 'rejected'} (${outcome.reason}); ${rows.length} interactions, ${trainedMs} ms on ${backend}`,
    );
    return outcome;
  }

  /** Brands with at least one order (the scheduled run trains each). */
  brandsWithOrders(): Promise<string[]> {
    return this.data.brandsWithOrders();
  }
}
