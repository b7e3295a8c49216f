import { Module } from '@nestjs/common';
import { TiersModule } from '@app/loyalty';

/** Worker side of the loyalty tiers: bull processors and outbox consumers. */
@Module({ imports: [TiersModule], providers: [] })
export class TiersJobsModule {}
