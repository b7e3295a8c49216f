import { CustomerCounter, MemberSet, unionPeriods } from './member-bitmap';

const m = (idx: number | null, memberId = `m${idx}`) => ({ idx, memberId });

describe('MemberSet', () => {
  it('encodes numbers as bits and counts the union exactly', () => {
    const set = new MemberSet();
    set.or(MemberSet.encode([0, 7, 8, 100]));
    set.or(MemberSet.encode([7, 9]));
    set.add(m(3));
    set.add(m(100));
    set.add(m(null, 'new-member'));
    set.add(m(null, 'new-member'));
    expect(set.size).toBe(7); // 0, 3, 7, 8, 9, 100 and one unnumbered member
    expect(set.has(m(9))).toBe(true);
    expect(set.has(m(10))).toBe(false);
    expect(set.has(m(5000))).toBe(false);
    expect(MemberSet.encode([])).toHaveLength(0);
    expect([...MemberSet.encode([0, 9])]).toEqual([1, 2]);
  });
});

describe('CustomerCounter', () => {
  it('counts a member as a repeater after orders on two days, or two orders on one day', () => {
    const counter = new CustomerCounter();
    counter.addDay(MemberSet.encode([1, 2]), undefined);
    counter.addDay(MemberSet.encode([2, 3, 4]), MemberSet.encode([4]));
    counter.addMember(m(5), 1);
    counter.addMember(m(1), 1); // second order of 1 (live)
    counter.addMember(m(null, 'x'), 1);
    counter.addMember(m(null, 'x'), 1); // x again in another slice
    counter.addMember(m(6), 0); // only refunded orders: not a customer
    expect(counter.customers.size).toBe(6); // 1, 2, 3, 4, 5, x
    expect(counter.repeaters.size).toBe(4); // 1, 2, 4, x
  });
});

describe('unionPeriods', () => {
  it('pairs each period’s customers with its repeaters whatever the row order, days and months alike', () => {
    const rows = [
      { day: '2026-01-01', kind: 'month:customer', bits: MemberSet.encode([1, 2]) },
      { day: '2026-01-01', kind: 'month:poster', bits: MemberSet.encode([9]) },
      { day: '2026-01-01', kind: 'month:repeat', bits: MemberSet.encode([2]) },
      { day: '2026-02-03', kind: 'active', bits: MemberSet.encode([3, 7]) },
      { day: '2026-02-03', kind: 'customer', bits: MemberSet.encode([3]) },
      { day: '2026-02-03', kind: 'poster', bits: MemberSet.encode([7]) },
      { day: '2026-02-03', kind: 'repeat', bits: MemberSet.encode([3]) },
      { day: '2026-02-04', kind: 'customer', bits: MemberSet.encode([1]) },
    ];
    const { customers, active, posters } = unionPeriods(rows);
    expect(customers.customers.size).toBe(3); // 1, 2, 3
    expect(customers.repeaters.size).toBe(3); // 2 (twice in January), 3 (twice on Feb 3), 1 (Jan + Feb 4)
    expect(active.size).toBe(2);
    expect(posters.size).toBe(2);
    const set = new MemberSet();
    set.or(MemberSet.encode([3, 20]));
    expect([...set.toBuffer()]).toEqual([...MemberSet.encode([3, 20])]);
  });
});
