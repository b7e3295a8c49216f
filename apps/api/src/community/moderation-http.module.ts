import { Module } from '@nestjs/common';

/** HTTP surface of the community moderation (controllers only; logic lives in @app/community). */
@Module({})
export class ModerationHttpModule {}
