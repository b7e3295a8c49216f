import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseClient } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import {
  DropNotFoundError,
  DropSkuNotFoundError,
  MemberLimitReachedError,
  NotARaffleError,
  RaffleAlreadyEnteredError,
  RaffleClosedError,
} from '../drops/drops.errors';
import {
  DropsTopics,
  ROOM_REALTIME_HEADERS,
  dropRoomKey,
  memberRoomKey,
} from '../drops/drops.events';
import { type Drop, DropsRepository } from '../drops/drops.repository';
import { DropStockNotifier } from '../reservations/drop-stock-notifier';
import { DropStockStore } from '../reservations/drop-stock.store';
import { ReservationsRepository } from '../reservations/reservations.repository';
import { RAFFLE_ALGORITHM, drawSku, entrantId, raffleSeed, seedCommitment } from './raffle-draw';
import { type RaffleEntry, RaffleRepository } from './raffle.repository';

export interface RaffleView {
  dropId: string;
  opensAt: Date | null;
  closesAt: Date | null;
  entries: number;
  /** sha256(serverSeed), published before the draw so the seed cannot be chosen afterwards. */
  seedCommitment: string | null;
  /** Revealed after the draw, with the seed derived from it. */
  serverSeed: string | null;
  seed: string | null;
  drawnAt: Date | null;
  algorithm: string;
  /** After the draw: every entrant (pseudonymous) per SKU, and the winners in draw order. */
  skus: { skuId: string; entrants: { entrant: string; quantity: number }[]; winners: string[] }[];
}

const OPEN: readonly Drop['status'][] = ['scheduled', 'early_access', 'live'];

@Injectable()
export class RaffleService {
  private readonly logger = new Logger(RaffleService.name);

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(RaffleRepository) private readonly raffles: RaffleRepository,
    @Inject(DropsRepository) private readonly drops: DropsRepository,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
    @Inject(DropStockNotifier) private readonly notifier: DropStockNotifier,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  private async raffleDrop(brandId: string, dropId: string): Promise<Drop> {
    const drop = await this.drops.findById(brandId, dropId);
    if (!drop) throw new DropNotFoundError();
    if (drop.mode !== 'raffle') throw new NotARaffleError();
    return drop;
  }

  /** Chooses the server seed (kept secret until the draw; its hash is public). */
  async commitSeed(brandId: string, dropId: string): Promise<void> {
    await this.raffles.initServerSeed(brandId, dropId, randomBytes(32).toString('hex'));
  }

  async enter(
    brandId: string,
    memberId: string,
    dropId: string,
    input: { skuId: string; quantity: number },
    now: Date = new Date(),
  ): Promise<RaffleEntry> {
    const drop = await this.raffleDrop(brandId, dropId);
    const open =
      OPEN.includes(drop.status) &&
      !drop.raffleDrawnAt &&
      drop.raffleOpensAt !== null &&
      drop.raffleClosesAt !== null &&
      now >= drop.raffleOpensAt &&
      now < drop.raffleClosesAt;
    if (!open) throw new RaffleClosedError();
    const sku = (await this.drops.skus(brandId, dropId)).find((s) => s.id === input.skuId);
    if (!sku) throw new DropSkuNotFoundError();
    if (input.quantity > sku.perMemberLimit) throw new MemberLimitReachedError(sku.perMemberLimit);
    const entry = await this.raffles.insertEntry(brandId, { dropId, memberId, ...input });
    if (!entry) throw new RaffleAlreadyEnteredError();
    return entry;
  }

