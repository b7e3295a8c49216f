import { buildReport } from './drop-report';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

describe('buildReport', () => {
  it('counts outcomes, distinct buyers, tier mix and sell-through from the opening', () => {
    const report = buildReport(
      {
        drop: {
          id: 'd',
          status: 'ended',
          earlyAccessAt: t(0),
          startsAt: t(10),
          peakViewers: 42,
          chatMessages: 7,
        },
        skus: [
          { id: 'a', stock: 2, sold: 2, soldOutAt: new Date(t(12).getTime() + 500) },
          { id: 'b', stock: 4, sold: 1, soldOutAt: null },
        ],
        reservations: [
          { memberId: 'm1', status: 'confirmed' },
          { memberId: 'm1', status: 'confirmed' },
          { memberId: 'm2', status: 'confirmed' },
          { memberId: 'm3', status: 'expired' },
          { memberId: 'm4', status: 'cancelled' },
          { memberId: 'm5', status: 'held' },
        ],
        tierOf: new Map([['m1', 'gold']]),
      },
      t(60),
    );
    expect(report.reservations).toEqual({
      total: 6,
      confirmed: 3,
      expired: 1,
      cancelled: 1,
      held: 1,
    });
    expect(report.distinctBuyers).toBe(2);
    expect(report.tierMix).toEqual({ gold: 1, none: 1 });
    expect(report.skus).toEqual([
      { skuId: 'a', stock: 2, sold: 2, sellThroughRate: 1, sellThroughSeconds: 12.5 },
      { skuId: 'b', stock: 4, sold: 1, sellThroughRate: 0.25, sellThroughSeconds: null },
    ]);
    expect(report).toMatchObject({
      peakViewers: 42,
      chatMessages: 7,
      openedAt: t(0).toISOString(),
    });
  });
});
