import type { Paragraph } from '../core/paragraph.ts';
import { coverage, type WeightedTerm } from './question/terms.ts';

/**
 * Sentence selection for the offline answer: from each chosen paragraph, the sentences that carry the
 * question's terms, quoted verbatim so that the citation holds for every word shown.
 */

/** Short paragraphs are quoted whole: cutting them saves nothing and loses context. */
const QUOTE_WHOLE_BELOW = 90;
const MAX_SENTENCES = 2;

/** Sentences (and semicolon clauses, which carry whole provisions in resolutions), verbatim and in order. */
export function sentences(text: string): string[] {
  return (text.match(/[^。！？；;!?]+(?:[。！？；;!?]+[”’」）)]*)?/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** The most relevant sentences of a paragraph, verbatim, in their original order. */
export function quote(paragraph: Paragraph, terms: WeightedTerm[]): string {
  const text = paragraph.text.trim();
  const parts = sentences(text);
  if (text.length < QUOTE_WHOLE_BELOW || parts.length <= 1) return text;
  const scored = parts.map((sentence, index) => ({ sentence, index, score: coverage(terms, sentence) }));
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const best = ranked[0];
  if (best.score === 0) return parts[0];
  // A second sentence only when it carries nearly as much of the question as the first.
  const chosen = ranked.slice(0, MAX_SENTENCES).filter((s) => s === best || s.score >= best.score * 0.75);
  return chosen
    .sort((a, b) => a.index - b.index)
    .map((s, i, all) => (i > 0 && s.index !== all[i - 1].index + 1 ? `…${s.sentence}` : s.sentence))
    .join('');
}
