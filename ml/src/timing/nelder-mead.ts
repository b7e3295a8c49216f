/** Derivative-free minimisation (Nelder & Mead 1965) with the adaptive coefficients of Gao & Han (2012). */

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the simplex's function values span less than this. */
  tolerance?: number;
  /** Initial simplex step along each axis. */
  step?: number;
  /**
   * Box on every coordinate: outside it the objective counts as +∞. On log-parameters this keeps a
   * likelihood that keeps improving towards a degenerate limit (e.g. Gamma-Gamma's q, γ → ∞ when
   * customers do not differ in spend) from wandering until the iteration cap.
   */
  bounds?: [number, number];
}

export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500 * n;
  const tolerance = options.tolerance ?? 1e-10;
  const step = options.step ?? 0.5;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  // A NaN or infinite objective (parameters out of the model's domain) counts as worse than anything.
  const [lo, hi] = options.bounds ?? [-Infinity, Infinity];
  const value = (x: number[]) => {
    if (x.some((xi) => xi < lo || xi > hi)) return Number.POSITIVE_INFINITY;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex: { x: number[]; fx: number }[] = [{ x: [...start], fx: value(start) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] += step;
    simplex.push({ x, fx: value(x) });
  }

  let iterations = 0;
  let converged = false;
  const combine = (p: number[], q: number[], t: number) => p.map((pi, i) => pi + t * (q[i] - pi));

  while (iterations < maxIterations) {
    simplex.sort((u, v) => u.fx - v.fx);
    const best = simplex[0];
    const worst = simplex[n];
    if (
      Number.isFinite(worst.fx) &&
      Math.abs(worst.fx - best.fx) <= tolerance * (1 + Math.abs(best.fx))
    ) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;

    const reflected = combine(centroid, worst.x, -alpha);
    const fr = value(reflected);
    if (fr < best.fx) {
      const expanded = combine(centroid, worst.x, -alpha * beta);
      const fe = value(expanded);
      simplex[n] = fe < fr ? { x: expanded, fx: fe } : { x: reflected, fx: fr };
      continue;
    }
    if (fr < simplex[n - 1].fx) {
      simplex[n] = { x: reflected, fx: fr };
      continue;
    }
    const outside = fr < worst.fx;
    const contracted = outside
      ? combine(centroid, worst.x, -alpha * gamma)
      : combine(centroid, worst.x, gamma);
    const fc = value(contracted);
    if (fc < (outside ? fr : worst.fx)) {
      simplex[n] = { x: contracted, fx: fc };
      continue;
    }
    simplex = simplex.map((vertex, i) => {
      if (i === 0) return vertex;
      const x = combine(best.x, vertex.x, delta);
      return { x, fx: value(x) };
    });
  }
  simplex.sort((u, v) => u.fx - v.fx);
  return { x: simplex[0].x, fx: simplex[0].fx, iterations, converged };
}

/** Log-parameter box of the BTYD fits: e^±12 spans any sane rate, shape or time scale. */
export const LOG_BOUNDS: [number, number] = [-12, 12];

export interface MultiStartOptions extends NelderMeadOptions {
  /** Called after each start (progress bars). */
  onStart?: (done: number, total: number) => void;
}

/**
 * Nelder–Mead from several starting points, each polished by a restart from its own optimum (the
 * simplex can collapse early on ridged likelihoods); the best end point wins.
 */
export function minimizeMultiStart(
  f: (x: number[]) => number,
  starts: number[][],
  options: MultiStartOptions = {},
): NelderMeadResult {
  let best: NelderMeadResult | undefined;
  starts.forEach((start, i) => {
    let result = nelderMead(f, start, options);
    const polished = nelderMead(f, result.x, { ...options, step: 0.05 });
    if (polished.fx <= result.fx)
      result = { ...polished, iterations: result.iterations + polished.iterations };
    if (!best || result.fx < best.fx) best = result;
    options.onStart?.(i + 1, starts.length);
  });
  if (!best) throw new Error('minimizeMultiStart needs at least one start');
  return best;
}
