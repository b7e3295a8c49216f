import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import request, { type Response } from 'supertest';
import { type AppConfig, ConfigModule, type Env } from '@app/config';
import { DatabaseClient, DbModule } from '@app/db';
import { type BrandWithOwner, BrandsService, IdentityModule, type StaffRole } from '@app/identity';
import { OutboxModule } from '@app/outbox';
import { createApiApp } from '../../apps/api/src/bootstrap';
import {
  type TestContext,
  type TestDatabase,
  createTestDatabase,
  testConfig,
} from './test-database';

export const DEFAULT_PASSWORD = 'correct-horse-battery';

/** A short unique suffix so tests inside one database never collide. */
export const unique = (): string => randomBytes(4).toString('hex');
export const uniqueSlug = (prefix = 'brand'): string => `${prefix}-${unique()}`;
export const uniqueEmail = (prefix = 'user'): string => `${prefix}.${unique()}@example.test`;

/** The identity services wired by Nest against a test context's database (integration tests). */
export async function createIdentityTestingModule(ctx: TestContext): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(ctx.config), DbModule, OutboxModule, IdentityModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

export interface BrandFixture extends BrandWithOwner {
  ownerPassword: string;
}

/** A brand and its owner, created through the same service the operator endpoint and CLI use. */
export async function createBrandWithOwner(
  brands: BrandsService,
  overrides: { slug?: string; name?: string; ownerEmail?: string } = {},
): Promise<BrandFixture> {
  const slug = overrides.slug ?? uniqueSlug();
  const created = await brands.createBrandWithOwner({
    slug,
    name: overrides.name ?? `Brand ${slug}`,
    owner: {
      email: overrides.ownerEmail ?? uniqueEmail('owner'),
      displayName: 'Owner',
      password: DEFAULT_PASSWORD,
    },
  });
  return { ...created, ownerPassword: DEFAULT_PASSWORD };
}

/** The real api app (production bootstrap) on its own database and Redis prefix. */
export interface ApiHarness {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  /** A separate pool for assertions straight against Postgres. */
  db: DatabaseClient;
  http: () => ReturnType<typeof request>;
  brands: BrandsService;
  close(): Promise<void>;
}

/**
 * Boots the api like `main.ts` does. The auth rate limit is raised so that tests creating many
 * members do not trip it; the rate-limit test sets its own.
 */
export async function bootApi(
  overrides: Partial<Record<keyof Env, string>> = {},
): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, { AUTH_RATE_LIMIT_MAX: '10000', ...overrides });
  const app = await createApiApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = new DatabaseClient({ connectionString: database.url, max: 2 });
  return {
    app,
    config,
    database,
    db,
    http: () => request(app.getHttpServer()),
    brands: app.get(BrandsService),
    close: async () => {
      await app.close();
      await db.close();
      await database.drop();
    },
  };
}

export interface TokenPairBody {
  accessToken: string;
  refreshToken: string;
  subject: { type: 'member' | 'staff'; brandId: string; id: string; role?: StaffRole };
}

export interface MemberFixture {
  id: string;
  email: string;
  password: string;
  referralCode: string;
  body: Record<string, unknown>;
}

/** Signs a member up through the public endpoint. */
export async function registerMember(
  api: ApiHarness,
  brandSlug: string,
  fields: Record<string, unknown> = {},
): Promise<MemberFixture> {
  const email = (fields.email as string | undefined) ?? uniqueEmail('member');
  const body = { email, password: DEFAULT_PASSWORD, firstName: 'Test', ...fields };
  const res = await api.http().post(`/v1/brands/${brandSlug}/members`).send(body);
  if (res.status !== 201)
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const member = res.body as { id: string; referralCode: string };
  return {
    id: member.id,
    email,
    password: body.password,
    referralCode: member.referralCode,
    body: res.body,
  };
}

export async function loginMember(
  api: ApiHarness,
  brandSlug: string,
  email: string,
  password = DEFAULT_PASSWORD,
) {
  const res = await api.http().post('/v1/auth/member/login').send({ brandSlug, email, password });
  if (res.status !== 200)
    throw new Error(`member login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TokenPairBody;
}

export async function loginStaff(
  api: ApiHarness,
  brandSlug: string,
  email: string,
  password = DEFAULT_PASSWORD,
) {
  const res = await api.http().post('/v1/auth/staff/login').send({ brandSlug, email, password });
  if (res.status !== 200)
    throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TokenPairBody;
}

/** An owner creates a staff user of `role` over HTTP; returns it logged in. */
export async function createStaff(
  api: ApiHarness,
  brandSlug: string,
  ownerToken: string,
  role: StaffRole,
) {
  const email = uniqueEmail(role);
  const res = await api
    .http()
    .post('/v1/staff')
    .set('authorization', `Bearer ${ownerToken}`)
    .send({ email, displayName: `A ${role}`, role, password: DEFAULT_PASSWORD });
  if (res.status !== 201)
    throw new Error(`create staff failed: ${res.status} ${JSON.stringify(res.body)}`);
  const tokens = await loginStaff(api, brandSlug, email);
  return { id: (res.body as { id: string }).id, email, tokens };
}

/** An owner creates a storefront API key over HTTP; returns the full key (shown once). */
export async function createApiKey(api: ApiHarness, ownerToken: string, name = 'storefront') {
  const res = await api
    .http()
    .post('/v1/api-keys')
    .set('authorization', `Bearer ${ownerToken}`)
    .send({ name });
  if (res.status !== 201)
    throw new Error(`create api key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string; prefix: string };
}

/** A complete tenant for e2e tests: brand, owner session, a member session and an API key. */
export async function seedTenant(api: ApiHarness, prefix = 'brand') {
  const fixture = await createBrandWithOwner(api.brands, { slug: uniqueSlug(prefix) });
  const slug = fixture.brand.slug;
  const owner = await loginStaff(api, slug, fixture.owner.email);
  const member = await registerMember(api, slug);
  const memberTokens = await loginMember(api, slug, member.email);
  const apiKey = await createApiKey(api, owner.accessToken);
  return { fixture, slug, brandId: fixture.brand.id, owner, member, memberTokens, apiKey };
}

/** Asserts the one error shape of the API and returns its code. */
export function expectErrorBody(res: Response, status: number, code?: string): string {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status,
    body: {
      error: expect.objectContaining({
        code: code ?? expect.any(String),
        message: expect.any(String),
      }),
      requestId: expect.any(String),
    },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body as object).sort()).toEqual(['error', 'requestId']);
  return (res.body as { error: { code: string } }).error.code;
}
