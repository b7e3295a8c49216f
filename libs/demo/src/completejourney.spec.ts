import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { completeJourneyDir, type DemoDataset, loadDemoDataset } from './completejourney';

describe('Complete Journey demo dataset', () => {
  let data: DemoDataset;
  beforeAll(() => {
    data = loadDemoDataset();
  });

  it('is found from the source tree (dist has no data files)', () => {
    const dir = completeJourneyDir();
    expect(dir).toMatch(/libs[/\\]demo[/\\]data[/\\]completejourney$/);
    expect(existsSync(join(dir, 'SOURCE.txt'))).toBe(true);
    expect(completeJourneyDir(join(__dirname, '../../../dist/libs/demo/src'))).toBe(dir);
  });

  it('holds the whole transactions sample as one order per basket', () => {
    expect(data.lineCount).toBe(75_000);
    expect(data.orders).toHaveLength(47_243);
    expect(data.households).toHaveLength(2_377);
    expect(data.products).toHaveLength(20_902);
    expect(new Set(data.orders.map((o) => o.externalId)).size).toBe(data.orders.length);
    expect(data.households.reduce((n, h) => n + h.orderCount, 0)).toBe(data.orders.length);
  });

  it('keeps money in integer cents and order totals equal to their lines', () => {
    const problems: string[] = [];
    let cents = 0;
    for (const order of data.orders) {
      let sum = 0;
      for (const line of order.lines) {
        if (
          !Number.isSafeInteger(line.paidMinor) ||
          !Number.isSafeInteger(line.unitPriceMinor) ||
          line.paidMinor < 0
        ) {
          problems.push(`basket ${order.externalId} line ${line.lineNo}`);
        }
        sum += line.paidMinor;
      }
      if (sum !== order.paidTotalMinor) problems.push(`basket ${order.externalId} total`);
      cents += order.paidTotalMinor;
    }
    expect(problems).toEqual([]);
    // The sample's sales_value column sums to $233,935.24 (checked independently with Python's Decimal).
    expect(cents).toBe(233_935_24);
  });

  it('numbers lines from 1 and orders everything deterministically', () => {
    const again = loadDemoDataset();
    expect(again.orders.slice(0, 50)).toEqual(data.orders.slice(0, 50));
    expect(again.products.slice(0, 50)).toEqual(data.products.slice(0, 50));
    const problems: string[] = [];
    data.orders.forEach((order, i) => {
      if (order.lines.some((line, n) => line.lineNo !== n + 1))
        problems.push(`line numbers of ${order.externalId}`);
      if (i > 0 && order.placedAt < data.orders[i - 1].placedAt)
        problems.push(`time order at ${i}`);
    });
    expect(problems).toEqual([]);
  });

  it('names products from their type and size and adds placeholders for the five missing ids', () => {
    const placeholders = data.products.filter((p) => p.attributes.placeholder);
    expect(placeholders.map((p) => p.id).sort()).toEqual([
      '1093587',
      '5126088',
      '5126107',
      '5978648',
      '5978656',
    ]);
    expect(placeholders[0].name).toMatch(/^Product \d+$/);
    expect(data.products.find((p) => p.id === '30049')).toMatchObject({
      name: 'Diet/Light Bread (16 OZ)',
      category: 'BAKED BREAD/BUNS/ROLLS',
      department: 'GROCERY',
      manufacturer: '69',
      attributes: { brandType: 'Private', productType: 'DIET/LIGHT BREAD', packageSize: '16 OZ' },
    });
    expect(data.products.find((p) => p.id === '28897')?.name).toBe('Eggs - X-Large (A D 1 DZ)');
  });
});
