import type { Reading } from './reading.ts';
import { answerProbability, rankCandidates, type Ranked, type RankingModel } from './rank.ts';

/**
 * Step 4: answer or abstain, and with which paragraphs. The best candidate answers when the decision
 * model gives it at least the fitted answer threshold. Each clause of the question and each
 * document a comparison names is a question of its own, answered by its best paragraph on the same
 * test; a runner-up of the whole question joins when its ranking probability reaches the fitted
 * extra threshold. Both thresholds were chosen on cross-validation folds (learn/fit.ts), not by hand.
 */

/** An answer quotes at most this many paragraphs: beyond three, multi-part gold answers gained nothing on the folds. */
export const MAX_PICKS = 3;

export interface Decision {
  /** The candidates in model order, for `retrieved` and the model path. */
  ranked: Ranked[];
  /** What the answer cites, in the order shown; empty when abstaining. */
  picks: Ranked[];
}

export function decide(reading: Reading, model: RankingModel): Decision {
  const ranked = rankCandidates(reading.context.candidates, reading.context, model.ranker);
  if (answerProbability(ranked, model.decision) < model.answerThreshold) return { ranked, picks: [] };
  const picks: Ranked[] = [ranked[0]];
  const add = (r: Ranked | undefined) => {
    if (r && picks.length < MAX_PICKS && !picks.some((p) => p.candidate.paragraph.id === r.candidate.paragraph.id)) picks.push(r);
  };
  const answers = (list: Ranked[]) => (answerProbability(list, model.decision) >= model.answerThreshold ? list[0] : undefined);
  const pointers = reading.frame.documents.filter((d) => d.by !== 'kind');
  if (pointers.length > 1) for (const pointer of pointers) add(answers(ranked.filter((r) => pointer.symbols.includes(r.candidate.paragraph.symbol))));
  for (const clause of reading.clauses) add(answers(rankCandidates(clause.candidates, clause, model.ranker)));
  for (const r of ranked.slice(1)) if (r.probability >= model.extraThreshold) add(r);
  return { ranked, picks };
}
