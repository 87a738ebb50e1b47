import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexView } from '../../index/knowledge-index.ts';
import { words } from '../../index/lexical/tokenize.ts';
import { type Lexicon, toUnitLength, type GlossVector } from '../../index/lexicon/lexicon.ts';

/**
 * Texts as points of CC-CEDICT's gloss space: each word stands for the English terms that gloss it,
 * weighted by its inverse document frequency, so that "捐赠" and "捐献", or "商号" and "厂商", meet
 * where their glosses meet although they share no character. The similarity of a question and a
 * paragraph there is one of the ranker's features.
 */

export type { GlossVector };

/**
 * Kept per index (its lexicon, which every view of it shares): a paragraph is tokenized once however
 * many questions rank it, and a word's point (costly for a word the dictionary spells from its parts) is
 * worked out once however many texts use it.
 */
const paragraphCache = new WeakMap<Lexicon, Map<string, GlossVector>>();
const wordCache = new WeakMap<Lexicon, Map<string, GlossVector | null>>();
/** Bounds each cache on a large index or a stream of new words; the bundled corpus fits whole. */
const MAX_CACHED = 50_000;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

function cacheOf<T>(caches: WeakMap<Lexicon, Map<string, T>>, index: IndexView): Map<string, T> {
  let cache = caches.get(index.lexicon);
  if (!cache) caches.set(index.lexicon, (cache = new Map()));
  return cache;
}

function glossOfWord(index: IndexView, word: string): GlossVector | null {
  const cache = cacheOf(wordCache, index);
  const known = cache.get(word);
  return known !== undefined ? known : remember(cache, word, index.lexicon.glossVector(word) ?? null);
}

export function glossOfText(index: IndexView, text: string): GlossVector {
  const sum: GlossVector = new Map();
  for (const word of words(text)) {
    const v = glossOfWord(index, word);
    if (!v) continue;
    const weight = index.idf(word, 'words');
    for (const [t, x] of v) sum.set(t, (sum.get(t) ?? 0) + weight * x);
  }
  return toUnitLength(sum);
}

export function glossOfParagraph(index: IndexView, paragraph: Paragraph): GlossVector {
  const cache = cacheOf(paragraphCache, index);
  return cache.get(paragraph.id) ?? remember(cache, paragraph.id, glossOfText(index, paragraph.text));
}

export function cosine(a: GlossVector, b: GlossVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, x] of small) s += x * (large.get(t) ?? 0);
  return s;
}
