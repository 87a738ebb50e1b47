import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { type TextTokens, textTokens } from './text-tokens.ts';

/**
 * The offline embedder: TF-IDF over jieba words and Han bigrams, hashed into a fixed number of buckets
 * and reduced by a seeded sparse random projection — each bucket adds ±weight to NONZEROS coordinates, a
 * sparse Johnson–Lindenstrauss transform (Kane & Nelson): cosines between paragraphs are kept,
 * approximately, at a few additions per term instead of one per dimension. Only the IDF weights are fitted, at ingest time; the projection of a bucket is a
 * function of its number and the seed, so nothing else is stored, and questions are embedded with no
 * model and no network. It replaced a latent semantic analysis (truncated SVD) that cost 70% of every
 * ingest and measured no better on the dev set.
 */

export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'hashed-tfidf-sjlt-v1';

const MODEL_FILE = 'offline-embedder.json';
const IDF_FILE = 'offline-embedder-idf.f32';
export const DEFAULT_DIMENSION = 128;
const BUCKET_BITS = 20;
const BUCKETS = 1 << BUCKET_BITS;
const NONZEROS = 8;
const SEED = 20131220;
/** Bigrams repeat what the words say at a finer grain; they count for less. */
const BIGRAM_WEIGHT = 0.5;

interface ModelFile {
  model: string;
  dimension: number;
  buckets: number;
  seed: number;
  /** Paragraphs the IDF weights were fitted on. */
  fittedOn: number;
}

/** FNV-1a over the token's UTF-16 units, started from a per-kind basis so a word and a bigram differ. */
function bucketOf(token: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16_777_619);
  return (h >>> 0) & (BUCKETS - 1);
}
const WORD_BASIS = 0x811c9dc5;
const BIGRAM_BASIS = 0x01000193;

/** MurmurHash3's finalizer: 32 well-mixed bits, the k-th coordinate (high bits) and sign (low bit) of a bucket's projection. */
function projectionBits(bucket: number, k: number): number {
  let h = Math.imul(bucket, 0x9e3779b1) ^ Math.imul(k + SEED, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Weighted term counts of a paragraph, by bucket. */
function bucketCounts(tokens: TextTokens, counts: Map<number, number>): Map<number, number> {
  counts.clear();
  for (const w of tokens.words) {
    const b = bucketOf(w, WORD_BASIS);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  for (const g of tokens.bigrams) {
    const b = bucketOf(g, BIGRAM_BASIS);
    counts.set(b, (counts.get(b) ?? 0) + BIGRAM_WEIGHT);
  }
  return counts;
}

export class OfflineEmbeddings extends Embeddings {
  private readonly counts = new Map<number, number>();

  private constructor(
    private readonly idf: Float32Array,
    readonly dimension: number,
    private readonly fittedOn: number,
  ) {
    super({});
  }

  /** Fits the IDF weights to the given paragraphs (deterministic); `dimension` is a multiple of 32. */
  static fit(documents: Iterable<TextTokens>, dimension = DEFAULT_DIMENSION): OfflineEmbeddings {
    if (!Number.isInteger(dimension) || dimension <= 0 || dimension % 32 !== 0) throw new Error(`offline embedding dimension must be a positive multiple of 32, got ${dimension}`);
    const df = new Uint32Array(BUCKETS);
    const counts = new Map<number, number>();
    let n = 0;
    for (const tokens of documents) {
      for (const b of bucketCounts(tokens, counts).keys()) df[b]++;
      n++;
    }
    const idf = new Float32Array(BUCKETS);
    for (let b = 0; b < BUCKETS; b++) idf[b] = Math.log((1 + n) / (1 + df[b])) + 1;
    return new OfflineEmbeddings(idf, dimension, n);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }

  embed(text: string): number[] {
    return Array.from(this.embedTokens(textTokens(text)));
  }

  /** Sublinear TF × IDF, projected, L2-normalized; written into `out` when given. */
  embedTokens(tokens: TextTokens, out = new Float32Array(this.dimension)): Float32Array {
    out.fill(0);
    for (const [bucket, tf] of bucketCounts(tokens, this.counts)) {
      const v = (tf >= 1 ? 1 + Math.log(tf) : tf) * this.idf[bucket];
      for (let k = 0; k < NONZEROS; k++) {
        const bits = projectionBits(bucket, k);
        out[(bits >>> 1) % this.dimension] += bits & 1 ? v : -v;
      }
    }
    let norm = 0;
    for (let j = 0; j < out.length; j++) norm += out[j] * out[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < out.length; j++) out[j] /= norm;
    return out;
  }

  async save(directory: string): Promise<void> {
    const model: ModelFile = { model: OFFLINE_MODEL, dimension: this.dimension, buckets: BUCKETS, seed: SEED, fittedOn: this.fittedOn };
    await writeFile(join(directory, MODEL_FILE), JSON.stringify(model));
    await writeFile(join(directory, IDF_FILE), new Uint8Array(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength));
  }

  static async load(directory: string): Promise<OfflineEmbeddings> {
    const model = JSON.parse(await readFile(join(directory, MODEL_FILE), 'utf8')) as ModelFile;
    if (model.model !== OFFLINE_MODEL || model.buckets !== BUCKETS || model.seed !== SEED || !(model.dimension > 0 && model.dimension % 32 === 0)) {
      throw new Error(`${MODEL_FILE} is not a ${OFFLINE_MODEL} model`);
    }
    const bytes = await readFile(join(directory, IDF_FILE));
    if (bytes.byteLength !== BUCKETS * 4) throw new Error(`${IDF_FILE} does not match ${MODEL_FILE}`);
    const idf = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    return new OfflineEmbeddings(idf, model.dimension, model.fittedOn);
  }
}
