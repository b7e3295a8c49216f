import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readCsvFile } from './csv';
import { decimalToMinor } from './money';

/**
 * Data files are not copied to dist by the build, so they are found from the source tree: walk up
 * from this file to the folder holding package.json (works from libs/demo/src and from dist/…).
 */
export function completeJourneyDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'libs/demo/data/completejourney');
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no package.json above ${from}: cannot locate libs/demo/data`);
    dir = parent;
  }
}

type TransactionColumn =
  | 'household_id'
  | 'store_id'
  | 'basket_id'
  | 'product_id'
  | 'quantity'
  | 'sales_value'
  | 'retail_disc'
  | 'coupon_disc'
  | 'coupon_match_disc'
  | 'week'
  | 'transaction_timestamp';

type ProductColumn =
  | 'product_id'
  | 'manufacturer_id'
  | 'department'
  | 'brand'
  | 'product_category'
  | 'product_type'
  | 'package_size';

export interface DemoProduct {
  id: string;
  name: string;
  category: string | null;
  department: string | null;
  manufacturer: string | null;
  attributes: Record<string, unknown>;
}

export interface DemoOrderLine {
  lineNo: number;
  productId: string;
  category: string | null;
  quantity: number;
  unitPriceMinor: number;
  paidMinor: number;
}

export interface DemoOrder {
  /** The basket id. */
  externalId: string;
  householdId: string;
  storeId: string;
  placedAt: Date;
  paidTotalMinor: number;
  lines: DemoOrderLine[];
}

export interface DemoHousehold {
  householdId: string;
  firstOrderAt: Date;
  orderCount: number;
}

/** The Complete Journey sample mapped to the platform's shapes, money in integer cents. */
export interface DemoDataset {
  currency: 'USD';
  households: DemoHousehold[];
  products: DemoProduct[];
  orders: DemoOrder[];
  lineCount: number;
}

const DIGITS = /^\d+$/;

/** Orders digit-only ids as numbers ("9" < "10", any length) and anything else as text. */
export function compareIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Trims and collapses runs of spaces (sizes read `A D   1 DZ`); empty becomes null. */
const blank = (value: string | undefined): string | null =>
  value?.trim().replace(/\s+/g, ' ') || null;

/** "ICE - CRUSHED/CUBED" → "Ice - Crushed/Cubed". */
function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s/(-])([a-z])/g, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

function toProduct(row: Record<ProductColumn, string>): DemoProduct {
  const type = blank(row.product_type);
  const category = blank(row.product_category);
  const department = blank(row.department);
  const size = blank(row.package_size);
  const base = type ?? category ?? department;
  const name = base ? titleCase(base) + (size ? ` (${size})` : '') : `Product ${row.product_id}`;
  return {
    id: row.product_id,
    name,
    category,
    department,
    manufacturer: blank(row.manufacturer_id),
    attributes: {
      source: 'completejourney',
      ...(blank(row.brand) ? { brandType: blank(row.brand) } : {}),
      ...(type ? { productType: type } : {}),
      ...(size ? { packageSize: size } : {}),
    },
  };
}

function integer(text: string, what: () => string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what()} is not an integer: ${JSON.stringify(text)}`);
  return value;
}

/**
 * Reads the compressed CSVs and builds the demo dataset: one order per basket (lines in product
 * order), paid = sales_value (what the retailer received, after the loyalty discount), unit
 * price = shelf price (sales_value + retail_disc + coupon_match_disc) / quantity.
 */
export function loadDemoDataset(dir: string = completeJourneyDir()): DemoDataset {
  const transactions = readCsvFile<TransactionColumn>(join(dir, 'transactions_sample.csv.gz'));
  const productRows = readCsvFile<ProductColumn>(join(dir, 'products.csv.gz'));

  const products = new Map<string, DemoProduct>();
  for (const row of productRows) products.set(row.product_id, toProduct(row));

  const baskets = new Map<string, Record<TransactionColumn, string>[]>();
  for (const row of transactions) {
    // A few products of the sample are missing from the upstream products table.
    if (!products.has(row.product_id)) {
      products.set(row.product_id, {
        id: row.product_id,
        name: `Product ${row.product_id}`,
        category: null,
        department: null,
        manufacturer: null,
        attributes: { source: 'completejourney', placeholder: true },
      });
    }
    const lines = baskets.get(row.basket_id);
    if (lines) lines.push(row);
    else baskets.set(row.basket_id, [row]);
  }

  const orders: DemoOrder[] = [];
  let lineCount = 0;
  for (const [basketId, rows] of baskets) {
    rows.sort((a, b) => compareIds(a.product_id, b.product_id));
    const first = rows[0];
    const lines = rows.map((row, index): DemoOrderLine => {
      if (
        row.household_id !== first.household_id ||
        row.transaction_timestamp !== first.transaction_timestamp
      ) {
        throw new Error(`basket ${basketId} mixes households or timestamps`);
      }
      const quantity = integer(row.quantity, () => `quantity of basket ${basketId}`);
      const paidMinor = decimalToMinor(row.sales_value);
      const shelfMinor =
        paidMinor + decimalToMinor(row.retail_disc) + decimalToMinor(row.coupon_match_disc);
      return {
        lineNo: index + 1,
        productId: row.product_id,
        category: products.get(row.product_id)?.category ?? null,
        quantity,
        unitPriceMinor: quantity > 0 ? Math.round(shelfMinor / quantity) : shelfMinor,
        paidMinor,
      };
    });
    lineCount += lines.length;
    const placedAt = new Date(first.transaction_timestamp);
    if (Number.isNaN(placedAt.getTime())) throw new Error(`basket ${basketId} has a bad timestamp`);
    orders.push({
      externalId: basketId,
      householdId: first.household_id,
      storeId: first.store_id,
      placedAt,
      paidTotalMinor: lines.reduce((sum, line) => sum + line.paidMinor, 0),
      lines,
    });
  }
  orders.sort(
    (a, b) => a.placedAt.getTime() - b.placedAt.getTime() || compareIds(a.externalId, b.externalId),
  );

  const households = new Map<string, DemoHousehold>();
  for (const order of orders) {
    const known = households.get(order.householdId);
    if (known) known.orderCount += 1;
    else
      households.set(order.householdId, {
        householdId: order.householdId,
        firstOrderAt: order.placedAt,
        orderCount: 1,
      });
  }

  return {
    currency: 'USD',
    households: [...households.values()].sort((a, b) => compareIds(a.householdId, b.householdId)),
    products: [...products.values()].sort((a, b) => compareIds(a.id, b.id)),
    orders,
    lineCount,
  };
}
