import { Module } from '@nestjs/common';

/** Staff API of segments (logic lives in @app/segments). */
@Module({})
export class SegmentsHttpModule {}
