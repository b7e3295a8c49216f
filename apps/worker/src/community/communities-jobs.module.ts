import { Module } from '@nestjs/common';

/** Worker side of the community communities: outbox consumers and jobs from @app/community. */
@Module({})
export class CommunitiesJobsModule {}
