import type { Paragraph } from '../../core/paragraph.ts';
import { normalizeForSearch } from '../../index/lexical/tokenize.ts';
import { coverage, missingTerms, questionTerms, type TermStats, type WeightedTerm } from './terms.ts';

/**
 * Does this paragraph answer the question? Retrieval always returns something; this test decides,
 * deterministically, whether to answer or to say the documents do not. It rests on two kinds of
 * evidence: how much of the question's weighted content the paragraph contains, and whether the
 * specifics the question demands are there at all — a number when it asks "how many", a document or
 * initiative it names in quotes that the documents know.
 */

export interface Judgement {
  answers: boolean;
  /** IDF-weighted share of the question's terms in the paragraph (0–1). */
  coverage: number;
  /** Coverage with a small preference for retrieval's own order. */
  merit: number;
  missing: WeightedTerm[];
  /** Why it does not answer, for debugging and evaluation. */
  reason?: 'coverage' | 'quantity' | 'named' | 'year';
}

/**
 * Below this share of the question's weighted content, a paragraph is about something else. Questions
 * paraphrase the documents heavily, so the share for a right paragraph is often modest (0.25–0.6);
 * a paragraph that shares only a word or two with the question stays below it.
 */
export const MIN_COVERAGE = 0.2;
const RANK_PRIOR = 0.04;

const ASKS_QUANTITY = /多少|几[个家次人年名项所]|多大比[重例]|比例是|百分之几|how many|how much|what share|what percentage|what proportion/i;
const NUMBER = /\d+(?:[.,]\d+)?|[一二三四五六七八九十百千万亿两]+(?=[个家名项次年倍%万亿人]|分之)/g;
/** Words that name the kind of quantity asked for ("占多大比例"), not the thing counted. */
const QUANTITY_WORDS = new Set(['比例', '比重', '百分比', '份额', '数量', '数目', '人数', '次数', '金额', '总数', '数字', '规模']);
const NAMED = /《([^》]{2,})》|“([^”]{2,})”|"([^"]{2,})"/g;

function numbersIn(text: string): Set<string> {
  return new Set(normalizeForSearch(text).match(NUMBER) ?? []);
}

export function asksQuantity(question: string): boolean {
  return ASKS_QUANTITY.test(question);
}

/** The named things ("《…》", "“…”") a question refers to. */
export function namedThings(question: string): string[] {
  return [...question.normalize('NFKC').matchAll(NAMED)].map((m) => normalizeForSearch(m[1] ?? m[2] ?? m[3]));
}

/**
 * A "how many" question is answered only by a number it does not already state (years only date
 * things), in a paragraph that speaks of what is counted: at least half of the weighted terms of one
 * "how many" clause. "经常预算是多少美元" is not answered by a paragraph with other sums in dollars, nor
 * "3200个伙伴关系里，和中小企业建立的有多少个" by the paragraph that gives 3 200 but never mentions small enterprises.
 */
function answersQuantity(question: string, paragraph: Paragraph, stats: TermStats): boolean {
  if (!statesNumber(question, paragraph)) return false;
  const clauses = question.split(/[，,。？?；;！!]/).filter((clause) => ASKS_QUANTITY.test(clause));
  return clauses.some((clause) => {
    const counted = questionTerms(clause, stats).filter((t) => !QUANTITY_WORDS.has(t.term));
    return counted.length === 0 || coverage(counted, paragraph.text) >= 0.5;
  });
}

/** Whether the paragraph states a number the question does not already state (years only date things). */
export function statesNumber(question: string, paragraph: Paragraph): boolean {
  const asked = numbersIn(question);
  return [...numbersIn(paragraph.text)].some((n) => !asked.has(n) && !/^(?:19|20)\d{2}$/.test(n));
}

/** How close (in characters) a number must stand to what is counted to be read as its count. */
const COUNT_REACH = 8;

/**
 * How plainly (0–1) the paragraph states the count asked for: the IDF-weighted share of the terms of
 * the "how many" clause that stand within reach of one of its numbers ("至少有 3 200 个私营部门伙伴关系",
 * "89%的公司", "中小企业占…90%"), at the best number. Among paragraphs that all mention the subject, the
 * one that counts it is the answer; a number next to one word of the subject counts less than one next
 * to all of it. Numbers inside document symbols ("A/73/326") and years count nothing.
 */
export function countsAsked(question: string, paragraph: Paragraph, stats: TermStats): number {
  const text = normalizeForSearch(paragraph.text);
  const asked = numbersIn(question);
  const clauses = question.split(/[，,。？?；;！!]/).filter((clause) => ASKS_QUANTITY.test(clause));
  const counted = clauses.flatMap((clause) => questionTerms(clause, stats)).filter((t) => !QUANTITY_WORDS.has(t.term));
  if (counted.length === 0) return 0;
  let best = 0;
  for (const m of text.matchAll(NUMBER)) {
    if (asked.has(m[0]) || /^(?:19|20)\d{2}$/.test(m[0]) || /[/a-z]$/.test(text.slice(0, m.index))) continue;
    const near = text.slice(Math.max(0, m.index - COUNT_REACH), m.index + m[0].length + COUNT_REACH);
    best = Math.max(best, coverage(counted, near));
  }
  return best;
}

/**
 * Years the question asks about that date no indexed document ("难民署2019年…", "2014-2015两年期"):
 * a year that dates a document points at that document, any other year is part of what is asked.
 */
export function yearsAsked(question: string, documentYears: ReadonlySet<string>): string[] {
  const years = question.normalize('NFKC').match(/(?<!\d)(?:19|20)\d{2}(?!\d)/g) ?? [];
  return [...new Set(years)].filter((y) => !documentYears.has(y));
}

export function judge(
  question: string,
  terms: WeightedTerm[],
  paragraph: Paragraph,
  rank: number,
  stats: TermStats,
  minCoverage = MIN_COVERAGE,
  documentYears: ReadonlySet<string> = new Set(),
): Judgement {
  const text = [paragraph.text, ...paragraph.section].join(' ');
  const normalized = normalizeForSearch(text);
  const share = coverage(terms, text);
  const missing = missingTerms(terms, text);
  const merit = share + RANK_PRIOR * (1 - rank);
  const result = (answers: boolean, reason?: Judgement['reason']): Judgement => ({ answers, coverage: share, merit, missing, reason });

  // A title or term quoted in the question that no document contains is something else's subject.
  if (namedThings(question).some((name) => !normalized.includes(name) && !stats.corpusContains(name))) return result(false, 'named');
  // A paragraph silent on the year asked about speaks of another time.
  if (yearsAsked(question, documentYears).some((year) => !normalized.includes(year))) return result(false, 'year');
  if (asksQuantity(question) && !answersQuantity(question, paragraph, stats)) return result(false, 'quantity');
  if (share < minCoverage) return result(false, 'coverage');
  return result(true);
}
