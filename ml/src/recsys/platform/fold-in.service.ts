import { Inject, Injectable } from '@nestjs/common';
import { memberVector } from '../core/scoring';
import { historyFor } from './member-history';
import { ModelStore } from './model-store';
import { ModelVersionsRepository } from './model-versions.repository';
import { RecommenderDataRepository } from './recommender-data.repository';
import { RecsysEvents } from './recsys-events';

/**
 * Fold-in after a member's event: one k × k solve against the active model's item factors,
 * stored in member_factors, and every recommender told to drop the member's cached state.
 */
@Injectable()
export class FoldInService {
  constructor(
    @Inject(ModelStore) private readonly models: ModelStore,
    @Inject(RecommenderDataRepository) private readonly data: RecommenderDataRepository,
    @Inject(ModelVersionsRepository) private readonly versions: ModelVersionsRepository,
    @Inject(RecsysEvents) private readonly events: RecsysEvents,
  ) {}

  /** Returns the new vector, or null when the brand has no model yet or the member no history. */
  async refreshMember(brandId: string, memberId: string): Promise<Float32Array | null> {
    const active = await this.models.active(brandId);
    let vector: Float32Array | null = null;
    if (active) {
      const history = historyFor(
        active.model,
        await this.data.memberInteractions(brandId, memberId),
      );
      vector = memberVector(active.model, history);
      if (vector)
        await this.versions.upsertFactors(brandId, active.versionId, [
          { memberId, vector: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength) },
        ]);
    }
    // Even without a model the member's purchases changed (cold-start filters use them).
    await this.events.publish({ type: 'member', brandId, memberId });
    return vector;
  }
}
