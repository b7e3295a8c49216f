import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { RedisModule } from '@app/common';
import { DbModule } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import {
  BirthdayPointsService,
  EarningRulesService,
  LedgerInvariants,
  LedgerService,
  OrdersModule,
} from '@app/loyalty';
import { OutboxModule, OutboxPublisher } from '@app/outbox';
import { createTestContext, type TestContext } from '@app/testing';
import { createBrandWithOwner, uniqueEmail } from '../../../../../test/support/factories';
import { buildDrainer, countRows } from '../../../../../test/support/outbox-testing';
import { BehaviourPointsConsumer } from './behaviour-points.consumer';

describe('behaviour points from outbox events and the birthday job (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let rules: EarningRulesService;
  let ledger: LedgerService;
  let members: MembersService;
  let brandId: string;

  const drainAll = async (consumer: BehaviourPointsConsumer) => {
    const kit = buildDrainer(ctx.config, ctx.db, [consumer]);
    for (let r = await kit.drainer.drainOnce(); r.claimed; r = await kit.drainer.drainOnce()) {
      // keep draining
    }
    await kit.drainer.stop();
  };

  const newMember = (fields: Record<string, unknown> = {}) =>
    members.register(brandId, {
      email: uniqueEmail('m'),
      password: 'correct-horse-battery',
      firstName: 'M',
      ...fields,
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
      providers: [BehaviourPointsConsumer],
    }).compile();
    await moduleRef.init();
    rules = moduleRef.get(EarningRulesService);
    ledger = moduleRef.get(LedgerService);
    members = moduleRef.get(MembersService);
    brandId = (await createBrandWithOwner(moduleRef.get(BrandsService))).brand.id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  afterEach(async () => {
    expect(await moduleRef.get(LedgerInvariants).check(brandId)).toEqual([]);
  });

  it('sign-up awards its rule once, with the rule id recorded; review and post approvals are left to the community consumer', async () => {
    const signup = await rules.create(brandId, { kind: 'signup', name: 'Welcome', points: 100 });
    await rules.create(brandId, {
      kind: 'review_approved',
      name: 'Review',
      points: 20,
      caps: { perDay: 2 },
    });
    await rules.create(brandId, { kind: 'post_approved', name: 'Post', points: 5 });
    const member = await newMember(); // publishes member.registered
    const outbox = moduleRef.get(OutboxPublisher);
    const publish = (topic: string, payload: Record<string, unknown>) =>
      ctx.db.transaction((tx) => outbox.publish(tx, brandId, { topic, payload }));
    for (const reviewId of ['r1', 'r2', 'r3', 'r1']) {
      await publish('review.approved', { memberId: member.id, reviewId });
    }
    await publish('post.approved', { memberId: member.id, postId: 'p1' });
    await publish('post.approved', { memberId: member.id, postId: 'p1' }); // approved twice
    const consumer = moduleRef.get(BehaviourPointsConsumer);
    await drainAll(consumer);
    // 100 signup only: approved reviews and posts earn in the community's UGC rewards consumer,
    // so this consumer must not award them a second time.
    expect((await ledger.balance(brandId, member.id)).balance).toBe(100);
    const byRule = await ctx.db.pool.query<{ rule_id: string; n: number }>(
      `select rule_id, count(*)::int as n from ledger_entries
        where brand_id = $1 and member_id = $2 group by rule_id`,
      [brandId, member.id],
    );
    expect(Object.fromEntries(byRule.rows.map((r) => [r.rule_id, r.n]))).toEqual({
      [signup.id]: 1,
    });
    // A redelivery of everything changes nothing.
    await ctx.db.pool.query(
      'update outbox_messages set delivered_at = null, available_at = now() where brand_id = $1',
      [brandId],
    );
    await ctx.db.pool.query('delete from processed_messages');
    await drainAll(consumer);
    expect((await ledger.balance(brandId, member.id)).balance).toBe(100);
  });

  it('the birthday job awards members born today once per year', async () => {
    await rules.create(brandId, { kind: 'birthday', name: 'Birthday', points: 50 });
    const today = new Date('2027-03-14T08:00:00Z');
    const born = await newMember({ birthday: '1990-03-14' });
    const other = await newMember({ birthday: '1990-03-15' });
    const service = moduleRef.get(BirthdayPointsService);
    expect(await service.run(today)).toMatchObject({ awarded: 1 });
    expect(await service.run(today)).toMatchObject({ awarded: 0 });
    expect((await ledger.balance(brandId, born.id)).balance).toBe(50);
    expect((await ledger.balance(brandId, other.id)).balance).toBe(0);
    expect(
      await countRows(
        ctx.db,
        'select 1 from ledger_entries where brand_id = $1 and dedupe_key = $2',
        [brandId, `birthday:${born.id}:2027`],
      ),
    ).toBe(1);
  });
});
