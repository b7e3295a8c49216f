import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { BrandsService, MembersService } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { LedgerModule } from '../../libs/loyalty/src/ledger/ledger.module';
import { DEFAULT_PASSWORD, createBrandWithOwner, uniqueEmail } from './factories';
import type { TestContext } from './test-database';

/** The loyalty ledger wired by Nest against a test context's database (integration tests). */
export async function createLedgerTestingModule(ctx: TestContext): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, LedgerModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

export async function seedBrand(moduleRef: TestingModule): Promise<string> {
  return (await createBrandWithOwner(moduleRef.get(BrandsService))).brand.id;
}

export async function seedMember(moduleRef: TestingModule, brandId: string): Promise<string> {
  const member = await moduleRef
    .get(MembersService)
    .register(brandId, { email: uniqueEmail('m'), firstName: 'T', password: DEFAULT_PASSWORD });
  return member.id;
}
