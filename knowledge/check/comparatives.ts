import type { Difference, Language } from '../../core/answer.ts';
import { normalizeForSearch, words } from '../../index/lexical/tokenize.ts';
import { coverage, type WeightedTerm } from '../question/terms.ts';
import { negatedAt } from './signals.ts';

/**
 * Which end of a scale a comparison puts something at: "比常规项目风险更高" against "风险比常规项目低",
 * "越来越多" against "less and less", "更加难以预料" against "easier to foresee". A gradable word counts
 * only in a comparison (after 比 in its clause, before 于 as in 大于, or right after a degree word: 更,
 * 较, 越来越, 日益), so
 * "大大加强" or "50多个" are no comparison. The claim's comparison is set against the paragraph's clause
 * that shares most of the claim clause's content, so that a paragraph comparing two things two ways is
 * read where the claim is.
 */

/** Height, amount and size are one scale: English "more" is 更多, 更大 or 更高 by the noun it goes with. */
type Scale = 'magnitude' | 'ease' | 'strength' | 'speed';
interface Pole {
  scale: Scale;
  sign: 1 | -1;
  word: string;
}

/** The two ends of each scale (Chinese); longer words first so that 难以 is read before 难. */
const POLES_ZH: Array<[string, Scale, 1 | -1]> = [
  ['容易', 'ease', 1], ['易于', 'ease', 1], ['难以', 'ease', -1], ['困难', 'ease', -1], ['难', 'ease', -1],
  ['高', 'magnitude', 1], ['低', 'magnitude', -1],
  ['多', 'magnitude', 1], ['少', 'magnitude', -1],
  ['大', 'magnitude', 1], ['小', 'magnitude', -1],
  ['强', 'strength', 1], ['弱', 'strength', -1],
  ['快', 'speed', 1], ['慢', 'speed', -1],
];
const DEGREE_ZH = /(?:更加|更为|更|较为|较|越来越|日益|日趋|愈发|愈加)(?:具有|具备|是)?$/;
const POLE_ZH = new RegExp(POLES_ZH.map(([w]) => w).join('|'), 'g');

/** English comparatives; "more/less/fewer than" before a number is a bound on a figure, not a comparison. */
const POLES_EN: Array<[RegExp, Scale, 1 | -1]> = [
  [/\b(?:easier|more easily|more predictable)\b/i, 'ease', 1],
  [/\b(?:harder|more difficult|less predictable)\b/i, 'ease', -1],
  [/\b(?:higher|riskier)\b/i, 'magnitude', 1],
  [/\blower\b/i, 'magnitude', -1],
  [/\b(?:more and more|increasingly|more(?! than \d)(?! than (?:one|two|three|half|a)\b))\b/i, 'magnitude', 1],
  [/\b(?:less and less|fewer and fewer|fewer(?! than \d)|less(?! than \d))\b/i, 'magnitude', -1],
  [/\b(?:greater|larger|bigger)\b/i, 'magnitude', 1],
  [/\bsmaller\b/i, 'magnitude', -1],
  [/\bstronger\b/i, 'strength', 1],
  [/\bweaker\b/i, 'strength', -1],
  [/\bfaster\b/i, 'speed', 1],
  [/\bslower\b/i, 'speed', -1],
];

const CLAUSE = /[，,。；;：:？?！!\n]/;

function polesZh(clause: string): Pole[] {
  const out: Pole[] = [];
  const comparing = clause.indexOf('比');
  for (const m of clause.matchAll(POLE_ZH)) {
    const at = m.index!;
    const degree = DEGREE_ZH.test(clause.slice(Math.max(0, at - 6), at));
    const afterBi = comparing >= 0 && comparing < at && at - comparing <= 16;
    const than = clause[at + m[0].length] === '于' && m[0] !== '易于';
    if (!degree && !afterBi && !than) continue;
    // "不比乙高" or "不更高" is not "lower": a negated comparison says too little to set against another.
    if (negatedAt(clause, at) || (afterBi && !degree && negatedAt(clause, comparing))) continue;
    const [, scale, sign] = POLES_ZH.find(([w]) => w === m[0])!;
    out.push({ scale, sign, word: m[0] });
  }
  return out;
}

function polesEn(clause: string): Pole[] {
  const out: Pole[] = [];
  for (const [pattern, scale, sign] of POLES_EN) {
    const m = pattern.exec(clause);
    if (m && !out.some((p) => p.scale === scale)) out.push({ scale, sign, word: m[0] });
  }
  return out;
}

function clauses(text: string): string[] {
  return text.split(CLAUSE).map((c) => c.trim()).filter(Boolean);
}

/** How much of the claim clause a paragraph clause shares: shared words (Chinese), covered terms (English). */
function overlap(claimClause: string, clause: string, language: Language, terms: WeightedTerm[]): number {
  if (language === 'en') return coverage(terms, normalizeForSearch(clause));
  const own = new Set(words(clause).filter((w) => w.length >= 2));
  return words(claimClause).filter((w) => w.length >= 2 && own.has(w)).length;
}

/**
 * Comparisons of the claim that the paragraph's matching clause makes the other way. `terms` are the
 * claim's weighted terms (what an English clause is matched by).
 */
export function comparisonDifferences(claim: string, language: Language, paragraph: string, terms: WeightedTerm[]): Difference[] {
  const out: Difference[] = [];
  const own = clauses(normalizeForSearch(paragraph)).map((c) => ({ c, poles: polesZh(c) })).filter((x) => x.poles.length);
  if (!own.length) return out;
  const claimClauses = language === 'zh' ? clauses(normalizeForSearch(claim)) : [claim];
  for (const clause of claimClauses) {
    for (const pole of language === 'zh' ? polesZh(clause) : polesEn(clause)) {
      const onScale = own.filter((x) => x.poles.some((p) => p.scale === pole.scale));
      const scored = onScale.map((x) => ({ ...x, score: overlap(clause, x.c, language, terms) })).sort((a, b) => b.score - a.score);
      const match = scored[0];
      if (!match || match.score <= 0) continue;
      const theirs = match.poles.filter((p) => p.scale === pole.scale);
      if (theirs.every((p) => p.sign !== pole.sign) && !out.some((d) => d.claim === pole.word)) {
        out.push({ kind: 'direction', claim: pole.word, paragraph: theirs[0].word });
      }
    }
  }
  return out;
}
