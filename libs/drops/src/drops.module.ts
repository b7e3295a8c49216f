import { Module } from '@nestjs/common';
import { LedgerModule, OrdersModule } from '@app/loyalty';
import { DropJobs } from './drops/drop-jobs';
import { DropsRepository } from './drops/drops.repository';
import { DropsService } from './drops/drops.service';
import { RaffleRepository } from './raffle/raffle.repository';
import { RaffleService } from './raffle/raffle.service';
import { DropReportRepository } from './report/drop-report.repository';
import { DropReportService } from './report/drop-report.service';
import { DropStockNotifier } from './reservations/drop-stock-notifier';
import { DropStockStore } from './reservations/drop-stock.store';
import { HoldsService } from './reservations/holds.service';
import { ReservationsRepository } from './reservations/reservations.repository';
import { ReservationsService } from './reservations/reservations.service';

const exported = [
  DropsService,
  DropsRepository,
  DropStockStore,
  DropStockNotifier,
  DropReportService,
  HoldsService,
  ReservationsService,
  RaffleService,
  DropJobs,
];

/**
 * Drops core (services and repositories shared by api and worker): authoring and the state
 * machine, reservations over the Redis stock, raffles, reports. Needs the global ConfigModule,
 * DbModule, RedisModule and OutboxModule, and the bull queues of QUEUES registered by the app.
 * The live room's stock broadcaster, when present, is bound to DROP_STOCK_CHANGED by the api.
 */
@Module({
  imports: [OrdersModule, LedgerModule],
  providers: [ReservationsRepository, RaffleRepository, DropReportRepository, ...exported],
  exports: [...exported, ReservationsRepository],
})
export class DropsModule {}
