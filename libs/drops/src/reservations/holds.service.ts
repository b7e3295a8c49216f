import { Inject, Injectable } from '@nestjs/common';
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
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
    @Inject(DropStockNotifier) private readonly notifier: DropStockNotifier,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async release(
    brandId: string,
    id: string,
    to: 'expired' | 'cancelled',
    options: { dueAt?: Date; memberId?: string } = {},
  ): Promise<Reservation | null> {
    const released = await this.db.transaction(async (tx) => {
      const row = await this.reservations.release(brandId, id, to, options, tx);
      if (row && to === 'expired')
        await this.outbox.publish(tx, brandId, {
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
        });
      return row;
    });
    if (!released) return null;
    await this.stock.settle(brandId, released.dropId, released, 'release', false);
    this.notifier.changed(brandId, released.dropId, released.skuId);
    return released;
  }

  /** Expires every hold past its expiry (any brand): the sweep behind the delayed jobs. */
  async expireDue(now: Date = new Date(), batch = 500): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.reservations.dueHolds(now, batch);
      for (const hold of due)
        if (await this.release(hold.brandId, hold.id, 'expired', { dueAt: now })) expired++;
      if (due.length < batch) return expired;
    }
  }
}
