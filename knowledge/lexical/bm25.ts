import type { Paragraph } from '../../ingest/paragraph.ts';
import { labelKind } from '../../ingest/paragraph.ts';
import { synonymsOf } from './synonyms.ts';
import { bigrams, words } from './tokenize.ts';

/**
 * BM25 over paragraphs with three fields: jieba words (the main signal), Han character bigrams (the
 * safety net for segmentation differences) and the paragraph's context — its section headings, its
 * document's title and what kind of paragraph it is — so that "摘要", "结论" or "方框" in a question
 * points at the right part of a document.
 */

export type FieldName = 'words' | 'bigrams' | 'context';
const FIELDS: FieldName[] = ['words', 'bigrams', 'context'];

interface FieldIndex {
  /** term → flat [docIndex, tf, docIndex, tf, …] */
  postings: Record<string, number[]>;
  lengths: number[];
  averageLength: number;
}

export interface LexicalIndexData {
  version: 1;
  size: number;
  fields: Record<FieldName, FieldIndex>;
}

export interface LexicalQuery {
  words: string[];
  bigrams: string[];
  /** Synonyms of the query's words (see synonyms.ts), searched at lower weight. */
  expansions: string[];
}

const K1 = 1.2;
const B = 0.75;
const WEIGHTS: Record<FieldName, number> = { words: 1, bigrams: 0.6, context: 0.3 };
const EXPANSION_WEIGHT = 0.5;

const KIND_WORDS: Record<string, string> = {
  summary: '摘要 summary',
  footnote: '脚注 footnote',
  box: '方框 box',
  preambular: '序言 序言部分 preamble',
  annex: '附件 annex',
};

/** The words that describe where a paragraph sits, indexed in the context field. */
export function contextText(paragraph: Paragraph, documentTitle: string): string {
  const kind = labelKind(paragraph.label);
  const kindWords = KIND_WORDS[kind] ?? (paragraph.kind === 'resolution' ? '执行部分' : '');
  return [...paragraph.section, documentTitle, kindWords].join(' ');
}

function buildField(tokenLists: string[][]): FieldIndex {
  const postings: Record<string, number[]> = Object.create(null);
  const lengths = tokenLists.map((tokens) => tokens.length);
  tokenLists.forEach((tokens, doc) => {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) (postings[term] ??= []).push(doc, tf);
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  return { postings, lengths, averageLength: lengths.length ? total / lengths.length : 0 };
}

export function buildLexicalIndex(paragraphs: Paragraph[], titleOf: (symbol: string) => string): LexicalIndexData {
  return {
    version: 1,
    size: paragraphs.length,
    fields: {
      words: buildField(paragraphs.map((p) => words(p.text))),
      bigrams: buildField(paragraphs.map((p) => bigrams(p.text))),
      context: buildField(paragraphs.map((p) => words(contextText(p, titleOf(p.symbol))))),
    },
  };
}

export function analyzeQuery(query: string): LexicalQuery {
  const queryWords = unique(words(query));
  const present = new Set(queryWords);
  const expansions = unique(queryWords.flatMap(synonymsOf)).filter((w) => !present.has(w));
  return { words: queryWords, bigrams: unique(bigrams(query)), expansions };
}

/** Postings come from JSON: "constructor" must not find Object.prototype's. */
function own(postings: Record<string, number[]>, term: string): number[] | undefined {
  return Object.hasOwn(postings, term) ? postings[term] : undefined;
}

function unique(tokens: string[]): string[] {
  return [...new Set(tokens)];
}

/** Scores every paragraph that shares a term with the query; index → score. */
export class LexicalIndex {
  constructor(private readonly data: LexicalIndexData) {}

  get size(): number {
    return this.data.size;
  }

  toJSON(): LexicalIndexData {
    return this.data;
  }

  static fromJSON(data: unknown): LexicalIndex {
    const d = data as LexicalIndexData;
    if (!d || d.version !== 1 || typeof d.size !== 'number' || !FIELDS.every((f) => d.fields?.[f]?.postings)) {
      throw new Error('lexical index has an unknown shape');
    }
    return new LexicalIndex(d);
  }

  /** Inverse document frequency of a term in a field (BM25+ style, never negative). */
  idf(field: FieldName, term: string): number {
    const postings = own(this.data.fields[field].postings, term);
    const df = postings ? postings.length / 2 : 0;
    return Math.log(1 + (this.data.size - df + 0.5) / (df + 0.5));
  }

  score(query: LexicalQuery): Map<number, number> {
    const scores = new Map<number, number>();
    const passes: [FieldName, string[], number][] = [
      ['words', query.words, WEIGHTS.words],
      ['words', query.expansions, WEIGHTS.words * EXPANSION_WEIGHT],
      ['bigrams', query.bigrams, WEIGHTS.bigrams],
      ['context', query.words, WEIGHTS.context],
    ];
    for (const [field, terms, weight] of passes) {
      const index = this.data.fields[field];
      for (const term of terms) {
        const postings = own(index.postings, term);
        if (!postings) continue;
        const idf = this.idf(field, term);
        for (let i = 0; i < postings.length; i += 2) {
          const doc = postings[i];
          const tf = postings[i + 1];
          const norm = index.averageLength ? index.lengths[doc] / index.averageLength : 1;
          const s = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + B * norm));
          scores.set(doc, (scores.get(doc) ?? 0) + s);
        }
      }
    }
    return scores;
  }
}
