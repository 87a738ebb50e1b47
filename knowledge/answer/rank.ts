import { readFileSync } from 'node:fs';
import { dot, sigmoid } from '../learn/logistic.ts';
import { softmax } from '../learn/listwise.ts';
import type { Candidate } from './candidates.ts';
import { FEATURES, featuresOf, type FeatureContext } from './features.ts';

/**
 * Step 3b: the learned ranking. Each candidate's features are weighed by a listwise model fitted on
 * labelled questions (`npm run train`, learn/fit.ts); its score orders the candidates, and the
 * softmax of the scores, each candidate's share of the belief that one of them answers, is its
 * probability. Whether the best of them answers at all is the decision model's call (decide.ts),
 * fitted with it.
 */

export interface LinearModel {
  features: readonly string[];
  weights: number[];
}

export interface RankingModel {
  ranker: LinearModel;
  /** Weighs the best candidate's standing (decide.ts DECISION_FEATURES): is it an answer at all? */
  decision: LinearModel;
  /** The best candidate answers when the decision model gives it at least this probability. */
  answerThreshold: number;
  /** A runner-up joins the answer at or above this share of the ranking (its softmax probability). */
  extraThreshold: number;
  /** How the weights were fitted: the L2 strengths chosen on the folds, the questions used. */
  fitted: { lambda: number; decisionLambda: number; questions: number; files: string[] };
}

export interface Ranked {
  candidate: Candidate;
  features: number[];
  logit: number;
  probability: number;
}

export const WEIGHTS_FILE = new URL('./weights.json', import.meta.url);

export function loadRankingModel(): RankingModel {
  let model: RankingModel;
  try {
    model = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as RankingModel;
  } catch (error) {
    throw new Error(`The ranking weights (${WEIGHTS_FILE.pathname}) cannot be read (${error instanceof Error ? error.message : error}): run \`npm run train\`.`);
  }
  checkModel(model);
  return model;
}

export function checkModel(model: RankingModel): void {
  if (!fits(model.ranker, FEATURES) || !fits(model.decision, DECISION_FEATURES)) {
    throw new Error('The ranking weights were fitted for other features than this version computes: run `npm run train`.');
  }
}

function fits(model: LinearModel | undefined, features: readonly string[]): boolean {
  return Array.isArray(model?.features) && model.features.join() === features.join() && model.weights?.length === features.length;
}

export function rankCandidates(candidates: Candidate[], context: FeatureContext, ranker: LinearModel): Ranked[] {
  const scored = candidates.map((candidate) => {
    const features = featuresOf(candidate, context);
    const logit = dot(ranker.weights, features);
    return { candidate, features, logit, probability: 0 };
  });
  const shares = softmax(scored.map((r) => r.logit));
  scored.forEach((r, i) => (r.probability = shares[i]));
  return scored
    .sort((a, b) => b.logit - a.logit || a.candidate.globalRank - b.candidate.globalRank || a.candidate.scopedRank - b.candidate.scopedRank);
}

/**
 * What the decision model knows about a ranking: how strongly the best candidate was preferred, and
 * over the runner-up; how much of the question it holds; how much of the question the documents
 * never mention; and whether it lacks what the question asks for (the number, the date, the name, a
 * quoted title, the year).
 */
export const DECISION_FEATURES = ['bias', 'topLogit', 'gap', 'cover', 'unseenShare', 'heaviestMissing', 'asksMissing', 'namedMissing', 'focusMissing', 'yearsMissing', 'fewTerms'] as const;

const at = (name: (typeof FEATURES)[number]) => FEATURES.indexOf(name);
const MISSING = (['numberMissing', 'dateMissing', 'placeMissing', 'nameMissing', 'reasonMissing', 'definitionMissing'] as const).map(at);
const [TOP_COVER, UNSEEN, HEAVIEST_MISSING, NAMED_MISSING, FOCUS_MISSING, YEARS_MISSING, FEW_TERMS] = (
  ['cover', 'unseenShare', 'heaviestMissing', 'namedMissing', 'focusMissing', 'yearsMissing', 'fewTerms'] as const
).map(at);

/** A ranked candidate as the decision model sees it. */
export type Standing = Pick<Ranked, 'features' | 'logit'>;

export function decisionFeatures(ranked: Standing[]): number[] | undefined {
  const [best, next] = ranked;
  if (!best) return undefined;
  const x = best.features;
  return [
    1,
    best.logit,
    best.logit - (next?.logit ?? best.logit - 5),
    x[TOP_COVER],
    x[UNSEEN],
    x[HEAVIEST_MISSING],
    MISSING.reduce((s, i) => s + x[i], 0),
    x[NAMED_MISSING],
    x[FOCUS_MISSING],
    x[YEARS_MISSING],
    x[FEW_TERMS],
  ];
}

/** The probability that the best candidate of this ranking answers the question. */
export function answerProbability(ranked: Standing[], decision: LinearModel): number {
  const g = decisionFeatures(ranked);
  return g ? sigmoid(dot(decision.weights, g)) : 0;
}
