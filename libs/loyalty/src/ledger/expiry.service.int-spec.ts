import type { TestingModule } from '@nestjs/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { ledgerEntries, outboxMessages, pointLots } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  createLedgerTestingModule,
  seedBrand,
  seedMember,
} from '../../../../test/support/ledger-testing';
import { PointsExpiryService } from './expiry.service';
import { LedgerInvariants } from './ledger.invariants';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { LoyaltyProgramService } from './loyalty-program.service';
import { addMonthsUtc } from './lot-math';

const DAY = 86_400_000;

describe('PointsExpiryService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let ledger: LedgerService;
  let expiry: PointsExpiryService;
  let invariants: LedgerInvariants;
  let n = 0;

  /** Earns `points` whose 12-month rolling expiry falls `expiresInDays` from now. */
  const earnExpiringIn = (
    brandId: string,
    memberId: string,
    points: number,
    expiresInDays: number,
  ) =>
    ledger.earn(brandId, memberId, {
      points,
      reason: 'purchase',
      source: 'rule',
      actor: { type: 'system' },
      dedupeKey: `earn:${++n}`,
      earnedAt: addMonthsUtc(new Date(Date.now() + expiresInDays * DAY), -12),
    });

  const entriesOf = (brandId: string, kind: 'expire' | 'earn') =>
    ctx.db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.brandId, brandId), eq(ledgerEntries.kind, kind)));
  const eventsOf = (brandId: string, topic: string) =>
    ctx.db.db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.brandId, brandId), eq(outboxMessages.topic, topic)));

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createLedgerTestingModule(ctx);
    ledger = moduleRef.get(LedgerService);
    expiry = moduleRef.get(PointsExpiryService);
    invariants = moduleRef.get(LedgerInvariants);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('expires due lots once, with an entry per lot and one event per member', async () => {
    const brandId = await seedBrand(moduleRef);
    const a = await seedMember(moduleRef, brandId);
    const b = await seedMember(moduleRef, brandId);
    await earnExpiringIn(brandId, a, 30, -2);
    await earnExpiringIn(brandId, a, 20, -1);
    const keep = await earnExpiringIn(brandId, a, 50, 100);
    await earnExpiringIn(brandId, b, 15, -3);
    // Before the sweep the stored total still holds the due lots; reads already leave them out.
    const stored = await moduleRef.get(LedgerRepository).getBalance(brandId, a);
    expect(stored?.balance).toBe(100);
    expect(await ledger.balance(brandId, a)).toMatchObject({ balance: 50 });
    expect(await invariants.check(brandId)).toEqual([]);

    await expiry.sweep();
    expect(await ledger.balance(brandId, a)).toMatchObject({ balance: 50 });
    expect(await ledger.balance(brandId, b)).toMatchObject({ balance: 0 });
    const expired = await entriesOf(brandId, 'expire');
    expect(
      expired
        .filter((e) => e.memberId === a)
        .map((e) => e.amount)
        .sort(),
    ).toEqual([-20, -30]);
    expect(expired.every((e) => e.source === 'expiry' && e.dedupeKey.startsWith('expire:'))).toBe(
      true,
    );
    const events = await eventsOf(brandId, 'points.expired');
    const forA = events.filter((e) => e.key === `member:${a}`);
    expect(forA).toHaveLength(1);
    expect(forA[0].headers).toEqual({ realtime: 'key' });
    expect(forA[0].payload).toMatchObject({ memberId: a, points: 50, balance: 50 });
    expect(events.filter((e) => e.key === `member:${b}`)).toHaveLength(1);
    const [kept] = await ctx.db.db.select().from(pointLots).where(eq(pointLots.id, keep.lot!.id));
    expect(kept).toMatchObject({ remaining: 50, expiredAt: null });

    // Running again changes nothing.
    await expiry.sweep();
    expect(await entriesOf(brandId, 'expire')).toHaveLength(expired.length);
    expect(await eventsOf(brandId, 'points.expired')).toHaveLength(events.length);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('expires only what is left of a partly spent lot', async () => {
    const brandId = await seedBrand(moduleRef);
    const memberId = await seedMember(moduleRef, brandId);
    const lot = await earnExpiringIn(brandId, memberId, 40, 3);
    await ledger.spend(brandId, memberId, {
      points: 15,
      reason: 'reward',
      source: 'redemption',
      actor: { type: 'system' },
      dedupeKey: `spend:${++n}`,
    });
    await expiry.expireMember(brandId, memberId, new Date(Date.now() + 4 * DAY));
    const [expired] = await entriesOf(brandId, 'expire');
    expect(expired).toMatchObject({ amount: -25, sourceId: lot.lot!.id });
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 0 });
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('a debit expires overdue lots on the way (expire-on-touch) before drawing FIFO', async () => {
    const brandId = await seedBrand(moduleRef);
    const memberId = await seedMember(moduleRef, brandId);
    await earnExpiringIn(brandId, memberId, 30, -1);
    await earnExpiringIn(brandId, memberId, 20, 30);
    await ledger.spend(brandId, memberId, {
      points: 10,
      reason: 'reward',
      source: 'redemption',
      actor: { type: 'system' },
      dedupeKey: `spend:${++n}`,
    });
    expect((await entriesOf(brandId, 'expire')).map((e) => e.amount)).toEqual([-30]);
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 10 });
    expect(await eventsOf(brandId, 'points.expired')).toHaveLength(1);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('resumes after being killed mid-way: the next run finishes, nothing twice', async () => {
    const brandId = await seedBrand(moduleRef);
    const memberIds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const memberId = await seedMember(moduleRef, brandId);
      memberIds.push(memberId);
      await earnExpiringIn(brandId, memberId, 10 + i, -1 - i);
      await earnExpiringIn(brandId, memberId, 5, -1);
    }
    // The first run stops after three members (what a crash after three commits leaves).
    const first = await expiry.sweep({ maxMembers: 3, batchSize: 2 });
    expect(first.members).toBe(3);
    expect(await entriesOf(brandId, 'expire')).toHaveLength(6);
    expect(await invariants.check(brandId)).toEqual([]);
    const second = await expiry.sweep({ batchSize: 2 });
    expect(second.members).toBeGreaterThanOrEqual(3);
    const expired = await entriesOf(brandId, 'expire');
    expect(expired).toHaveLength(12);
    expect(new Set(expired.map((e) => e.sourceId)).size).toBe(12);
    expect(await eventsOf(brandId, 'points.expired')).toHaveLength(6);
    for (const memberId of memberIds)
      expect((await ledger.balance(brandId, memberId)).balance).toBe(0);
    expect((await expiry.sweep()).members).toBe(0);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('two sweeps in parallel split the work and expire each lot once', async () => {
    const brandId = await seedBrand(moduleRef);
    for (let i = 0; i < 8; i += 1) {
      const memberId = await seedMember(moduleRef, brandId);
      await earnExpiringIn(brandId, memberId, 7, -1);
    }
    await Promise.all([expiry.sweep({ batchSize: 3 }), expiry.sweep({ batchSize: 3 })]);
    const expired = await entriesOf(brandId, 'expire');
    expect(expired).toHaveLength(8);
    expect(await eventsOf(brandId, 'points.expired')).toHaveLength(8);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('skips a member whose lock is held (SKIP LOCKED) and gets them next run', async () => {
    const brandId = await seedBrand(moduleRef);
    const busy = await seedMember(moduleRef, brandId);
    const free = await seedMember(moduleRef, brandId);
    await earnExpiringIn(brandId, busy, 9, -1);
    await earnExpiringIn(brandId, free, 9, -1);
    const repository = moduleRef.get(LedgerRepository);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = ctx.db.transaction(async (tx) => {
      await repository.lockMember(brandId, busy, tx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const first = await expiry.sweep();
      expect(first.skipped).toBeGreaterThanOrEqual(1);
      const expired = await entriesOf(brandId, 'expire');
      expect(expired.map((e) => e.memberId)).toEqual([free]);
      expect((await repository.getBalance(brandId, busy))?.balance).toBe(9);
    } finally {
      release();
      await holder;
    }
    await expiry.sweep();
    expect((await repository.getBalance(brandId, busy))?.balance).toBe(0);
    expect(await entriesOf(brandId, 'expire')).toHaveLength(2);
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('warns once per member about lots expiring within the warning window', async () => {
    const brandId = await seedBrand(moduleRef);
    await moduleRef.get(LoyaltyProgramService).update(brandId, { expiryWarningDays: 14 });
    const a = await seedMember(moduleRef, brandId);
    const b = await seedMember(moduleRef, brandId);
    const soon1 = await earnExpiringIn(brandId, a, 12, 5);
    const soon2 = await earnExpiringIn(brandId, a, 8, 10);
    const later = await earnExpiringIn(brandId, a, 100, 40);
    await earnExpiringIn(brandId, b, 100, 20);
    await expiry.warn();
    const events = await eventsOf(brandId, 'points.expiring');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ key: `member:${a}`, headers: { realtime: 'key' } });
    expect(events[0].payload).toMatchObject({
      memberId: a,
      points: 20,
      earliestExpiresAt: soon1.lot!.expiresAt!.toISOString(),
    });
    expect((events[0].payload.lots as { lotId: string }[]).map((l) => l.lotId)).toEqual([
      soon1.lot!.id,
      soon2.lot!.id,
    ]);
    const marked = await ctx.db.db
      .select()
      .from(pointLots)
      .where(inArray(pointLots.id, [soon1.lot!.id, soon2.lot!.id, later.lot!.id]));
    expect(
      marked
        .filter((l) => l.warnedAt !== null)
        .map((l) => l.id)
        .sort(),
    ).toEqual([soon1.lot!.id, soon2.lot!.id].sort());
    await expiry.warn();
    expect(await eventsOf(brandId, 'points.expiring')).toHaveLength(1);
  });
});
