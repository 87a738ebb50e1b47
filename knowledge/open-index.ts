import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Settings } from '../config/settings.ts';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { createModelEmbeddings, OFFLINE_PROVIDER, selectedEmbeddings } from '../index/embeddings/factory.ts';
import type { LexicalIndex, PositionRanges } from '../index/lexical/bm25.ts';
import { DEFAULT_TUNING, HybridRetriever, OFFLINE_TUNING, type RetrieverParts } from './retrieve.ts';
import type { HnswVectorStore } from '../index/vector-store.ts';
import { type DenseIndex, IndexError, type IndexManifest, type LexicalScorer, type MemoryIndex, type SearchOptions } from '../index/knowledge-index.ts';
import {
  checkedFiles,
  DamagedFileError,
  FORMAT_VERSION,
  INDEX_FILES,
  readDocumentsFile,
  readLexicalFile,
  readLexiconData,
  readManifestFile,
  readParagraphsFile,
  servedIndexDir,
  verifyIndexFiles,
} from '../index/layout.ts';
import { Lexicon } from '../index/lexicon/lexicon.ts';

export const REINGEST = 'run `npm run ingest` to rebuild it';

/**
 * Loads the index that `indexDir` serves once, entirely into memory: searching afterwards touches no
 * files, and everything derived from the paragraphs was computed at ingest and is read as it was stored.
 * Every file is checked against the checksum its manifest recorded as it is read, once (layout.ts
 * checkedFiles), and nothing is served from a file that failed. Throws IndexError when the index is
 * missing, damaged, corrupt, of another format version, or made with other embeddings than the settings
 * select. Loading yields to the event loop throughout, so that a server swapping in a new index keeps
 * answering with the old one meanwhile.
 */
export async function openIndex(indexDir: string, settings: Settings): Promise<MemoryIndex> {
  const dir = await servedIndexDir(indexDir);
  await checkPresent(dir, indexDir);
  let manifest: IndexManifest;
  try {
    manifest = await readManifestFile(dir);
  } catch (error) {
    throw new IndexError(`The index at ${indexDir} is corrupt (${reason(error)}): ${REINGEST}.`);
  }
  checkCompatible(manifest, `The index at ${indexDir}`, settings);

  try {
    const files = checkedFiles(dir, manifest);
    const [documentsFile, paragraphs, lexical, lexicon] = await allRead(readDocumentsFile(dir, files), readParagraphsFile(dir, files), readLexicalFile(dir, files), readLexiconData(dir, files));
    // The files no reader above took (the vectors) are checked before hnswlib parses them.
    await files.rest();
    const embeddings = manifest.embeddings.provider === OFFLINE_PROVIDER ? undefined : (await createModelEmbeddings(settings))!;
    // The vector store (LangChain's core) is loaded only with a model: see ingest/build.ts.
    const store = embeddings && (await (await import('../index/vector-store.ts')).HnswVectorStore.load(join(dir, INDEX_FILES.vectors), embeddings));
    const documents = documentsFile.documents.map((d) => d.meta);
    if (paragraphs.length !== manifest.paragraphs || documents.length !== manifest.documents || lexical.size !== paragraphs.length || (store && store.size !== paragraphs.length)) {
      throw new Error(`its files disagree on the number of paragraphs (manifest ${manifest.paragraphs}, paragraphs ${paragraphs.length}, lexical ${lexical.size}, vectors ${store?.size ?? 'none'})`);
    }
    // The ingest adds vectors in paragraph order, so a vector's position in the store is its paragraph's.
    if (store && paragraphs.some((p, i) => store.documentAt(i)!.metadata.id !== p.id)) throw new Error('its vectors are not in the order of its paragraphs');
    return fileIndex(manifest, documents, paragraphs, lexical, new Lexicon(lexicon), store && embeddings ? { store, embeddings } : undefined);
  } catch (error) {
    if (error instanceof IndexError) throw error;
    if (error instanceof DamagedFileError) throw new IndexError(`The index at ${indexDir} is damaged (${reason(error)}): ${REINGEST}.`);
    throw new IndexError(`The index at ${indexDir} is corrupt (${reason(error)}): ${REINGEST}.`);
  }
}

