import type { ledgerEntries, loyaltyPrograms, memberBalances, pointLots } from '@app/db';

export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type PointLot = typeof pointLots.$inferSelect;
export type LoyaltyProgram = typeof loyaltyPrograms.$inferSelect;
export type MemberBalanceRow = typeof memberBalances.$inferSelect;
export type LedgerKind = LedgerEntry['kind'];
export type LedgerSource = LedgerEntry['source'];

/** Who caused a ledger write (recorded on the entry as actor_type / actor_id). */
export interface LedgerActor {
  type: 'member' | 'staff' | 'storefront' | 'system' | 'operator';
  id?: string;
}

export interface PointsBalance {
  /** Spendable now. */
  balance: number;
  /** Held (available_at in the future): counted here, not in `balance`, and not spendable. */
  pending: number;
  /** Clawed-back points that could not be taken (policy `debt`); later earns repay it first. */
  debt: number;
  /** Σ of `earn` entries ever (reversals do not reduce it). */
  lifetimeEarned: number;
}

export interface EarnInput {
  points: number;
  reason: string;
  source: 'order' | 'rule' | 'staff' | 'system';
  sourceId?: string;
  ruleId?: string;
  actor: LedgerActor;
  dedupeKey: string;
  /** Default now; the lot's expiry is computed from it. */
  earnedAt?: Date;
  /**
   * When the points become spendable. Default: `earnedAt + programme.pendingDays` for source
   * `order`, `earnedAt` otherwise. In the future → the lot counts as `pending`.
   */
  availableAt?: Date;
  details?: Record<string, unknown>;
}

export interface EarnResult {
  entry: LedgerEntry;
  lot: PointLot | null;
  duplicate: boolean;
}

export interface SpendInput {
  points: number;
  reason: string;
  source: 'redemption' | 'staff' | 'system';
  sourceId?: string;
  actor: LedgerActor;
  dedupeKey: string;
  details?: Record<string, unknown>;
}

export interface SpendResult {
  entry: LedgerEntry;
  duplicate: boolean;
}

export interface ClawbackInput {
  earnEntryId: string;
  points: number;
  reason: string;
  source: 'refund' | 'rule' | 'staff';
  sourceId?: string;
  actor: LedgerActor;
  dedupeKey: string;
}

export interface ClawbackResult {
  /** null when nothing was recorded (0 points to claw back, or everything forgiven under `cap`). */
  entry: LedgerEntry | null;
  /** Points actually taken from lots. */
  reversed: number;
  /** Points that became debt (policy `debt`). */
  debtAdded: number;
  duplicate: boolean;
}

export interface AdjustInput {
  /** Signed, non-zero: + credits a new lot, − debits lots FIFO (never below zero). */
  points: number;
  reason: string;
  actor: { type: 'staff' | 'operator' | 'system'; id?: string; requestId?: string };
  dedupeKey: string;
  details?: Record<string, unknown>;
}

export interface AdjustResult {
  entry: LedgerEntry;
  lot: PointLot | null;
  duplicate: boolean;
}
