import { ApiProperty } from '@nestjs/swagger';
import type { ModelVersionSummary } from '../model-versions.repository';

export class ModelVersionResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'blend' })
  algorithm!: string;

  @ApiProperty({ enum: ['candidate', 'active', 'retired', 'rejected'] })
  status!: string;

  @ApiProperty({
    description: 'Validation metrics (NDCG@10, Recall@20, HR@10, MAP@10, coverage, users)',
    example: { ndcg10: 0.07, recall20: 0.08, hr10: 0.3, map10: 0.03, coverage: 0.2, users: 500 },
  })
  metrics!: Record<string, number>;

  @ApiProperty({ description: 'Hyper-parameters and tuned blend weights' })
  params!: Record<string, unknown>;

  @ApiProperty({ description: '{ from, to, interactions, members, items, validationCutoff }' })
  dataWindow!: Record<string, unknown>;

  @ApiProperty()
  artifactBytes!: number;

  @ApiProperty()
  trainedMs!: number;

  @ApiProperty({ type: String, nullable: true, description: 'TF.js backend that trained it' })
  backend!: string | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true })
  activatedAt!: string | null;

  static from(v: ModelVersionSummary): ModelVersionResponseDto {
    return {
      id: v.id,
      algorithm: v.algorithm,
      status: v.status,
      metrics: v.metrics,
      params: v.params,
      dataWindow: v.dataWindow,
      artifactBytes: v.artifactBytes,
      trainedMs: v.trainedMs,
      backend: v.backend,
      createdAt: v.createdAt.toISOString(),
      activatedAt: v.activatedAt?.toISOString() ?? null,
    };
  }
}

export class ModelVersionPageDto {
  @ApiProperty({ type: [ModelVersionResponseDto] })
  items!: ModelVersionResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TrainingQueuedResponseDto {
  @ApiProperty({ description: 'Bull job id on the ml-training queue' })
  jobId!: string;
}
