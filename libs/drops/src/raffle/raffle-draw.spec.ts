import { SeededRandom, drawSku, entrantId, raffleSeed } from './raffle-draw';

const entries = Array.from({ length: 50 }, (_, i) => ({
  entrant: entrantId('drop-1', `member-${i}`),
  quantity: i % 7 === 0 ? 2 : 1,
}));

describe('raffle draw', () => {
  it('replays identically from the seed, whatever order entries are listed in', () => {
    const seed = raffleSeed('drop-1', 'server-seed');
    const first = drawSku(seed, 'sku-a', entries, 10);
    const again = drawSku(seed, 'sku-a', [...entries].reverse(), 10);
    expect(again).toEqual(first);
    expect(first.reduce((n, e) => n + e.quantity, 0)).toBeLessThanOrEqual(10);
    expect(new Set(first.map((e) => e.entrant)).size).toBe(first.length);
  });

  it('changes with the seed and with the SKU', () => {
    const a = drawSku(raffleSeed('drop-1', 's1'), 'sku-a', entries, 10).map((e) => e.entrant);
    const b = drawSku(raffleSeed('drop-1', 's2'), 'sku-a', entries, 10).map((e) => e.entrant);
    const c = drawSku(raffleSeed('drop-1', 's1'), 'sku-b', entries, 10).map((e) => e.entrant);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('everyone wins when units suffice; nobody when there are none', () => {
    expect(drawSku('s', 'x', entries, 1000)).toHaveLength(entries.length);
    expect(drawSku('s', 'x', entries, 0)).toEqual([]);
  });

  it('draws roughly uniformly (each of 4 values ~25% over 8,000 draws)', () => {
    const random = new SeededRandom('uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[random.below(4)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
