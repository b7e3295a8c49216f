import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient } from '@app/db';
import { decodePosition, encodePosition, pageSize } from '@app/identity';
import { ModelVersionPageDto, ModelVersionResponseDto } from './dto/model-version.response.dto';
import { ModelVersionsRepository } from './model-versions.repository';
import { ModelVersionNotActivatableError, ModelVersionNotFoundError } from './recsys.errors';
import { RecsysEvents } from './recsys-events';

/** Staff administration of recommender versions: list and roll back (re-activate). */
@Injectable()
export class RecommenderModelsService {
  constructor(
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(ModelVersionsRepository) private readonly versions: ModelVersionsRepository,
    @Inject(RecsysEvents) private readonly events: RecsysEvents,
  ) {}

  async list(
    brandId: string,
    page: { limit?: number; cursor?: string },
  ): Promise<ModelVersionPageDto> {
    const limit = pageSize(page.limit);
    const rows = await this.versions.list(brandId, {
      limit,
      after: page.cursor ? decodePosition(page.cursor) : undefined,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((row) => ModelVersionResponseDto.from(row)),
      nextCursor:
        rows.length > limit && last ? encodePosition({ at: last.cursorAt, id: last.id }) : null,
    };
  }

  /**
   * Rollback: makes `id` the active version (the current one is retired). Rejected versions were
   * worse on validation and stay out; the metric rule does not apply to a staff decision.
   */
  async activate(brandId: string, id: string): Promise<ModelVersionResponseDto> {
    const version = await this.client.transaction(async (tx) => {
      const active = await this.versions.lockActive(brandId, tx);
      const target = await this.versions.findById(brandId, id, tx);
      if (!target) throw new ModelVersionNotFoundError();
      if (target.status === 'active') return target;
      if (target.status !== 'retired') throw new ModelVersionNotActivatableError(target.status);
      if (active) await this.versions.setStatus(brandId, active.id, 'retired', tx);
      return (await this.versions.setStatus(brandId, id, 'active', tx))!;
    });
    await this.events.publish({ type: 'model', brandId, versionId: version.id });
    return ModelVersionResponseDto.from(version);
  }
}
