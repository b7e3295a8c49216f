import { Module } from '@nestjs/common';
import { RewardsModule } from '@app/loyalty';

/** HTTP surface of the loyalty rewards (controllers only; logic lives in @app/loyalty). */
@Module({ imports: [RewardsModule], controllers: [] })
export class RewardsHttpModule {}
