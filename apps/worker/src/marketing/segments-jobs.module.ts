import { Module } from '@nestjs/common';

/** Worker side of segments: scheduled recompute and event-driven updates. */
@Module({})
export class SegmentsJobsModule {}
