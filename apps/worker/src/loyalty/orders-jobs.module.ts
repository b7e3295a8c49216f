import { Module } from '@nestjs/common';
import { OrdersModule } from '@app/loyalty';
import { BehaviourPointsConsumer } from './orders/behaviour-points.consumer';
import {
  BirthdayPointsProcessor,
  BirthdayPointsScheduler,
} from './orders/birthday-points.processor';

/** Worker side of the loyalty orders: bull processors and outbox consumers. */
@Module({
  imports: [OrdersModule],
  providers: [BehaviourPointsConsumer, BirthdayPointsProcessor, BirthdayPointsScheduler],
})
export class OrdersJobsModule {}
