import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Paragraph } from '../../core/paragraph.ts';
import { labelKind } from '../../core/paragraph.ts';
import { bigrams, words } from './tokenize.ts';

/**
 * BM25 over paragraphs with three fields: jieba words (the main signal), Han character bigrams (the
 * safety net for segmentation differences) and the paragraph's context — its section headings, its
 * document's title and what kind of paragraph it is — so that "摘要", "结论" or "方框" in a question
 * points at the right part of a document.
 *
 * Postings are typed arrays (compressed sparse rows: per term an offset into parallel doc and tf
 * arrays), built in one streaming pass and stored as binary files, so that a million paragraphs cost
 * a few hundred megabytes rather than gigabytes of JavaScript arrays, and load without parsing.
 */

export type FieldName = 'words' | 'bigrams' | 'context';
const FIELDS: FieldName[] = ['words', 'bigrams', 'context'];

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

const K1 = 1.2;
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

function unique(tokens: string[]): string[] {
  return [...new Set(tokens)];
}

/** One field's postings: those of term t are docs/tfs[offsets[t] .. offsets[t + 1]), by ascending doc. */
interface FieldIndex {
  terms: Map<string, number>;
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  lengths: Uint32Array;
  averageLength: number;
}

/** Growable typed array of unsigned 32-bit integers. */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

class FieldBuilder {
  private readonly terms = new Map<string, number>();
  private readonly termOf = new U32List();
  private readonly docOf = new U32List();
  private readonly tfOf = new U32List();
  private readonly lengths = new U32List();
  /** Per term: the last paragraph it was seen in (plus one; 0 = never), and where that posting is. */
  private readonly lastDoc = new U32List();
  private readonly lastSlot = new U32List();

  add(doc: number, tokens: string[]): void {
    for (const token of tokens) {
      let id = this.terms.get(token);
      if (id === undefined) {
        id = this.terms.size;
        this.terms.set(token, id);
        this.lastDoc.push(0);
        this.lastSlot.push(0);
      }
      if (this.lastDoc.data[id] === doc + 1) {
        this.tfOf.data[this.lastSlot.data[id]]++;
      } else {
        this.lastDoc.data[id] = doc + 1;
        this.lastSlot.data[id] = this.termOf.length;
        this.termOf.push(id);
        this.docOf.push(doc);
        this.tfOf.push(1);
      }
    }
    this.lengths.push(tokens.length);
  }

  /** Counting sort by term: documents were added in order, so each term's postings stay sorted by doc. */
  finish(): FieldIndex {
    const termCount = this.terms.size;
    const offsets = new Uint32Array(termCount + 1);
    const n = this.termOf.length;
    const termOf = this.termOf.data;
    for (let i = 0; i < n; i++) offsets[termOf[i] + 1]++;
    for (let t = 0; t < termCount; t++) offsets[t + 1] += offsets[t];
    const next = offsets.slice(0, termCount);
    const docs = new Uint32Array(n);
    const tfs = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const slot = next[termOf[i]]++;
      docs[slot] = this.docOf.data[i];
      tfs[slot] = Math.min(this.tfOf.data[i], 65_535);
    }
    const lengths = this.lengths.toArray();
    return { terms: this.terms, offsets, docs, tfs, lengths, averageLength: averageOf(lengths) };
  }
}

function averageOf(lengths: Uint32Array): number {
  let total = 0;
  for (const l of lengths) total += l;
  return lengths.length ? total / lengths.length : 0;
}

/** Adds paragraphs one at a time, in index order; `finish` makes the searchable index. */
export class LexicalIndexBuilder {
  private readonly fields = { words: new FieldBuilder(), bigrams: new FieldBuilder(), context: new FieldBuilder() };
  /** Paragraphs of a section share their context: it is cut once. */
  private readonly contextWords = new Map<string, string[]>();
  private size = 0;

  /** `tokens` are words(p.text) and bigrams(p.text); `context` is contextText(p, title). */
  add(tokens: { words: string[]; bigrams: string[] }, context: string): void {
    let cut = this.contextWords.get(context);
    if (!cut) this.contextWords.set(context, (cut = words(context)));
    this.fields.words.add(this.size, tokens.words);
    this.fields.bigrams.add(this.size, tokens.bigrams);
    this.fields.context.add(this.size, cut);
    this.size++;
  }

  finish(): LexicalIndex {
    return new LexicalIndex(this.size, { words: this.fields.words.finish(), bigrams: this.fields.bigrams.finish(), context: this.fields.context.finish() });
  }
}

/** Scores the paragraphs that share a term with the query; index → score. */
export class LexicalIndex {
  /** Per field, BM25's length normalization K1·(1 − B + B·length/average) of each paragraph. */
  private readonly lengthNorms: Record<FieldName, Float64Array>;
  /** Reused by every query (scoring is synchronous): scores by paragraph, and which were touched. */
  private readonly scores: Float64Array;
  private readonly touched: Uint32Array;

  constructor(
    readonly size: number,
    private readonly fields: Record<FieldName, FieldIndex>,
  ) {
    this.lengthNorms = { words: lengthNorms(fields.words), bigrams: lengthNorms(fields.bigrams), context: lengthNorms(fields.context) };
    this.scores = new Float64Array(size);
    this.touched = new Uint32Array(size);
  }

