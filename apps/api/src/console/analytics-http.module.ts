import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@app/analytics';
import { IdentityModule } from '@app/identity';
import { AnalyticsController } from './analytics.controller';

/** Staff analytics API (logic lives in @app/analytics). */
@Module({
  imports: [IdentityModule, AnalyticsModule],
  controllers: [AnalyticsController],
})
export class AnalyticsHttpModule {}
