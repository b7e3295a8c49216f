/**
 * Sets of a brand's members as bitmaps over their dense numbers (`analytics_members.idx`, bit
 * idx % 8 of byte idx / 8): the distinct members of a window are the OR of its days' bitmaps, so
 * distinct counts over any set of days stay exact. Members not numbered yet (signed up since the
 * last rollup run) are kept by id.
 */
export class MemberSet {
  private bits = new Uint8Array(0);
  private readonly unnumbered = new Set<string>();

  /** Builds a day's bitmap from member numbers. */
  static encode(idxs: readonly number[]): Buffer {
    let max = -1;
    for (const idx of idxs) if (idx > max) max = idx;
    const bytes = Buffer.alloc((max >> 3) + 1);
    for (const idx of idxs) bytes[idx >> 3] |= 1 << (idx & 7);
    return bytes;
  }

  private grow(length: number): void {
    if (length <= this.bits.length) return;
    const bigger = new Uint8Array(length);
    bigger.set(this.bits);
    this.bits = bigger;
  }

  has(member: { idx: number | null; memberId: string }): boolean {
    if (member.idx === null) return this.unnumbered.has(member.memberId);
    return ((this.bits[member.idx >> 3] ?? 0) & (1 << (member.idx & 7))) !== 0;
  }

  add(member: { idx: number | null; memberId: string }): void {
    if (member.idx === null) {
      this.unnumbered.add(member.memberId);
      return;
    }
    this.grow((member.idx >> 3) + 1);
    this.bits[member.idx >> 3] |= 1 << (member.idx & 7);
  }

  /** this |= bitmap. */
  or(bitmap: Uint8Array): void {
    this.grow(bitmap.length);
    for (let i = 0; i < bitmap.length; i += 1) this.bits[i] |= bitmap[i];
  }

  /** this |= seen & bitmap: members of `bitmap` already in `seen`. */
  orAnd(seen: MemberSet, bitmap: Uint8Array): void {
    const n = Math.min(seen.bits.length, bitmap.length);
    this.grow(n);
    for (let i = 0; i < n; i += 1) this.bits[i] |= seen.bits[i] & bitmap[i];
  }

  /** The bitmap of the numbered members. */
  toBuffer(): Buffer {
    let end = this.bits.length;
    while (end > 0 && this.bits[end - 1] === 0) end -= 1;
    return Buffer.from(this.bits.subarray(0, end));
  }

  get size(): number {
    let count = this.unnumbered.size;
    for (const byte of this.bits) count += POPCOUNT[byte];
    return count;
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, byte) => {
  let count = 0;
  for (let b = byte; b; b >>= 1) count += b & 1;
  return count;
});

/**
 * Customers (≥ 1 order) and repeat customers (≥ 2 orders) over a window, fed day by day from
 * rollups and member by member from live slices.
 */
export class CustomerCounter {
  readonly customers = new MemberSet();
  readonly repeaters = new MemberSet();

  /** One day: members with ≥ 1 order that day, and those with ≥ 2. */
  addDay(customers: Uint8Array, repeaters: Uint8Array | undefined): void {
    this.repeaters.orAnd(this.customers, customers);
    if (repeaters) this.repeaters.or(repeaters);
    this.customers.or(customers);
  }

  /** One member's orders in a live slice (counted once per slice). */
  addMember(member: { idx: number | null; memberId: string }, orders: number): void {
    if (orders <= 0) return;
    if (orders >= 2 || this.customers.has(member)) this.repeaters.add(member);
    this.customers.add(member);
  }
}

/** A stored bitmap of a period (a day, or a month for `month:` kinds). */
export interface PeriodBitmap {
  day: string;
  kind: string;
  bits: Uint8Array;
}

/** Distinct members over disjoint periods (days and whole months): the union of their bitmaps. */
export function unionPeriods(rows: readonly PeriodBitmap[]): {
  customers: CustomerCounter;
  active: MemberSet;
  posters: MemberSet;
} {
  const periods = new Map<string, Partial<Record<string, Uint8Array>>>();
  for (const row of rows) {
    const monthly = row.kind.startsWith(MONTH_PREFIX);
    const key = `${monthly ? 'm' : 'd'}${row.day}`;
    const kind = monthly ? row.kind.slice(MONTH_PREFIX.length) : row.kind;
    const period = periods.get(key) ?? {};
    period[kind] = row.bits;
    periods.set(key, period);
  }
  const customers = new CustomerCounter();
  const active = new MemberSet();
  const posters = new MemberSet();
  for (const period of periods.values()) {
    if (period.customer) customers.addDay(period.customer, period.repeat);
    if (period.active) active.or(period.active);
    if (period.poster) posters.or(period.poster);
  }
  return { customers, active, posters };
}

/** Kinds of the whole-month bitmaps (dated the month's first day). */
export const MONTH_PREFIX = 'month:';
