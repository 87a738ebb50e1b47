import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import type { OfflineEmbeddings } from '../index/embeddings/offline.ts';
import type { IndexManifest, KnowledgeIndex } from '../index/knowledge-index.ts';
import type { LexicalIndex } from '../index/lexical/bm25.ts';
import type { LexiconData } from '../index/lexicon/format.ts';
import { Lexicon } from '../index/lexicon/lexicon.ts';
import { HybridRetriever } from '../knowledge/retrieve.ts';
import type { HnswVectorStore } from '../index/vector-store.ts';
import { type Percentiles, percentiles, timeEach } from './queries.ts';

export interface LatencyFigures {
  retrieval: Percentiles;
  answer: Percentiles;
}

export interface RecallFigures {
  hnsw: Percentiles;
  bruteForce: Percentiles;
  recallAt10: number;
  /** Queries with a non-empty embedding (at least one known term); the others are left out. */
  recallQueries: number;
}

export type ServingFigures = LatencyFigures & RecallFigures;

/** Retrieval (KnowledgeIndex.search) and whole offline answers (Assistant.ask), per query. */
export async function measureLatency(index: KnowledgeIndex, queries: string[]): Promise<LatencyFigures> {
  const retrieval = percentiles(await timeEach(queries, (q) => index.search(q)));
  const assistant = createAssistant(index);
  const answer = percentiles(await timeEach(queries, (q) => assistant.ask(q)));
  return { retrieval, answer };
}

/**
 * HNSW (as the product queries it, through the store) against an exact cosine scan over the same stored
 * vectors: recall@10 is the share of the exact top 10 that HNSW returns.
 */
export function measureRecall({ store, embeddings }: { store: HnswVectorStore; embeddings: OfflineEmbeddings }, queries: string[]): RecallFigures {
  const n = store.size;
  const dimension = embeddings.dimension;
  const matrix = new Float32Array(n * dimension);
  for (let i = 0; i < n; i++) matrix.set(normalized(store.vectorAt(i)!), i * dimension);
  const position = new Map<string, number>();
  for (let i = 0; i < n; i++) position.set(String(store.documentAt(i)!.metadata.id), i);

  const vectors = queries.map((q) => embeddings.embed(q)).filter((v) => v.some((x) => x !== 0));
  const hnswTimes: number[] = [];
  const exactTimes: number[] = [];
  let found = 0;
  for (const vector of vectors) {
    let started = performance.now();
    const approximate = store.searchVector(vector, 10).map(([d]) => position.get(String(d.metadata.id))!);
    hnswTimes.push(performance.now() - started);
    started = performance.now();
    const exact = exactTopK(matrix, n, dimension, Float32Array.from(vector), Math.min(10, n));
    exactTimes.push(performance.now() - started);
    const approximateSet = new Set(approximate);
    found += exact.filter((i) => approximateSet.has(i)).length / exact.length;
  }
  return {
    hnsw: percentiles(hnswTimes),
    bruteForce: percentiles(exactTimes),
    recallAt10: vectors.length ? Math.round((found / vectors.length) * 10_000) / 10_000 : Number.NaN,
    recallQueries: vectors.length,
  };
}

function normalized(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm > 0 ? vector.map((x) => x / norm) : vector;
}

/** Exact top-k by cosine (vectors pre-normalized): one pass, a small sorted buffer of the best k. */
function exactTopK(matrix: Float32Array, n: number, dimension: number, query: Float32Array, k: number): number[] {
  const bestScores = new Float64Array(k).fill(-Infinity);
  const bestIds = new Int32Array(k).fill(-1);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    const base = i * dimension;
    for (let j = 0; j < dimension; j++) dot += matrix[base + j] * query[j];
    if (dot <= bestScores[k - 1]) continue;
    let slot = k - 1;
    while (slot > 0 && bestScores[slot - 1] < dot) {
      bestScores[slot] = bestScores[slot - 1];
      bestIds[slot] = bestIds[slot - 1];
      slot--;
    }
    bestScores[slot] = dot;
    bestIds[slot] = i;
  }
  return [...bestIds].filter((i) => i >= 0);
}

/**
 * A KnowledgeIndex over parts held in memory, for sizes whose index files cannot be written (the bench
 * then measures serving without the round trip through disk, and says so).
 */
export function inMemoryIndex(
  manifest: IndexManifest,
  documents: DocumentMeta[],
  paragraphs: Paragraph[],
  lexical: LexicalIndex,
  lexicon: LexiconData,
  dense: { store: HnswVectorStore; embeddings: OfflineEmbeddings },
): KnowledgeIndex {
  const retriever = new HybridRetriever({ paragraphs, documents, lexical, vectors: dense });
  const byKey = new Map(paragraphs.map((p) => [`${p.symbol}\u0000${p.label}`, p]));
  return {
    manifest,
    documents,
    paragraphs,
    paragraph: (symbol, label) => byKey.get(`${symbol}\u0000${label}`),
    lexicon: new Lexicon(lexicon),
    search: (query, options) => retriever.search(query, options),
    idf: (term, field) => retriever.idf(term, field),
  };
}
