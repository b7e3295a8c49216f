import { Module } from '@nestjs/common';
import { OrdersModule } from '@app/loyalty';

/** HTTP surface of the loyalty orders (controllers only; logic lives in @app/loyalty). */
@Module({ imports: [OrdersModule], controllers: [] })
export class OrdersHttpModule {}
