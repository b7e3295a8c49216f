import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { DatabaseClient, type Executor, statement } from '@app/db';
import { PURCHASE_BOOSTS, type PurchaseBoost, type PurchaseBoosts } from '@app/loyalty';

const SQL = {
  /**
   * For each (member, time): the strongest multiplier offer of a treatment arm whose window
   * [issued_at, issued_at + days) contains the time. A used offer (redeemed) keeps applying
   * until its window ends.
   */
  active: statement(
    'offers_active_multipliers',
    `select distinct on (r.i) r.i, o.id as offer_id,
            (c.reward->>'multiplierBp')::int as multiplier_bp
       from unnest($2::uuid[], $3::timestamptz[]) with ordinality as r(member_id, at, i)
       join offers o on o.brand_id = $1 and o.member_id = r.member_id and o.arm = 'treatment'
                    and o.status in ('issued', 'delivered', 'opened', 'redeemed')
                    and o.issued_at <= r.at
       join campaigns c on c.brand_id = o.brand_id and c.id = o.campaign_id
                       and c.reward->>'type' = 'multiplier'
      where r.at < o.issued_at + (c.reward->>'days')::int * interval '1 day'
      order by r.i, (c.reward->>'multiplierBp')::int desc, o.issued_at`,
  ),
  /** The bonus points count as the offer's (and its campaign's) cost; first use redeems it. */
  record: statement(
    'offers_record_boost',
    `with v as (
       select offer_id, sum(points)::int as points
         from unnest($2::uuid[], $3::int[]) as u(offer_id, points) group by offer_id
     ), o as (
       update offers o
          set points = o.points + v.points,
              status = 'redeemed',
              redeemed_at = coalesce(o.redeemed_at, now())
         from v
        where o.brand_id = $1 and o.id = v.offer_id
       returning o.campaign_id, v.points
     )
     update campaigns c set spent_points = c.spent_points + s.points
       from (select campaign_id, sum(points) as points from o group by campaign_id) s
      where c.brand_id = $1 and c.id = s.campaign_id`,
  ),
};

const OFFER_SOURCE = 'offer:';

/**
 * Points-multiplier rewards of campaigns, applied by order ingestion: an order placed inside a
 * treatment offer's window earns its points × the multiplier; the bonus is recorded on the offer
 * (campaign cost and funnel) in the order's transaction.
 */
@Injectable()
export class OfferPurchaseBoosts implements PurchaseBoosts {
  constructor(@Inject(DatabaseClient) private readonly db: DatabaseClient) {}

  async activeFor(
    brandId: string,
    purchases: { memberId: string; at: Date }[],
    tx: Executor,
  ): Promise<(PurchaseBoost | null)[]> {
    const rows = await this.db.run<{ i: string; offer_id: string; multiplier_bp: number }>(
      SQL.active,
      [brandId, purchases.map((p) => p.memberId), purchases.map((p) => p.at)],
      tx,
    );
    const byIndex = new Map(rows.map((r) => [Number(r.i) - 1, r]));
    return purchases.map((_, i) => {
      const row = byIndex.get(i);
      return row
        ? { multiplierBp: row.multiplier_bp, source: `${OFFER_SOURCE}${row.offer_id}` }
        : null;
    });
  }

  async recordAwarded(
    brandId: string,
    awards: { source: string; points: number }[],
    tx: Executor,
  ): Promise<void> {
    const mine = awards.filter((a) => a.source.startsWith(OFFER_SOURCE) && a.points > 0);
    if (!mine.length) return;
    await this.db.run(
      SQL.record,
      [brandId, mine.map((a) => a.source.slice(OFFER_SOURCE.length)), mine.map((a) => a.points)],
      tx,
    );
  }
}

/** Global so that the loyalty OrdersService (which injects PURCHASE_BOOSTS optionally) sees it. */
@Global()
@Module({
  providers: [{ provide: PURCHASE_BOOSTS, useClass: OfferPurchaseBoosts }],
  exports: [PURCHASE_BOOSTS],
})
export class OfferPurchaseBoostsModule {}
