import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Paragraph } from '../../core/paragraph.ts';
import { labelKind } from '../../core/paragraph.ts';
import { type ChunkPostings, FIELDS, type FieldName, type FieldPostings } from './postings.ts';
import { bigrams, words } from './tokenize.ts';

/**
 * BM25 over paragraphs with three fields: jieba words (the main signal), Han character bigrams (the
 * safety net for segmentation differences) and the paragraph's context — its section headings, its
 * document's title and what kind of paragraph it is — so that "摘要", "结论" or "方框" in a question
 * points at the right part of a document.
 *
 * Postings are typed arrays (postings.ts), stored as binary files with everything scoring needs that
 * depends only on the corpus — each paragraph's length normalization, each term's best possible
 * contribution — so that a million paragraphs cost a few hundred megabytes rather than gigabytes of
 * JavaScript arrays, and load without parsing or a pass over the paragraphs.
 *
 * Scoring is MaxScore (Turtle & Flood): posting lists are taken best-bound first, and once the best
 * `depth` paragraphs so far outscore everything the remaining lists could add to a paragraph not yet
 * seen, those lists are only probed for the candidates left. The result is the same as scoring every
 * match — the candidates' scores are summed again in the exhaustive order, to the last bit — at a
 * fraction of the postings walked when a query has common terms.
 */

export type { FieldName } from './postings.ts';

export interface LexicalQuery {
  words: string[];
  bigrams: string[];
  /** Words standing for the query's words in other wording, searched at lower weight. */
  expansions: string[];
}

export interface ScoreOptions {
  /** Only paragraphs this accepts are scored. */
  filter?: (index: number) => boolean;
  /** At most this many best paragraphs are returned (default DEFAULT_DEPTH). */
  depth?: number;
}

export const K1 = 1.2;
const B = 0.75;
const WEIGHTS: Record<FieldName, number> = { words: 1, bigrams: 0.6, context: 0.3 };
const EXPANSION_WEIGHT = 0.5;
/**
 * How many lexical matches a query returns, best first. Fusion weighs rank r by 1/(60 + r), so below a
 * few hundred a paragraph cannot reach the first answers even with every boost; returning every match
 * instead makes retrieval at a million paragraphs sort hundreds of thousands of them.
 */
export const DEFAULT_DEPTH = 1000;

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

/** `expand` gives the words that stand for a query word in other wording (the index's lexicon). */
export function analyzeQuery(query: string, expand: (word: string) => string[] = () => []): LexicalQuery {
  const queryWords = unique(words(query));
  const present = new Set(queryWords);
  const expansions = unique(queryWords.flatMap(expand)).filter((w) => !present.has(w));
  return { words: queryWords, bigrams: unique(bigrams(query)), expansions };
}

/** The query's terms per field with the field's weight, in the order scoring adds them up (every backend's). */
export function weightedTerms(query: LexicalQuery): { field: FieldName; term: string; weight: number }[] {
  const passes: [FieldName, string[], number][] = [
    ['words', query.words, WEIGHTS.words],
    ['words', query.expansions, WEIGHTS.words * EXPANSION_WEIGHT],
    ['bigrams', query.bigrams, WEIGHTS.bigrams],
    ['context', query.words, WEIGHTS.context],
  ];
  return passes.flatMap(([field, terms, weight]) => terms.map((term) => ({ field, term, weight })));
}

function unique(tokens: string[]): string[] {
  return [...new Set(tokens)];
}

/** One field, ready to score: postings, and per paragraph and per term what BM25 needs beside them. */
interface FieldIndex {
  terms: Map<string, number>;
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Per paragraph, BM25's length normalization K1·(1 − B + B·length/average). */
  norms: Float64Array;
  /** Per term, the largest tf·(K1 + 1)/(tf + norm) of its postings: its contribution's upper bound per unit weight. */
  maxima: Float64Array;
}

/** A posting list of the query, with its weight (field weight × IDF) and upper bound. */
interface QueryList {
  field: FieldIndex;
  start: number;
  end: number;
  weight: number;
  bound: number;
}

/** How close the remaining lists' bound must come to the last threshold for it to be taken again. */
const RETAKE = 1.25;

/** BM25's inverse document frequency (BM25+ style, never negative) of a term in `df` of `size` paragraphs; shared by every backend. */
export function idfOf(size: number, df: number): number {
  return Math.log(1 + (size - df + 0.5) / (df + 0.5));
}

