import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { RedisModule } from '@app/common';
import { DbModule } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner, uniqueEmail, unique } from '../../../../test/support/factories';
import { countRows } from '../../../../test/support/outbox-testing';
import { LedgerInvariants, LedgerService, LoyaltyProgramService } from '../ledger';
import { OrdersModule } from './orders.module';
import { type OrderInput, OrdersService } from './orders.service';
import { EarningRulesService } from './rules/earning-rules.service';

const actor = { type: 'storefront' as const, id: 'test-key' };

describe('OrdersService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let orders: OrdersService;
  let rules: EarningRulesService;
  let ledger: LedgerService;
  let invariants: LedgerInvariants;
  let members: MembersService;
  let brandId: string;

  const newMember = async (fields: Record<string, unknown> = {}) =>
    members.register(brandId, {
      email: uniqueEmail('m'),
      password: 'correct-horse-battery',
      firstName: 'M',
      ...fields,
    });

  const order = (memberId: string, overrides: Partial<OrderInput> = {}): OrderInput => ({
    orderId: `SO-${unique()}`,
    memberId,
    lines: [
      { productId: 'A', category: 'shoes', quantity: 2, unitPriceMinor: 2500, paidMinor: 5000 },
      { productId: 'B', quantity: 3, unitPriceMinor: 1000, paidMinor: 2999 },
    ],
    paidTotalMinor: 7999,
    currency: 'USD',
    channel: 'online',
    placedAt: new Date(),
    ...overrides,
  });

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        RedisModule,
        OutboxModule,
        OrdersModule,
      ],
    }).compile();
    await moduleRef.init();
    orders = moduleRef.get(OrdersService);
    rules = moduleRef.get(EarningRulesService);
    ledger = moduleRef.get(LedgerService);
    invariants = moduleRef.get(LedgerInvariants);
    members = moduleRef.get(MembersService);
    const brand = await createBrandWithOwner(moduleRef.get(BrandsService));
    brandId = brand.brand.id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  afterEach(async () => {
    expect(await invariants.check(brandId)).toEqual([]);
  });

  it('ingests an order once: 20 concurrent identical ingests → one order, one earn entry', async () => {
    const member = await newMember();
    const input = order(member.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => orders.ingest(brandId, input, actor)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const { created: _c, ...first } = results[0];
    void _c;
    for (const r of results) expect({ ...r, created: true }).toEqual({ ...first, created: true });
    expect(first.pointsAwarded).toBe(79);
    expect(first.lines.map((l) => l.points)).toEqual([49, 30]);
    expect(
      await countRows(ctx.db, 'select 1 from orders where brand_id = $1 and external_id = $2', [
        brandId,
        input.orderId,
      ]),
    ).toBe(1);
    expect(
      await countRows(
        ctx.db,
        "select 1 from ledger_entries where brand_id = $1 and member_id = $2 and kind = 'earn'",
        [brandId, member.id],
      ),
    ).toBe(1);
    expect(
      await countRows(
        ctx.db,
        "select 1 from outbox_messages where brand_id = $1 and topic = 'order.paid' and payload->>'memberId' = $2",
        [brandId, member.id],
      ),
    ).toBe(1);
    expect((await ledger.balance(brandId, member.id)).balance).toBe(79);
  });

  it("applies the member's tier multiplier and finds members by the storefront's customer id", async () => {
    const member = await newMember();
    const externalId = `cust-${unique()}`;
    await ctx.db.pool.query('update members set external_id = $3 where brand_id = $1 and id = $2', [
      brandId,
      member.id,
      externalId,
    ]);
    const { rows } = await ctx.db.pool.query<{ id: string }>(
      `insert into tiers (brand_id, code, name, rank, multiplier_bp)
       values ($1, $2, 'Gold', $3, 15000) returning id`,
      [brandId, `gold-${unique()}`, 100 + Math.floor(Math.random() * 1e6)],
    );
    await ctx.db.pool.query(
      `insert into member_tiers (brand_id, member_id, tier_id, since, next_review_at)
       values ($1, $2, $3, now(), now() + interval '1 year')`,
      [brandId, member.id, rows[0].id],
    );
    const result = await orders.ingest(
      brandId,
      order(member.id, { memberId: undefined, memberExternalId: externalId }),
      actor,
    );
    // floor(79.99 × 1.5) = 119
    expect(result).toMatchObject({ memberId: member.id, pointsAwarded: 119, balance: 119 });
    expect(result.lines.reduce((sum, l) => sum + l.points, 0)).toBe(119);
    await expect(
      orders.ingest(
        brandId,
        order(member.id, { memberId: undefined, memberExternalId: 'nobody' }),
        actor,
      ),
    ).rejects.toMatchObject({ code: 'member_not_found' });
  });

  it("uses the entry tier's multiplier for a member the tiers consumer has not placed yet", async () => {
    const other = (await createBrandWithOwner(moduleRef.get(BrandsService))).brand.id;
    await ctx.db.pool.query(
      `insert into tiers (brand_id, code, name, rank, multiplier_bp) values ($1, 'member', 'Member', 0, 12000)`,
      [other],
    );
    const member = await members.register(other, {
      email: uniqueEmail('entry'),
      password: 'correct-horse-battery',
      firstName: 'E',
    });
    const result = await orders.ingest(other, order(member.id), actor);
    // floor(79.99 × 1.2) = 95
    expect(result).toMatchObject({ pointsAwarded: 95, balance: 95 });
    expect(await invariants.check(other)).toEqual([]);
  });

  it("awards the referrer on the referee's first order only", async () => {
    await rules.create(brandId, { kind: 'referral', name: 'Referral', points: 500 });
    const referrer = await newMember();
    const referee = await newMember({ referralCode: referrer.referralCode });
    expect(referee.referredBy).toBe(referrer.id);
    await orders.ingest(brandId, order(referee.id), actor);
    await orders.ingest(brandId, order(referee.id), actor);
    expect((await ledger.balance(brandId, referrer.id)).balance).toBe(500);
    expect(
      await countRows(
        ctx.db,
        'select 1 from ledger_entries where brand_id = $1 and member_id = $2 and dedupe_key = $3 and rule_id is not null',
        [brandId, referrer.id, `referral:${referee.id}`],
      ),
    ).toBe(1);
  });

  it('refunds claw back per line, exactly on full refund, and spent points become debt', async () => {
    const member = await newMember();
    const input = order(member.id);
    await orders.ingest(brandId, input, actor);
    // 79.99 USD → 79 points split [49, 30] by largest remainder. Partial: 1 of 3 units of line 2
    // → floor(30 / 3) = 10 points and floor(2999 / 3) = 999 minor.
    const partial = await orders.refund(
      brandId,
      input.orderId,
      { refundId: `R-${unique()}`, lines: [{ lineNo: 2, quantity: 1 }] },
      actor,
    );
    expect(partial).toMatchObject({
      amountMinor: 999,
      pointsReversed: 10,
      orderStatus: 'partially_refunded',
      balance: 69,
    });
    // Retry of the same refund id → same result, nothing more.
    const again = await orders.refund(
      brandId,
      input.orderId,
      { refundId: partial.refundId, lines: [{ lineNo: 2, quantity: 1 }] },
      actor,
    );
    expect(again).toMatchObject({ id: partial.id, pointsReversed: 10, created: false });
    await expect(
      orders.refund(
        brandId,
        input.orderId,
        { refundId: `R-${unique()}`, lines: [{ lineNo: 2, quantity: 3 }] },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'loyalty.refund_exceeds_remaining' });
    // Spend most of the balance, then refund everything: the shortfall is debt.
    await ledger.spend(brandId, member.id, {
      points: 60,
      reason: 'test',
      source: 'system',
      actor: { type: 'system' },
      dedupeKey: `spend:${unique()}`,
    });
    const full = await orders.refund(
      brandId,
      input.orderId,
      { refundId: `R-${unique()}`, full: true },
      actor,
    );
    expect(full).toMatchObject({
      amountMinor: 7999 - 999,
      pointsReversed: 69,
      orderStatus: 'refunded',
      balance: 0,
    });
    await expect(
      orders.refund(brandId, input.orderId, { refundId: `R-${unique()}`, full: true }, actor),
    ).rejects.toMatchObject({ code: 'loyalty.refund_empty' });
    const balance = await ledger.balance(brandId, member.id);
    expect(balance).toMatchObject({ balance: 0, debt: 60 });
    expect(
      await countRows(
        ctx.db,
        "select 1 from outbox_messages where brand_id = $1 and topic = 'order.refunded' and payload->>'memberId' = $2",
        [brandId, member.id],
      ),
    ).toBe(2);
    // The next order repays the debt first.
    await orders.ingest(brandId, order(member.id), actor);
    expect(await ledger.balance(brandId, member.id)).toMatchObject({ balance: 19, debt: 0 });
  });

  it('group commit: 120 concurrent orders over 5 members, duplicates and an unknown member in the same batches → exact balances, one award per order', async () => {
    const people = await Promise.all(Array.from({ length: 5 }, () => newMember()));
    // Debt on one member (earned, spent, then refunded): the batch's first points repay it.
    const first = await orders.ingest(brandId, order(people[0].id), actor);
    await ledger.spend(brandId, people[0].id, {
      points: 79,
      reason: 'reward',
      source: 'redemption',
      actor: { type: 'member', id: people[0].id },
      dedupeKey: `spend:${unique()}`,
    });
    await orders.refund(brandId, first.orderId, { refundId: `R-${unique()}`, full: true }, actor);
    expect((await ledger.balance(brandId, people[0].id)).debt).toBe(79);
    const inputs = Array.from({ length: 120 }, (_, i) => order(people[i % 5].id));
    const ghost = order('00000000-0000-4000-8000-000000000000');
    // Every input twice, interleaved, plus the unknown member: batches hold in-batch duplicates.
    const attempts = [...inputs, ghost, ...inputs].map((input) =>
      orders.ingest(brandId, input, actor).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
    );
    const settled = await Promise.all(attempts);
    const failures = settled.filter((x) => !x.ok);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ e: { code: 'member_not_found' } });
    const results = settled.flatMap((x) => (x.ok ? [x.r] : []));
    expect(results.filter((r) => r.created)).toHaveLength(120);
    expect(new Set(results.map((r) => r.id)).size).toBe(120);
    for (const r of results) expect(r.pointsAwarded).toBe(79);
    expect(
      await countRows(
        ctx.db,
        "select 1 from ledger_entries where brand_id = $1 and kind = 'earn' and member_id = any($2::uuid[]) and reason = 'purchase'",
        [brandId, people.map((p) => p.id)],
      ),
    ).toBe(121); // + the seed order
    const balances = await Promise.all(people.map((p) => ledger.balance(brandId, p.id)));
    // 24 orders × 79 points each; member 0 first repaid the 79 points of debt.
    expect(balances.map((b) => b.balance)).toEqual([1896 - 79, 1896, 1896, 1896, 1896]);
    expect(balances[0].debt).toBe(0);
  });

  it('behaviour caps hold under concurrency', async () => {
    await rules.create(brandId, {
      kind: 'share',
      name: 'Share',
      points: 10,
      caps: { perDay: 3, lifetime: 5 },
    });
    const member = await newMember();
    const awards = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rules.awardBehaviourEvent(
          brandId,
          { memberId: member.id, kind: 'share', sourceId: `share-${unique()}-${i}` },
          actor,
        ),
      ),
    );
    expect(awards.filter((a) => a.awarded)).toHaveLength(3);
    expect(awards.filter((a) => !a.awarded && a.reason === 'cap_reached')).toHaveLength(9);
    expect((await ledger.balance(brandId, member.id)).balance).toBe(30);
  });

  it('rejects a currency other than the programme currency before writing anything', async () => {
    const member = await newMember();
    const program = await moduleRef.get(LoyaltyProgramService).get(brandId);
    await expect(
      orders.ingest(brandId, order(member.id, { currency: 'EUR' }), actor),
    ).rejects.toMatchObject({
      code: 'loyalty.currency_mismatch',
    });
    expect(program.currency).toBe('USD');
    expect(
      await countRows(ctx.db, 'select 1 from orders where brand_id = $1 and member_id = $2', [
        brandId,
        member.id,
      ]),
    ).toBe(0);
  });
});
