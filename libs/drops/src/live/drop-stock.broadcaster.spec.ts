import { STOCK_PUSH_INTERVAL_MS, stockPushIntervalMs } from './drop-stock.broadcaster';

describe('stockPushIntervalMs', () => {
  it('keeps 100 ms while the room is within the fanout budget', () => {
    expect(stockPushIntervalMs(0, 10_000)).toBe(STOCK_PUSH_INTERVAL_MS);
    expect(stockPushIntervalMs(1_000, 10_000)).toBe(100);
  });

  it('spaces pushes so that viewers × pushes per second stays within the budget', () => {
    expect(stockPushIntervalMs(1_001, 10_000)).toBe(101);
    expect(stockPushIntervalMs(5_000, 10_000)).toBe(500);
    expect(stockPushIntervalMs(50_000, 10_000)).toBe(5_000);
    expect(stockPushIntervalMs(3, 10)).toBe(300);
  });
});
