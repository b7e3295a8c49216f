import { assignArm } from '@app/offers';
import { type ApiHarness, bootApi, seedTenant } from '../support/factories';
import { mulberry32 } from '../support/marketing-factories';

type Interval = { estimate: number; low: number; high: number };
type Results = {
  treatment: { members: number; units: number; converted: number };
  holdout: { members: number; units: number; converted: number };
  uplift: Interval & { pValue: number };
  incrementalRevenueMinor: Interval;
  incrementalConversions: Interval;
};

const MEMBERS = 5000;
const ORDER_MINOR = 5000;
const SEED = 'simulation-seed';

/**
 * Simulation: a synthetic brand whose treated members buy with a known, higher probability than
 * the holdout (seeded PRNG, deterministic member ids and campaign seed, so the run is
 * reproducible). The results endpoint must recover the true uplift inside its 95 % interval, and
 * with no real effect its interval must include zero.
 */
describe('campaign results recover a known uplift (simulation, e2e)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await bootApi();
  });

  afterAll(() => api?.close());

  async function simulate(prefix: string, pTreatment: number, pHoldout: number): Promise<Results> {
    const tenant = await seedTenant(api, prefix);
    const auth = { authorization: `Bearer ${tenant.owner.accessToken}` };
    const created = await api
      .http()
      .post('/v1/campaigns')
      .set(auth)
      .send({
        name: `Simulated ${prefix}`,
        trigger: { type: 'purchase_window' },
        reward: { type: 'points', points: 100 },
        caps: { budgetPoints: 10_000_000 },
        holdoutBp: 5000,
        attributionDays: 14,
      })
      .expect(201);
    const campaignId = (created.body as { id: string }).id;
    const pool = api.db.pool;
    await pool.query('update campaigns set seed = $2 where id = $1', [campaignId, SEED]);
    const { rows } = await pool.query<{ id: string }>(
      `insert into members (brand_id, id, referral_code, created_at)
       select $1, md5($2 || g)::uuid, 'SIM' || substr(md5($2 || g), 1, 12), now() - interval '90 days'
         from generate_series(1, $3) g
       returning id`,
      [tenant.brandId, prefix, MEMBERS],
    );
    const ids = rows.map((r) => r.id).sort();
    const random = mulberry32(20261125);
    const issuedAt = new Date(Date.now() - 30 * 86_400_000);
    const arms = ids.map((id) => assignArm(SEED, id, 5000));
    await pool.query(
      `insert into offers (brand_id, campaign_id, member_id, occurrence_key, arm, status, issued_at, points)
       select $1, $2, m, 'sim:' || m, a::campaign_arm,
              (case when a = 'holdout' then 'held_out' else 'delivered' end)::offer_status, $3,
              case when a = 'holdout' then 0 else 100 end
         from unnest($4::uuid[], $5::text[]) as v(m, a)`,
      [tenant.brandId, campaignId, issuedAt, ids, arms],
    );
    const buyers = ids.filter(
      (_, i) => random() < (arms[i] === 'treatment' ? pTreatment : pHoldout),
    );
    await pool.query(
      `insert into orders (brand_id, external_id, member_id, currency, paid_total_minor, channel, placed_at)
       select $1, 'sim-' || m, m, 'USD', $2, 'online', $3::timestamptz + interval '3 days'
         from unnest($4::uuid[]) m`,
      [tenant.brandId, ORDER_MINOR, issuedAt, buyers],
    );
    const res = await api.http().get(`/v1/campaigns/${campaignId}/results`).set(auth).expect(200);
    return res.body as Results;
  }

  it('a 10-point effect is inside the interval, which excludes zero', async () => {
    const r = await simulate('sim-effect', 0.3, 0.2);
    expect(r.treatment.units + r.holdout.units).toBe(MEMBERS);
    expect(r.treatment.members).toBe(r.treatment.units);
    expect(r.uplift.low).toBeLessThanOrEqual(0.1);
    expect(r.uplift.high).toBeGreaterThanOrEqual(0.1);
    expect(r.uplift.low).toBeGreaterThan(0);
    expect(r.uplift.pValue).toBeLessThan(0.001);
    const trueRevenue = 0.1 * ORDER_MINOR * r.treatment.units;
    expect(r.incrementalRevenueMinor.low).toBeLessThanOrEqual(trueRevenue);
    expect(r.incrementalRevenueMinor.high).toBeGreaterThanOrEqual(trueRevenue);
    expect(r.incrementalConversions.estimate).toBeCloseTo(r.uplift.estimate * r.treatment.units, 6);
  });

  it('with no real effect the interval includes zero', async () => {
    const r = await simulate('sim-null', 0.2, 0.2);
    expect(r.uplift.low).toBeLessThanOrEqual(0);
    expect(r.uplift.high).toBeGreaterThanOrEqual(0);
    expect(r.incrementalRevenueMinor.low).toBeLessThanOrEqual(0);
    expect(r.incrementalRevenueMinor.high).toBeGreaterThanOrEqual(0);
  });
});
