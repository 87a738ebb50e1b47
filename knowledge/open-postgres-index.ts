import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { createModelEmbeddings, OFFLINE_PROVIDER } from '../index/embeddings/factory.ts';
import { IndexError, type IndexManifest, type KnowledgeIndex } from '../index/knowledge-index.ts';
import type { DocumentsFile } from '../index/layout.ts';
import type { LexiconData } from '../index/lexicon/format.ts';
import { Lexicon } from '../index/lexicon/lexicon.ts';
import { PostgresLexicalScorer } from '../index/postgres/lexical-scorer.ts';
import { FIELD_NUMBER } from '../index/postgres/schema.ts';
import { countVectors, PgVectorIndex } from '../index/postgres/vectors.ts';
import { assembleIndex, checkCompatible } from './open-index.ts';

/**
 * The index in PostgreSQL (DATABASE_URL): BM25 is scored by the database, and with model embeddings the
 * nearest vectors are found by pgvector, over the generation that was current when the index was opened
 * (a replica keeps answering from it while an ingest publishes the next; reopening picks that one up). The answer pipeline still reads paragraphs synchronously, so they
 * are loaded once, with the document frequencies of words and bigrams, in one repeatable-read snapshot.
 */

export type PostgresIndex = KnowledgeIndex & { generation: number; close(): Promise<void> };

const WHERE = 'The index in PostgreSQL (DATABASE_URL)';

/** The database is reachable but holds no index yet. */
export class NoPostgresIndexError extends IndexError {
  constructor() {
    super(`${WHERE} is empty: run \`npm run ingest\` with DATABASE_URL set.`);
  }
}

export async function openPostgresIndex(url: string, settings: Settings): Promise<PostgresIndex> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // A connection dropped while idle (a database restart or failover) must not crash the replica: the pool
  // discards it, and the next query opens another, failing with a clear error if the database is gone.
  pool.on('error', () => {});
  try {
    const client = await pool.connect().catch((error: unknown) => {
      throw new IndexError(`Cannot connect to PostgreSQL at DATABASE_URL (${error instanceof Error ? error.message : String(error)}).`);
    });
    let snapshot: Snapshot;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      snapshot = await readSnapshot(client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { generation, manifest, documents, paragraphs, frequencies, lexicon, vectors } = snapshot;
    checkCompatible(manifest, WHERE, settings);
    const embeddings = manifest.embeddings.provider === OFFLINE_PROVIDER ? undefined : createModelEmbeddings(settings)!;
    if (embeddings && vectors !== paragraphs.length) {
      throw new IndexError(`${WHERE} holds ${vectors} vectors for ${paragraphs.length} paragraphs: run \`npm run ingest\` with DATABASE_URL set.`);
    }
    const index = assembleIndex({
      manifest,
      documents,
      paragraphs,
      lexicon: new Lexicon(lexicon),
      lexical: new PostgresLexicalScorer(pool, generation, paragraphs.length, frequencies),
      vectors: embeddings && { dense: new PgVectorIndex(pool, generation, manifest.embeddings.dimension), embeddings },
    });
    return { ...index, generation, close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

interface Snapshot {
  generation: number;
  manifest: IndexManifest;
  documents: DocumentMeta[];
  paragraphs: Paragraph[];
  frequencies: Record<'words' | 'bigrams', Map<string, number>>;
  lexicon: LexiconData;
  /** How many vectors the generation holds (pgvector, with model embeddings only). */
  vectors: number;
}

async function readSnapshot(client: pg.PoolClient): Promise<Snapshot> {
  const noIndex = new NoPostgresIndexError();
  const exists = await client.query<{ ok: boolean }>("SELECT to_regclass('pa_state') IS NOT NULL AS ok");
  if (!exists.rows[0].ok) throw noIndex;
  const current = await client.query<{ generation: string; manifest: IndexManifest; documents: DocumentsFile; lexicon: LexiconData }>(
    'SELECT g.generation, g.manifest, g.documents, g.lexicon FROM pa_state s JOIN pa_generations g USING (generation)',
  );
  if (current.rows.length === 0) throw noIndex;
  const generation = Number(current.rows[0].generation);
  const { manifest, lexicon } = current.rows[0];
  const documents = current.rows[0].documents.documents.map((d) => d.meta);
  const paragraphs = (await client.query<{ paragraph: Paragraph }>('SELECT paragraph FROM pa_paragraphs WHERE generation = $1 ORDER BY position', [generation])).rows.map((r) => r.paragraph);
  if (paragraphs.length !== manifest.paragraphs) throw new IndexError(`${WHERE} is inconsistent (manifest ${manifest.paragraphs} paragraphs, ${paragraphs.length} stored): run \`npm run ingest\`.`);
  const terms = await client.query<{ field: number; term: string; df: number }>('SELECT field, term, df FROM pa_terms WHERE generation = $1 AND field IN ($2, $3)', [
    generation,
    FIELD_NUMBER.words,
    FIELD_NUMBER.bigrams,
  ]);
  const frequencies = { words: new Map<string, number>(), bigrams: new Map<string, number>() };
  for (const row of terms.rows) (row.field === FIELD_NUMBER.words ? frequencies.words : frequencies.bigrams).set(row.term, row.df);
  return { generation, manifest, documents, paragraphs, frequencies, lexicon, vectors: await countVectors(client, generation) };
}
