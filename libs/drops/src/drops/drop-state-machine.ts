import type { drops } from '@app/db';

export type DropStatus = (typeof drops.$inferSelect)['status'];

/** Allowed moves; everything else is a 409 `drops.invalid_transition`. */
const NEXT: Record<DropStatus, readonly DropStatus[]> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['early_access', 'live', 'ended', 'cancelled'],
  early_access: ['live', 'sold_out', 'ended', 'cancelled'],
  live: ['sold_out', 'ended', 'cancelled'],
  sold_out: ['ended'],
  ended: [],
  cancelled: [],
};

export function canTransition(from: DropStatus, to: DropStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * What staff's "end now" does from a status: a drop that has opened (early access, live, sold
 * out) ends; an ended one is left as it is (the request is idempotent); one that never opened
 * (draft, scheduled) or was cancelled is refused — cancelling is the way to stop those.
 */
export function endNow(status: DropStatus): 'end' | 'already_ended' | 'refuse' {
  if (status === 'ended') return 'already_ended';
  return status === 'early_access' || status === 'live' || status === 'sold_out' ? 'end' : 'refuse';
}

/** Members can reserve in these statuses (early access only for the listed tiers). */
export const ON_SALE: readonly DropStatus[] = ['early_access', 'live'];

export interface DropSchedule {
  status: DropStatus;
  earlyAccessAt: Date | null;
  earlyAccessTierIds: string[];
  startsAt: Date;
  endsAt: Date;
}

/**
 * The status the clock says a scheduled drop should be in at `now` (null: no timed move is due).
 * Jobs call this rather than trusting their own payload, so a late, early or duplicate job can
 * only ever move the drop to where it should be, or do nothing.
 */
export function dueStatus(drop: DropSchedule, now: Date): DropStatus | null {
  const t = now.getTime();
  const terminal =
    drop.status === 'draft' || drop.status === 'ended' || drop.status === 'cancelled';
  if (terminal) return null;
  let target: DropStatus | null = null;
  if (t >= drop.endsAt.getTime()) target = 'ended';
  else if (t >= drop.startsAt.getTime()) target = drop.status === 'sold_out' ? null : 'live';
  else if (
    drop.earlyAccessAt &&
    drop.earlyAccessTierIds.length > 0 &&
    t >= drop.earlyAccessAt.getTime()
  )
    target = drop.status === 'sold_out' ? null : 'early_access';
  if (!target || target === drop.status || !canTransition(drop.status, target)) return null;
  return target;
}

/** The instants at which a scheduled drop has a timed move (delayed jobs are queued for each). */
export function scheduleInstants(drop: DropSchedule): Date[] {
  const instants = [drop.startsAt, drop.endsAt];
  if (drop.earlyAccessAt && drop.earlyAccessTierIds.length) instants.unshift(drop.earlyAccessAt);
  return instants;
}
