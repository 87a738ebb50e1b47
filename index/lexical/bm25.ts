import { mkdir, writeFile } from 'node:fs/promises';
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
 * Scoring is block-max MaxScore (Turtle & Flood; Ding & Suel), in windows of paragraphs: lists whose
 * bounds together cannot lift a paragraph into the best `depth` are only probed for the paragraphs the
 * others bring, the others are added up window by window, and a window whose blocks' stored maxima,
 * added up, cannot reach the best `depth` found so far is skipped. The result is the same as scoring
 * every match — the candidates' scores are summed again in the exhaustive order, to the last bit — at a
 * fraction of the postings walked when a query has common terms.
 */

export type { FieldName } from './postings.ts';

export interface LexicalQuery {
  words: string[];
  bigrams: string[];
  /** Words standing for the query's words in other wording, searched at lower weight. */
  expansions: string[];
}

/**
 * Paragraph positions as [start, end) pairs, sorted and disjoint (empty pairs allowed): a document's
 * paragraphs are stored together, so a restriction to documents is a few such ranges.
 */
export type PositionRanges = readonly (readonly [number, number])[];

export interface ScoreOptions {
  /** Only paragraphs in these ranges are scored. */
  ranges?: PositionRanges;
  /** At most this many best paragraphs are returned (default DEFAULT_DEPTH). */
  depth?: number;
}

export const K1 = 1.2;
const B = 0.75;
const WEIGHTS: Record<FieldName, number> = { words: 1, bigrams: 0.6, context: 0.3 };
/**
 * A near-synonym counts half as much as the question's own word. On 4 fold splits of train + dev
 * (means): at 0.5 cite-hit 0.769, cite-precision 0.753, R@5 0.873; at 0.35 0.765, 0.742, 0.863; at
 * 0.7 0.756, 0.726, 0.875.
 */
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
  /** The same per block of BLOCK postings, term after term; term t's blocks start at blockStarts[t]. */
  blockMaxima: Float64Array;
  blockStarts: Uint32Array;
}

/** A posting list of the query, with its weight (field weight × IDF) and upper bound. */
interface QueryList {
  field: FieldIndex;
  start: number;
  end: number;
  weight: number;
  bound: number;
  /** Index of the list's first block in field.blockMaxima. */
  firstBlock: number;
}

/** Postings per block of stored maxima: small enough to skip finely, large enough to cost 1/16 of the tfs. */
const BLOCK_SHIFT = 7;
const BLOCK = 1 << BLOCK_SHIFT;
/**
 * Paragraphs per window of the bulk walk (see candidates): its 32 KB of sums stay in cache. At 1M, depth
 * 10, the scorer's p99 was 35–52 ms at 2¹² paragraphs over two runs, and 37–42 ms at 2¹⁰, 2¹¹, 2¹⁴ and
 * 2¹⁶ in one run each: no size wins by more than the noise.
 */
const WINDOW = 1 << 12;

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
    const blockStarts = blockStartsOf(f.offsets);
    const { maxima, blockMaxima } = termMaxima(f, norms, blockStarts);
    fields[name] = { terms: new Map(f.terms.map((term, i) => [term, i])), offsets: f.offsets, docs: f.docs, tfs: f.tfs, norms, maxima, blockMaxima, blockStarts };
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

function termMaxima(f: FieldPostings, norms: Float64Array, blockStarts: Uint32Array): { maxima: Float64Array; blockMaxima: Float64Array } {
  const maxima = new Float64Array(f.terms.length);
  const blockMaxima = new Float64Array(blockStarts[f.terms.length]);
  for (let t = 0; t < f.terms.length; t++) {
    const start = f.offsets[t];
    for (let i = start; i < f.offsets[t + 1]; i++) {
      const tf = f.tfs[i];
      const v = (tf * (K1 + 1)) / (tf + norms[f.docs[i]]);
      const block = blockStarts[t] + ((i - start) >>> BLOCK_SHIFT);
      if (v > blockMaxima[block]) blockMaxima[block] = v;
    }
    let best = 0;
    for (let b = blockStarts[t]; b < blockStarts[t + 1]; b++) if (blockMaxima[b] > best) best = blockMaxima[b];
    maxima[t] = best;
  }
  return { maxima, blockMaxima };
}

