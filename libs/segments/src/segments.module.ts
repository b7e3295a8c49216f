import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { SegmentsRepository } from './segments.repository';
import { SegmentsService } from './segments.service';

/** Segments (shared by api and worker). Needs the global DbModule and OutboxModule. */
@Module({
  imports: [IdentityModule],
  providers: [SegmentsRepository, SegmentsService],
  exports: [SegmentsService],
})
export class SegmentsModule {}
