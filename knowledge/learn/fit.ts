import { createHash } from 'node:crypto';
import type { KnowledgeIndex } from '../../index/knowledge-index.ts';
import { viewRequest } from '../question/view-request.ts';
import { featuresOf, FEATURES, type FeatureContext } from '../answer/features.ts';
import { readFrame } from '../answer/reading.ts';
import { DECISION_FEATURES, decisionFeatures, type RankingModel, type Standing } from '../answer/rank.ts';
import { hits, type GoldQuestion } from '../eval/metrics.ts';
import { readQuestion } from '../question/frame.ts';
import { dot, fitLogistic, sigmoid, type Sample } from './logistic.ts';
import { fitListwise, informative, listLoss, softmax } from './listwise.ts';

/**
 * Fitting the ranking model on labelled questions (`npm run train`, `npm run eval -- --cv K`).
 * Every candidate the pipeline considers for a question becomes a row, labelled by whether it is a
 * gold paragraph (SCHEME.md's rule, the one the metrics use). The ranker is fitted listwise
 * (listwise.ts): each question's gold paragraphs against its other candidates. On 5-fold
 * cross-validation over train + dev it put the gold paragraph first for 0.707 of the answerable
 * questions where the pointwise logistic fit of the same features did for 0.694. Whether the best
 * candidate answers at all is a second, pointwise model over the ranking's standing (rank.ts
 * DECISION_FEATURES), fitted on out-of-fold rankings. The L2 strengths and both thresholds are
 * chosen on folds of the training questions, never on the questions being predicted, and the folds
 * are made deterministically, stratified by question type.
 */

/** The L2 strengths tried; the one with the lowest out-of-fold loss is kept. */
const LAMBDAS = [0.03, 0.1, 0.3, 1, 3, 10];
/** Folds used inside a fit to choose the L2 strength and the thresholds. */
const INNER_FOLDS = 5;
/** The abstention threshold keeps false abstentions on the folds at or below this share (issue 9). */
const MAX_FALSE_ABSTENTION = 0.05;

export interface QuestionRows {
  id: string;
  type: string;
  answerable: boolean;
  /** Rows of the whole question's ranking. */
  main: Sample[];
  /** Rows of each clause's own ranking (multi-part questions). */
  clauses: Sample[][];
}

/** The rows of every question that reaches the ranker (a question naming a paragraph is looked up instead). */
export async function questionRows(index: KnowledgeIndex, questions: GoldQuestion[]): Promise<QuestionRows[]> {
  const out: QuestionRows[] = [];
  for (const q of questions) {
    const frame = readQuestion(q.q, index.documents);
    if (frame.paragraphs.length > 0) continue;
    const reading = await readFrame(await index.view(viewRequest(frame, [], index.documents)), frame);
    if (!reading) continue;
    const rows = (context: FeatureContext): Sample[] =>
      context.candidates.map((c) => ({
        x: featuresOf(c, context),
        y: q.gold.some((g) => hits(g, { symbol: c.paragraph.symbol, paragraph: c.paragraph.label, text: c.paragraph.text })) ? 1 : 0,
      }));
    out.push({ id: q.id, type: q.type, answerable: q.type !== 'abstain' && q.gold.length > 0, main: rows(reading.context), clauses: reading.clauses.map(rows) });
  }
  return out;
}