/** Where each term's blocks start: one pass over the terms, not the postings, so loading does it. */
function blockStartsOf(offsets: Uint32Array): Uint32Array {
  const starts = new Uint32Array(offsets.length);
  for (let t = 0; t + 1 < offsets.length; t++) starts[t + 1] = starts[t] + Math.ceil((offsets[t + 1] - offsets[t]) / BLOCK);
  return starts;
}

/** Scores the paragraphs that share a term with the query; index → score. */
export class LexicalIndex {
  constructor(
    readonly size: number,
    private readonly fields: Record<FieldName, FieldIndex>,
  ) {}

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
    if (options.ranges) checkRanges(options.ranges);
    const lists = this.queryLists(query);
    const result = new Map<number, number>();
    if (lists.length === 0 || depth <= 0) return result;
    const candidates = this.candidates(lists, depth, options.ranges);
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
      lists.push({ field, start: field.offsets[t], end: field.offsets[t + 1], weight, bound: weight * field.maxima[t] * (1 + SLACK), firstBlock: field.blockStarts[t] });
    }
    return lists;
  }

  /**
   * Every paragraph that can be among the best `depth`, ascending (a superset: scores here are summed in
   * another order than the exhaustive one, so ties to the last bits are kept).
   *
   * Window after window of WINDOW paragraphs over the lists in a fixed order: the first `passive`
   * lists, whose bounds add up to less than the depth-th best score so far, cannot bring a paragraph in
   * by themselves, so only the others (the active ones) are walked. Their postings in the window are
   * added up in an array, one posting at a time with no comparison between lists (Lucene's
   * MaxScoreBulkScorer does the same), and each paragraph they reached is then probed in the passive
   * lists, last first, until what those could still add cannot lift it into the best `depth`. Before a
   * window is walked, the stored maxima of the active lists' blocks that overlap it bound what any of
   * its paragraphs can score; when that cannot reach the best `depth`, the window is skipped.
   *
   * Restricted to `ranges`, a window never crosses a range's end, and the active lists jump to the next
   * range's start whenever the paragraph they propose lies outside every range: a restriction that
   * admits few paragraphs rarely fills the best `depth`, so without seeking nothing would be pruned and
   * every posting of the query walked.
   */
  private candidates(lists: QueryList[], depth: number, ranges: PositionRanges | undefined): Uint32Array {
    // Ascending bound per posting: each list made passive spares the most postings for what its bound
    // takes from the margin. By bound alone, the short lists of a question's near-synonyms and context
    // words, of middling bounds, would use up that room and leave its common words' long lists active.
    const order = [...lists].sort((a, b) => a.bound / (a.end - a.start) - b.bound / (b.end - b.start));
    const n = order.length;
    const prefix = new Float64Array(n + 1);
    for (let l = 0; l < n; l++) prefix[l + 1] = prefix[l] + order[l].bound;
    const cursors = Uint32Array.from(order, (l) => l.start);
    // Pruning starts once `depth` paragraphs are scored; at a depth beyond the index there is none.
    const pruning = depth < this.size;
    const heap = new Float64Array(pruning ? depth : 0);
    let heapSize = 0;
    let margin = 0;
    let passive = 0;
    let range = 0;
    const sums = new Float64Array(WINDOW);
    const reached = new Int32Array(WINDOW >>> 5);
    const found: number[] = [];
    const foundScores: number[] = [];
    const seekAll = (doc: number) => {
      for (let l = passive; l < n; l++) cursors[l] = seek(order[l].field.docs, cursors[l], order[l].end, doc);
    };
    for (;;) {
      let windowStart = this.size;
      for (let l = passive; l < n; l++) if (cursors[l] < order[l].end && order[l].field.docs[cursors[l]] < windowStart) windowStart = order[l].field.docs[cursors[l]];
      if (windowStart === this.size) break;
      let windowEnd = Math.min(windowStart + WINDOW, this.size);
      if (ranges) {
        while (range < ranges.length && ranges[range][1] <= windowStart) range++;
        if (range === ranges.length) break;
        if (windowStart < ranges[range][0]) {
          seekAll(ranges[range][0]);
          continue;
        }
        windowEnd = Math.min(windowEnd, ranges[range][1]);
      }
      if (margin > 0 && prefix[passive] + this.windowBound(order, cursors, passive, windowEnd) < margin) {
        seekAll(windowEnd);
        continue;
      }
      const walked = passive;
      for (let l = walked; l < n; l++) {
        const list = order[l];
        const docs = list.field.docs;
        let i = cursors[l];
        for (; i < list.end && docs[i] < windowEnd; i++) {
          const d = docs[i] - windowStart;
          sums[d] += contribution(list, i, docs[i]);
          reached[d >>> 5] |= 1 << (d & 31);
        }
        cursors[l] = i;
      }
      const bitmapLength = (windowEnd - windowStart + 31) >>> 5;
      for (let w = 0; w < bitmapLength; w++) {
        let bits = reached[w];
        if (bits === 0) continue;
        reached[w] = 0;
        while (bits !== 0) {
          const d = (w << 5) + 31 - Math.clz32(bits & -bits);
          bits &= bits - 1;
          const doc = windowStart + d;
          let score = sums[d];
          sums[d] = 0;
          let dropped = false;
          for (let l = walked - 1; l >= 0; l--) {
            if (score + prefix[l + 1] < margin) {
              dropped = true;
              break;
            }
            const list = order[l];
            cursors[l] = seek(list.field.docs, cursors[l], list.end, doc);
            if (cursors[l] < list.end && list.field.docs[cursors[l]] === doc) score += contribution(list, cursors[l], doc);
          }
          if (dropped || score < margin) continue;
          found.push(doc);
          foundScores.push(score);
          if (!pruning) continue;
          if (heapSize < depth) pushHeap(heap, heapSize++, score);
          else if (score > heap[0]) replaceRoot(heap, depth, score);
          if (heapSize === depth) {
            margin = heap[0] * (1 - SLACK);
            while (passive < n && prefix[passive + 1] < margin) passive++;
          }
        }
      }
    }
    const kept = new Uint32Array(found.length);
    let count = 0;
    for (let c = 0; c < found.length; c++) if (foundScores[c] >= margin) kept[count++] = found[c];
    return kept.subarray(0, count);
  }

  /** The most the active lists (from `passive` on) can add to a paragraph before `windowEnd`: the largest stored maximum of each one's blocks that reach that far. */
  private windowBound(order: QueryList[], cursors: Uint32Array, passive: number, windowEnd: number): number {
    let upper = 0;
    for (let l = passive; l < order.length; l++) {
      const list = order[l];
      const docs = list.field.docs;
      if (cursors[l] >= list.end || docs[cursors[l]] >= windowEnd) continue;
      let block = (cursors[l] - list.start) >>> BLOCK_SHIFT;
      let best = 0;
      for (;;) {
        const maximum = list.field.blockMaxima[list.firstBlock + block];
        if (maximum > best) best = maximum;
        const next = list.start + ++block * BLOCK;
        if (next >= list.end || docs[next] >= windowEnd) break;
      }
      upper += list.weight * best * (1 + SLACK);
    }
    return upper;
  }

  /** Writes the index as a small JSON header and binary arrays per field under `dir`. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const header: Header = { version: 4, size: this.size, fields: {} as Header['fields'] };
    for (const name of FIELDS) {
      const f = this.fields[name];
      header.fields[name] = { terms: f.terms.size, postings: f.docs.length };
      // Terms never contain a line break: tokenization splits on whitespace.
      await writeFile(join(dir, `${name}.terms`), [...f.terms.keys()].join('\n'));
      for (const [part, array] of parts(f)) await writeFile(join(dir, `${name}.${part}`), bytesOf(array));
    }
    await writeFile(join(dir, HEADER_FILE), JSON.stringify(header));
  }

  /**
   * Reads the files `save` wrote through `read` (by name, "words.docs"), which hands each out in a
   * buffer that the arrays then view in place: at a million paragraphs a copy of the postings costs
   * seconds of fresh memory.
   */
  static async load(read: (file: string) => Promise<Uint8Array>): Promise<LexicalIndex> {
    const header = JSON.parse(textOf(await read(HEADER_FILE))) as Header;
    if (header?.version !== 4 || typeof header.size !== 'number' || !FIELDS.every((f) => header.fields?.[f])) throw new Error('lexical index has an unknown shape');
    const fields = {} as Record<FieldName, FieldIndex>;
    const loadField = async (name: FieldName) => {
      const { terms: termCount, postings } = header.fields[name];
      const array = <T extends NumberArray>(part: string, type: ArrayType<T>) => read(`${name}.${part}`).then((bytes) => arrayOf(bytes, type, `${name}.${part}`));
      const [text, offsets, docs, tfs, norms, maxima, blockMaxima] = await Promise.all([
        read(`${name}.terms`).then(textOf),
        array('offsets', Uint32Array),
        array('docs', Uint32Array),
        array('tfs', Uint16Array),
        array('norms', Float64Array),
        array('maxima', Float64Array),
        array('blocks', Float64Array),
      ]);
      const list = termCount === 0 ? [] : text.split('\n');
      const blockStarts = blockStartsOf(offsets);
      if (
        list.length !== termCount ||
        offsets.length !== termCount + 1 ||
        maxima.length !== termCount ||
        docs.length !== postings ||
        tfs.length !== postings ||
        norms.length !== header.size ||
        offsets[termCount] !== postings ||
        blockMaxima.length !== blockStarts[termCount]
      ) {
        throw new Error(`lexical index field ${name} does not match its header`);
      }
      fields[name] = { terms: new Map(list.map((term, i) => [term, i])), offsets, docs, tfs, norms, maxima, blockMaxima, blockStarts };
    };
    await Promise.all(FIELDS.map(loadField));
    return new LexicalIndex(header.size, fields);
  }
}

