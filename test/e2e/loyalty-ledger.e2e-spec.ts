import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, ledgerEntries, outboxMessages } from '@app/db';
import { LedgerInvariants, LedgerService, LoyaltyProgramService, LotMath } from '@app/loyalty';
import {
  type ApiHarness,
  bootApi,
  createStaff,
  expectErrorBody,
  registerMember,
  seedTenant,
} from '../support/factories';

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

interface PointsBody {
  balance: number;
  pending: number;
  debt: number;
  lifetimeEarned: number;
  nextExpiry: { points: number; expiresAt: string } | null;
}
interface EntryBody {
  id: string;
  kind: string;
  amount: number;
  reason: string;
  source: string;
  sourceId: string | null;
  ruleId: string | null;
  createdAt: string;
  actorType?: string;
}

describe('loyalty ledger over HTTP (e2e)', () => {
  let api: ApiHarness;
  let a: Tenant;
  let b: Tenant;
  let marketer: Awaited<ReturnType<typeof createStaff>>;
  let moderator: Awaited<ReturnType<typeof createStaff>>;
  let ledger: LedgerService;

  const bearer = (token: string) => `Bearer ${token}`;
  const owner = (t: Tenant) => bearer(t.owner.accessToken);
  const asMember = (t: Tenant) => bearer(t.memberTokens.accessToken);
  const adjust = (t: Tenant, memberId: string, body: object, key?: string, auth = owner(t)) => {
    const req = api
      .http()
      .post(`/v1/members/${memberId}/points/adjustments`)
      .set('authorization', auth);
    return (key ? req.set('idempotency-key', key) : req).send(body);
  };
  const entryCount = async (brandId: string) =>
    (
      await api.db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.brandId, brandId))
    )[0].n;
  const healthy = async (brandId: string) =>
    expect(await api.app.get(LedgerInvariants).check(brandId)).toEqual([]);

  beforeAll(async () => {
    api = await bootApi();
    a = await seedTenant(api, 'ledger-a');
    b = await seedTenant(api, 'ledger-b');
    marketer = await createStaff(api, a.slug, a.owner.accessToken, 'marketer');
    moderator = await createStaff(api, a.slug, a.owner.accessToken, 'moderator');
    ledger = api.app.get(LedgerService);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('a new member has no points', async () => {
    const res = await api.http().get('/v1/me/points').set('authorization', asMember(a));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      balance: 0,
      pending: 0,
      debt: 0,
      lifetimeEarned: 0,
      nextExpiry: null,
    });
    const lots = await api.http().get('/v1/me/points/lots').set('authorization', asMember(a));
    expect(lots.body).toEqual({ items: [] });
  });

  it('staff adjust with an Idempotency-Key: credit, retry, debit, audit, event', async () => {
    const memberId = a.member.id;
    const credit = await adjust(a, memberId, { points: 300, reason: 'welcome gift' }, 'adj-1');
    expect(credit.status).toBe(201);
    const entry = (credit.body as { entry: EntryBody }).entry;
    expect(entry).toMatchObject({
      kind: 'adjust',
      amount: 300,
      reason: 'welcome gift',
      source: 'staff',
      actorType: 'staff',
    });
    expect((credit.body as { points: PointsBody }).points).toMatchObject({ balance: 300 });

    const retry = await adjust(a, memberId, { points: 300, reason: 'welcome gift' }, 'adj-1');
    expect(retry.status).toBe(200);
    expect((retry.body as { entry: EntryBody }).entry.id).toBe(entry.id);
    // The same key for a different adjustment is a conflict, not a silent replay.
    expectErrorBody(
      await adjust(a, memberId, { points: 5, reason: 'other' }, 'adj-1'),
      409,
      'loyalty.dedupe_key_conflict',
    );

    const debit = await adjust(
      a,
      memberId,
      { points: -120, reason: 'correction' },
      'adj-2',
      bearer(marketer.tokens.accessToken),
    );
    expect(debit.status).toBe(201);
    const me = await api.http().get('/v1/me/points').set('authorization', asMember(a));
    expect(me.body).toMatchObject({ balance: 180, pending: 0, debt: 0, lifetimeEarned: 0 });
    expect((me.body as PointsBody).nextExpiry?.points).toBe(180);

    const audits = await api.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.brandId, a.brandId), eq(auditLog.action, 'points.adjusted')));
    expect(audits).toHaveLength(2);
    expect(audits.map((x) => x.actorId).sort()).toEqual([a.owner.subject.id, marketer.id].sort());
    expect(audits.every((x) => x.requestId)).toBe(true);
    const events = await api.db.db
      .select()
      .from(outboxMessages)
      .where(
        and(eq(outboxMessages.brandId, a.brandId), eq(outboxMessages.topic, 'points.adjusted')),
      );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ key: `member:${memberId}`, headers: { realtime: 'key' } });
    await healthy(a.brandId);
  });

  it('a debit larger than the balance is 409 and writes nothing', async () => {
    const before = await entryCount(a.brandId);
    const res = await adjust(a, a.member.id, { points: -100000, reason: 'oops' }, 'adj-big');
    expectErrorBody(res, 409, 'loyalty.insufficient_points');
    expect(await entryCount(a.brandId)).toBe(before);
  });

  it('rejects bad adjustment input with 400', async () => {
    const before = await entryCount(a.brandId);
    const id = a.member.id;
    expectErrorBody(
      await adjust(a, id, { points: 5, reason: 'x' }),
      400,
      'loyalty.idempotency_key_required',
    );
    for (const body of [
      { points: 0, reason: 'zero' },
      { points: 1.5, reason: 'fraction' },
      { points: '5', reason: 'string' },
      { points: 5 },
      { points: 5, reason: '' },
      { points: 5, reason: 'x', extra: true },
      { points: 5_000_000, reason: 'huge' },
    ]) {
      expectErrorBody(await adjust(a, id, body, randomUUID()), 400, 'validation_failed');
    }
    expectErrorBody(
      await api.http().get('/v1/members/not-a-uuid/points').set('authorization', owner(a)),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await api.http().get('/v1/me/points/ledger?limit=500').set('authorization', asMember(a)),
      400,
      'validation_failed',
    );
    expectErrorBody(
      await api
        .http()
        .get('/v1/me/points/ledger?cursor=bm90LWEtY3Vyc29y')
        .set('authorization', asMember(a)),
      400,
      'validation_failed',
    );
    expect(await entryCount(a.brandId)).toBe(before);
  });

  it('401 without credentials, 403 for the wrong principal or role', async () => {
    const id = a.member.id;
    expectErrorBody(await api.http().get('/v1/me/points'), 401);
    expectErrorBody(await api.http().get(`/v1/members/${id}/points`), 401);
    expectErrorBody(await api.http().get('/v1/loyalty/liability'), 401);
    // Staff cannot use the member routes; members cannot use staff routes.
    expectErrorBody(await api.http().get('/v1/me/points').set('authorization', owner(a)), 403);
    expectErrorBody(
      await api.http().get(`/v1/members/${id}/points`).set('authorization', asMember(a)),
      403,
    );
    const mod = bearer(moderator.tokens.accessToken);
    expectErrorBody(
      await api.http().get(`/v1/members/${id}/points`).set('authorization', mod),
      403,
    );
    expectErrorBody(await adjust(a, id, { points: 5, reason: 'x' }, 'mod-1', mod), 403);
    expectErrorBody(
      await api
        .http()
        .get('/v1/loyalty/program')
        .set('authorization', bearer(marketer.tokens.accessToken)),
      403,
    );
    expectErrorBody(
      await api
        .http()
        .put('/v1/loyalty/program')
        .set('authorization', bearer(marketer.tokens.accessToken))
        .send({ pendingDays: 3 }),
      403,
    );
    expectErrorBody(await api.http().get('/v1/loyalty/liability').set('authorization', mod), 403);
    const apiKey = await api.http().get(`/v1/members/${id}/points`).set('x-api-key', a.apiKey.key);
    expect([401, 403]).toContain(apiKey.status);
  });

  it('another brand’s member is 404 on every staff route and nothing is written', async () => {
    const foreign = a.member.id;
    const before = await entryCount(a.brandId);
    for (const path of ['points', 'points/ledger', 'points/lots']) {
      expectErrorBody(
        await api
          .http()
          .get(`/v1/members/${foreign}/points${path.slice(6)}`)
          .set('authorization', owner(b)),
        404,
        'member_not_found',
      );
    }
    expectErrorBody(
      await adjust(b, foreign, { points: 50, reason: 'steal' }, 'x-1'),
      404,
      'member_not_found',
    );
    expectErrorBody(
      await adjust(a, randomUUID(), { points: 50, reason: 'ghost' }, 'x-2'),
      404,
      'member_not_found',
    );
    expect(await entryCount(a.brandId)).toBe(before);
    expect(await entryCount(b.brandId)).toBe(0);
    // Brand B's member sees only their own (empty) ledger.
    const mine = await api.http().get('/v1/me/points/ledger').set('authorization', asMember(b));
    expect(mine.body).toEqual({ items: [], nextCursor: null });
  });

  it('history is newest first and cursor-paginated; staff see actors', async () => {
    const m = await registerMember(api, a.slug);
    for (let i = 1; i <= 5; i += 1) {
      await ledger.earn(a.brandId, m.id, {
        points: i * 10,
        reason: `survey ${i}`,
        source: 'rule',
        sourceId: `survey-${i}`,
        actor: { type: 'system' },
        dedupeKey: `e2e:survey:${m.id}:${i}`,
      });
    }
    const seen: EntryBody[] = [];
    let cursor: string | null = null;
    do {
      const res = await api
        .http()
        .get(`/v1/members/${m.id}/points/ledger`)
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set('authorization', owner(a));
      expect(res.status).toBe(200);
      const page = res.body as { items: EntryBody[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.reason)).toEqual([
      'survey 5',
      'survey 4',
      'survey 3',
      'survey 2',
      'survey 1',
    ]);
    expect(seen[0]).toMatchObject({
      kind: 'earn',
      amount: 50,
      source: 'rule',
      sourceId: 'survey-5',
      ruleId: null,
      actorType: 'system',
    });
    const summary = await api
      .http()
      .get(`/v1/members/${m.id}/points`)
      .set('authorization', owner(a));
    expect(summary.body).toMatchObject({ balance: 150, lifetimeEarned: 150 });
  });

  it('programme: defaults, owner update (validated), pending purchase points and lots', async () => {
    const get = await api.http().get('/v1/loyalty/program').set('authorization', owner(b));
    expect(get.status).toBe(200);
    expect(get.body).toEqual({
      currency: 'USD',
      expiryMode: 'rolling',
      expiryMonths: 12,
      clawbackPolicy: 'debt',
      pendingDays: 0,
      expiryWarningDays: 30,
      pointValueMicros: 100,
      updatedAt: null,
    });
    expectErrorBody(
      await api
        .http()
        .put('/v1/loyalty/program')
        .set('authorization', owner(b))
        .send({ expiryMode: 'weekly' }),
      400,
      'validation_failed',
    );
    const put = await api
      .http()
      .put('/v1/loyalty/program')
      .set('authorization', owner(b))
      .send({ expiryMode: 'end_of_month', pendingDays: 7, pointValueMicros: 50 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      expiryMode: 'end_of_month',
      pendingDays: 7,
      expiryMonths: 12,
    });
    expect(await api.app.get(LoyaltyProgramService).get(b.brandId)).toMatchObject({
      pendingDays: 7,
    });

    const earnedAt = new Date();
    await ledger.earn(b.brandId, b.member.id, {
      points: 400,
      reason: 'purchase',
      source: 'order',
      sourceId: 'order-1',
      actor: { type: 'storefront' },
      dedupeKey: 'e2e:order-1',
      earnedAt,
    });
    const me = await api.http().get('/v1/me/points').set('authorization', asMember(b));
    const expiresAt = LotMath.computeExpiry(earnedAt, 'end_of_month', 12)!.toISOString();
    expect(me.body).toEqual({
      balance: 0,
      pending: 400,
      debt: 0,
      lifetimeEarned: 400,
      nextExpiry: { points: 400, expiresAt },
    });
    const lots = await api.http().get('/v1/me/points/lots').set('authorization', asMember(b));
    expect(lots.body).toEqual({
      items: [
        {
          id: expect.any(String),
          points: 400,
          remaining: 400,
          earnedAt: earnedAt.toISOString(),
          availableAt: new Date(earnedAt.getTime() + 7 * 86_400_000).toISOString(),
          pending: true,
          expiresAt,
        },
      ],
    });
    await healthy(b.brandId);
  });

  it('liability by expiry month and by tier with estimated cost', async () => {
    const t = await seedTenant(api, 'ledger-liab');
    const m2 = await registerMember(api, t.slug);
    const earn = (memberId: string, points: number, earnedAt: string, key: string) =>
      ledger.earn(t.brandId, memberId, {
        points,
        reason: 'purchase',
        source: 'rule',
        actor: { type: 'system' },
        dedupeKey: key,
        earnedAt: new Date(earnedAt),
      });
    const year = new Date().getUTCFullYear();
    await earn(t.member.id, 100, `${year}-06-10T00:00:00Z`, 'l1');
    await earn(t.member.id, 50, `${year}-06-20T00:00:00Z`, 'l2');
    await earn(m2.id, 30, `${year}-07-01T00:00:00Z`, 'l3');
    // Past its expiry (not yet swept): no longer owed.
    await earn(m2.id, 999, LotMath.addMonthsUtc(new Date(), -13).toISOString(), 'l5');
    await ledger.spend(t.brandId, t.member.id, {
      points: 20,
      reason: 'reward',
      source: 'redemption',
      actor: { type: 'system' },
      dedupeKey: 'l4',
    });
    const res = await api.http().get('/v1/loyalty/liability').set('authorization', owner(t));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      currency: 'USD',
      pointValueMicros: 100,
      totals: { available: 160, pending: 0, debt: 0, estimatedCostMinor: 2 },
      byExpiryMonth: [
        { bucket: `${year + 1}-06`, available: 130, pending: 0, lots: 2, estimatedCostMinor: 1 },
        { bucket: `${year + 1}-07`, available: 30, pending: 0, lots: 1, estimatedCostMinor: 0 },
      ],
      byTier: [{ bucket: 'none', available: 160, pending: 0, lots: 3 }],
    });
    // A marketer may read it too; another brand sees only its own numbers.
    const tMarketer = await createStaff(api, t.slug, t.owner.accessToken, 'marketer');
    const asMarketer = await api
      .http()
      .get('/v1/loyalty/liability')
      .set('authorization', bearer(tMarketer.tokens.accessToken));
    expect((asMarketer.body as { totals: { available: number } }).totals.available).toBe(160);
    const other = await api.http().get('/v1/loyalty/liability').set('authorization', owner(b));
    expect((other.body as { totals: { pending: number } }).totals.pending).toBe(400);
    await healthy(t.brandId);
  });
  it('lists the points routes in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    const paths = (doc.body as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/me/points',
        '/v1/me/points/ledger',
        '/v1/me/points/lots',
        '/v1/members/{id}/points',
        '/v1/members/{id}/points/ledger',
        '/v1/members/{id}/points/lots',
        '/v1/members/{id}/points/adjustments',
        '/v1/loyalty/program',
        '/v1/loyalty/liability',
      ]),
    );
    expect(Object.keys(paths['/v1/loyalty/program']).sort()).toEqual(['get', 'put']);
  });
});
