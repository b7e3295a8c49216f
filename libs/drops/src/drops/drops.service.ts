import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Page } from '@app/common';
import { DatabaseClient, type Transaction } from '@app/db';
import { type StaffActor, decodePosition, keysetPage, pageSize } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { DropStockStore } from '../reservations/drop-stock.store';
import { HoldsService } from '../reservations/holds.service';
import { ReservationsRepository } from '../reservations/reservations.repository';
import { RaffleService } from '../raffle/raffle.service';
import type { DropReport } from '../report/drop-report';
import { DropReportService } from '../report/drop-report.service';
import { DropJobs } from './drop-jobs';
import {
  type DropStatus,
  canTransition,
  dueStatus,
  endNow,
  scheduleInstants,
} from './drop-state-machine';
import {
  DropConcurrentChangeError,
  DropNotEditableError,
  DropNotEndableError,
  DropNotFoundError,
  DropReportNotReadyError,
  InvalidDropTransitionError,
  invalidDrop,
} from './drops.errors';
import {
  type DropStatusChangedPayload,
  DropsTopics,
  ROOM_REALTIME_HEADERS,
  dropRoomKey,
} from './drops.events';
import { type Drop, type DropSku, DropsRepository, type NewDropSku } from './drops.repository';

export interface DropSkuInput {
  id: string;
  productId: string;
  name: string;
  category?: string | null;
  priceMinor: number;
  stock: number;
  perMemberLimit?: number;
}

export interface DropInput {
  title: string;
  description?: string;
  hostName?: string;
  streamUrl?: string | null;
  mode?: Drop['mode'];
  earlyAccessTierIds?: string[];
  earlyAccessAt?: Date | null;
  startsAt: Date;
  endsAt: Date;
  holdSeconds?: number;
  raffleOpensAt?: Date | null;
  raffleClosesAt?: Date | null;
  skus: DropSkuInput[];
}

export interface DropWithSkus extends Drop {
  skus: DropSku[];
}

/** A finished drop's Redis keys lapse this long after its last hold can have expired. */
const RETIRE_AFTER_SECONDS = 24 * 3600;

/** Who moved a drop: a staff member, or the scheduler's job. */
export type TransitionActor = { type: 'staff'; id: string } | { type: 'job'; id?: string };

@Injectable()
export class DropsService {
  private readonly logger = new Logger(DropsService.name);

  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(DropsRepository) private readonly drops: DropsRepository,
    @Inject(ReservationsRepository) private readonly reservations: ReservationsRepository,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
    @Inject(HoldsService) private readonly holds: HoldsService,
    @Inject(DropReportService) private readonly reports: DropReportService,
    @Inject(DropJobs) private readonly jobs: DropJobs,
    @Inject(RaffleService) private readonly raffles: RaffleService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  // ---- staff: authoring ---------------------------------------------------------------------

  private async validate(brandId: string, d: DropInput): Promise<void> {
    const fields: Record<string, string[]> = {};
    const add = (field: string, message: string) => (fields[field] ??= []).push(message);
    if (d.startsAt.getTime() >= d.endsAt.getTime()) add('endsAt', 'must be after startsAt');
    const tiers = d.earlyAccessTierIds ?? [];
    if (d.earlyAccessAt && d.earlyAccessAt.getTime() >= d.startsAt.getTime())
      add('earlyAccessAt', 'must be before startsAt');
    if (tiers.length && !d.earlyAccessAt)
      add('earlyAccessAt', 'is required when earlyAccessTierIds are listed');
    if (d.earlyAccessAt && !tiers.length)
      add('earlyAccessTierIds', 'must list at least one tier when earlyAccessAt is set');
    const known = await this.drops.existingTierIds(brandId, tiers);
    if (known.length !== new Set(tiers).size)
      add('earlyAccessTierIds', 'must be tiers of this brand');
    if (d.mode === 'raffle') {
      if (!d.raffleOpensAt || !d.raffleClosesAt)
        add('raffleClosesAt', 'raffleOpensAt and raffleClosesAt are required in raffle mode');
      else if (d.raffleOpensAt.getTime() >= d.raffleClosesAt.getTime())
        add('raffleClosesAt', 'must be after raffleOpensAt');
      else if (d.raffleClosesAt.getTime() >= d.endsAt.getTime())
        add('raffleClosesAt', 'must be before endsAt');
    } else if (d.raffleOpensAt || d.raffleClosesAt) {
      add('mode', 'raffle windows are only allowed in raffle mode');
    }
    if (!d.skus.length) add('skus', 'must list at least one SKU');
    if (new Set(d.skus.map((s) => s.id)).size !== d.skus.length) add('skus', 'ids must be unique');
    if (Object.keys(fields).length) throw invalidDrop(fields);
  }

