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

/** What tells two builds apart (an unchanged corpus re-ingested is the same index). */
export function fingerprint(manifest: Pick<IndexManifest, 'builtAt' | 'corpusHash'>): string {
  return `${manifest.builtAt}|${manifest.corpusHash}`;
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
 * PostgreSQL. `score` returns the best `depth` paragraphs (by position) with their scores.
 */
export interface LexicalScorer {
  score(query: LexicalQuery, options?: { depth?: number; documents?: string[] }): Promise<Map<number, number>>;
}

/**
 * Nearest neighbours of a query vector among the index's paragraph vectors, wherever they are: hnswlib
 * in memory (the file index) or pgvector (PostgreSQL).
 */
export interface DenseIndex {
  /** Positions of the `k` paragraphs nearest to `vector` by cosine, best first, among `documents` (symbols) when given. */
  nearest(vector: number[], k: number, documents?: string[]): Promise<number[]>;
}

/**
 * What a question's view must hold before its synchronous lookups are made: an index in memory holds
 * everything already; one in PostgreSQL fetches just this, so that a replica keeps no paragraphs.
 */
export interface ViewRequest {
  /** Texts whose words and bigrams (and their near-synonyms and translations) will be weighed by IDF. */
  texts?: string[];
  /** Documents (symbols) whose paragraphs will be read. */
  documents?: string[];
  /** Labels looked up across every document ("13(c)"; the lead-in "13" comes with it). */
  labels?: string[];
  /** Paragraphs whose words will be weighed (their gloss-space points); what a search finds is added by itself. */
  paragraphs?: Paragraph[];
}

/**
 * The index as one question reads it: the answer pipeline and the claim checks look paragraphs up and
 * weigh terms synchronously, over what the view holds. Asking for what it was not given is a bug, and
 * throws ViewMiss rather than answering as if the paragraph or term did not exist.
 */
export interface IndexView {
  documents: DocumentMeta[];
  /** CC-CEDICT translations and near-synonyms of the index's own words (index/lexicon/). */
  lexicon: Lexicon;
  /** Exact lookup by symbol and label ("13(c)", "PP5", "fn1", …). */
  paragraph(symbol: string, label: string): Paragraph | undefined;
  /** The paragraph at a 0-based position of a document (its neighbours are position ± 1). */
  paragraphAt(symbol: string, position: number): Paragraph | undefined;
  /** A document's paragraphs in position order. */
  paragraphsOf(symbol: string): Paragraph[];
  /** The paragraphs with this label, in any document, in corpus order. */
  labelled(label: string): Paragraph[];
  /** Inverse document frequency of a jieba word or a Han bigram in the indexed paragraphs. */
  idf(term: string, field?: 'words' | 'bigrams'): number;
  /** Hybrid retrieval, best first; the paragraphs found join the view with their documents and words. */
  search(query: string, options?: SearchOptions): Promise<ScoredParagraph[]>;
  /** Brings what `request` names into the view. */
  widen(request: ViewRequest): Promise<void>;
}

/** The loaded, read-only index: what retrieval and answering work from. */
export interface KnowledgeIndex {
  manifest: IndexManifest;
  documents: DocumentMeta[];
  lexicon: Lexicon;
  /** Hybrid (lexical + dense) retrieval, best first. */
  search(query: string, options?: SearchOptions): Promise<ScoredParagraph[]>;
  /** A view for one question, holding at least what `request` names. */
  view(request: ViewRequest): Promise<IndexView>;
  /** Lets go of what the index holds open (its database connections); nothing for the file index. */
  close(): Promise<void>;
}

/** The file index: every paragraph in memory, so it is its own view. */
export type MemoryIndex = KnowledgeIndex & IndexView & { paragraphs: Paragraph[] };

/** A view was asked for a paragraph or term it was not given: the caller's request missed it. */
export class ViewMiss extends Error {
  constructor(what: string) {
    super(`The index view for this question does not hold ${what}: the request that opened it must name it.`);
    this.name = 'ViewMiss';
  }
}

/** A missing, corrupt or incompatible index; the message says what to run. */
export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}
