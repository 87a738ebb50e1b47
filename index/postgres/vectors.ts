import type pg from 'pg';
import type { DenseIndex } from '../knowledge-index.ts';
import { SEARCH_EF } from '../vector-store.ts';

/**
 * Paragraph vectors in pgvector (pa_vectors, schema.ts). Each generation's vectors get a partial HNSW
 * index of their own over the column cast to their dimension, built once they are all written, so a
 * search over the current generation walks only its graph, and a generation with another embedding
 * model can sit beside it. Plain pgvector SQL (≥ 0.5, the first with HNSW) on any PostgreSQL ≥ 13.
 */

/** Vectors per INSERT: a 1,536-dimension vector is ~15 KB of text, so far fewer rows than for postings. */
const BATCH = 500;
const INDEX_PREFIX = 'pa_vectors_hnsw_';

export async function insertVectors(client: pg.PoolClient, generation: number, vectors: number[][]): Promise<void> {
  const dimension = vectors[0]?.length ?? 0;
  if (!Number.isInteger(dimension) || dimension === 0) throw new Error('no vectors to publish');
  for (let from = 0; from < vectors.length; from += BATCH) {
    const batch = vectors.slice(from, from + BATCH);
    if (batch.some((v) => v.length !== dimension)) throw new Error(`vectors of different dimensions (${dimension} and others)`);
    await client.query('INSERT INTO pa_vectors (generation, position, embedding) SELECT $1, p, e::vector FROM unnest($2::int[], $3::text[]) AS t (p, e)', [
      generation,
      batch.map((_, i) => from + i),
      batch.map(vectorLiteral),
    ]);
  }
  // Identifiers cannot be parameters; both numbers are integers this code produced.
  await client.query(`CREATE INDEX ${INDEX_PREFIX}${generation} ON pa_vectors USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WHERE generation = ${generation}`);
}

/** Deleting a generation cascades to its vectors but leaves its (now empty) HNSW index behind. */
export async function dropUnusedVectorIndexes(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT i.indexname AS name FROM pg_indexes i
     WHERE i.tablename = 'pa_vectors' AND i.indexname LIKE '${INDEX_PREFIX}%'
       AND NOT EXISTS (SELECT 1 FROM pa_generations g WHERE '${INDEX_PREFIX}' || g.generation = i.indexname)`,
  );
  for (const { name } of rows) await client.query(`DROP INDEX IF EXISTS ${client.escapeIdentifier(name)}`);
}

/** How many vectors a generation holds, 0 when the database has never stored any. */
export async function countVectors(client: pg.PoolClient, generation: number): Promise<number> {
  const exists = await client.query<{ ok: boolean }>("SELECT to_regclass('pa_vectors') IS NOT NULL AS ok");
  if (!exists.rows[0].ok) return 0;
  return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pa_vectors WHERE generation = $1', [generation])).rows[0].n;
}

/**
 * Nearest paragraphs of one generation. Unrestricted, the generation's HNSW index answers (searching as
 * broadly as hnswlib does for the file index); restricted to a few documents, their vectors are compared
 * exactly, as the ORDER BY names the uncast column, which no HNSW index covers.
 */
export class PgVectorIndex implements DenseIndex {
  constructor(
    private readonly pool: pg.Pool,
    private readonly generation: number,
    private readonly dimension: number,
  ) {}

  async nearest(vector: number[], k: number, documents?: string[]): Promise<number[]> {
    if (vector.length !== this.dimension) throw new Error(`query of dimension ${vector.length} for vectors of dimension ${this.dimension}`);
    if (documents) {
      const { rows } = await this.pool.query<{ position: number }>(
        `SELECT v.position FROM pa_vectors v JOIN pa_paragraphs p ON p.generation = v.generation AND p.position = v.position
         WHERE v.generation = $1 AND p.symbol = ANY ($2::text[])
         ORDER BY v.embedding <=> $3::vector, v.position
         LIMIT $4`,
        [this.generation, documents, vectorLiteral(vector), k],
      );
      return rows.map((r) => r.position);
    }
    const client = await this.pool.connect();
    try {
      // pgvector's HNSW returns at most ef_search rows (40 by default): as broad as the file index's search.
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(k, SEARCH_EF)}`);
      const { rows } = await client.query<{ position: number }>(
        `SELECT position FROM pa_vectors WHERE generation = ${this.generation}
         ORDER BY embedding::vector(${this.dimension}) <=> $1::vector(${this.dimension})
         LIMIT $2`,
        [vectorLiteral(vector), k],
      );
      await client.query('COMMIT');
      return rows.map((r) => r.position);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

function vectorLiteral(vector: number[]): string {
  return `[${vector.join(',')}]`;
}
