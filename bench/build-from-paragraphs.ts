import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import type { DocumentMeta, Paragraph } from '../ingest/paragraph.ts';
import { seededRandom } from '../knowledge/embeddings/lsa.ts';
import { OFFLINE_MODEL, OFFLINE_PROVIDER, OfflineEmbeddings } from '../knowledge/embeddings/offline.ts';
import { FORMAT_VERSION, INDEX_FILES, writeIndexFiles } from '../knowledge/index/layout.ts';
import { buildLexicalIndex, LexicalIndex } from '../knowledge/lexical/bm25.ts';
import { HnswVectorStore } from '../knowledge/vector-store.ts';

/**
 * The index build for paragraphs that are already parsed (synthetic corpora), made of the same builders
 * ingestCorpus uses — BM25, the offline embedder, the HNSW store and the index layout — and timed stage
 * by stage. Only the embedder may be fitted on a sample and at a lower dimension, which the caller reports.
 */

export interface BuildOptions {
  /** Offline embedding dimension (the product's default is 128). */
  dimension?: number;
  /** Fit the offline embedder on at most this many paragraphs (seeded sample); all are embedded. */
  fitSample?: number;
}

export interface BuiltIndex {
  lexical: LexicalIndex;
  embeddings: OfflineEmbeddings;
  store: HnswVectorStore;
  /** Milliseconds per stage. */
  stages: { lexical: number; fit: number; embed: number; hnsw: number; write?: number };
  /** Why the index could not be written, when it could not. */
  writeError?: string;
}

export async function buildFromParagraphs(dir: string, documents: DocumentMeta[], paragraphs: Paragraph[], options: BuildOptions = {}): Promise<BuiltIndex> {
  const titles = new Map(documents.map((d) => [d.symbol, d.title]));
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return Math.round(ms);
  };

  const lexical = new LexicalIndex(buildLexicalIndex(paragraphs, (symbol) => titles.get(symbol) ?? ''));
  const lexicalMs = lap();
  const embeddings = OfflineEmbeddings.fit(sampleTexts(paragraphs, options.fitSample), options.dimension);
  const fitMs = lap();
  const vectors = paragraphs.map((p) => embeddings.embed(p.text));
  const embedMs = lap();
  const store = new HnswVectorStore(embeddings);
  await store.addVectors(
    vectors,
    paragraphs.map((p) => new Document({ pageContent: p.text, metadata: { id: p.id } })),
  );
  vectors.length = 0;
  const stages: BuiltIndex['stages'] = { lexical: lexicalMs, fit: fitMs, embed: embedMs, hnsw: lap() };

  try {
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, INDEX_FILES.embedder), { recursive: true });
    await store.save(join(dir, INDEX_FILES.vectors));
    await embeddings.save(join(dir, INDEX_FILES.embedder));
    await writeIndexFiles(dir, {
      manifest: {
        formatVersion: FORMAT_VERSION,
        corpusHash: `synthetic-${paragraphs.length}`,
        embeddings: { provider: OFFLINE_PROVIDER, model: OFFLINE_MODEL, dimension: embeddings.dimension },
        builtAt: new Date().toISOString(),
        documents: documents.length,
        paragraphs: paragraphs.length,
      },
      documents: { parserHash: 'synthetic', documents: documents.map((meta) => ({ meta, sourceHash: 'synthetic', warnings: [] })), failures: [] },
      paragraphs,
      lexical,
    });
    stages.write = lap();
  } catch (error) {
    return { lexical, embeddings, store, stages, writeError: error instanceof Error ? error.message : String(error) };
  }
  return { lexical, embeddings, store, stages };
}

function sampleTexts(paragraphs: Paragraph[], limit: number | undefined): string[] {
  if (!limit || paragraphs.length <= limit) return paragraphs.map((p) => p.text);
  const random = seededRandom(7);
  const picked: string[] = [];
  // Reservoir sampling keeps the sample uniform without shuffling a million entries.
  paragraphs.forEach((p, i) => {
    if (i < limit) picked.push(p.text);
    else {
      const j = Math.floor(random() * (i + 1));
      if (j < limit) picked[j] = p.text;
    }
  });
  return picked;
}
