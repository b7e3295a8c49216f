import {
  type LotView,
  addMonthsUtc,
  allocateFifo,
  classifyLots,
  compareFifo,
  computeExpiry,
  planClawback,
  repayDebt,
} from './lot-math';

const d = (iso: string) => new Date(iso);
const lot = (
  id: string,
  remaining: number,
  expiresAt: string | null,
  earnedAt = '2026-01-01T00:00:00Z',
  availableAt = earnedAt,
): LotView => ({
  id,
  remaining,
  earnedAt: d(earnedAt),
  availableAt: d(availableAt),
  expiresAt: expiresAt ? d(expiresAt) : null,
});

describe('computeExpiry', () => {
  const earned = d('2026-03-15T10:30:00Z');

  it('rolling: exactly N calendar months later', () => {
    expect(computeExpiry(earned, 'rolling', 12)?.toISOString()).toBe('2027-03-15T10:30:00.000Z');
    expect(computeExpiry(earned, 'rolling', 1)?.toISOString()).toBe('2026-04-15T10:30:00.000Z');
  });

  it('rolling clamps to the last day of a shorter month (incl. leap years)', () => {
    expect(addMonthsUtc(d('2026-01-31T00:00:00Z'), 1).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(addMonthsUtc(d('2028-01-31T12:00:00Z'), 1).toISOString()).toBe(
      '2028-02-29T12:00:00.000Z',
    );
    expect(addMonthsUtc(d('2026-08-31T00:00:00Z'), 18).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('end_of_month: the first instant after the month of earnedAt + N', () => {
    expect(computeExpiry(earned, 'end_of_month', 12)?.toISOString()).toBe(
      '2027-04-01T00:00:00.000Z',
    );
    expect(computeExpiry(d('2026-12-31T23:59:59Z'), 'end_of_month', 0)?.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('end_of_year: the first instant after the year of earnedAt + N', () => {
    expect(computeExpiry(earned, 'end_of_year', 12)?.toISOString()).toBe(
      '2028-01-01T00:00:00.000Z',
    );
    expect(computeExpiry(earned, 'end_of_year', 0)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(computeExpiry(d('2026-11-30T00:00:00Z'), 'end_of_year', 1)?.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(computeExpiry(d('2026-12-01T00:00:00Z'), 'end_of_year', 1)?.toISOString()).toBe(
      '2028-01-01T00:00:00.000Z',
    );
  });

  it('never: no expiry', () => {
    expect(computeExpiry(earned, 'never', 12)).toBeNull();
  });
});

describe('FIFO allocation', () => {
  const lots = [
    lot('c', 10, null),
    lot('b', 20, '2026-06-01T00:00:00Z', '2026-02-01T00:00:00Z'),
    lot('a', 5, '2026-06-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    lot('d', 30, '2026-04-01T00:00:00Z'),
  ];

  it('orders by expiry, never-expiring last, then earned_at, then id', () => {
    expect([...lots].sort(compareFifo).map((l) => l.id)).toEqual(['d', 'a', 'b', 'c']);
    const tie = [lot('y', 1, null), lot('x', 1, null)];
    expect(tie.sort(compareFifo).map((l) => l.id)).toEqual(['x', 'y']);
  });

  it('draws the soonest-expiring lots first and splits the last one', () => {
    expect(allocateFifo(lots, 40)).toEqual({
      allocations: [
        { lotId: 'd', points: 30 },
        { lotId: 'a', points: 5 },
        { lotId: 'b', points: 5 },
      ],
      taken: 40,
      shortfall: 0,
    });
  });

  it('takes exactly everything, and reports the shortfall beyond it', () => {
    expect(allocateFifo(lots, 65)).toMatchObject({ taken: 65, shortfall: 0 });
    expect(allocateFifo(lots, 70)).toMatchObject({ taken: 65, shortfall: 5 });
    expect(allocateFifo([], 3)).toEqual({ allocations: [], taken: 0, shortfall: 3 });
  });

  it('skips empty lots and rejects non-integer amounts', () => {
    expect(allocateFifo([lot('e', 0, '2026-01-02T00:00:00Z'), lot('f', 4, null)], 2)).toEqual({
      allocations: [{ lotId: 'f', points: 2 }],
      taken: 2,
      shortfall: 0,
    });
    expect(() => allocateFifo(lots, 1.5)).toThrow(RangeError);
    expect(() => allocateFifo(lots, -1)).toThrow(RangeError);
  });
});

describe('classifyLots', () => {
  it('splits overdue, held and spendable at an instant', () => {
    const now = d('2026-05-01T00:00:00Z');
    const result = classifyLots(
      [
        lot('expired', 5, '2026-05-01T00:00:00Z'),
        lot('held', 7, null, '2026-04-30T00:00:00Z', '2026-05-10T00:00:00Z'),
        lot('ok', 9, '2026-06-01T00:00:00Z'),
        lot('empty', 0, '2026-06-01T00:00:00Z'),
      ],
      now,
    );
    expect(result.overdue.map((l) => l.id)).toEqual(['expired']);
    expect(result.held.map((l) => l.id)).toEqual(['held']);
    expect(result.spendable.map((l) => l.id)).toEqual(['ok']);
  });
});

describe('debt', () => {
  it('an earn repays debt first and the lot keeps the rest', () => {
    expect(repayDebt(50, 0)).toEqual({ repaid: 0, lotRemaining: 50, debtAfter: 0 });
    expect(repayDebt(50, 20)).toEqual({ repaid: 20, lotRemaining: 30, debtAfter: 0 });
    expect(repayDebt(50, 90)).toEqual({ repaid: 50, lotRemaining: 0, debtAfter: 40 });
    expect(() => repayDebt(0, 1)).toThrow(RangeError);
  });

  it('clawback: the earning lot first, then others in order; the rest per policy', () => {
    const source = lot('src', 10, '2027-01-01T00:00:00Z');
    const others = [lot('o1', 15, '2026-06-01T00:00:00Z'), lot('o2', 5, null), source];
    expect(planClawback(source, others, 8, 'debt')).toEqual({
      allocations: [{ lotId: 'src', points: 8 }],
      taken: 8,
      debtAdded: 0,
      forgiven: 0,
    });
    expect(planClawback(source, others, 40, 'debt')).toEqual({
      allocations: [
        { lotId: 'src', points: 10 },
        { lotId: 'o1', points: 15 },
        { lotId: 'o2', points: 5 },
      ],
      taken: 30,
      debtAdded: 10,
      forgiven: 0,
    });
    expect(planClawback(null, [], 12, 'cap')).toEqual({
      allocations: [],
      taken: 0,
      debtAdded: 0,
      forgiven: 12,
    });
    expect(planClawback(null, [], 0, 'debt')).toMatchObject({ taken: 0, debtAdded: 0 });
  });
});
