import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import type { ScoredParagraph } from '../core/answer.ts';
import type { LexicalQuery } from './lexical/bm25.ts';
import type { Lexicon } from './lexicon/lexicon.ts';

/** What the index records about itself (manifest.json in the index directory). */
export interface IndexManifest {
  formatVersion: number;
  /** Hash over the ingested files' contents and the manifest entries used. */
  corpusHash: string;
  /** How the vectors were made: "openai:<model>", "azure:<deployment>", "compatible:<model>", or "offline:lexical" (no vectors, dimension 0). */
  embeddings: { provider: string; model: string; dimension: number };
  builtAt: string;
  documents: number;
  paragraphs: number;
  /** sha256 of every other file of the index, by path relative to it: what loading verifies. */
  files: Record<string, string>;
}

export interface SearchOptions {
  /** How many results (default 10). */
  k?: number;
  /**
   * Restricts the candidates to these documents (symbols), e.g. those of a range of dates. A declarative
   * restriction, so that a backend applies it where the paragraphs are (in SQL for PostgreSQL).
   */
  documents?: string[];
  /** The text embedded for the dense side when it differs from the lexical query (an English question searched with its Chinese translation). */
  semanticQuery?: string;
}

/**
 * BM25 over the index's paragraphs, wherever the postings are: in memory (LexicalIndex) or in
 * PostgreSQL. `score` returns the best `depth` paragraphs (by index) with their scores.
 */
export interface LexicalScorer {
  score(query: LexicalQuery, options?: { depth?: number; documents?: string[] }): Promise<Map<number, number>>;
  /** Inverse document frequency of a term in a field, as BM25 weighs it. */
  idf(field: 'words' | 'bigrams', term: string): number;
}

/**
 * Nearest neighbours of a query vector among the index's paragraph vectors, wherever they are: hnswlib
 * in memory (the file index) or pgvector (PostgreSQL).
 */
export interface DenseIndex {
  /** Positions of the `k` paragraphs nearest to `vector` by cosine, best first, among `documents` (symbols) when given. */
  nearest(vector: number[], k: number, documents?: string[]): Promise<number[]>;
}

/** The loaded, read-only index: what retrieval and answering work from. */
export interface KnowledgeIndex {
  manifest: IndexManifest;
  documents: DocumentMeta[];
  /** Every paragraph, grouped by document in corpus order, each document's in position order. */
  paragraphs: Paragraph[];
  /** Exact lookup by symbol and label ("13(c)", "PP5", "fn1", …). */
  paragraph(symbol: string, label: string): Paragraph | undefined;
  /** The paragraph at a 0-based position of a document (its neighbours are position ± 1). */
  paragraphAt(symbol: string, position: number): Paragraph | undefined;
  /** CC-CEDICT translations and near-synonyms of the index's own words (index/lexicon/). */
  lexicon: Lexicon;
  /** Hybrid (lexical + dense) retrieval, best first. */
  search(query: string, options?: SearchOptions): Promise<ScoredParagraph[]>;
  /** Inverse document frequency of a jieba word or a Han bigram in the indexed paragraphs. */
  idf(term: string, field?: 'words' | 'bigrams'): number;
}

/** A missing, corrupt or incompatible index; the message says what to run. */
export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}
