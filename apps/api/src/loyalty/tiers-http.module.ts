import { Module } from '@nestjs/common';
import { TiersModule } from '@app/loyalty';

/** HTTP surface of the loyalty tiers (controllers only; logic lives in @app/loyalty). */
@Module({ imports: [TiersModule], controllers: [] })
export class TiersHttpModule {}
