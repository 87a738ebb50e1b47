import { describe, expect, it } from 'vitest';
import type { Paragraph } from '../core/paragraph.ts';
import { doc } from './support/document-metas.ts';
import type { Candidate } from '../knowledge/answer/candidates.ts';
import { decide, MAX_PICKS } from '../knowledge/answer/decide.ts';
import { FEATURES, type FeatureContext } from '../knowledge/answer/features.ts';
import { DECISION_FEATURES, type RankingModel } from '../knowledge/answer/rank.ts';
import type { Reading } from '../knowledge/answer/reading.ts';
import { readQuestion } from '../knowledge/question/frame.ts';
import { termsOf } from '../knowledge/question/terms.ts';

/**
 * The decision step on fixtures of its own: a tiny corpus, and a ranking model whose weights are set
 * here (the ranking prefers what covers the question; the decision trusts a strong best candidate),
 * so that each rule of the step shows on its own.
 */

const DOCUMENTS = [doc('A/1/1', 'report', '2003'), doc('A/2/2', 'report', '2021')];
const para = (symbol: string, label: string, text: string, position: number): Paragraph => ({ id: `${symbol}#${label}`, symbol, kind: 'report', date: '', language: 'zh', label, section: [], text, position });
const PARAGRAPHS = [
  para('A/1/1', '1', '植树造林的资金来自地方政府。', 0),
  para('A/1/1', '2', '河流治理需要长期监测。', 1),
  para('A/2/2', '1', '植树造林如今由企业出资。', 0),
  para('A/2/2', '2', '河流治理的监测已交给志愿者。', 1),
];
const WEIGHTS = { idf: () => 1, related: () => [] };

function model(answerThreshold: number, extraThreshold = 1): RankingModel {
  const ranker = FEATURES.map((f) => (f === 'cover' ? 10 : f === 'bias' ? -5 : 0));
  const decision = DECISION_FEATURES.map((f) => (f === 'topLogit' ? 1 : 0));
  return {
    ranker: { features: [...FEATURES], weights: ranker },
    decision: { features: [...DECISION_FEATURES], weights: decision },
    answerThreshold,
    extraThreshold,
    fitted: { lambda: 1, decisionLambda: 1, questions: 0, files: [] },
  };
}

function context(question: string, candidates: Candidate[], frame = readQuestion(question, DOCUMENTS)): FeatureContext {
  return { frame, terms: termsOf(frame.content, WEIGHTS), grams: [], candidates, documents: DOCUMENTS, focus: [], neighbours: () => [], glossSimilarity: () => 0, unseenWeight: Infinity };
}

const candidates = (): Candidate[] => PARAGRAPHS.map((paragraph, i) => ({ paragraph, globalRank: i, scopedRank: 15, relativeScore: 1, margin: 0 }));

function reading(question: string, clauses: string[] = []): Reading {
  const frame = readQuestion(question, DOCUMENTS);
  return { frame, query: frame.content, candidates: candidates(), context: context(question, candidates(), frame), clauses: clauses.map((c) => context(c, candidates())) };
}

describe('the answer/abstain decision', () => {
  it('answers with the best candidate when the decision model trusts it', () => {
    const { picks } = decide(reading('植树造林的资金从哪来'), model(0.5));
    expect(picks.map((p) => p.candidate.paragraph.id)[0]).toMatch(/#1$/);
  });

  it('abstains, keeping the ranking, when the best candidate falls below the fitted threshold', () => {
    const { picks, ranked } = decide(reading('植树造林的资金从哪来'), model(0.999));
    expect(picks).toEqual([]);
    expect(ranked.length).toBe(PARAGRAPHS.length);
  });

  it('answers each document a comparison names with that document’s best paragraph', () => {
    const { picks } = decide(reading('2003年的报告和2021年的报告对植树造林怎么说'), model(0.5));
    expect(new Set(picks.map((p) => p.candidate.paragraph.symbol))).toEqual(new Set(['A/1/1', 'A/2/2']));
  });

  it('answers each clause with its own best paragraph', () => {
    const { picks } = decide(reading('植树造林谁出资？河流治理怎么监测？', ['植树造林谁出资', '河流治理怎么监测']), model(0.5));
    const texts = picks.map((p) => p.candidate.paragraph.text);
    expect(texts.some((t) => t.includes('植树造林'))).toBe(true);
    expect(texts.some((t) => t.includes('河流治理'))).toBe(true);
  });

  it('adds runners-up only at the fitted extra threshold, and never more than MAX_PICKS paragraphs', () => {
    expect(decide(reading('植树造林'), model(0.5, 1)).picks).toHaveLength(1);
    const all = decide(reading('植树造林 河流治理 资金 监测'), model(0.01, 0));
    expect(all.picks).toHaveLength(MAX_PICKS);
  });
});
