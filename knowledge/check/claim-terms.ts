import type { IndexView } from '../../index/knowledge-index.ts';
import { normalizeForSearch, words } from '../../index/lexical/tokenize.ts';
import { termPresence, termsOf, type TermWeights, type WeightedTerm } from '../question/terms.ts';

/**
 * The content terms of a claim, weighted by the index's IDF, and how much of them a paragraph holds.
 * A claim's framing ("报告说", "决议规定", "段落") and its figures (compared as facts, with their magnitude)
 * are no part of its content; synonyms count at reduced credit, since claims paraphrase.
 */

const FRAMING = new Set(
  `说法 看法 认为 提出 指出 规定 要求 建议 讲 说 称 提到 表示 内容 具体 主要 通常 报告 决议 大会 秘书长 联合国大会 文件 段 段落 第 年 年的
  那份 这份 当时 时 现在 目前 according report resolution general assembly secretary paragraph para document year says said`.split(/\s+/),
);
/** Credit for a term found only through a synonym. */
const SYNONYM_CREDIT = 0.8;

/** A framing word, or a compound made only of framing words ("大会决议"). */
function framing(term: string): boolean {
  if (FRAMING.has(term)) return true;
  const run = (from: number): boolean => from === term.length || [...FRAMING].some((w) => w.length < term.length && term.startsWith(w, from) && run(from + w.length));
  return /\p{Script=Han}/u.test(term) && run(0);
}

/** The index's IDF, with the lexicon's near-synonyms (of the whole term or of a part of it) as variants. */
export function claimWeights(index: IndexView): TermWeights {
  const synonyms = (word: string) => index.lexicon.synonyms(word).map((s) => s.word);
  return {
    idf: (term, field) => index.idf(term, field),
    related: (term) => {
      const out = new Set(synonyms(term));
      for (const part of new Set(words(term))) if (part !== term && part.length >= 2) for (const s of synonyms(part)) out.add(term.replace(part, s));
      out.delete(term);
      return [...out].map((word) => ({ word, weight: SYNONYM_CREDIT }));
    },
  };
}

export function claimTerms(text: string, weights: TermWeights): WeightedTerm[] {
  const cleaned = normalizeForSearch(text).replace(/(?<!\d)(?:19|20)\d{2}\s*年(?:时|初|底|末|中)?/g, ' ');
  return termsOf(cleaned, weights).filter((t) => !framing(t.term) && !/^[\d.,%]+$/.test(t.term));
}

/** The terms a text lacks entirely, heaviest first. */
export function missingTerms(terms: WeightedTerm[], text: string): WeightedTerm[] {
  const normalized = normalizeForSearch(text);
  return terms.filter((t) => termPresence(t, normalized) === 0).sort((a, b) => b.weight - a.weight);
}
