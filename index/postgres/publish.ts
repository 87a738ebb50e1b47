import type pg from 'pg';
import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexManifest } from '../knowledge-index.ts';
import type { DocumentsFile } from '../layout.ts';
import type { LexicalIndex } from '../lexical/bm25.ts';
import type { LexiconData } from '../lexicon/format.ts';
import { FIELDS } from '../lexical/postings.ts';
import { ensureSchema, FIELD_NUMBER } from './schema.ts';
import { dropUnusedVectorIndexes, insertVectors } from './vectors.ts';

/**
 * Writes a built index to PostgreSQL as a new generation and makes it the current one, all in one
 * transaction: a failure anywhere leaves the previous generation in use and nothing of the new one.
 * Afterwards only the current and the previous generation are kept (a replica may still be answering
 * from the previous one).
 */

export interface PublishedIndex {
  manifest: IndexManifest;
  documents: DocumentsFile;
  paragraphs: Paragraph[];
  lexical: LexicalIndex;
  lexicon: LexiconData;
  /** With model embeddings: each paragraph's vector, in paragraph order. */
  vectors?: number[][];
}

/** Rows per INSERT … SELECT FROM unnest(…): large enough to amortize round trips, small enough for one message. */
const BATCH = 20_000;

export async function publishIndex(pool: pg.Pool, index: PublishedIndex): Promise<number> {
  if (index.vectors && index.vectors.length !== index.paragraphs.length) throw new Error(`${index.vectors.length} vectors for ${index.paragraphs.length} paragraphs`);
  const client = await pool.connect();
  try {
    await ensureSchema(client, { vectors: Boolean(index.vectors) });
    await client.query('BEGIN');
    const { rows } = await client.query<{ generation: string }>('INSERT INTO pa_generations (manifest, documents, lexicon) VALUES ($1, $2, $3) RETURNING generation', [
      JSON.stringify(index.manifest),
      JSON.stringify(index.documents),
      JSON.stringify(index.lexicon),
    ]);
    const generation = Number(rows[0].generation);
    await insertParagraphs(client, generation, index.paragraphs);
    for (const name of FIELDS) await insertField(client, generation, FIELD_NUMBER[name], index.lexical.exportField(name));
    if (index.vectors) await insertVectors(client, generation, index.vectors);
    // Taking the row lock orders concurrent publishers: the last to commit wins, each switch is whole.
    await client.query(
      'INSERT INTO pa_state (singleton, generation) VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE SET generation = EXCLUDED.generation',
      [generation],
    );
    await client.query('COMMIT');
    await client.query('DELETE FROM pa_generations WHERE generation < (SELECT max(generation) FROM pa_generations WHERE generation < $1)', [generation]);
    const withVectors = (await client.query<{ ok: boolean }>("SELECT to_regclass('pa_vectors') IS NOT NULL AS ok")).rows[0].ok;
    if (withVectors) await dropUnusedVectorIndexes(client);
    // Fresh statistics, or the planner guesses at the sizes of a generation it has never seen.
    await client.query(`ANALYZE pa_terms, pa_postings, pa_paragraphs${withVectors ? ', pa_vectors' : ''}`);
    return generation;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function insertParagraphs(client: pg.PoolClient, generation: number, paragraphs: Paragraph[]): Promise<void> {
  for (let from = 0; from < paragraphs.length; from += BATCH) {
    const batch = paragraphs.slice(from, from + BATCH);
    await client.query(
      `INSERT INTO pa_paragraphs (generation, position, id, symbol, label, kind, date, paragraph)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])`,
      [
        generation,
        batch.map((_, i) => from + i),
        batch.map((p) => p.id),
        batch.map((p) => p.symbol),
        batch.map((p) => p.label),
        batch.map((p) => p.kind),
        batch.map((p) => p.date),
        batch.map((p) => JSON.stringify(p)),
      ],
    );
  }
}

async function insertField(client: pg.PoolClient, generation: number, field: number, f: ReturnType<LexicalIndex['exportField']>): Promise<void> {
  for (let from = 0; from < f.terms.length; from += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, f.terms.length - from) }, (_, i) => from + i);
    await client.query(
      `INSERT INTO pa_terms (generation, field, term, term_id, df)
       SELECT $1, $2, * FROM unnest($3::text[], $4::int[], $5::int[])`,
      [generation, field, ids.map((t) => f.terms[t]), ids, ids.map((t) => f.offsets[t + 1] - f.offsets[t])],
    );
  }
  const termOf = new Uint32Array(f.docs.length);
  for (let t = 0; t < f.terms.length; t++) termOf.fill(t, f.offsets[t], f.offsets[t + 1]);
  for (let from = 0; from < f.docs.length; from += BATCH) {
    const to = Math.min(from + BATCH, f.docs.length);
    const docs = Array.from(f.docs.subarray(from, to));
    await client.query(
      `INSERT INTO pa_postings (generation, field, term_id, doc, tf, norm)
       SELECT $1, $2, * FROM unnest($3::int[], $4::int[], $5::int[], $6::float8[])`,
      [generation, field, Array.from(termOf.subarray(from, to)), docs, Array.from(f.tfs.subarray(from, to)), docs.map((d) => f.norms[d])],
    );
  }
}
