import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import type { DocumentMeta } from '../core/paragraph.ts';
import { createModelEmbeddings, OFFLINE_PROVIDER } from '../index/embeddings/factory.ts';
import { IndexError, type IndexManifest, type KnowledgeIndex, type SearchOptions } from '../index/knowledge-index.ts';
import type { DocumentsFile } from '../index/layout.ts';
import type { LexiconData } from '../index/lexicon/format.ts';
import { Lexicon } from '../index/lexicon/lexicon.ts';
import { PostgresLexicalScorer } from '../index/postgres/lexical-scorer.ts';
import { GenerationReader, PostgresView } from '../index/postgres/question-view.ts';
import { countVectors, PgVectorIndex } from '../index/postgres/vectors.ts';
import { checkCompatible, hybridRetriever } from './open-index.ts';

/**
 * The index in PostgreSQL (DATABASE_URL): BM25 is scored by the database, and with model embeddings the
 * nearest vectors are found by pgvector, over the generation that was current when the index was opened
 * (a replica keeps answering from it while an ingest publishes the next; reopening picks that one up).
 * The replica is stateless: it opens the generation's manifest, document list and lexicon, and each
 * question's view fetches the paragraphs and term frequencies it reads (index/postgres/question-view.ts).
 */

export type PostgresIndex = KnowledgeIndex & { generation: number };

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
    let opened: Opened;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      opened = await readGeneration(client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { generation, manifest, documents, lexicon: data, vectors } = opened;
    checkCompatible(manifest, WHERE, settings);
    const embeddings = manifest.embeddings.provider === OFFLINE_PROVIDER ? undefined : (await createModelEmbeddings(settings))!;
    if (embeddings && vectors !== manifest.paragraphs) {
      throw new IndexError(`${WHERE} holds ${vectors} vectors for ${manifest.paragraphs} paragraphs: run \`npm run ingest\` with DATABASE_URL set.`);
    }
    const lexicon = new Lexicon(data);
    const reader = new GenerationReader(pool, generation, manifest.paragraphs, documents);
    const retriever = hybridRetriever(
      {
        paragraphsAt: (positions) => reader.at(positions),
        lexical: new PostgresLexicalScorer(pool, generation, manifest.paragraphs),
        vectors: embeddings && { dense: new PgVectorIndex(pool, generation, manifest.embeddings.dimension), embeddings },
      },
      lexicon,
    );
    const search = (query: string, options?: SearchOptions) => retriever.search(query, options);
    return {
      manifest,
      documents,
      lexicon,
      search,
      async view(request) {
        const view = new PostgresView(reader, documents, lexicon, search);
        await view.widen(request);
        return view;
      },
      generation,
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

interface Opened {
  generation: number;
  manifest: IndexManifest;
  documents: DocumentMeta[];
  lexicon: LexiconData;
  /** How many vectors the generation holds (pgvector, with model embeddings only). */
  vectors: number;
}

async function readGeneration(client: pg.PoolClient): Promise<Opened> {
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
  // The last position, read from the primary key's end, stands for the count without reading every row.
  const last = await client.query<{ n: number | null }>('SELECT max(position) + 1 AS n FROM pa_paragraphs WHERE generation = $1', [generation]);
  const stored = last.rows[0].n ?? 0;
  if (stored !== manifest.paragraphs) throw new IndexError(`${WHERE} is inconsistent (manifest ${manifest.paragraphs} paragraphs, ${stored} stored): run \`npm run ingest\`.`);
  return { generation, manifest, documents, lexicon, vectors: await countVectors(client, generation) };
}
