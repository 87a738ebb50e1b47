import type { Paragraph } from '../../core/paragraph.ts';
import { synonymsOf } from '../../index/lexical/synonyms.ts';
import { bigrams, normalizeForSearch, words } from '../../index/lexical/tokenize.ts';

/**
 * What a question asks about, as weighted terms, and how much of it a paragraph contains. This is the
 * deterministic evidence behind sentence choice and the decision to answer or abstain: retrieval
 * scores rank paragraphs against each other but say nothing absolute about whether one answers.
 */

/**
 * Words that frame a question without naming its subject (the segmenter's stop list already drops the
 * commonest), plus the words that only point at a document — those are handled by scoping, and every
 * paragraph of the right document would "contain" them.
 */
const FRAMING = new Set(
  `多少 多少钱 多少个 多大 比重 大概 大约 一共 总共 分别 各自 两者 哪两者 不同 区别 什么样 哪方面 哪类 哪一类 意思 具体 详细 内容
  时候 情况 问题 说法 看法 认为 提出 指出 规定 要求 建议 讲 说 怎么 怎么办 为什么 是否 能否 可以 通常 主要 一次 之间
  报告 决议 大会 秘书长 联合国大会 文件 段 段落 第 年 年的 那份 这份 当时 时 现在 目前 最新 最近
  which what how many much does did according roughly report resolution general assembly secretary paragraph para document year`.split(/\s+/),
);

/** A framing word, or a compound made only of framing words ("大会决议" = "大会" + "决议"). */
function framing(term: string): boolean {
  if (FRAMING.has(term)) return true;
  const run = (from: number): boolean =>
    from === term.length || [...FRAMING].some((w) => w.length < term.length && term.startsWith(w, from) && run(from + w.length));
  return /\p{Script=Han}/u.test(term) && run(0);
}

/** Cuts that fuse a question word with a neighbour ("占多大", "有多少") ask rather than name anything. */
const QUESTION_WORD = /多少|多大|多长|什么|怎么|如何|哪|几/;

export interface TermStats {
  paragraphs: number;
  /** Number of paragraphs whose text contains each term. */
  documentFrequency(term: string): number;
  /** Whether any paragraph contains the (normalized) phrase. */
  corpusContains(phrase: string): boolean;
}

/** Retrieval and the answerability test both need the statistics of the same paragraphs: computed once. */
const statsCache = new WeakMap<Paragraph[], TermStats>();

export function termStats(paragraphs: Paragraph[]): TermStats {
  let stats = statsCache.get(paragraphs);
  if (!stats) statsCache.set(paragraphs, (stats = computeStats(paragraphs)));
  return stats;
}

function computeStats(paragraphs: Paragraph[]): TermStats {
  const df = new Map<string, number>();
  for (const p of paragraphs) {
    for (const t of new Set([...words(p.text), ...bigrams(p.text)])) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const texts = paragraphs.map((p) => normalizeForSearch(p.text));
  return { paragraphs: paragraphs.length, documentFrequency: (t) => df.get(t) ?? 0, corpusContains: (phrase) => texts.some((t) => t.includes(phrase)) };
}

export interface WeightedTerm {
  term: string;
  weight: number;
  /** Han bigrams of the term, for partial matches of compounds cut differently. */
  grams: string[];
  /**
   * The term with a synonym in place of the whole or of a part ("访谈" → "采访", "调研材料" → "调查材料"):
   * questions paraphrase, and retrieval already searches these (synonyms.ts), so the test of whether a
   * paragraph answers must count them too, or it abstains on the paragraph retrieval rightly put first.
   */
  variants: string[];
}

/** Credit for a term found only through a synonym: a paraphrase is good evidence, not as good as the word. */
const VARIANT_CREDIT = 0.8;

function variantsOf(term: string): string[] {
  const out = new Set(synonymsOf(term));
  for (const part of new Set(words(term))) {
    if (part === term || part.length < 2) continue;
    for (const synonym of synonymsOf(part)) out.add(term.replace(part, synonym));
  }
  out.delete(term);
  return [...out];
}

function idf(stats: TermStats, term: string): number {
  const n = stats.documentFrequency(term);
  return Math.log(1 + (stats.paragraphs - n + 0.5) / (n + 0.5));
}

/** The question's content terms with IDF weights; sub-words already contained in a longer term are dropped. */
export function questionTerms(question: string, stats: TermStats): WeightedTerm[] {
  // Symbols go, and so do dates with what clings to them ("2003年时", "2013年初"): scoping handles years.
  const cleaned = normalizeForSearch(question)
    .replace(/\b[a-z]{1,5}(?:\/[a-z0-9.]+)+/g, ' ')
    .replace(/(?<!\d)(?:19|20)\d{2}\s*年(?:时|初|底|末|中|年中)?/g, ' ');
  const all = [...new Set(words(cleaned))];
  // Sub-words of a longer cut ("秘书" of "秘书长") go first, so that a framing word takes its parts with it.
  const kept = all
    .filter((t) => !all.some((other) => other !== t && other.length > t.length && other.includes(t)))
    .filter((t) => !framing(t) && !/^(?:19|20)\d{2}$/.test(t) && !QUESTION_WORD.test(t));
  return kept.map((term) => ({ term, weight: idf(stats, term), grams: bigrams(term), variants: variantsOf(term) }));
}

/** Fraction (0–1) of one term found in a text: whole, or by its Han bigrams. */
export function termPresence(term: WeightedTerm, normalizedText: string): number {
  if (normalizedText.includes(term.term)) return 1;
  let best = gramShare(term.grams, normalizedText);
  for (const variant of term.variants) {
    best = Math.max(best, VARIANT_CREDIT * (normalizedText.includes(variant) ? 1 : gramShare(bigrams(variant), normalizedText)));
  }
  return best;
}

/** Share of a compound's bigrams in the text; a single bigram is the word itself, already tested. */
function gramShare(grams: string[], normalizedText: string): number {
  if (grams.length < 2) return 0;
  return grams.filter((g) => normalizedText.includes(g)).length / grams.length;
}

/** IDF-weighted share of the question's terms that the text contains. */
export function coverage(terms: WeightedTerm[], text: string): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 0;
  const normalized = normalizeForSearch(text);
  return terms.reduce((sum, t) => sum + t.weight * termPresence(t, normalized), 0) / total;
}

/** The terms a text lacks entirely, heaviest first. */
export function missingTerms(terms: WeightedTerm[], text: string): WeightedTerm[] {
  const normalized = normalizeForSearch(text);
  return terms.filter((t) => termPresence(t, normalized) === 0).sort((a, b) => b.weight - a.weight);
}
