import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MicroBatcher, type Page } from '@app/common';
import { DatabaseClient } from '@app/db';
import { decodePosition, keysetPage, pageSize } from '@app/identity';
import { LoyaltyProgramService, OrdersService } from '@app/loyalty';
import { OutboxPublisher } from '@app/outbox';
import { DropJobs } from '../drops/drop-jobs';
import {
  ActiveHoldExistsError,
  DropIdempotencyConflictError,
  DropNotFoundError,
  DropNotOnSaleError,
  DropSkuNotFoundError,
  DropSoldOutError,
  EarlyAccessTierRequiredError,
  MemberLimitReachedError,
  RaffleModeError,
  ReservationNotFoundError,
  ReservationRateLimitedError,
  ReservationNotHeldError,
  StockUnavailableError,
} from '../drops/drops.errors';
import { DropsTopics, ROOM_REALTIME_HEADERS, memberRoomKey } from '../drops/drops.events';
import { type Drop, DropsRepository } from '../drops/drops.repository';
import { DropsService } from '../drops/drops.service';
import { DropStockNotifier } from './drop-stock-notifier';
import { DropStockStore, type ReserveOutcome } from './drop-stock.store';
import { HoldsService } from './holds.service';
import {
  type HoldRefusal,
  type NewHold,
  type Reservation,
  ReservationsRepository,
} from './reservations.repository';

type HoldResult = { reservation: Reservation } | { refused: HoldRefusal };

export interface ReserveInput {
  skuId: string;
  quantity: number;
  idempotencyKey: string;
  /** The client's address, for the per-IP attempt limit (absent for internal callers). */
  clientIp?: string | null;
}

export interface ReserveResult {
  reservation: Reservation;
  /** true when this idempotency key had already reserved (a retry). */
  duplicate: boolean;
}

export interface ConfirmResult {
  reservation: Reservation;
  pointsAwarded: number;
  duplicate: boolean;
}

/** How long a confirmation keeps the hold from expiring while its order is written. */
const CONFIRM_LEASE_MS = 60_000;
/** Drop rows are re-read at most this often per process on the reservation path. */
const DROP_CACHE_MS = 500;
const BUSY_RETRY_MS = 20;
const BUSY_RETRIES = 75;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fingerprintOf = (input: ReserveInput) => `${input.skuId}\u0000${input.quantity}`;

/**
 * Buying: holds taken atomically in Redis (one Lua script), persisted in Postgres (which re-checks
 * stock under the SKU's lock), confirmed into loyalty orders, returned exactly once.
 */
