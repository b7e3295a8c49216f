import { Module } from '@nestjs/common';
import { OrdersModule } from '@app/loyalty';

/** Worker side of the loyalty orders: bull processors and outbox consumers. */
@Module({ imports: [OrdersModule], providers: [] })
export class OrdersJobsModule {}
