import { bigrams, words } from '../lexical/tokenize.ts';

/**
 * A paragraph cut once for everything that indexes it: jieba segmentation is the dearest step of an
 * ingest, and the BM25 index and the offline embedder need the same words and bigrams.
 */
export interface TextTokens {
  words: string[];
  bigrams: string[];
}

export function textTokens(text: string): TextTokens {
  return { words: words(text), bigrams: bigrams(text) };
}
