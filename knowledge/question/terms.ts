import { bigrams, normalizeForSearch, words } from '../../index/lexical/tokenize.ts';

/**
 * What a question is about, as weighted terms, and how much of it a text contains: the evidence
 * behind the ranking features, sentence choice and the decision to answer. Weights are the index's
 * own inverse document frequencies, so a word every paragraph has counts for little.
 */

export interface TermWeights {
  /** Inverse document frequency of a jieba word (field 'words') or a Han bigram (field 'bigrams'). */
  idf(term: string, field?: 'words' | 'bigrams'): number;
  /** Near-synonyms and translations that occur in the index, weighted 0–1 (empty without a lexicon). */
  related(term: string): { word: string; weight: number }[];
}

export interface WeightedTerm {
  term: string;
  weight: number;
  /** Han bigrams of the term, for partial matches of compounds cut differently. */
  grams: string[];
  /** Words that stand for the term in other wording, with the credit a match through them earns. */
  variants: { word: string; weight: number }[];
}

/** Cuts that fuse a question word with a neighbour ("占多大", "有多少") ask rather than name anything. */
const QUESTION_WORD = /多少|多大|多长|什么|怎么|如何|哪|几|为啥|干嘛/;

/** The content terms of a text with IDF weights; sub-words already contained in a longer term are dropped. */
export function termsOf(content: string, weights: TermWeights): WeightedTerm[] {
  const cleaned = normalizeForSearch(content).replace(/\b[a-z]{1,5}(?:\/[a-z0-9.]+)+/g, ' ');
  const all = [...new Set(words(cleaned))];
  const kept = all.filter((t) => !QUESTION_WORD.test(t) && !all.some((other) => other !== t && other.length > t.length && other.includes(t)));
  return kept.map((term) => ({ term, weight: weights.idf(term), grams: bigrams(term), variants: weights.related(term) }));
}

/** The Han bigrams of a text with IDF weights: the evidence that survives a different segmentation. */
export function gramsOf(content: string, weights: TermWeights): WeightedTerm[] {
  return [...new Set(bigrams(content))].filter((g) => !QUESTION_WORD.test(g)).map((g) => ({ term: g, weight: weights.idf(g, 'bigrams'), grams: [], variants: [] }));
}

/** Fraction (0–1) of one term found in a normalized text: whole, by its Han bigrams, or through a variant. */
export function termPresence(term: WeightedTerm, normalizedText: string, withVariants = true): number {
  if (normalizedText.includes(term.term)) return 1;
  let best = gramShare(term.grams, normalizedText);
  if (withVariants) for (const v of term.variants) if (v.weight > best && normalizedText.includes(v.word)) best = v.weight;
  return best;
}

function gramShare(grams: string[], normalizedText: string): number {
  if (grams.length < 2) return 0;
  return grams.filter((g) => normalizedText.includes(g)).length / grams.length;
}

/** IDF-weighted share of the terms that a normalized text contains. */
export function coverage(terms: WeightedTerm[], normalizedText: string, withVariants = true): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 0;
  return terms.reduce((sum, t) => sum + t.weight * termPresence(t, normalizedText, withVariants), 0) / total;
}

