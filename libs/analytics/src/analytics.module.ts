import { Module } from '@nestjs/common';
import { AnalyticsRollupRepository } from './analytics-rollup.repository';
import { AnalyticsRollupService } from './analytics-rollup.service';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { DashboardCache } from './dashboard-cache';

/** Brand KPIs for the console dashboard (read-only SQL over the other contexts' tables). */
@Module({
  providers: [
    AnalyticsRepository,
    AnalyticsRollupRepository,
    AnalyticsRollupService,
    AnalyticsService,
    DashboardCache,
  ],
  exports: [AnalyticsService, AnalyticsRollupService, DashboardCache],
})
export class AnalyticsModule {}
