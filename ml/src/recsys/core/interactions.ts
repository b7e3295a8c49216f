/** One implicit-feedback event: who touched what, when, how strongly. */
export interface Interaction {
  user: string;
  item: string;
  /** Epoch milliseconds. */
  at: number;
  /** Event weight (see INTERACTION_WEIGHTS); 1 for a purchase. */
  weight: number;
}

/**
 * How much each kind of event says about a member's taste, relative to a purchase. A purchase is
 * the strongest implicit signal; a review means they bought and cared enough to write; a like on a
 * post tagging a product and a product view are weaker hints.
 */
export const INTERACTION_WEIGHTS = {
  purchase: 1,
  review: 0.6,
  like: 0.3,
  view: 0.1,
} as const;
export type InteractionKind = keyof typeof INTERACTION_WEIGHTS;

export const DAY_MS = 86_400_000;

export interface AggregateOptions {
  /** Recency decay is measured back from this instant (epoch ms); default: the last event. */
  asOf?: number;
  /** An event this old counts half; 0 or Infinity disables the decay. */
  halfLifeDays: number;
  /** Fixed item vocabulary (a model's items); events on other items are dropped. */
  items?: readonly string[];
  /** Fixed user vocabulary; events of other users are dropped. */
  users?: readonly string[];
}

/**
 * The user × item matrix in CSR form, one stored entry per (user, item) with every repeat
 * counted: `values` is the recency-decayed sum of event weights, `counts` the raw number of
 * purchase-weight events, `firstAt`/`lastAt` the first and last event (re-buy intervals).
 */
export interface InteractionMatrix {
  users: string[];
  items: string[];
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  counts: Float32Array;
  firstAt: Float64Array;
  lastAt: Float64Array;
  asOf: number;
}

export function decayFactor(ageMs: number, halfLifeDays: number): number {
  if (!Number.isFinite(halfLifeDays) || halfLifeDays <= 0) return 1;
  return Math.pow(0.5, Math.max(0, ageMs) / (halfLifeDays * DAY_MS));
}

function indexOf(values: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  values.forEach((value, i) => index.set(value, i));
  return index;
}

/** Builds the matrix; users and items are indexed in order of first appearance unless fixed. */
interface Cell {
  v: number;
  n: number;
  first: number;
  last: number;
}

export function aggregateInteractions(
  interactions: readonly Interaction[],
  options: AggregateOptions,
): InteractionMatrix {
  let asOf = options.asOf ?? -Infinity;
  if (options.asOf === undefined) for (const e of interactions) if (e.at > asOf) asOf = e.at;
  if (!Number.isFinite(asOf)) asOf = 0;

  const users = options.users ? [...options.users] : [];
  const items = options.items ? [...options.items] : [];
  const userIndex = indexOf(users);
  const itemIndex = indexOf(items);
  const rows = new Map<number, Map<number, Cell>>();

  for (const e of interactions) {
    let u = userIndex.get(e.user);
    if (u === undefined) {
      if (options.users) continue;
      u = users.push(e.user) - 1;
      userIndex.set(e.user, u);
    }
    let i = itemIndex.get(e.item);
    if (i === undefined) {
      if (options.items) continue;
      i = items.push(e.item) - 1;
      itemIndex.set(e.item, i);
    }
    let row = rows.get(u);
    if (!row) rows.set(u, (row = new Map<number, Cell>()));
    const w = e.weight * decayFactor(asOf - e.at, options.halfLifeDays);
    const cell = row.get(i);
    const counted = e.weight >= INTERACTION_WEIGHTS.purchase ? 1 : 0;
    if (cell) {
      cell.v += w;
      cell.n += counted;
      cell.first = Math.min(cell.first, e.at);
      cell.last = Math.max(cell.last, e.at);
    } else row.set(i, { v: w, n: counted, first: e.at, last: e.at });
  }

  let nnz = 0;
  for (const row of rows.values()) nnz += row.size;
  const indptr = new Int32Array(users.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const counts = new Float32Array(nnz);
  const firstAt = new Float64Array(nnz);
  const lastAt = new Float64Array(nnz);
  let p = 0;
  for (let u = 0; u < users.length; u++) {
    indptr[u] = p;
    const row = rows.get(u);
    if (row) {
      for (const i of [...row.keys()].sort((a, b) => a - b)) {
        const cell = row.get(i)!;
        indices[p] = i;
        values[p] = cell.v;
        counts[p] = cell.n;
        firstAt[p] = cell.first;
        lastAt[p] = cell.last;
        p++;
      }
    }
  }
  indptr[users.length] = p;
  return {
    users,
    items,
    userIndex,
    itemIndex,
    indptr,
    indices,
    values,
    counts,
    firstAt,
    lastAt,
    asOf,
  };
}

/** The item × user transpose (CSC of the matrix), for the item half of ALS. */
export function transpose(m: InteractionMatrix): {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
} {
  const nItems = m.items.length;
  const indptr = new Int32Array(nItems + 1);
  for (let p = 0; p < m.indices.length; p++) indptr[m.indices[p] + 1]++;
  for (let i = 0; i < nItems; i++) indptr[i + 1] += indptr[i];
  const next = indptr.slice(0, nItems);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let u = 0; u < m.users.length; u++) {
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      const dest = next[m.indices[p]]++;
      indices[dest] = u;
      values[dest] = m.values[p];
    }
  }
  return { indptr, indices, values };
}
