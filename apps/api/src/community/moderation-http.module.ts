import { Module } from '@nestjs/common';
import { ModerationModule } from '@app/community';
import { IdentityModule } from '@app/identity';
import { ModerationRulesController } from './moderation-rules.controller';
import { ModerationController } from './moderation.controller';
import { ReportsController } from './reports.controller';
import { SanctionsController } from './sanctions.controller';

/** HTTP surface of the community moderation (controllers only; logic lives in @app/community). */
@Module({
  imports: [IdentityModule, ModerationModule],
  controllers: [
    ModerationRulesController,
    ModerationController,
    SanctionsController,
    ReportsController,
  ],
})
export class ModerationHttpModule {}
