import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseClient } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import { DropsTopics, ROOM_REALTIME_HEADERS, memberRoomKey } from '../drops/drops.events';
import { DropStockNotifier } from './drop-stock-notifier';
import { DropStockStore } from './drop-stock.store';
import { type Reservation, ReservationsRepository } from './reservations.repository';

/**
 * Ends holds. The Postgres transition out of 'held' is the single gate: only the caller that
 * gets the row back returns the units to Redis, so a hold returns its stock exactly once however
 * many expiry jobs, sweeps and cancellations race for it.
 */
@Injectable()
export class HoldsService {
  private readonly logger = new Logger(HoldsService.name);

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
    @Inject(DropStockNotifier) private readonly notifier: DropStockNotifier,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  /** Cancels a hold (by its member, or by staff cancelling the drop): its units return once. */
  async release(
    brandId: string,
    id: string,
    to: 'cancelled',
    options: { memberId?: string } = {},
  ): Promise<Reservation | null> {
    const released = await this.reservations.release(brandId, id, to, options);
    if (!released) return null;
    await this.stock.settle(brandId, released.dropId, released, 'release', false);
    this.notifier.changed(brandId, released.dropId, released.skuId);
    return released;
  }

  /**
   * Expires every hold past its expiry (any brand), a batch per transaction with its events,
   * then returns the units to Redis. Run every second by the worker's poller and by the sweep.
   */
  async expireDue(now: Date = new Date(), batch = 500): Promise<number> {
    let expired = 0;
    for (;;) {
      const released = await this.db.transaction(async (tx) => {
        const rows = await this.reservations.expireDue(now, batch, tx);
        const byBrand = new Map<string, Reservation[]>();
        for (const row of rows)
          byBrand.set(row.brandId, [...(byBrand.get(row.brandId) ?? []), row]);
        for (const [brandId, group] of byBrand)
          await this.outbox.publishMany(tx, brandId, group.map(expiredEvent));
        return rows;
      });
      const settled = await Promise.allSettled(
        released.map((r) => this.stock.settle(r.brandId, r.dropId, r, 'release', false)),
      );
      for (const [i, outcome] of settled.entries()) {
        const r = released[i];
        // Postgres is the record: a lost Redis update is repaired by the sweep's reconcile.
        if (outcome.status === 'rejected')
          this.logger.warn(`hold ${r.id}: units not returned to Redis: ${String(outcome.reason)}`);
        this.notifier.changed(r.brandId, r.dropId, r.skuId);
      }
      expired += released.length;
      if (released.length < batch) return expired;
    }
  }
}

function expiredEvent(row: Reservation) {
  return {
    topic: DropsTopics.ReservationExpired,
    key: memberRoomKey(row.memberId),
    headers: ROOM_REALTIME_HEADERS,
    payload: {
      reservationId: row.id,
      dropId: row.dropId,
      skuId: row.skuId,
      memberId: row.memberId,
      quantity: row.quantity,
    },
  };
}
