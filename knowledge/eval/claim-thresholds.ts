import type { Thresholds } from '../check/verdict.ts';
import { claimMetrics, type ClaimCase, type ClaimMetrics } from './claims.ts';
import type { CheckJson } from '../../bot/render/json.ts';

/**
 * Leave-one-out cross-validation of the claim-check thresholds: for each case, the thresholds that do
 * best on all the other cases (accuracy, with each false "supported" counting as three errors) decide
 * that case. The figures over the left-out cases are what to expect on cases the thresholds never saw.
 */

export const GRID: Record<keyof Thresholds, number[]> = {
  support: [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
  locate: [0.5, 0.55, 0.6, 0.65, 0.7, 0.75],
  margin: [0.1, 0.15, 0.2, 0.25, 0.3],
  absent: [0.25, 0.3, 0.35, 0.4, 0.45],
};

const FALSE_SUPPORTED_COST = 3;

export interface Folded {
  gold: ClaimCase;
  /** The case's check under any thresholds (the comparison is done once). */
  conclude: (t: Thresholds) => CheckJson;
}

function grid(): Thresholds[] {
  const out: Thresholds[] = [];
  for (const support of GRID.support) for (const locate of GRID.locate) for (const margin of GRID.margin) for (const absent of GRID.absent) if (absent < support) out.push({ support, locate, margin, absent });
  return out;
}

function score(m: ClaimMetrics, n: number): number {
  const falseSupported = Math.round((m.falseSupported ?? 0) * n);
  return (m.accuracy ?? 0) * m.cases - FALSE_SUPPORTED_COST * falseSupported;
}

/** Index of the thresholds that do best on the given cases, the more cautious (higher `support`) on ties. */
function best(checks: CheckJson[][], golds: ClaimCase[], cases: number[], candidates: Thresholds[]): number {
  let chosen = 0;
  let chosenScore = Number.NEGATIVE_INFINITY;
  const unsupported = cases.filter((c) => golds[c].verdict !== 'supported').length;
  candidates.forEach((t, g) => {
    const s = score(claimMetrics(cases.map((c) => ({ gold: golds[c], check: checks[c][g] }))), unsupported);
    if (s > chosenScore || (s === chosenScore && t.support > candidates[chosen].support)) {
      chosen = g;
      chosenScore = s;
    }
  });
  return chosen;
}

export function crossValidate(cases: Folded[]): { metrics: ClaimMetrics; fitted: Thresholds } {
  const candidates = grid();
  const checks = cases.map((c) => candidates.map((t) => c.conclude(t)));
  const golds = cases.map((c) => c.gold);
  const all = cases.map((_, i) => i);
  const pairs = cases.map((held, i) => ({ gold: held.gold, check: checks[i][best(checks, golds, all.filter((j) => j !== i), candidates)] }));
  return { metrics: claimMetrics(pairs), fitted: candidates[best(checks, golds, all, candidates)] };
}
