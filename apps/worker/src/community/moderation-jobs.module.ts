import { Module } from '@nestjs/common';

/** Worker side of the community moderation: outbox consumers and jobs from @app/community. */
@Module({})
export class ModerationJobsModule {}
