import { randomUUID } from 'node:crypto';
import { BullModule } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import { QUEUES, RedisModule } from '@app/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseClient, DbModule, memberTiers, tiers } from '@app/db';
import type { DropInput } from '@app/drops';
import { OutboxModule } from '@app/outbox';
import { DropsModule } from '../../libs/drops/src/drops.module';
import type { ApiHarness } from './factories';
import { unique } from './factories';

/** A tier of the brand, straight in Postgres (rank must be unique per brand). */
export async function insertTier(
  db: DatabaseClient,
  brandId: string,
  code: string,
  rank: number,
): Promise<string> {
  const id = randomUUID();
  await db.db.insert(tiers).values({ brandId, id, code, name: code, rank });
  return id;
}

/** Puts a member in a tier (loyalty's member_tiers), as an upgrade would. */
export async function setMemberTier(
  db: DatabaseClient,
  brandId: string,
  memberId: string,
  tierId: string,
): Promise<void> {
  const now = new Date();
  await db.db
    .insert(memberTiers)
    .values({
      brandId,
      memberId,
      tierId,
      since: now,
      nextReviewAt: new Date(now.getTime() + 864e5),
    })
    .onConflictDoUpdate({ target: [memberTiers.brandId, memberTiers.memberId], set: { tierId } });
}

/** A first-come drop already open (start a minute ago) with one SKU, unless overridden. */
export function dropInput(overrides: Partial<DropInput> = {}): DropInput {
  const now = Date.now();
  return {
    title: `Drop ${unique()}`,
    hostName: 'Host',
    startsAt: new Date(now - 60_000),
    endsAt: new Date(now + 3_600_000),
    holdSeconds: 300,
    skus: [
      {
        id: 'SKU-1',
        productId: 'P-1',
        name: 'Sneaker',
        priceMinor: 12_000,
        stock: 100,
        perMemberLimit: 2,
      },
    ],
    ...overrides,
  };
}

/** The drop as the API returns it (fields the tests use). */
export interface DropBody {
  id: string;
  status: string;
  version: number;
  mode: string;
  startsAt: string;
  endsAt: string;
  skus: { id: string; stock: number; sold: number; perMemberLimit: number }[];
}

export interface ReservationBody {
  id: string;
  dropId: string;
  skuId: string;
  quantity: number;
  status: 'held' | 'confirmed' | 'expired' | 'cancelled';
  expiresAt: string;
  orderId: string | null;
}

const bearer = (token: string) => `Bearer ${token}`;

/** Staff creates a drop over HTTP; the body is the API's JSON (ISO dates). */
export async function createDropHttp(
  api: ApiHarness,
  staffToken: string,
  body: Record<string, unknown>,
): Promise<DropBody> {
  const res = await api
    .http()
    .post('/v1/drops')
    .set('authorization', bearer(staffToken))
    .send(body);
  if (res.status !== 201)
    throw new Error(`create drop failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as DropBody;
}

/** JSON body of a drop starting `startInMs` from now (negative: already started). */
export function dropBody(
  startInMs: number,
  durationMs: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const startsAt = Date.now() + startInMs;
  return {
    title: `Drop ${unique()}`,
    hostName: 'Host',
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + durationMs).toISOString(),
    skus: [
      {
        id: 'SKU-1',
        productId: 'P-1',
        name: 'Sneaker',
        priceMinor: 12_000,
        stock: 10,
        perMemberLimit: 2,
      },
    ],
    ...overrides,
  };
}

export function reserveHttp(
  api: ApiHarness,
  memberToken: string,
  dropId: string,
  body: { skuId: string; quantity: number; idempotencyKey?: string },
) {
  return api
    .http()
    .post(`/v1/drops/${dropId}/reservations`)
    .set('authorization', bearer(memberToken))
    .send({ idempotencyKey: `k-${unique()}`, ...body });
}

/**
 * The drops module with what it needs (config, Postgres, Redis, outbox, its bull queues), as the
 * integration tests of libs/drops run it; initialised.
 */
export async function startDropsModule(config: AppConfig): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DbModule,
      RedisModule,
      OutboxModule,
      BullModule.forRoot({ redis: config.redis.url, prefix: config.redis.prefix }),
      BullModule.registerQueue({ name: QUEUES.dropSchedule }, { name: QUEUES.dropHolds }),
      DropsModule,
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
