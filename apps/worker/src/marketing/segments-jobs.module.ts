import { Module } from '@nestjs/common';
import { SegmentsModule } from '@app/segments';
import {
  SegmentsOrderConsumer,
  SegmentsRecomputeProcessor,
  SegmentsRecomputeScheduler,
} from './segments/segments-recompute.processor';

/** Worker side of segments: scheduled recompute and event-driven updates. */
@Module({
  imports: [SegmentsModule],
  providers: [SegmentsRecomputeProcessor, SegmentsRecomputeScheduler, SegmentsOrderConsumer],
})
export class SegmentsJobsModule {}
