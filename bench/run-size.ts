import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadSettings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { DEFAULT_DIMENSION, OFFLINE_MODEL, OFFLINE_PROVIDER, OfflineEmbeddings } from '../index/embeddings/offline.ts';
import { FIT_SAMPLE } from '../index/build-parts.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { FORMAT_VERSION, INDEX_FILES, readDocumentsFile, readParagraphsFile } from '../index/layout.ts';
import { HnswVectorStore } from '../index/vector-store.ts';
import { buildFromParagraphs } from './build-from-paragraphs.ts';
import { inMemoryIndex, measureLatency, measureRecall, type ServingFigures } from './measure-serving.ts';
import { benchQueries } from './queries.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';

/**
 * One corpus size, one phase, in a process of its own (started by cli/bench.ts), so that the resident
 * memory measured while serving is that of a process that only loaded the index, as a replica does.
 * Writes its figures as JSON to --out.
 */

export const QUERY_COUNT = 200;
export const RECALL_QUERY_COUNT = 100;

/**
 * What the bench changes at a size, and says it changed: at a million paragraphs the offline vectors have
 * half the product's dimension, to keep the HNSW build and its memory within one machine. (At every size
 * the embedder's IDF is fitted on the first FIT_SAMPLE paragraphs, as in the product.)
 */
export function sizePlan(size: number | 'bundled'): { dimension?: number; notes: string[] } {
  const notes = size !== 'bundled' && size > FIT_SAMPLE ? [`offline embedder IDF fitted on the first ${FIT_SAMPLE.toLocaleString('en')} paragraphs (as in the product); all embedded`] : [];
  if (size === 'bundled' || size < 1_000_000) return { notes };
  return { dimension: DEFAULT_DIMENSION / 2, notes: [`offline embedder at dimension ${DEFAULT_DIMENSION / 2} (product default ${DEFAULT_DIMENSION})`, ...notes] };
}

export interface BuildFigures {
  size: number | 'bundled';
  paragraphs: number;
  documents: number;
  buildMs: number;
  stages?: Record<string, number>;
  generateMs?: number;
  peakRssMb: number;
  indexBytes?: number;
  writeError?: string;
  notes: string[];
  /** Present when the index could not be written and serving was measured from memory instead. */
  serving?: ServingFigures & { rssMb: number; servedFrom: 'memory' };
}

export interface ServeFigures extends ServingFigures {
  loadMs: number;
  rssMb: number;
  servedFrom: 'disk';
}

const settings = loadSettings({});

async function build(size: number | 'bundled', work: string): Promise<BuildFigures> {
  const dir = join(work, String(size));
  await rm(dir, { recursive: true, force: true });
  if (size === 'bundled') {
    const report = await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: dir, settings });
    return { size, paragraphs: report.paragraphs, documents: report.documents, buildMs: report.durationMs, peakRssMb: peakRssMb(), indexBytes: await directoryBytes(dir), notes: ['parse + index build (ingestCorpus)'] };
  }
  const source = await bundledCorpus(work);
  let started = performance.now();
  const corpus = syntheticCorpus(source, size);
  const generateMs = Math.round(performance.now() - started);
  const plan = sizePlan(size);
  started = performance.now();
  const built = await buildFromParagraphs(dir, corpus.documents, corpus.paragraphs, plan);
  const buildMs = Math.round(performance.now() - started);
  const figures: BuildFigures = {
    size,
    paragraphs: corpus.paragraphs.length,
    documents: corpus.documents.length,
    buildMs,
    stages: built.stages,
    generateMs,
    peakRssMb: peakRssMb(),
    notes: ['index build from Paragraph objects (no parsing)', ...plan.notes],
  };
  if (!built.writeError) return { ...figures, indexBytes: await directoryBytes(dir) };

  const dense = { store: built.store, embeddings: built.embeddings };
  const manifest = {
    formatVersion: FORMAT_VERSION,
    corpusHash: `synthetic-${size}`,
    embeddings: { provider: OFFLINE_PROVIDER, model: OFFLINE_MODEL, dimension: built.embeddings.dimension },
    builtAt: new Date().toISOString(),
    documents: corpus.documents.length,
    paragraphs: corpus.paragraphs.length,
    // Served from memory: no files to check.
    files: {},
  };
  const index = inMemoryIndex(manifest, corpus.documents, corpus.paragraphs, built.lexical, built.lexicon, dense);
  const queries = benchQueries(source.paragraphs, QUERY_COUNT);
  const latency = await measureLatency(index, queries);
  const memory = rssMb();
  const recall = measureRecall(dense, queries.slice(0, RECALL_QUERY_COUNT));
  return { ...figures, writeError: built.writeError, serving: { ...latency, ...recall, rssMb: memory, servedFrom: 'memory' } };
}

async function serve(size: number | 'bundled', work: string): Promise<ServeFigures> {
  const dir = join(work, String(size));
  const source = await bundledCorpus(work);
  const queries = benchQueries(source.paragraphs, QUERY_COUNT);
  const started = performance.now();
  const index = await openIndex(dir, settings);
  const loadMs = Math.round(performance.now() - started);
  const latency = await measureLatency(index, queries);
  const memory = rssMb();
  // The index keeps its vectors to itself; the exact reference reads them from a second copy, loaded only
  // after the resident memory was taken.
  const embeddings = await OfflineEmbeddings.load(join(dir, INDEX_FILES.embedder));
  const store = await HnswVectorStore.load(join(dir, INDEX_FILES.vectors), embeddings);
  const recall = measureRecall({ store, embeddings }, queries.slice(0, RECALL_QUERY_COUNT));
  return { ...latency, ...recall, loadMs, rssMb: memory, servedFrom: 'disk' };
}

async function bundledCorpus(work: string) {
  const dir = join(work, 'bundled');
  const paragraphs = await readParagraphsFile(dir);
  const documents = (await readDocumentsFile(dir)).documents.map((d) => d.meta);
  return { paragraphs, documents };
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1_048_576);
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const program = new Command()
  .requiredOption('--size <size>', '"bundled" or a number of paragraphs')
  .requiredOption('--phase <phase>', 'build | serve')
  .requiredOption('--work <dir>', 'directory holding the bench indexes')
  .requiredOption('--out <file>', 'where to write the figures (JSON)');
program.parse();
const options = program.opts<{ size: string; phase: string; work: string; out: string }>();
const size = options.size === 'bundled' ? 'bundled' : Number(options.size);
if (size !== 'bundled' && !(Number.isInteger(size) && size > 0)) throw new Error(`--size must be "bundled" or a positive integer, got ${options.size}`);
const figures = options.phase === 'build' ? await build(size, options.work) : await serve(size, options.work);
await writeFile(options.out, JSON.stringify(figures, null, 2));
