import type { TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, ledgerEntries, outboxMessages, pointLots } from '@app/db';
import { MemberNotFoundError } from '@app/identity';
import { createTestContext, type TestContext } from '@app/testing';
import {
  createLedgerTestingModule,
  seedBrand,
  seedMember,
} from '../../../../test/support/ledger-testing';
import {
  DedupeKeyConflictError,
  EarnEntryNotFoundError,
  InsufficientPointsError,
  InvalidPointsError,
} from './ledger.errors';
import { LedgerInvariants } from './ledger.invariants';
import { LedgerService } from './ledger.service';
import type { LedgerActor } from './ledger.types';
import { LoyaltyProgramService } from './loyalty-program.service';

const system: LedgerActor = { type: 'system' };
const DAY = 86_400_000;

describe('LedgerService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let ledger: LedgerService;
  let invariants: LedgerInvariants;
  let programs: LoyaltyProgramService;
  let brandId: string;
  let n = 0;
  const key = (prefix = 'k') => `${prefix}:${++n}`;

  const earn = (memberId: string, points: number, extra: Record<string, unknown> = {}) =>
    ledger.earn(brandId, memberId, {
      points,
      reason: 'purchase',
      source: 'order',
      sourceId: `order-${n}`,
      actor: system,
      dedupeKey: key('earn'),
      ...extra,
    });
  const spend = (memberId: string, points: number, dedupeKey = key('spend')) =>
    ledger.spend(brandId, memberId, {
      points,
      reason: 'reward',
      source: 'redemption',
      actor: { type: 'member', id: memberId },
      dedupeKey,
    });
  const expectHealthy = async (brand = brandId) =>
    expect(await invariants.check(brand)).toEqual([]);

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createLedgerTestingModule(ctx);
    ledger = moduleRef.get(LedgerService);
    invariants = moduleRef.get(LedgerInvariants);
    programs = moduleRef.get(LoyaltyProgramService);
    brandId = await seedBrand(moduleRef);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('earns a lot with the programme expiry and updates the totals', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const earnedAt = new Date('2026-03-15T10:00:00Z');
    const result = await earn(memberId, 120, { earnedAt, availableAt: earnedAt });
    expect(result.duplicate).toBe(false);
    expect(result.entry).toMatchObject({ kind: 'earn', amount: 120, source: 'order' });
    expect(result.lot).toMatchObject({ points: 120, remaining: 120 });
    expect(result.lot?.expiresAt?.toISOString()).toBe('2027-03-15T10:00:00.000Z');
    expect(await ledger.balance(brandId, memberId)).toEqual({
      balance: 120,
      pending: 0,
      debt: 0,
      lifetimeEarned: 120,
    });
    await expectHealthy();
  });

  it('spends FIFO by expiry and refuses to go below zero', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const now = Date.now();
    const late = await earn(memberId, 50, { earnedAt: new Date(now - 1 * DAY) });
    const early = await earn(memberId, 30, { earnedAt: new Date(now - 100 * DAY) });
    const spent = await spend(memberId, 40);
    expect(spent.entry).toMatchObject({ kind: 'redeem', amount: -40 });
    const lots = await ctx.db.db
      .select()
      .from(pointLots)
      .where(and(eq(pointLots.brandId, brandId), eq(pointLots.memberId, memberId)));
    const remaining = Object.fromEntries(lots.map((l) => [l.id, l.remaining]));
    expect(remaining[early.lot!.id]).toBe(0);
    expect(remaining[late.lot!.id]).toBe(40);
    await expect(spend(memberId, 41)).rejects.toBeInstanceOf(InsufficientPointsError);
    expect((await ledger.balance(brandId, memberId)).balance).toBe(40);
    await expectHealthy();
  });

  it('is idempotent on the dedupe key (earn, spend) and rejects a key used by another member', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const other = await seedMember(moduleRef, brandId);
    const first = await earn(memberId, 10, { dedupeKey: 'order:dup-1' });
    const again = await earn(memberId, 10, { dedupeKey: 'order:dup-1' });
    expect(again).toMatchObject({ duplicate: true, entry: { id: first.entry.id } });
    expect(again.lot?.id).toBe(first.lot?.id);
    const s1 = await spend(memberId, 4, 'spend:dup-1');
    const s2 = await spend(memberId, 4, 'spend:dup-1');
    expect(s2).toMatchObject({ duplicate: true, entry: { id: s1.entry.id } });
    expect((await ledger.balance(brandId, memberId)).balance).toBe(6);
    await expect(earn(other, 10, { dedupeKey: 'order:dup-1' })).rejects.toBeInstanceOf(
      DedupeKeyConflictError,
    );
    await expectHealthy();
  });

  it('validates input and unknown members', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    await expect(earn(memberId, 0)).rejects.toBeInstanceOf(InvalidPointsError);
    await expect(earn(memberId, 1.5)).rejects.toBeInstanceOf(InvalidPointsError);
    await expect(earn(memberId, 5, { reason: ' ' })).rejects.toBeInstanceOf(InvalidPointsError);
    await expect(earn('00000000-0000-4000-8000-000000000000', 5)).rejects.toBeInstanceOf(
      MemberNotFoundError,
    );
    const otherBrand = await seedBrand(moduleRef);
    await expect(
      ledger.earn(otherBrand, memberId, {
        points: 5,
        reason: 'x',
        source: 'rule',
        actor: system,
        dedupeKey: key(),
      }),
    ).rejects.toBeInstanceOf(MemberNotFoundError);
  });

  it('holds pending points until available_at, then they become spendable', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    const heldUntil = new Date(Date.now() + 1500);
    await earn(memberId, 70, { availableAt: heldUntil });
    await earn(memberId, 5, { source: 'rule' });
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 5, pending: 70 });
    await expect(spend(memberId, 6)).rejects.toBeInstanceOf(InsufficientPointsError);
    await expectHealthy();
    await new Promise((resolve) => setTimeout(resolve, heldUntil.getTime() - Date.now() + 50));
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 75, pending: 0 });
    await spend(memberId, 60);
    expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 15, pending: 0 });
    await expectHealthy();
  });

  it('defaults purchase points to pending for the programme pendingDays', async () => {
    const brand = await seedBrand(moduleRef);
    await programs.update(brand, { pendingDays: 14 });
    const memberId = await seedMember(moduleRef, brand);
    const earnedAt = new Date();
    const order = await ledger.earn(brand, memberId, {
      points: 30,
      reason: 'purchase',
      source: 'order',
      actor: system,
      dedupeKey: key(),
      earnedAt,
    });
    expect(order.lot?.availableAt.getTime()).toBe(earnedAt.getTime() + 14 * DAY);
    await ledger.earn(brand, memberId, {
      points: 8,
      reason: 'signup',
      source: 'rule',
      actor: system,
      dedupeKey: key(),
    });
    expect(await ledger.balance(brand, memberId)).toMatchObject({ balance: 8, pending: 30 });
    await expectHealthy(brand);
  });

  describe('clawback', () => {
    it('takes from the earning lot first', async () => {
      const memberId = await seedMember(moduleRef, brandId);
      await earn(memberId, 40, { earnedAt: new Date(Date.now() - 50 * DAY) });
      const order = await earn(memberId, 100);
      const result = await ledger.clawback(brandId, memberId, {
        earnEntryId: order.entry.id,
        points: 60,
        reason: 'refund',
        source: 'refund',
        sourceId: 'refund-1',
        actor: system,
        dedupeKey: 'refund:1',
      });
      expect(result).toMatchObject({ reversed: 60, debtAdded: 0, duplicate: false });
      expect(result.entry).toMatchObject({ kind: 'reverse', amount: -60 });
      const [lot] = await ctx.db.db
        .select()
        .from(pointLots)
        .where(and(eq(pointLots.brandId, brandId), eq(pointLots.earnEntryId, order.entry.id)));
      expect(lot.remaining).toBe(40);
      const again = await ledger.clawback(brandId, memberId, {
        earnEntryId: order.entry.id,
        points: 60,
        reason: 'refund',
        source: 'refund',
        actor: system,
        dedupeKey: 'refund:1',
      });
      expect(again).toMatchObject({
        duplicate: true,
        reversed: 60,
        entry: { id: result.entry!.id },
      });
      expect((await ledger.balance(brandId, memberId)).balance).toBe(80);
      await expectHealthy();
    });

    it('policy debt: the uncovered part becomes debt, repaid by the next earn', async () => {
      const memberId = await seedMember(moduleRef, brandId);
      const order = await earn(memberId, 100);
      await spend(memberId, 90);
      const result = await ledger.clawback(brandId, memberId, {
        earnEntryId: order.entry.id,
        points: 100,
        reason: 'refund',
        source: 'refund',
        actor: system,
        dedupeKey: key('refund'),
      });
      expect(result).toMatchObject({ reversed: 10, debtAdded: 90 });
      expect(result.entry?.amount).toBe(-100);
      expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 0, debt: 90 });
      await expectHealthy();
      const next = await earn(memberId, 50);
      expect(next.lot).toMatchObject({ points: 50, remaining: 0 });
      expect(await ledger.balance(brandId, memberId)).toMatchObject({ balance: 0, debt: 40 });
      await earn(memberId, 100);
      expect(await ledger.balance(brandId, memberId)).toMatchObject({
        balance: 60,
        debt: 0,
        lifetimeEarned: 250,
      });
      await expectHealthy();
    });

    it('policy cap: the uncovered part is forgiven; never more than the earn', async () => {
      const brand = await seedBrand(moduleRef);
      await programs.update(brand, { clawbackPolicy: 'cap' });
      const memberId = await seedMember(moduleRef, brand);
      const order = await ledger.earn(brand, memberId, {
        points: 100,
        reason: 'purchase',
        source: 'order',
        actor: system,
        dedupeKey: key(),
      });
      await ledger.spend(brand, memberId, {
        points: 70,
        reason: 'reward',
        source: 'redemption',
        actor: system,
        dedupeKey: key(),
      });
      const claw = (points: number) =>
        ledger.clawback(brand, memberId, {
          earnEntryId: order.entry.id,
          points,
          reason: 'refund',
          source: 'refund',
          actor: system,
          dedupeKey: key('refund'),
        });
      expect(await claw(50)).toMatchObject({ reversed: 30, debtAdded: 0, entry: { amount: -30 } });
      expect(await ledger.balance(brand, memberId)).toMatchObject({ balance: 0, debt: 0 });
      await expectHealthy(brand);
      // The earn has 30 left to claw back; nothing to take and `cap` forgives: no entry.
      expect(await claw(100)).toMatchObject({ entry: null, reversed: 0, debtAdded: 0 });
      await expectHealthy(brand);
    });

    it('never claws back more than the earn in total, and 404s on a foreign earn', async () => {
      const memberId = await seedMember(moduleRef, brandId);
      const other = await seedMember(moduleRef, brandId);
      const order = await earn(memberId, 30);
      const claw = (points: number, member = memberId) =>
        ledger.clawback(brandId, member, {
          earnEntryId: order.entry.id,
          points,
          reason: 'refund',
          source: 'refund',
          actor: system,
          dedupeKey: key('refund'),
        });
      expect(await claw(20)).toMatchObject({ reversed: 20 });
      expect(await claw(20)).toMatchObject({ reversed: 10, debtAdded: 0 });
      expect(await claw(20)).toMatchObject({ entry: null, reversed: 0 });
      await expect(claw(5, other)).rejects.toBeInstanceOf(EarnEntryNotFoundError);
      await expectHealthy();
    });
  });

  describe('adjust', () => {
    it('credits and debits with an audit row; a debit cannot overdraw', async () => {
      const memberId = await seedMember(moduleRef, brandId);
      const actor = { type: 'staff' as const, id: '11111111-1111-4111-8111-111111111111' };
      const plus = await ledger.adjust(brandId, memberId, {
        points: 25,
        reason: 'goodwill',
        actor,
        dedupeKey: 'adj:1',
      });
      expect(plus.entry).toMatchObject({ kind: 'adjust', amount: 25, source: 'staff' });
      expect(plus.lot?.points).toBe(25);
      const minus = await ledger.adjust(brandId, memberId, {
        points: -10,
        reason: 'correction',
        actor,
        dedupeKey: 'adj:2',
      });
      expect(minus.entry).toMatchObject({ kind: 'adjust', amount: -10 });
      await expect(
        ledger.adjust(brandId, memberId, {
          points: -16,
          reason: 'too much',
          actor,
          dedupeKey: 'adj:3',
        }),
      ).rejects.toBeInstanceOf(InsufficientPointsError);
      const dup = await ledger.adjust(brandId, memberId, {
        points: 25,
        reason: 'goodwill',
        actor,
        dedupeKey: 'adj:1',
      });
      expect(dup.duplicate).toBe(true);
      expect(await ledger.balance(brandId, memberId)).toMatchObject({
        balance: 15,
        lifetimeEarned: 0,
      });
      const audits = await ctx.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.brandId, brandId), eq(auditLog.targetId, memberId)));
      expect(audits.map((a) => a.action)).toEqual(['points.adjusted', 'points.adjusted']);
      const events = await ctx.db.db
        .select()
        .from(outboxMessages)
        .where(
          and(
            eq(outboxMessages.brandId, brandId),
            eq(outboxMessages.topic, 'points.adjusted'),
            eq(outboxMessages.key, `member:${memberId}`),
          ),
        );
      expect(events).toHaveLength(2);
      await expectHealthy();
    });
  });

  it('joins the caller transaction: a rollback leaves nothing', async () => {
    const memberId = await seedMember(moduleRef, brandId);
    await expect(
      ctx.db.transaction(async (tx) => {
        await ledger.earn(
          brandId,
          memberId,
          { points: 9, reason: 'x', source: 'rule', actor: system, dedupeKey: 'tx:1' },
          tx,
        );
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    const [row] = await ctx.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.brandId, brandId), eq(ledgerEntries.memberId, memberId)));
    expect(row.n).toBe(0);
    await expectHealthy();
  });

  it('invariants catch a tampered balance', async () => {
    const brand = await seedBrand(moduleRef);
    const memberId = await seedMember(moduleRef, brand);
    await ledger.earn(brand, memberId, {
      points: 10,
      reason: 'x',
      source: 'rule',
      actor: system,
      dedupeKey: key(),
    });
    await expectHealthy(brand);
    await ctx.db.db.execute(
      sql`update member_balances set balance = balance + 1 where brand_id = ${brand}`,
    );
    const problems = await invariants.check(brand);
    expect(problems.join('\n')).toMatch(/sum\(entries\)/);
    expect(problems.join('\n')).toMatch(/open lot remaining/);
  });
});