/** Slack on the pruning bounds, so that rounding never drops a paragraph that exhaustive scoring keeps. */
const SLACK = 1e-9;

/** Makes the searchable index from the merged postings of every paragraph (segment.ts). */
export function buildLexicalIndex(postings: ChunkPostings): LexicalIndex {
  const size = postings.words.lengths.length;
  const fields = {} as Record<FieldName, FieldIndex>;
  for (const name of FIELDS) {
    const f = postings[name];
    const norms = lengthNorms(f.lengths);
    fields[name] = { terms: new Map(f.terms.map((term, i) => [term, i])), offsets: f.offsets, docs: f.docs, tfs: f.tfs, norms, maxima: termMaxima(f, norms) };
  }
  return new LexicalIndex(size, fields);
}

function lengthNorms(lengths: Uint32Array): Float64Array {
  let total = 0;
  for (const l of lengths) total += l;
  const average = lengths.length ? total / lengths.length : 0;
  const norms = new Float64Array(lengths.length);
  for (let doc = 0; doc < norms.length; doc++) {
    const norm = average ? lengths[doc] / average : 1;
    norms[doc] = K1 * (1 - B + B * norm);
  }
  return norms;
}

function termMaxima(f: FieldPostings, norms: Float64Array): Float64Array {
  const maxima = new Float64Array(f.terms.length);
  for (let t = 0; t < f.terms.length; t++) {
    let best = 0;
    for (let i = f.offsets[t]; i < f.offsets[t + 1]; i++) {
      const tf = f.tfs[i];
      const v = (tf * (K1 + 1)) / (tf + norms[f.docs[i]]);
      if (v > best) best = v;
    }
    maxima[t] = best;
  }
  return maxima;
}

/** Scores the paragraphs that share a term with the query; index → score. */
export class LexicalIndex {
  /** Reused by every query (scoring is synchronous): partial scores by paragraph, and which were touched. */
  private readonly scores: Float64Array;
  private readonly touched: Uint32Array;

  constructor(
    readonly size: number,
    private readonly fields: Record<FieldName, FieldIndex>,
  ) {
    this.scores = new Float64Array(size);
    this.touched = new Uint32Array(size);
  }

  /** Inverse document frequency of a term in a field (BM25+ style, never negative). */
  idf(field: FieldName, term: string): number {
    const index = this.fields[field];
    const t = index.terms.get(term);
    return idfOf(this.size, t === undefined ? 0 : index.offsets[t + 1] - index.offsets[t]);
  }

  /** A field's stored arrays (terms in id order): for writing the index elsewhere. */
  exportField(name: FieldName): { terms: string[]; offsets: Uint32Array; docs: Uint32Array; tfs: Uint16Array; norms: Float64Array } {
    const f = this.fields[name];
    return { terms: [...f.terms.keys()], offsets: f.offsets, docs: f.docs, tfs: f.tfs, norms: f.norms };
  }

  /** Every term of a field with the number of paragraphs it occurs in. */
  documentFrequencies(field: FieldName): Map<string, number> {
    const index = this.fields[field];
    return new Map([...index.terms].map(([term, t]) => [term, index.offsets[t + 1] - index.offsets[t]]));
  }

  /** The best `depth` matches (by score, then by index), in no particular order. */
  score(query: LexicalQuery, options: ScoreOptions = {}): Map<number, number> {
    const depth = options.depth ?? DEFAULT_DEPTH;
    const lists = this.queryLists(query);
    const result = new Map<number, number>();
    if (lists.length === 0 || depth <= 0) return result;
    const candidates = this.candidates(lists, depth, options.filter);
    const exact = new Float64Array(candidates.length);
    const cursors = lists.map((l) => l.start);
    // Candidates ascend, so every list is probed forward from where the previous candidate left it.
    candidates.forEach((doc, c) => {
      let sum = 0;
      lists.forEach((list, l) => {
        const i = seek(list.field.docs, cursors[l], list.end, doc);
        cursors[l] = i;
        if (i < list.end && list.field.docs[i] === doc) sum += contribution(list, i, doc);
      });
      exact[c] = sum;
    });
    const order = Uint32Array.from(candidates.keys());
    for (const c of topK(exact, candidates, order, depth)) result.set(candidates[c], exact[c]);
    return result;
  }

