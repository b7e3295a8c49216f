import * as tf from '@tensorflow/tfjs';
import {
  easeColumns,
  easeGram,
  easeWeightsFromInverse,
  invertSpdTf,
  invertSpdTyped,
  mostInteracted,
  scoreEase,
  trainEase,
} from './ease';
import { aggregateInteractions } from './interactions';
import {
  DEFAULT_RECOMMENDER_PARAMS,
  deserializeModel,
  serializeModel,
  trainRecommender,
} from './model';
import { historyOf } from './evaluation';
import { EMPTY_HISTORY, cfScores } from './scoring';

// u1 and u2 bought a and b, u3 bought b and c (u1 twice: EASE sees a binary matrix).
const matrix = aggregateInteractions(
  [
    ['u1', 'a'],
    ['u1', 'a'],
    ['u1', 'b'],
    ['u2', 'a'],
    ['u2', 'b'],
    ['u3', 'b'],
    ['u3', 'c'],
  ].map(([user, item], at) => ({ user, item, at, weight: 1 })),
  { halfLifeDays: 0 },
);

// By hand, λ = 1: G = XᵀX + I = [[3,2,0],[2,4,1],[0,1,2]], det 13,
// P = G⁻¹ = [[7,-4,2],[-4,6,-3],[2,-3,8]] / 13, B_ij = −P_ij / P_jj.
const G = [3, 2, 0, 2, 4, 1, 0, 1, 2];
const P = [7, -4, 2, -4, 6, -3, 2, -3, 8].map((v) => v / 13);
const B = [0, 2 / 3, -1 / 4, 4 / 7, 0, 3 / 8, -2 / 7, 1 / 2, 0];

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('EASE', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it('builds XᵀX + λI over a binary matrix, items by distinct users', () => {
    const items = mostInteracted(matrix, 10);
    expect(Array.from(items)).toEqual([1, 0, 2]); // b (3 users), a (2), c (1)
    const natural = Int32Array.from([0, 1, 2]);
    expectClose(easeGram(matrix, natural, 1), G, 12);
  });

  it('inverts an SPD matrix by Gauss–Jordan on typed arrays and in TF.js blocks', () => {
    expectClose(invertSpdTyped(Float64Array.from(G), 3), P, 12);
    // Block size 2 over 3 rows: one full block and one partial one.
    expectClose(invertSpdTf(Float64Array.from(G), 3, 2), P, 5);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => invertSpdTyped(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(RangeError);
  });

  it('gives B = I − P·diag(1/diag(P)) with a zero diagonal', () => {
    expectClose(easeWeightsFromInverse(Float64Array.from(P), 3), B);
  });

  it('scores a user as the sum of the rows of their items', () => {
    const weights = trainEase(matrix, { lambda: 1, maxItems: 10 }, 'typed');
    const column = easeColumns(weights, 3);
    const scores = scoreEase(weights, column, [1, 2], new Float32Array(3)); // u3: b and c
    expectClose(scores, [4 / 7 - 2 / 7, 1 / 2, 3 / 8]);
  });

  it('weights only the most-interacted items when the catalogue is larger than maxItems', () => {
    const weights = trainEase(matrix, { lambda: 1, maxItems: 2 }, 'typed');
    expect(Array.from(weights.items)).toEqual([1, 0]);
    const column = easeColumns(weights, 3);
    expect(column[2]).toBe(-1);
    // Over {b, a}: G = [[4,2],[2,3]], P = [[3,-2],[-2,4]]/8, B_ab = 2/4, B_ba = 2/3.
    const scores = scoreEase(weights, column, [2, 1], new Float32Array(3));
    expectClose(scores, [1 / 2, 0, 0]);
  });

  it('travels in the model artefact and feeds the CF part when the model serves EASE', () => {
    const events = [
      ['u1', 'a'],
      ['u1', 'b'],
      ['u2', 'a'],
      ['u2', 'b'],
      ['u3', 'b'],
      ['u3', 'c'],
    ].map(([user, item], at) => ({ user, item, at, weight: 1 }));
    const params = {
      ...DEFAULT_RECOMMENDER_PARAMS,
      ials: { ...DEFAULT_RECOMMENDER_PARAMS.ials, factors: 2, iterations: 2 },
      cf: 'ease' as const,
      ease: { lambda: 1, maxItems: 10 },
    };
    const kernels = { gram: 'typed', score: 'typed' } as const;
    const { model, matrix } = trainRecommender(events, new Map(), params, kernels);
    const restored = deserializeModel(serializeModel(model), kernels);
    expect(Array.from(restored.ease!.items)).toEqual(Array.from(model.ease!.items));
    expectClose(restored.ease!.b, Array.from(model.ease!.b));
    const history = historyOf(matrix, matrix.userIndex.get('u3')!);
    const scores = cfScores(restored, history, null, new Float32Array(3))!;
    expectClose(scores, [4 / 7 - 2 / 7, 1 / 2, 3 / 8]);
    expect(cfScores(restored, EMPTY_HISTORY, null, new Float32Array(3))).toBeNull();
  });
});
