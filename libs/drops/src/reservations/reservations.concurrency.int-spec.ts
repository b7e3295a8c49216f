import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '@app/common';
import { dropReservations, ledgerEntries } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner, uniqueEmail } from '../../../../test/support/factories';
import {
  dropInput,
  insertTier,
  setMemberTier,
  startDropsModule,
} from '../../../../test/support/drop-factories';
import { DropsErrorCode } from '../drops/drops.errors';
import { DropsService } from '../drops/drops.service';
import { RaffleService } from '../raffle/raffle.service';
import { drawSku, entrantId } from '../raffle/raffle-draw';
import { DropStockStore } from './drop-stock.store';
import { HoldsService } from './holds.service';
import { ReservationsRepository } from './reservations.repository';
import { ReservationsService } from './reservations.service';

const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : String(error));

describe('Drop reservations (Redis + Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let drops: DropsService;
  let reservations: ReservationsService;
  let holds: HoldsService;
  let stock: DropStockStore;
  let raffles: RaffleService;
  let brandId: string;
  let actor: { brandId: string; id: string; requestId: string };
  let memberIds: string[];

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await startDropsModule(ctx.config);
    drops = moduleRef.get(DropsService);
    reservations = moduleRef.get(ReservationsService);
    holds = moduleRef.get(HoldsService);
    stock = moduleRef.get(DropStockStore);
    raffles = moduleRef.get(RaffleService);
    const brand = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = brand.brand.id;
    actor = { brandId, id: brand.owner.id, requestId: 'test' };
    const members = moduleRef.get(MembersService);
    memberIds = [];
    for (let i = 0; i < 300; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          members.register(brandId, { email: uniqueEmail('m'), password: 'correct-horse-battery' }),
        ),
      );
      memberIds.push(...batch.map((m) => m.id));
    }
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  const liveDrop = async (overrides: Parameters<typeof dropInput>[0] = {}) => {
    const drop = await drops.create(actor, dropInput(overrides));
    await drops.schedule(actor, drop.id);
    return drops.getWithSkus(brandId, drop.id);
  };

  const heldAndSold = async (dropId: string) => {
    const rows = await ctx.db.db
      .select()
      .from(dropReservations)
      .where(and(eq(dropReservations.brandId, brandId), eq(dropReservations.dropId, dropId)));
    const perMember = new Map<string, number>();
    let units = 0;
    for (const r of rows)
      if (r.status === 'held' || r.status === 'confirmed') {
        units += r.quantity;
        perMember.set(r.memberId, (perMember.get(r.memberId) ?? 0) + r.quantity);
      }
    return { rows, units, maxPerMember: Math.max(0, ...perMember.values()) };
  };

  /**
   * 2,000 attempts at once on a SKU of 100 (limit 2 per member): 300 members, every 5th attempt
   * a retry of an earlier key, every 7th asking for 3 (above the limit). All at once, or in
   * waves around `midway`.
   */
  const race = async (dropId: string, midway?: () => Promise<unknown>) => {
    const outcomes = new Map<string, number>();
    const attempt = async (i: number) => {
      // A retry repeats attempt j exactly: same member, key and body.
      const j = i % 5 === 0 && i >= 600 ? i - 600 : i;
      try {
        const r = await reservations.reserve(brandId, memberIds[j % memberIds.length], dropId, {
          skuId: 'SKU-1',
          quantity: j % 7 === 0 ? 3 : (j % 2) + 1,
          idempotencyKey: `key-${j}`,
        });
        const label = r.duplicate ? 'duplicate' : 'held';
        outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      } catch (error) {
        outcomes.set(codeOf(error), (outcomes.get(codeOf(error)) ?? 0) + 1);
      }
    };
    const all = Array.from({ length: 2000 }, (_, i) => i);
    if (!midway) {
      await Promise.all(all.map(attempt));
      return outcomes;
    }
    // 100 waves of 20 concurrent attempts (first-time buyers sell 100 units within a few
    // waves); `midway` runs while the 3rd wave is in flight.
    for (let wave = 0; wave < 100; wave++) {
      const running = all.slice(wave * 20, wave * 20 + 20).map(attempt);
      if (wave === 2) await midway();
      await Promise.all(running);
    }
    return outcomes;
  };

  /** Confirms the first `confirmCount` holds, expires the rest; returns the units confirmed. */
  const settleAll = async (dropId: string, confirmCount: number) => {
    const { rows } = await heldAndSold(dropId);
    const held = rows.filter((r) => r.status === 'held');
    let confirmed = 0;
    for (const r of held.slice(0, confirmCount)) {
      await reservations.confirm(brandId, r.memberId, r.id);
      confirmed += r.quantity;
    }
    await holds.expireDue(new Date(Date.now() + 3_600_000));
    return confirmed;
  };

  it('2,000 concurrent attempts on stock 100: exactly 100 units held, nobody above the limit, stock + sold = initial after settling', async () => {
    const drop = await liveDrop();
    const started = Date.now();
    const outcomes = await race(drop.id);
    const { units, maxPerMember } = await heldAndSold(drop.id);
    expect(units).toBe(100);
    expect(maxPerMember).toBeLessThanOrEqual(2);
    expect(outcomes.get('held')).toBeGreaterThan(0);
    expect(outcomes.get(DropsErrorCode.SoldOut)).toBeGreaterThan(0);
    expect(outcomes.get(DropsErrorCode.MemberLimitReached)).toBeGreaterThan(0);
    // Every hold answers its retries (same member, key and body) with itself.
    const { rows } = await heldAndSold(drop.id);
    const retries = await Promise.all(
      rows.map((r) =>
        reservations.reserve(brandId, r.memberId, drop.id, {
          skuId: r.skuId,
          quantity: r.quantity,
          idempotencyKey: r.idempotencyKey,
        }),
      ),
    );
    expect(retries.every((x, i) => x.duplicate && x.reservation.id === rows[i].id)).toBe(true);
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ stock: 100, available: 0, held: 100, sold: 0 });

    const confirmed = await settleAll(drop.id, 10);
    const [after] = await stock.snapshot(brandId, drop.id);
    expect(after.held).toBe(0);
    expect(after.sold).toBe(confirmed);
    expect(after.available + after.sold).toBe(100);
    const [sku] = (await drops.getWithSkus(brandId, drop.id)).skus;
    expect(sku.sold).toBe(confirmed);
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 60_000);

  it('Redis state flushed mid-sale: rebuilt from Postgres, still exactly 100 units and no lost unit', async () => {
    const drop = await liveDrop();
    let forgotten = 0;
    let heldWhenLost = 0;
    await race(drop.id, async () => {
      heldWhenLost = (await stock.snapshot(brandId, drop.id))[0].held;
      forgotten = await stock.forget(brandId, drop.id);
    });
    expect(forgotten).toBeGreaterThan(0);
    expect(heldWhenLost).toBeGreaterThanOrEqual(10);
    expect(heldWhenLost).toBeLessThan(100);
    const { units, maxPerMember } = await heldAndSold(drop.id);
    expect(units).toBe(100);
    expect(maxPerMember).toBeLessThanOrEqual(2);
    // The reconciler job (also run when keys are missing) brings Redis back to Postgres' figures.
    await stock.reconcile(brandId, drop.id);
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ stock: 100, available: 0, held: 100, sold: 0 });

    // Lost again after the sale: the snapshot rebuilds the counters alone.
    await stock.forget(brandId, drop.id);
    const confirmed = await settleAll(drop.id, 5);
    const [after] = await stock.snapshot(brandId, drop.id);
    expect(after).toMatchObject({ held: 0, sold: confirmed, available: 100 - confirmed });
  }, 60_000);

  it('Postgres re-checks every hold of a batch in order, whatever Redis granted', async () => {
    const drop = await liveDrop({
      skus: [{ id: 'S', productId: 'P', name: 'S', priceMinor: 100, stock: 5, perMemberLimit: 2 }],
    });
    const [m1, m2, m3] = memberIds.slice(270, 273);
    const expiresAt = new Date(Date.now() + 60_000);
    const hold = (memberId: string, quantity: number, idempotencyKey: string) => ({
      id: randomUUID(),
      dropId: drop.id,
      skuId: 'S',
      memberId,
      quantity,
      idempotencyKey,
      expiresAt,
    });
    const repository = moduleRef.get(ReservationsRepository);
    const batch = [
      hold(m1, 2, 'a'), // held: 2 of 5 taken
      hold(m1, 1, 'b'), // m1 already holds this SKU
      hold(m2, 3, 'c'), // fits the stock (5) but not m2's limit (2)
      hold(m2, 2, 'd'), // held: 4 taken
      hold(m3, 2, 'e'), // 4 + 2 > 5
      hold(m2, 2, 'd'), // the key m2 just used
    ];
    const results = await repository.insertHolds(brandId, drop.id, 'S', batch);
    expect(results.map((r) => ('reservation' in r ? 'held' : r.refused))).toEqual([
      'held',
      'active_hold',
      'limit',
      'held',
      'stock',
      'duplicate_key',
    ]);
    const first = results[0];
    expect('reservation' in first && first.reservation).toMatchObject({
      id: batch[0].id,
      brandId,
      status: 'held',
      quantity: 2,
      settledAt: null,
    });
    const { rows, units } = await heldAndSold(drop.id);
    expect(rows.map((r) => r.id).sort()).toEqual([batch[0].id, batch[3].id].sort());
    expect(units).toBe(4);
    const unknown = await repository.insertHolds(brandId, drop.id, 'NOPE', [hold(m3, 1, 'f')]);
    expect(unknown).toEqual([{ refused: 'sku' }]);

    // Batches of two processes at once (no shared writer): the lock orders them and the second
    // counts the first's holds. 1 unit left, 10 batches of 3 different members.
    const racers = memberIds.slice(273, 303);
    const raced = await Promise.all(
      Array.from({ length: 10 }, (_, b) =>
        repository.insertHolds(
          brandId,
          drop.id,
          'S',
          racers.slice(b * 3, b * 3 + 3).map((m, i) => hold(m, 1, `race-${b}-${i}`)),
        ),
      ),
    );
    expect(raced.flat().filter((r) => 'reservation' in r)).toHaveLength(1);
    expect((await heldAndSold(drop.id)).units).toBe(5);
  });

  it('expiry pollers racing: every hold expires once, its units come back once, one event each', async () => {
    const drop = await liveDrop();
    const taken = await Promise.all(
      memberIds.slice(200, 250).map((m, i) =>
        reservations.reserve(brandId, m, drop.id, {
          skuId: 'SKU-1',
          quantity: 1,
          idempotencyKey: `exp-${i}`,
        }),
      ),
    );
    expect(taken).toHaveLength(50);
    // Not yet due: nothing moves.
    expect(await holds.expireDue(new Date())).toBe(0);
    const later = new Date(Date.now() + 3_600_000);
    // The poll is global: other tests' holds are due by then too.
    const due = await ctx.db.pool.query<{ n: number }>(
      `select count(*)::int as n from drop_reservations where status = 'held'`,
    );
    expect(due.rows[0].n).toBeGreaterThanOrEqual(50);
    // Five workers polling at once, in batches of 7 so they interleave.
    const counts = await Promise.all(Array.from({ length: 5 }, () => holds.expireDue(later, 7)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(due.rows[0].n);
    const { rows } = await heldAndSold(drop.id);
    expect(rows.every((r) => r.status === 'expired')).toBe(true);
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ stock: 100, available: 100, held: 0, sold: 0 });
    const events = await ctx.db.pool.query<{ n: number }>(
      `select count(*)::int as n from outbox_messages
        where brand_id = $1 and topic = 'drop.reservation_expired' and payload->>'dropId' = $2`,
      [brandId, drop.id],
    );
    expect(events.rows[0].n).toBe(50);
  });

  it('early access: a silver member is refused before the public start, a gold member gets a hold', async () => {
    const gold = await insertTier(ctx.db, brandId, 'gold', 20);
    const silver = await insertTier(ctx.db, brandId, 'silver', 10);
    const [g, s] = memberIds.slice(0, 2);
    await setMemberTier(ctx.db, brandId, g, gold);
    await setMemberTier(ctx.db, brandId, s, silver);
    const now = Date.now();
    const drop = await liveDrop({
      earlyAccessTierIds: [gold],
      earlyAccessAt: new Date(now - 1000),
      startsAt: new Date(now + 600_000),
    });
    expect(drop.status).toBe('early_access');
    const key = { skuId: 'SKU-1', quantity: 1 };
    await expect(
      reservations.reserve(brandId, s, drop.id, { ...key, idempotencyKey: 's' }),
    ).rejects.toMatchObject({ code: DropsErrorCode.EarlyAccessTierRequired });
    await expect(
      reservations.reserve(brandId, memberIds[5], drop.id, { ...key, idempotencyKey: 'none' }),
    ).rejects.toMatchObject({ code: DropsErrorCode.EarlyAccessTierRequired });
    const held = await reservations.reserve(brandId, g, drop.id, { ...key, idempotencyKey: 'g' });
    expect(held.reservation.status).toBe('held');
  });

  it('bad input: draft and ended drops, above the limit, unknown SKU, reused key with another body', async () => {
    const member = memberIds[10];
    const draft = await drops.create(actor, dropInput());
    const attempt = (
      dropId: string,
      body: { skuId?: string; quantity?: number; idempotencyKey?: string },
    ) =>
      reservations.reserve(brandId, member, dropId, {
        skuId: 'SKU-1',
        quantity: 1,
        idempotencyKey: `k-${Math.random()}`,
        ...body,
      });
    await expect(attempt(draft.id, {})).rejects.toMatchObject({ code: DropsErrorCode.NotOnSale });
    const live = await liveDrop();
    await expect(attempt(live.id, { quantity: 3 })).rejects.toMatchObject({
      code: DropsErrorCode.MemberLimitReached,
    });
    await expect(attempt(live.id, { skuId: 'NOPE' })).rejects.toMatchObject({
      code: DropsErrorCode.SkuNotFound,
    });
    await attempt(live.id, { idempotencyKey: 'same' });
    await expect(attempt(live.id, { idempotencyKey: 'same', quantity: 2 })).rejects.toMatchObject({
      code: DropsErrorCode.IdempotencyConflict,
    });
    await expect(attempt(live.id, {})).rejects.toMatchObject({ code: DropsErrorCode.HoldExists });
    await drops.transition(brandId, live.id, 'ended', { type: 'job' });
    await expect(attempt(live.id, { skuId: 'SKU-1' })).rejects.toMatchObject({
      code: DropsErrorCode.NotOnSale,
    });
    await expect(drops.transition(brandId, live.id, 'live', { type: 'job' })).rejects.toMatchObject(
      {
        code: DropsErrorCode.InvalidTransition,
      },
    );
  });

  it('a draft changes until scheduled; cancelling a live drop returns its holds to stock', async () => {
    const draft = await drops.create(actor, dropInput());
    const changed = await drops.update(actor, draft.id, {
      title: '  Renamed  ',
      skus: [
        { id: 'A', productId: 'PA', name: 'A', priceMinor: 100, stock: 3 },
        { id: 'B', productId: 'PB', name: 'B', priceMinor: 200, stock: 4, perMemberLimit: 2 },
      ],
    });
    expect(changed.title).toBe('Renamed');
    expect(changed.skus.map((s) => [s.id, s.stock, s.perMemberLimit])).toEqual([
      ['A', 3, 1],
      ['B', 4, 2],
    ]);
    await expect(
      drops.update(actor, draft.id, { endsAt: new Date(Date.now() - 3_600_000) }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await drops.schedule(actor, draft.id);
    await expect(drops.update(actor, draft.id, { title: 'late' })).rejects.toMatchObject({
      code: DropsErrorCode.NotEditable,
    });
    const { reservation } = await reservations.reserve(brandId, memberIds[30], draft.id, {
      skuId: 'B',
      quantity: 2,
      idempotencyKey: 'c',
    });
    expect((await stock.snapshot(brandId, draft.id)).find((s) => s.skuId === 'B')).toMatchObject({
      available: 2,
      held: 2,
    });
    const cancelled = await drops.cancel(actor, draft.id);
    expect(cancelled.status).toBe('cancelled');
    const { rows } = await heldAndSold(draft.id);
    expect(rows.find((r) => r.id === reservation.id)?.status).toBe('cancelled');
    expect((await stock.snapshot(brandId, draft.id)).find((s) => s.skuId === 'B')).toMatchObject({
      available: 4,
      held: 0,
    });
    await expect(
      reservations.reserve(brandId, memberIds[31], draft.id, {
        skuId: 'A',
        quantity: 1,
        idempotencyKey: 'd',
      }),
    ).rejects.toMatchObject({ code: DropsErrorCode.NotOnSale });
    await expect(drops.cancel(actor, draft.id)).rejects.toMatchObject({
      code: DropsErrorCode.InvalidTransition,
    });
  });

  it('confirm awards points once under duplicate confirmations, and sells the unit once', async () => {
    const drop = await liveDrop();
    const member = memberIds[20];
    const { reservation } = await reservations.reserve(brandId, member, drop.id, {
      skuId: 'SKU-1',
      quantity: 2,
      idempotencyKey: 'buy',
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => reservations.confirm(brandId, member, reservation.id)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.pointsAwarded)).size).toBe(1);
    expect(results[0].pointsAwarded).toBeGreaterThan(0);
    const earns = await ctx.db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.brandId, brandId), eq(ledgerEntries.memberId, member)));
    expect(earns.filter((e) => e.kind === 'earn')).toHaveLength(1);
    const [sku] = (await drops.getWithSkus(brandId, drop.id)).skus;
    expect(sku.sold).toBe(2);
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ sold: 2, held: 0, available: 98 });
    // A confirmed hold does not come back by expiry or cancellation.
    await holds.expireDue(new Date(Date.now() + 3_600_000));
    expect((await heldAndSold(drop.id)).rows.map((r) => r.status)).toEqual(['confirmed']);
    await expect(reservations.cancel(brandId, member, reservation.id)).rejects.toMatchObject({
      code: DropsErrorCode.ReservationNotHeld,
    });
  });

  it('a cancellation racing a confirmation: either the order stands or the hold is cancelled, never both', async () => {
    const drop = await liveDrop();
    for (let i = 0; i < 6; i++) {
      const member = memberIds[40 + i];
      const { reservation } = await reservations.reserve(brandId, member, drop.id, {
        skuId: 'SKU-1',
        quantity: 1,
        idempotencyKey: `race-${i}`,
      });
      const [confirm, cancel] = await Promise.allSettled([
        reservations.confirm(brandId, member, reservation.id),
        reservations.cancel(brandId, member, reservation.id),
      ]);
      const { rows } = await heldAndSold(drop.id);
      const row = rows.find((r) => r.id === reservation.id)!;
      const orders = await ctx.db.pool.query(
        'select 1 from orders where brand_id = $1 and external_id = $2',
        [brandId, `drop-${reservation.id}`],
      );
      if (row.status === 'confirmed') {
        expect(confirm.status).toBe('fulfilled');
        expect(cancel.status).toBe('rejected');
        expect(orders.rowCount).toBe(1);
      } else {
        expect(row.status).toBe('cancelled');
        expect(confirm.status).toBe('rejected');
        expect(orders.rowCount).toBe(0);
      }
    }
    const [sku] = (await drops.getWithSkus(brandId, drop.id)).skus;
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ held: 0, sold: sku.sold, available: 100 - sku.sold });
  });

  it('a confirmation starting after the drop was cancelled is refused, even before its holds are released', async () => {
    const drop = await liveDrop();
    const member = memberIds[60];
    const { reservation } = await reservations.reserve(brandId, member, drop.id, {
      skuId: 'SKU-1',
      quantity: 1,
      idempotencyKey: 'late-confirm',
    });
    // The cancellation's transition has committed; its release of the holds has not run yet.
    await drops.transition(brandId, drop.id, 'cancelled', { type: 'job' });
    await expect(reservations.confirm(brandId, member, reservation.id)).rejects.toMatchObject({
      code: DropsErrorCode.ReservationNotHeld,
      details: { status: 'cancelled' },
    });
    const orders = await ctx.db.pool.query(
      'select 1 from orders where brand_id = $1 and external_id = $2',
      [brandId, `drop-${reservation.id}`],
    );
    expect(orders.rowCount).toBe(0);
    // The release then finds the hold untouched by the refused confirmation.
    expect(await holds.release(brandId, reservation.id, 'cancelled')).toMatchObject({
      status: 'cancelled',
    });
  });

  it('raffle: entries in the window, a draw replayable from the published seed, holds for winners', async () => {
    const now = Date.now();
    const drop = await drops.create(
      actor,
      dropInput({
        mode: 'raffle',
        raffleOpensAt: new Date(now - 1000),
        raffleClosesAt: new Date(now + 60_000),
        startsAt: new Date(now + 120_000),
        skus: [
          {
            id: 'SKU-1',
            productId: 'P',
            name: 'Hyped',
            priceMinor: 100,
            stock: 5,
            perMemberLimit: 1,
          },
        ],
      }),
    );
    await drops.schedule(actor, drop.id);
    const entrants = memberIds.slice(100, 130);
    for (const m of entrants)
      await raffles.enter(brandId, m, drop.id, { skuId: 'SKU-1', quantity: 1 });
    await expect(
      raffles.enter(brandId, entrants[0], drop.id, { skuId: 'SKU-1', quantity: 1 }),
    ).rejects.toMatchObject({ code: DropsErrorCode.RaffleAlreadyEntered });
    const before = await raffles.view(brandId, drop.id);
    expect(before).toMatchObject({ entries: 30, seed: null, serverSeed: null });
    expect(before.seedCommitment).toMatch(/^[0-9a-f]{64}$/);

    expect(await raffles.draw(brandId, drop.id, new Date(now + 30_000))).toBe(false);
    expect(await raffles.draw(brandId, drop.id, new Date(now + 61_000))).toBe(true);
    expect(await raffles.draw(brandId, drop.id, new Date(now + 62_000))).toBe(false);
    const view = await raffles.view(brandId, drop.id);
    const [sku] = view.skus;
    expect(sku.winners).toHaveLength(5);
    // Anyone can replay: the seed and the (pseudonymous) entrants give the same winners.
    const replay = drawSku(view.seed!, 'SKU-1', sku.entrants, 5)
      .map((e) => e.entrant)
      .sort();
    expect(replay).toEqual(sku.winners);
    const winners = entrants.filter((m) => sku.winners.includes(entrantId(drop.id, m)));
    const { rows } = await heldAndSold(drop.id);
    expect(rows.map((r) => r.memberId).sort()).toEqual(winners.sort());
    const [live] = await stock.snapshot(brandId, drop.id);
    expect(live).toMatchObject({ held: 5, available: 0 });
  });
});
