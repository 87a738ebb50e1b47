import type { Difference, Language } from '../../core/answer.ts';
import { normalizeForSearch, words } from '../../index/lexical/tokenize.ts';
import { coverage, type TermWeights, type WeightedTerm } from '../question/terms.ts';
import { claimTerms, missingTerms } from './claim-terms.ts';
import { comparisonDifferences } from './comparatives.ts';
import { chineseOfPhrase, chineseTermsOf, type Translate } from './english.ts';
import { factsIn, sameFact, type Fact } from './facts.ts';
import { actorsIn, condition, direction, englishNegatedWords, negatedAt, paragraphNames, permission, strongestAct, universal } from './signals.ts';

/**
 * A claim read once, and compared with a paragraph: how much of the claim's content the paragraph holds
 * (IDF-weighted terms, as answers are judged) and which parts of the claim it contradicts or does not
 * state. The paragraph is always Chinese; an English claim is compared through its Chinese terms and
 * its own cue words.
 */

export interface Claim {
  text: string;
  language: Language;
  terms: WeightedTerm[];
  facts: Fact[];
  /** For English claims: the words after a negation, with their Chinese renderings. */
  negated?: Array<{ phrase: string; chinese: string[] }>;
  /** The Chinese search query for the claim's content. */
  query: string;
}

export interface Comparison {
  coverage: number;
  missing: WeightedTerm[];
  /** Facts of the claim that the paragraph states too, and those it does not. */
  factsFound: number;
  differences: Difference[];
}

/**
 * An English claim's terms are its units' first renderings, with the other renderings as variants at
 * the credit the lexicon gives them.
 */
export function readClaim(text: string, language: Language, weights: TermWeights, translate: Translate): Claim {
  const facts = factsIn(text);
  if (language === 'zh') return { text, language, terms: claimTerms(text, weights), facts, query: text };
  const english = chineseTermsOf(text, translate);
  const terms = english.groups.flatMap(([first, ...others]) => {
    // Any rendering matches, so the group says no more than its most common one.
    const weight = Math.min(...[first, ...others].map((r) => weights.idf(r.word)));
    return claimTerms(first.word, weights).map((t) => ({ ...t, weight: Math.min(t.weight, weight), variants: [...t.variants, ...others] }));
  });
  // The negation governs the word right after it ("without consultations"), not the whole phrase.
  const negated = englishNegatedWords(text).map((phrase) => {
    const head = phrase.split(' ');
    return { phrase, chinese: [head.slice(0, 2).join(' '), head[0]].flatMap((p) => chineseOfPhrase(p, translate)) };
  });
  return { text, language, terms: terms.filter((t, i, all) => all.findIndex((u) => u.term === t.term) === i), facts, negated, query: english.query };
}

/**
 * `own` is the paragraph's text (a numbered paragraph with its sub-paragraphs); `context` the lead-in a
 * sub-paragraph depends on for its actor and its verb ("请秘书长……：").
 */
export function compare(claim: Claim, own: string, context = ''): Comparison {
  const whole = context ? `${context}\n${own}` : own;
  const differences: Difference[] = [];
  const ownFacts = factsIn(own);
  let factsFound = 0;
  for (const fact of claim.facts) {
    if (ownFacts.some((f) => sameFact(f, fact))) {
      factsFound++;
      continue;
    }
    const instead = ownFacts.find((f) => f.kind === fact.kind);
    differences.push({ kind: fact.kind === 'year' ? 'year' : 'number', claim: fact.written, paragraph: instead?.written });
  }
  differences.push(...bindings(claim, own, ownFacts));

  const claimDirection = direction(claim.text, claim.language);
  const ownDirection = direction(own, 'zh');
  if (claimDirection && ownDirection && claimDirection !== ownDirection) differences.push({ kind: 'direction', claim: claimDirection, paragraph: ownDirection });
  else differences.push(...comparisonDifferences(claim.text, claim.language, own, claim.terms));

  differences.push(...negations(claim, own));

  const claimAct = strongestAct(claim.text, claim.language);
  const ownAct = strongestAct(`${context}\n${sentenceAbout(claim, own)}`, 'zh') ?? strongestAct(whole, 'zh');
  if (claimAct && ownAct && claimAct.strength > ownAct.strength) differences.push({ kind: 'modality', claim: claimAct.word, paragraph: ownAct.word });
  const optional = permission(claim.text, claim.language);
  if (optional && ownAct?.strength === 3 && !(claimAct?.strength === 3) && !permission(whole, 'zh')) differences.push({ kind: 'modality', claim: optional, paragraph: ownAct.word });

  const claimCondition = condition(claim.text, claim.language);
  if (claimCondition && !condition(whole, 'zh')) differences.push({ kind: 'condition', claim: claimCondition });

  const claimUniversal = universal(claim.text, claim.language);
  if (claimUniversal && !universal(whole, 'zh')) differences.push({ kind: 'scope', claim: claimUniversal });

  const wholeActors = actorsIn(whole, 'zh');
  for (const actor of actorsIn(claim.text, claim.language)) {
    if (paragraphNames(whole, actor)) continue;
    const other = wholeActors.find((a) => a.zh !== actor.zh);
    if (other) differences.push({ kind: 'actor', claim: actor[claim.language], paragraph: other[claim.language] });
  }

  return { coverage: coverage(claim.terms, normalizeForSearch(whole)), missing: missingTerms(claim.terms, whole), factsFound, differences };
}

