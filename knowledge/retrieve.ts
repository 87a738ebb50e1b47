import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Paragraph } from '../core/paragraph.ts';
import type { ScoredParagraph } from '../core/answer.ts';
import type { DenseIndex, LexicalScorer, SearchOptions } from '../index/knowledge-index.ts';
import { analyzeQuery } from '../index/lexical/bm25.ts';

/**
 * The first stage: candidates for the learned ranker (answer/rank.ts), by BM25 over jieba words, Han
 * bigrams and section context, fused by reciprocal rank with model embeddings when there are any.
 * It knows nothing about what the question says of documents, years or answer forms: those are
 * features of the ranker, weighted on labelled questions instead of by hand.
 */

export interface RetrieverParts {
  /** The paragraphs at these positions, in the same order (from memory, or fetched from PostgreSQL). */
  paragraphsAt(positions: number[]): Promise<Paragraph[]>;
  lexical: LexicalScorer;
  /** The dense side; without it retrieval is lexical only. */
  vectors?: { dense: DenseIndex; embeddings: EmbeddingsInterface };
  /** Near-synonyms of a query word that the index holds (the lexicon), searched at lower weight. */
  expand?: (word: string) => string[];
}

export interface RetrieverTuning {
  /** Reciprocal rank fusion constant. */
  rrfK: number;
  /** Weight of the dense ranking against the lexical one (0 turns it off). */
  denseWeight: number;
  /** How many dense neighbours enter the fusion. */
  denseDepth: number;
}

export const DEFAULT_TUNING: RetrieverTuning = { rrfK: 60, denseWeight: 1, denseDepth: 50 };

/** Offline there are no vectors that carry meaning: retrieval is lexical. */
export const OFFLINE_TUNING: RetrieverTuning = { ...DEFAULT_TUNING, denseWeight: 0 };

export class HybridRetriever {
  constructor(
    private readonly parts: RetrieverParts,
    private readonly tuning: RetrieverTuning = DEFAULT_TUNING,
  ) {}

  async search(query: string, options: SearchOptions = {}): Promise<ScoredParagraph[]> {
    const k = options.k ?? 10;
    const fused = new Map<number, number>();
    const add = (ranking: number[], weight: number) =>
      ranking.forEach((index, rank) => fused.set(index, (fused.get(index) ?? 0) + weight / (this.tuning.rrfK + rank + 1)));

    // Filtering inside the scorer keeps a restricted search from losing its matches to the depth cut.
    // Without a dense ranking to fuse with, the fused order is the lexical order: the first k are all
    // that is needed, and the scorer's pruning skips far more at a small depth.
    const fusing = Boolean(this.parts.vectors && this.tuning.denseWeight > 0);
    const lexical = [...(await this.parts.lexical.score(analyzeQuery(query, this.parts.expand), { documents: options.documents, depth: fusing ? undefined : k }))]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([i]) => i);
    add(lexical, 1);
    if (this.parts.vectors && this.tuning.denseWeight > 0) add(await this.dense(options.semanticQuery ?? query, options.documents), this.tuning.denseWeight);

    const best = [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
    const paragraphs = await this.parts.paragraphsAt(best.map(([position]) => position));
    return best.map(([, score], i) => ({ paragraph: paragraphs[i], score }));
  }

  private async dense(query: string, documents: string[] | undefined): Promise<number[]> {
    const { dense, embeddings } = this.parts.vectors!;
    let vector: number[];
    try {
      vector = await embeddings.embedQuery(query);
    } catch {
      // A model embedding service that is down must not take retrieval with it: lexical still answers.
      return [];
    }
    return dense.nearest(vector, this.tuning.denseDepth, documents);
  }
}
