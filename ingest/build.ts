import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Settings } from '../config/settings.ts';
import { createModelEmbeddings, type EmbeddingsIdentity, selectedEmbeddings } from '../index/embeddings/factory.ts';
import { removeLeftovers, replaceIndexAtomically } from '../index/atomic-write.ts';
import { buildLexicalParts } from '../index/build-parts.ts';
import { buildLexicon } from '../index/lexicon/build.ts';
import type { IndexManifest } from '../index/knowledge-index.ts';
import {
  checkedFiles,
  type DocumentsFile,
  FORMAT_VERSION,
  INDEX_FILES,
  readDocumentsFile,
  readManifestFile,
  readParagraphsFile,
  servedIndexDir,
  type StoredDocument,
  type StoredFailure,
  writeIndexFiles,
} from '../index/layout.ts';
import type { HnswVectorStore } from '../index/vector-store.ts';
import { readManifest } from './metadata.ts';
import { type DocumentMeta, type LabelKind, labelKind, type Paragraph } from '../core/paragraph.ts';
import { parseDocument } from './parse.ts';
import { readDocument, SUPPORTED_EXTENSIONS, UnreadableDocumentError } from './readers/index.ts';

/**
 * The ingest pipeline: corpus folder → parsed paragraphs → index directory (paragraphs, BM25, and with
 * model embeddings vectors; manifest), replaced atomically. Files whose bytes, manifest entry and parser are unchanged since the
 * previous index are taken from it rather than parsed again; an unchanged corpus writes nothing.
 */

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  settings: Settings;
  /** Called as the ingest advances; an exception thrown here aborts the ingest (the old index stays). */
  onProgress?: (event: IngestProgress) => void;
}

export type IngestStage = 'scan' | 'parse' | 'index' | 'embed' | 'write';
export interface IngestProgress {
  stage: IngestStage;
  /** Items done and total within the stage. */
  done: number;
  total: number;
  file?: string;
}

export interface IngestProblem {
  file: string;
  message: string;
}

export interface IngestReport {
  corpusDir: string;
  indexDir: string;
  /** True when the corpus was unchanged and the existing index was kept as it is. */
  upToDate: boolean;
  documents: number;
  paragraphs: number;
  byLabelKind: Record<LabelKind, number>;
  /** Files parsed in this run, files taken unchanged from the previous index, files no longer present. */
  parsed: string[];
  reused: string[];
  removed: string[];
  /** Parser warnings: what could not be determined or looked odd. */
  warnings: IngestProblem[];
  /** Files that could not be ingested at all, with the reason. */
  failures: IngestProblem[];
  embeddings: IndexManifest['embeddings'];
  durationMs: number;
}

/** Nothing could be ingested; `report` says why for each file. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly report: IngestReport,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

interface SourceFile {
  file: string;
  path: string;
  sourceHash: string;
  manifestEntry?: Partial<DocumentMeta>;
}

interface PreviousIndex {
  /** The version directory it was read from. */
  dir: string;
  manifest: IndexManifest;
  documents: DocumentsFile;
  paragraphsBySymbol: Map<string, Paragraph[]>;
  vectors?: HnswVectorStore;
}

const MANIFEST_FILE = 'manifest.json';
const LABEL_KINDS: LabelKind[] = ['numbered', 'sub', 'preambular', 'summary', 'footnote', 'box', 'annex'];