/**
 * The sentence of a paragraph that holds most of the claim: the act (必须, 鼓励, 请…) is read there, so
 * that "requires" is not taken as said when the paragraph encourages what the claim is about and
 * requires something else. A paragraph of one sentence (a resolution's) is read whole.
 */
function sentenceAbout(claim: Claim, own: string): string {
  const sentences = own.split(/(?<=[。；;！!？?\n])/).map((x) => x.trim()).filter(Boolean);
  if (sentences.length < 2) return own;
  return sentences.map((text) => ({ text, c: coverage(claim.terms, normalizeForSearch(text)) })).sort((a, b) => b.c - a.c)[0].text;
}

const UNIT = /^(?:个|名|项|家|多|余|以上|左右|约|的|美元|元|亿|万|%|年|月|日)+/;
const NUMBER_LOOKBACK = 6;

/**
 * A number the paragraph states, attached in the claim to another quantity: "90% of the jobs" where the
 * paragraph gives 90% of the businesses and 50–60% of the jobs. The noun after the claim's number must,
 * in the paragraph, follow that number too, when it follows any number there.
 */
function bindings(claim: Claim, own: string, ownFacts: Fact[]): Difference[] {
  if (claim.language !== 'zh') return [];
  const out: Difference[] = [];
  const text = claim.text.normalize('NFKC');
  const paragraph = own.normalize('NFKC');
  for (const fact of claim.facts) {
    if (fact.kind === 'year' || !ownFacts.some((f) => sameFact(f, fact))) continue;
    const after = text.slice(fact.end).replace(UNIT, '').split(/[，,。；;、：:？?]/)[0];
    const noun = words(after).find((w) => w.length >= 2 && /\p{Script=Han}/u.test(w));
    if (!noun) continue;
    const before: Fact[][] = [];
    for (let at = paragraph.indexOf(noun); at >= 0; at = paragraph.indexOf(noun, at + 1)) {
      const window = ownFacts.filter((f) => f.kind === fact.kind && f.end <= at && at - f.end <= NUMBER_LOOKBACK && !/[，,。；;]/.test(paragraph.slice(f.end, at)));
      if (window.length) before.push(window);
    }
    if (before.length && !before.some((w) => w.some((f) => sameFact(f, fact)))) {
      out.push({ kind: 'binding', claim: `${fact.written}${after.slice(0, after.indexOf(noun) + noun.length)}`, paragraph: before[0].map((f) => f.written).join('至') });
    }
  }
  return out;
}

/**
 * A word that the claim and the paragraph share, negated in one and not in the other: "可以取代" against
 * "不能取代". English claims: the words after "not", "without", … whose Chinese terms the paragraph
 * states without a negation.
 */
function negations(claim: Claim, own: string): Difference[] {
  const paragraph = normalizeForSearch(own);
  const occurrences = (text: string, word: string) => {
    const found: number[] = [];
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) found.push(at);
    return found;
  };
  if (claim.language === 'en') {
    const out: Difference[] = [];
    for (const { phrase, chinese } of claim.negated ?? []) {
      const term = chinese.find((zh) => occurrences(paragraph, zh).length > 0);
      if (term && occurrences(paragraph, term).every((at) => !negatedAt(paragraph, at))) out.push({ kind: 'negation', claim: phrase, paragraph: term });
    }
    return out;
  }
  const text = normalizeForSearch(claim.text);
  const out: Difference[] = [];
  const flagged: string[] = [];
  // Longest first: "单打独斗" negated is one difference, not another for "单打".
  for (const word of [...new Set(words(text).filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length)) {
    if (flagged.some((f) => f.includes(word))) continue;
    const inClaim = occurrences(text, word);
    const inParagraph = occurrences(paragraph, word);
    if (!inClaim.length || !inParagraph.length) continue;
    const claimNegated = inClaim.every((at) => negatedAt(text, at));
    const claimPlain = inClaim.every((at) => !negatedAt(text, at));
    const paragraphNegated = inParagraph.every((at) => negatedAt(paragraph, at));
    const paragraphPlain = inParagraph.every((at) => !negatedAt(paragraph, at));
    if ((claimPlain && paragraphNegated) || (claimNegated && paragraphPlain)) {
      const shown = (t: string, at: number) => t.slice(Math.max(0, at - 3), at + word.length);
      flagged.push(word);
      out.push({ kind: 'negation', claim: shown(text, inClaim[0]), paragraph: shown(paragraph, inParagraph[0]) });
    }
  }
  return out;
}
