import { Module } from '@nestjs/common';
import { ReviewsModule } from '@app/community';
import { IdentityModule } from '@app/identity';
import { ProductsReviewsController } from './products-reviews.controller';
import { ReviewsController } from './reviews.controller';

/** HTTP surface of the community reviews (controllers only; logic lives in @app/community). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, ReviewsModule],
  controllers: [ReviewsController, ProductsReviewsController],
})
export class ReviewsHttpModule {}
