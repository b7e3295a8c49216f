import { DEFAULT_IALS_PARAMS, foldIn, solveRow, trainIals } from './ials';
import { aggregateInteractions } from './interactions';
import { choleskySolve, conjugateGradient, gramTyped } from './linalg';

const params = (over: Partial<typeof DEFAULT_IALS_PARAMS>) => ({ ...DEFAULT_IALS_PARAMS, ...over });

describe('iALS maths', () => {
  it('one user step with k = 1 matches the closed form (G + (c−1)y² + λ)⁻¹ c y', () => {
    // Items y = [1, 2]; the user has r = 1 on item 0 only; α = 1 → c = 2; λ = 0.1.
    const y = Float32Array.from([1, 2]);
    const g = gramTyped(y, 2, 1); // 1 + 4 = 5
    expect(Array.from(g)).toEqual([5]);
    const out = new Float32Array(1);
    solveRow(y, g, [0], [1], params({ factors: 1, alpha: 1, regularization: 0.1 }), out);
    // A = 5 + 1·1 + 0.1 = 6.1, b = 2·1 = 2
    expect(out[0]).toBeCloseTo(2 / 6.1, 6);
  });

  it('one user step with k = 2 on orthonormal items', () => {
    // Y = I, r = [2, 0], α = 1, λ = 1: A = I + diag(2, 0) + I = diag(4, 2), b = 3·e₀ → x = [0.75, 0].
    const y = Float32Array.from([1, 0, 0, 1]);
    const out = new Float32Array(2);
    solveRow(
      y,
      gramTyped(y, 2, 2),
      [0],
      [2],
      params({ factors: 2, alpha: 1, regularization: 1 }),
      out,
    );
    expect(out[0]).toBeCloseTo(0.75, 6);
    expect(out[1]).toBeCloseTo(0, 6);
  });

  it('Cholesky and conjugate gradient solve the same SPD system', () => {
    const a = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const b = Float64Array.from([1, 2, 3]);
    const x = new Float64Array(3);
    conjugateGradient(a, b, x, 3, 3);
    const factor = Float64Array.from(a);
    const solved = Float64Array.from(b);
    choleskySolve(factor, solved, 3);
    for (let i = 0; i < 3; i++) expect(x[i]).toBeCloseTo(solved[i], 8);
    // A x = b
    for (let i = 0; i < 3; i++)
      expect(a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2]).toBeCloseTo(b[i], 8);
    expect(() => choleskySolve(Float64Array.from([0, 0, 0, 0]), new Float64Array(2), 2)).toThrow(
      'not positive definite',
    );
  });

  it('training separates two taste groups, and fold-in places a new user with their group', () => {
    const events = [];
    for (let u = 0; u < 6; u++)
      for (const item of u < 3 ? ['a1', 'a2', 'a3'] : ['b1', 'b2', 'b3'])
        events.push({ user: `u${u}`, item, at: 0, weight: 1 });
    const m = aggregateInteractions(events, { halfLifeDays: 0 });
    const p = params({ factors: 4, iterations: 8, alpha: 10, regularization: 0.1 });
    const f = trainIals(m, p, { gram: 'typed', score: 'typed' });
    const score = (x: Float32Array, item: string) => {
      const i = m.itemIndex.get(item)!;
      let s = 0;
      for (let k = 0; k < 4; k++) s += x[k] * f.itemFactors[i * 4 + k];
      return s;
    };
    const u0 = f.userFactors.subarray(0, 4);
    expect(score(u0, 'a1')).toBeGreaterThan(0.5);
    expect(score(u0, 'b1')).toBeLessThan(0.2);

    const g = gramTyped(f.itemFactors, m.items.length, 4);
    const fresh = foldIn(f.itemFactors, g, [m.itemIndex.get('b2')!], [1], p);
    expect(score(fresh, 'b3')).toBeGreaterThan(score(fresh, 'a3'));
    expect(Array.from(foldIn(f.itemFactors, g, [], [], p))).toEqual([0, 0, 0, 0]);
  });
});
