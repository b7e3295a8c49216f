import { Module } from '@nestjs/common';
import { RewardsModule } from '@app/loyalty';

/** Worker side of the loyalty rewards: bull processors and outbox consumers. */
@Module({ imports: [RewardsModule], providers: [] })
export class RewardsJobsModule {}
