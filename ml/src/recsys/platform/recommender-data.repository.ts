import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DatabaseClient, type Executor, members, products, statement } from '@app/db';
import { INTERACTION_WEIGHTS, type Interaction } from '../core/interactions';

export interface InteractionRow extends Interaction {
  category: string | null;
}

export interface ProductInfo {
  id: string;
  name: string;
  category: string | null;
  inStock: boolean;
}

/**
 * Implicit feedback of a brand: purchased order lines (not fully refunded), published reviews,
 * likes on posts that tag products. `$2` narrows to one member (null: every member).
 */
const INTERACTIONS_SQL = `
  select o.member_id as user, l.product_id as item, l.category,
         (extract(epoch from o.placed_at) * 1000)::float8 as at, ${INTERACTION_WEIGHTS.purchase}::float8 as weight
    from orders o
    join order_lines l on l.brand_id = o.brand_id and l.order_id = o.id
   where o.brand_id = $1 and ($2::uuid is null or o.member_id = $2)
     and o.status <> 'refunded' and l.quantity > l.refunded_quantity
  union all
  select r.member_id, r.product_id, null, (extract(epoch from r.created_at) * 1000)::float8,
         ${INTERACTION_WEIGHTS.review}::float8
    from reviews r
   where r.brand_id = $1 and ($2::uuid is null or r.member_id = $2) and r.status = 'published'
  union all
  select x.member_id, t.product_id, null, (extract(epoch from x.created_at) * 1000)::float8,
         ${INTERACTION_WEIGHTS.like}::float8
    from reactions x
    join posts p on p.brand_id = x.brand_id and p.id = x.target_id
    cross join lateral jsonb_array_elements_text(p.product_ids) as t(product_id)
   where x.brand_id = $1 and ($2::uuid is null or x.member_id = $2) and x.target_type = 'post'
     and p.status = 'published'`;

const MEMBER_INTERACTIONS = statement('recsys_member_interactions', INTERACTIONS_SQL);

interface RawRow {
  user: string;
  item: string;
  category: string | null;
  at: number;
  weight: number;
}

const toInteraction = (r: RawRow): InteractionRow => ({
  user: r.user,
  item: r.item,
  category: r.category,
  at: Number(r.at),
  weight: Number(r.weight),
});

/** Out of stock when the storefront says so in the product attributes (`inStock: false` or `stock <= 0`). */
const OUT_OF_STOCK = sql`(${products.attributes} @> '{"inStock": false}'::jsonb
  or (jsonb_typeof(${products.attributes}->'stock') = 'number' and (${products.attributes}->>'stock')::numeric <= 0))`;

@Injectable()
export class RecommenderDataRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Every interaction of the brand (training). */
  async interactions(brandId: string, tx?: Executor): Promise<InteractionRow[]> {
    const rows = await this.client.run<RawRow>(MEMBER_INTERACTIONS, [brandId, null], tx);
    return rows.map(toInteraction);
  }

  /** One member's interactions (fold-in and serving), on the member's order index. */
  async memberInteractions(
    brandId: string,
    memberId: string,
    tx?: Executor,
  ): Promise<InteractionRow[]> {
    const rows = await this.client.run<RawRow>(MEMBER_INTERACTIONS, [brandId, memberId], tx);
    return rows.map(toInteraction);
  }

  async memberExists(brandId: string, memberId: string, tx?: Executor): Promise<boolean> {
    const rows = await (tx ?? this.client.db)
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, memberId)))
      .limit(1);
    return rows.length > 0;
  }

  async products(brandId: string, ids: readonly string[], tx?: Executor): Promise<ProductInfo[]> {
    if (!ids.length) return [];
    return (tx ?? this.client.db)
      .select({
        id: products.id,
        name: products.name,
        category: products.category,
        inStock: sql<boolean>`not ${OUT_OF_STOCK}`,
      })
      .from(products)
      .where(and(eq(products.brandId, brandId), inArray(products.id, [...ids])));
  }

  async outOfStockProductIds(brandId: string, tx?: Executor): Promise<string[]> {
    const rows = await (tx ?? this.client.db)
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.brandId, brandId), OUT_OF_STOCK));
    return rows.map((r) => r.id);
  }

  async brandsWithOrders(tx?: Executor): Promise<string[]> {
    const { rows } = await ((tx ?? this.client.db).execute(
      sql`select b.id from brands b where exists (select 1 from orders o where o.brand_id = b.id)`,
    ) as Promise<{ rows: { id: string }[] }>);
    return rows.map((r) => r.id);
  }

  /** Whether the brand ever sold or listed the product (similar-items 404 otherwise). */
  async productKnown(brandId: string, productId: string, tx?: Executor): Promise<boolean> {
    const { rows } = await ((tx ?? this.client.db).execute(sql`
      select 1 from products where brand_id = ${brandId} and id = ${productId}
      union all
      select 1 from order_lines where brand_id = ${brandId} and product_id = ${productId}
      limit 1`) as Promise<{ rows: unknown[] }>);
    return rows.length > 0;
  }
}