/**
 * Every read's result, once all are done; when some failed, a damaged file's error, which explains
 * the others, or else the first.
 */
async function allRead<T extends unknown[]>(...reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failed.length > 0) throw failed.find((e) => e instanceof DamagedFileError) ?? failed[0];
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

/**
 * Refuses an index of another format version, or made with other embeddings than the settings select
 * (vectors from different models cannot be compared). `where` names the index in the message.
 */
export function checkCompatible(manifest: IndexManifest, where: string, settings: Settings): void {
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(`${where} has format version ${manifest.formatVersion}, this version reads ${FORMAT_VERSION}: ${REINGEST}.`);
  }
  const wanted = selectedEmbeddings(settings);
  const made = manifest.embeddings;
  if (made.provider !== wanted.provider || made.model !== wanted.model) {
    throw new IndexError(
      `${where} was built for ${made.provider}:${made.model}${made.dimension ? ' vectors' : ' (no vectors)'}, but the settings select ${wanted.provider}:${wanted.model}; ` +
        `vectors from different models cannot be compared: re-ingest with the current settings (\`npm run ingest\`).`,
    );
  }
}

/** The file index over its parts in memory (also the bench's). */
export function fileIndex(
  manifest: IndexManifest,
  documents: DocumentMeta[],
  paragraphs: Paragraph[],
  lexical: LexicalIndex,
  lexicon: Lexicon,
  vectors?: { store: HnswVectorStore; embeddings: EmbeddingsInterface },
): MemoryIndex {
  const ranges = documentRanges(documents, paragraphs);
  const dense = vectors && { dense: hnswDense(vectors.store, ranges), embeddings: vectors.embeddings };
  const retriever = hybridRetriever({ paragraphsAt: async (positions) => positions.map((i) => paragraphs[i]), lexical: rangeScorer(lexical, ranges), vectors: dense }, lexicon);
  const paragraph = (symbol: string, label: string) => {
    const range = ranges.get(symbol);
    if (!range) return undefined;
    for (let i = range[0]; i < range[1]; i++) if (paragraphs[i].label === label) return paragraphs[i];
    return undefined;
  };
  const index: MemoryIndex = {
    manifest,
    documents,
    paragraphs,
    paragraph,
    paragraphAt(symbol: string, position: number) {
      const range = ranges.get(symbol);
      const found = range && position >= 0 ? paragraphs[range[0] + position] : undefined;
      return found && found.symbol === symbol && found.position === position ? found : undefined;
    },
    paragraphsOf(symbol: string) {
      const range = ranges.get(symbol);
      return range ? paragraphs.slice(range[0], range[1]) : [];
    },
    labelled: (label: string) => documents.map((d) => paragraph(d.symbol, label)).filter((p): p is Paragraph => p !== undefined),
    lexicon,
    search: (query: string, options?: SearchOptions) => retriever.search(query, options),
    idf: (term: string, field: 'words' | 'bigrams' = 'words') => lexical.idf(field, term),
    view: async () => index,
    widen: async () => {},
    close: async () => {},
  };
  return index;
}

/** The retriever over an index's parts, wherever the lexical scoring runs. */
export function hybridRetriever(parts: RetrieverParts, lexicon: Lexicon): HybridRetriever {
  // Every near-synonym the lexicon keeps joins the search at BM25's expansion weight: on the folds,
  // a stricter similarity cut (0.3, 0.4, 0.6) found fewer right paragraphs, not more.
  const expand = (word: string) => lexicon.synonyms(word).map((w) => w.word);
  return new HybridRetriever({ ...parts, expand }, parts.vectors ? DEFAULT_TUNING : OFFLINE_TUNING);
}

