import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { OFFLINE_MODEL, OFFLINE_PROVIDER, type OfflineEmbeddings } from '../index/embeddings/offline.ts';
import { buildOfflineParts } from '../index/build-parts.ts';
import { FORMAT_VERSION, INDEX_FILES, writeIndexFiles } from '../index/layout.ts';
import type { LexicalIndex } from '../index/lexical/bm25.ts';
import { buildLexicon } from '../index/lexicon/build.ts';
import type { LexiconData } from '../index/lexicon/format.ts';
import { HnswVectorStore } from '../index/vector-store.ts';

/**
 * The index build for paragraphs that are already parsed (synthetic corpora), made of the same builders
 * ingestCorpus uses — buildOfflineParts (BM25 and the offline embedder in one pass), the HNSW store and
 * the index layout — and timed stage by stage. Only the embedding dimension may differ from the
 * product's, which the caller reports.
 */

export interface BuildOptions {
  /** Offline embedding dimension (the product's default is DEFAULT_DIMENSION). */
  dimension?: number;
}

export interface BuiltIndex {
  lexical: LexicalIndex;
  lexicon: LexiconData;
  embeddings: OfflineEmbeddings;
  store: HnswVectorStore;
  /** Milliseconds per stage. */
  stages: { tokenize: number; lexical: number; embed: number; hnsw: number; lexicon: number; write?: number };
  /** Why the index could not be written, when it could not. */
  writeError?: string;
}

export async function buildFromParagraphs(dir: string, documents: DocumentMeta[], paragraphs: Paragraph[], options: BuildOptions = {}): Promise<BuiltIndex> {
  const titles = new Map(documents.map((d) => [d.symbol, d.title]));
  const parts = buildOfflineParts(paragraphs, (symbol) => titles.get(symbol) ?? '', { dimension: options.dimension });
  const { lexical, embeddings } = parts;
  let started = performance.now();
  const store = new HnswVectorStore(embeddings);
  store.addVectorRows(
    parts.rows,
    embeddings.dimension,
    paragraphs.map((p) => new Document({ pageContent: p.text, metadata: { id: p.id } })),
  );
  const hnsw = Math.round(performance.now() - started);
  started = performance.now();
  const lexicon = buildLexicon(lexical.documentFrequencies('words'));
  const stages: BuiltIndex['stages'] = { ...parts.stages, hnsw, lexicon: Math.round(performance.now() - started) };

  try {
    started = performance.now();
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
      lexicon,
    });
    stages.write = Math.round(performance.now() - started);
  } catch (error) {
    return { lexical, lexicon, embeddings, store, stages, writeError: error instanceof Error ? error.message : String(error) };
  }
  return { lexical, lexicon, embeddings, store, stages };
}