export async function ingestCorpus(options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const { corpusDir, indexDir, settings } = options;
  const progress = options.onProgress ?? (() => {});
  const leftovers = await removeLeftovers(indexDir);

  const failures: IngestProblem[] = [];
  const { sources, manifestProblem } = await scanCorpus(corpusDir, failures);
  if (manifestProblem) failures.push(manifestProblem);
  progress({ stage: 'scan', done: sources.length, total: sources.length });

  const parserHash = await hashParserCode();
  const corpusHash = hashLines(sources.map((s) => `${s.file}\t${s.sourceHash}`));
  const identity = selectedEmbeddings(settings);
  const modelEmbeddings = await createModelEmbeddings(settings);
  const previous = await readPrevious(indexDir, parserHash);

  if (previous && isUpToDate(previous, corpusHash, identity)) {
    return upToDateReport(options, previous, sources, started);
  }

  const cached = new Map(previous?.documents.documents.map((d) => [d.meta.file, d]) ?? []);
  const cachedFailures = new Map(previous?.documents.failures.map((f) => [f.file, f]) ?? []);
  const stored: StoredDocument[] = [];
  const storedFailures: StoredFailure[] = [];
  const paragraphs: Paragraph[] = [];
  const parsed: string[] = [];
  const reused: string[] = [];
  const warnings: IngestProblem[] = [];
  const seenSymbols = new Map<string, string>();

  for (const [i, source] of sources.entries()) {
    progress({ stage: 'parse', done: i, total: sources.length, file: source.file });
    const hit = cached.get(source.file);
    const oldFailure = cachedFailures.get(source.file);
    let document: StoredDocument;
    let documentParagraphs: Paragraph[];
    if (hit && hit.sourceHash === source.sourceHash && previous!.paragraphsBySymbol.has(hit.meta.symbol)) {
      document = hit;
      documentParagraphs = previous!.paragraphsBySymbol.get(hit.meta.symbol)!;
      reused.push(source.file);
    } else if (oldFailure && oldFailure.sourceHash === source.sourceHash) {
      storedFailures.push(oldFailure);
      failures.push({ file: source.file, message: oldFailure.reason });
      reused.push(source.file);
      continue;
    } else {
      parsed.push(source.file);
      const result = await parseSource(source);
      if ('reason' in result) {
        storedFailures.push({ file: source.file, sourceHash: source.sourceHash, reason: result.reason });
        failures.push({ file: source.file, message: result.reason });
        continue;
      }
      document = result;
      documentParagraphs = result.paragraphs;
    }
    const clash = seenSymbols.get(document.meta.symbol);
    if (clash) {
      failures.push({ file: source.file, message: `same document symbol ${document.meta.symbol} as ${clash}; skipped` });
      continue;
    }
    seenSymbols.set(document.meta.symbol, source.file);
    stored.push({ meta: document.meta, sourceHash: document.sourceHash, warnings: document.warnings });
    for (const w of document.warnings) warnings.push({ file: source.file, message: w });
    paragraphs.push(...documentParagraphs);
  }
  progress({ stage: 'parse', done: sources.length, total: sources.length });

  const removed = [...cached.keys(), ...cachedFailures.keys()].filter((file) => !sources.some((s) => s.file === file));
  const report: IngestReport = {
    corpusDir,
    indexDir,
    upToDate: false,
    documents: stored.length,
    paragraphs: paragraphs.length,
    byLabelKind: countLabelKinds(paragraphs),
    parsed,
    reused,
    removed,
    warnings,
    failures,
    embeddings: { ...identity, dimension: 0 },
    durationMs: 0,
  };
  if (stored.length === 0) {
    report.durationMs = Math.round(performance.now() - started);
    throw new IngestError(`Nothing could be ingested from ${corpusDir}${sources.length ? '' : ': no supported documents found'}; the index was not changed.`, report);
  }

  const titles = new Map(stored.map((d) => [d.meta.symbol, d.meta.title]));
  const titleOf = (symbol: string) => titles.get(symbol) ?? '';
  progress({ stage: 'index', done: 0, total: paragraphs.length });
  const { lexical } = await buildLexicalParts(paragraphs, titleOf, { onProgress: (done) => progress({ stage: 'index', done, total: paragraphs.length }) });
  let store: HnswVectorStore | undefined;
  if (modelEmbeddings) {
    // Loaded only with a model: LangChain's core is most of an offline process's start-up, for nothing.
    const [{ HnswVectorStore }, { Document }] = await Promise.all([import('../index/vector-store.ts'), import('@langchain/core/documents')]);
    progress({ stage: 'embed', done: 0, total: paragraphs.length });
    const vectors = await embedParagraphs(paragraphs, modelEmbeddings, identity, previous);
    store = new HnswVectorStore(modelEmbeddings);
    await store.addVectors(
      vectors,
      paragraphs.map((p) => new Document({ pageContent: p.text, metadata: { id: p.id } })),
    );
    report.embeddings.dimension = vectors[0]?.length ?? 0;
    progress({ stage: 'embed', done: paragraphs.length, total: paragraphs.length });
  }
  const lexicon = buildLexicon(lexical.documentFrequencies('words'));

  const manifest: Omit<IndexManifest, 'files'> = {
    formatVersion: FORMAT_VERSION,
    corpusHash,
    embeddings: report.embeddings,
    builtAt: new Date().toISOString(),
    documents: stored.length,
    paragraphs: paragraphs.length,
  };
  const swap = await replaceIndexAtomically(indexDir, async (temp) => {
    progress({ stage: 'write', done: 0, total: 1 });
    if (store) await store.save(join(temp, INDEX_FILES.vectors));
    await writeIndexFiles(temp, { manifest, documents: { parserHash, documents: stored, failures: storedFailures }, paragraphs, lexical, lexicon });
    progress({ stage: 'write', done: 1, total: 1 });
  });
  for (const message of [...leftovers, ...swap.warnings]) warnings.push({ file: indexDir, message });
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function supported(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return [...SUPPORTED_EXTENSIONS].some((e) => e.toLowerCase() === ext || `.${e.toLowerCase()}` === ext);
}

/** Lists the corpus files (recursively, in name order) with the hash of what decides their parse. */
async function scanCorpus(corpusDir: string, failures: IngestProblem[]): Promise<{ sources: SourceFile[]; manifestProblem?: IngestProblem }> {
  let entries: string[];
  try {
    entries = (await readdir(corpusDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(corpusDir, join(e.parentPath, e.name)).split('\\').join('/'))
      .filter((file) => !file.split('/').some((part) => part.startsWith('.')))
      .sort();
  } catch (error) {
    throw new Error(`Cannot read the corpus folder ${corpusDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let entriesByFile = new Map<string, Partial<DocumentMeta>>();
  let manifestProblem: IngestProblem | undefined;
  if (entries.includes(MANIFEST_FILE)) {
    try {
      entriesByFile = await readManifest(corpusDir);
    } catch (error) {
      manifestProblem = { file: MANIFEST_FILE, message: `ignored: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const sources: SourceFile[] = [];
  for (const file of entries) {
    if (file === MANIFEST_FILE) continue;
    if (!supported(file)) {
      failures.push({ file, message: `unsupported file type (supported: ${[...SUPPORTED_EXTENSIONS].join(', ')})` });
      continue;
    }
    const path = join(corpusDir, file);
    const manifestEntry = entriesByFile.get(file);
    const bytes = await readFile(path).catch(() => undefined);
    const hash = createHash('sha256');
    hash.update(bytes ?? 'unreadable');
    hash.update(JSON.stringify(manifestEntry ?? null));
    sources.push({ file, path, sourceHash: hash.digest('hex'), manifestEntry });
  }
  return { sources, manifestProblem };
}

async function parseSource(source: SourceFile): Promise<(StoredDocument & { paragraphs: Paragraph[] }) | { reason: string }> {
  try {
    const text = await readDocument(source.path);
    const parsed = parseDocument(text, { ...source.manifestEntry, file: source.file });
    if (parsed.paragraphs.length === 0) return { reason: 'no paragraphs could be found in it' };
    return { meta: { ...parsed.meta, file: source.file }, sourceHash: source.sourceHash, warnings: parsed.warnings, paragraphs: parsed.paragraphs };
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return { reason: error.reason };
    return { reason: `could not be parsed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readPrevious(indexDir: string, parserHash: string): Promise<PreviousIndex | undefined> {
  try {
    const dir = await servedIndexDir(indexDir);
    const manifest = await readManifestFile(dir);
    if (manifest.formatVersion !== FORMAT_VERSION) return undefined;
    // Paragraphs and vectors are reused from it: a damaged file must not carry over into the new index.
    // Each file is checked as it is read, the ones not read here (lexical, vectors) at the end.
    const files = checkedFiles(dir, manifest);
    const documents = await readDocumentsFile(dir, files);
    if (documents.parserHash !== parserHash) return undefined;
    const paragraphsBySymbol = new Map<string, Paragraph[]>();
    for (const p of await readParagraphsFile(dir, files)) {
      const list = paragraphsBySymbol.get(p.symbol) ?? [];
      list.push(p);
      paragraphsBySymbol.set(p.symbol, list);
    }
    await files.rest();
    return { dir, manifest, documents, paragraphsBySymbol };
  } catch {
    // No previous index, or one that cannot be trusted: everything is parsed again.
    return undefined;
  }
}

function isUpToDate(previous: PreviousIndex, corpusHash: string, identity: EmbeddingsIdentity): boolean {
  const m = previous.manifest;
  return m.corpusHash === corpusHash && m.embeddings.provider === identity.provider && m.embeddings.model === identity.model;
}

function upToDateReport(options: IngestOptions, previous: PreviousIndex, sources: SourceFile[], started: number): IngestReport {
  const paragraphs = [...previous.paragraphsBySymbol.values()].flat();
  const warnings = previous.documents.documents.flatMap((d) => d.warnings.map((message) => ({ file: d.meta.file, message })));
  const failures = previous.documents.failures.map((f) => ({ file: f.file, message: f.reason }));
  return {
    corpusDir: options.corpusDir,
    indexDir: options.indexDir,
    upToDate: true,
    documents: previous.manifest.documents,
    paragraphs: previous.manifest.paragraphs,
    byLabelKind: countLabelKinds(paragraphs),
    parsed: [],
    reused: sources.map((s) => s.file),
    removed: [],
    warnings,
    failures,
    embeddings: previous.manifest.embeddings,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Model vectors for every paragraph. Model embeddings cost money and time, so vectors of paragraphs whose
 * text is unchanged are taken from the previous index when it was made by the same model.
 */
async function embedParagraphs(
  paragraphs: Paragraph[],
  embeddings: Embeddings,
  identity: EmbeddingsIdentity,
  previous: PreviousIndex | undefined,
): Promise<number[][]> {
  const known = new Map<string, number[]>();
  const made = previous?.manifest.embeddings;
  if (previous && made && made.provider === identity.provider && made.model === identity.model) {
    const { HnswVectorStore } = await import('../index/vector-store.ts');
    const old = await HnswVectorStore.load(join(previous.dir, INDEX_FILES.vectors), embeddings).catch(() => undefined);
    for (let i = 0; old && i < old.size; i++) {
      const vector = old.vectorAt(i);
      if (vector) known.set(old.documentAt(i)!.pageContent, vector);
    }
  }
  const missing = [...new Set(paragraphs.map((p) => p.text).filter((text) => !known.has(text)))];
  const fresh = missing.length ? await embeddings.embedDocuments(missing) : [];
  missing.forEach((text, i) => known.set(text, fresh[i]));
  return paragraphs.map((p) => known.get(p.text)!);
}

function countLabelKinds(paragraphs: Paragraph[]): Record<LabelKind, number> {
  const counts = Object.fromEntries(LABEL_KINDS.map((k) => [k, 0])) as Record<LabelKind, number>;
  for (const p of paragraphs) counts[labelKind(p.label)]++;
  return counts;
}

function hashLines(lines: string[]): string {
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Hash of the ingest code that turns files into paragraphs: editing it invalidates the parse cache. */
async function hashParserCode(): Promise<string> {
  const root = dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(root, { recursive: true }))
    .map(String)
    .filter((f) => f.endsWith('.ts') && !/(^|\/)build\.ts$/.test(f))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(await readFile(join(root, f)));
  return hash.digest('hex');
}
