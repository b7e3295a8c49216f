import { Module } from '@nestjs/common';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { DashboardCache } from './dashboard-cache';

/** Brand KPIs for the console dashboard (read-only SQL over the other contexts' tables). */
@Module({
  providers: [AnalyticsRepository, AnalyticsService, DashboardCache],
  exports: [AnalyticsService, DashboardCache],
})
export class AnalyticsModule {}