  /**
   * The draw job at the close of entries: per SKU, winners by the seeded shuffle get holds
   * (re-checked by Postgres like any hold), losers a `drop.raffle_lost` event. Runs once: the
   * drawn mark is set in the same transaction, so a duplicate job finds it and does nothing.
   */
  async draw(brandId: string, dropId: string, now: Date = new Date()): Promise<boolean> {
    const drawn = await this.db.transaction(async (tx) => {
      const drop = await this.drops.findById(brandId, dropId, tx, { forUpdate: true });
      if (!drop || drop.mode !== 'raffle' || drop.raffleDrawnAt || !drop.raffleClosesAt)
        return null;
      if (!OPEN.includes(drop.status) || now < drop.raffleClosesAt) return null;
      let serverSeed = drop.raffleSeed;
      if (!serverSeed) {
        serverSeed = randomBytes(32).toString('hex');
        await this.raffles.initServerSeed(brandId, dropId, serverSeed, tx);
      }
      if (!(await this.raffles.markDrawn(brandId, dropId, now, tx))) return null;
      const seed = raffleSeed(dropId, serverSeed);
      const entries = await this.raffles.entries(brandId, dropId, tx);
      const totals = await this.reservations.skuTotals(brandId, dropId, tx);
      const holds: { id: string; skuId: string }[] = [];
      const expiresAt = new Date(now.getTime() + drop.holdSeconds * 1000);
      for (const sku of totals) {
        const candidates = entries
          .filter((e) => e.skuId === sku.skuId)
          .map((e) => ({ ...e, entrant: entrantId(dropId, e.memberId) }));
        const winners = new Set(
          drawSku(seed, sku.skuId, candidates, sku.stock - sku.sold - sku.held).map(
            (w) => w.memberId,
          ),
        );
        for (const entry of candidates) {
          let reservationId: string | null = null;
          if (winners.has(entry.memberId)) {
            const [result] = await this.reservations.insertHolds(
              brandId,
              dropId,
              entry.skuId,
              [
                {
                  id: randomUUID(),
                  dropId,
                  skuId: entry.skuId,
                  memberId: entry.memberId,
                  quantity: entry.quantity,
                  idempotencyKey: `raffle:${entry.skuId}`,
                  expiresAt,
                },
              ],
              tx,
            );
            if ('reservation' in result) {
              reservationId = result.reservation.id;
              holds.push({ id: reservationId, skuId: entry.skuId });
            }
          }
          await this.raffles.setResult(
            brandId,
            entry,
            reservationId ? 'won' : 'lost',
            reservationId,
            tx,
          );
          await this.outbox.publish(tx, brandId, {
            topic: reservationId ? DropsTopics.RaffleWon : DropsTopics.RaffleLost,
            key: memberRoomKey(entry.memberId),
            headers: ROOM_REALTIME_HEADERS,
            payload: {
              dropId,
              skuId: entry.skuId,
              memberId: entry.memberId,
              reservationId,
              expiresAt: reservationId ? expiresAt.toISOString() : null,
            },
          });
        }
      }
      await this.outbox.publish(tx, brandId, {
        topic: DropsTopics.RaffleDrawn,
        key: dropRoomKey(dropId),
        headers: ROOM_REALTIME_HEADERS,
        payload: { dropId, entries: entries.length, winners: holds.length, seed, serverSeed },
      });
      return holds;
    });
    if (!drawn) return false;
    // The holds were written straight to Postgres: Redis learns them from a rebuild.
    await this.stock.rebuild(brandId, dropId);
    for (const skuId of new Set(drawn.map((h) => h.skuId)))
      this.notifier.changed(brandId, dropId, skuId);
    this.logger.log(`drop ${dropId}: raffle drawn, ${drawn.length} winners`);
    return true;
  }

  async view(brandId: string, dropId: string): Promise<RaffleView> {
    const drop = await this.raffleDrop(brandId, dropId);
    const drawn = drop.raffleDrawnAt !== null && drop.raffleSeed !== null;
    const entries = drawn ? await this.raffles.entries(brandId, dropId) : [];
    const skuIds = [...new Set(entries.map((e) => e.skuId))];
    return {
      dropId,
      opensAt: drop.raffleOpensAt,
      closesAt: drop.raffleClosesAt,
      entries: drawn ? entries.length : await this.raffles.countEntries(brandId, dropId),
      seedCommitment: drop.raffleSeed ? seedCommitment(drop.raffleSeed) : null,
      serverSeed: drawn ? drop.raffleSeed : null,
      seed: drawn && drop.raffleSeed ? raffleSeed(dropId, drop.raffleSeed) : null,
      drawnAt: drop.raffleDrawnAt,
      algorithm: RAFFLE_ALGORITHM,
      skus: skuIds.map((skuId) => {
        const ofSku = entries.filter((e) => e.skuId === skuId);
        const pseudo = (e: RaffleEntry) => entrantId(dropId, e.memberId);
        return {
          skuId,
          entrants: ofSku
            .map((e) => ({ entrant: pseudo(e), quantity: e.quantity }))
            .sort((a, b) => (a.entrant < b.entrant ? -1 : 1)),
          winners: ofSku
            .filter((e) => e.result === 'won')
            .map(pseudo)
            .sort(),
        };
      }),
    };
  }
}
