import type { Difference, Verdict } from '../../core/answer.ts';
import type { Claim, Comparison } from './compare.ts';

/**
 * The verdict from the comparisons, deterministic. The thresholds sit where a true claim paraphrasing
 * its paragraph still clears them and a claim about another paragraph does not; `npm run eval --
 * --claims FILE --cross-validate` refits them on labelled cases, leaving each case out in turn, and
 * reports how the refitted thresholds do on the cases left out (docs/claim-check.md).
 */

export interface Thresholds {
  /** Share of the claim's weighted terms the cited paragraph must hold for "supported". */
  support: number;
  /** Share another paragraph must hold to be named as where the content is. */
  locate: number;
  /** How much better than the cited one that other paragraph must cover the claim. */
  margin: number;
  /** Below this share, the cited paragraph is not about the claim at all. */
  absent: number;
}

export const THRESHOLDS: Thresholds = { support: 0.7, locate: 0.6, margin: 0.2, absent: 0.35 };
/** English claims offline: fewer Chinese terms than this are too little to call anything supported. */
const MIN_ENGLISH_TERMS = 4;

/** Differences that settle a verdict by themselves: the paragraph states something else. */
const HARD: Difference['kind'][] = ['number', 'year', 'binding', 'direction', 'negation', 'modality', 'actor', 'condition', 'scope'];

export interface Candidate<T> {
  item: T;
  comparison: Comparison;
  /** Cosine of the claim and the paragraph in CC-CEDICT's gloss space (knowledge/answer/gloss.ts), 0 when unknown. */
  gloss?: number;
}

/**
 * Gloss-space similarity meets terms where wording differs (near-synonyms, an English claim's words that
 * the lexicon renders otherwise than the documents): a paragraph whose similarity to the claim is at
 * least GLOSS_MIN, the highest of all candidates and GLOSS_RATIO times the cited paragraph's, is where the
 * content is, when it also holds more than `absent` of the claim's terms and none of its figures differ.
 */
const GLOSS_MIN = 0.25;
const GLOSS_RATIO = 2;

export function rank(claim: Claim, comparison: Comparison, gloss = 0): number {
  return comparison.coverage + (claim.facts.length ? 0.2 * (comparison.factsFound / claim.facts.length) : 0) + gloss;
}

const ranked = <T>(claim: Claim, others: Candidate<T>[]) => [...others].sort((a, b) => rank(claim, b.comparison, b.gloss) - rank(claim, a.comparison, a.gloss));

const factMisses = (c: Comparison) => c.differences.filter((d) => d.kind === 'number' || d.kind === 'year').length;

export interface Decision<T> {
  verdict: Verdict;
  /** The other paragraph that holds the claim, when one does. */
  located?: T;
  /** What differs between the claim and the cited paragraph. */
  differences: Difference[];
}

export function decide<T>(claim: Claim, cited: Comparison, others: Candidate<T>[], t: Thresholds = THRESHOLDS, citedGloss = 0): Decision<T> {
  const best = ranked(claim, others)[0];
  const hard = cited.differences.filter((d) => HARD.includes(d.kind));
  // Named by its words, a paragraph must also be at least as close in sense as the cited one.
  const elsewhere =
    best &&
    (best.gloss ?? 0) >= citedGloss &&
    best.comparison.coverage >= t.locate &&
    factMisses(best.comparison) < Math.max(1, factMisses(cited)) &&
    (best.comparison.coverage - cited.coverage >= t.margin || (factMisses(cited) > 0 && factMisses(best.comparison) === 0 && best.comparison.coverage >= cited.coverage));
  if (elsewhere) return { verdict: 'not_supported', located: best.item, differences: hard };
  const similar = [...others].sort((a, b) => (b.gloss ?? 0) - (a.gloss ?? 0))[0];
  const bySense =
    similar &&
    cited.coverage < t.support &&
    (similar.gloss ?? 0) >= GLOSS_MIN &&
    (similar.gloss ?? 0) >= GLOSS_RATIO * citedGloss &&
    similar.comparison.coverage >= t.absent &&
    factMisses(similar.comparison) === 0;
  if (bySense) return { verdict: 'not_supported', located: similar.item, differences: hard };
  const content: Difference[] = cited.missing.slice(0, 3).map((t) => ({ kind: 'content', claim: t.term }));
  if (cited.coverage >= t.support) {
    if (hard.length) return { verdict: 'not_supported', differences: hard };
    const tooFewTerms = claim.language === 'en' && claim.terms.length < MIN_ENGLISH_TERMS;
    return tooFewTerms ? { verdict: 'cannot_tell', differences: content } : { verdict: 'supported', differences: [] };
  }
  if (hard.length && cited.coverage >= t.absent) return { verdict: 'not_supported', differences: hard };
  if (cited.coverage < t.absent && claim.terms.length >= MIN_ENGLISH_TERMS) return { verdict: 'not_supported', differences: content };
  return { verdict: 'cannot_tell', differences: [...hard, ...content] };
}

/** Where the content is, for a paragraph that does not exist: only a clear match is named. */
export function locateOnly<T>(claim: Claim, others: Candidate<T>[], t: Thresholds = THRESHOLDS): T | undefined {
  const best = ranked(claim, others)[0];
  if (!best) return undefined;
  const c = best.comparison;
  return c.coverage >= t.support && factMisses(c) === 0 && !c.differences.some((d) => HARD.includes(d.kind)) ? best.item : undefined;
}
