import { Module } from '@nestjs/common';
import { ModerationAccessService } from './moderation-access.service';
import { ModerationActionsService } from './moderation-actions.service';
import { ModerationCasesService } from './moderation-cases.service';
import { ModerationQueueService } from './moderation-queue.service';
import { ModerationRulesService } from './moderation-rules.service';
import { ModerationRepository } from './moderation.repository';
import { ReportRateLimiter } from './report-rate-limiter';
import { ReportsService } from './reports.service';
import { SanctionsService } from './sanctions.service';
import { ScreeningService } from './screening.service';

const exported = [
  ModerationRepository,
  ScreeningService,
  ModerationCasesService,
  ModerationAccessService,
  ModerationRulesService,
  ModerationQueueService,
  ModerationActionsService,
  ReportsService,
  SanctionsService,
];

/**
 * Moderation part of the community context (screening rules, reports, the case queue, actions
 * and sanctions), shared by api and worker. Needs the global ConfigModule, DbModule, RedisModule
 * and OutboxModule.
 */
@Module({
  providers: [...exported, ReportRateLimiter],
  exports: exported,
})
export class ModerationModule {}