const HEADER_FILE = 'lexical.json';

interface Header {
  version: 4;
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
    ['blocks', f.blockMaxima],
  ];
}

function bytesOf(array: NumberArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

type ArrayType<T extends NumberArray> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

function arrayOf<T extends NumberArray>(bytes: Uint8Array, type: ArrayType<T>, file: string): T {
  if (bytes.byteLength % type.BYTES_PER_ELEMENT !== 0) throw new Error(`${file} is truncated`);
  // Typed-array views need aligned offsets: bytes that start mid-way into their buffer unaligned are copied.
  const aligned = bytes.byteOffset % type.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice();
  return new type(aligned.buffer, aligned.byteOffset, aligned.byteLength / type.BYTES_PER_ELEMENT);
}

function textOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function checkRanges(ranges: PositionRanges): void {
  let previousEnd = 0;
  for (const [start, end] of ranges) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= previousEnd && end >= start)) {
      throw new RangeError(`ranges must be sorted, disjoint [start, end) pairs of positions; got [${start}, ${end}) after one ending at ${previousEnd}`);
    }
    previousEnd = end;
  }
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

/** Adds `value` to the min-heap heap[0, size). */
function pushHeap(heap: Float64Array, size: number, value: number): void {
  let i = size;
  heap[i] = value;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= heap[i]) return;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

/** Replaces the least value of the full min-heap heap[0, size) with `value`. */
function replaceRoot(heap: Float64Array, size: number, value: number): void {
  heap[0] = value;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let least = i;
    if (l < size && heap[l] < heap[least]) least = l;
    if (r < size && heap[r] < heap[least]) least = r;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least], heap[i]];
    i = least;
  }
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
