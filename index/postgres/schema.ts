import type pg from 'pg';

/**
 * The index in PostgreSQL, by generation: every ingest writes a whole new generation next to the one in
 * use and switches `pa_state` to it in the same transaction, so readers see the old index or the new
 * one, never a mix. Plain SQL with no extension, so it runs on any PostgreSQL ≥ 13 (managed Azure
 * Database for PostgreSQL, Citus: the postings distribute by generation and term).
 *
 * Fields are numbered as in FIELD_NUMBER. A term's postings are stored in rows of up to POSTING_BLOCK
 * (paragraph positions ascending, with each paragraph's tf and its length normalization for the field),
 * so that BM25 is one join of the query's terms with their blocks: one row per posting made a 100k
 * corpus 24 million rows, slow to write through the primary key and to read back one by one (index
 * format 6, whose generations this format's replicas refuse to open, and whose replicas refuse this one's).
 */

/** Postings per row of pa_posting_blocks. */
export const POSTING_BLOCK = 1024;

export const FIELD_NUMBER = { words: 0, bigrams: 1, context: 2 } as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pa_generations (
  generation bigserial PRIMARY KEY,
  manifest jsonb NOT NULL,
  documents jsonb NOT NULL,
  lexicon jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pa_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL REFERENCES pa_generations (generation)
);
CREATE TABLE IF NOT EXISTS pa_paragraphs (
  generation bigint NOT NULL REFERENCES pa_generations (generation) ON DELETE CASCADE,
  position integer NOT NULL,
  id text NOT NULL,
  symbol text NOT NULL,
  label text NOT NULL,
  kind text NOT NULL,
  date text NOT NULL,
  paragraph jsonb NOT NULL,
  PRIMARY KEY (generation, position)
);
CREATE INDEX IF NOT EXISTS pa_paragraphs_symbol ON pa_paragraphs (generation, symbol, position);
CREATE INDEX IF NOT EXISTS pa_paragraphs_label ON pa_paragraphs (generation, label);
CREATE TABLE IF NOT EXISTS pa_terms (
  generation bigint NOT NULL REFERENCES pa_generations (generation) ON DELETE CASCADE,
  field smallint NOT NULL,
  term text NOT NULL,
  term_id integer NOT NULL,
  df integer NOT NULL,
  PRIMARY KEY (generation, field, term)
);
CREATE TABLE IF NOT EXISTS pa_posting_blocks (
  generation bigint NOT NULL REFERENCES pa_generations (generation) ON DELETE CASCADE,
  field smallint NOT NULL,
  term_id integer NOT NULL,
  block integer NOT NULL,
  docs integer[] NOT NULL,
  tfs integer[] NOT NULL,
  norms double precision[] NOT NULL,
  PRIMARY KEY (generation, field, term_id, block)
);
`;

/**
 * Paragraph vectors, with model embeddings only, so that a lexical-only index needs no extension. The
 * column has no fixed dimension (a new embedding model may change it between generations); each
 * generation gets its own partial HNSW index over the column cast to its dimension (vectors.ts).
 */
const VECTOR_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS pa_vectors (
  generation bigint NOT NULL REFERENCES pa_generations (generation) ON DELETE CASCADE,
  position integer NOT NULL,
  embedding vector NOT NULL,
  PRIMARY KEY (generation, position)
);
`;

/** Creates the tables when missing; an advisory lock keeps two replicas starting together from racing. */
export async function ensureSchema(client: pg.PoolClient | pg.Client, options: { vectors: boolean }): Promise<void> {
  await client.query('SELECT pg_advisory_lock(20131220)');
  try {
    await client.query(SCHEMA);
    if (options.vectors) await client.query(VECTOR_SCHEMA);
  } finally {
    await client.query('SELECT pg_advisory_unlock(20131220)');
  }
}