  /** The query's posting lists, in the order exhaustive scoring adds them up. */
  private queryLists(query: LexicalQuery): QueryList[] {
    const lists: QueryList[] = [];
    for (const { field: name, term, weight: fieldWeight } of weightedTerms(query)) {
      const field = this.fields[name];
      const t = field.terms.get(term);
      if (t === undefined) continue;
      const weight = fieldWeight * this.idf(name, term);
      lists.push({ field, start: field.offsets[t], end: field.offsets[t + 1], weight, bound: weight * field.maxima[t] * (1 + SLACK) });
    }
    return lists;
  }

  /**
   * Every paragraph that can be among the best `depth`, ascending (a superset: scores here are partial
   * and summed in another order than the exhaustive one).
   */
  private candidates(lists: QueryList[], depth: number, filter: ((index: number) => boolean) | undefined): Uint32Array {
    const { scores, touched } = this;
    const byBound = [...lists].sort((a, b) => b.bound - a.bound);
    const rest = new Float64Array(byBound.length + 1);
    for (let j = byBound.length - 1; j >= 0; j--) rest[j] = rest[j + 1] + byBound[j].bound;
    let count = 0;
    let threshold = 0;
    let j = 0;
    // Essential lists: walked whole, while a paragraph they have not reached could still make the cut.
    // The depth-th best partial score only grows, so a threshold once taken stays a valid lower bound, and
    // it is taken again only when the remaining bound comes near it.
    let known = 0;
    for (; j < byBound.length; j++) {
      if (count >= depth && (known === 0 || rest[j] < known * RETAKE)) {
        known = kthScore(scores, touched, count, depth);
        if (rest[j] < known) {
          threshold = known;
          break;
        }
      }
      const list = byBound[j];
      const { docs } = list.field;
      for (let i = list.start; i < list.end; i++) {
        const doc = docs[i];
        if (filter && !filter(doc)) continue;
        if (scores[doc] === 0) touched[count++] = doc;
        scores[doc] += contribution(list, i, doc);
      }
    }
    const kept = touched.slice(0, count).sort();
    const partial = Float64Array.from(kept, (doc) => scores[doc]);
    for (let i = 0; i < count; i++) scores[touched[i]] = 0;
    if (j === byBound.length) {
      // Every list was walked: the partial scores are whole, only summed in another order.
      if (count <= depth) return kept;
      threshold = kthScore(partial, Uint32Array.from(partial.keys()), count, depth);
    }
    const margin = threshold * (1 - SLACK);
    let live = keepAbove(kept, partial, count, rest[j], margin);
    // The other lists only add to the paragraphs already seen: probed for each, dropping those that fall behind.
    for (let m = j; m < byBound.length && live > 0; m++) {
      const list = byBound[m];
      let cursor = list.start;
      for (let c = 0; c < live; c++) {
        cursor = seek(list.field.docs, cursor, list.end, kept[c]);
        if (cursor < list.end && list.field.docs[cursor] === kept[c]) partial[c] += contribution(list, cursor, kept[c]);
      }
      live = keepAbove(kept, partial, live, rest[m + 1], margin);
    }
    return kept.slice(0, live);
  }

