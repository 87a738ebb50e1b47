import { textTokens, words } from './tokenize.ts';

/**
 * Postings as compressed sparse rows — per term an offset into parallel doc and tf arrays — built
 * without an object per token: each token costs one Map lookup and a few typed-array writes. A build
 * is cut into chunks of consecutive paragraphs (segmented on worker threads, see segment.ts) whose
 * postings are merged by term afterwards; chunks keep their order, so every term's postings stay
 * sorted by paragraph.
 */

export type FieldName = 'words' | 'bigrams' | 'context';
export const FIELDS: FieldName[] = ['words', 'bigrams', 'context'];

/** One field's postings: those of term t are docs/tfs[offsets[t] .. offsets[t + 1]), by ascending doc. */
export interface FieldPostings {
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Tokens per paragraph. */
  lengths: Uint32Array;
}

export type ChunkPostings = Record<FieldName, FieldPostings>;

/** What one paragraph contributes: its text and the words that say where it sits (bm25.ts contextText). */
export interface SegmentInput {
  text: string;
  context: string;
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
  finish(): FieldPostings {
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
    return { terms: [...this.terms.keys()], offsets, docs, tfs, lengths: this.lengths.toArray() };
  }
}

/** Segments a chunk of paragraphs with jieba and builds its postings; docs are numbered from 0 within the chunk. */
export function segmentChunk(inputs: SegmentInput[]): ChunkPostings {
  const fields = { words: new FieldBuilder(), bigrams: new FieldBuilder(), context: new FieldBuilder() };
  // Paragraphs of a section share their context: it is cut once.
  const contextWords = new Map<string, string[]>();
  inputs.forEach(({ text, context }, doc) => {
    const tokens = textTokens(text);
    let cut = contextWords.get(context);
    if (!cut) contextWords.set(context, (cut = words(context)));
    fields.words.add(doc, tokens.words);
    fields.bigrams.add(doc, tokens.bigrams);
    fields.context.add(doc, cut);
  });
  return { words: fields.words.finish(), bigrams: fields.bigrams.finish(), context: fields.context.finish() };
}

/** The chunks' postings of one field as one, chunk after chunk; chunk c's docs are shifted by the paragraphs before it. */
export function mergeField(chunks: FieldPostings[]): FieldPostings {
  if (chunks.length === 1) return chunks[0];
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const globalOf = chunks.map((chunk) =>
    Uint32Array.from(chunk.terms, (term) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = terms.length;
        ids.set(term, id);
        terms.push(term);
      }
      return id;
    }),
  );
  const offsets = new Uint32Array(terms.length + 1);
  chunks.forEach((chunk, c) => {
    for (let t = 0; t < chunk.terms.length; t++) offsets[globalOf[c][t] + 1] += chunk.offsets[t + 1] - chunk.offsets[t];
  });
  for (let t = 0; t < terms.length; t++) offsets[t + 1] += offsets[t];
  const total = offsets[terms.length];
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  const cursor = offsets.slice(0, terms.length);
  const lengths = new Uint32Array(chunks.reduce((n, chunk) => n + chunk.lengths.length, 0));
  let base = 0;
  chunks.forEach((chunk, c) => {
    const map = globalOf[c];
    for (let t = 0; t < chunk.terms.length; t++) {
      let to = cursor[map[t]];
      const end = chunk.offsets[t + 1];
      for (let i = chunk.offsets[t]; i < end; i++, to++) {
        docs[to] = chunk.docs[i] + base;
        tfs[to] = chunk.tfs[i];
      }
      cursor[map[t]] = to;
    }
    lengths.set(chunk.lengths, base);
    base += chunk.lengths.length;
  });
  return { terms, offsets, docs, tfs, lengths };
}

export function mergeChunks(chunks: ChunkPostings[]): ChunkPostings {
  return { words: mergeField(chunks.map((c) => c.words)), bigrams: mergeField(chunks.map((c) => c.bigrams)), context: mergeField(chunks.map((c) => c.context)) };
}

/** The typed arrays of a chunk, handed to postMessage's transfer list so that they move instead of being copied. */
export function transferables(chunk: ChunkPostings): ArrayBuffer[] {
  return FIELDS.flatMap((f) => [chunk[f].offsets.buffer, chunk[f].docs.buffer, chunk[f].tfs.buffer, chunk[f].lengths.buffer] as ArrayBuffer[]);
}