  /** Inverse document frequency of a term in a field (BM25+ style, never negative). */
  idf(field: FieldName, term: string): number {
    const index = this.fields[field];
    const t = index.terms.get(term);
    const df = t === undefined ? 0 : index.offsets[t + 1] - index.offsets[t];
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Every term of a field with the number of paragraphs it occurs in. */
  documentFrequencies(field: FieldName): Map<string, number> {
    const index = this.fields[field];
    return new Map([...index.terms].map(([term, t]) => [term, index.offsets[t + 1] - index.offsets[t]]));
  }

  /** The best `depth` matches (by score, then by index), in no particular order. */
  score(query: LexicalQuery, options: ScoreOptions = {}): Map<number, number> {
    const { scores, touched } = this;
    const filter = options.filter;
    let count = 0;
    const passes: [FieldName, string[], number][] = [
      ['words', query.words, WEIGHTS.words],
      ['words', query.expansions, WEIGHTS.words * EXPANSION_WEIGHT],
      ['bigrams', query.bigrams, WEIGHTS.bigrams],
      ['context', query.words, WEIGHTS.context],
    ];
    for (const [field, terms, weight] of passes) {
      const index = this.fields[field];
      const norms = this.lengthNorms[field];
      for (const term of terms) {
        const t = index.terms.get(term);
        if (t === undefined) continue;
        const idf = this.idf(field, term);
        const end = index.offsets[t + 1];
        for (let i = index.offsets[t]; i < end; i++) {
          const doc = index.docs[i];
          if (filter && !filter(doc)) continue;
          const tf = index.tfs[i];
          const s = (weight * idf * tf * (K1 + 1)) / (tf + norms[doc]);
          if (scores[doc] === 0) touched[count++] = doc;
          scores[doc] += s;
        }
      }
    }
    const result = new Map<number, number>();
    for (const doc of topByScore(scores, touched, count, options.depth ?? DEFAULT_DEPTH)) result.set(doc, scores[doc]);
    for (let i = 0; i < count; i++) scores[touched[i]] = 0;
    return result;
  }

  /** Writes the index as a small JSON header and binary postings per field under `dir`. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const header: Header = { version: 2, size: this.size, fields: {} as Header['fields'] };
    for (const name of FIELDS) {
      const f = this.fields[name];
      header.fields[name] = { terms: f.terms.size, postings: f.docs.length, averageLength: f.averageLength };
      // Terms never contain a line break: tokenization splits on whitespace.
      await writeFile(join(dir, `${name}.terms`), [...f.terms.keys()].join('\n'));
      for (const [part, array] of parts(f)) await writeFile(join(dir, `${name}.${part}`), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    }
    await writeFile(join(dir, HEADER_FILE), JSON.stringify(header));
  }

  static async load(dir: string): Promise<LexicalIndex> {
    const header = JSON.parse(await readFile(join(dir, HEADER_FILE), 'utf8')) as Header;
    if (header?.version !== 2 || typeof header.size !== 'number' || !FIELDS.every((f) => header.fields?.[f])) throw new Error('lexical index has an unknown shape');
    const fields = {} as Record<FieldName, FieldIndex>;
    for (const name of FIELDS) {
      const { terms: termCount, postings, averageLength } = header.fields[name];
      const text = await readFile(join(dir, `${name}.terms`), 'utf8');
      const list = termCount === 0 ? [] : text.split('\n');
      const offsets = await readArray(join(dir, `${name}.offsets`), Uint32Array);
      const docs = await readArray(join(dir, `${name}.docs`), Uint32Array);
      const tfs = await readArray(join(dir, `${name}.tfs`), Uint16Array);
      const lengths = await readArray(join(dir, `${name}.lengths`), Uint32Array);
      if (list.length !== termCount || offsets.length !== termCount + 1 || docs.length !== postings || tfs.length !== postings || lengths.length !== header.size || offsets[termCount] !== postings) {
        throw new Error(`lexical index field ${name} does not match its header`);
      }
      fields[name] = { terms: new Map(list.map((term, i) => [term, i])), offsets, docs, tfs, lengths, averageLength };
    }
    return new LexicalIndex(header.size, fields);
  }
}

const HEADER_FILE = 'lexical.json';

interface Header {
  version: 2;
  size: number;
  fields: Record<FieldName, { terms: number; postings: number; averageLength: number }>;
}

function parts(f: FieldIndex): [string, Uint32Array | Uint16Array][] {
  return [
    ['offsets', f.offsets],
    ['docs', f.docs],
    ['tfs', f.tfs],
    ['lengths', f.lengths],
  ];
}

async function readArray<T extends Uint32Array | Uint16Array>(path: string, type: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): Promise<T> {
  const bytes = await readFile(path);
  if (bytes.byteLength % type.BYTES_PER_ELEMENT !== 0) throw new Error(`${path} is truncated`);
  // A copy to a buffer of its own: typed-array views need aligned offsets, which a Buffer does not promise.
  return new type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

function lengthNorms(field: FieldIndex): Float64Array {
  const norms = new Float64Array(field.lengths.length);
  for (let doc = 0; doc < norms.length; doc++) {
    const norm = field.averageLength ? field.lengths[doc] / field.averageLength : 1;
    norms[doc] = K1 * (1 - B + B * norm);
  }
  return norms;
}

/** Whether paragraph a ranks before b: higher score, then lower index (the retriever's order). */
function before(scores: Float64Array, a: number, b: number): boolean {
  return scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
}

/** The best `k` of the touched paragraphs, by a bounded heap whose root is the worst kept so far. */
function topByScore(scores: Float64Array, touched: Uint32Array, count: number, k: number): Uint32Array {
  if (count <= k) return touched.subarray(0, count);
  const heap = touched.slice(0, k);
  const sift = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < k && before(scores, heap[worst], heap[l])) worst = l;
      if (r < k && before(scores, heap[worst], heap[r])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) sift(i);
  for (let i = k; i < count; i++) {
    const doc = touched[i];
    if (before(scores, doc, heap[0])) {
      heap[0] = doc;
      sift(0);
    }
  }
  return heap;
}