@Injectable()
export class ReservationsService {
  private readonly logger = new Logger(ReservationsService.name);
  private readonly dropCache = new Map<string, { drop: Promise<Drop>; until: number }>();
  /**
   * Group commit of holds, one writer per SKU: every hold takes the SKU row's lock until its
   * commit, so one transaction per hold would serialise the sale on commit latency. Concurrent
   * holds of a SKU queue here instead and share one lock, one set of checks and one commit; one
   * batch per SKU at a time, so waiting happens in memory, not on the row lock (docs/adr/0014).
   */
  private readonly holdWriters = new Map<string, MicroBatcher<string, NewHold, HoldResult>>();

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropsRepository) private readonly dropRows: DropsRepository,
    @Inject(DropsService) private readonly drops: DropsService,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
    @Inject(HoldsService) private readonly holds: HoldsService,
    @Inject(DropStockNotifier) private readonly notifier: DropStockNotifier,
    @Inject(DropJobs) private readonly jobs: DropJobs,
    @Inject(OrdersService) private readonly orders: OrdersService,
    @Inject(LoyaltyProgramService) private readonly programs: LoyaltyProgramService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  /** The drop row, shared by concurrent requests (one query per drop per DROP_CACHE_MS). */
  private dropOf(brandId: string, dropId: string): Promise<Drop> {
    const key = `${brandId}:${dropId}`;
    const cached = this.dropCache.get(key);
    if (cached && cached.until > Date.now()) return cached.drop;
    const drop = this.dropRows.findById(brandId, dropId).then((row) => {
      if (!row) throw new DropNotFoundError();
      return row;
    });
    if (this.dropCache.size > 10_000) this.dropCache.clear();
    this.dropCache.set(key, { drop, until: Date.now() + DROP_CACHE_MS });
    // A failed read is not cached.
    drop.catch(() => this.dropCache.delete(key));
    return drop;
  }

  private holdWriter(brandId: string, dropId: string, skuId: string) {
    const key = `${brandId}|${dropId}|${skuId}`;
    let writer = this.holdWriters.get(key);
    if (!writer) {
      if (this.holdWriters.size > 10_000) this.holdWriters.clear();
      writer = new MicroBatcher<string, NewHold, HoldResult>(
        async (_brand, holds) => {
          const results = await this.reservations.insertHolds(brandId, dropId, skuId, holds);
          await this.endInFlight(brandId, dropId, results);
          return results.map((value) => ({ ok: true as const, value }));
        },
        { maxBatch: 500, maxInFlight: 1 },
      );
      this.holdWriters.set(key, writer);
    }
    return writer;
  }

  /**
   * The committed holds of a batch end their in-flight count in Redis in one call (refused ones
   * end it with their abort). The holds are already the record: a Redis failure here must not
   * fail them, it only delays a rebuild, which waits for the count to drain.
   */
  private async endInFlight(brandId: string, dropId: string, results: HoldResult[]) {
    const committed = results.filter((r) => 'reservation' in r).length;
    try {
      await this.stock.inserted(brandId, dropId, committed);
    } catch (error) {
      this.logger.warn(`drop ${dropId}: in-flight count not settled: ${String(error)}`);
    }
  }

  // ---- reserve ------------------------------------------------------------------------------

  async reserve(
    brandId: string,
    memberId: string,
    dropId: string,
    input: ReserveInput,
    now: Date = new Date(),
  ): Promise<ReserveResult> {
    const drop = await this.dropOf(brandId, dropId);
    if (drop.mode === 'raffle') throw new RaffleModeError();
    const fingerprint = fingerprintOf(input);
    // The tier only matters during early access: looked up then, or when Redis asks for it.
    const earlyWindow = drop.earlyAccessTierIds.length > 0 && now < drop.startsAt;
    let tierId = earlyWindow ? await this.dropRows.tierOf(brandId, memberId) : null;
    let tierLooked = earlyWindow;
    const reservationId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.stock.reserve(brandId, dropId, {
        skuId: input.skuId,
        quantity: input.quantity,
        idempotencyKey: input.idempotencyKey,
        memberId,
        tierId,
        reservationId,
        fingerprint,
        clientIp: input.clientIp ?? null,
        countAttempt: attempt === 0,
      });
      if (outcome.outcome === 'ok') return this.persist(drop, memberId, reservationId, input, now);
      if (outcome.outcome === 'rate')
        throw new ReservationRateLimitedError(
          outcome.scope,
          Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)),
        );
      if (outcome.outcome === 'tier' && !tierLooked && drop.earlyAccessTierIds.length) {
        tierId = await this.dropRows.tierOf(brandId, memberId);
        tierLooked = true;
        continue;
      }
      if (outcome.outcome === 'missing') {
        await this.stock.rebuild(brandId, dropId);
        continue;
      }
      if (outcome.outcome === 'busy') {
        if (attempt >= BUSY_RETRIES) throw new StockUnavailableError();
        await sleep(BUSY_RETRY_MS);
        continue;
      }
      return this.refused(brandId, memberId, dropId, input, outcome);
    }
  }

  /** A refusal from Redis, or the original reservation when it is a retry of the same key. */
  private async refused(
    brandId: string,
    memberId: string,
    dropId: string,
    input: ReserveInput,
    outcome: Exclude<ReserveOutcome, { outcome: 'ok' | 'missing' | 'busy' | 'rate' }>,
  ): Promise<ReserveResult> {
    switch (outcome.outcome) {
      case 'duplicate': {
        if (outcome.fingerprint !== fingerprintOf(input)) throw new DropIdempotencyConflictError();
        // The first request may still be writing its row.
        for (let i = 0; i < 100; i++) {
          const row = await this.reservations.findById(brandId, outcome.reservationId);
          if (row) return { reservation: row, duplicate: true };
          await sleep(20);
        }
        throw new StockUnavailableError();
      }
      case 'held':
      case 'limit': {
        // After a Redis rebuild the key is forgotten but the row remembers it.
        const prior = await this.sameKey(brandId, dropId, memberId, input);
        if (prior) return prior;
        if (outcome.outcome === 'held') throw new ActiveHoldExistsError(outcome.reservationId);
        throw new MemberLimitReachedError(outcome.remaining);
      }
      case 'sku':
        throw new DropSkuNotFoundError();
      case 'tier':
        throw new EarlyAccessTierRequiredError();
      case 'state':
        throw new DropNotOnSaleError(outcome.status);
    }
    throw new DropSoldOutError(outcome.available);
  }

  private async sameKey(
    brandId: string,
    dropId: string,
    memberId: string,
    input: ReserveInput,
  ): Promise<ReserveResult | null> {
    const row = await this.reservations.findByIdempotencyKey(
      brandId,
      dropId,
      memberId,
      input.idempotencyKey,
    );
    if (!row) return null;
    if (row.skuId !== input.skuId || row.quantity !== input.quantity)
      throw new DropIdempotencyConflictError();
    return { reservation: row, duplicate: true };
  }

  /**
   * Redis granted the units: write the hold. If Postgres refuses (or fails), the units go back
   * to Redis at once; a refusal on stock or limit also means Redis drifted, so it is reconciled.
   */
  private async persist(
    drop: Drop,
    memberId: string,
    id: string,
    input: ReserveInput,
    now: Date,
  ): Promise<ReserveResult> {
    const { brandId } = drop;
    const hold = {
      id,
      dropId: drop.id,
      skuId: input.skuId,
      memberId,
      quantity: input.quantity,
      idempotencyKey: input.idempotencyKey,
      expiresAt: new Date(now.getTime() + drop.holdSeconds * 1000),
    };
    let result: HoldResult;
    try {
      result = await this.holdWriter(brandId, drop.id, input.skuId).submit(brandId, hold);
    } catch (error) {
      await this.stock.settle(brandId, drop.id, hold, 'abort', true);
      throw error;
    }
    if ('reservation' in result) {
      // Its expiry is the worker's poll of due holds (DropHoldExpiryPoller): no job per hold.
      this.notifier.changed(brandId, drop.id, input.skuId);
      return { reservation: result.reservation, duplicate: false };
    }
    await this.stock.settle(brandId, drop.id, hold, 'abort', true);
    this.notifier.changed(brandId, drop.id, input.skuId);
    switch (result.refused) {
      case 'duplicate_key': {
        const prior = await this.sameKey(brandId, drop.id, memberId, input);
        if (prior) return prior;
        throw new DropIdempotencyConflictError();
      }
      case 'sku':
        throw new DropSkuNotFoundError();
      default:
        this.logger.warn(
          `drop ${drop.id}: Postgres refused a hold Redis granted (${result.refused})`,
        );
        await this.jobs.requestReconcile(brandId, drop.id);
        if (result.refused === 'stock') throw new DropSoldOutError(0);
        if (result.refused === 'limit') throw new MemberLimitReachedError(0);
        throw new ActiveHoldExistsError(null);
    }
  }

  // ---- confirm / cancel / expire ------------------------------------------------------------

  private async own(brandId: string, memberId: string, id: string): Promise<Reservation> {
    const row = await this.reservations.findById(brandId, id);
    if (!row || row.memberId !== memberId) throw new ReservationNotFoundError();
    return row;
  }

  /**
   * Turns a hold into a paid order through loyalty's order path (points as for any order). The
   * order id is derived from the reservation, so a repeated confirmation finds the same order and
   * points are awarded once; the hold's move to 'confirmed' happens once.
   */
  async confirm(
    brandId: string,
    memberId: string,
    id: string,
    now: Date = new Date(),
  ): Promise<ConfirmResult> {
    const row = await this.own(brandId, memberId, id);
    if (row.status === 'confirmed') return this.confirmed(brandId, row, true);
    if (row.status !== 'held') throw new ReservationNotHeldError(row.status);
    const leased = await this.reservations.leaseForConfirm(
      brandId,
      id,
      memberId,
      now,
      new Date(now.getTime() + CONFIRM_LEASE_MS),
    );
    if (!leased) {
      const latest = await this.own(brandId, memberId, id);
      if (latest.status === 'confirmed') return this.confirmed(brandId, latest, true);
      if (latest.status !== 'held') throw new ReservationNotHeldError(latest.status);
      // Still held but not leasable: past its expiry, or its drop was just cancelled.
      const drop = await this.dropRows.findById(brandId, latest.dropId);
      throw new ReservationNotHeldError(drop?.status === 'cancelled' ? 'cancelled' : 'expired');
    }
    const [sku] = (await this.dropRows.skus(brandId, row.dropId)).filter((s) => s.id === row.skuId);
    if (!sku) throw new DropSkuNotFoundError();
    const program = await this.programs.get(brandId);
    const paid = sku.priceMinor * row.quantity;
    const order = await this.orders.ingest(
      brandId,
      {
        orderId: `drop-${row.id}`,
        memberId,
        lines: [
          {
            productId: sku.productId,
            category: sku.category ?? undefined,
            quantity: row.quantity,
            unitPriceMinor: sku.priceMinor,
            paidMinor: paid,
          },
        ],
        paidTotalMinor: paid,
        currency: program.currency,
        channel: 'online',
        placedAt: now,
      },
      { type: 'storefront', id: `drop:${row.dropId}` },
    );
    const done = await this.db.transaction(async (tx) => {
      const result = await this.reservations.confirm(brandId, id, order.id, tx);
      if (!result) return null;
      await this.outbox.publish(tx, brandId, {
        topic: DropsTopics.ReservationConfirmed,
        key: memberRoomKey(memberId),
        headers: ROOM_REALTIME_HEADERS,
        payload: {
          reservationId: id,
          dropId: row.dropId,
          skuId: row.skuId,
          memberId,
          quantity: row.quantity,
          orderId: order.orderId,
          pointsAwarded: order.pointsAwarded,
        },
      });
      return result;
    });
    if (!done) {
      const latest = await this.own(brandId, memberId, id);
      if (latest.status === 'confirmed') return this.confirmed(brandId, latest, true);
      throw new ReservationNotHeldError(latest.status);
    }
    await this.stock.settle(brandId, row.dropId, row, 'confirm', false);
    this.notifier.changed(brandId, row.dropId, row.skuId);
    if (done.sku.sold >= done.sku.stock) await this.drops.markSoldOutIfDone(brandId, row.dropId);
    return { reservation: done.reservation, pointsAwarded: order.pointsAwarded, duplicate: false };
  }

  /** A repeated confirmation: the order ingestion is idempotent, so it reports the same points. */
  private async confirmed(
    brandId: string,
    row: Reservation,
    duplicate: boolean,
  ): Promise<ConfirmResult> {
    const order = await this.orders.get(brandId, `drop-${row.id}`);
    return { reservation: row, pointsAwarded: order.pointsAwarded, duplicate };
  }

  async cancel(brandId: string, memberId: string, id: string): Promise<Reservation> {
    const row = await this.own(brandId, memberId, id);
    if (row.status !== 'held') throw new ReservationNotHeldError(row.status);
    const released = await this.holds.release(brandId, id, 'cancelled', { memberId });
    if (released) return released;
    const latest = await this.own(brandId, memberId, id);
    throw new ReservationNotHeldError(latest.status === 'held' ? 'confirming' : latest.status);
  }

  async listMine(
    brandId: string,
    memberId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<Reservation>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(
      await this.reservations.listForMember(brandId, memberId, { limit, after }),
      limit,
    );
  }
}
