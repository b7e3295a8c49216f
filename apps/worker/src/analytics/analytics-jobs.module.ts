import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@app/analytics';
import { AnalyticsRollupProcessor, AnalyticsRollupScheduler } from './analytics-rollup.processor';

/** Worker side of analytics: the dashboard's rollups. */
@Module({
  imports: [AnalyticsModule],
  providers: [AnalyticsRollupProcessor, AnalyticsRollupScheduler],
})
export class AnalyticsJobsModule {}
