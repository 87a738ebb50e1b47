import type { Paragraph } from '../../core/paragraph.ts';
import type { KnowledgeIndex } from '../../index/knowledge-index.ts';
import { words } from '../../index/lexical/tokenize.ts';

/**
 * Texts as points of CC-CEDICT's gloss space: each word stands for the English terms that gloss it,
 * weighted by its inverse document frequency, so that "竞争" and "角逐", or "资金" and "经费", meet
 * where their glosses meet although they share no character. The similarity of a question and a
 * paragraph there is one of the ranker's features.
 */

export type GlossVector = Map<number, number>;

/** Paragraph vectors are kept per index: a paragraph is tokenized once, however many questions rank it. */
const cached = new WeakMap<KnowledgeIndex, Map<string, GlossVector>>();
/** Bounds the cache on a large index; the bundled corpus fits whole. */
const MAX_CACHED = 50_000;

export function glossOfText(index: KnowledgeIndex, text: string): GlossVector {
  const sum: GlossVector = new Map();
  for (const word of words(text)) {
    const v = index.lexicon.glossVector(word);
    if (!v) continue;
    const weight = index.idf(word, 'words');
    for (const [t, x] of v) sum.set(t, (sum.get(t) ?? 0) + weight * x);
  }
  return unit(sum);
}

export function glossOfParagraph(index: KnowledgeIndex, paragraph: Paragraph): GlossVector {
  let byId = cached.get(index);
  if (!byId) cached.set(index, (byId = new Map()));
  let v = byId.get(paragraph.id);
  if (!v) {
    v = glossOfText(index, paragraph.text);
    if (byId.size >= MAX_CACHED) byId.delete(byId.keys().next().value!);
    byId.set(paragraph.id, v);
  }
  return v;
}

export function cosine(a: GlossVector, b: GlossVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, x] of small) s += x * (large.get(t) ?? 0);
  return s;
}

function unit(v: GlossVector): GlossVector {
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
  return v;
}
