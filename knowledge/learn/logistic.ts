/**
 * L2-regularised logistic regression fitted by Newton's method: short enough to audit, exact (the
 * objective is convex, so the same rows always give the same weights), and fast for a few dozen
 * features over a few thousand rows. The bias (feature 0) is not regularised.
 */

export interface Sample {
  x: number[];
  y: 0 | 1;
}

const ITERATIONS = 50;
const TOLERANCE = 1e-9;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function dot(w: number[], x: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * x[i];
  return s;
}

export function fitLogistic(samples: Sample[], lambda: number): number[] {
  if (samples.length === 0) throw new Error('no samples to fit');
  const d = samples[0].x.length;
  let w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gradient = w.map((wi, i) => (i === 0 ? 0 : lambda * wi));
    const hessian = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j && i > 0 ? lambda : 0)));
    for (const { x, y } of samples) {
      const p = sigmoid(dot(w, x));
      const r = p * (1 - p);
      for (let i = 0; i < d; i++) {
        if (x[i] === 0) continue;
        gradient[i] += (p - y) * x[i];
        const weighted = r * x[i];
        const row = hessian[i];
        // Only the lower triangle: the Hessian is symmetric and the Cholesky solve reads no other half.
        for (let j = 0; j <= i; j++) row[j] += weighted * x[j];
      }
    }
    // A tiny ridge keeps the system solvable when a feature is constant in these rows (the bias included).
    for (let i = 0; i < d; i++) hessian[i][i] += 1e-8;
    const step = solve(hessian, gradient);
    w = w.map((wi, i) => wi - step[i]);
    if (Math.max(...step.map(Math.abs)) < TOLERANCE) break;
  }
  return w;
}

/** Solves A·x = b for a symmetric positive definite A (Cholesky), reading only A's lower triangle. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}
