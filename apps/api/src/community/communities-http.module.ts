import { Module } from '@nestjs/common';
import { CommunitiesModule } from '@app/community';
import { IdentityModule } from '@app/identity';
import { CommentsController } from './comments.controller';
import { CommunitiesMePostsController } from './communities-me-posts.controller';
import { CommunitiesController } from './communities.controller';
import { CommunityPostsController } from './community-posts.controller';
import { PostsController } from './posts.controller';

/** HTTP surface of the community communities (controllers only; logic lives in @app/community). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, CommunitiesModule],
  controllers: [
    CommunitiesController,
    CommunityPostsController,
    PostsController,
    CommentsController,
    CommunitiesMePostsController,
  ],
})
export class CommunitiesHttpModule {}
