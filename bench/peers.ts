import { create, insertMultiple, search } from '@orama/orama';
import { createTokenizer } from '@orama/tokenizers/mandarin';
import MiniSearch from 'minisearch';
import pg from 'pg';
import type { Paragraph } from '../core/paragraph.ts';
import { words } from '../index/lexical/tokenize.ts';
import { startLocalPostgres } from '../scripts/local-postgres.ts';
import { type Percentiles, percentiles, timeEach } from './queries.ts';

/**
 * What a user would pick instead of the project's index, on the same paragraphs and questions: MiniSearch
 * over the project's jieba words, Orama with its own Mandarin tokenizer (Intl.Segmenter), and PostgreSQL
 * full-text search over the jieba words (a GIN index, ranked by ts_rank). Each returns its best 10, as
 * retrieval does. Each runs in a process of its own (bench/run-size.ts), so its memory is its own.
 */

export const PEERS = ['minisearch', 'orama', 'postgres-fts'] as const;
export type PeerName = (typeof PEERS)[number];

export interface PeerFigures {
  peer: PeerName;
  paragraphs: number;
  buildMs: number;
  query: Percentiles;
  /** Resident memory with the index built and the paragraphs let go (for PostgreSQL: this client only). */
  rssMb: number;
  /** PostgreSQL only: the database's size on disk after the build. */
  databaseMb?: number;
}

const TOP = 10;
/** Rows per INSERT into PostgreSQL: as for the project's own publishing. */
const BATCH = 2_000;

interface Searcher {
  query(question: string): Promise<unknown>;
  /** Bytes the peer keeps outside this process. */
  externalBytes?(): Promise<number>;
  close(): Promise<void>;
}

/** Builds `peer` over the paragraphs `take` hands over (and then forgets), and times the questions. */
export async function measurePeer(peer: PeerName, take: () => Paragraph[], questions: string[]): Promise<PeerFigures> {
  let paragraphs: Paragraph[] | undefined = take();
  const count = paragraphs.length;
  const build = await BUILDERS[peer]();
  const started = performance.now();
  const searcher = await build(paragraphs);
  const buildMs = Math.round(performance.now() - started);
  paragraphs = undefined;
  globalThis.gc?.();
  try {
    const query = percentiles(await timeEach(questions, (q) => searcher.query(q)));
    const external = await searcher.externalBytes?.();
    return { peer, paragraphs: count, buildMs, query, rssMb: Math.round(process.memoryUsage().rss / 1_048_576), databaseMb: external === undefined ? undefined : Math.round(external / 1_048_576) };
  } finally {
    await searcher.close();
  }
}

/** Each peer's setup (not timed: starting a server), which returns its build (timed). */
const BUILDERS: Record<PeerName, () => Promise<(paragraphs: Paragraph[]) => Promise<Searcher>>> = {
  minisearch: async () => async (paragraphs) => {
    const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], tokenize: words });
    index.addAll(paragraphs.map((p, id) => ({ id, text: p.text })));
    return { query: async (q) => index.search(q).slice(0, TOP), close: async () => {} };
  },

  orama: async () => async (paragraphs) => {
    const db = create({ schema: { text: 'string' } as const, components: { tokenizer: createTokenizer() } });
    await insertMultiple(
      db,
      paragraphs.map((p) => ({ text: p.text })),
    );
    return { query: async (q) => search(db, { term: q, limit: TOP }), close: async () => {} };
  },

  'postgres-fts': async () => {
    const server = await startLocalPostgres();
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    return async (paragraphs) => {
      try {
        await pool.query('CREATE TABLE peer_fts (id integer PRIMARY KEY, tsv tsvector NOT NULL)');
        for (let from = 0; from < paragraphs.length; from += BATCH) {
          const batch = paragraphs.slice(from, from + BATCH);
          await pool.query("INSERT INTO peer_fts SELECT id, to_tsvector('simple', text) FROM unnest($1::int[], $2::text[]) AS t (id, text)", [
            batch.map((_, i) => from + i),
            batch.map((p) => words(p.text).join(' ')),
          ]);
        }
        await pool.query('CREATE INDEX peer_fts_tsv ON peer_fts USING gin (tsv)');
        await pool.query('ANALYZE peer_fts');
      } catch (error) {
        await pool.end();
        await server.stop();
        throw error;
      }
      return {
        // Any of the question's words matches, as in BM25; ts_rank then orders every match.
        query: (q) =>
          pool.query(
            `SELECT id, ts_rank(tsv, q) AS rank FROM peer_fts, websearch_to_tsquery('simple', $1) AS q
             WHERE tsv @@ q ORDER BY rank DESC, id LIMIT ${TOP}`,
            [words(q).join(' or ')],
          ),
        externalBytes: async () => Number((await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes),
        async close() {
          await pool.end();
          await server.stop();
        },
      };
    };
  },
};
