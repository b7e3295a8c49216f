import { Module } from '@nestjs/common';
import { OrdersModule } from '@app/loyalty';
import { EarningRulesController } from './orders/earning-rules.controller';
import { OrdersController } from './orders/orders.controller';

/** HTTP surface of the loyalty orders (controllers only; logic lives in @app/loyalty). */
@Module({ imports: [OrdersModule], controllers: [OrdersController, EarningRulesController] })
export class OrdersHttpModule {}
