import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** One purchase: `day` is whole days since the Unix epoch (UTC), `amount` in currency units. */
export interface PurchaseRecord {
  customer: string;
  day: number;
  amount: number;
}

const MS_PER_DAY = 86_400_000;

export const dayOf = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);
export const dateOfDay = (day: number): Date => new Date(day * MS_PER_DAY);

/** `YYYY-MM-DD`, `YYYYMMDD` or any ISO instant → epoch day (UTC). */
export function parseDay(text: string): number {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const iso = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${text}`);
  return Math.floor(ms / MS_PER_DAY);
}

/**
 * Parses either a `customer,date,amount` CSV (header required; column order from the header) or
 * the CDNOW files: whitespace separated `master_id [sample_id] YYYYMMDD cds dollars`, with or
 * without a header line.
 */
export function parseTransactions(text: string): PurchaseRecord[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  if (lines[0].includes(',')) return parseCsv(lines);
  const out: PurchaseRecord[] = [];
  for (const line of lines) {
    const cols = line.trim().split(/\s+/);
    if (!/^\d+$/.test(cols[0])) continue; // header
    const dateCol = cols.length >= 5 ? 2 : 1;
    out.push({
      customer: cols[0],
      day: parseDay(cols[dateCol]),
      amount: Number(cols[cols.length - 1]),
    });
  }
  return out;
}

function parseCsv(lines: string[]): PurchaseRecord[] {
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => {
    const i = header.findIndex((h) => names.includes(h));
    if (i < 0) throw new Error(`CSV header needs one of ${names.join('/')} (got ${lines[0]})`);
    return i;
  };
  const c = col(['customer', 'customer_id', 'member', 'member_id', 'id']);
  const d = col(['date', 'day', 'placed_at', 'timestamp']);
  const a = col(['amount', 'value', 'spend', 'monetary']);
  return lines.slice(1).map((line, n) => {
    const cols = line.split(',');
    const amount = Number(cols[a]);
    if (!Number.isFinite(amount)) throw new Error(`line ${n + 2}: bad amount ${cols[a]}`);
    return { customer: cols[c].trim(), day: parseDay(cols[d].trim()), amount };
  });
}

/** Reads a transactions file, gunzipping `*.gz`. */
export function readTransactionsFile(path: string): PurchaseRecord[] {
  const raw = readFileSync(path);
  return parseTransactions((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
}

/** A customer's purchase history: one entry per purchase day (same-day purchases merged). */
export interface PurchaseHistory {
  customer: string;
  /** Ascending, distinct epoch days. */
  days: number[];
  /** Spend on each of those days. */
  amounts: number[];
}

/** Groups by customer and merges same-day purchases (the counting rule of the BTYD literature). */
export function toHistories(transactions: readonly PurchaseRecord[]): PurchaseHistory[] {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    let days = byCustomer.get(t.customer);
    if (!days) byCustomer.set(t.customer, (days = new Map<number, number>()));
    days.set(t.day, (days.get(t.day) ?? 0) + t.amount);
  }
  const out: PurchaseHistory[] = [];
  for (const [customer, days] of byCustomer) {
    const sorted = [...days.keys()].sort((x, y) => x - y);
    out.push({ customer, days: sorted, amounts: sorted.map((d) => days.get(d)!) });
  }
  return out;
}

/** Calibration summary of one customer plus the mean value of their repeat purchases. */
export interface CustomerSummary {
  customer: string;
  frequency: number;
  recency: number;
  T: number;
  /** Mean spend of the repeat purchases (0 when none): the Gamma-Gamma input. */
  monetary: number;
  firstDay: number;
}

/**
 * BTYD summary at `endDay` (inclusive) in units of `unitDays` days (7 → weeks, as CDNOW). Only
 * customers whose first purchase is on or before `endDay` are summarised.
 */
export function summarise(
  history: PurchaseHistory,
  endDay: number,
  unitDays = 1,
): CustomerSummary | undefined {
  const first = history.days[0];
  if (first === undefined || first > endDay) return undefined;
  let count = 0;
  let last = first;
  let repeatSpend = 0;
  for (let i = 1; i < history.days.length && history.days[i] <= endDay; i++) {
    count++;
    last = history.days[i];
    repeatSpend += history.amounts[i];
  }
  return {
    customer: history.customer,
    frequency: count,
    recency: (last - first) / unitDays,
    T: (endDay - first) / unitDays,
    monetary: count > 0 ? repeatSpend / count : 0,
    firstDay: first,
  };
}

/** Purchase days in (fromDay, toDay]. */
export function purchasesBetween(history: PurchaseHistory, fromDay: number, toDay: number): number {
  let n = 0;
  for (const d of history.days) if (d > fromDay && d <= toDay) n++;
  return n;
}

/** The earliest first purchase (a loop: spreading a million members into Math.min overflows the stack). */
export function earliestDay(histories: readonly PurchaseHistory[]): number {
  let min = Infinity;
  for (const h of histories) if (h.days.length && h.days[0] < min) min = h.days[0];
  return min;
}
