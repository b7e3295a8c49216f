import { Module } from '@nestjs/common';

/** Worker side of the community reviews: outbox consumers and jobs from @app/community. */
@Module({})
export class ReviewsJobsModule {}
