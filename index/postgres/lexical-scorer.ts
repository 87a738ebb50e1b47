import type pg from 'pg';
import type { LexicalScorer } from '../knowledge-index.ts';
import { DEFAULT_DEPTH, K1, type LexicalQuery, weightedTerms } from '../lexical/bm25.ts';
import { FIELD_NUMBER } from './schema.ts';

/**
 * The project's BM25 (bm25.ts: the same jieba terms, fields, weights, IDF and length normalization),
 * computed by PostgreSQL over the postings of one generation; the document restriction runs in SQL.
 * Scores agree with the in-memory index to rounding (PostgreSQL sums in its own order).
 */
export class PostgresLexicalScorer implements LexicalScorer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly generation: number,
    private readonly size: number,
  ) {}

  async score(query: LexicalQuery, options: { depth?: number; documents?: string[] } = {}): Promise<Map<number, number>> {
    const terms = weightedTerms(query);
    const result = new Map<number, number>();
    if (terms.length === 0) return result;
    const depth = options.depth === undefined ? DEFAULT_DEPTH : Number.isFinite(options.depth) ? options.depth : null;
    const params: unknown[] = [this.generation, terms.map((t) => FIELD_NUMBER[t.field]), terms.map((t) => t.term), terms.map((t) => t.weight), this.size, K1 + 1, depth];
    if (options.documents) params.push(options.documents);
    const { rows } = await this.pool.query<{ doc: number; score: number }>(
      `WITH q AS (SELECT * FROM unnest($2::smallint[], $3::text[], $4::float8[]) AS q (field, term, weight)),
       ${options.documents ? 'allowed AS MATERIALIZED (SELECT position FROM pa_paragraphs WHERE generation = $1 AND symbol = ANY ($8::text[])),' : ''}
       l AS (
         SELECT t.field, t.term_id, q.weight * ln(1 + ($5::float8 - t.df + 0.5) / (t.df + 0.5)) AS w
         FROM q JOIN pa_terms t ON t.generation = $1 AND t.field = q.field AND t.term = q.term
       )
       SELECT u.doc, sum((l.w * u.tf * $6::float8) / (u.tf + u.norm)) AS score
       FROM l JOIN pa_posting_blocks p ON p.generation = $1 AND p.field = l.field AND p.term_id = l.term_id
       CROSS JOIN LATERAL unnest(p.docs, p.tfs, p.norms) AS u (doc, tf, norm)
       ${options.documents ? 'JOIN allowed a ON a.position = u.doc' : ''}
       GROUP BY u.doc
       ORDER BY score DESC, u.doc
       LIMIT $7`,
      params,
    );
    for (const row of rows) result.set(row.doc, Number(row.score));
    return result;
  }
}
