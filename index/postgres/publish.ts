import type pg from 'pg';
import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexManifest } from '../knowledge-index.ts';
import type { DocumentsFile } from '../layout.ts';
import type { LexicalIndex } from '../lexical/bm25.ts';
import type { LexiconData } from '../lexicon/format.ts';
import { FIELDS } from '../lexical/postings.ts';
import { ensureSchema, FIELD_NUMBER, POSTING_BLOCK } from './schema.ts';
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

/** Paragraphs, terms or postings per INSERT … SELECT FROM unnest(…): large enough to amortize round trips, small enough for one message. */
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
    await client.query(`ANALYZE pa_terms, pa_posting_blocks, pa_paragraphs${withVectors ? ', pa_vectors' : ''}`);
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
  // Whole rows per statement: the flat arrays of up to BATCH postings are cut into their rows by the database.
  const rows: { term: number; block: number; start: number; end: number }[] = [];
  for (let t = 0; t < f.terms.length; t++) {
    for (let start = f.offsets[t], block = 0; start < f.offsets[t + 1]; start += POSTING_BLOCK, block++) rows.push({ term: t, block, start, end: Math.min(start + POSTING_BLOCK, f.offsets[t + 1]) });
  }
  for (let r = 0; r < rows.length; ) {
    const batch: typeof rows = [];
    let postings = 0;
    while (r < rows.length && (batch.length === 0 || postings + rows[r].end - rows[r].start <= BATCH)) {
      postings += rows[r].end - rows[r].start;
      batch.push(rows[r++]);
    }
    const from = batch[0].start;
    const to = batch[batch.length - 1].end;
    const docs = Array.from(f.docs.subarray(from, to));
    const rowOf = new Int32Array(to - from);
    batch.forEach((row, i) => rowOf.fill(i, row.start - from, row.end - from));
    await client.query(
      `INSERT INTO pa_posting_blocks (generation, field, term_id, block, docs, tfs, norms)
       SELECT $1, $2, ($3::int[])[r + 1], ($4::int[])[r + 1], array_agg(doc ORDER BY i), array_agg(tf ORDER BY i), array_agg(norm ORDER BY i)
       FROM unnest($5::int[], $6::int[], $7::int[], $8::float8[]) WITH ORDINALITY AS u (r, doc, tf, norm, i)
       GROUP BY r`,
      [
        generation,
        field,
        batch.map((row) => row.term),
        batch.map((row) => row.block),
        Array.from(rowOf),
        docs,
        Array.from(f.tfs.subarray(from, to)),
        docs.map((d) => f.norms[d]),
      ],
    );
  }
}
