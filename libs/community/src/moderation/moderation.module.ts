import { Module } from '@nestjs/common';
import { ModerationCasesService } from './moderation-cases.service';
import { ModerationRepository } from './moderation.repository';
import { ScreeningService } from './screening.service';

const exported = [ModerationRepository, ScreeningService, ModerationCasesService];

/**
 * Moderation part of the community context (screening rules, reports, the case queue, actions
 * and sanctions), shared by api and worker. Needs the global DbModule, RedisModule and
 * OutboxModule.
 */
@Module({
  providers: [...exported],
  exports: [...exported],
})
export class ModerationModule {}
