import { dot, solve, type Sample } from './logistic.ts';

/**
 * L2-regularised listwise ranking (the conditional logit): for each ranked list, the probability
 * that its right paragraphs come first is the softmax share of their scores, and the fit maximises
 * that share over all lists. Unlike a pointwise fit, it spends nothing on telling apart a question's
 * candidates from another question's, only on putting each question's answer above its rivals.
 * Newton steps on the curvature of the whole list (an upper bound of the objective's), with a
 * backtracking line search, so the same lists always give the same weights.
 */

const ITERATIONS = 100;
const TOLERANCE = 1e-9;

/** A list that teaches anything has a right candidate and a wrong one. */
export function informative(list: Sample[]): boolean {
  return list.some((s) => s.y === 1) && list.some((s) => s.y === 0);
}

/** Softmax of scores, stable for any range. */
export function softmax(scores: number[]): number[] {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

function logSumExp(scores: number[]): number {
  const top = Math.max(...scores);
  return top + Math.log(scores.reduce((s, x) => s + Math.exp(x - top), 0));
}

/** −log of the share the right candidates take, summed over lists. */
export function listLoss(w: number[], lists: Sample[][]): number {
  let loss = 0;
  for (const list of lists) {
    const scores = list.map((s) => dot(w, s.x));
    loss += logSumExp(scores) - logSumExp(scores.filter((_, i) => list[i].y === 1));
  }
  return loss;
}

export function fitListwise(lists: Sample[][], lambda: number): number[] {
  const used = lists.filter(informative);
  if (used.length === 0) throw new Error('no ranked list with a right and a wrong candidate to fit');
  const d = used[0][0].x.length;
  let w = new Array<number>(d).fill(0);
  const objective = (v: number[]) => listLoss(v, used) + (lambda / 2) * v.reduce((s, x) => s + x * x, 0);
  let current = objective(w);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gradient = w.map((wi) => lambda * wi);
    const hessian = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? lambda + 1e-8 : 0)));
    for (const list of used) {
      const scores = list.map((s) => dot(w, s.x));
      const q = softmax(scores);
      const rightScores = scores.map((s, i) => (list[i].y === 1 ? s : -Infinity));
      const p = softmax(rightScores);
      const mean = new Array<number>(d).fill(0);
      list.forEach((s, k) => {
        for (let i = 0; i < d; i++) {
          mean[i] += q[k] * s.x[i];
          gradient[i] += (q[k] - p[k]) * s.x[i];
        }
      });
      list.forEach((s, k) => {
        if (q[k] < 1e-12) return;
        const centred = s.x.map((x, i) => x - mean[i]);
        for (let i = 0; i < d; i++) {
          if (centred[i] === 0) continue;
          const weighted = q[k] * centred[i];
          const row = hessian[i];
          // Only the lower triangle: the Hessian is symmetric and the Cholesky solve reads no other half.
          for (let j = 0; j <= i; j++) row[j] += weighted * centred[j];
        }
      });
    }
    const step = solve(hessian, gradient);
    let t = 1;
    let next = w.map((wi, i) => wi - t * step[i]);
    let value = objective(next);
    while (value > current && t > 1e-6) {
      t /= 2;
      next = w.map((wi, i) => wi - t * step[i]);
      value = objective(next);
    }
    if (value > current) break;
    const moved = Math.max(...step.map((s) => Math.abs(s * t)));
    w = next;
    current = value;
    if (moved < TOLERANCE) break;
  }
  return w;
}
