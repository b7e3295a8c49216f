import { Module } from '@nestjs/common';

/** Staff analytics API (logic lives in @app/analytics). */
@Module({})
export class AnalyticsHttpModule {}
