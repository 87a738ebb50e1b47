import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { seededRandom } from '../bench/seeded-random.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type Settings } from '../config/settings.ts';
import { createModelEmbeddings } from '../index/embeddings/factory.ts';
import type { KnowledgeIndex, MemoryIndex } from '../index/knowledge-index.ts';
import { INDEX_FILES, readDocumentsFile, readLexicalFile, readLexiconData, readManifestFile, readParagraphsFile, servedIndexDir } from '../index/layout.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { publishIndex } from '../index/postgres/publish.ts';
import { insertVectors, PgVectorIndex } from '../index/postgres/vectors.ts';
import { HnswVectorStore } from '../index/vector-store.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { openPostgresIndex, type PostgresIndex } from '../knowledge/open-postgres-index.ts';
import { startLocalPglite, type LocalPglite } from '../scripts/local-pglite.ts';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAIServer } from './support/fake-openai-server.ts';

/**
 * With model embeddings the PostgreSQL backend keeps the vectors in pgvector, behind an HNSW index per
 * generation: here PGlite (which has the extension) behind its wire-protocol server, reached with `pg`
 * as any PostgreSQL would be. Embeddings come from the fake OpenAI-compatible server.
 */

const DIMENSION = 64;
const RESTRICTED = ['A/58/227', 'A/RES/56/76'];
const QUESTIONS = ['公司和联合国合作时要守哪些规矩', '伙伴关系怎样做到公开透明并且能被问责', '小企业在穷国能得到什么帮助', '联合国的名字和标志能不能给企业用', '合作的效果如何评估'];

let openai: FakeOpenAIServer;
let database: LocalPglite;
let settings: Settings;
let root: string;
let files: MemoryIndex;
let indexed: PostgresIndex;
let pool: pg.Pool;
/** The file index's vectors, as the ingest stored them: what was published. */
let store: HnswVectorStore;

beforeAll(async () => {
  [openai, database] = await Promise.all([startFakeOpenAI({ embeddingDimension: DIMENSION }), startLocalPglite()]);
  settings = loadSettings({ OPENAI_BASE_URL: openai.baseUrl, MODEL_TIMEOUT_MS: '5000', MODEL_MAX_RETRIES: '0' });
  root = await mkdtemp(join(tmpdir(), 'postgres-vectors-'));
  await cp('corpus', join(root, 'corpus'), { recursive: true });
  await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings });
  expect((await publishDirectory(join(root, 'index'), database.url, settings)).published).toBe(true);
  files = await openIndex(join(root, 'index'), settings);
  indexed = await openPostgresIndex(database.url, settings);
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => {});
  store = await HnswVectorStore.load(join(await servedIndexDir(join(root, 'index')), INDEX_FILES.vectors), (await createModelEmbeddings(settings))!);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await indexed?.close();
  await database?.stop();
  await openai?.close();
  await rm(root, { recursive: true, force: true });
});

/** Paragraph positions by exact cosine similarity of their stored vectors to `query` (all of unit length), best first. */
function exactNearest(query: number[], documents?: string[]): { position: number; similarity: number }[] {
  return files.paragraphs
    .map((p, position) => ({ position, symbol: p.symbol, similarity: store.vectorAt(position)!.reduce((sum, v, i) => sum + v * query[i], 0) }))
    .filter((p) => !documents || documents.includes(p.symbol))
    .sort((a, b) => b.similarity - a.similarity || a.position - b.position)
    .map(({ position, similarity }) => ({ position, similarity }));
}

