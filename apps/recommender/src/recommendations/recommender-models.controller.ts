import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Queue } from 'bull';
import { PageQueryDto, QUEUES } from '@app/common';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  ModelVersionPageDto,
  RECOMMENDER_TRAIN_JOB,
  type RecommenderTrainJobData,
  ModelVersionResponseDto,
  RecommenderModelsService,
  TrainingQueuedResponseDto,
} from '@app/ml';

@ApiTags('recommender models')
@Controller('v1/recommender/models')
export class RecommenderModelsController {
  constructor(
    @Inject(RecommenderModelsService) private readonly models: RecommenderModelsService,
    @InjectQueue(QUEUES.mlTraining) private readonly training: Queue<RecommenderTrainJobData>,
  ) {}

  @Post('train')
  @HttpCode(202)
  @StaffAuth('owner', 'marketer')
  @ApiOperation({
    summary: 'Train a new recommender version now (owner, marketer)',
    description:
      'Queues a training job. The new version becomes active only if its validation NDCG@10 is not ' +
      'worse than the active version’s; otherwise it is stored as rejected.',
  })
  @ApiAcceptedResponse({ type: TrainingQueuedResponseDto })
  async train(@CurrentPrincipal() staff: StaffPrincipal): Promise<TrainingQueuedResponseDto> {
    const job = await this.training.add(
      RECOMMENDER_TRAIN_JOB,
      { brandId: staff.brandId, requestedBy: staff.id },
      { removeOnComplete: 50, removeOnFail: 50 },
    );
    return { jobId: String(job.id) };
  }

  @Get()
  @StaffAuth()
  @ApiOperation({
    summary: 'Recommender versions, newest first, with metrics and data window (staff)',
  })
  @ApiOkResponse({ type: ModelVersionPageDto })
  list(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Query() page: PageQueryDto,
  ): Promise<ModelVersionPageDto> {
    return this.models.list(staff.brandId, page);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @StaffAuth('owner')
  @ApiOperation({
    summary: 'Roll back (or forward) to a retired version; the active one is retired (owner)',
  })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A rejected version' })
  activate(
    @CurrentPrincipal() staff: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ModelVersionResponseDto> {
    return this.models.activate(staff.brandId, id);
  }
}
