import { parseAudience, parseSegmentDefinition } from './segment-definition';

describe('segment definitions', () => {
  it('keeps valid conditions and drops absent ones', () => {
    expect(
      parseSegmentDefinition({
        lifecycle: ['dormant', 'dormant', 'at_risk'],
        recency: { max: 2 },
        tags: ['vip'],
        prediction: { p28Min: 0.3 },
      }),
    ).toEqual({
      lifecycle: ['dormant', 'at_risk'],
      recency: { max: 2 },
      tags: ['vip'],
      prediction: { p28Min: 0.3 },
    });
  });

  it('rejects unknown conditions and values with field errors', () => {
    expect(() => parseSegmentDefinition({ lifecycle: ['sleepy'] })).toThrow('Invalid definition');
    expect(() => parseSegmentDefinition({ segmentIds: [] })).toThrow('Invalid definition');
    expect(() => parseSegmentDefinition({ recency: { min: 9 } })).toThrow('Invalid definition');
    expect(() => parseSegmentDefinition([])).toThrow('Invalid definition');
    expect(() => parseAudience({ tierIds: ['not-a-uuid'] })).toThrow('Invalid audience');
  });

  it('lets audiences reference named segments', () => {
    const id = '2f1b4a0e-8d7c-4b6a-9e5f-0a1b2c3d4e5f';
    expect(parseAudience({ segmentIds: [id], minOrders: 1 })).toEqual({
      segmentIds: [id],
      minOrders: 1,
    });
  });
});
