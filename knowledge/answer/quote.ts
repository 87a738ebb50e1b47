import type { Paragraph } from '../../core/paragraph.ts';
import { normalizeForSearch } from '../../index/lexical/tokenize.ts';
import { coverage, type WeightedTerm } from '../question/terms.ts';

/**
 * What an offline answer shows of a paragraph: verbatim text only, so that the citation holds for
 * every word. Short paragraphs and paragraphs that enumerate ("(a)…；(b)…", "一是…二是…") are shown
 * whole — cutting a list after its first item changes what it says; long prose is cut to the
 * sentences that carry the question.
 */

/** Below this many characters a paragraph is quoted whole: cutting saves nothing and loses context. */
const QUOTE_WHOLE_BELOW = 120;
const MAX_SENTENCES = 2;
const ENUMERATION = /[(（]\s*(?:[a-z]|[ivx]+|\d{1,2}|[一二三四五六七八九十])\s*[)）]|(?:^|[；;：:。])\s*(?:[①②③④⑤⑥⑦⑧⑨]|\d{1,2}[.、]|[一二三四五六七八九十][是、])/g;

/** Sentences (and semicolon clauses, which carry whole provisions in resolutions), verbatim and in order. */
export function sentences(text: string): string[] {
  return (text.match(/[^。！？；;!?]+(?:[。！？；;!?]+[”’」）)]*)?/g) ?? []).map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

function enumerates(text: string): boolean {
  return (text.match(ENUMERATION) ?? []).length >= 2;
}

/** The most relevant sentences of a paragraph, verbatim, in their original order. */
export function quote(paragraph: Paragraph, terms: WeightedTerm[]): string {
  const text = paragraph.text.trim();
  const parts = sentences(text);
  if (text.length < QUOTE_WHOLE_BELOW || parts.length <= 1 || enumerates(text)) return text;
  const scored = parts.map((sentence, index) => ({ sentence, index, score: coverage(terms, normalizeForSearch(sentence)) }));
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

/** The lettered sub-paragraphs of a numbered paragraph ("13" → 13(a), 13(b), …), in order. */
export function subParagraphs(paragraph: Paragraph, lookup: (symbol: string, label: string) => Paragraph | undefined): Paragraph[] {
  if (!/^\d+$/.test(paragraph.label)) return [];
  const out: Paragraph[] = [];
  for (let code = 97; code <= 122; code++) {
    const sub = lookup(paragraph.symbol, `${paragraph.label}(${String.fromCharCode(code)})`);
    if (!sub) break;
    out.push(sub);
  }
  return out;
}
