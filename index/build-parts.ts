import type { Paragraph } from '../core/paragraph.ts';
import { buildLexicalIndex, contextText, type LexicalIndex } from './lexical/bm25.ts';
import { segmentAll, type SegmentOptions } from './lexical/segment.ts';

/**
 * The lexical index of a set of paragraphs, the part of every index build that does not depend on
 * embeddings: jieba segmentation on worker threads, postings merged, and what scoring needs computed
 * once here rather than at every start. Used by the ingest and by the bench.
 */

export interface LexicalBuild {
  lexical: LexicalIndex;
  /** Milliseconds: segmentation and postings (wall clock, on all threads), then bounds and statistics. */
  stages: { segment: number; finish: number };
}

export async function buildLexicalParts(paragraphs: Paragraph[], titleOf: (symbol: string) => string, options: SegmentOptions = {}): Promise<LexicalBuild> {
  let started = performance.now();
  const postings = await segmentAll(
    paragraphs.map((p) => ({ text: p.text, context: contextText(p, titleOf(p.symbol)) })),
    options,
  );
  const segment = Math.round(performance.now() - started);
  started = performance.now();
  const lexical = buildLexicalIndex(postings);
  return { lexical, stages: { segment, finish: Math.round(performance.now() - started) } };
}