  private static skuRows(skus: DropSkuInput[]): NewDropSku[] {
    return skus.map((s) => ({
      id: s.id,
      productId: s.productId,
      name: s.name.trim(),
      category: s.category ?? null,
      priceMinor: s.priceMinor,
      stock: s.stock,
      perMemberLimit: s.perMemberLimit ?? 1,
    }));
  }

  async create(actor: StaffActor, input: DropInput): Promise<DropWithSkus> {
    await this.validate(actor.brandId, input);
    return this.db.transaction(async (tx) => {
      const drop = await this.drops.insert(
        actor.brandId,
        {
          title: input.title.trim(),
          description: input.description ?? '',
          hostName: input.hostName ?? '',
          streamUrl: input.streamUrl ?? null,
          mode: input.mode ?? 'first_come',
          earlyAccessTierIds: [...new Set(input.earlyAccessTierIds ?? [])],
          earlyAccessAt: input.earlyAccessAt ?? null,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          holdSeconds: input.holdSeconds ?? 300,
          raffleOpensAt: input.raffleOpensAt ?? null,
          raffleClosesAt: input.raffleClosesAt ?? null,
        },
        tx,
      );
      const skus = await this.drops.insertSkus(
        actor.brandId,
        drop.id,
        DropsService.skuRows(input.skus),
        tx,
      );
      return { ...drop, skus };
    });
  }

