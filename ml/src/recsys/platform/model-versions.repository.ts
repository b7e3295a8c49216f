import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, memberFactors, modelVersions } from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

export type ModelVersion = typeof modelVersions.$inferSelect;
export type ModelVersionSummary = Omit<ModelVersion, 'artifact'>;
export type NewModelVersion = Omit<
  typeof modelVersions.$inferInsert,
  'brandId' | 'id' | 'kind' | 'createdAt'
>;

const { artifact: _artifact, ...summaryColumns } = getTableColumns(modelVersions);
const RECOMMENDER = 'recommender' as const;

/** Recommender model versions and folded-in member vectors. */
@Injectable()
export class ModelVersionsRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(
    brandId: string,
    values: NewModelVersion,
    tx?: Executor,
  ): Promise<ModelVersionSummary> {
    const [row] = await (tx ?? this.client.db)
      .insert(modelVersions)
      .values({ ...values, brandId, kind: RECOMMENDER })
      .returning(summaryColumns);
    return row;
  }

  async findActive(brandId: string, tx?: Executor): Promise<ModelVersionSummary | null> {
    const [row] = await (tx ?? this.client.db)
      .select(summaryColumns)
      .from(modelVersions)
      .where(
        and(
          eq(modelVersions.brandId, brandId),
          eq(modelVersions.kind, RECOMMENDER),
          eq(modelVersions.status, 'active'),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** Locks the brand's active row (if any) so two promotions cannot both win. */
  async lockActive(brandId: string, tx: Executor): Promise<ModelVersionSummary | null> {
    const [row] = await tx
      .select(summaryColumns)
      .from(modelVersions)
      .where(
        and(
          eq(modelVersions.brandId, brandId),
          eq(modelVersions.kind, RECOMMENDER),
          eq(modelVersions.status, 'active'),
        ),
      )
      .for('update')
      .limit(1);
    return row ?? null;
  }

  async findById(brandId: string, id: string, tx?: Executor): Promise<ModelVersionSummary | null> {
    const [row] = await (tx ?? this.client.db)
      .select(summaryColumns)
      .from(modelVersions)
      .where(
        and(
          eq(modelVersions.brandId, brandId),
          eq(modelVersions.kind, RECOMMENDER),
          eq(modelVersions.id, id),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  async artifact(brandId: string, id: string, tx?: Executor): Promise<Buffer | null> {
    const [row] = await (tx ?? this.client.db)
      .select({ artifact: modelVersions.artifact })
      .from(modelVersions)
      .where(and(eq(modelVersions.brandId, brandId), eq(modelVersions.id, id)))
      .limit(1);
    return row?.artifact ?? null;
  }

  async list(
    brandId: string,
    page: { limit: number; after?: CreatedAtPosition },
    tx?: Executor,
  ): Promise<(ModelVersionSummary & { cursorAt: string })[]> {
    const conditions = [eq(modelVersions.brandId, brandId), eq(modelVersions.kind, RECOMMENDER)];
    if (page.after)
      conditions.push(olderThan(modelVersions.createdAt, modelVersions.id, page.after));
    return (tx ?? this.client.db)
      .select({ ...summaryColumns, cursorAt: cursorAt(modelVersions.createdAt) })
      .from(modelVersions)
      .where(and(...conditions))
      .orderBy(desc(modelVersions.createdAt), desc(modelVersions.id))
      .limit(page.limit + 1);
  }

  async setStatus(
    brandId: string,
    id: string,
    status: ModelVersion['status'],
    tx?: Executor,
  ): Promise<ModelVersionSummary | null> {
    const [row] = await (tx ?? this.client.db)
      .update(modelVersions)
      .set({ status, ...(status === 'active' ? { activatedAt: new Date() } : {}) })
      .where(and(eq(modelVersions.brandId, brandId), eq(modelVersions.id, id)))
      .returning(summaryColumns);
    return row ?? null;
  }

  async findFactor(
    brandId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<{ modelVersionId: string; vector: Buffer } | null> {
    const [row] = await (tx ?? this.client.db)
      .select({ modelVersionId: memberFactors.modelVersionId, vector: memberFactors.vector })
      .from(memberFactors)
      .where(and(eq(memberFactors.brandId, brandId), eq(memberFactors.memberId, memberId)))
      .limit(1);
    return row ?? null;
  }

  /** Upserts member vectors of a version (Float32 little-endian). */
  async upsertFactors(
    brandId: string,
    modelVersionId: string,
    rows: { memberId: string; vector: Buffer }[],
    tx?: Executor,
  ): Promise<void> {
    if (!rows.length) return;
    await (tx ?? this.client.db)
      .insert(memberFactors)
      .values(
        rows.map((r) => ({ brandId, modelVersionId, memberId: r.memberId, vector: r.vector })),
      )
      .onConflictDoUpdate({
        target: [memberFactors.brandId, memberFactors.memberId],
        set: {
          modelVersionId: sql`excluded.model_version_id`,
          vector: sql`excluded.vector`,
          updatedAt: sql`now()`,
        },
      });
  }
}
