import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadSettings } from '../config/settings.ts';
import pg from 'pg';
import { ingestCorpus } from '../ingest/build.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { openPostgresIndex, type PostgresIndex } from '../knowledge/open-postgres-index.ts';
import { startLocalPostgres } from '../scripts/local-postgres.ts';
import { readDocumentsFile, readParagraphsFile, servedIndexDir } from '../index/layout.ts';
import { buildFromParagraphs } from './build-from-paragraphs.ts';
import { measurePeer, PEERS, type PeerName } from './peers.ts';
import { measureServing, type ServingFigures } from './measure-serving.ts';
import { benchQueries } from './queries.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';

/**
 * One corpus size, one phase, in a process of its own (started by cli/bench.ts), so that the resident
 * memory and the start-up measured while serving are those of a process that only loaded the index, as a
 * replica does. Writes its figures as JSON to --out.
 */

export const QUERY_COUNT = 200;

export interface BuildFigures {
  size: number | 'bundled';
  paragraphs: number;
  documents: number;
  buildMs: number;
  stages?: Record<string, number>;
  generateMs?: number;
  peakRssMb: number;
  indexBytes: number;
  notes: string[];
}

export type ServeFigures = ServingFigures;

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
  started = performance.now();
  const stages = await buildFromParagraphs(dir, corpus.documents, corpus.paragraphs);
  const buildMs = Math.round(performance.now() - started);
  return {
    size,
    paragraphs: corpus.paragraphs.length,
    documents: corpus.documents.length,
    buildMs,
    stages,
    generateMs,
    peakRssMb: peakRssMb(),
    indexBytes: await directoryBytes(dir),
    notes: ['index build from Paragraph objects (no parsing), written to disk'],
  };
}

async function serve(size: number | 'bundled', work: string): Promise<ServeFigures> {
  const source = await bundledCorpus(work);
  return measureServing(() => openIndex(join(work, String(size)), settings), benchQueries(source.paragraphs, QUERY_COUNT));
}

export interface PostgresFigures extends ServingFigures {
  /** Writing the built index to PostgreSQL as a generation (publishDirectory), and the database's size after. */
  publishMs: number;
  databaseMb: number;
}

/** The same index in a local PostgreSQL server (Debian's), published and served as DATABASE_URL would. */
async function servePostgres(size: number | 'bundled', work: string): Promise<PostgresFigures> {
  const source = await bundledCorpus(work);
  const server = await startLocalPostgres();
  try {
    const started = performance.now();
    await publishDirectory(join(work, String(size)), server.url, settings);
    const publishMs = Math.round(performance.now() - started);
    let opened: PostgresIndex | undefined;
    const figures = await measureServing(async () => (opened = await openPostgresIndex(server.url, settings)), benchQueries(source.paragraphs, QUERY_COUNT));
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    const bytes = Number((await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes);
    await pool.end();
    await opened?.close();
    return { ...figures, publishMs, databaseMb: Math.round(bytes / 1_048_576) };
  } finally {
    await server.stop();
  }
}

/** A peer (bench/peers.ts) built over the same paragraphs the size's index holds, asked the same questions. */
function servePeer(peer: PeerName) {
  return async (size: number | 'bundled', work: string) => {
    const source = await bundledCorpus(work);
    return measurePeer(peer, () => (size === 'bundled' ? source.paragraphs : syntheticCorpus(source, size).paragraphs), benchQueries(source.paragraphs, QUERY_COUNT));
  };
}

async function bundledCorpus(work: string) {
  const dir = await servedIndexDir(join(work, 'bundled'));
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

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const program = new Command()
  .requiredOption('--size <size>', '"bundled" or a number of paragraphs')
  .requiredOption('--phase <phase>', `build | serve | postgres | ${PEERS.join(' | ')}`)
  .requiredOption('--work <dir>', 'directory holding the bench indexes')
  .requiredOption('--out <file>', 'where to write the figures (JSON)');
program.parse();
const options = program.opts<{ size: string; phase: string; work: string; out: string }>();
const size = options.size === 'bundled' ? 'bundled' : Number(options.size);
if (size !== 'bundled' && !(Number.isInteger(size) && size > 0)) throw new Error(`--size must be "bundled" or a positive integer, got ${options.size}`);
const phases = { build, serve, postgres: servePostgres, ...Object.fromEntries(PEERS.map((peer) => [peer, servePeer(peer)])) } as const;
if (!(options.phase in phases)) throw new Error(`--phase must be one of ${Object.keys(phases).join(', ')}, got ${options.phase}`);
const figures = await phases[options.phase as keyof typeof phases](size, options.work);
await writeFile(options.out, JSON.stringify(figures, null, 2));
