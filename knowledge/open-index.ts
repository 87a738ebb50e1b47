import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../config/settings.ts';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { createModelEmbeddings, selectedEmbeddings } from '../index/embeddings/factory.ts';
import { OFFLINE_PROVIDER, OfflineEmbeddings } from '../index/embeddings/offline.ts';
import { DEFAULT_TUNING, HybridRetriever, OFFLINE_TUNING } from './retrieve.ts';
import { HnswVectorStore } from '../index/vector-store.ts';
import { IndexError, type IndexManifest, type KnowledgeIndex, type SearchOptions } from '../index/knowledge-index.ts';
import { FORMAT_VERSION, INDEX_FILES, readDocumentsFile, readLexicalFile, readLexiconData, readManifestFile, readParagraphsFile, servedIndexDir, verifyIndexFiles } from '../index/layout.ts';
import { Lexicon } from '../index/lexicon/lexicon.ts';

const REINGEST = 'run `npm run ingest` to rebuild it';

/**
 * Loads the index that `indexDir` serves once, entirely into memory: searching afterwards touches no
 * files. Every file is checked against the checksum its manifest recorded before it is parsed. Throws
 * IndexError when the index is missing, damaged, corrupt, of another format version, or made with other
 * embeddings than the settings select. Loading yields to the event loop throughout, so that a server
 * swapping in a new index keeps answering with the old one meanwhile.
 */
export async function openIndex(indexDir: string, settings: Settings): Promise<KnowledgeIndex> {
  const dir = await servedIndexDir(indexDir);
  await checkPresent(dir, indexDir);
  let manifest: IndexManifest;
  try {
    manifest = await readManifestFile(dir);
  } catch (error) {
    throw new IndexError(`The index at ${indexDir} is corrupt (${reason(error)}): ${REINGEST}.`);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(`The index at ${indexDir} has format version ${manifest.formatVersion}, this version reads ${FORMAT_VERSION}: ${REINGEST}.`);
  }
  const wanted = selectedEmbeddings(settings);
  const made = manifest.embeddings;
  if (made.provider !== wanted.provider || made.model !== wanted.model) {
    throw new IndexError(
      `The index at ${indexDir} holds vectors made by ${made.provider}:${made.model}, but the settings select ${wanted.provider}:${wanted.model}; ` +
        `vectors from different models cannot be compared: re-ingest with the current settings (\`npm run ingest\`).`,
    );
  }

  try {
    await verifyIndexFiles(dir, manifest);
  } catch (error) {
    throw new IndexError(`The index at ${indexDir} is damaged (${reason(error)}): ${REINGEST}.`);
  }

  try {
    const [documentsFile, paragraphs, lexical, lexicon] = await Promise.all([readDocumentsFile(dir), readParagraphsFile(dir), readLexicalFile(dir), readLexiconData(dir)]);
    const embeddings = made.provider === OFFLINE_PROVIDER ? await OfflineEmbeddings.load(join(dir, INDEX_FILES.embedder)) : createModelEmbeddings(settings)!;
    const store = await HnswVectorStore.load(join(dir, INDEX_FILES.vectors), embeddings);
    const documents = documentsFile.documents.map((d) => d.meta);
    if (paragraphs.length !== manifest.paragraphs || documents.length !== manifest.documents || lexical.size !== paragraphs.length || store.size !== paragraphs.length) {
      throw new Error(`its files disagree on the number of paragraphs (manifest ${manifest.paragraphs}, paragraphs ${paragraphs.length}, lexical ${lexical.size}, vectors ${store.size})`);
    }
    const tuning = made.provider === OFFLINE_PROVIDER ? OFFLINE_TUNING : DEFAULT_TUNING;
    const words = new Lexicon(lexicon);
    // Every near-synonym the lexicon keeps joins the search at BM25's expansion weight: on the folds,
    // a stricter similarity cut (0.3, 0.4, 0.6) found fewer right paragraphs, not more.
    const expand = (word: string) => words.synonyms(word).map((w) => w.word);
    return loadedIndex(manifest, documents, paragraphs, words, new HybridRetriever({ paragraphs, documents, lexical, vectors: { store, embeddings }, expand }, tuning));
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError(`The index at ${indexDir} is corrupt (${reason(error)}): ${REINGEST}.`);
  }
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

function loadedIndex(manifest: IndexManifest, documents: DocumentMeta[], paragraphs: Paragraph[], lexicon: Lexicon, retriever: HybridRetriever): KnowledgeIndex {
  const byKey = new Map(paragraphs.map((p) => [`${p.symbol}\u0000${p.label}`, p]));
  return {
    manifest,
    documents,
    paragraphs,
    paragraph: (symbol: string, label: string) => byKey.get(`${symbol}\u0000${label}`),
    lexicon,
    search: (query: string, options?: SearchOptions) => retriever.search(query, options),
    idf: (term: string, field?: 'words' | 'bigrams') => retriever.idf(term, field),
  };
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
