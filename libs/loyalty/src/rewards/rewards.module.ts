import { Module } from '@nestjs/common';

/** Rewards part of the loyalty context (services and repositories shared by api and worker). */
@Module({ providers: [], exports: [] })
export class RewardsModule {}
