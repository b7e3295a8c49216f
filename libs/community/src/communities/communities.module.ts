import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { CommentsRepository } from './comments/comments.repository';
import { CommentsService } from './comments/comments.service';
import { CommunitiesRepository } from './communities.repository';
import { CommunitiesService } from './communities.service';
import { PostsRepository } from './posts/posts.repository';
import { PostsService } from './posts/posts.service';
import { ReactionsRepository } from './reactions/reactions.repository';
import { ReactionsService } from './reactions/reactions.service';
import { ContentRateLimiter } from './spam/content-rate-limiter';

/**
 * Communities, posts, comments and reactions (services shared by api and worker). Needs the
 * global ConfigModule, DbModule, RedisModule and OutboxModule; screening and the moderation
 * queue come from ModerationModule.
 */
@Module({
  imports: [ModerationModule],
  providers: [
    CommunitiesRepository,
    PostsRepository,
    CommentsRepository,
    ReactionsRepository,
    ContentRateLimiter,
    CommunitiesService,
    PostsService,
    CommentsService,
    ReactionsService,
  ],
  exports: [CommunitiesService, PostsService, CommentsService, ReactionsService],
})
export class CommunitiesModule {}