/** Deterministic folds stratified by type: within a type, questions are dealt round-robin in hash order. */
export function folds<T extends { id: string; type: string }>(items: T[], k: number): T[][] {
  const out: T[][] = Array.from({ length: k }, () => []);
  const byType = new Map<string, T[]>();
  for (const item of items) byType.set(item.type, [...(byType.get(item.type) ?? []), item]);
  let next = 0;
  for (const type of [...byType.keys()].sort()) {
    const group = byType.get(type)!.sort((a, b) => hash(a.id).localeCompare(hash(b.id)));
    for (const item of group) out[next++ % k].push(item);
  }
  return out;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const listsOf = (questions: QuestionRows[]) => questions.flatMap((q) => [q.main, ...q.clauses]);

interface OutOfFold {
  /** Per ranking (whole questions and clauses): the decision features and whether its best candidate is gold. */
  decisions: { question: QuestionRows; main: boolean; g: number[]; correct: boolean }[];
  /** Runners-up of whole questions: their ranking probability and whether they are gold. */
  extras: { p: number; correct: boolean }[];
  loss: number;
}

function ranking(rows: Sample[], w: number[]): (Standing & { correct: boolean })[] {
  return rows.map((s) => ({ features: s.x, logit: dot(w, s.x), correct: s.y === 1 })).sort((a, b) => b.logit - a.logit);
}

/** The ranker fitted on all folds but one, applied to the one left out, for every fold. */
function outOfFold(questions: QuestionRows[], lambda: number): OutOfFold {
  const result: OutOfFold = { decisions: [], extras: [], loss: 0 };
  const split = folds(questions, INNER_FOLDS);
  split.forEach((held, i) => {
    const training = listsOf(split.filter((_, j) => j !== i).flat());
    if (!training.some(informative) || held.length === 0) return;
    const w = fitListwise(training, lambda);
    result.loss += listLoss(w, listsOf(held).filter(informative));
    for (const q of held) {
      const lists = [q.main, ...q.clauses].map((rows) => ranking(rows, w));
      lists.forEach((list, k) => {
        const g = decisionFeatures(list);
        if (g) result.decisions.push({ question: q, main: k === 0, g, correct: list[0].correct });
      });
      const shares = softmax(lists[0].map((r) => r.logit));
      result.extras.push(...lists[0].slice(1, 3).map((r, k) => ({ p: shares[k + 1], correct: r.correct })));
    }
  });
  return result;
}

/** The decision model's L2 strength and out-of-fold probabilities, over folds of the questions. */
function decisionOutOfFold(decisions: OutOfFold['decisions'], lambda: number): { loss: number; p: Map<OutOfFold['decisions'][number], number> } {
  const p = new Map<OutOfFold['decisions'][number], number>();
  let loss = 0;
  const byQuestion = folds(
    [...new Set(decisions.map((d) => d.question))].map((q) => ({ id: q.id, type: q.type, q })),
    INNER_FOLDS,
  );
  byQuestion.forEach((held) => {
    const heldIds = new Set(held.map((h) => h.id));
    const training = decisions.filter((d) => !heldIds.has(d.question.id)).map((d) => ({ x: d.g, y: (d.correct ? 1 : 0) as 0 | 1 }));
    if (training.length === 0) return;
    const v = fitLogistic(training, lambda);
    for (const d of decisions.filter((d) => heldIds.has(d.question.id))) {
      const prob = sigmoid(dot(v, d.g));
      p.set(d, prob);
      loss -= Math.log(Math.min(1 - 1e-12, Math.max(1e-12, d.correct ? prob : 1 - prob)));
    }
  });
  return { loss, p };
}

/**
 * The highest threshold whose false-abstention share stays within MAX_FALSE_ABSTENTION: it abstains
 * as often as that allows, which is as often as it can on the questions the documents do not answer.
 */
export function chooseAnswerThreshold(tops: { answerable: boolean; p: number }[]): number {
  const answerable = tops.filter((t) => t.answerable).map((t) => t.p).sort((a, b) => a - b);
  if (answerable.length === 0) return 0.5;
  const allowed = Math.floor(MAX_FALSE_ABSTENTION * answerable.length);
  // Abstaining below the (allowed+1)-th lowest answerable probability abstains on `allowed` of them.
  return answerable[allowed];
}

/** The threshold at which adding runners-up gains the most right citations over wrong ones. */
export function chooseExtraThreshold(extras: OutOfFold['extras']): number {
  const sorted = [...extras].sort((a, b) => b.p - a.p);
  let best = { gain: 0, threshold: 1 };
  let gain = 0;
  for (const e of sorted) {
    gain += e.correct ? 1 : -1;
    if (gain > best.gain) best = { gain, threshold: e.p };
  }
  return best.threshold;
}

const lowestLoss = <T extends { loss: number }>(trials: T[]): T => trials.reduce((a, b) => (b.loss < a.loss ? b : a));

export function fitRankingModel(questions: QuestionRows[], files: string[]): RankingModel {
  const ranked = lowestLoss(LAMBDAS.map((lambda) => ({ lambda, ...outOfFold(questions, lambda) })));
  const decided = lowestLoss(LAMBDAS.map((lambda) => ({ lambda, ...decisionOutOfFold(ranked.decisions, lambda) })));
  const tops = ranked.decisions.filter((d) => d.main).map((d) => ({ answerable: d.question.answerable, p: decided.p.get(d) ?? 0 }));
  const rankerWeights = fitListwise(listsOf(questions), ranked.lambda);
  const decisionWeights = fitLogistic(
    ranked.decisions.map((d) => ({ x: d.g, y: (d.correct ? 1 : 0) as 0 | 1 })),
    decided.lambda,
  );
  // A weight that rounds to zero is written as 0: JSON has no −0, and the committed file must read back equal.
  const round = (w: number[]) => w.map((x) => Number(x.toFixed(6)) || 0);
  return {
    ranker: { features: [...FEATURES], weights: round(rankerWeights) },
    decision: { features: [...DECISION_FEATURES], weights: round(decisionWeights) },
    answerThreshold: Number(chooseAnswerThreshold(tops).toFixed(6)),
    extraThreshold: Number(chooseExtraThreshold(ranked.extras).toFixed(6)),
    fitted: { lambda: ranked.lambda, decisionLambda: decided.lambda, questions: questions.length, files },
  };
}
