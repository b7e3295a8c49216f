import { Inject, Injectable } from '@nestjs/common';
import type { Executor } from '@app/db';
import { LedgerRepository } from './ledger.repository';

/**
 * The ledger's invariants for one brand; `check` returns one line per violation ([] = healthy):
 * - every member with entries or lots has a `member_balances` row;
 * - `balance + pending − debt = Σ entries.amount` per member;
 * - `balance + pending = Σ remaining` of lots the sweep has not expired;
 * - balance, pending and debt ≥ 0; `pending ≥` points of lots still held at `now`
 *   (held points are never spendable);
 * - `lifetime_earned = Σ earn entries`;
 * - every lot 0 ≤ remaining ≤ points; expired lots have nothing left; allocations of a lot never
 *   exceed its points; a redeem / expire / adjust debit's allocations equal its amount.
 */
@Injectable()
export class LedgerInvariants {
  constructor(@Inject(LedgerRepository) private readonly repository: LedgerRepository) {}

  check(brandId: string, tx?: Executor, now: Date = new Date()): Promise<string[]> {
    return this.repository.invariantViolations(brandId, now, tx);
  }
}
