import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { SegmentsModule } from '@app/segments';
import { MemberSegmentsController, SegmentsController } from './segments/segments.controller';

/** Staff API of segments (logic lives in @app/segments). */
@Module({
  imports: [IdentityModule, SegmentsModule],
  controllers: [SegmentsController, MemberSegmentsController],
})
export class SegmentsHttpModule {}