  /** Drafts only: absent fields are unchanged; `skus` replaces the whole list. */
  async update(actor: StaffActor, id: string, changes: Partial<DropInput>): Promise<DropWithSkus> {
    return this.db.transaction(async (tx) => {
      const existing = await this.drops.findById(actor.brandId, id, tx, { forUpdate: true });
      if (!existing) throw new DropNotFoundError();
      if (existing.status !== 'draft') throw new DropNotEditableError(existing.status);
      const skus = changes.skus ?? (await this.drops.skus(actor.brandId, id, tx));
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      ) as Partial<DropInput>;
      const merged: DropInput = {
        ...existing,
        ...defined,
        skus: skus.map((s) => ({ ...s, category: s.category ?? null })),
      };
      await this.validate(actor.brandId, merged);
      const { skus: _skus, ...patch } = defined;
      const updated = await this.drops.updateDraft(
        actor.brandId,
        id,
        { ...patch, title: patch.title?.trim() },
        tx,
      );
      if (!updated) throw new DropNotEditableError(existing.status);
      if (changes.skus) {
        await this.drops.deleteSkus(actor.brandId, id, tx);
        await this.drops.insertSkus(actor.brandId, id, DropsService.skuRows(changes.skus), tx);
      }
      return { ...updated, skus: await this.drops.skus(actor.brandId, id, tx) };
    });
  }

  // ---- reads --------------------------------------------------------------------------------

  async get(brandId: string, dropId: string): Promise<Drop> {
    const drop = await this.drops.findById(brandId, dropId);
    if (!drop) throw new DropNotFoundError();
    return drop;
  }

  async getWithSkus(brandId: string, dropId: string): Promise<DropWithSkus> {
    const drop = await this.get(brandId, dropId);
    return { ...drop, skus: await this.drops.skus(brandId, dropId) };
  }

  async list(
    brandId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<DropWithSkus>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    const page = keysetPage(await this.drops.list(brandId, { limit, after }), limit);
    const skus = await this.drops.skusOf(
      brandId,
      page.items.map((d) => d.id),
    );
    return {
      items: page.items.map((d) => ({ ...d, skus: skus.filter((s) => s.dropId === d.id) })),
      nextCursor: page.nextCursor,
    };
  }

  /** The after-drop report (written when the drop ends). */
  async report(brandId: string, dropId: string): Promise<DropReport> {
    const drop = await this.get(brandId, dropId);
    if (!drop.report) throw new DropReportNotReadyError(drop.status);
    return drop.report as DropReport;
  }

  // ---- state machine ------------------------------------------------------------------------

  /** draft → scheduled; queues a delayed job for each timed move (and the raffle draw). */
  async schedule(actor: StaffActor, id: string, now: Date = new Date()): Promise<Drop> {
    const current = await this.get(actor.brandId, id);
    if (current.endsAt.getTime() <= now.getTime())
      throw invalidDrop({ endsAt: ['is in the past: change the schedule before scheduling'] });
    const drop = await this.transition(actor.brandId, id, 'scheduled', {
      type: 'staff',
      id: actor.id,
    });
    // The Redis stock exists before the sale opens, so the first buyers do not wait for it.
    await this.stock.rebuild(actor.brandId, id, { neverOnSale: true });
    await this.jobs.scheduleAdvances(actor.brandId, id, scheduleInstants(drop));
    if (drop.mode === 'raffle' && drop.raffleClosesAt) {
      await this.raffles.commitSeed(actor.brandId, id);
      await this.jobs.scheduleDraw(actor.brandId, id, drop.raffleClosesAt);
    }
    // A schedule already due (start in the past) moves on now rather than on the first job.
    return (await this.advance(actor.brandId, id, now)) ?? drop;
  }

  /**
   * Cancels a drop that has not ended; active holds are cancelled and their units returned (a
   * hold whose confirmation has started completes or expires on its own).
   */
  async cancel(actor: StaffActor, id: string): Promise<Drop> {
    const drop = await this.transition(actor.brandId, id, 'cancelled', {
      type: 'staff',
      id: actor.id,
    });
    for (const hold of await this.reservations.heldOfDrop(actor.brandId, id))
      await this.holds.release(actor.brandId, hold.id, 'cancelled');
    return drop;
  }

  /**
   * Staff end an open drop before its `endsAt`: the same `ended` transition the scheduled end
   * makes (report, `drop.status_changed` to the room, `drop.ended`), and like it, holds are left
   * to run out or be confirmed. Ending an ended drop returns it unchanged (also when the clock or
   * another click ended it first); draft, scheduled and cancelled drops are refused.
   */
  async end(actor: StaffActor, id: string): Promise<Drop> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const drop = await this.get(actor.brandId, id);
      const decision = endNow(drop.status);
      if (decision === 'already_ended') return drop;
      if (decision === 'refuse') throw new DropNotEndableError(drop.status);
      try {
        return await this.transition(
          actor.brandId,
          id,
          'ended',
          { type: 'staff', id: actor.id },
          drop.version,
        );
      } catch (error) {
        // Moved meanwhile (sold out, or ended by the clock): decide again on the new status.
        if (!(error instanceof DropConcurrentChangeError)) throw error;
      }
    }
    throw new DropConcurrentChangeError();
  }

  /**
   * Moves the drop to where the clock says it should be; the job entry point. A late, early or
   * duplicate job finds nothing due (or loses the version check) and does nothing.
   */
  async advance(brandId: string, id: string, now: Date = new Date()): Promise<Drop | null> {
    let moved: Drop | null = null;
    // Several moves may be due at once (a worker down across early access and start).
    for (let step = 0; step < 3; step++) {
      const drop = await this.drops.findById(brandId, id);
      const to = drop ? dueStatus(drop, now) : null;
      if (!drop || !to) return moved;
      try {
        moved = await this.transition(brandId, id, to, { type: 'job' }, drop.version);
      } catch (error) {
        if (error instanceof DropConcurrentChangeError) continue;
        throw error;
      }
    }
    return moved;
  }

  /** Due moves of every brand (the sweep behind the delayed jobs). */
  async advanceDue(now: Date = new Date()): Promise<number> {
    let moved = 0;
    for (const drop of await this.drops.due(now, 200))
      if (await this.advance(drop.brandId, drop.id, now)) moved++;
    return moved;
  }

  /** After a confirmation: every SKU fully sold → sold_out. */
  async markSoldOutIfDone(brandId: string, id: string): Promise<void> {
    const [drop, skus] = await Promise.all([
      this.drops.findById(brandId, id),
      this.drops.skus(brandId, id),
    ]);
    if (!drop || !canTransition(drop.status, 'sold_out')) return;
    if (drop.status !== 'live' && drop.status !== 'early_access') return;
    if (!skus.every((s) => s.sold >= s.stock)) return;
    try {
      await this.transition(brandId, id, 'sold_out', { type: 'job', id: 'sold-out' }, drop.version);
    } catch (error) {
      if (!(error instanceof DropConcurrentChangeError)) throw error;
    }
  }

  /**
   * One transition: the drops row (version + 1), its drop_transitions row and the outbox event,
   * in one transaction; entering `ended` also writes the report and `drop.ended`. Then Redis
   * learns the new sale status. `expectedVersion`: fail unless the drop is still at it.
   */
  async transition(
    brandId: string,
    id: string,
    to: DropStatus,
    actor: TransitionActor,
    expectedVersion?: number,
  ): Promise<Drop> {
    const now = new Date();
    const moved = await this.db.transaction(async (tx) => {
      const drop = await this.drops.findById(brandId, id, tx, { forUpdate: true });
      if (!drop) throw new DropNotFoundError();
      if (expectedVersion !== undefined && drop.version !== expectedVersion)
        throw new DropConcurrentChangeError();
      if (!canTransition(drop.status, to)) throw new InvalidDropTransitionError(drop.status, to);
      const updated = await this.drops.transition(brandId, id, drop.version, to, tx);
      if (!updated) throw new DropConcurrentChangeError();
      await this.drops.insertTransition(
        brandId,
        {
          dropId: id,
          fromStatus: drop.status,
          toStatus: to,
          actorType: actor.type,
          actorId: actor.id ?? null,
          at: now,
        },
        tx,
      );
      const payload: DropStatusChangedPayload = {
        dropId: id,
        from: drop.status,
        to,
        version: updated.version,
        at: now.toISOString(),
        startsAt: drop.startsAt.toISOString(),
        endsAt: drop.endsAt.toISOString(),
        earlyAccessAt: drop.earlyAccessAt?.toISOString() ?? null,
      };
      await this.outbox.publish(tx, brandId, {
        topic: DropsTopics.StatusChanged,
        key: dropRoomKey(id),
        headers: ROOM_REALTIME_HEADERS,
        payload,
      });
      if (to === 'ended') await this.writeReport(tx, updated, now);
      return updated;
    });
    await this.stock.setStatus(brandId, id, moved.status, moved.earlyAccessTierIds);
    if (to === 'ended' || to === 'cancelled')
      await this.stock.retire(brandId, id, moved.holdSeconds + RETIRE_AFTER_SECONDS);
    this.logger.log(`drop ${id}: ${to} (${actor.type})`);
    return moved;
  }

  private async writeReport(tx: Transaction, drop: Drop, now: Date): Promise<void> {
    const report = await this.reports.build(drop, now, tx);
    await this.drops.saveReport(drop.brandId, drop.id, report, tx);
    await this.outbox.publish(tx, drop.brandId, {
      topic: DropsTopics.Ended,
      key: dropRoomKey(drop.id),
      payload: { dropId: drop.id, report },
    });
  }
}
