import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { Test } from '@nestjs/testing';
import { createTestContext, type TestContext } from '@app/testing';
import { OutboxDrainerModule, OutboxModule } from './outbox.module';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxRetention } from './outbox.retention';

const BRAND = '00000000-0000-4000-8000-0000000000aa';
const DAY_MS = 86_400_000;

describe('OutboxRetention (Postgres)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('deletes delivered messages and inbox rows past retention; keeps pending, dead and recent ones', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(ctx.config),
        DbModule,
        OutboxModule,
        OutboxDrainerModule.forRoot({ autoStart: false }),
      ],
    }).compile();
    const publisher = moduleRef.get(OutboxPublisher);
    const ids = await publisher.publishMany(
      ctx.db.db,
      BRAND,
      Array.from({ length: 6 }, (_, i) => ({ topic: 'test.retention', payload: { i } })),
    );
    const old = new Date(Date.now() - (ctx.config.outbox.retentionDays + 1) * DAY_MS);
    const recent = new Date(Date.now() - DAY_MS);
    // 0,1: delivered long ago · 2: delivered recently · 3: dead long ago · 4,5: pending
    await ctx.db.pool.query('update outbox_messages set delivered_at = $2 where id = any($1)', [
      ids.slice(0, 2),
      old,
    ]);
    await ctx.db.pool.query('update outbox_messages set delivered_at = $2 where id = $1', [
      ids[2],
      recent,
    ]);
    await ctx.db.pool.query('update outbox_messages set dead_at = $2 where id = $1', [ids[3], old]);
    await ctx.db.pool.query(
      `insert into processed_messages (consumer, message_id, processed_at)
       values ('c', $1, $3), ('c', $2, $4)`,
      [ids[0], ids[2], old, recent],
    );

    const result = await moduleRef.get(OutboxRetention).prune();

    expect(result).toEqual({ messages: 2, processed: 1 });
    const left = await ctx.db.pool.query<{ id: string }>(
      'select id from outbox_messages where brand_id = $1 order by id',
      [BRAND],
    );
    expect(left.rows.map((r) => r.id).sort()).toEqual(ids.slice(2).sort());
    const inbox = await ctx.db.pool.query<{ message_id: string }>(
      'select message_id from processed_messages',
    );
    expect(inbox.rows.map((r) => r.message_id)).toEqual([ids[2]]);
    await moduleRef.close();
  });
});