/** The in-memory scorer, restricted to documents by their ranges of paragraphs, which its posting lists seek into. */
function rangeScorer(lexical: LexicalIndex, ranges: Map<string, [number, number]>): LexicalScorer {
  return {
    score: async (query, options = {}) => lexical.score(query, { depth: options.depth, ranges: options.documents && rangesOf(ranges, options.documents) }),
  };
}

/** hnswlib in memory, restricted to documents by their ranges of paragraphs. */
function hnswDense(store: HnswVectorStore, ranges: Map<string, [number, number]>): DenseIndex {
  return { nearest: async (vector, k, documents) => store.searchPositions(vector, k, documents && inDocuments(ranges, documents)).positions };
}

function inDocuments(ranges: Map<string, [number, number]>, documents: string[]): (position: number) => boolean {
  const wanted = rangesOf(ranges, documents);
  return (i) => wanted.some(([start, end]) => i >= start && i < end);
}

/**
 * The documents' ranges of paragraphs, sorted: documents do not overlap, and unknown symbols, repeats and
 * documents without paragraphs (whose empty range could sort after a range starting at the same place) add none.
 */
function rangesOf(ranges: Map<string, [number, number]>, documents: string[]): PositionRanges {
  const wanted = [...new Set(documents)].map((symbol) => ranges.get(symbol)).filter((r): r is [number, number] => r !== undefined && r[1] > r[0]);
  return wanted.sort((a, b) => a[0] - b[0]);
}

/**
 * Where each document's paragraphs are: they are stored grouped by document, so a lookup scans one
 * document's paragraphs instead of the whole index keeping a map entry per paragraph.
 */
function documentRanges(documents: DocumentMeta[], paragraphs: Paragraph[]): Map<string, [number, number]> {
  const ranges = new Map<string, [number, number]>(documents.map((d) => [d.symbol, [0, 0]]));
  let start = 0;
  for (let i = 1; i <= paragraphs.length; i++) {
    if (i < paragraphs.length && paragraphs[i].symbol === paragraphs[start].symbol) continue;
    const range = ranges.get(paragraphs[start].symbol);
    if (!range || range[1] > 0) throw new Error(`the paragraphs of ${paragraphs[start].symbol} are not stored together or belong to no document`);
    range[0] = start;
    range[1] = i;
    start = i;
  }
  return ranges;
}

/** Just the stored paragraphs, for inspection: no embeddings are loaded, so no provider check applies. */
export async function readIndexedParagraphs(indexDir: string): Promise<Paragraph[]> {
  const dir = await servedIndexDir(indexDir);
  await checkPresent(dir, indexDir);
  try {
    const manifest = await readManifestFile(dir);
    if (manifest.formatVersion !== FORMAT_VERSION) throw new Error(`format version ${manifest.formatVersion}, this version reads ${FORMAT_VERSION}`);
    await verifyIndexFiles(dir, manifest);
    return await readParagraphsFile(dir);
  } catch (error) {
    throw new IndexError(`The index at ${indexDir} cannot be read (${reason(error)}): ${REINGEST}.`);
  }
}

async function checkPresent(dir: string, indexDir: string): Promise<void> {
  if (await hasManifest(dir)) return;
  if (await isNonEmptyDirectory(dir)) throw new IndexError(`The index at ${indexDir} is incomplete or corrupt (no ${INDEX_FILES.manifest}): ${REINGEST}.`);
  throw new IndexError(`No index at ${indexDir}: run \`npm run ingest\`.`);
}

/** Whether `indexDir` serves an index (complete or not): what the entry points check before building one. */
export async function hasIndex(indexDir: string): Promise<boolean> {
  return hasManifest(await servedIndexDir(indexDir));
}

async function hasManifest(dir: string): Promise<boolean> {
  return stat(join(dir, INDEX_FILES.manifest)).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isNonEmptyDirectory(dir: string): Promise<boolean> {
  return readdir(dir).then(
    (entries) => entries.length > 0,
    () => false,
  );
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