describe('vectors in pgvector', () => {
  it('stores every paragraph vector of the generation', async () => {
    const stored = await pool.query<{ position: number; embedding: string }>('SELECT position, embedding::text FROM pa_vectors WHERE generation = $1 ORDER BY position', [indexed.generation]);
    expect(stored.rows).toHaveLength(files.paragraphs.length);
    // Both keep single-precision floats; pgvector prints each as the shortest decimal that reads back to it.
    const single = (vector: number[]) => vector.map(Math.fround);
    for (const row of stored.rows) expect(single(JSON.parse(row.embedding)), String(row.position)).toEqual(single(store.vectorAt(row.position)!));
  });

  it('finds the nearest paragraphs as exact cosine ranking does, and as hnswlib does for the file index', async () => {
    const dense = new PgVectorIndex(pool, indexed.generation, DIMENSION);
    for (const question of QUESTIONS) {
      const query = fakeEmbedding(question, DIMENSION);
      for (const documents of [undefined, RESTRICTED]) {
        const exact = exactNearest(query, documents).slice(0, 50);
        const similarity = new Map(exactNearest(query).map((e) => [e.position, e.similarity]));
        const got = await dense.nearest(query, 50, documents);
        const fromFiles = store.searchPositions(query, 50, documents && ((i) => documents.includes(files.paragraphs[i].symbol))).positions;
        expect(got, question).toHaveLength(exact.length);
        // Vectors are compared in single precision: only paragraphs as similar to the last bits may swap places.
        got.forEach((position, i) => expect(similarity.get(position)!).toBeCloseTo(exact[i].similarity, 5));
        fromFiles.forEach((position, i) => expect(similarity.get(position)!).toBeCloseTo(exact[i].similarity, 5));
        if (documents) expect(got.every((p) => documents.includes(files.paragraphs[p].symbol))).toBe(true);
      }
    }
  });

  it('searches a generation large enough for the planner to take its HNSW index, as broadly as hnswlib', async () => {
    // At 331 paragraphs scanning and sorting is cheaper, and the planner rightly does it: random vectors
    // in a generation of their own make the index the planner's choice.
    const random = seededRandom(13);
    const dimension = 16;
    const vectors = Array.from({ length: 5_000 }, () => Array.from({ length: dimension }, () => random() - 0.5));
    const { rows } = await pool.query<{ generation: string }>('INSERT INTO pa_generations (manifest, documents, lexicon) SELECT manifest, documents, lexicon FROM pa_generations WHERE generation = $1 RETURNING generation', [indexed.generation]);
    const generation = Number(rows[0].generation);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await insertVectors(client, generation, vectors);
      await client.query('COMMIT');
      await client.query('ANALYZE pa_vectors');
    } finally {
      client.release();
    }
    const query = Array.from({ length: dimension }, () => random() - 0.5);
    const plan = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT position FROM pa_vectors WHERE generation = ${generation} ORDER BY embedding::vector(${dimension}) <=> $1::vector(${dimension}) LIMIT 50`,
      [`[${query.join(',')}]`],
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(new RegExp(`Index Scan using pa_vectors_hnsw_${generation} `));
    const cosine = (v: number[]) => v.reduce((sum, x, i) => sum + x * query[i], 0) / Math.hypot(...v);
    const exact = vectors.map((v, position) => ({ position, similarity: cosine(v) })).sort((a, b) => b.similarity - a.similarity).slice(0, 50);
    const got = await new PgVectorIndex(pool, generation, dimension).nearest(query, 50);
    // HNSW is approximate; searched as broadly as the file index (ef 200), it misses next to nothing here.
    expect(got).toHaveLength(50);
    expect(got.filter((p) => exact.some((e) => e.position === p)).length).toBeGreaterThanOrEqual(48);
  });

  it('retrieves and answers the same as the file index with the same embeddings', async () => {
    for (const question of QUESTIONS) {
      const ids = async (index: KnowledgeIndex, documents?: string[]) => (await index.search(question, { k: 10, documents })).map((r) => r.paragraph.id);
      expect(await ids(indexed), question).toEqual(await ids(files));
      expect(await ids(indexed, RESTRICTED), question).toEqual(await ids(files, RESTRICTED));
    }
    const [fromFiles, fromDatabase] = [createAssistant(files), createAssistant(indexed)];
    for (const question of QUESTIONS) {
      const [a, b] = [await fromFiles.ask(question), await fromDatabase.ask(question)];
      expect(b.citations, question).toEqual(a.citations);
      expect(b.statements).toEqual(a.statements);
    }
  });

  // Two whole publishes into PostgreSQL compiled to WebAssembly: seconds alone, far more on a busy machine.
  it('gives each generation its own HNSW index and drops those of generations it deletes', async () => {
    const dir = await servedIndexDir(join(root, 'index'));
    const [manifest, documents, paragraphs, lexical, lexicon] = await Promise.all([readManifestFile(dir), readDocumentsFile(dir), readParagraphsFile(dir), readLexicalFile(dir), readLexiconData(dir)]);
    const vectors = Array.from({ length: store.size }, (_, i) => store.vectorAt(i)!);
    const generations: number[] = [];
    for (let i = 0; i < 2; i++) generations.push(await publishIndex(pool, { manifest, documents, paragraphs, lexical, lexicon, vectors }));
    const indexes = await pool.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'pa_vectors' AND indexname LIKE 'pa_vectors_hnsw_%' ORDER BY indexname");
    expect(indexes.rows.map((r) => r.name)).toEqual(generations.map((g) => `pa_vectors_hnsw_${g}`));
    expect((await pool.query('SELECT DISTINCT generation FROM pa_vectors ORDER BY generation')).rows.map((r) => Number(r.generation))).toEqual(generations);
    // The replica opened before keeps its generation until it reopens; its vectors are gone with it, so it is reopened.
    const reopened = await openPostgresIndex(database.url, settings);
    try {
      expect(reopened.generation).toBe(generations[1]);
      expect((await reopened.search(QUESTIONS[0])).map((r) => r.paragraph.id)).toEqual((await files.search(QUESTIONS[0])).map((r) => r.paragraph.id));
    } finally {
      await reopened.close();
    }
  }, 180_000);

  it('refuses a generation whose vectors are missing, saying what to run', async () => {
    await pool.query('DELETE FROM pa_vectors WHERE generation = (SELECT generation FROM pa_state) AND position = 0');
    await expect(openPostgresIndex(database.url, settings)).rejects.toThrow(/vectors for \d+ paragraphs: run `npm run ingest` with DATABASE_URL set/);
  });
});
