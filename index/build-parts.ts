import type { Paragraph } from '../core/paragraph.ts';
import { DEFAULT_DIMENSION, OfflineEmbeddings } from './embeddings/offline.ts';
import { type TextTokens, textTokens } from './embeddings/text-tokens.ts';
import { contextText, type LexicalIndex, LexicalIndexBuilder } from './lexical/bm25.ts';

/**
 * The searchable parts of an index, made in one pass over the paragraphs: each is cut by jieba once, and
 * the cut feeds both the BM25 postings and the offline embedder. Used by the ingest and by the bench.
 */

/**
 * The offline embedder's IDF is fitted on the first paragraphs only, so that the pass can embed as it
 * goes instead of keeping every paragraph's tokens until the end; IDF weights settle long before this.
 */
export const FIT_SAMPLE = 20_000;

export interface OfflineParts {
  lexical: LexicalIndex;
  embeddings: OfflineEmbeddings;
  /** One vector per paragraph, as consecutive rows of `embeddings.dimension` numbers. */
  rows: Float32Array;
  /** Milliseconds: jieba and bigrams, postings, embedder fit and embedding. */
  stages: { tokenize: number; lexical: number; embed: number };
}

export interface OfflineOptions {
  dimension?: number;
  fitSample?: number;
  /** Called every few thousand paragraphs with how many are done. */
  onProgress?: (done: number) => void;
}

export function buildLexicalOnly(paragraphs: Paragraph[], titleOf: (symbol: string) => string): LexicalIndex {
  const builder = new LexicalIndexBuilder();
  for (const p of paragraphs) builder.add(textTokens(p.text), contextText(p, titleOf(p.symbol)));
  return builder.finish();
}

export function buildOfflineParts(paragraphs: Paragraph[], titleOf: (symbol: string) => string, options: OfflineOptions = {}): OfflineParts {
  const dimension = options.dimension ?? DEFAULT_DIMENSION;
  const fitSample = Math.max(1, options.fitSample ?? FIT_SAMPLE);
  const builder = new LexicalIndexBuilder();
  const rows = new Float32Array(paragraphs.length * dimension);
  const stages = { tokenize: 0, lexical: 0, embed: 0 };
  const sample: TextTokens[] = [];
  let embeddings: OfflineEmbeddings | undefined;

  const fit = () => {
    const started = performance.now();
    embeddings = OfflineEmbeddings.fit(sample, dimension);
    sample.forEach((tokens, i) => embeddings!.embedTokens(tokens, rows.subarray(i * dimension, (i + 1) * dimension)));
    sample.length = 0;
    stages.embed += performance.now() - started;
  };

  paragraphs.forEach((p, i) => {
    let started = performance.now();
    const tokens = textTokens(p.text);
    let now = performance.now();
    stages.tokenize += now - started;
    started = now;
    builder.add(tokens, contextText(p, titleOf(p.symbol)));
    now = performance.now();
    stages.lexical += now - started;
    if (embeddings) {
      embeddings.embedTokens(tokens, rows.subarray(i * dimension, (i + 1) * dimension));
      stages.embed += performance.now() - now;
    } else {
      sample.push(tokens);
      if (sample.length === fitSample) fit();
    }
    if (options.onProgress && (i + 1) % 5000 === 0) options.onProgress(i + 1);
  });
  if (!embeddings) fit();
  const started = performance.now();
  const lexical = builder.finish();
  stages.lexical += performance.now() - started;
  return { lexical, embeddings: embeddings!, rows, stages: { tokenize: Math.round(stages.tokenize), lexical: Math.round(stages.lexical), embed: Math.round(stages.embed) } };
}
