import { writeFileSync } from 'node:fs';
import { loadDemoDataset, readCsvFile } from '@app/demo';
import { INTERACTION_WEIGHTS, type Interaction } from './interactions';

export interface InteractionDataset {
  name: string;
  interactions: Interaction[];
  /** Item → category, when the source knows it. */
  categories: Map<string, string | null>;
}

function parseTime(text: string, line: number): number {
  const numeric = Number(text);
  // Bare numbers are epoch seconds (or milliseconds when that large); anything else ISO 8601.
  const at =
    text.trim() && Number.isFinite(numeric)
      ? numeric < 1e11
        ? numeric * 1000
        : numeric
      : Date.parse(text);
  if (!Number.isFinite(at)) throw new Error(`line ${line}: bad timestamp ${JSON.stringify(text)}`);
  return at;
}

/**
 * Any CSV with a header `user,item,timestamp[,weight]` (plain or .gz; extra columns ignored;
 * `category` used when present). Timestamps are ISO 8601 or epoch seconds/milliseconds.
 */
export function readInteractionsCsv(path: string): InteractionDataset {
  const rows = readCsvFile<'user' | 'item' | 'timestamp' | 'weight' | 'category'>(path);
  const interactions: Interaction[] = [];
  const categories = new Map<string, string | null>();
  rows.forEach((row, i) => {
    if (row.user === undefined || row.item === undefined || row.timestamp === undefined)
      throw new Error(`${path}: the header must name user,item,timestamp[,weight]`);
    const weight =
      row.weight === undefined || row.weight === ''
        ? INTERACTION_WEIGHTS.purchase
        : Number(row.weight);
    if (!Number.isFinite(weight) || weight <= 0)
      throw new Error(`line ${i + 2}: bad weight ${JSON.stringify(row.weight)}`);
    interactions.push({
      user: row.user,
      item: row.item,
      at: parseTime(row.timestamp, i + 2),
      weight,
    });
    if (row.category !== undefined) categories.set(row.item, row.category || null);
  });
  return { name: path, interactions, categories };
}

/** The Complete Journey sample (libs/demo): one purchase per basket line, categories from products. */
export function completeJourneyInteractions(): InteractionDataset {
  const data = loadDemoDataset();
  const interactions: Interaction[] = [];
  for (const order of data.orders)
    for (const line of order.lines)
      interactions.push({
        user: order.householdId,
        item: line.productId,
        at: order.placedAt.getTime(),
        weight: INTERACTION_WEIGHTS.purchase,
      });
  const categories = new Map(data.products.map((p) => [p.id, p.category]));
  return { name: 'completejourney (libs/demo sample)', interactions, categories };
}

/** Writes the `user,item,timestamp,weight,category` CSV the CLI reads (the converter). */
export function writeInteractionsCsv(path: string, dataset: InteractionDataset): void {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['user,item,timestamp,weight,category'];
  for (const e of dataset.interactions)
    lines.push(
      [
        e.user,
        e.item,
        new Date(e.at).toISOString(),
        String(e.weight),
        dataset.categories.get(e.item) ?? '',
      ]
        .map(quote)
        .join(','),
    );
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Synthetic interactions with latent structure (for benchmarks): users prefer a few item clusters. */
export function syntheticInteractions(
  users: number,
  items: number,
  total: number,
  seed = 1,
): InteractionDataset {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const clusters = 50;
  const perCluster = Math.ceil(items / clusters);
  const interactions: Interaction[] = [];
  const start = Date.UTC(2024, 0, 1);
  const perUser = Math.max(1, Math.round(total / users));
  for (let u = 0; u < users; u++) {
    const favourites = [
      Math.floor(random() * clusters),
      Math.floor(random() * clusters),
      Math.floor(random() * clusters),
    ];
    for (let e = 0; e < perUser; e++) {
      const cluster =
        random() < 0.8 ? favourites[Math.floor(random() * 3)] : Math.floor(random() * clusters);
      // Zipf-ish popularity inside a cluster.
      const within = Math.floor(perCluster * random() ** 3);
      const item = Math.min(items - 1, cluster * perCluster + within);
      interactions.push({
        user: `u${u}`,
        item: `i${item}`,
        at: start + Math.floor(random() * 365) * 86_400_000,
        weight: 1,
      });
    }
  }
  const categories = new Map<string, string | null>();
  for (let i = 0; i < items; i++) categories.set(`i${i}`, `c${Math.floor(i / perCluster)}`);
  return { name: `synthetic ${users}×${items}`, interactions, categories };
}