  /** Writes the index as a small JSON header and binary arrays per field under `dir`. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const header: Header = { version: 3, size: this.size, fields: {} as Header['fields'] };
    for (const name of FIELDS) {
      const f = this.fields[name];
      header.fields[name] = { terms: f.terms.size, postings: f.docs.length };
      // Terms never contain a line break: tokenization splits on whitespace.
      await writeFile(join(dir, `${name}.terms`), [...f.terms.keys()].join('\n'));
      for (const [part, array] of parts(f)) await writeFile(join(dir, `${name}.${part}`), bytesOf(array));
    }
    await writeFile(join(dir, HEADER_FILE), JSON.stringify(header));
  }

  static async load(dir: string): Promise<LexicalIndex> {
    const header = JSON.parse(await readFile(join(dir, HEADER_FILE), 'utf8')) as Header;
    if (header?.version !== 3 || typeof header.size !== 'number' || !FIELDS.every((f) => header.fields?.[f])) throw new Error('lexical index has an unknown shape');
    const fields = {} as Record<FieldName, FieldIndex>;
    for (const name of FIELDS) {
      const { terms: termCount, postings } = header.fields[name];
      const text = await readFile(join(dir, `${name}.terms`), 'utf8');
      const list = termCount === 0 ? [] : text.split('\n');
      const [offsets, docs, tfs, norms, maxima] = await Promise.all([
        readArray(join(dir, `${name}.offsets`), Uint32Array),
        readArray(join(dir, `${name}.docs`), Uint32Array),
        readArray(join(dir, `${name}.tfs`), Uint16Array),
        readArray(join(dir, `${name}.norms`), Float64Array),
        readArray(join(dir, `${name}.maxima`), Float64Array),
      ]);
      if (
        list.length !== termCount ||
        offsets.length !== termCount + 1 ||
        maxima.length !== termCount ||
        docs.length !== postings ||
        tfs.length !== postings ||
        norms.length !== header.size ||
        offsets[termCount] !== postings
      ) {
        throw new Error(`lexical index field ${name} does not match its header`);
      }
      fields[name] = { terms: new Map(list.map((term, i) => [term, i])), offsets, docs, tfs, norms, maxima };
    }
    return new LexicalIndex(header.size, fields);
  }
}

const HEADER_FILE = 'lexical.json';

interface Header {
  version: 3;
  size: number;
  fields: Record<FieldName, { terms: number; postings: number }>;
}

type NumberArray = Uint32Array | Uint16Array | Float64Array;

function parts(f: FieldIndex): [string, NumberArray][] {
  return [
    ['offsets', f.offsets],
    ['docs', f.docs],
    ['tfs', f.tfs],
    ['norms', f.norms],
    ['maxima', f.maxima],
  ];
}

function bytesOf(array: NumberArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

async function readArray<T extends NumberArray>(path: string, type: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): Promise<T> {
  const bytes = await readFile(path);
  if (bytes.byteLength % type.BYTES_PER_ELEMENT !== 0) throw new Error(`${path} is truncated`);
  // A copy to a buffer of its own: typed-array views need aligned offsets, which a Buffer does not promise.
  return new type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/** What posting i of a list adds to paragraph doc's score; the same expression, in the same order, everywhere. */
function contribution(list: QueryList, i: number, doc: number): number {
  const tf = list.field.tfs[i];
  return (list.weight * tf * (K1 + 1)) / (tf + list.field.norms[doc]);
}

/** The first position in docs[from, end) holding at least `doc`: galloping, then binary search. */
function seek(docs: Uint32Array, from: number, end: number, doc: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < end && docs[hi] < doc) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > end) hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps, in place and in order, the first `count` candidates whose partial score plus `still` can reach `margin`; returns how many. */
function keepAbove(kept: Uint32Array, partial: Float64Array, count: number, still: number, margin: number): number {
  let live = 0;
  for (let c = 0; c < count; c++) {
    if (partial[c] + still < margin) continue;
    kept[live] = kept[c];
    partial[live++] = partial[c];
  }
  return live;
}

/** The k-th highest score of the touched paragraphs (count ≥ k), by a bounded min-heap of scores. */
function kthScore(scores: Float64Array, touched: Uint32Array, count: number, k: number): number {
  const heap = new Float64Array(k);
  for (let i = 0; i < k; i++) heap[i] = scores[touched[i]];
  const sift = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < k && heap[l] < heap[least]) least = l;
      if (r < k && heap[r] < heap[least]) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) sift(i);
  for (let i = k; i < count; i++) {
    const s = scores[touched[i]];
    if (s > heap[0]) {
      heap[0] = s;
      sift(0);
    }
  }
  return heap[0];
}

/** Whether candidate a ranks before b: higher score, then lower paragraph index (the retriever's order). */
function before(scores: Float64Array, docs: Uint32Array, a: number, b: number): boolean {
  return scores[a] > scores[b] || (scores[a] === scores[b] && docs[a] < docs[b]);
}

/** The best `k` of the candidates (positions into scores/docs), by a bounded heap whose root is the worst kept so far. */
function topK(scores: Float64Array, docs: Uint32Array, order: Uint32Array, k: number): Uint32Array {
  const count = order.length;
  if (count <= k) return order;
  const heap = order.slice(0, k);
  const sift = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < k && before(scores, docs, heap[worst], heap[l])) worst = l;
      if (r < k && before(scores, docs, heap[worst], heap[r])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) sift(i);
  for (let i = k; i < count; i++) {
    const c = order[i];
    if (before(scores, docs, c, heap[0])) {
      heap[0] = c;
      sift(0);
    }
  }
  return heap;
}
