import { Module } from '@nestjs/common';

/** HTTP surface of the community reviews (controllers only; logic lives in @app/community). */
@Module({})
export class ReviewsHttpModule {}
