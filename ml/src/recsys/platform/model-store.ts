import { Inject, Injectable } from '@nestjs/common';
import { type RecommenderModel, deserializeModel } from '../core/model';
import { ModelVersionsRepository } from './model-versions.repository';

export interface LoadedModel {
  versionId: string;
  model: RecommenderModel;
}

/** Deserialised artefacts by version id (a version never changes, so no invalidation needed). */
@Injectable()
export class ModelStore {
  private readonly models = new Map<string, Promise<RecommenderModel>>();

  constructor(
    @Inject(ModelVersionsRepository) private readonly versions: ModelVersionsRepository,
  ) {}

  load(brandId: string, versionId: string): Promise<RecommenderModel> {
    let model = this.models.get(versionId);
    if (!model) {
      model = this.versions.artifact(brandId, versionId).then((artifact) => {
        if (!artifact) throw new Error(`model version ${versionId} has no artefact`);
        // YᵀY once per load is n·k² flops: the typed-array kernel is fine.
        return deserializeModel(artifact, { gram: 'typed', score: 'typed' });
      });
      model.catch(() => this.models.delete(versionId));
      // Keep a handful: rollbacks and the brand's previous version.
      if (this.models.size >= 32) this.models.delete(this.models.keys().next().value!);
      this.models.set(versionId, model);
    }
    return model;
  }

  async active(brandId: string): Promise<LoadedModel | null> {
    const version = await this.versions.findActive(brandId);
    if (!version) return null;
    return { versionId: version.id, model: await this.load(brandId, version.id) };
  }
}
