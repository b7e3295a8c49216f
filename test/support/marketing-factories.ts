import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import type { DatabaseClient } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import { CouponTemplatesService } from '@app/loyalty';
import { CampaignsService, OffersModule } from '@app/offers';
import { OutboxModule } from '@app/outbox';
import { DbModule } from '@app/db';
import { DEFAULT_PASSWORD, createBrandWithOwner, uniqueEmail } from './factories';
import type { TestContext } from './test-database';

/** Campaigns, the offer engine and segments wired by Nest on a test context's database. */
export async function createOffersTestingModule(ctx: TestContext): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, OffersModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

export async function seedMarketingBrand(moduleRef: TestingModule) {
  const fixture = await createBrandWithOwner(moduleRef.get(BrandsService));
  return { brandId: fixture.brand.id, ownerId: fixture.owner.id };
}

export async function seedMarketingMember(
  moduleRef: TestingModule,
  brandId: string,
  fields: { firstName?: string } = {},
): Promise<string> {
  const member = await moduleRef.get(MembersService).register(brandId, {
    email: uniqueEmail('mk'),
    firstName: fields.firstName ?? 'Mia',
    password: DEFAULT_PASSWORD,
  });
  return member.id;
}

export async function amountOffTemplate(
  moduleRef: TestingModule,
  brand: { brandId: string; ownerId: string },
  valueMinor = 500,
): Promise<string> {
  const template = await moduleRef.get(CouponTemplatesService).create(
    { brandId: brand.brandId, id: brand.ownerId },
    {
      name: `€${valueMinor / 100} off`,
      kind: 'amount_off',
      value: valueMinor,
      validDays: 30,
    },
  );
  return template.id;
}

/** A launched campaign (defaults: always treatment, no budget — tests set what they check). */
export async function launchCampaign(
  moduleRef: TestingModule,
  brandId: string,
  input: Partial<Parameters<CampaignsService['create']>[1]> & { trigger: unknown; reward: unknown },
) {
  const campaigns = moduleRef.get(CampaignsService);
  const created = await campaigns.create(brandId, {
    name: `campaign ${Math.random().toString(36).slice(2, 8)}`,
    holdoutBp: 0,
    overrides: { noCap: true, noHoldout: true },
    ...input,
  });
  return campaigns.launch(brandId, created.id);
}

/** Inserts a paid order straight into the table (placed `daysAgo` days ago). */
export async function insertOrder(
  db: DatabaseClient,
  brandId: string,
  memberId: string,
  options: { daysAgo?: number; totalMinor?: number; externalId?: string } = {},
): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
     values ($1, $2, $3, 'USD', $4, 'online', now() - make_interval(days => $5))
     returning id`,
    [
      brandId,
      options.externalId ?? `ext-${Math.random().toString(36).slice(2)}`,
      memberId,
      options.totalMinor ?? 5000,
      options.daysAgo ?? 0,
    ],
  );
  return rows[0].id;
}

/** Deterministic PRNG (mulberry32) for simulations. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
