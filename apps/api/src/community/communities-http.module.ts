import { Module } from '@nestjs/common';

/** HTTP surface of the community communities (controllers only; logic lives in @app/community). */
@Module({})
export class CommunitiesHttpModule {}
